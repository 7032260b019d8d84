"""Every hook: documented with its exact signature, tested, and its example plugin works.

Like datasette's ``test_plugin_hooks_are_documented`` and
``test_plugin_hooks_have_tests``: adding a hook without docs or a ``test_hook_<name>``
test fails here.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import pathlib
import textwrap
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from umkm_core import (
    BUILTIN_STEP_KINDS,
    KBLI,
    District,
    Exporter,
    ExportOptions,
    ImportedRow,
    Importer,
    KbliCodeList,
    Pathway,
    PluginError,
    RegionCode,
    Registry,
    RowResult,
    RuleFactory,
    Sector,
    StepKind,
    Table,
    Text,
    Validity,
    ValidityRule,
    hookimpl,
    hookspecs,
    load_registry,
)
from umkm_core.adapters.roster import import_roster
from umkm_core.plugins.exporters import write_csv
from umkm_core.rules import has_nib

ROOT = pathlib.Path(__file__).resolve().parents[2]
HOOKS = sorted(name for name in vars(hookspecs) if name.startswith("umkm_"))


def signature(name: str) -> str:
    spec = getattr(hookspecs, name)
    params = ", ".join(inspect.signature(spec).parameters)
    (record,) = typing.get_args(spec.__annotations__["return"])
    return f"{name}({params}) -> Iterable[{record.__name__}]"


def test_the_nine_registration_hooks_exist() -> None:
    assert HOOKS == [
        "umkm_audit_attributes",
        "umkm_certification_steps",
        "umkm_districts",
        "umkm_exporters",
        "umkm_importers",
        "umkm_kbli_codes",
        "umkm_pathways",
        "umkm_rules",
        "umkm_sectors",
    ]


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hooks_are_documented(hook: str) -> None:
    docs = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    assert f"`{signature(hook)}`" in docs


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hooks_have_tests(hook: str) -> None:
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("*.py"))
    assert f"def test_hook_{hook}" in sources


def _example_plugin(hook: str) -> types.ModuleType:
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    _, _, after = doc.partition("::\n")
    block = []
    for line in after.splitlines():
        if line and not line.startswith("    "):
            break
        block.append(line)
    module = types.ModuleType(f"example_{hook}")
    exec(compile(textwrap.dedent("\n".join(block)), module.__name__, "exec"), module.__dict__)
    return module


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hookspec_docstring_holds_a_working_example_plugin(hook: str) -> None:
    plugin = _example_plugin(hook)
    registry = load_registry(plugins=[plugin], autoload=False)
    assert registry.problems == ()
    (info,) = [p for p in registry.plugins if p.name == plugin.__name__]
    assert info.status == "active"
    assert info.registered[hook]


@pytest.mark.parametrize("hook", HOOKS)
def test_hookspec_bodies_yield_nothing(hook: str) -> None:
    assert list(getattr(hookspecs, hook)()) == []


# ------------------------------------------------------------------ one test per hook


class SectorPlugin:
    @hookimpl
    def umkm_sectors(self) -> Iterator[Sector]:
        yield Sector(
            code="jamu",
            name=Text(id="Jamu", en="Herbal drinks"),
            kbli=frozenset({KBLI("11040")}),
            nice_classes=frozenset({5, 30}),
        )


def test_hook_umkm_sectors_adds_a_sector_next_to_the_builtins(
    umkm_register_plugin: Callable[..., Registry],
) -> None:
    registry = umkm_register_plugin(SectorPlugin())
    assert list(registry.sectors) == ["fesyen", "jamu", "jasa", "kuliner", "perdagangan"]
    assert registry.sector("jamu").covers(KBLI("11040"))


class PekalonganPlugin:
    @hookimpl
    def umkm_districts(self) -> Iterator[District]:
        yield District(region=RegionCode("337501"), name="Pekalongan Barat")
        yield District(
            region=RegionCode("337502"), name="Pekalongan Timur", aliases={"Pekalongan Tmr"}
        )


def test_hook_umkm_districts_lets_a_roster_name_pekalongan_barat(
    umkm_register_plugin: Callable[..., Registry],
) -> None:
    registry = umkm_register_plugin(PekalonganPlugin())
    assert registry.district_names()["pekalonganbarat"] == RegionCode("337501")
    common = {"Nama Pemilik": "Sari", "Omzet": "Rp150.000.000", "Tahun": "2024"}
    rows = [
        (2, {**common, "Nama Usaha": "Batik Pesisir", "Kecamatan": "Pekalongan Barat"}),
        (3, {**common, "Nama Usaha": "Kopi Tahlil", "Kecamatan": "pekalongan tmr"}),
    ]
    rows[0][1]["Sektor"] = "Busana"
    rows[1][1]["Sektor"] = "mamin"
    report = import_roster(
        rows,
        districts=registry.district_names(),
        sector_aliases=registry.sector_aliases(),
        sectors=registry.sectors,
    )
    assert report.refused == ()
    assert [(b.business.region, b.business.sector) for b in report.imported_rows] == [
        (RegionCode("337501"), "fesyen"),
        (RegionCode("337502"), "kuliner"),
    ]


def test_without_the_pekalongan_plugin_its_districts_are_unknown() -> None:
    registry = load_registry(autoload=False)
    rows = [(2, {"Nama Usaha": "Batik", "Nama Pemilik": "Sari", "Kecamatan": "Pekalongan Barat"})]
    report = import_roster(rows, districts=registry.district_names())
    (refused,) = report.refused
    assert "roster.region_unknown" in {p.code for p in refused.problems}


def test_blocking_the_builtin_districts_leaves_only_the_offices_own() -> None:
    registry = load_registry(
        plugins=[PekalonganPlugin()], blocklist=["umkm_core.regions"], autoload=False
    )
    assert sorted(registry.districts) == ["337501", "337502"]
    assert "karawaci" not in registry.district_names()


#: The codes of the built-in sectors: a registered list must hold them all.
BUILTIN_SECTOR_KBLI = frozenset(
    k.code for sector in load_registry(autoload=False).sectors.values() for k in sector.kbli
)


class KbliListPlugin:
    @hookimpl
    def umkm_kbli_codes(self) -> Iterator[KbliCodeList]:
        yield KbliCodeList(
            edition=2020,
            codes=BUILTIN_SECTOR_KBLI | {"13134"},
            source="Peraturan BPS Nomor 2 Tahun 2020 (extract)",
            published=dt.date(2020, 6, 26),
        )


def test_hook_umkm_kbli_codes_makes_the_roster_refuse_a_code_bps_does_not_list(
    umkm_register_plugin: Callable[..., Registry],
) -> None:
    registry = umkm_register_plugin(KbliListPlugin())
    codes = registry.kbli_code_list(2020)
    assert codes is not None
    assert codes.contains(KBLI("13134"))
    assert registry.kbli_code_list(2025) is None
    common = {"Nama Pemilik": "Sari", "Sektor": "kuliner", "Kecamatan": "Cipondoh"}
    rows = [
        (2, {**common, "Nama Usaha": "Dodol Ibu Sari", "KBLI": "10796"}),
        (3, {**common, "Nama Usaha": "Dodol Typo", "KBLI": "10797"}),
    ]
    report = import_roster(rows, sectors=registry.sectors, kbli_codes=codes)
    assert [r.business.kbli for r in report.imported_rows] == [(KBLI("10796"),)]
    (refused,) = report.refused
    assert (refused.row, [p.code for p in refused.problems]) == (3, ["kbli.unknown_code"])
    # Without the list the same typo passes: only the shape and the division are checked.
    assert import_roster(rows, sectors=registry.sectors).refused == ()


class Kbli2020Again:
    @hookimpl
    def umkm_kbli_codes(self) -> Iterator[KbliCodeList]:
        yield KbliCodeList(
            edition=2020,
            codes=BUILTIN_SECTOR_KBLI,
            source="Salinan lain",
            published=dt.date.today(),
        )


def test_two_plugins_registering_a_kbli_2020_list_are_both_named() -> None:
    with pytest.raises(PluginError) as caught:
        load_registry(plugins=[KbliListPlugin(), Kbli2020Again()], autoload=False)
    assert caught.value.code == "plugin.duplicate_code"
    assert "KbliListPlugin" in str(caught.value)
    assert "Kbli2020Again" in str(caught.value)


class TypoSectorPlugin:
    @hookimpl
    def umkm_sectors(self) -> Iterator[Sector]:
        yield Sector(
            code="jamu",
            name=Text(id="Jamu", en="Herbal drinks"),
            kbli=frozenset({KBLI("11040"), KBLI("11049")}),
        )


def test_a_sector_naming_a_code_the_kbli_list_lacks_is_left_out_and_reported() -> None:
    registry = load_registry(plugins=[KbliListPlugin(), TypoSectorPlugin()], autoload=False)
    assert "jamu" not in registry.sectors
    assert "kuliner" in registry.sectors  # the built-in sectors' codes are all listed
    (problem,) = [p for p in registry.problems if p.code == "plugin.unknown_kbli"]
    assert problem.hook == "umkm_sectors"
    assert "11049" in problem.reason
    assert "11040" not in problem.reason
    # Without a list the sector loads: only the division would be checked.
    assert "jamu" in load_registry(plugins=[TypoSectorPlugin()], autoload=False).sectors


class DivisionTypoSectorPlugin:
    @hookimpl
    def umkm_sectors(self) -> Iterator[Sector]:
        yield Sector(code="tambang", name=Text(id="Tambang", en="Mining"), kbli={KBLI("04100")})


def test_a_sector_naming_a_kbli_2020_division_that_does_not_exist_is_left_out() -> None:
    registry = load_registry(plugins=[DivisionTypoSectorPlugin()], autoload=False)
    assert "tambang" not in registry.sectors
    assert [p.code for p in registry.problems] == ["plugin.unknown_kbli"]


SNI = StepKind(
    code="sni",
    name=Text(id="SNI", en="SNI"),
    authority=Text(id="LSPro", en="Product certifier"),
    validity=(ValidityRule(validity=Validity.fixed(years=4)),),
    requires=("packaging",),
)


class StepPlugin:
    @hookimpl
    def umkm_certification_steps(self) -> Iterator[StepKind]:
        yield SNI


def test_hook_umkm_certification_steps_adds_a_step_kind(
    umkm_register_plugin: Callable[..., Registry],
) -> None:
    registry = umkm_register_plugin(StepPlugin())
    assert registry.step("sni") == SNI
    assert "halal" in registry.steps


class PathwayPlugin:
    @hookimpl
    def umkm_pathways(self) -> Iterator[Pathway]:
        steps = {k.code: k for k in BUILTIN_STEP_KINDS}
        yield Pathway.chain(
            code="food-halal-first",
            name=Text(id="Halal dahulu", en="Halal first"),
            sector="kuliner",
            steps=(steps["packaging"], steps["halal"]),
        )


def test_hook_umkm_pathways_adds_a_pathway_for_a_registered_sector(
    umkm_register_plugin: Callable[..., Registry],
) -> None:
    registry = umkm_register_plugin(PathwayPlugin())
    assert [k.code for k in registry.pathway("food-halal-first").order] == ["packaging", "halal"]


class RulePlugin:
    @hookimpl
    def umkm_rules(self) -> Iterator[RuleFactory]:
        yield RuleFactory(
            name="registered_business",
            factory=has_nib,
            params=(),
            description=Text(id="Usaha terdaftar (NIB)", en="Registered business (NIB)"),
        )


def test_hook_umkm_rules_lets_programme_files_name_the_new_rule(
    umkm_register_plugin: Callable[..., Registry],
) -> None:
    registry = umkm_register_plugin(RulePlugin())
    rule = registry.rule_from_data(
        {"rule": "any_of", "rules": [{"rule": "registered_business"}, {"rule": "women_owned"}]}
    )
    assert rule.name == "any_of"


def write_semicolons(table: Table, stream: Any, options: ExportOptions) -> None:
    write_csv(table, stream, ExportOptions(delimiter=";", header=options.header))


class ExporterPlugin:
    @hookimpl
    def umkm_exporters(self) -> Iterator[Exporter]:
        yield Exporter(
            code="csv-id",
            name=Text(id="CSV Excel Indonesia", en="CSV for Indonesian Excel"),
            extension=".csvx",
            media_type="text/csv",
            write=write_semicolons,
            spreadsheet=True,
        )


def test_hook_umkm_exporters_adds_a_format_chosen_by_extension(
    umkm_register_plugin: Callable[..., Registry],
) -> None:
    registry = umkm_register_plugin(ExporterPlugin())
    assert registry.exporter_for("laporan.csvx").code == "csv-id"


def read_lines(stream: Any) -> Iterator[RowResult]:
    for number, line in enumerate(io.TextIOWrapper(stream, encoding="utf-8"), start=1):
        yield ImportedRow(row=number, values={"line": line.rstrip("\n")})


class ImporterPlugin:
    @hookimpl
    def umkm_importers(self) -> Iterator[Importer]:
        yield Importer(
            code="lines", name=Text(id="Baris", en="Lines"), extensions=(".lst",), read=read_lines
        )


def test_hook_umkm_importers_adds_a_roster_format(
    umkm_register_plugin: Callable[..., Registry],
) -> None:
    registry = umkm_register_plugin(ImporterPlugin())
    importer = registry.importer_for("daftar.lst")
    rows = list(importer.read(io.BytesIO(b"Toko A\nToko B\n")))
    assert [r.row for r in rows] == [1, 2]
