"""The plugin contract: the hooks a package implements to extend umkm_core.

A plugin is a module (or any object) with functions named like the hooks below and
marked with :data:`umkm_core.hookimpl`. Publish it under the ``umkm_core`` entry-point
group of your package and umkm_core finds it when :func:`umkm_core.load_registry` runs::

    # pyproject.toml of your package
    [project.entry-points.umkm_core]
    jamu = "umkm_jamu.plugin"

Registration hooks take no arguments and return (or yield) frozen records. Each is called
once per load; the host checks every record, sorts by code and refuses two plugins that
register the same code. Arguments may be added to a hook later, never removed: a plugin
only declares the arguments it uses.
"""

from collections.abc import Iterable

import pluggy

from umkm_core.adapters.exchange import Exporter, Importer
from umkm_core.audit import AuditAttribute
from umkm_core.followup.kinds import StepKind
from umkm_core.followup.pathway import Pathway
from umkm_core.model.kbli import KbliCodeList
from umkm_core.model.regions import District
from umkm_core.model.sectors import Sector
from umkm_core.rules.base import RuleFactory

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

#: The pluggy project name, also the entry-point group.
PROJECT_NAME = "umkm_core"

#: Marks a hook specification (umkm_core's own; plugins use :data:`hookimpl`).
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
#: Marks a plugin's hook implementation; also importable as ``umkm_core.hookimpl``.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def umkm_sectors() -> Iterable[Sector]:
    """Register sectors (sektor) that businesses, programmes and rules refer to by code.

    Example plugin (a module ``umkm_jamu/plugin.py``)::

        from collections.abc import Iterator

        from umkm_core import KBLI, Sector, Text, hookimpl


        @hookimpl
        def umkm_sectors() -> Iterator[Sector]:
            yield Sector(
                code="jamu",
                name=Text(id="Jamu dan minuman herbal", en="Herbal drinks"),
                kbli=frozenset({KBLI.parse("11040"), KBLI.parse("10799")}),
                nice_classes=frozenset({5, 30, 32}),
                description=Text(id="Jamu gendong dan kemasan", en="Traditional tonics"),
                aliases=frozenset({"jamu gendong", "herbal"}),
            )

    A sector's ``aliases`` are the other words rosters use for it; the roster reader
    recognises them, the code and both names (ignoring case, spaces and punctuation).

    :returns: the sectors; codes must be unique across all plugins.
    """
    yield from ()


@hookspec
def umkm_districts() -> Iterable[District]:
    """Register districts (kecamatan) that a roster may name instead of a region code.

    Each office brings its own: Kota Tangerang's 13 districts are one built-in plugin
    (``umkm_core.regions``), which another office can block and replace.

    Example plugin (a module ``umkm_pekalongan/plugin.py``)::

        from collections.abc import Iterator

        from umkm_core import District, RegionCode, hookimpl

        NAMES = ["Pekalongan Barat", "Pekalongan Timur", "Pekalongan Selatan"]


        @hookimpl
        def umkm_districts() -> Iterator[District]:
            for n, name in enumerate(NAMES, start=1):
                yield District(region=RegionCode(f"3375{n:02d}"), name=name)
            yield District(
                region=RegionCode("337504"),
                name="Pekalongan Utara",
                aliases=frozenset({"Pekalongan Utr"}),
            )

    :returns: the districts; region codes must be unique across all plugins.
    """
    yield from ()


@hookspec
def umkm_kbli_codes() -> Iterable[KbliCodeList]:
    """Register the list of known KBLI codes of an edition (2020 or 2025), one per edition.

    umkm_core ships no list: BPS publishes them. With a list registered, every KBLI code
    read from a roster is checked against the list of its edition
    (``kbli.unknown_code``), and a sector naming a code the list lacks is left out and
    reported: a list must hold every code the registered sectors name. Without one only
    the shape and, for KBLI 2020, the division are checked. An office usually reads its
    copy of the BPS file with ``read_kbli_code_list``.

    Example plugin (a module ``umkm_kbli_kantor/plugin.py``)::

        import datetime as dt
        from collections.abc import Iterator

        from umkm_core import KbliCodeList, hookimpl


        # An extract: the codes of the built-in sectors. The BPS list has about 1,800;
        # an office's plugin reads its copy of the file instead:
        #     yield read_kbli_code_list(Path(__file__).with_name("kbli-2020.csv"))
        CODES = (
            "10710 10750 10792 10794 10796 10799 11040 56101 56102 56210 "
            "14111 14120 14302 15121 15201 47111 47191 95230 96011"
        )


        @hookimpl
        def umkm_kbli_codes() -> Iterator[KbliCodeList]:
            yield KbliCodeList(
                edition=2020,
                codes=frozenset(CODES.split()),
                source="Peraturan BPS Nomor 2 Tahun 2020 (extract)",
                published=dt.date(2020, 6, 26),
            )

    :returns: the lists; at most one per edition across all plugins.
    """
    yield from ()


@hookspec
def umkm_certification_steps() -> Iterable[StepKind]:
    """Register kinds of follow-up step (certifications, registrations, coaching steps).

    A step kind is data: who issues it, how long it stays valid (dated rules), when it
    can be renewed, which steps must come first, the criteria and evidence. Pathways
    and step records refer to it by ``code``.

    Example plugin (a module ``umkm_sni/plugin.py``)::

        from collections.abc import Iterator

        from umkm_core import (
            CertificateRule, StepKind, Text, Validity, ValidityRule, hookimpl,
        )


        @hookimpl
        def umkm_certification_steps() -> Iterator[StepKind]:
            yield StepKind(
                code="sni",
                name=Text(id="Sertifikasi SNI", en="SNI certification"),
                authority=Text(id="Lembaga Sertifikasi Produk", en="Product certifier"),
                validity=(
                    ValidityRule(validity=Validity.fixed(years=4), source="PP 34/2018"),
                ),
                requires=("packaging",),
                certificate=CertificateRule.text(),
            )

    :returns: the step kinds; codes must be unique across all plugins.
    """
    yield from ()


@hookspec
def umkm_pathways() -> Iterable[Pathway]:
    """Register pathways: the order in which a sector's businesses take their steps.

    Every step of a pathway must be a registered step kind (the same record), and its
    ``sector`` a registered sector; a pathway that breaks either is left out and
    reported. A sector lists its default pathways in ``Sector.default_pathways``.

    Example plugin (a module ``umkm_jamu/pathways.py``)::

        from collections.abc import Iterator

        from umkm_core import BUILTIN_STEP_KINDS, Pathway, Text, hookimpl

        STEPS = {kind.code: kind for kind in BUILTIN_STEP_KINDS}


        @hookimpl
        def umkm_pathways() -> Iterator[Pathway]:
            yield Pathway.chain(
                code="food-halal-first",
                name=Text(id="Pangan, halal dahulu", en="Food, halal first"),
                sector="kuliner",
                steps=(STEPS["packaging"], STEPS["halal"], STEPS["trademark"]),
            )

    :returns: the pathways; codes must be unique across all plugins.
    """
    yield from ()


@hookspec
def umkm_rules() -> Iterable[RuleFactory]:
    """Register named rule factories that programme files can refer to.

    A programme file writes ``{rule = "makes_flagship_product", min_count = 1}``; the
    factory registered under that ``name`` builds the rule (see
    :mod:`umkm_core.rules.base` for writing the rule class itself).

    Example plugin (a module ``umkm_flagship/plugin.py``)::

        from collections.abc import Iterator
        from typing import ClassVar

        import attrs

        from umkm_core import RuleFactory, RuleParam, Text, hookimpl
        from umkm_core.rules import PASS, EligibilityRule, RuleContext, Verdict


        @attrs.frozen(kw_only=True)
        class MakesFlagshipProduct(EligibilityRule):
            name: ClassVar[str] = "makes_flagship_product"
            code: ClassVar[str] = "eligibility.makes_flagship_product"
            min_count: int = 1

            def describe(self) -> Text:
                return Text(id=f"membuat minimal {self.min_count} produk unggulan daerah",
                            en=f"makes at least {self.min_count} regional flagship product(s)")

            def check(self, ctx: RuleContext) -> Verdict:
                count = sum(p.flagship for p in ctx.business.products)
                if count >= self.min_count:
                    return PASS
                return self.fail(Text(id="Belum membuat produk unggulan daerah.",
                                      en="Makes no regional flagship product yet."))


        @hookimpl
        def umkm_rules() -> Iterator[RuleFactory]:
            yield RuleFactory(
                name="makes_flagship_product",
                factory=MakesFlagshipProduct,
                params=(RuleParam(name="min_count", type="int",
                                  description=Text(id="jumlah minimal", en="minimum count")),),
                description=Text(id="Membuat produk unggulan daerah",
                                 en="Makes a regional flagship product"),
            )

    A factory may also give ``columnar=`` (a Polars form of the rule, used by
    :mod:`umkm_core.bulk` screening; see docs/screening.md); without it, screening
    judges the rule row by row.

    :returns: the rule factories; names must be unique across all plugins.
    """
    yield from ()


@hookspec
def umkm_exporters() -> Iterable[Exporter]:
    r"""Register export formats.

    ``write(table, stream, options)`` receives a checked :class:`~umkm_core.Table` whose
    personal columns are already masked (unless the caller revealed them) and, when
    ``spreadsheet=True``, whose text cells are already safe from formula injection. It
    must stream: iterate ``table.rows`` once and never collect them.

    Example plugin (a module ``umkm_tsv/plugin.py``)::

        import csv
        import io
        from collections.abc import Iterator
        from typing import IO

        from umkm_core import ExportOptions, Exporter, Table, Text, hookimpl


        def write_tsv(table: Table, stream: IO[bytes], options: ExportOptions) -> None:
            text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
            writer = csv.writer(text, delimiter="\t", lineterminator="\n")
            writer.writerow([c.header(options.header_lang) for c in table.columns])
            for row in table.rows:
                writer.writerow(
                    [c.type.render(v) for c, v in zip(table.columns, row, strict=True)]
                )
            text.flush()
            text.detach()  # the host owns the stream and closes it


        @hookimpl
        def umkm_exporters() -> Iterator[Exporter]:
            yield Exporter(
                code="tsv",
                name=Text(id="Teks dipisah tab", en="Tab-separated text"),
                extension=".tsv",
                media_type="text/tab-separated-values",
                write=write_tsv,
                spreadsheet=True,
            )

    :returns: the exporters; codes must be unique across all plugins.
    """
    yield from ()


@hookspec
def umkm_importers() -> Iterable[Importer]:
    r"""Register roster formats that can be read row by row.

    ``read(stream)`` yields an :class:`~umkm_core.ImportedRow` (row number as people
    see it, header 1; raw values by header) or a :class:`~umkm_core.RowError` for every
    data row, so bad rows are reported and good rows kept. Problems with the whole file
    raise :class:`~umkm_core.ValidationError`.

    Example plugin (a module ``umkm_tsv/reader.py``)::

        import csv
        import io
        from collections.abc import Iterator
        from typing import IO

        from umkm_core import ImportedRow, Importer, RowResult, Text, hookimpl


        def read_tsv(stream: IO[bytes]) -> Iterator[RowResult]:
            text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
            reader = csv.reader(text, delimiter="\t")
            header = next(reader, [])
            for number, cells in enumerate(reader, start=2):
                values = {h: (c or None) for h, c in zip(header, cells, strict=False)}
                yield ImportedRow(row=number, values=values)


        @hookimpl
        def umkm_importers() -> Iterator[Importer]:
            yield Importer(
                code="tsv",
                name=Text(id="Teks dipisah tab", en="Tab-separated text"),
                extensions=(".tsv",),
                read=read_tsv,
            )

    :returns: the importers; codes must be unique across all plugins.
    """
    yield from ()


@hookspec
def umkm_audit_attributes() -> Iterable[AuditAttribute]:
    """Register attributes that the fairness audit groups applicants by.

    The audit always groups by district, owner's sex, size class and sector; an office
    adds its own (a disability register, a village programme). ``value_of`` gives a
    business's group, or ``None`` when unknown; it must never return personal data.

    Example plugin (a module ``umkm_nib_audit/plugin.py``)::

        from collections.abc import Iterator

        from umkm_core import Text, hookimpl
        from umkm_core.audit import AuditAttribute


        @hookimpl
        def umkm_audit_attributes() -> Iterator[AuditAttribute]:
            yield AuditAttribute(
                code="has_nib",
                title=Text(id="Punya NIB", en="Has an NIB"),
                value_of=lambda business: "ya" if business.nib is not None else "tidak",
                label_of=lambda value: Text(id=value, en={"ya": "yes"}.get(value, "no")),
            )

    :returns: the attributes; codes must be unique across all plugins.
    """
    yield from ()
