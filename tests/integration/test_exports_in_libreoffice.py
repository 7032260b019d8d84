"""CSV and XLSX exports opened by LibreOffice Calc itself: no digit lost, no formula, types kept.

Debian's libreoffice-calc (installed by ``make system-deps``) opens each export headless,
as a person double-clicking it would (CSV: the Text Import settings of the file's
language), and saves it as ODS; every cell Calc made is then checked against the table
exported: identifiers keep every digit (16-digit NIK and NPWP, 13-digit NIB, phone
numbers with a leading 0), text that looks like a formula stays text, dates are dates,
Rupiah amounts are numbers.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from pathlib import Path

import pytest

from lo_support import ENGLISH, INDONESIAN, CalcCell, csv_filter, open_in_calc
from umkm_core import (
    Column,
    ColumnType,
    ExportOptions,
    Table,
    Text,
    export_table,
    load_registry,
)
from umkm_core.adapters.tables import Cell, restore_formula

WIB = dt.timezone(dt.timedelta(hours=7))


def _col(name: str, type: ColumnType = ColumnType.TEXT, *, personal: bool = False) -> Column:
    return Column(name=name, title=Text(id=name, en=name), type=type, personal=personal)


COLUMNS = (
    _col("id"),
    _col("nik", personal=True),
    _col("npwp", personal=True),
    _col("nib"),
    _col("phone", personal=True),
    _col("phone_e164", personal=True),
    _col("kbli"),
    _col("name"),
    _col("street"),
    _col("registered_on", ColumnType.DATE),
    _col("annual_sales", ColumnType.INTEGER),
    _col("grant_amount", ColumnType.DECIMAL),
    _col("binaan", ColumnType.BOOLEAN),
    _col("applied_at", ColumnType.DATETIME),
)
ROWS: list[tuple[Cell, ...]] = [
    (
        "TNG-00001",
        "3671076309881972",
        "0123456789012345",  # 16-digit NPWP of a non-individual: leading 0
        "0123456789012",  # 13-digit NIB with a leading 0
        "081234567890",
        "+6281234567890",
        "01111",  # KBLI 2020 of agriculture: a leading 0
        "=1+1",
        'Jl. "Cisadane"; No. 1, RT 01',
        dt.date(2017, 12, 19),
        233_000_000,
        decimal.Decimal("1500000.50"),
        True,
        dt.datetime(2017, 11, 20, 8, 7, tzinfo=WIB),
    ),
    (
        "TNG-00002",
        "3671111408790163",
        None,
        "9627892417841",
        "0874-2775-1578",
        None,
        "10710 10792",
        '@SUM(A1) =HYPERLINK("x")',
        "-2+3",
        dt.date(2018, 1, 2),
        0,
        decimal.Decimal("0.25"),
        False,
        None,
    ),
    (
        "TNG-00003",
        None,
        None,
        None,
        None,
        None,
        None,
        "Dodol Siti",
        None,
        None,
        None,
        None,
        None,
        None,
    ),
]


def _export(folder: Path, code: str, options: ExportOptions) -> Path:
    registry = load_registry(autoload=False)
    target = folder / f"ekspor.{code}"
    table = Table(name="ekspor", columns=COLUMNS, rows=list(ROWS))
    export_table(
        table, target, registry.exporter(code), reveal_personal_data=True, options=options
    )
    return target


def _check_every_cell(calc: Sequence[Sequence[CalcCell]], *, booleans: str) -> None:
    """Every cell Calc made, against the table; ``booleans`` says how true/false arrive."""
    assert [c.value for c in calc[0]] == [c.name for c in COLUMNS]
    assert len(calc) == 1 + len(ROWS)
    for number, (row, cells) in enumerate(zip(ROWS, calc[1:], strict=True), start=2):
        padded = [*cells, *[CalcCell(None, None, None)] * (len(COLUMNS) - len(cells))]
        for column, value, cell in zip(COLUMNS, row, padded, strict=True):
            where = f"row {number}, {column.name}"
            if booleans == "xlsx" and column.type is ColumnType.BOOLEAN and value is not None:
                # Calc has no boolean cells: it stores an XLSX boolean as the constant
                # formula TRUE() or FALSE() with a boolean format. Nothing of ours runs.
                assert cell.formula == ("of:=TRUE()" if value else "of:=FALSE()"), where
                assert (cell.type, cell.value) == ("float", float(bool(value))), where
                continue
            assert cell.formula is None, where  # nothing is evaluated
            if value is None:
                assert cell.type is None, where
            elif column.type is ColumnType.TEXT:
                assert cell.type == "string", where
                assert isinstance(cell.value, str)
                # Every character there, digits included; at most the visible text mark.
                assert restore_formula(cell.value) == value, where
            elif column.type in (ColumnType.INTEGER, ColumnType.DECIMAL):
                assert cell.type == "float", where  # Rupiah as numbers: they add up
                assert cell.value == float(value), where  # type: ignore[arg-type]
            elif column.type is ColumnType.DATE:
                assert (cell.type, cell.value) == ("date", value), where
            elif column.type is ColumnType.BOOLEAN:
                if booleans == "ya/tidak":
                    word = "ya" if value else "tidak"
                    assert (cell.type, cell.value) == ("string", word), where
                else:
                    assert (cell.type, cell.value) == ("boolean", value), where
            else:  # an aware date-time: text, its offset kept (spreadsheets have no zones)
                assert isinstance(value, dt.datetime)
                assert (cell.type, cell.value) == ("string", value.isoformat()), where


def test_an_indonesian_csv_opened_in_calc_keeps_every_digit_and_runs_no_formula(
    tmp_path: Path,
) -> None:
    path = _export(tmp_path, "csv", ExportOptions(lang="id"))
    text = path.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    assert text.split(b"\r\n")[0].count(b";") == len(COLUMNS) - 1
    assert b"1500000,50" in text  # the decimal comma of id-ID
    calc = open_in_calc(path, infilter=csv_filter(";", INDONESIAN))
    _check_every_cell(calc, booleans="ya/tidak")


def test_an_english_csv_opened_in_calc_keeps_every_digit_and_runs_no_formula(
    tmp_path: Path,
) -> None:
    path = _export(tmp_path, "csv", ExportOptions(lang="en"))
    assert b"1500000.50" in path.read_bytes()
    calc = open_in_calc(path, infilter=csv_filter(",", ENGLISH))
    _check_every_cell(calc, booleans="boolean")


def test_an_xlsx_opened_in_calc_keeps_every_digit_types_and_runs_no_formula(
    tmp_path: Path,
) -> None:
    path = _export(tmp_path, "xlsx", ExportOptions())
    calc = open_in_calc(path)
    _check_every_cell(calc, booleans="xlsx")
    # XLSX carries the type: identifiers need no mark at all.
    first = dict(zip((c.name for c in COLUMNS), calc[1], strict=False))
    assert first["nik"].value == "3671076309881972"
    assert first["nib"].value == "0123456789012"
    assert first["phone"].value == "081234567890"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_csv_dialect_follows_the_language_by_default(tmp_path: Path, lang: str) -> None:
    path = _export(tmp_path, "csv", ExportOptions(lang=lang))  # type: ignore[arg-type]
    header = path.read_bytes()[3:].split(b"\r\n")[0]
    assert header.count(b";" if lang == "id" else b",") == len(COLUMNS) - 1
