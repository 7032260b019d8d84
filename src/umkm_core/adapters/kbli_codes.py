r"""Reading a list of known KBLI codes from the CSV file an office supplies.

BPS publishes each KBLI edition (KBLI 2020: Peraturan BPS Nomor 2 Tahun 2020) as a
document, which offices export to a spreadsheet. Saved as CSV (UTF-8, separated by
commas, semicolons or tabs) with a code column (``kode``, ``code``, ``kode_kbli``,
``kbli``) and optionally a title column (``judul``, ``title``, ``judul_kbli``,
``nama``, ``uraian``), it becomes a :class:`~umkm_core.model.kbli.KbliCodeList`. The
edition, the source and the date come from the caller or from comment lines at the top
of the file::

    # edition: 2020
    # source: Peraturan BPS Nomor 2 Tahun 2020, lampiran
    # date: 2020-06-26
    kode;judul
    A;PERTANIAN, KEHUTANAN DAN PERIKANAN
    01;PERTANIAN TANAMAN, PETERNAKAN, PERBURUAN DAN KEGIATAN YBDI
    01111;PERTANIAN JAGUNG

Only five-digit codes (kelompok) enter the list. The headings of the hierarchy are
skipped: a single letter (kategori) and codes of two to four digits that begin a
five-digit code of the file (golongan pokok, golongan, subgolongan). A shorter code
that begins none is refused: it is usually a five-digit code whose leading zero a
spreadsheet dropped. Every problem of the file is reported at once, each naming its
row (the file's line number), in :class:`~umkm_core.InvalidDocument`.

>>> text = "# edition: 2020\n# source: BPS\n# date: 2020-06-26\nkode,judul\n10796,Dodol\n"
>>> codes = kbli_code_list_from_bytes(text.encode())
>>> sorted(codes.codes), codes.title(__import__("umkm_core").KBLI("10796"))
(['10796'], 'Dodol')
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path

from umkm_core.errors import InvalidDocument, ValidationError
from umkm_core.model.identifiers import KBLIEdition
from umkm_core.model.kbli import KbliCodeList, known_divisions

__all__ = [
    "CODE_HEADERS",
    "MAX_KBLI_FILE_BYTES",
    "TITLE_HEADERS",
    "kbli_code_list_from_bytes",
    "read_kbli_code_list",
]

#: Largest file read (the KBLI 2020 list with titles is well under 1 MB).
MAX_KBLI_FILE_BYTES = 16 * 1024 * 1024
#: Most problems reported for one file; past that the file is not worth reading on.
_MAX_PROBLEMS = 100
#: Longest title kept (BPS titles are under 200 characters).
_MAX_TITLE = 500

#: Headers of the code column (compared ignoring case, spaces and punctuation).
CODE_HEADERS = frozenset({"kode", "code", "kodekbli", "kbli", "kbli2020", "kbli2025"})
#: Headers of the title column.
TITLE_HEADERS = frozenset({"judul", "title", "judulkbli", "nama", "uraian", "name"})

_COMMENT = re.compile(r"^#\s*([A-Za-z_ ]+?)\s*[:=]\s*(.*?)\s*$")
_KEYS = {
    "edition": "edition",
    "edisi": "edition",
    "source": "source",
    "sumber": "source",
    "date": "published",
    "tanggal": "published",
    "published": "published",
}
_NON_WORD = re.compile(r"[\W_]+")
_SECTION = re.compile(r"^[A-Z]$")


def _key(text: str) -> str:
    return _NON_WORD.sub("", text).lower()


def _problem(row: int | None, code: str, *, id: str, en: str) -> ValidationError:
    return ValidationError(code, field=f"row {row}" if row is not None else None, id=id, en=en)


def read_kbli_code_list(
    path: str | os.PathLike[str],
    *,
    edition: int | None = None,
    source: str | None = None,
    published: dt.date | None = None,
) -> KbliCodeList:
    """Read the KBLI code list of one edition from a CSV file.

    :param path: the file (UTF-8 CSV; see the module's documentation).
    :param edition: 2020 or 2025; ``None`` takes it from the ``# edition:`` comment.
    :param source: where the list comes from; ``None`` takes the ``# source:`` comment.
    :param published: the list's date; ``None`` takes the ``# date:`` comment.
    :returns: the list.
    :raises InvalidDocument: every problem of the file, each naming its row; ``field``
        names the file.
    :raises OSError: the file cannot be read.
    """
    file = Path(path)
    with file.open("rb") as stream:
        data = stream.read(MAX_KBLI_FILE_BYTES + 1)
    try:
        return kbli_code_list_from_bytes(data, edition=edition, source=source, published=published)
    except InvalidDocument as exc:
        raise InvalidDocument(exc.errors, field=str(file)) from None


def kbli_code_list_from_bytes(
    data: bytes,
    *,
    edition: int | None = None,
    source: str | None = None,
    published: dt.date | None = None,
) -> KbliCodeList:
    """Read a KBLI code list from the bytes of a CSV file.

    Parameters as :func:`read_kbli_code_list`; a value given both by the caller and in
    a comment must agree (``kbli_list.header_conflict``).

    :param data: the file's content.
    :returns: the list.
    :raises InvalidDocument: every problem, each naming its row.
    """
    return _Reader(data, edition, source, published).read()


class _Reader:
    def __init__(
        self,
        data: bytes,
        edition: int | None,
        source: str | None,
        published: dt.date | None,
    ) -> None:
        self.data = data
        self.given: dict[str, object] = {
            k: v
            for k, v in (("edition", edition), ("source", source), ("published", published))
            if v is not None
        }
        self.problems: list[ValidationError] = []

    def fail(self, row: int | None, code: str, *, id: str, en: str) -> None:
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(_problem(row, code, id=id, en=en))

    def read(self) -> KbliCodeList:
        if len(self.data) > MAX_KBLI_FILE_BYTES:
            raise InvalidDocument(
                [
                    _problem(
                        None,
                        "kbli_list.too_large",
                        id=f"Berkas daftar KBLI lebih besar dari {MAX_KBLI_FILE_BYTES:,} byte.",
                        en=f"The KBLI list file is larger than {MAX_KBLI_FILE_BYTES:,} bytes.",
                    )
                ]
            )
        lines = list(self._lines())
        comments: dict[str, tuple[int, str]] = {}
        body: list[tuple[int, str]] = []
        for number, line in lines:
            if not body and (line.startswith("#") or not line.strip()):
                match = _COMMENT.match(line)
                if match and _key(match.group(1)) in _KEYS:
                    comments.setdefault(_KEYS[_key(match.group(1))], (number, match.group(2)))
                continue
            body.append((number, line))
        settings = self._settings(comments)
        codes, titles = self._rows(body, settings.get("edition"))
        if self.problems:
            raise InvalidDocument(self.problems)
        published = settings["published"]
        assert isinstance(published, dt.date)  # checked by _settings, or a problem above
        try:
            return KbliCodeList(
                edition=settings["edition"],
                codes=frozenset(codes),
                source=str(settings["source"]),
                published=published,
                titles=titles,
            )
        except ValidationError as exc:  # every field was checked above; a safety net
            raise InvalidDocument([exc]) from None

    def _lines(self) -> Iterator[tuple[int, str]]:
        data = self.data.removeprefix(b"\xef\xbb\xbf")
        for number, raw in enumerate(data.splitlines(), start=1):
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError:
                self.fail(
                    number,
                    "kbli_list.not_utf8",
                    id="Baris ini bukan UTF-8; simpan berkas sebagai CSV UTF-8.",
                    en="This line is not UTF-8; save the file as CSV UTF-8.",
                )

    # ------------------------------------------------------------------ settings

    def _settings(self, comments: dict[str, tuple[int, str]]) -> dict[str, object]:
        found: dict[str, object] = {}
        for key, (row, text) in comments.items():
            value = self._comment_value(key, row, text)
            if value is None:
                continue
            if key in self.given and self.given[key] != value:
                self.fail(
                    row,
                    "kbli_list.header_conflict",
                    id=f"Komentar '{key}' di berkas berbeda dengan nilai yang diberikan.",
                    en=f"The file's '{key}' comment differs from the value given.",
                )
            found[key] = value
        found.update(self.given)
        self._check_given(found)
        return found

    def _comment_value(self, key: str, row: int, text: str) -> object:
        if key == "source":
            if text and len(text) <= 300:
                return text
            self.fail(
                row,
                "kbli_list.bad_header_comment",
                id="Komentar 'source' harus teks tidak kosong (paling panjang 300 karakter).",
                en="The 'source' comment must be non-blank text (at most 300 characters).",
            )
            return None
        if key == "edition":
            if text in ("2020", "2025"):
                return KBLIEdition(int(text))
            self.fail(
                row,
                "kbli_list.bad_header_comment",
                id="Komentar 'edition' harus 2020 atau 2025.",
                en="The 'edition' comment must be 2020 or 2025.",
            )
            return None
        try:
            if len(text) != 10:
                raise ValueError(text)
            return dt.date.fromisoformat(text)
        except ValueError:
            self.fail(
                row,
                "kbli_list.bad_header_comment",
                id="Komentar 'date' harus tanggal TTTT-BB-HH (mis. 2020-06-26).",
                en="The 'date' comment must be a date YYYY-MM-DD (e.g. 2020-06-26).",
            )
            return None

    def _check_given(self, found: dict[str, object]) -> None:
        edition = found.get("edition")
        if edition is None:
            self.fail(
                None,
                "kbli_list.edition_missing",
                id="Edisi KBLI tidak diketahui: berikan edition=2020/2025 atau komentar "
                "'# edition: 2020' di awal berkas.",
                en="The KBLI edition is unknown: give edition=2020/2025 or a "
                "'# edition: 2020' comment at the top of the file.",
            )
        elif isinstance(edition, bool) or edition not in (2020, 2025):
            self.fail(
                None,
                "kbli.unknown_edition",
                id="Edisi KBLI tidak dikenal (2020 atau 2025).",
                en="Unknown KBLI edition (2020 or 2025).",
            )
            del found["edition"]
        else:
            found["edition"] = KBLIEdition(edition)
        source = found.get("source")
        if not isinstance(source, str) or not source.strip() or len(source) > 300:
            self.fail(
                None,
                "kbli_list.source_missing",
                id="Sumber daftar KBLI tidak diketahui: berikan source=... atau komentar "
                "'# source: Peraturan BPS Nomor 2 Tahun 2020' (paling panjang 300 karakter).",
                en="The KBLI list's source is unknown: give source=... or a "
                "'# source: Peraturan BPS Nomor 2 Tahun 2020' comment (at most 300 characters).",
            )
        published = found.get("published")
        if not isinstance(published, dt.date) or isinstance(published, dt.datetime):
            self.fail(
                None,
                "kbli_list.date_missing",
                id="Tanggal daftar KBLI tidak diketahui: berikan published=... atau komentar "
                "'# date: 2020-06-26'.",
                en="The KBLI list's date is unknown: give published=... or a "
                "'# date: 2020-06-26' comment.",
            )

    # ------------------------------------------------------------------ rows

    def _rows(
        self, body: list[tuple[int, str]], edition: object
    ) -> tuple[dict[str, int], dict[str, str]]:
        codes: dict[str, int] = {}
        titles: dict[str, str] = {}
        if not body:
            self.fail(
                None,
                "kbli_list.empty",
                id="Berkas daftar KBLI tidak berisi baris judul kolom maupun kode.",
                en="The KBLI list file holds neither a header row nor codes.",
            )
            return codes, titles
        header_row, header_line = body[0]
        delimiter = _delimiter(header_line)
        records = self._records(body, delimiter)
        header = next(records, None)
        keys = [_key(cell) for cell in header[1]] if header else []
        code_at = next((i for i, k in enumerate(keys) if k in CODE_HEADERS), None)
        title_at = next((i for i, k in enumerate(keys) if k in TITLE_HEADERS), None)
        if code_at is None:
            self.fail(
                header_row,
                "kbli_list.header_missing",
                id="Baris pertama harus judul kolom dengan kolom kode ('kode' atau 'code') "
                "dan boleh kolom judul ('judul' atau 'title').",
                en="The first row must be a header with a code column ('kode' or 'code') "
                "and optionally a title column ('judul' or 'title').",
            )
            return codes, titles
        headings: dict[str, int] = {}
        divisions = (
            known_divisions(edition)
            if isinstance(edition, int) and edition in (2020, 2025)
            else None
        )
        for row, cells in records:
            code = cells[code_at].strip() if code_at < len(cells) else ""
            if not code or _SECTION.match(code):
                continue  # a blank row, a wrapped title, or a kategori heading (A-U)
            if not (code.isascii() and code.isdigit() and 2 <= len(code) <= 5):
                self.fail(
                    row,
                    "kbli_list.bad_code",
                    id="Kolom kode harus berisi kode KBLI (5 digit) atau judul hierarki "
                    "(huruf kategori, 2-4 digit).",
                    en="The code column must hold a KBLI code (5 digits) or a heading of "
                    "the hierarchy (a section letter, 2-4 digits).",
                )
                continue
            if len(code) < 5:
                headings.setdefault(code, row)
                continue
            if divisions is not None and code[:2] not in divisions:
                self.fail(
                    row,
                    "kbli.unknown_division",
                    id=f"Kode KBLI {code}: golongan pokok {code[:2]} tidak ada dalam KBLI "
                    f"{edition} (88 golongan pokok).",
                    en=f"KBLI code {code}: division {code[:2]} does not exist in KBLI "
                    f"{edition} (88 divisions).",
                )
                continue
            if code in codes:
                self.fail(
                    row,
                    "kbli_list.duplicate_code",
                    id=f"Kode KBLI {code} sudah ada di baris {codes[code]}.",
                    en=f"KBLI code {code} is already on row {codes[code]}.",
                )
                continue
            codes[code] = row
            title = (
                cells[title_at].strip() if title_at is not None and title_at < len(cells) else ""
            )
            if len(title) > _MAX_TITLE:
                self.fail(
                    row,
                    "kbli_list.title_too_long",
                    id=f"Judul KBLI lebih panjang dari {_MAX_TITLE} karakter.",
                    en=f"The KBLI title is longer than {_MAX_TITLE} characters.",
                )
            elif title:
                titles[code] = title
        prefixes = {code[:n] for code in codes for n in (2, 3, 4)}
        for heading, row in sorted(headings.items(), key=lambda item: item[1]):
            if heading not in prefixes:
                self.fail(
                    row,
                    "kbli_list.bad_code",
                    id=f"Kode {heading} bukan awal dari kode 5 digit mana pun di berkas; "
                    "mungkin angka 0 di depannya hilang karena spreadsheet.",
                    en=f"Code {heading} begins no 5-digit code of the file; a spreadsheet "
                    "may have dropped its leading zero.",
                )
        if not codes and not self.problems:
            self.fail(
                None,
                "kbli_list.empty",
                id="Berkas daftar KBLI tidak berisi satu pun kode 5 digit.",
                en="The KBLI list file holds no 5-digit code.",
            )
        return codes, titles

    def _records(
        self, body: list[tuple[int, str]], delimiter: str
    ) -> Iterator[tuple[int, list[str]]]:
        # Line numbers are the file's: a quoted cell spanning lines keeps its first line.
        numbers = iter(body)
        pending: list[int] = []

        def lines() -> Iterator[str]:
            for number, line in numbers:
                pending.append(number)
                yield line

        reader = csv.reader(lines(), delimiter=delimiter)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:
                row = pending[0] if pending else None
                self.fail(
                    row,
                    "kbli_list.bad_row",
                    id="Baris CSV tidak terbaca (tanda kutip tidak tertutup atau sel terlalu "
                    "panjang).",
                    en="An unreadable CSV row (an unclosed quote or a cell too long).",
                )
                return
            row = pending[0] if pending else 0
            pending.clear()
            yield row, cells


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
