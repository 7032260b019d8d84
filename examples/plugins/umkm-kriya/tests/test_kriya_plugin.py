"""The kriya plugin passes umkm_core's contract kit, like the built-ins do."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping
from typing import ClassVar

import umkm_kriya.plugin
from umkm_core import (
    KBLI,
    Address,
    Business,
    Column,
    Owner,
    Program,
    ProgramKind,
    RegionCode,
    Registry,
    Table,
    Text,
    Wave,
    write_table,
)
from umkm_core.rules import RuleContext
from umkm_core.testing import (
    ExporterContract,
    PathwayContract,
    RuleContract,
    SectorContract,
    StepContract,
)

PLUGINS = (umkm_kriya.plugin,)


class TestCraftSector(SectorContract):
    plugins = PLUGINS
    sector_code = "kriya"


class TestBatikmarkStep(StepContract):
    plugins = PLUGINS
    step_code = "batikmark"


class TestBatikPathway(PathwayContract):
    plugins = PLUGINS
    pathway_code = "batik"


class TestHasKbliRule(RuleContract):
    plugins = PLUGINS
    rule_name = "has_kbli"
    example: ClassVar[Mapping[str, object]] = {"codes": ["13134"]}


class TestMarkdownCatalogue(ExporterContract):
    plugins = PLUGINS
    exporter_code = "kriya-md"

    def read_back(self, data: bytes) -> list[Mapping[str, object]]:
        # A one-way format still tells the kit how to read it, so every cell is checked.
        lines = data.decode("utf-8").splitlines()
        split = [[c.strip() for c in line.strip("|").split(" | ")] for line in lines]
        return [dict(zip(split[0], row, strict=True)) for row in split[2:]]


def batik_maker(kbli: str = "13134") -> Business:
    return Business(
        id="K1",
        name="Batik Cisadane",
        owner=Owner(name="Dewi Lestari"),
        address=Address(region=RegionCode.parse("36.71.01")),
        sector="kriya",
        kbli=(KBLI(kbli),),
    )


def test_batik_makers_pass_the_batik_rule_and_others_are_refused_with_a_reason(
    umkm_register_plugin: Callable[..., Registry],
) -> None:
    registry = umkm_register_plugin(umkm_kriya.plugin)
    rule = registry.rule_from_data({"rule": "has_kbli", "codes": ["13134"]})
    assert isinstance(rule, umkm_kriya.plugin.HasKbli)
    wave = Wave.with_daily_sessions(
        number=1, sector="kriya", start=dt.date(2018, 3, 5), end=dt.date(2018, 3, 6), seats=40
    )
    program = Program(
        id="P-KRIYA",
        title="Batik Tangerang",
        office_id="dinkopukm-3671",
        year=2018,
        kind=ProgramKind.TRAINING,
        waves=(wave,),
        rules=(rule,),
    )
    as_of = dt.date(2018, 2, 1)
    assert rule.check(RuleContext(business=batik_maker(), program=program, as_of=as_of))
    refused = rule.check(RuleContext(business=batik_maker("16293"), program=program, as_of=as_of))
    assert [r.code for r in refused.reasons] == ["eligibility.has_kbli"]


def test_the_batik_pathway_puts_batikmark_between_packaging_and_trademark(
    umkm_register_plugin: Callable[..., Registry],
) -> None:
    registry = umkm_register_plugin(umkm_kriya.plugin)
    (pathway,) = registry.default_pathways("kriya")
    assert [k.code for k in pathway.order] == ["packaging", "batikmark", "trademark"]


def test_the_markdown_catalogue_escapes_pipes_and_line_breaks(
    umkm_register_plugin: Callable[..., Registry],
) -> None:
    registry = umkm_register_plugin(umkm_kriya.plugin)
    column = Column(name="product", title=Text(id="Produk", en="Product"))
    table = Table(name="catalogue", columns=(column,), rows=[("Batik | tulis\nhalus",)])
    stream = io.BytesIO()
    write_table(table, stream, registry.exporter("kriya-md"))
    assert stream.getvalue().decode().splitlines() == [
        "| Produk |",
        "|---|",
        "| Batik \\| tulis halus |",
    ]
