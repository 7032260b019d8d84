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
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import IO, Any
from xml.etree import ElementTree

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
    looks_like_data,
    restore_formula,
)

__all__ = ["detect_encoding", "read_csv", "read_json", "read_jsonl", "read_xlsx", "umkm_importers"]

_CHUNK = 1 << 16

#: The longest cell a reader accepts, in characters: Excel's own limit per cell. Longer
#: text is no roster value; refusing it keeps junk from reaching the parsers.
MAX_CELL_LENGTH = 32_767
#: The most an XLSX workbook may unpack to, all members together (declared sizes, which
#: the zip reader enforces). A register of a million businesses is about 800 MB of XML.
MAX_XLSX_UNPACKED_BYTES = 1 << 30
#: The highest compression ratio accepted for a member larger than
#: :data:`_RATIO_FLOOR` bytes: real sheets compress 8 to 15 times, zip bombs 1,000.
MAX_XLSX_RATIO = 100
_RATIO_FLOOR = 1 << 20


def _file_error(code: str, *, id: str, en: str) -> ValidationError:
    return ValidationError(code, field="file", id=id, en=en)


def _row_error(row: int, code: str, *, column: str | None = None, id: str, en: str) -> RowError:
    where = f"row {row}" + (f", column {column}" if column else "")
    return RowError(row=row, error=ValidationError(code, field=where, id=id, en=en))


def _seekable(stream: IO[bytes]) -> IO[bytes]:
    return stream if stream.seekable() else io.BytesIO(stream.read())


def _survey(stream: IO[bytes]) -> tuple[int, int]:
    """How many non-ASCII lines are valid UTF-8, and how many are not."""
    utf8 = other = 0
    for line in stream:  # a line feed never occurs inside a UTF-8 sequence
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other += 1
        else:
            utf8 += 1
    return utf8, other


def _decodes_as_cp1252(stream: IO[bytes]) -> bool:
    decoder = codecs.getincrementaldecoder("cp1252")()
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(stream: IO[bytes]) -> str:
    """Detect the encoding of a CSV file and rewind it: UTF-8 (with or without BOM) or cp1252.

    Reads the file line by line, in constant memory. A file that is valid UTF-8 is
    UTF-8. A file with no UTF-8 text beyond ASCII at all, whose other lines are all
    Windows-1252, is Windows-1252 (Excel's "CSV" on Windows): the whole-file fallback
    applies only then. A file holding both (a UTF-8 roster with rows pasted from a
    cp1252 one) is UTF-8: :func:`read_csv` reports its rows that are not, by number,
    rather than reading every row as cp1252 (``Kafé`` as ``KafÃ©``).

    :param stream: a seekable binary stream at its start.
    :returns: ``"utf-8-sig"`` (handles the BOM too) or ``"cp1252"``.
    :raises ValidationError: ``import.unknown_encoding`` for a file with no UTF-8 beyond
        ASCII that Windows-1252 cannot read either.
    """
    start = stream.tell()
    try:
        utf8, other = _survey(stream)
        if other == 0 or utf8 > 0:
            return "utf-8-sig"
        stream.seek(start)
        if not _decodes_as_cp1252(stream):
            raise _file_error(
                "import.unknown_encoding",
                id="Berkas bukan UTF-8 maupun Windows-1252; simpan ulang sebagai CSV UTF-8.",
                en="The file is neither UTF-8 nor Windows-1252; save it again as CSV UTF-8.",
            )
        return "cp1252"
    finally:
        stream.seek(start)


class _Utf8Lines:
    """A UTF-8 file's lines as text; lines that are not UTF-8 are remembered by number."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.bad: set[int] = set()
        self._number = 0

    def __iter__(self) -> Iterator[str]:
        for raw in self._stream:
            self._number += 1
            line = raw.removeprefix(codecs.BOM_UTF8) if self._number == 1 else raw
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError:
                self.bad.add(self._number)
                yield line.decode("utf-8", errors="replace")


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


def _positions(indexes: Sequence[int]) -> str:
    return ", ".join(str(i + 1) for i in indexes)


def _header(cells: Sequence[object]) -> list[str]:
    """The header row's names; never quotes a cell (it may be a data row's NIK)."""
    data = [i for i, c in enumerate(cells) if looks_like_data(c)]
    if data:
        raise _file_error(
            "import.header_missing",
            id=f"Baris pertama tampaknya data, bukan judul kolom (kolom ke-{_positions(data)}"
            " berisi angka); tambahkan baris judul di atasnya.",
            en=f"The first row looks like data, not column headers (column(s) "
            f"{_positions(data)} hold numbers); add a header row above it.",
        )
    names = [restore_formula(str(c).strip()) if c is not None else "" for c in cells]
    first: dict[str, int] = {}
    for index, name in enumerate(names):
        if name and name in first:
            raise _file_error(
                "import.duplicate_header",
                id=f"Kolom ke-{first[name] + 1} dan ke-{index + 1} berjudul sama.",
                en=f"Columns {first[name] + 1} and {index + 1} have the same header.",
            )
        first.setdefault(name, index)
    return names


def _clean(value: RawCell) -> RawCell:
    if isinstance(value, str):
        return restore_formula(value) if value != "" else None
    return value


def _too_long(number: int, index: int) -> RowError:
    return _row_error(
        number,
        "import.cell_too_long",
        column=str(index + 1),
        id=f"Sel kolom ke-{index + 1} lebih dari {MAX_CELL_LENGTH} karakter.",
        en=f"The cell of column {index + 1} is longer than {MAX_CELL_LENGTH} characters.",
    )


def _row(number: int, header: Sequence[str], cells: Sequence[RawCell]) -> RowResult | None:
    if all(c is None or c == "" for c in cells):
        return None  # blank lines between blocks are common and carry nothing
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and len(cell) > MAX_CELL_LENGTH:
            return _too_long(number, index)
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

    A UTF-8 file with some rows in another encoding keeps its good rows: each row that
    is not UTF-8 is an ``import.not_utf8`` row error (see :func:`detect_encoding`).

    :param stream: the file, opened in binary mode.
    :returns: one result per non-blank data row; all values are text or ``None``.
    :raises ValidationError: ``import.unknown_encoding``, ``import.duplicate_header``,
        ``import.header_missing`` (the first row holds data), ``import.not_utf8`` (the
        header row itself is not UTF-8).
    """
    stream = _seekable(stream)
    start = stream.tell()
    utf8, other = _survey(stream)
    stream.seek(start)
    if other and utf8:
        lines = _Utf8Lines(stream)
        yield from _read_csv_lines(iter(lines), lines.bad)
        return
    encoding = "utf-8-sig" if not other else detect_encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        yield from _read_csv_lines(text, set())
    finally:
        text.detach()


def _not_utf8(number: int) -> RowError:
    return _row_error(
        number,
        "import.not_utf8",
        id="Baris ini bukan UTF-8 (mungkin ditempel dari berkas lain); ketik ulang atau "
        "simpan berkas sebagai CSV UTF-8.",
        en="This row is not UTF-8 (perhaps pasted from another file); type it again or "
        "save the file as CSV UTF-8.",
    )


def _read_csv_lines(lines: Iterator[str], bad: set[int]) -> Iterator[RowResult]:
    first = next(lines, "")
    if not first:
        return
    reader = csv.reader(itertools.chain([first], lines), delimiter=_delimiter(first))
    try:
        header_cells = next(reader)
    except csv.Error as exc:
        raise _file_error(
            "import.bad_header",
            id=f"Baris judul tidak terbaca: {exc}",
            en=f"The header row cannot be read: {exc}",
        ) from None
    if bad.intersection(range(1, reader.line_num + 1)):
        raise _file_error(
            "import.not_utf8",
            id="Baris judul bukan UTF-8; simpan berkas sebagai CSV UTF-8.",
            en="The header row is not UTF-8; save the file as CSV UTF-8.",
        )
    header = _header(header_cells)
    number = 1
    while True:
        number += 1
        begins = reader.line_num + 1
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
        if bad and bad.intersection(range(begins, reader.line_num + 1)):
            yield _not_utf8(number)
            continue
        result = _row(number, header, cells)
        if result is not None:
            yield result


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


def _not_xlsx() -> ValidationError:
    return _file_error(
        "import.not_xlsx",
        id="Berkas bukan buku kerja XLSX yang terbaca.",
        en="The file is not a readable XLSX workbook.",
    )


def _damaged_xlsx() -> ValidationError:
    return _file_error(
        "import.damaged_xlsx",
        id="Buku kerja XLSX rusak (lembar terpotong atau XML tidak sah); simpan ulang dari Excel.",
        en="The XLSX workbook is damaged (a cut-off sheet or invalid XML); save it again "
        "from Excel.",
    )


def _check_package(stream: IO[bytes]) -> None:
    """Refuse a workbook that would unpack to too much, before anything is unpacked.

    The zip reader never produces more than a member's declared size, so the declared
    sizes bound the work.
    """
    start = stream.tell()
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _not_xlsx() from None
    finally:
        stream.seek(start)
    total = sum(m.file_size for m in members)
    squeezed = [
        m
        for m in members
        if m.file_size > _RATIO_FLOOR and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1)
    ]
    if total > MAX_XLSX_UNPACKED_BYTES or squeezed:
        raise _file_error(
            "import.xlsx_too_large",
            id=f"Buku kerja ini terbuka menjadi lebih dari {MAX_XLSX_UNPACKED_BYTES >> 20} MB "
            f"atau dimampatkan lebih dari {MAX_XLSX_RATIO} kali; tidak dibaca.",
            en=f"This workbook unpacks to more than {MAX_XLSX_UNPACKED_BYTES >> 20} MB or is "
            f"compressed more than {MAX_XLSX_RATIO} times; it is not read.",
        )


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _has_formulas(archive: zipfile.ZipFile, member: str) -> bool:
    tail = b""
    with archive.open(member) as source:
        while chunk := source.read(_CHUNK):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _formulas_without_value(archive: zipfile.ZipFile, member: str) -> set[tuple[int, int]]:
    """The (row, column) of every formula cell saved without its result.

    Scripts (openpyxl, pandas) write formulas that no spreadsheet has computed yet:
    the workbook holds the formula and no value, which a value-only read takes for an
    empty cell.
    """
    found: set[tuple[int, int]] = set()
    row = column = 0
    has_formula = has_value = False
    text_result = False
    with archive.open(member) as source:
        for event, element in ElementTree.iterparse(source, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "row":
                    r = element.get("r")
                    row = int(r) if r and r.isdigit() else row + 1
                    column = 0
                elif tag == "c":
                    ref = element.get("r")
                    column = _column_of(ref) if ref else column + 1
                    has_formula = has_value = False
                    text_result = element.get("t") == "str"
                continue
            if tag == "f":
                has_formula = True
            elif tag == "is" or (tag == "v" and (element.text or text_result)):
                # openpyxl writes an empty <v/> for "not computed"; only a text result
                # may be empty (=IF(A1="","",...)).
                has_value = True
            elif tag == "c" and has_formula and not has_value:
                found.add((row, column))
            elif tag == "row":
                element.clear()
    return found


def _column_of(reference: str) -> int:
    number = 0
    for ch in reference:
        if not ch.isalpha():
            break
        number = number * 26 + (ord(ch.upper()) - 64)
    return number


def _sheet_rows(rows: Iterator[Any]) -> Iterator[Any]:
    # openpyxl parses the sheet as rows are pulled: damage shows up here, not on open.
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception:
            raise _damaged_xlsx() from None
        yield cells


def read_xlsx(stream: IO[bytes]) -> Iterator[RowResult]:
    """Read the first sheet of an XLSX roster (needs ``umkm-core[xlsx]``).

    Values keep the type the workbook stored: numbers stay numbers, so an identifier
    saved as a number (and so already damaged by Excel) is noticed by the parser.
    Formulas give their cached result; error cells (``#N/A``) make a row error, and so
    does a formula saved without a result (``roster.formula_without_value``), which
    would otherwise read as an empty cell. A workbook that would unpack to more than
    :data:`MAX_XLSX_UNPACKED_BYTES`, or is compressed more than :data:`MAX_XLSX_RATIO`
    times, is refused before it is unpacked.

    :param stream: the file, opened in binary mode.
    :returns: one result per non-blank data row.
    :raises ValidationError: ``import.not_xlsx``, ``import.xlsx_too_large``,
        ``import.damaged_xlsx``, ``import.duplicate_header``, ``import.header_missing``.
    """
    openpyxl = _openpyxl()
    stream = _seekable(stream)
    _check_package(stream)
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception:
        raise _not_xlsx() from None
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        member = getattr(sheet, "_worksheet_path", None)
        archive = getattr(workbook, "_archive", None)
        missing: set[tuple[int, int]] = set()
        try:
            if member and archive is not None and _has_formulas(archive, member):
                missing = _formulas_without_value(archive, member)
        except (ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise _damaged_xlsx() from None
        missing_rows = {r for r, _ in missing}
        rows = _sheet_rows(sheet.iter_rows())
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
            if number in missing_rows:
                index = min(c for r, c in missing if r == number) - 1
                column = header[index] if index < len(header) else ""
                yield _row_error(
                    number,
                    "roster.formula_without_value",
                    column=column or str(index + 1),
                    id="Sel berisi rumus tanpa hasil tersimpan (berkas dibuat skrip); buka dan "
                    "simpan ulang di Excel agar nilainya dihitung.",
                    en="A cell holds a formula with no saved result (a script wrote the file); "
                    "open and save it in Excel so that its value is computed.",
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
    for index, (key, value) in enumerate(item.items()):
        if (isinstance(value, str) and len(value) > MAX_CELL_LENGTH) or len(key) > MAX_CELL_LENGTH:
            return _too_long(number, index)
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
