"""Roster import: the office's spreadsheet of binaan (coached businesses) into Businesses.

Offices keep their register in Excel: one row per business, headers in Indonesian or
English (``Nama Usaha`` / ``business_name``), identifiers that Excel has damaged, rupiah
written as ``Rp1.500.000``. :func:`import_roster` turns such rows into
:class:`~umkm_core.Business` objects and accounts for every row: each one is either
imported or refused with *every* problem found in it (row number, column, code and a
message in Indonesian and English). Nothing is lost silently:
``imported + refused == rows_read``.

Reading files is not this module's job: it takes ``(row_number, {header: cell})`` pairs,
which the CSV and XLSX importer plugins (or :func:`csv.DictReader`) produce.

>>> report = import_roster(
...     [(2, {"Nama Usaha": "Dodol Ibu Sari", "Nama Pemilik": "Sari",
...           "Kecamatan": "Cipondoh", "Sektor": "makanan", "Omzet": "Rp150.000.000",
...           "Tahun": "2017"}),
...      (3, {"Nama Usaha": "", "Nama Pemilik": "Budi", "Kecamatan": "Mars",
...           "Sektor": "fesyen"})],
...     office_id="dinkop-kota-tangerang",
... )
>>> report.imported, report.refused_count, report.rows_read
(1, 1, 2)
>>> report.businesses[0].financials[0].annual_sales
150000000
>>> sorted(p.code for p in report.refused[0].problems)
['roster.region_unknown', 'roster.required']
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Final, TypeVar

import attrs

from umkm_core.adapters.exchange import looks_like_data
from umkm_core.errors import ValidationError
from umkm_core.limits import MAX_RUPIAH_DIGITS
from umkm_core.model.business import (
    Address,
    Business,
    Coaching,
    FinancialRecord,
    Owner,
    normalise_phone,
)
from umkm_core.model.identifiers import KBLI, NIB, NIK, NPWP, RegionCode, Sex
from umkm_core.model.kbli import KbliCodeList
from umkm_core.model.regions import TANGERANG_DISTRICTS, RegionList
from umkm_core.text import Text

__all__ = [
    "COLUMNS",
    "DEFAULT_SECTOR_ALIASES",
    "ROSTER_HEADERS",
    "Cell",
    "ImportReport",
    "ImportedBusiness",
    "RefusedRow",
    "RosterColumn",
    "RosterInput",
    "RowProblem",
    "RowResult",
    "business_from_row",
    "check_header",
    "import_roster",
    "is_roster_header",
    "iter_roster",
    "normalise_header",
    "parse_rupiah",
    "roster_row",
]

_T = TypeVar("_T")

#: A cell as a reader hands it over: text from CSV; numbers, dates or None from XLSX.
Cell = object


@attrs.frozen(kw_only=True)
class RosterColumn:
    """A column the importer understands, with the header names offices use for it.

    :param field: the canonical name (English, snake_case), used in reports.
    :param aliases: header spellings, compared after :func:`normalise_header`.
    :param required: a row without a value here is refused.
    :param label: what the column is, in Indonesian and English.
    """

    field: str
    aliases: tuple[str, ...]
    required: bool = False
    label: Text


def _col(field: str, *aliases: str, required: bool = False, id: str, en: str) -> RosterColumn:
    return RosterColumn(
        field=field, aliases=(field, *aliases), required=required, label=Text(id=id, en=en)
    )


#: Every column the importer reads. Headers not listed here are ignored and reported.
COLUMNS: Final[tuple[RosterColumn, ...]] = (
    _col("id", "no_registrasi", "nomor_registrasi", "kode_binaan", "no_binaan",
         id="nomor register", en="register number"),
    _col("business_name", "nama_usaha", "nama_umkm", "usaha", required=True,
         id="nama usaha", en="business name"),
    _col("owner_name", "nama_pemilik", "pemilik", "nama", required=True,
         id="nama pemilik", en="owner's name"),
    _col("nik", "nik_pemilik", "no_ktp", id="NIK", en="NIK"),
    _col("nib", "nomor_induk_berusaha", id="NIB", en="NIB"),
    _col("npwp", id="NPWP", en="NPWP"),
    _col("phone", "telepon", "telp", "no_telp", "no_hp", "hp", "nomor_hp", "whatsapp", "wa",
         id="telepon", en="phone"),
    _col("sex", "jenis_kelamin", "jk", "gender", id="jenis kelamin", en="sex"),
    _col("region", "kode_wilayah", "region_code", "kode_kecamatan",
         id="kode wilayah", en="region code"),
    _col("district", "kecamatan", "kec", id="kecamatan", en="district"),
    _col("street", "alamat", "address", "jalan", id="alamat", en="street address"),
    _col("postal_code", "kode_pos", "kodepos", "postcode", id="kode pos", en="postal code"),
    _col("sector", "sektor", "bidang_usaha", "jenis_usaha", required=True,
         id="sektor", en="sector"),
    _col("kbli", "kode_kbli", id="KBLI", en="KBLI"),
    _col("annual_sales", "omzet", "omset", "omzet_tahunan", "penjualan_tahunan", "sales",
         id="omzet", en="annual sales"),
    _col("net_assets", "aset", "aset_bersih", "kekayaan_bersih", "assets",
         id="aset bersih", en="net assets"),
    _col("business_capital", "modal", "modal_usaha", "capital",
         id="modal usaha", en="business capital"),
    _col("year", "tahun", "tahun_data", id="tahun", en="year"),
    _col("coached_since", "binaan_sejak", "tanggal_binaan", "tgl_binaan", "sejak",
         id="binaan sejak", en="coached since"),
)  # fmt: skip

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_header(header: object) -> str:
    r"""Reduce a header to lower-case letters and digits, so spellings compare equal.

    >>> normalise_header(" Nama Usaha ") == normalise_header("nama_usaha") == "namausaha"
    True
    >>> normalise_header("\ufeffNo. HP")
    'nohp'
    """
    text = unicodedata.normalize("NFKD", str(header)).casefold()
    return _NON_ALNUM.sub("", text)


_ALIASES: Final[dict[str, RosterColumn]] = {
    normalise_header(alias): column for column in COLUMNS for alias in column.aliases
}


def is_roster_header(header: object) -> bool:
    """Whether the importer reads a column with this header (in any spelling).

    >>> is_roster_header("Nama Usaha"), is_roster_header("Catatan")
    (True, False)
    """
    return normalise_header(header) in _ALIASES


#: Sector words found in rosters, mapped to sector codes (the codes the sector plugins use).
DEFAULT_SECTOR_ALIASES: Final[Mapping[str, str]] = {
    "kuliner": "kuliner",
    "makanan": "kuliner",
    "makananminuman": "kuliner",
    "mamin": "kuliner",
    "food": "kuliner",
    "culinary": "kuliner",
    "fesyen": "fesyen",
    "fashion": "fesyen",
    "busana": "fesyen",
    "pakaian": "fesyen",
    "konveksi": "fesyen",
}


@attrs.frozen(kw_only=True)
class RowProblem:
    """One problem in one cell (or row) of the roster.

    :param row: the row number as the reader counts it (spreadsheet row, header = 1).
    :param column: the header as written in the file, or ``None`` for the whole row.
    :param field: the canonical column (``"nik"``) or ``None``.
    :param code: a stable dotted code (``"nik.scientific_notation"``).
    :param message: what is wrong and how to fix it, in Indonesian and English. It never
        contains the cell's value, which may be personal data.
    """

    row: int
    column: str | None
    field: str | None
    code: str
    message: Text

    @classmethod
    def from_error(
        cls, row: int, column: str | None, field: str | None, error: ValidationError
    ) -> RowProblem:
        """Wrap a :class:`ValidationError` raised while reading one cell."""
        return cls(row=row, column=column, field=field, code=error.code, message=error.text)


@attrs.frozen(kw_only=True)
class ImportedBusiness:
    """A row that became a business."""

    row: int
    business: Business


@attrs.frozen(kw_only=True)
class RefusedRow:
    """A row that was refused, with every problem found in it."""

    row: int
    problems: tuple[RowProblem, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """The problem codes, in the order found."""
        return tuple(p.code for p in self.problems)


#: What :func:`iter_roster` yields for each row.
RowResult = ImportedBusiness | RefusedRow

#: What the import takes per row: ``(row_number, {header: cell})``, or a row the file
#: reader already refused (it is counted and reported like any other refused row).
RosterInput = tuple[int, Mapping[str, Cell]] | RefusedRow


@attrs.frozen(kw_only=True)
class ImportReport:
    """The outcome of an import: every row read is either imported or refused.

    :param imported_rows: the rows that became businesses, in input order.
    :param refused: the refused rows, in input order, each with all its problems.
    :param ignored_columns: headers the importer does not know (kept out, not lost
        silently: the report names them).
    """

    imported_rows: tuple[ImportedBusiness, ...]
    refused: tuple[RefusedRow, ...]
    ignored_columns: tuple[str, ...] = ()

    @property
    def businesses(self) -> tuple[Business, ...]:
        """The imported businesses, in input order."""
        return tuple(r.business for r in self.imported_rows)

    @property
    def imported(self) -> int:
        """How many rows became businesses."""
        return len(self.imported_rows)

    @property
    def refused_count(self) -> int:
        """How many rows were refused."""
        return len(self.refused)

    @property
    def rows_read(self) -> int:
        """How many rows were read (``imported + refused``, always)."""
        return self.imported + self.refused_count

    @property
    def problems(self) -> tuple[RowProblem, ...]:
        """Every problem of every refused row, in input order."""
        return tuple(p for r in self.refused for p in r.problems)

    def problem_counts(self) -> dict[str, int]:
        """How often each problem code occurs, most frequent first (ties by code)."""
        counts: dict[str, int] = {}
        for p in self.problems:
            counts[p.code] = counts.get(p.code, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _problem(
    row: int, column: str | None, field: str | None, code: str, *, id: str, en: str
) -> RowProblem:
    return RowProblem(row=row, column=column, field=field, code=code, message=Text(id=id, en=en))


def _error(code: str, *, id: str, en: str) -> ValidationError:
    return ValidationError(code, id=id, en=en)


# --- cell parsers -------------------------------------------------------------------------
# Each takes a non-blank cell and returns a value or raises ValidationError; the caller adds
# the row and column.

_CURRENCY = re.compile(r"^(?:rp\.?|idr)", re.I)
_SPACES = re.compile(r"[\s\u00a0\u202f']+")
_PLAIN = re.compile(r"^\d+$")
_ID_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$")
_ID_DECIMAL = re.compile(r"^\d+,\d{1,2}$")
_EN_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?$")
_EN_DECIMAL = re.compile(r"^\d+\.\d{1,2}$")


def parse_rupiah(cell: object) -> int:
    """Read an amount of rupiah as offices write it, in whole rupiah.

    Indonesian notation (``Rp1.500.000``, ``1.500.000,00``) comes first; English
    thousands (``1,500,000``) and plain numbers are accepted too. Sen (cents) must be
    zero: figures in the size laws are whole rupiah.

    >>> parse_rupiah("Rp1.500.000"), parse_rupiah("1.500.000,00"), parse_rupiah("Rp 2,500,000")
    (1500000, 1500000, 2500000)
    >>> parse_rupiah(300_000_000.0)
    300000000

    :param cell: text, or a number from an XLSX cell.
    :returns: the amount in whole rupiah (0 or more).
    :raises ValidationError: ``money.bad_format``, ``money.negative``, ``money.fraction``
        or ``money.too_long`` (more than :data:`~umkm_core.limits.MAX_RUPIAH_DIGITS`
        digits).
    """
    if isinstance(cell, bool):
        raise _money_format()
    finite = isinstance(cell, int) or (isinstance(cell, float) and math.isfinite(cell))
    if finite and abs(cell) >= 10**MAX_RUPIAH_DIGITS:  # type: ignore[arg-type]
        raise _money_too_long()
    if isinstance(cell, str) and len(cell) > 4 * MAX_RUPIAH_DIGITS:
        raise _money_too_long()  # before the patterns and int(): no amount is this long
    if isinstance(cell, int):
        if cell < 0:
            raise _money_negative()
        return cell
    if isinstance(cell, float):
        if not math.isfinite(cell):
            raise _money_format()
        if cell < 0:
            raise _money_negative()
        if not cell.is_integer():
            raise _money_fraction()
        return int(cell)
    if not isinstance(cell, str):
        raise _money_format()
    text = _SPACES.sub("", cell.strip())
    negative = text.startswith("-")
    text = text.lstrip("-")
    text = _CURRENCY.sub("", text).lstrip(".")
    text = text.removesuffix(",-").removesuffix(".-")
    if negative or text.startswith("-"):
        raise _money_negative()
    whole: str
    fraction = ""
    if _PLAIN.match(text):
        whole = text
    elif _ID_THOUSANDS.match(text) or _ID_DECIMAL.match(text):
        whole, _, fraction = text.partition(",")
        whole = whole.replace(".", "")
    elif _EN_THOUSANDS.match(text) or _EN_DECIMAL.match(text):
        whole, _, fraction = text.partition(".")
        whole = whole.replace(",", "")
    else:
        raise _money_format()
    if fraction.strip("0"):
        raise _money_fraction()
    if len(whole.lstrip("0")) > MAX_RUPIAH_DIGITS:
        raise _money_too_long()
    return int(whole)


def _money_too_long() -> ValidationError:
    return _error(
        "money.too_long",
        id=f"Nilai rupiah paling banyak {MAX_RUPIAH_DIGITS} digit.",
        en=f"A rupiah amount has at most {MAX_RUPIAH_DIGITS} digits.",
    )


def _money_format() -> ValidationError:
    return _error(
        "money.bad_format",
        id="Nilai rupiah tidak terbaca (contoh: Rp1.500.000 atau 1500000).",
        en="Not a readable rupiah amount (e.g. Rp1.500.000 or 1500000).",
    )


def _money_negative() -> ValidationError:
    return _error(
        "money.negative",
        id="Nilai rupiah tidak boleh negatif.",
        en="A rupiah amount cannot be negative.",
    )


def _money_fraction() -> ValidationError:
    return _error(
        "money.fraction",
        id="Nilai rupiah harus bilangan bulat (tanpa sen).",
        en="A rupiah amount must be whole (no sen).",
    )


def _parse_year(cell: object) -> int:
    value: int | None = None
    if isinstance(cell, int) and not isinstance(cell, bool):
        value = cell
    elif isinstance(cell, float) and cell.is_integer():
        value = int(cell)
    elif isinstance(cell, str):
        text = cell.strip().removesuffix(".0")
        # A year has four digits; longer runs are refused before int() (which refuses
        # more than 4,300 digits with an untyped error).
        if text.isascii() and text.isdigit() and len(text) <= 4:
            value = int(text)
    if value is None or not 1945 <= value <= 2100:
        raise _error(
            "roster.bad_year",
            id="Tahun harus angka empat digit antara 1945 dan 2100.",
            en="The year must be a four-digit number between 1945 and 2100.",
        )
    return value


_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_YEAR_ONLY = re.compile(r"^\d{4}$")


def _parse_date(cell: object) -> dt.date:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    bad = _error(
        "roster.bad_date",
        id="Tanggal tidak terbaca (gunakan 31/12/2017, 2017-12-31 atau tahun saja).",
        en="Not a readable date (use 31/12/2017, 2017-12-31 or a year alone).",
    )
    if not isinstance(cell, str):
        raise bad
    text = cell.strip()
    parts: tuple[int, int, int] | None = None
    if m := _DATE_ISO.match(text):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif m := _DATE_DMY.match(text):
        # Indonesian order: day first.
        parts = (int(m[3]), int(m[2]), int(m[1]))
    elif _YEAR_ONLY.match(text):
        # "binaan sejak 2015": the register only knows the year; the start of it is the
        # latest date that cannot make the business look coached too early within it.
        parts = (int(text), 1, 1)
    if parts is None or not 1945 <= parts[0] <= 2100:
        raise bad
    try:
        return dt.date(*parts)
    except ValueError:
        raise bad from None


_SEXES: Final[dict[str, Sex]] = {
    **dict.fromkeys(("l", "lk", "laki", "lakilaki", "pria", "m", "male", "man"), Sex.MALE),
    **dict.fromkeys(("p", "pr", "perempuan", "wanita", "f", "female", "woman"), Sex.FEMALE),
}


def _parse_sex(cell: object) -> Sex:
    key = normalise_header(cell) if isinstance(cell, str) else ""
    if key not in _SEXES:
        raise _error(
            "roster.bad_sex",
            id="Jenis kelamin harus L/P (laki-laki/perempuan).",
            en="Sex must be L/P (laki-laki/perempuan) or M/F.",
        )
    return _SEXES[key]


_KBLI_SPLIT = re.compile(r"[;,/|\s]+")


def _kbli_parser(edition: int, codes: KbliCodeList | None) -> Callable[[Cell], tuple[KBLI, ...]]:
    def parse(cell: Cell) -> tuple[KBLI, ...]:
        if isinstance(cell, str):
            parts = [part for part in _KBLI_SPLIT.split(cell.strip()) if part]
            return tuple(KBLI.parse(part, edition, codes=codes) for part in parts)
        return (KBLI.parse(cell, edition, codes=codes),)

    return parse


def _parse_text(cell: object) -> str:
    if isinstance(cell, str):
        return " ".join(cell.split())
    if isinstance(cell, int) and not isinstance(cell, bool) and abs(cell) < _LONGEST_NUMBER:
        return str(cell)
    raise _error("roster.bad_text", id="Isian harus berupa teks.", en="The cell must be text.")


# A spreadsheet number has at most 309 digits (a double); beyond, it is no cell value,
# and past 4,300 digits str() itself refuses it with a bare ValueError.
_LONGEST_NUMBER = 10**309


def _parse_postal_code(cell: object) -> str:
    text = _parse_text(cell)
    if not (len(text) == 5 and text.isascii() and text.isdigit()):
        raise _error(
            "roster.bad_postal_code",
            id="Kode pos harus 5 digit.",
            en="A postal code has 5 digits.",
        )
    return text


def _from_text(parse: Callable[[object], _T]) -> Callable[[Cell], _T]:
    """An identifier parser for roster cells: a number there is a spreadsheet number.

    A spreadsheet stores a number typed into an identifier column as a double: 15
    significant digits, no leading zero, shown as ``3.67105E+15``. Whether the reader
    handed it over as an int or a float, its digits are not to be trusted, so it goes to
    the parser as a float and is refused with the identifier's spreadsheet codes.
    """

    def read(cell: Cell) -> _T:
        if isinstance(cell, int) and not isinstance(cell, bool):
            # Beyond a double's range the number cannot come from a spreadsheet cell.
            return parse(float(cell) if abs(cell) < _LONGEST_NUMBER else math.inf)
        return parse(cell)

    return read


def _is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


# --- rows ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Options:
    office_id: str | None
    districts: Mapping[str, RegionCode]
    sector_aliases: Mapping[str, str]
    sectors: frozenset[str] | None
    id_prefix: str
    kbli_edition: int
    figures_year: int | None = None
    kbli_codes: KbliCodeList | None = None

    @property
    def regions(self) -> RegionList:
        """The known region codes, with the districts the import was given."""
        return _regions_with(frozenset(c.value for c in self.districts.values()))


@functools.lru_cache(maxsize=32)
def _regions_with(districts: frozenset[str]) -> RegionList:
    # Plugins' district tables (umkm_districts) make their districts known codes too.
    return RegionList.builtin().extended(districts)


def _default_districts() -> dict[str, RegionCode]:
    return {normalise_header(name): code for code, name in TANGERANG_DISTRICTS.items()}


class _RowReader:
    """Collects the cells of one row by canonical column and every problem found."""

    def __init__(self, row: int, cells: Mapping[str, Cell]) -> None:
        self.row = row
        self.problems: list[RowProblem] = []
        self.values: dict[str, tuple[str, Cell]] = {}
        for header, cell in cells.items():
            column = _ALIASES.get(normalise_header(header))
            if column is None or _is_blank(cell):
                continue
            if column.field in self.values:
                self.problems.append(
                    _problem(
                        row,
                        str(header),
                        column.field,
                        "roster.duplicate_column",
                        id=f"Kolom '{header}' dan '{self.values[column.field][0]}' sama-sama "
                        f"berisi {column.label.id}; kosongkan salah satu.",
                        en=f"Columns '{header}' and '{self.values[column.field][0]}' both hold "
                        f"the {column.label.en}; leave one of them empty.",
                    )
                )
                continue
            self.values[column.field] = (str(header), cell)
        for column in COLUMNS:
            if column.required and column.field not in self.values:
                self.problems.append(
                    _problem(
                        row,
                        None,
                        column.field,
                        "roster.required",
                        id=f"Kolom {column.label.id} wajib diisi.",
                        en=f"The {column.label.en} is required.",
                    )
                )

    def has(self, field: str) -> bool:
        return field in self.values

    def get(self, field: str, parse: Callable[[Cell], _T]) -> _T | None:
        """Parse the cell of ``field``; ``None`` when blank or bad (the problem is kept)."""
        if field not in self.values:
            return None
        header, cell = self.values[field]
        try:
            return parse(cell)
        except ValidationError as exc:
            self.problems.append(RowProblem.from_error(self.row, header, field, exc))
        return None

    def fail(self, field: str, code: str, *, id: str, en: str) -> None:
        header = self.values[field][0] if field in self.values else None
        self.problems.append(_problem(self.row, header, field, code, id=id, en=en))


def _region(reader: _RowReader, options: _Options) -> RegionCode | None:
    regions = options.regions
    code = reader.get("region", lambda cell: RegionCode.parse(cell, regions=regions))
    if reader.has("district"):
        name = reader.get("district", _parse_text)
        named = options.districts.get(normalise_header(name)) if name is not None else None
        if name is not None and named is None:
            # A district given as a code is accepted in the district column too.
            try:
                named = RegionCode.parse(name, regions=regions)
            except ValidationError:
                reader.fail(
                    "district",
                    "roster.region_unknown",
                    id="Kecamatan tidak dikenal; tulis nama kecamatan atau kode wilayahnya.",
                    en="Unknown district; write the district's name or its region code.",
                )
        if code is not None and named is not None and not code.contains(named):
            if named.contains(code):
                return code
            reader.fail(
                "district",
                "roster.region_mismatch",
                id="Kecamatan tidak sesuai dengan kode wilayah.",
                en="The district does not agree with the region code.",
            )
            return None
        return code or named
    if code is None and not reader.has("region"):
        reader.fail(
            "region",
            "roster.region_unknown",
            id="Kecamatan atau kode wilayah wajib diisi.",
            en="The district or the region code is required.",
        )
    return code


def _sector(reader: _RowReader, options: _Options) -> str | None:
    text = reader.get("sector", _parse_text)
    if text is None:
        return None
    key = normalise_header(text)
    sector = options.sector_aliases.get(key, key)
    if not sector or (options.sectors is not None and sector not in options.sectors):
        reader.fail(
            "sector",
            "roster.sector_unknown",
            id="Sektor tidak dikenal.",
            en="Unknown sector.",
        )
        return None
    return sector


_FIGURES: Final = ("annual_sales", "net_assets", "business_capital")


def _year_column_missing(figures_year: int | None) -> ValidationError:
    # A fact about the whole file: raised once, never repeated on every row.
    return _error(
        "roster.year_missing",
        id="Roster berisi omzet, aset atau modal tetapi tidak punya kolom tahun; sebutkan "
        "tahun datanya (figures_year, di CLI --figures-year TAHUN) atau tambahkan kolom "
        "'tahun'.",
        en="The roster has sales, assets or capital but no year column; give the year the "
        "figures refer to (figures_year, on the command line --figures-year YEAR) or add a "
        "'year' column.",
    )


def _check_year_column(cells: Mapping[str, Cell], figures_year: int | None) -> None:
    fields = {c.field for h in cells if (c := _ALIASES.get(normalise_header(h))) is not None}
    if figures_year is None and "year" not in fields and fields & set(_FIGURES):
        raise _year_column_missing(figures_year)


def _check_figures_year(value: int | None) -> int | None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or not 1945 <= value <= 2100
    ):
        raise ValidationError(
            "roster.bad_figures_year",
            field="figures_year",
            value=value,
            id="figures_year harus tahun antara 1945 dan 2100.",
            en="figures_year must be a year between 1945 and 2100.",
        )
    return value


def _check_kbli_codes(codes: KbliCodeList | None, edition: int) -> KbliCodeList | None:
    if codes is not None and (
        not isinstance(codes, KbliCodeList) or codes.edition.value != edition
    ):
        raise ValidationError(
            "kbli.edition_mismatch",
            field="kbli_codes",
            id="kbli_codes harus daftar kode KBLI dari edisi roster (kbli_edition).",
            en="kbli_codes must be the KBLI code list of the roster's edition (kbli_edition).",
        )
    return codes


def _financials(reader: _RowReader, figures_year: int | None) -> tuple[FinancialRecord, ...]:
    sales = reader.get("annual_sales", parse_rupiah)
    assets = reader.get("net_assets", parse_rupiah)
    capital = reader.get("business_capital", parse_rupiah)
    year = reader.get("year", _parse_year)
    figures_given = any(reader.has(f) for f in _FIGURES)
    if not figures_given:
        return ()
    if year is None and not reader.has("year") and figures_year is not None:
        year = figures_year
    if year is None:
        if not reader.has("year"):
            reader.fail(
                "year",
                "roster.year_missing",
                id="Omzet, aset atau modal diisi tanpa tahun datanya.",
                en="Sales, assets or capital are given without the year they refer to.",
            )
        return ()
    if sales is None and assets is None and capital is None:
        return ()
    return (
        FinancialRecord(
            year=year, annual_sales=sales, net_assets=assets, business_capital=capital
        ),
    )


def business_from_row(
    row: int,
    cells: Mapping[str, Cell],
    *,
    office_id: str | None = None,
    districts: Mapping[str, RegionCode] | None = None,
    sector_aliases: Mapping[str, str] = DEFAULT_SECTOR_ALIASES,
    sectors: Iterable[str] | None = None,
    id_prefix: str = "R",
    kbli_edition: int = 2020,
    figures_year: int | None = None,
    kbli_codes: KbliCodeList | None = None,
) -> ImportedBusiness | RefusedRow:
    """Read one roster row into a :class:`~umkm_core.Business`, or refuse it.

    This is the named constructor from roster rows: it never raises for bad data.

    :param row: the row number, as reported back.
    :param cells: header -> cell; see :data:`COLUMNS` for the headers understood.
    :param office_id: the office whose register this is; with a ``coached_since`` cell
        the business is recorded as its binaan from that date.
    :param districts: district names (normalised) -> region code, for the ``kecamatan``
        column; Kota Tangerang's 13 districts by default.
    :param sector_aliases: sector words -> sector codes.
    :param sectors: the known sector codes (from the plugin registry); ``None`` accepts
        any sector word.
    :param id_prefix: ids for rows without an ``id`` column are ``<prefix><row:06d>``.
    :param kbli_edition: the KBLI edition of the roster's codes (2020 or 2025).
    :param figures_year: the year the sales, assets and capital refer to, for a roster
        without a year column (a row's own year, when the column exists, wins).
    :param kbli_codes: the known codes of ``kbli_edition`` (``registry.kbli_code_list(
        kbli_edition)``); a code the list lacks is refused with ``kbli.unknown_code``.
        ``None`` checks the shape and (KBLI 2020) the division only.
    :returns: an :class:`ImportedBusiness` or a :class:`RefusedRow` with every problem.
    :raises ValidationError: ``roster.bad_figures_year``; ``kbli.edition_mismatch`` when
        ``kbli_codes`` is the list of another edition. (A row with figures and no
        year is refused with ``roster.year_missing``; :func:`iter_roster` tells it once
        for a whole file.)
    """
    options = _Options(
        office_id=office_id,
        districts=_default_districts() if districts is None else districts,
        sector_aliases=sector_aliases,
        sectors=None if sectors is None else frozenset(sectors),
        id_prefix=id_prefix,
        kbli_edition=kbli_edition,
        figures_year=_check_figures_year(figures_year),
        kbli_codes=_check_kbli_codes(kbli_codes, kbli_edition),
    )
    return _read_row(row, cells, options)


def _read_row(
    row: int, cells: Mapping[str, Cell], options: _Options
) -> RefusedRow | ImportedBusiness:
    if all(_is_blank(cell) for cell in cells.values()):
        return RefusedRow(
            row=row,
            problems=(
                _problem(
                    row,
                    None,
                    None,
                    "roster.blank_row",
                    id="Baris kosong.",
                    en="The row is blank.",
                ),
            ),
        )
    reader = _RowReader(row, cells)
    business_id = reader.get("id", _parse_text) or f"{options.id_prefix}{row:06d}"
    name = reader.get("business_name", _parse_text)
    owner_name = reader.get("owner_name", _parse_text)
    nik = reader.get("nik", _from_text(NIK.parse))
    sex = reader.get("sex", _parse_sex)
    phone = reader.get("phone", normalise_phone)
    nib = reader.get("nib", _from_text(NIB.parse))
    npwp = reader.get("npwp", _from_text(NPWP.parse))
    kbli = reader.get("kbli", _kbli_parser(options.kbli_edition, options.kbli_codes)) or ()
    street = reader.get("street", _parse_text) or ""
    postal_code = reader.get("postal_code", _parse_postal_code)
    region = _region(reader, options)
    sector = _sector(reader, options)
    financials = _financials(reader, options.figures_year)
    since = reader.get("coached_since", _parse_date)
    if sex is not None and nik is not None and nik.sex is not sex:
        reader.fail(
            "sex",
            "owner.sex_mismatch",
            id="Jenis kelamin tidak sesuai dengan NIK.",
            en="The sex does not agree with the NIK.",
        )
    if since is not None and options.office_id is None:
        reader.fail(
            "coached_since",
            "roster.office_missing",
            id="Tanggal binaan ada, tetapi dinas pembinanya tidak disebut pada impor.",
            en="A coaching date is given but the import names no coaching office.",
        )
    if reader.problems or name is None or owner_name is None or region is None or not sector:
        return RefusedRow(row=row, problems=tuple(reader.problems))
    coached = (
        (Coaching(office_id=options.office_id, since=since),)
        if since is not None and options.office_id is not None
        else ()
    )
    try:
        business = Business(
            id=business_id,
            name=name,
            owner=Owner(name=owner_name, nik=nik, sex=sex, phone=phone),
            address=Address(region=region, street=street, postal_code=postal_code),
            sector=sector,
            nib=nib,
            npwp=npwp,
            kbli=kbli,
            financials=financials,
            coached_by=coached,
        )
    except ValidationError as exc:
        # The model's own invariants (all checked above, kept as a safety net).
        return RefusedRow(row=row, problems=(RowProblem.from_error(row, None, exc.field, exc),))
    return ImportedBusiness(row=row, business=business)


def iter_roster(
    rows: Iterable[RosterInput],
    *,
    office_id: str | None = None,
    districts: Mapping[str, RegionCode] | None = None,
    sector_aliases: Mapping[str, str] = DEFAULT_SECTOR_ALIASES,
    sectors: Iterable[str] | None = None,
    id_prefix: str = "R",
    kbli_edition: int = 2020,
    figures_year: int | None = None,
    kbli_codes: KbliCodeList | None = None,
) -> Iterator[ImportedBusiness | RefusedRow]:
    """Read rows one at a time, refusing duplicates of an earlier imported row.

    A row whose NIB, NIK or id equals that of an earlier *imported* row is refused with
    ``roster.duplicate_nib``, ``roster.duplicate_nik`` or ``roster.duplicate_id``, naming
    the earlier row; the first one is kept. Parameters as :func:`business_from_row`.

    :returns: one result per row, in input order.
    :raises ValidationError: ``roster.header_missing`` when the first row's headers
        include none the importer knows, or look like data (see :func:`check_header`);
        ``roster.year_missing`` once, before any row, when the first row's headers (the
        file's) have sales, assets or capital but no year and ``figures_year`` is not
        given; ``roster.bad_figures_year``.
    """
    options = _Options(
        office_id=office_id,
        districts=_default_districts() if districts is None else districts,
        sector_aliases=sector_aliases,
        sectors=None if sectors is None else frozenset(sectors),
        id_prefix=id_prefix,
        kbli_edition=kbli_edition,
        figures_year=_check_figures_year(figures_year),
        kbli_codes=_check_kbli_codes(kbli_codes, kbli_edition),
    )
    seen_nib: dict[NIB, int] = {}
    seen_nik: dict[NIK, int] = {}
    seen_id: dict[str, int] = {}
    header_checked = False
    for item in rows:
        if isinstance(item, RefusedRow):
            yield item
            continue
        row, cells = item
        if not header_checked and cells:
            check_header(cells, is_roster_header)
            # The first row's headers are the file's: a whole-file fact is told once.
            _check_year_column(cells, options.figures_year)
            header_checked = True
        result = _read_row(row, cells, options)
        if isinstance(result, ImportedBusiness):
            duplicates = _duplicates(result, seen_id, seen_nib, seen_nik)
            if duplicates:
                result = RefusedRow(row=row, problems=duplicates)
            else:
                b = result.business
                seen_id[b.id] = row
                if b.nib is not None:
                    seen_nib[b.nib] = row
                if b.owner.nik is not None:
                    seen_nik[b.owner.nik] = row
        yield result


def check_header(cells: Mapping[str, Cell], known: Callable[[str], bool]) -> None:
    """Refuse rows whose headers show that the file had no header row.

    When a file lacks its header row, a reader takes the first data row for it: its
    cells (a NIK, a phone number) become the "headers". No header the reader knows, or a
    header that looks like data (:func:`~umkm_core.adapters.exchange.looks_like_data`),
    means exactly that. The error names column positions, never the cells.

    :param cells: the first row's ``{header: cell}``.
    :param known: whether the reader understands a header.
    :raises ValidationError: ``roster.header_missing``.
    """
    headers = [str(h) for h in cells]
    data = [i + 1 for i, h in enumerate(headers) if looks_like_data(h)]
    if not data and any(known(h) for h in headers):
        return
    where = ", ".join(map(str, data))
    raise ValidationError(
        "roster.header_missing",
        field="header",
        id="Baris judul kolom tidak ada"
        + (f" (kolom ke-{where} berisi angka, bukan judul)" if data else "")
        + "; tambahkan baris judul (mis. nama_usaha, nama_pemilik, sektor) di baris 1.",
        en="The header row is missing"
        + (f" (column(s) {where} hold numbers, not headers)" if data else "")
        + "; add a header row (e.g. nama_usaha, nama_pemilik, sektor) as row 1.",
    )


def _duplicates(
    result: ImportedBusiness,
    seen_id: Mapping[str, int],
    seen_nib: Mapping[NIB, int],
    seen_nik: Mapping[NIK, int],
) -> tuple[RowProblem, ...]:
    b = result.business
    found: list[RowProblem] = []
    checks: tuple[tuple[str, str, str, int | None], ...] = (
        ("id", "id", "nomor register", seen_id.get(b.id)),
        ("nib", "nib", "NIB", seen_nib.get(b.nib) if b.nib is not None else None),
        (
            "nik",
            "nik",
            "NIK",
            seen_nik.get(b.owner.nik) if b.owner.nik is not None else None,
        ),
    )
    for field, code, label, earlier in checks:
        if earlier is not None:
            found.append(
                _problem(
                    result.row,
                    None,
                    field,
                    f"roster.duplicate_{code}",
                    id=f"{label} sama dengan baris {earlier}; baris ini tidak diimpor.",
                    en=f"Same {label if label != 'nomor register' else 'register number'} "
                    f"as row {earlier}; this row is not imported.",
                )
            )
    return tuple(found)


def import_roster(
    rows: Iterable[RosterInput],
    *,
    office_id: str | None = None,
    districts: Mapping[str, RegionCode] | None = None,
    sector_aliases: Mapping[str, str] = DEFAULT_SECTOR_ALIASES,
    sectors: Iterable[str] | None = None,
    id_prefix: str = "R",
    kbli_edition: int = 2020,
    figures_year: int | None = None,
    kbli_codes: KbliCodeList | None = None,
) -> ImportReport:
    """Import a whole roster and account for every row.

    Parameters as :func:`business_from_row`.

    :param rows: ``(row_number, {header: cell})`` pairs, e.g. from an importer plugin,
        or rows the reader already refused (:data:`RosterInput`).
    :returns: an :class:`ImportReport` with ``imported + refused == rows_read``.
    :raises ValidationError: ``roster.year_missing`` (once, for the whole file) as
        :func:`iter_roster`.
    """
    imported: list[ImportedBusiness] = []
    refused: list[RefusedRow] = []
    headers: dict[str, None] = {}

    def remember_headers() -> Iterator[RosterInput]:
        for item in rows:
            if not isinstance(item, RefusedRow):
                for header in item[1]:
                    headers.setdefault(str(header))
            yield item

    for result in iter_roster(
        remember_headers(),
        office_id=office_id,
        districts=districts,
        sector_aliases=sector_aliases,
        sectors=sectors,
        id_prefix=id_prefix,
        kbli_edition=kbli_edition,
        figures_year=figures_year,
        kbli_codes=kbli_codes,
    ):
        if isinstance(result, ImportedBusiness):
            imported.append(result)
        else:
            refused.append(result)
    ignored = tuple(h for h in headers if not is_roster_header(h))
    return ImportReport(
        imported_rows=tuple(imported), refused=tuple(refused), ignored_columns=ignored
    )


#: The Indonesian header written by :func:`roster_row` for each canonical column.
_INDONESIAN_HEADERS: Final[dict[str, str]] = {
    "id": "no_registrasi",
    "business_name": "nama_usaha",
    "owner_name": "nama_pemilik",
    "nik": "nik",
    "nib": "nib",
    "npwp": "npwp",
    "phone": "no_hp",
    "sex": "jenis_kelamin",
    "region": "kode_wilayah",
    "district": "kecamatan",
    "street": "alamat",
    "postal_code": "kode_pos",
    "sector": "sektor",
    "kbli": "kbli",
    "annual_sales": "omzet",
    "net_assets": "aset",
    "business_capital": "modal",
    "year": "tahun",
    "coached_since": "binaan_sejak",
}

#: The header row :func:`roster_row` writes, in order.
ROSTER_HEADERS: Final[tuple[str, ...]] = tuple(
    _INDONESIAN_HEADERS[c.field] for c in COLUMNS if c.field != "district"
)


def _rupiah_text(amount: int | None) -> str:
    return "" if amount is None else f"Rp{amount:,}".replace(",", ".")


def roster_row(business: Business, *, office_id: str | None = None) -> dict[str, str]:
    """Write a business as a roster row with Indonesian headers (the inverse of import).

    Only what a roster holds is written: the latest financial record, the coaching start
    by ``office_id`` (or the first coaching), no products or certificates. Rupiah are
    written the Indonesian way (``Rp1.500.000``).

    :param business: the business to write.
    :param office_id: whose coaching date goes in ``binaan_sejak``.
    :returns: header -> text, with the headers of :data:`ROSTER_HEADERS`.
    """
    owner = business.owner
    record = max(business.financials, key=lambda r: r.year) if business.financials else None
    coaching = next(
        (c for c in business.coached_by if office_id is None or c.office_id == office_id), None
    )
    sex = owner.sex
    values = {
        "id": business.id,
        "business_name": business.name,
        "owner_name": owner.name,
        "nik": "" if owner.nik is None else owner.nik.value,
        "nib": "" if business.nib is None else business.nib.value,
        "npwp": "" if business.npwp is None else business.npwp.formatted,
        "phone": owner.phone or "",
        "sex": "" if sex is None else ("L" if sex is Sex.MALE else "P"),
        "region": str(business.region),
        "street": business.address.street,
        "postal_code": business.address.postal_code or "",
        "sector": business.sector,
        "kbli": ", ".join(k.code for k in business.kbli),
        "annual_sales": _rupiah_text(record.annual_sales if record else None),
        "net_assets": _rupiah_text(record.net_assets if record else None),
        "business_capital": _rupiah_text(record.business_capital if record else None),
        "year": str(record.year) if record else "",
        "coached_since": coaching.since.isoformat() if coaching else "",
    }
    return {_INDONESIAN_HEADERS[field]: text for field, text in values.items()}


# Over 500 lines on purpose: one row reader whose column checks share one collector.
