"""Contract suites: subclass one per record your plugin registers, and pytest runs them.

Each suite loads a registry of the built-ins plus the class's ``plugins`` (never
entry points), looks up the record by its code and checks what umkm_core relies on.
Hypothesis drives the checks that depend on data: an exporter must handle any table,
round-trip it when its format is lossless, and never leave a formula cell; an importer
must read every good row, survive any junk, and keep good rows next to a bad one.
The built-in plugins pass these same suites (``tests/plugins``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import pathlib
import re
import tempfile
import tracemalloc
from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umkm_core import strategies as ust
from umkm_core._plugins import Registry, load_registry
from umkm_core.adapters.exchange import (
    Exporter,
    ExportOptions,
    ImportedRow,
    Importer,
    RowError,
    export_table,
    write_table,
)
from umkm_core.adapters.tables import Cell, Column, ColumnType, Table
from umkm_core.errors import UmkmError, ValidationError
from umkm_core.followup.kinds import StepKind
from umkm_core.followup.pathway import Pathway
from umkm_core.followup.records import StepRecord, StepStatus
from umkm_core.model.business import Business
from umkm_core.model.identifiers import KBLI
from umkm_core.model.kbli import KbliCodeList, known_divisions
from umkm_core.model.program import Program
from umkm_core.model.sectors import Sector
from umkm_core.rules.base import EligibilityRule, Rule, RuleContext, Verdict
from umkm_core.text import Text

__all__ = [
    "NON_LATIN_TEXT",
    "Contract",
    "ExporterContract",
    "ImporterContract",
    "KbliCodeListContract",
    "PathwayContract",
    "RuleContract",
    "SectorContract",
    "StepContract",
    "csv_cells",
    "is_formula_text",
    "xlsx_cells",
]

#: Text beyond ASCII that every exporter must carry unchanged: accents, Arabic (Arab
#: Pegon), Javanese script, Chinese, emoji, and a zero-width joiner sequence.
NON_LATIN_TEXT = (
    "Kafé Siti",
    "Warung Bu Dé",
    "مطعم سيتي",
    "ꦧꦠꦶꦏ꧀ ꦱꦶꦠꦶ",
    "烤肉店",
    "Toko 🙂 Roti",
    "Batik 👩🏽‍🍳",
)

# A plain number, with a decimal point or (Indonesian CSV) a decimal comma.
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?([eE][+-]?\d+)?$")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Text that spreadsheets run as formulas, mixed into generated tables.
FORMULA_ATTEMPTS = (
    "=1+1",
    '=HYPERLINK("http://example.invalid","klik")',
    "+62 812 3456",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    "'=already quoted",
    "=cmd|' /C calc'!A0",
)


def is_formula_text(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (plain numbers are fine)."""
    return text.startswith(_FORMULA_STARTS) and not _NUMBER.match(text)


def csv_cells(data: bytes) -> list[tuple[object, bool]]:
    """Every cell of a CSV file as ``(value, is_formula)``, header included."""
    text = data.decode("utf-8-sig", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    return [
        (cell, is_formula_text(cell))
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for cell in row
    ]


def xlsx_cells(data: bytes) -> list[tuple[object, bool]]:
    """Every cell of every sheet of an XLSX file as ``(value, is_formula)``."""
    import openpyxl  # noqa: PLC0415 - only for XLSX exporters

    workbook = openpyxl.load_workbook(io.BytesIO(data))  # not data_only: formulas stay
    found: list[tuple[object, bool]] = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                formula = cell.data_type == "f" or (
                    isinstance(cell.value, str) and is_formula_text(cell.value)
                )
                found.append((cell.value, formula))
    return found


def _run(max_examples: int) -> settings:
    current = settings.default.max_examples if settings.default is not None else max_examples
    return settings(max_examples=min(max_examples, current), deadline=None)


class Contract:
    """What every contract suite shares: the registry under test.

    :cvar plugins: the plugin objects (modules) under test, registered after the
        built-ins.
    :cvar blocklist: plugin names to block (e.g. a built-in your plugin replaces).
    :cvar max_examples: upper bound on Hypothesis examples per check.
    """

    plugins: ClassVar[Sequence[object]] = ()
    blocklist: ClassVar[Sequence[str]] = ()
    max_examples: ClassVar[int] = 100
    _registries: ClassVar[dict[type, Registry]] = {}

    @classmethod
    def registry(cls) -> Registry:
        """The registry of the built-ins plus :attr:`plugins`, loaded once per class."""
        if cls not in Contract._registries:
            Contract._registries[cls] = load_registry(
                plugins=cls.plugins, blocklist=cls.blocklist, autoload=False
            )
        return Contract._registries[cls]

    def test_plugins_load_without_problems(self) -> None:
        problems = [f"{p.plugin} ({p.stage}): {p.reason}" for p in self.registry().problems]
        assert problems == [], "plugins reported problems"

    def test_loading_twice_gives_the_same_registry(self) -> None:
        again = load_registry(plugins=self.plugins, blocklist=self.blocklist, autoload=False)
        first = self.registry()
        assert list(again.sectors.items()) == list(first.sectors.items())
        assert list(again.exporters) == list(first.exporters)
        assert list(again.importers) == list(first.importers)


class SectorContract(Contract):
    """Checks a sector registered through ``umkm_sectors``.

    :cvar sector_code: the code of the sector under test.
    """

    sector_code: ClassVar[str]

    def sector(self) -> Sector:
        """The sector under test."""
        return self.registry().sector(self.sector_code)

    def test_sector_is_registered_under_its_code(self) -> None:
        assert self.sector().code == self.sector_code

    def test_sector_names_the_kbli_codes_it_covers(self) -> None:
        assert self.sector().kbli, "a sector must name at least one KBLI code"

    def test_sector_names_nice_classes_for_trademarks(self) -> None:
        assert self.sector().nice_classes, "trademark steps need the sector's Nice classes"

    def test_sector_covers_exactly_its_kbli_codes(self) -> None:
        sector = self.sector()

        own = st.sampled_from(sorted(sector.kbli)) if sector.kbli else ust.kblis()

        @_run(self.max_examples)
        @given(ust.kblis() | own)
        def check(kbli: KBLI) -> None:
            assert sector.covers(kbli) == (kbli in sector.kbli)

        check()


def _identical(column: Column, original: Cell, read_back: object) -> bool:
    if original == "":
        original = None  # text formats cannot tell an empty string from no value
    if column.type is ColumnType.DATETIME and original is not None and read_back is not None:
        return bool(original == read_back)
    return type(original) is type(read_back) and original == read_back


class KbliCodeListContract(Contract):
    """Checks the KBLI code list of one edition registered through ``umkm_kbli_codes``.

    An office's list is BPS's whole list: with it registered, every roster code outside
    it is refused. The checks catch an extract or a damaged export (a spreadsheet that
    dropped the leading zeros of agriculture) before the rosters do.

    :cvar edition: the edition of the list under test (2020 or 2025).
    :cvar complete: the list is BPS's whole list; for KBLI 2020 it then has codes in
        every one of the edition's 88 divisions. ``False`` for a deliberate extract.
    """

    edition: ClassVar[int]
    complete: ClassVar[bool] = True

    def code_list(self) -> KbliCodeList:
        """The list under test."""
        codes = self.registry().kbli_code_list(self.edition)
        assert codes is not None, f"no KBLI {self.edition} code list is registered"
        return codes

    def test_code_list_is_registered_for_its_edition(self) -> None:
        assert self.code_list().edition.value == self.edition

    def test_code_list_names_its_source_and_a_past_date(self) -> None:
        codes = self.code_list()
        assert codes.source.strip(), "a KBLI list must say where it comes from"
        assert codes.published <= dt.date.today(), "a KBLI list cannot be from the future"

    def test_every_registered_sector_names_only_listed_codes(self) -> None:
        left_out = [p.reason for p in self.registry().problems if p.code == "plugin.unknown_kbli"]
        assert left_out == [], "sectors were left out for codes the list lacks"

    def test_a_complete_kbli_2020_list_has_codes_in_every_division(self) -> None:
        divisions = known_divisions(self.edition)
        if not self.complete or divisions is None:
            return
        covered = {code[:2] for code in self.code_list().codes}
        missing = sorted(divisions - covered)
        assert missing == [], "divisions without a code: an extract, or lost leading zeros"

    def test_code_list_accepts_exactly_its_own_codes(self) -> None:
        codes = self.code_list()
        own = st.sampled_from(sorted(codes.codes))

        @_run(self.max_examples)
        @given(own | ust.kblis(edition=self.edition).map(lambda k: k.code))
        def check(code: str) -> None:
            if code in codes.codes:
                assert KBLI.parse(code, self.edition, codes=codes).code == code
            else:
                with pytest.raises(ValidationError, match=r"^kbli\.unknown_code "):
                    KBLI.parse(code, self.edition, codes=codes)

        check()


class ExporterContract(Contract):
    """Checks an export format registered through ``umkm_exporters``.

    :cvar exporter_code: the code of the exporter under test.
    :cvar round_trip_importer: the code of an importer that reads the format back
        losslessly, or ``None`` when the format is one-way (a report, a catalogue).
    :cvar lossless_text: the text the round trip must preserve (``None``: any text).
    :cvar streams: the exporter writes rows as they come, holding a bounded number
        (checked by memory use); ``False`` for a format that must see the whole table.
    """

    exporter_code: ClassVar[str]
    round_trip_importer: ClassVar[str | None] = None
    lossless_text: ClassVar[st.SearchStrategy[str] | None] = None
    streams: ClassVar[bool] = True

    def exporter(self) -> Exporter:
        """The exporter under test."""
        return self.registry().exporter(self.exporter_code)

    def cells(self, data: bytes) -> list[tuple[object, bool]]:
        """The cells of an exported file as ``(value, is_formula)``.

        Known for ``.csv`` and ``.xlsx``; override it for other spreadsheet formats.
        """
        extension = self.exporter().extension
        if extension in (".csv", ".tsv", ".txt"):
            return csv_cells(data)
        if extension in (".xlsx", ".xlsm"):
            return xlsx_cells(data)
        raise NotImplementedError(
            f"{type(self).__name__}.cells(): say how to read the cells of {extension} files"
        )

    def text(self, data: bytes) -> str:
        """The exported file as searchable text (the cells for spreadsheets)."""
        if self.exporter().spreadsheet:
            return "\n".join(str(value) for value, _ in self.cells(data))
        return data.decode("utf-8", errors="replace")

    def write(
        self, table: Table, *, reveal: bool = False, options: ExportOptions | None = None
    ) -> bytes:
        """Export ``table`` to bytes through the host, as the library would."""
        stream = io.BytesIO()
        write_table(table, stream, self.exporter(), reveal_personal_data=reveal, options=options)
        return stream.getvalue()

    def test_exporter_is_registered_under_its_code(self) -> None:
        assert self.exporter().code == self.exporter_code

    def test_exporter_handles_any_table(self) -> None:
        @_run(self.max_examples)
        @given(
            ust.tables(),
            st.builds(
                ExportOptions,
                delimiter=st.sampled_from([",", ";", "\t"]),
                header=st.sampled_from(["title", "name"]),
                lang=st.sampled_from(["id", "en"]),
            ),
            st.booleans(),
        )
        def check(table: Table, options: ExportOptions, reveal: bool) -> None:
            rows = list(table.rows)
            stream = io.BytesIO()
            written = write_table(
                table.with_rows(iter(rows)),  # a one-pass stream, as in production
                stream,
                self.exporter(),
                reveal_personal_data=reveal,
                options=options,
            )
            assert written == len(rows)

        check()

    def test_exporter_never_writes_a_formula_cell(self) -> None:
        if not self.exporter().spreadsheet:
            return  # a format no spreadsheet opens cannot carry a formula
        formulas = st.sampled_from(FORMULA_ATTEMPTS)

        @_run(self.max_examples)
        @given(
            ust.tables(text=formulas | st.text(), max_rows=8),
            st.booleans(),
        )
        def check(table: Table, reveal: bool) -> None:
            data = self.write(table, reveal=reveal)
            assert not [v for v, formula in self.cells(data) if formula]

        check()

    def test_exporter_never_receives_unmasked_personal_data(self) -> None:
        secrets = ("Siti Rahayu Wulandari", "3671054508900001", "+6281234567890")
        table = Table(
            name="personal",
            columns=(
                Column(name="id", title=Text(id="ID", en="ID")),
                Column(name="secret", title=Text(id="Rahasia", en="Secret"), personal=True),
            ),
            rows=[(f"B{i}", s) for i, s in enumerate(secrets)],
        )
        masked = self.text(self.write(table))
        assert not [s for s in secrets if s in masked]
        revealed = self.text(self.write(table.with_rows(list(table.rows)), reveal=True))
        assert "B0" in revealed

    def test_exporter_writes_files_atomically(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            target = pathlib.Path(folder) / f"report{self.exporter().extension}"
            target.write_bytes(b"old report")
            column = Column(name="n", title=Text(id="N", en="N"), type=ColumnType.INTEGER)
            bad = Table(name="bad", columns=(column,), rows=[(1,), ("not a number",)])
            with pytest.raises(ValidationError, match=r"table\.bad_cell"):
                export_table(bad, target, self.exporter())
            assert target.read_bytes() == b"old report"
            good = Table(name="good", columns=(column,), rows=[(1,), (2,)])
            result = export_table(good, target, self.exporter())
            assert result.rows == 2
            assert target.read_bytes() != b"old report"
            assert sorted(p.name for p in pathlib.Path(folder).iterdir()) == [target.name]

    def test_exporter_round_trips_where_lossless(self) -> None:
        if self.round_trip_importer is None:
            return  # a one-way format: nothing to read back
        importer = self.registry().importer(self.round_trip_importer)

        @_run(self.max_examples)
        @given(ust.tables(text=self.lossless_text, max_rows=10))
        def check(table: Table) -> None:
            rows = list(table.rows)
            data = self.write(
                table.with_rows(rows), reveal=True, options=ExportOptions(header="name")
            )
            expected = [r for r in rows if any(v not in (None, "") for v in r)]
            results = list(importer.read(io.BytesIO(data)))
            assert all(isinstance(r, ImportedRow) for r in results), results
            assert len(results) == len(expected)
            for result, row in zip(results, expected, strict=True):
                assert isinstance(result, ImportedRow)
                for column, original in zip(table.columns, row, strict=True):
                    back = column.type.parse(result.values.get(column.name))
                    assert _identical(column, original, back), (column, original, back)

        check()

    def read_back(self, data: bytes) -> list[Mapping[str, object]]:
        """The data rows of an exported file (written with machine-name headers).

        Uses :attr:`round_trip_importer` when set, else knows CSV, XLSX, JSON and JSON
        Lines; override it for any other format, even a one-way one: the kit compares
        every cell it reads back with the table it gave.
        """
        if self.round_trip_importer is not None:
            importer = self.registry().importer(self.round_trip_importer)
            results = list(importer.read(io.BytesIO(data)))
            assert all(isinstance(r, ImportedRow) for r in results), "rows not read back"
            return [r.values for r in results if isinstance(r, ImportedRow)]
        extension = self.exporter().extension
        if extension in (".csv", ".tsv", ".txt"):
            text = data.decode("utf-8-sig")
            first = text.split("\n", 1)[0]
            delimiter = max((",", ";", "\t"), key=first.count)
            return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
        if extension in (".xlsx", ".xlsm"):
            import openpyxl  # noqa: PLC0415 - only for XLSX exporters

            sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
            values = [list(row) for row in sheet.iter_rows(values_only=True)]
            names = [str(name) for name in values[0]] if values else []
            return [dict(zip(names, row, strict=False)) for row in values[1:]]
        if extension == ".json":
            return list(json.loads(data))
        if extension in (".jsonl", ".ndjson"):
            return [json.loads(line) for line in data.splitlines() if line.strip()]
        raise NotImplementedError(
            f"{type(self).__name__}.read_back(): say how to read {extension} files back"
        )

    def test_exporter_writes_every_row_and_every_cell_as_given(self) -> None:
        table = _every_kind_of_cell_table(rows=30)
        expected = list(table.rows)
        data = self.write(table, reveal=True, options=ExportOptions(header="name"))
        back = self.read_back(data)
        assert len(back) == len(expected), f"{len(back)} rows read back, {len(expected)} given"
        for number, (row, original) in enumerate(zip(back, expected, strict=True), start=1):
            for column, cell in zip(table.columns, original, strict=True):
                value = _parsed(column, row.get(column.name))
                assert _identical(column, cell, value), (number, column.name, cell, value)

    def test_exporter_streams_rows_without_collecting_them(self) -> None:
        if not self.streams:
            return  # the format must hold the table (declared by the suite)
        self.write(_big_rows_table(rows=10, size=10))  # imports and caches, out of the count
        rows, size = 2_000, 10_000
        with tempfile.TemporaryFile() as file:
            tracemalloc.start()
            try:
                write_table(_big_rows_table(rows=rows, size=size), file, self.exporter())
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
        assert peak < rows * size / 3, (
            f"writing {rows * size >> 20} MB of rows took {peak >> 20} MB of memory: "
            "the exporter collects rows instead of streaming them"
        )


_MISSING = object()


def _parsed(column: Column, value: object) -> object:
    try:
        return column.type.parse(value)
    except UmkmError:
        return _MISSING  # read back as something the column cannot hold


def _every_kind_of_cell_table(rows: int) -> Table:
    columns = (
        Column(name="id", title=Text(id="ID", en="ID"), nullable=False),
        Column(name="name", title=Text(id="Nama", en="Name"), nullable=False),
        Column(name="note", title=Text(id="Catatan", en="Note")),
        Column(name="count", title=Text(id="Jumlah", en="Count"), type=ColumnType.INTEGER),
        Column(name="day", title=Text(id="Tanggal", en="Day"), type=ColumnType.DATE),
    )

    def row(i: int) -> tuple[Cell, ...]:
        text = NON_LATIN_TEXT[i % len(NON_LATIN_TEXT)]
        return (
            f"B{i:03d}",
            text,
            None if i % 2 else NON_LATIN_TEXT[(i + 3) % len(NON_LATIN_TEXT)],
            None if i % 3 == 1 else i * 1_000,
            None if i % 3 == 2 else dt.date(2017, 12, 1 + i % 28),
        )

    return Table(name="cells", columns=columns, rows=[row(i) for i in range(rows)])


def _big_rows_table(rows: int, size: int) -> Table:
    columns = (
        Column(name="id", title=Text(id="ID", en="ID")),
        Column(name="text", title=Text(id="Teks", en="Text")),
    )

    def generate() -> Iterable[tuple[Cell, ...]]:
        for i in range(rows):  # every row fresh: a collecting exporter holds them all
            yield (f"B{i}", (f"{i:08d}" * (size // 8 + 1))[:size])

    return Table(name="big", columns=columns, rows=generate())


def _text_table(header: Sequence[str], rows: Iterable[Sequence[str | None]]) -> Table:
    columns = tuple(Column(name=h, title=Text(id=h, en=h)) for h in header)
    return Table(name="roster", columns=columns, rows=[tuple(r) for r in rows])


class ImporterContract(Contract):
    """Checks a roster format registered through ``umkm_importers``.

    :cvar importer_code: the code of the importer under test.
    :cvar cell_text: text the format carries (``None``: any text).
    """

    importer_code: ClassVar[str]
    cell_text: ClassVar[st.SearchStrategy[str] | None] = None

    def importer(self) -> Importer:
        """The importer under test."""
        return self.registry().importer(self.importer_code)

    def encode(self, header: Sequence[str], rows: Sequence[Sequence[str | None]]) -> bytes:
        """A file in the importer's format holding ``rows`` under ``header``.

        By default the exporter with the same code writes it; override for a format
        umkm_core cannot write.
        """
        stream = io.BytesIO()
        exporter = self.registry().exporter(self.importer_code)
        write_table(
            _text_table(header, rows),
            stream,
            exporter,
            reveal_personal_data=True,
            options=ExportOptions(header="name"),
        )
        return stream.getvalue()

    def sample_with_bad_row(self) -> tuple[bytes, set[int], int]:
        """A file with at least one bad row among good ones.

        :returns: the file, the row numbers that must be reported, and how many good
            rows must be kept.
        """
        raise NotImplementedError(
            f"{type(self).__name__}.sample_with_bad_row(): give a file with a bad row"
        )

    def test_importer_is_registered_under_its_code(self) -> None:
        assert self.importer().code == self.importer_code

    def test_importer_reads_every_good_row(self) -> None:
        names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
        text = self.cell_text if self.cell_text is not None else st.text()

        @_run(self.max_examples)
        @given(st.lists(names, min_size=1, max_size=5, unique=True).flatmap(
            lambda header: st.tuples(
                st.just(header),
                st.lists(st.lists(st.none() | text, min_size=len(header), max_size=len(header)),
                         max_size=10),
            )
        ))  # fmt: skip
        def check(sample: tuple[list[str], list[list[str | None]]]) -> None:
            header, rows = sample
            data = self.encode(header, rows)
            results = list(self.importer().read(io.BytesIO(data)))
            expected = [r for r in rows if any(v not in (None, "") for v in r)]
            assert [type(r) for r in results] == [ImportedRow] * len(expected)
            numbers = [r.row for r in results]
            assert numbers == sorted(set(numbers))
            for result, row in zip(results, expected, strict=True):
                assert isinstance(result, ImportedRow)
                assert [result.values.get(h) for h in header] == [v or None for v in row]

        check()

    def test_importer_survives_any_bytes(self) -> None:
        @_run(self.max_examples)
        @given(st.binary(max_size=300))
        def check(junk: bytes) -> None:
            try:
                for result in self.importer().read(io.BytesIO(junk)):
                    assert isinstance(result, ImportedRow | RowError)
            except ValidationError:
                pass  # a whole-file problem, reported with our error

        check()

    def test_importer_reports_a_bad_row_and_keeps_the_others(self) -> None:
        data, bad_rows, good = self.sample_with_bad_row()
        results = list(self.importer().read(io.BytesIO(data)))
        errors = {r.row for r in results if isinstance(r, RowError)}
        assert errors == bad_rows
        assert sum(isinstance(r, ImportedRow) for r in results) == good
        for r in results:
            if isinstance(r, RowError):
                assert r.error.code.startswith("import.")
                assert f"row {r.row}" in (r.error.field or "")


class StepContract(Contract):
    """Checks a follow-up step kind registered through ``umkm_certification_steps``.

    :cvar step_code: the code of the step kind under test.
    """

    step_code: ClassVar[str]

    def step(self) -> StepKind:
        """The step kind under test."""
        return self.registry().step(self.step_code)

    def test_step_is_registered_under_its_code(self) -> None:
        assert self.step().code == self.step_code

    def test_step_requires_only_registered_steps(self) -> None:
        steps = self.registry().steps
        assert [code for code in self.step().requires if code not in steps] == []

    def test_step_has_a_validity_rule_from_its_first_rule_onwards(self) -> None:
        kind = self.step()
        first = min(rule.effective_from for rule in kind.validity)

        @_run(self.max_examples)
        @given(st.dates(min_value=first, max_value=dt.date(2100, 12, 31)))
        def check(day: dt.date) -> None:
            kind.validity_on(day)

        check()

    def test_step_certificate_example_is_accepted(self) -> None:
        rule = self.step().certificate
        if rule.example:
            assert rule.check(rule.example, None) is not None

    def test_step_records_reach_every_status_by_legal_transitions(self) -> None:
        kind = self.step()

        @_run(self.max_examples)
        @given(ust.step_records(kinds=st.just(kind)))
        def check(record: StepRecord) -> None:
            assert record.kind == kind
            assert record.status in StepStatus

        check()


class PathwayContract(Contract):
    """Checks a pathway registered through ``umkm_pathways``.

    :cvar pathway_code: the code of the pathway under test.
    """

    pathway_code: ClassVar[str]

    def pathway(self) -> Pathway:
        """The pathway under test."""
        return self.registry().pathway(self.pathway_code)

    def test_pathway_is_registered_under_its_code(self) -> None:
        assert self.pathway().code == self.pathway_code

    def test_pathway_serves_a_registered_sector(self) -> None:
        assert self.pathway().sector in self.registry().sectors

    def test_pathway_uses_the_registered_steps(self) -> None:
        steps = self.registry().steps
        assert [k.code for k in self.pathway().steps if steps.get(k.code) != k] == []

    def test_pathway_order_puts_every_step_after_its_prerequisites(self) -> None:
        pathway = self.pathway()
        position = {k.code: i for i, k in enumerate(pathway.order)}
        assert sorted(position) == sorted(k.code for k in pathway.steps)
        for kind in pathway.steps:
            for before in pathway.prerequisites(kind.code):
                assert position[before] < position[kind.code]


class RuleContract(Contract):
    """Checks a rule factory registered through ``umkm_rules``.

    :cvar rule_name: the name programme files use.
    :cvar example: parameters for one example rule (without the ``rule`` key).
    """

    rule_name: ClassVar[str]
    example: ClassVar[Mapping[str, object]] = {}

    def build(self) -> Rule:
        """The example rule, built as a programme file would build it."""
        return self.registry().rule_from_data({"rule": self.rule_name, **self.example})

    def test_rule_is_registered_under_its_name(self) -> None:
        assert self.registry().rule_factory(self.rule_name).name == self.rule_name

    def test_rule_builds_from_a_programme_file_and_back(self) -> None:
        rule = self.build()
        assert rule.name == self.rule_name
        assert self.registry().rule_from_data(rule.to_data()) == rule

    def test_rule_describes_itself_in_both_languages(self) -> None:
        text = self.build().describe()
        assert text.id.strip()
        assert text.en.strip()

    def test_rule_answers_for_any_applicant_with_its_own_reason_code(self) -> None:
        rule = self.build()
        if not isinstance(rule, EligibilityRule):
            return  # capacity rules are judged by the allocation engine's own tests

        @_run(self.max_examples)
        @given(
            ust.businesses(), ust.programs(), st.dates(dt.date(2017, 1, 1), dt.date(2030, 1, 1))
        )
        def check(business: Business, program: Program, as_of: dt.date) -> None:
            ctx = RuleContext(business=business, program=program, as_of=as_of)
            if rule.is_per_wave:
                ctx = ctx.at_wave(program.waves[0])
            verdict = rule.check(ctx)
            assert isinstance(verdict, Verdict)
            if not verdict.passed:
                assert verdict.reasons
                assert all(reason.text.id and reason.text.en for reason in verdict.reasons)

        check()


# Over 500 lines on purpose: one contract suite per hook, kept together as one kit.
