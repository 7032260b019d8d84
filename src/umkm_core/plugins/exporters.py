"""Built-in export formats: CSV, JSON, JSON Lines and XLSX.

All of them stream: they iterate the table's rows once and hold one row at a time (XLSX
uses openpyxl's write-only mode, which spools rows to disk). CSV is written for
the spreadsheets offices open it with: UTF-8 with a byte-order mark, the dialect of the
export's language by default (Indonesian: ``;`` between fields and a decimal comma;
English: ``,`` and a decimal point), and identifiers marked so that no digit is lost.
See ``docs/exports.md`` for what CSV cannot carry and XLSX can.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import decimal
import io
import operator
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

import msgspec

from umkm_core import (
    Cell,
    ColumnType,
    Exporter,
    ExportOptions,
    Table,
    Text,
    UmkmError,
    hookimpl,
    neutralise_formula,
)

__all__ = ["umkm_exporters", "write_csv", "write_json", "write_jsonl", "write_xlsx"]

# Excel keeps 15 significant digits: larger whole numbers are written as text so that
# they survive (and are never shown as 3.67E+15).
_EXCEL_INTEGER_LIMIT = 10**15
_XLSX_SHEET_TITLE = re.compile(r"[\\/*?:\[\]]")
# Characters XML 1.0 cannot carry; openpyxl refuses them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _headers(table: Table, options: ExportOptions, *, spreadsheet: bool) -> list[str]:
    headers = [c.header(options.header_lang) for c in table.columns]
    return [neutralise_formula(h) for h in headers] if spreadsheet else headers


# Text of digits only that a spreadsheet would turn into a number and damage: twelve
# digits or more (Excel shows them as 3.67E+15 and keeps 15 significant digits) or a
# leading zero (a phone number, a KBLI code of agriculture).
_SPREADSHEET_WHOLE_DIGITS = 12


def _guard_digits(value: str) -> str:
    """Mark identifier-like digit text as text for spreadsheets, reversibly.

    The apostrophe is the same mark the host puts before formula-like text (and before
    text that already starts with one), so :func:`~umkm_core.restore_formula` undoes
    both, and umkm_core's importers read the digits back exactly.
    """
    if len(value) >= _SPREADSHEET_WHOLE_DIGITS or (len(value) > 1 and value[0] == "0"):
        return "'" + value
    return value


def _csv_converters(table: Table, options: ExportOptions) -> list[tuple[int, Any]]:
    """Per column, the conversion ``csv.writer`` does not do itself (decided once)."""
    decimal_comma = options.csv_decimal == ","
    converters: list[tuple[int, Any]] = []
    for i, column in enumerate(table.columns):
        kind = column.type
        if kind is ColumnType.TEXT:
            converters.append((i, _text_cell))
        elif kind is ColumnType.DECIMAL:
            converters.append((i, _decimal_comma if decimal_comma else kind.render))
        elif kind is ColumnType.BOOLEAN and options.header == "title" and options.lang == "id":
            converters.append((i, _indonesian_boolean))
        elif kind in (ColumnType.BOOLEAN, ColumnType.DATETIME):
            converters.append((i, kind.render))
        # Integers, dates and empty cells: csv.writer writes str(value), which is the
        # text form already (str(date) is ISO 8601; None is written as nothing).
    return converters


def _text_cell(value: Cell) -> Cell:
    return _guard_digits(value) if isinstance(value, str) and value.isdigit() else value


def _indonesian_boolean(value: Cell) -> str:
    # What people read in an Indonesian file; ColumnType.parse reads it back.
    return "" if value is None else "ya" if value else "tidak"


def _decimal_comma(value: Cell) -> str:
    return "" if value is None else str(value).replace(".", ",")


def write_csv(table: Table, stream: IO[bytes], options: ExportOptions) -> None:
    """Write CSV in the dialect of ``options``: UTF-8 with a byte-order mark, CRLF lines.

    The delimiter is ``options.csv_delimiter`` (``";"`` for Indonesian, ``","`` for
    English), decimals use ``options.csv_decimal``; in an Indonesian file for people
    (titles) booleans read ``ya`` / ``tidak``. Cells are written in their text form
    (:meth:`ColumnType.render`); text that spreadsheets would run as a formula has
    already been neutralised by the host, and text of digits that a spreadsheet would
    read as a number and damage (a 16-digit NIK, a phone number with a leading 0) gets
    the same apostrophe mark, so no digit is lost when Excel or LibreOffice opens it.
    """
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=False)
    try:
        writer = csv.writer(text, delimiter=options.csv_delimiter, lineterminator="\r\n")
        writer.writerow(_headers(table, options, spreadsheet=True))
        converters = _csv_converters(table, options)
        others = [(i, f) for i, f in converters if f is not _text_cell]
        texts = [i for i, f in converters if f is _text_cell]
        if not others and not texts:
            writer.writerows(table.rows)
        elif not others:
            # The common case (text, whole numbers and dates): rows go to the C writer as
            # they are, unless one of their text cells is all digits.
            writer.writerows(_guarded_rows(table.rows, texts))
        else:
            writer.writerows(_converted_rows(table.rows, converters))
        text.flush()
    finally:
        text.detach()  # the caller owns the stream


def _guarded_rows(rows: Iterable[Sequence[Cell]], texts: list[int]) -> Iterator[Sequence[Cell]]:
    isdigit = str.isdigit
    if len(texts) == 1:
        only = texts[0]
        for row in rows:
            value = row[only]
            if value and isdigit(value):  # type: ignore[arg-type]
                yield _guard_row(row, texts)
            else:
                yield row
        return
    pick = operator.itemgetter(*texts)
    for row in rows:
        # filter(None, ...) drops empty cells; the rest are text.
        if any(map(isdigit, filter(None, pick(row)))):
            yield _guard_row(row, texts)
        else:
            yield row


def _guard_row(row: Sequence[Cell], texts: list[int]) -> list[Cell]:
    cells = list(row)
    for i in texts:
        cells[i] = _text_cell(cells[i])
    return cells


def _converted_rows(
    rows: Iterable[Sequence[Cell]], converters: list[tuple[int, Any]]
) -> Iterator[list[Cell]]:
    for row in rows:
        cells = list(row)
        for i, convert in converters:
            cells[i] = convert(cells[i])
        yield cells


def _json_value(value: Cell) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)  # exact: a float would lose digits
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _json_rows(table: Table) -> Iterator[bytes]:
    encoder = msgspec.json.Encoder()
    names = table.names
    plain = {ColumnType.TEXT, ColumnType.INTEGER, ColumnType.BOOLEAN}
    if all(c.type in plain for c in table.columns):
        for row in table.rows:
            yield encoder.encode(dict(zip(names, row, strict=True)))
    else:
        for row in table.rows:
            yield encoder.encode({n: _json_value(v) for n, v in zip(names, row, strict=True)})


def write_json(table: Table, stream: IO[bytes], options: ExportOptions) -> None:
    """Write a JSON array of objects keyed by column name, one row at a time.

    Decimals are strings (exact), dates ISO 8601 strings, empty cells ``null``.
    """
    stream.write(b"[")
    separator = b"\n"
    for encoded in _json_rows(table):
        stream.write(separator)
        stream.write(encoded)
        separator = b",\n"
    stream.write(b"\n]\n")


def write_jsonl(table: Table, stream: IO[bytes], options: ExportOptions) -> None:
    """Write JSON Lines: one object per row, keyed by column name."""
    for encoded in _json_rows(table):
        stream.write(encoded)
        stream.write(b"\n")


def _openpyxl() -> Any:
    try:
        import openpyxl  # noqa: PLC0415 - optional dependency, imported when used
    except ImportError:
        raise UmkmError(
            "export.xlsx_unavailable",
            id="Format XLSX butuh paket tambahan: pip install 'umkm-core[xlsx]'.",
            en="The XLSX format needs an extra: pip install 'umkm-core[xlsx]'.",
        ) from None
    return openpyxl


def _xlsx_text(value: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", value)


def _xlsx_cell(value: Cell) -> Any:
    if isinstance(value, str):
        return _xlsx_text(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if abs(value) < _EXCEL_INTEGER_LIMIT else str(value)
    if isinstance(value, decimal.Decimal):
        # A number when a double holds it exactly (sums work in Excel), text otherwise.
        as_float = float(value)
        return as_float if decimal.Decimal(repr(as_float)) == value else str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()  # Excel has no time zones: keep the offset as text
    return value


def write_xlsx(table: Table, stream: IO[bytes], options: ExportOptions) -> None:
    """Write an XLSX workbook with one sheet, in openpyxl's constant-memory mode.

    Needs ``umkm-core[xlsx]``. Dates are real dates; aware date-times, integers beyond
    Excel's 15 digits and decimals a double cannot hold are written as text.

    :raises UmkmError: ``export.xlsx_unavailable`` without openpyxl.
    """
    openpyxl = _openpyxl()
    workbook = openpyxl.Workbook(write_only=True)
    title = _XLSX_SHEET_TITLE.sub("_", table.name)[:31]
    sheet = workbook.create_sheet(title=title)
    sheet.append([_xlsx_text(h) for h in _headers(table, options, spreadsheet=True)])
    try:
        for row in table.rows:
            sheet.append([_xlsx_cell(v) for v in row])
    except BaseException:
        _discard(sheet)
        raise
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        spool.seek(0)
        _repack_reproducibly(spool, stream)


# openpyxl stamps the save time into docProps/core.xml and into every zip entry, so two
# exports of the same table would differ. Offices diff and archive their exports, and
# `make demo` promises the same output every run: repack with fixed timestamps, taken from
# SOURCE_DATE_EPOCH (the reproducible-builds convention) or else the zip epoch, 1980-01-01.
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def _package_time() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        stamp = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        if stamp.year >= 1980:
            return stamp
    return dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


def _repack_reproducibly(source: IO[bytes], target: IO[bytes]) -> None:
    stamp = _package_time()
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    date_time = stamp.timetuple()[:6]
    with (
        zipfile.ZipFile(source) as packed,
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as repacked,
    ):
        for entry in packed.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            if entry.filename == "docProps/core.xml":
                core = _CORE_DATES.sub(rb"\g<1>" + iso + rb"\g<3>", packed.read(entry))
                repacked.writestr(info, core)
                continue
            # Stream entry by entry: a million-row sheet never sits in memory.
            with packed.open(entry) as src, repacked.open(info, "w", force_zip64=True) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)


def _discard(sheet: Any) -> None:
    # openpyxl spools a write-only sheet to a temporary file through an open generator;
    # after a bad row, close both now rather than leave them to the garbage collector.
    with contextlib.suppress(Exception):
        sheet.close()
    writer = getattr(sheet, "_writer", None)
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.cleanup()


CSV = Exporter(
    code="csv",
    name=Text(id="CSV (Excel)", en="CSV (Excel)"),
    extension=".csv",
    media_type="text/csv",
    write=write_csv,
    spreadsheet=True,
    description=Text(
        id="UTF-8 dengan BOM; pemisah ';' dan koma desimal untuk Excel berbahasa Indonesia.",
        en="UTF-8 with BOM; ';' and a decimal comma for Indonesian Excel, ',' in English.",
    ),
)
JSON = Exporter(
    code="json",
    name=Text(id="JSON", en="JSON"),
    extension=".json",
    media_type="application/json",
    write=write_json,
)
JSON_LINES = Exporter(
    code="jsonl",
    name=Text(id="JSON Lines", en="JSON Lines"),
    extension=".jsonl",
    media_type="application/jsonl",
    write=write_jsonl,
)
XLSX = Exporter(
    code="xlsx",
    name=Text(id="Excel (XLSX)", en="Excel (XLSX)"),
    extension=".xlsx",
    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    write=write_xlsx,
    spreadsheet=True,
    description=Text(id="Butuh umkm-core[xlsx].", en="Needs umkm-core[xlsx]."),
)


@hookimpl
def umkm_exporters() -> Iterator[Exporter]:
    """The built-in export formats."""
    yield from (CSV, JSON, JSON_LINES, XLSX)
