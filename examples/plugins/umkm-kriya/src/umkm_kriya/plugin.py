"""The kriya plugin: craft sector, Batikmark step, batik pathway, a rule and an exporter.

umkm_core finds this module through the ``umkm_core`` entry point of the ``umkm-kriya``
distribution (see ``pyproject.toml``); nothing in umkm_core names it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import IO, ClassVar

import attrs

from umkm_core import (
    BUILTIN_STEP_KINDS,
    KBLI,
    CertificateRule,
    CriteriaSet,
    Evidence,
    ExpectedDuration,
    Exporter,
    ExportOptions,
    Pathway,
    RuleFactory,
    RuleParam,
    Sector,
    StepKind,
    Table,
    Text,
    Validity,
    ValidityRule,
    hookimpl,
)
from umkm_core.followup import SectorIn
from umkm_core.rules import PASS, EligibilityRule, RuleContext, Verdict

__all__ = [
    "BATIKMARK",
    "BATIK_PATHWAY",
    "CRAFTS",
    "HasKbli",
    "umkm_certification_steps",
    "umkm_exporters",
    "umkm_pathways",
    "umkm_rules",
    "umkm_sectors",
    "write_markdown",
]

CRAFTS = Sector(
    code="kriya",
    name=Text(id="Kriya", en="Crafts"),
    kbli=frozenset(
        {
            KBLI("13134"),  # batik
            KBLI("16291"),  # rattan and bamboo weaving (anyaman)
            KBLI("16293"),  # wood carving (ukiran)
            KBLI("32903"),  # other crafts
        }
    ),
    # 24 cloth, 25 clothing, 20 wood and rattan goods, 21 woven household containers.
    nice_classes=frozenset({20, 21, 24, 25}),
    default_pathways=("batik",),
    description=Text(
        id="Batik, anyaman rotan dan bambu, ukiran kayu dan kerajinan lain.",
        en="Batik, rattan and bamboo weaving, wood carving and other crafts.",
    ),
    # The words rosters use for the sector: umkm_core's roster reader recognises them.
    aliases=frozenset({"kerajinan", "craft", "crafts"}),
)

#: The "Batik Indonesia" certification mark (Permenperin 74/M-IND/PER/9/2007). The term
#: rests on secondary sources: it is marked ``verify`` as umkm_core asks of such facts.
BATIKMARK = StepKind(
    code="batikmark",
    name=Text(id="Batikmark (Batik Indonesia)", en="Batikmark (Batik Indonesia mark)"),
    authority=Text(
        id="Balai Besar Kerajinan dan Batik (BBKB), Yogyakarta",
        en="Centre for Handicraft and Batik (BBKB), Yogyakarta",
    ),
    validity=(
        ValidityRule(
            validity=Validity.fixed(years=3),
            effective_from=dt.date(2007, 9, 14),
            source="Permenperin 74/M-IND/PER/9/2007",
            verify=True,
        ),
    ),
    requires=("packaging",),
    criteria=(
        CriteriaSet(
            code="batikmark-crafts",
            conditions=(SectorIn(sectors=frozenset({"kriya"})),),
            effective_from=dt.date(2007, 9, 14),
            source="Permenperin 74/M-IND/PER/9/2007",
        ),
    ),
    evidence=(
        Evidence(code="cloth_sample", name=Text(id="Contoh kain batik", en="Batik cloth sample")),
        Evidence(
            code="process_description",
            name=Text(id="Uraian proses (tulis, cap, kombinasi)", en="Process description"),
        ),
    ),
    expected_duration=ExpectedDuration(min_days=30, max_days=120),
    certificate=CertificateRule.text(),
    sources=("Permenperin 74/M-IND/PER/9/2007",),
)

_BUILTIN = {kind.code: kind for kind in BUILTIN_STEP_KINDS}

#: Packaging, then Batikmark, then the trademark (the office's letter makes it cheaper).
BATIK_PATHWAY = Pathway.chain(
    code="batik",
    name=Text(id="Batik bersertifikat", en="Certified batik"),
    sector="kriya",
    steps=(_BUILTIN["packaging"], BATIKMARK, _BUILTIN["trademark"]),
)


@attrs.frozen(kw_only=True)
class HasKbli(EligibilityRule):
    """The business is registered under one of the KBLI codes (any edition)."""

    name: ClassVar[str] = "has_kbli"
    code: ClassVar[str] = "eligibility.has_kbli"
    codes: tuple[str, ...] = attrs.field(converter=tuple)

    def describe(self) -> Text:
        """What the rule requires."""
        listed = ", ".join(self.codes)
        return Text(id=f"memiliki KBLI {listed}", en=f"registered under KBLI {listed}")

    def check(self, ctx: RuleContext) -> Verdict:
        """Pass when one of the business's KBLI codes is listed."""
        if any(k.code in self.codes for k in ctx.business.kbli):
            return PASS
        listed = ", ".join(self.codes)
        return self.fail(
            Text(id=f"Usaha tidak terdaftar dengan KBLI {listed}.", en=f"Not under KBLI {listed}.")
        )


def _markdown_cell(text: str) -> str:
    # A pipe ends a Markdown table cell and a line break ends the row.
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def write_markdown(table: Table, stream: IO[bytes], options: ExportOptions) -> None:
    """Write the table as a Markdown table, one line per row (streamed)."""
    headers = [_markdown_cell(c.header(options.header_lang)) for c in table.columns]
    stream.write(("| " + " | ".join(headers) + " |\n").encode())
    stream.write(("|" + "---|" * len(headers) + "\n").encode())
    renders = [c.type.render for c in table.columns]
    for row in table.rows:
        cells = [_markdown_cell(render(v)) for render, v in zip(renders, row, strict=True)]
        stream.write(("| " + " | ".join(cells) + " |\n").encode())


@hookimpl
def umkm_sectors() -> Iterator[Sector]:
    """The craft sector."""
    yield CRAFTS


@hookimpl
def umkm_certification_steps() -> Iterator[StepKind]:
    """The Batikmark step."""
    yield BATIKMARK


@hookimpl
def umkm_pathways() -> Iterator[Pathway]:
    """The batik pathway."""
    yield BATIK_PATHWAY


@hookimpl
def umkm_rules() -> Iterator[RuleFactory]:
    """The has_kbli rule."""
    yield RuleFactory(
        name="has_kbli",
        factory=HasKbli,
        params=(
            RuleParam(
                name="codes", type="list[str]", description=Text(id="kode KBLI", en="KBLI codes")
            ),
        ),
        description=Text(id="Terdaftar dengan KBLI tertentu", en="Registered under a KBLI code"),
    )


@hookimpl
def umkm_exporters() -> Iterator[Exporter]:
    """The Markdown catalogue."""
    yield Exporter(
        code="kriya-md",
        name=Text(id="Katalog Markdown", en="Markdown catalogue"),
        extension=".md",
        media_type="text/markdown",
        write=write_markdown,
    )
