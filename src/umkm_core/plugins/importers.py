"""Built-in roster formats: CSV (any of the encodings offices produce), XLSX, JSON Lines, JSON.

Rosters come from many hands: Excel on Windows saves CSV in cp1252 or UTF-8 with a
byte-order mark, with ``,`` or (under Indonesian regional settings) ``;``. The CSV
reader detects both. Every reader yields one result per data row, numbered as people see
it in a spreadsheet (the header is row 1), so a bad row is reported and the others kept.
A leading apostrophe (how exports neutralise formulas) is removed from text cells.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
from collections.abc import Iterator, Sequence
from typing import IO, Any

import msgspec

from umkm_core import (
    ImportedRow,
    Importer,
    RawCell,
    RowError,
    RowResult,
    Text,
    UmkmError,
    ValidationError,
    hookimpl,
    restore_formula,
)

__all__ = ["detect_encoding", "read_csv", "read_json", "read_jsonl", "read_xlsx", "umkm_importers"]

_CHUNK = 1 << 16


def _file_error(code: str, *, id: str, en: str) -> ValidationError:
    return ValidationError(code, field="file", id=id, en=en)


def _row_error(row: int, code: str, *, column: str | None = None, id: str, en: str) -> RowError:
    where = f"row {row}" + (f", column {column}" if column else "")
    return RowError(row=row, error=ValidationError(code, field=where, id=id, en=en))


def _seekable(stream: IO[bytes]) -> IO[bytes]:
    return stream if stream.seekable() else io.BytesIO(stream.read())


def detect_encoding(stream: IO[bytes]) -> str:
    """Detect the encoding of a CSV file and rewind it: UTF-8 (with or without BOM) or cp1252.

    Checks the whole file in chunks, in constant memory: a file that is valid UTF-8 is
    read as UTF-8, otherwise as cp1252 (Excel's "CSV" on Windows).

    :param stream: a seekable binary stream at its start.
    :returns: ``"utf-8-sig"`` (handles the BOM too) or ``"cp1252"``.
    :raises ValidationError: ``import.unknown_encoding`` for bytes neither can read.
    """
    start = stream.tell()
    try:
        utf8 = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := stream.read(_CHUNK):
                utf8.decode(chunk)
            utf8.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
        stream.seek(start)
        decoder = codecs.getincrementaldecoder("cp1252")()
        try:
            while chunk := stream.read(_CHUNK):
                decoder.decode(chunk)
        except UnicodeDecodeError:
            raise _file_error(
                "import.unknown_encoding",
                id="Berkas bukan UTF-8 maupun Windows-1252; simpan ulang sebagai CSV UTF-8.",
                en="The file is neither UTF-8 nor Windows-1252; save it again as CSV UTF-8.",
            ) from None
        return "cp1252"
    finally:
        stream.seek(start)


def _delimiter(header_line: str) -> str:
    # Count outside quotes: a quoted title such as "Omzet; Rp" must not decide.
    counts = {",": 0, ";": 0}
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return ";" if counts[";"] > counts[","] else ","


def _header(cells: Sequence[object]) -> list[str]:
    names = [restore_formula(str(c).strip()) if c is not None else "" for c in cells]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise _file_error(
                "import.duplicate_header",
                id=f"Judul kolom '{name}' muncul lebih dari sekali.",
                en=f"The column header '{name}' appears more than once.",
            )
        seen.add(name)
    return names


def _clean(value: RawCell) -> RawCell:
    if isinstance(value, str):
        return restore_formula(value) if value != "" else None
    return value


def _row(number: int, header: Sequence[str], cells: Sequence[RawCell]) -> RowResult | None:
    if all(c is None or c == "" for c in cells):
        return None  # blank lines between blocks are common and carry nothing
    values: dict[str, RawCell] = {}
    for index, cell in enumerate(cells):
        name = header[index] if index < len(header) else ""
        if not name:
            if cell is None or cell == "":
                continue
            return _row_error(
                number,
                "import.value_without_header",
                column=str(index + 1),
                id=f"Kolom ke-{index + 1} berisi nilai tetapi tidak punya judul.",
                en=f"Column {index + 1} has a value but no header.",
            )
        values[name] = _clean(cell)
    for name in header[len(cells) :]:
        if name:
            values[name] = None  # Excel drops trailing empty cells
    return ImportedRow(row=number, values=values)


def read_csv(stream: IO[bytes]) -> Iterator[RowResult]:
    """Read a CSV roster: UTF-8, UTF-8 with BOM or cp1252; ``,`` or ``;`` detected.

    :param stream: the file, opened in binary mode.
    :returns: one result per non-blank data row; all values are text or ``None``.
    :raises ValidationError: ``import.unknown_encoding``, ``import.duplicate_header``.
    """
    stream = _seekable(stream)
    encoding = detect_encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        first = text.readline()
        if not first:
            return
        reader = csv.reader(itertools.chain([first], text), delimiter=_delimiter(first))
        try:
            header = _header(next(reader))
        except csv.Error as exc:
            raise _file_error(
                "import.bad_header",
                id=f"Baris judul tidak terbaca: {exc}",
                en=f"The header row cannot be read: {exc}",
            ) from None
        number = 1
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield _row_error(
                    number,
                    "import.bad_row",
                    id=f"Baris tidak terbaca: {exc}",
                    en=f"The row cannot be read: {exc}",
                )
                continue
            result = _row(number, header, cells)
            if result is not None:
                yield result
    finally:
        text.detach()


def _openpyxl() -> Any:
    try:
        import openpyxl  # noqa: PLC0415 - optional dependency, imported when used
    except ImportError:
        raise UmkmError(
            "import.xlsx_unavailable",
            id="Format XLSX butuh paket tambahan: pip install 'umkm-core[xlsx]'.",
            en="The XLSX format needs an extra: pip install 'umkm-core[xlsx]'.",
        ) from None
    return openpyxl


def _xlsx_value(cell: Any) -> RawCell:
    value = cell.value
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return value  # type: ignore[no-any-return]


def read_xlsx(stream: IO[bytes]) -> Iterator[RowResult]:
    """Read the first sheet of an XLSX roster (needs ``umkm-core[xlsx]``).

    Values keep the type the workbook stored: numbers stay numbers, so an identifier
    saved as a number (and so already damaged by Excel) is noticed by the parser.
    Formulas give their cached result; error cells (``#N/A``) make a row error.

    :param stream: the file, opened in binary mode.
    :returns: one result per non-blank data row.
    :raises ValidationError: ``import.not_xlsx``, ``import.duplicate_header``.
    """
    openpyxl = _openpyxl()
    try:
        workbook = openpyxl.load_workbook(_seekable(stream), read_only=True, data_only=True)
    except Exception:
        raise _file_error(
            "import.not_xlsx",
            id="Berkas bukan buku kerja XLSX yang terbaca.",
            en="The file is not a readable XLSX workbook.",
        ) from None
    try:
        if not workbook.worksheets:
            return
        rows = workbook.worksheets[0].iter_rows()
        first = next(rows, None)
        if first is None:
            return
        header = _header([_xlsx_value(c) for c in first])
        for number, cells in enumerate(rows, start=2):
            errors = [i for i, c in enumerate(cells) if getattr(c, "data_type", None) == "e"]
            if errors:
                column = header[errors[0]] if errors[0] < len(header) else str(errors[0] + 1)
                yield _row_error(
                    number,
                    "import.cell_error",
                    column=column or str(errors[0] + 1),
                    id="Sel berisi galat rumus (mis. #N/A).",
                    en="A cell holds a formula error (such as #N/A).",
                )
                continue
            result = _row(number, header, [_xlsx_value(c) for c in cells])
            if result is not None:
                yield result
    finally:
        workbook.close()


def _json_row(number: int, item: object) -> RowResult | None:
    if not isinstance(item, dict) or not all(isinstance(k, str) for k in item):
        return _row_error(
            number,
            "import.not_an_object",
            id="Baris harus objek JSON.",
            en="A row must be a JSON object.",
        )
    values: dict[str, RawCell] = {}
    for key, value in item.items():
        if isinstance(value, dict | list):
            return _row_error(
                number,
                "import.nested_value",
                column=key,
                id="Nilai bertingkat (objek atau daftar) tidak didukung.",
                en="Nested values (objects or lists) are not supported.",
            )
        values[key] = None if value == "" else value  # empty is empty, as in CSV
    if all(v is None for v in values.values()):
        return None  # blank rows are skipped in every format
    return ImportedRow(row=number, values=values)


def read_jsonl(stream: IO[bytes]) -> Iterator[RowResult]:
    """Read JSON Lines: one object per line; ``row`` is the line number.

    :param stream: the file, opened in binary mode.
    :returns: one result per non-blank line.
    """
    decoder = msgspec.json.Decoder()
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            item = decoder.decode(line)
        except msgspec.DecodeError as exc:
            yield _row_error(
                number,
                "import.bad_json",
                id=f"Baris bukan JSON yang sah: {exc}",
                en=f"The line is not valid JSON: {exc}",
            )
            continue
        if (result := _json_row(number, item)) is not None:
            yield result


def read_json(stream: IO[bytes]) -> Iterator[RowResult]:
    """Read a JSON array of objects; ``row`` is the position in the array, from 1.

    The whole file is parsed at once (JSON has no row boundaries to stream on).

    :param stream: the file, opened in binary mode.
    :returns: one result per array item.
    :raises ValidationError: ``import.bad_json`` when the file is not a JSON array.
    """
    try:
        document = msgspec.json.decode(stream.read())
    except msgspec.DecodeError as exc:
        raise _file_error(
            "import.bad_json",
            id=f"Berkas bukan JSON yang sah: {exc}",
            en=f"The file is not valid JSON: {exc}",
        ) from None
    if not isinstance(document, list):
        raise _file_error(
            "import.bad_json",
            id="Berkas JSON harus berupa daftar objek.",
            en="The JSON file must be an array of objects.",
        )
    for number, item in enumerate(document, start=1):
        if (result := _json_row(number, item)) is not None:
            yield result


CSV = Importer(
    code="csv",
    name=Text(id="CSV", en="CSV"),
    extensions=(".csv", ".txt"),
    read=read_csv,
    description=Text(
        id="UTF-8, UTF-8 dengan BOM atau Windows-1252; pemisah ',' atau ';'.",
        en="UTF-8, UTF-8 with BOM or Windows-1252; ',' or ';' delimited.",
    ),
)
XLSX = Importer(
    code="xlsx",
    name=Text(id="Excel (XLSX)", en="Excel (XLSX)"),
    extensions=(".xlsx", ".xlsm"),
    read=read_xlsx,
    description=Text(id="Lembar pertama; butuh umkm-core[xlsx].", en="First sheet; needs [xlsx]."),
)
JSON = Importer(
    code="json", name=Text(id="JSON", en="JSON"), extensions=(".json",), read=read_json
)
JSON_LINES = Importer(
    code="jsonl",
    name=Text(id="JSON Lines", en="JSON Lines"),
    extensions=(".jsonl", ".ndjson"),
    read=read_jsonl,
)


@hookimpl
def umkm_importers() -> Iterator[Importer]:
    """The built-in roster formats."""
    yield from (CSV, XLSX, JSON, JSON_LINES)
