"""Typed tables: the stable contract between umkm_core and its exporters.

Exporters never see domain objects. They receive a :class:`Table`: a name, a tuple of
typed :class:`Column` descriptions and the rows as a stream of tuples, so a register of a
million businesses is written without holding it in memory. Builders such as
:func:`business_register_table` turn domain objects into tables.

Before any exporter sees a table, :func:`prepare_for_export` checks every cell against
its column, masks personal data (NIK, phone, owner name) unless the caller asked to
reveal it, and, for spreadsheet formats, neutralises text that a spreadsheet would run
as a formula.

>>> t = Table(name="demo", columns=(Column(name="phone", title=Text("Telepon", "Phone"),
...     personal=True),), rows=[("+6281234567890",)])
>>> list(prepare_for_export(t, spreadsheet=True).rows)
[('**********7890',)]
>>> neutralise_formula("=1+1"), restore_formula("'=1+1")
("'=1+1", '=1+1')
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from umkm_core.allocation.engine import Accepted, Allocation, Waitlisted
from umkm_core.errors import ValidationError
from umkm_core.followup.records import StepRecord
from umkm_core.model.business import Business
from umkm_core.text import Lang, Text

__all__ = [
    "FORMULA_TRIGGERS",
    "OUTCOME_LABELS",
    "SEX_LABELS",
    "STEP_STATUS_LABELS",
    "Cell",
    "Column",
    "ColumnType",
    "RowSource",
    "Table",
    "allocation_table",
    "business_register_table",
    "mask_personal",
    "neutralise_formula",
    "prepare_for_export",
    "restore_formula",
    "step_records_table",
]

#: A cell of a table: one of these Python types, or ``None`` for an empty cell.
Cell = str | int | decimal.Decimal | bool | dt.date | dt.datetime | None

#: First characters that make Excel, LibreOffice or Google Sheets read text as a formula
#: (OWASP "CSV injection"). The apostrophe is listed so that neutralising is reversible.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")

_I = TypeVar("_I")

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TRUE = frozenset({"true", "ya", "y", "yes", "1"})
_FALSE = frozenset({"false", "tidak", "t", "no", "n", "0"})


def neutralise_formula(text: str) -> str:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe.

    Text starting with an apostrophe is prefixed too, which makes the change reversible
    with :func:`restore_formula`.

    :param text: the cell text.
    :returns: text that no spreadsheet runs as a formula.
    """
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def restore_formula(text: str) -> str:
    """Undo :func:`neutralise_formula` (drop one leading apostrophe).

    :param text: text read back from a spreadsheet file.
    :returns: the original text.
    """
    return text[1:] if text.startswith("'") else text


def _mask_text(text: str) -> str:
    digits = sum(map(str.isdigit, text))
    if digits >= 6:
        # Identifiers and phone numbers: the last four digits are what staff use to tell
        # two records apart on the phone; the rest identifies the person.
        keep = 4 if len(text) >= 10 else 0
        return "*" * (len(text) - keep) + text[len(text) - keep :]
    return " ".join(word[:1] + "***" for word in text.split()) or "***"


def mask_personal(value: Cell) -> Cell:
    """Mask one personal value: digits keep their last four, words their initial.

    >>> mask_personal("3671054508900001"), mask_personal("Siti Rahayu")
    ('************0001', 'S*** R***')

    :param value: a cell of a column marked ``personal``.
    :returns: the masked text, or ``None`` for an empty cell.
    """
    if value is None:
        return None
    return _mask_text(value if isinstance(value, str) else str(value))


class ColumnType(enum.Enum):
    """The type of a column's cells, and how its text form is read back."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATE = "date"
    #: Timezone-aware date and time.
    DATETIME = "datetime"

    def accepts(self, value: object) -> bool:
        """Whether ``value`` (not ``None``) is a valid cell of this type."""
        match self:
            case ColumnType.TEXT:
                return isinstance(value, str)
            case ColumnType.INTEGER:
                return isinstance(value, int) and not isinstance(value, bool)
            case ColumnType.DECIMAL:
                return isinstance(value, decimal.Decimal) and value.is_finite()
            case ColumnType.BOOLEAN:
                return isinstance(value, bool)
            case ColumnType.DATE:
                return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
            case ColumnType.DATETIME:
                return isinstance(value, dt.datetime) and value.utcoffset() is not None

    def renderer(self) -> Callable[[Cell], str]:
        """A function equal to :meth:`render` for this type, faster on hot paths."""
        if self is ColumnType.TEXT:
            return _render_text
        if self is ColumnType.INTEGER:
            return _render_integer
        return self.render

    def render(self, value: Cell) -> str:
        """The text form of a cell (CSV and other text formats); ``""`` for ``None``."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    def parse(self, raw: object) -> Cell:
        """Read a cell back from what an importer produced (text, number, date).

        :param raw: the raw value; ``None`` and ``""`` give ``None``.
        :returns: a cell of this type.
        :raises ValidationError: ``table.bad_cell`` when ``raw`` is not of this type.
        """
        if raw is None or raw == "":
            return None
        try:
            value = self._parse(raw)
        except (ValueError, TypeError, ArithmeticError):
            value = None
        if value is None or not self.accepts(value):
            raise ValidationError(
                "table.bad_cell",
                field=self.value,
                value=raw,
                id=f"Nilai ini bukan {self.value}.",
                en=f"This value is not of type {self.value}.",
            )
        return value

    def _parse(self, raw: object) -> Cell:
        if self.accepts(raw):
            return raw  # type: ignore[return-value]
        match self:
            case ColumnType.TEXT:
                return raw if isinstance(raw, str) else None
            case ColumnType.INTEGER:
                if isinstance(raw, str) and re.fullmatch(r"[+-]?\d+", raw.strip()):
                    return int(raw)
                if isinstance(raw, float) and raw.is_integer():
                    return int(raw)
                return None
            case ColumnType.DECIMAL:
                if isinstance(raw, str | int | float) and not isinstance(raw, bool):
                    return decimal.Decimal(str(raw).strip())
                return None
            case ColumnType.BOOLEAN:
                if isinstance(raw, str):
                    word = raw.strip().lower()
                    return True if word in _TRUE else False if word in _FALSE else None
                return None
            case ColumnType.DATE:
                if isinstance(raw, dt.datetime):
                    return raw.date() if raw.time() == dt.time() and raw.tzinfo is None else None
                return dt.date.fromisoformat(raw.strip()) if isinstance(raw, str) else None
            case ColumnType.DATETIME:
                return dt.datetime.fromisoformat(raw.strip()) if isinstance(raw, str) else None


def _render_text(value: Cell) -> str:
    return "" if value is None else value  # type: ignore[return-value]


def _render_integer(value: Cell) -> str:
    return "" if value is None else str(value)


# The exact Python type of a valid cell, where one type check is enough: rows are checked
# cell by cell, a million times over, so the common case must be one comparison.
_EXACT_TYPES: dict[ColumnType, type | None] = {
    ColumnType.TEXT: str,
    ColumnType.INTEGER: int,
    ColumnType.BOOLEAN: bool,
    ColumnType.DATE: dt.date,
    ColumnType.DECIMAL: None,  # must also be finite
    ColumnType.DATETIME: None,  # must also carry a time zone
}


def _check_name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _NAME.match(value):
        raise ValidationError(
            "column.bad_name",
            field=attribute.name,
            value=value,
            id="Nama kolom harus huruf kecil ASCII, angka dan '_' (contoh: 'owner_nik').",
            en="A column name is lowercase ASCII letters, digits and '_' (e.g. 'owner_nik').",
        )


def _check_title(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Text) or not value.id.strip() or not value.en.strip():
        raise ValidationError(
            "column.bad_title",
            field=attribute.name,
            value=value,
            id="Judul kolom harus Text dengan bahasa Indonesia dan Inggris.",
            en="A column title must be a Text in Indonesian and English.",
        )


@attrs.frozen(kw_only=True)
class Column:
    """One column of a :class:`Table`.

    :param name: machine name (``"owner_nik"``), used as key by JSON and as header when
        asked.
    :param title: the header people read, in Indonesian and English.
    :param type: the type of every cell.
    :param personal: personal data under UU 27/2022 (NIK, phone, a person's name): masked
        before any exporter sees it unless the caller reveals it.
    :param nullable: whether cells may be empty (``None``).
    :param description: what the column holds, for documentation and data dictionaries.
    :param labels: for a column of codes (``"accepted"``, ``"female"``), what people read
        for each: spreadsheet formats (CSV, XLSX) write the label in the export's
        language, data formats (JSON, JSON Lines) keep the code for programs.
    """

    name: str = attrs.field(validator=_check_name)
    title: Text = attrs.field(validator=_check_title)
    type: ColumnType = attrs.field(
        default=ColumnType.TEXT, validator=attrs.validators.instance_of(ColumnType)
    )
    personal: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    nullable: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))
    description: Text | None = attrs.field(default=None)
    labels: Mapping[str, Text] = attrs.field(factory=dict, repr=False)

    def header(self, lang: Lang | None) -> str:
        """The header text: the title in ``lang``, or the machine name for ``None``."""
        return self.name if lang is None else self.title.get(lang)


def _check_columns(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        not isinstance(value, tuple)
        or not value
        or not all(isinstance(c, Column) for c in value)
        or len({c.name for c in value}) != len(value)
    ):
        raise ValidationError(
            "table.bad_columns",
            field=attribute.name,
            value=value,
            id="Tabel butuh tuple Column yang tidak kosong dengan nama unik.",
            en="A table needs a non-empty tuple of Columns with distinct names.",
        )


def _as_tuple(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


#: What a table's rows may be given as: an iterable of rows (a list, or a one-pass
#: generator), or a function returning a fresh iterable each time it is called.
Rows = Iterable[Sequence[Cell]] | Callable[[], Iterable[Sequence[Cell]]]


class RowSource:
    """The rows of a :class:`Table`: replayable, or a stream that refuses a second pass.

    Built from a function (called afresh for every pass) or from a collection such as a
    list (iterated afresh), the rows can be exported any number of times. Built from an
    iterator (a generator, an open file), they can be read once: a second pass raises
    instead of silently giving no rows, which would write a header-only file.

    >>> once = RowSource(iter([("a",)]))
    >>> list(once), once.replayable
    ([('a',)], False)
    >>> try:
    ...     list(once)
    ... except ValidationError as err:
    ...     err.code
    'table.rows_consumed'
    >>> again = RowSource(lambda: iter([("a",)]))
    >>> list(again) == list(again) == [("a",)]
    True

    :param rows: the rows, or a function giving them.
    """

    __slots__ = ("_factory", "_rows", "_used")

    def __init__(self, rows: Rows) -> None:
        self._factory: Callable[[], Iterable[Sequence[Cell]]] | None = None
        self._rows: Iterable[Sequence[Cell]] | None = None
        self._used = False
        if isinstance(rows, RowSource):
            self._factory, self._rows, self._used = rows._factory, rows._rows, rows._used
        elif callable(rows) and not isinstance(rows, Iterable):
            self._factory = rows
        else:
            self._rows = rows

    @property
    def replayable(self) -> bool:
        """Whether every pass gives the rows again (a function or a collection)."""
        return self._factory is not None or (
            self._rows is not None and not isinstance(self._rows, Iterator)
        )

    def __iter__(self) -> Iterator[Sequence[Cell]]:
        if self._factory is not None:
            return iter(self._factory())
        assert self._rows is not None
        if isinstance(self._rows, Iterator):
            if self._used:
                raise ValidationError(
                    "table.rows_consumed",
                    field="rows",
                    id="Baris tabel ini sudah dibaca sekali (generator); buat tabelnya "
                    "lagi atau beri baris berupa daftar atau fungsi.",
                    en="This table's rows were already read once (a generator); build the "
                    "table again, or give its rows as a list or a function.",
                )
            self._used = True
        return iter(self._rows)


def _row_source(value: Rows) -> RowSource:
    return value if isinstance(value, RowSource) else RowSource(value)


def _rows_over(items: Iterable[_I], build: Callable[[_I], tuple[Cell, ...]]) -> RowSource:
    """Rows built lazily from ``items``: replayable when ``items`` is a collection."""
    if isinstance(items, Iterator):
        return RowSource(map(build, items))
    return RowSource(lambda: map(build, items))


@attrs.frozen(kw_only=True, eq=False)
class Table:
    """A typed table; its rows are replayable or a one-pass stream (:class:`RowSource`).

    :param name: machine name of the table (``"business_register"``), used for sheet
        names and file names.
    :param columns: the columns, in order.
    :param rows: tuples of cells, one per column, in column order: a list, a function
        returning an iterable (called for every pass: the table can be exported again),
        or a generator (one pass only: a second export raises ``table.rows_consumed``).
        Exporters iterate ``table.rows`` once.
    :param title: an optional display title.
    """

    name: str = attrs.field(validator=_check_name)
    columns: tuple[Column, ...] = attrs.field(converter=_as_tuple, validator=_check_columns)
    rows: RowSource = attrs.field(converter=_row_source, repr=False)
    title: Text | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The column called ``name``.

        :raises ValidationError: ``table.unknown_column``.
        """
        for c in self.columns:
            if c.name == name:
                return c
        raise ValidationError(
            "table.unknown_column",
            field=name,
            id=f"Tabel '{self.name}' tidak punya kolom '{name}'.",
            en=f"Table '{self.name}' has no column '{name}'.",
        )

    def with_rows(self, rows: Rows) -> Table:
        """The same table description over other rows (see :class:`RowSource`)."""
        return attrs.evolve(self, rows=rows)


def _bad_row(row: int, column: str | None, code: str, *, id: str, en: str) -> ValidationError:
    where = f"row {row}" + (f", column {column}" if column else "")
    return ValidationError(code, field=where, id=id, en=en)


def _check_cell(columns: Sequence[Column], number: int, index: int, value: object) -> None:
    column = columns[index]
    if value is None:
        if not column.nullable:
            raise _bad_row(
                number,
                column.name,
                "table.missing_cell",
                id=f"Kolom '{column.name}' wajib diisi.",
                en=f"Column '{column.name}' may not be empty.",
            )
    elif not column.type.accepts(value):
        raise _bad_row(
            number,
            column.name,
            "table.bad_cell",
            id=f"Isi kolom '{column.name}' bukan {column.type.value}.",
            en=f"The cell of column '{column.name}' is not of type {column.type.value}.",
        )


def _row_builder(
    width: int,
    masks: Sequence[int],
    neutral: Sequence[int],
    labels: Mapping[int, Mapping[str, str]] | None = None,
) -> Callable[[Sequence[Cell]], tuple[Cell, ...]]:
    """A function that builds one prepared row, generated once per export.

    This runs a million times per export: one generated expression per row (the way attrs
    generates ``__init__``) costs a third of a loop over the cells with a call for each.
    """
    neutralise = "(_q + v if isinstance(v := {}, _str) and v.startswith(_t) else v)"
    parts = []
    labels = labels or {}
    for i in range(width):
        cell = f"r[{i}]"
        if i in labels:
            cell = f"_l{i}.get({cell}, {cell})"
        if i in masks:
            cell = f"_mask({cell})"
        parts.append(neutralise.format(cell) if i in neutral else cell)
    source = f"def build(r):\n    return ({', '.join(parts)},)\n"
    namespace: dict[str, Any] = {
        "_q": "'",
        "_str": str,
        "_t": FORMULA_TRIGGERS,
        "_mask": mask_personal,
        **{f"_l{i}": dict(words) for i, words in labels.items()},
    }
    exec(compile(source, "<umkm_core prepared row>", "exec"), namespace)
    build: Callable[[Sequence[Cell]], tuple[Cell, ...]] = namespace["build"]
    return build


def _prepared_rows(
    table: Table, *, reveal_personal_data: bool, spreadsheet: bool, lang: Lang | None = None
) -> Iterator[tuple[Cell, ...]]:
    columns = table.columns
    width = len(columns)
    # One pass, with the per-column work decided once: this loop runs a million times.
    masks: list[int] = []
    neutral: list[int] = []
    for i, column in enumerate(columns):
        masked = column.personal and not reveal_personal_data
        if masked:
            masks.append(i)
        # A masked name keeps its initial, which may itself be "=": neutralise after.
        if spreadsheet and (masked or column.type is ColumnType.TEXT):
            neutral.append(i)
    labels = (
        {i: {code: text.get(lang) for code, text in c.labels.items()}
         for i, c in enumerate(columns) if c.labels}
        if spreadsheet and lang is not None
        else {}
    )  # fmt: skip
    build = _row_builder(width, masks, neutral, labels)
    exact_types = tuple(_EXACT_TYPES[c.type] for c in columns)
    same = operator.is_
    for number, row in enumerate(table.rows, start=1):
        if (
            type(row) is not tuple and (not isinstance(row, Sequence) or isinstance(row, str))
        ) or len(row) != width:
            raise _bad_row(
                number,
                None,
                "table.bad_row",
                id=f"Baris harus berisi {width} sel.",
                en=f"A row must have {width} cells.",
            )
        # Every cell of its column's exact type: one C-level pass. Otherwise (an empty
        # cell, a subclass, a wrong value) look at the cells one by one.
        if not all(map(same, map(type, row), exact_types)):
            for i, (value, exact) in enumerate(zip(row, exact_types, strict=True)):
                if type(value) is not exact:
                    _check_cell(columns, number, i, value)
        yield build(row)


def prepare_for_export(
    table: Table,
    *,
    reveal_personal_data: bool = False,
    spreadsheet: bool = False,
    lang: Lang | None = None,
) -> Table:
    """The table as an exporter may see it: checked, masked and (for spreadsheets) safe.

    Rows are checked lazily as they stream: a bad cell raises when it is reached.
    Personal columns become text when masked.

    :param table: the table to export.
    :param reveal_personal_data: keep personal columns as they are (the caller takes
        responsibility, e.g. for a transfer to the ministry).
    :param spreadsheet: neutralise text that spreadsheets would run as a formula, and
        write the labels of coded columns in ``lang``.
    :param lang: the language of the labels (``None``: keep the codes).
    :returns: a table over checked rows.
    :raises ValidationError: while iterating: ``table.bad_row``, ``table.bad_cell``,
        ``table.missing_cell``, naming the row and column (never the value).
    """
    columns = table.columns
    if not reveal_personal_data:
        columns = tuple(
            attrs.evolve(c, type=ColumnType.TEXT) if c.personal else c for c in table.columns
        )
    # A function, so the prepared table replays exactly when the original does (and a
    # spent one-pass table raises table.rows_consumed when read again).
    return attrs.evolve(
        table,
        columns=columns,
        rows=lambda: _prepared_rows(
            table, reveal_personal_data=reveal_personal_data, spreadsheet=spreadsheet, lang=lang
        ),
    )


# --------------------------------------------------------------------------- builders


def _col(name: str, id: str, en: str, type: ColumnType = ColumnType.TEXT, **kw: Any) -> Column:
    return Column(name=name, title=Text(id=id, en=en), type=type, **kw)


#: What people read for the codes of coded columns (see :attr:`Column.labels`).
SEX_LABELS: Mapping[str, Text] = {
    "female": Text("Perempuan", "Female"),
    "male": Text("Laki-laki", "Male"),
}
#: Labels of allocation outcomes.
OUTCOME_LABELS: Mapping[str, Text] = {
    "accepted": Text("Diterima", "Accepted"),
    "waitlisted": Text("Daftar tunggu", "Waitlisted"),
    "refused": Text("Ditolak", "Refused"),
}
#: Labels of follow-up step statuses.
STEP_STATUS_LABELS: Mapping[str, Text] = {
    "planned": Text("Direncanakan", "Planned"),
    "in_progress": Text("Dalam proses", "In progress"),
    "submitted": Text("Diajukan", "Submitted"),
    "granted": Text("Terbit", "Granted"),
    "rejected": Text("Ditolak", "Rejected"),
    "waived": Text("Dibebaskan", "Waived"),
}


_BUSINESS_COLUMNS = (
    _col("id", "ID", "ID", nullable=False),
    _col("name", "Nama usaha", "Business name", nullable=False),
    _col("sector", "Sektor", "Sector", nullable=False),
    _col("nib", "NIB", "NIB"),
    _col("npwp", "NPWP", "NPWP", personal=True),
    _col("kbli", "KBLI", "KBLI", description=Text("Kode KBLI dipisah spasi", "Space-separated")),
    _col("owner_name", "Nama pemilik", "Owner name", nullable=False, personal=True),
    _col("owner_nik", "NIK pemilik", "Owner NIK", personal=True),
    _col("owner_sex", "Jenis kelamin", "Sex", labels=SEX_LABELS),
    _col("owner_phone", "Telepon", "Phone", personal=True),
    _col("region", "Kode wilayah", "Region code", nullable=False),
    _col("street", "Alamat", "Street"),
    _col("products", "Produk", "Products"),
    _col("financial_year", "Tahun keuangan", "Financial year", ColumnType.INTEGER),
    _col("annual_sales", "Omzet tahunan (Rp)", "Annual sales (IDR)", ColumnType.INTEGER),
    _col("net_assets", "Kekayaan bersih (Rp)", "Net assets (IDR)", ColumnType.INTEGER),
    _col("business_capital", "Modal usaha (Rp)", "Business capital (IDR)", ColumnType.INTEGER),
    _col("coached_by", "Dibina oleh", "Coached by"),
    _col("certificates", "Sertifikat", "Certificates"),
)


def _business_row(business: Business, on: dt.date | None) -> tuple[Cell, ...]:
    owner = business.owner
    sex = owner.effective_sex
    if on is None:
        record = max(business.financials, key=lambda r: r.year, default=None)
    else:
        record = business.latest_financials(on)
    return (
        business.id,
        business.name,
        business.sector,
        str(business.nib) if business.nib else None,
        str(business.npwp) if business.npwp else None,
        " ".join(k.code for k in business.kbli) or None,
        owner.name,
        str(owner.nik) if owner.nik else None,
        sex.value if sex else None,
        owner.phone,
        str(business.region),
        business.address.street or None,
        "; ".join(p.name for p in business.products) or None,
        record.year if record else None,
        record.annual_sales if record else None,
        record.net_assets if record else None,
        record.business_capital if record else None,
        " ".join(sorted({c.office_id for c in business.coached_by})) or None,
        " ".join(sorted({c.kind for c in business.certificates})) or None,
    )


def business_register_table(
    businesses: Iterable[Business], *, on: dt.date | None = None, name: str = "business_register"
) -> Table:
    """The register of businesses (daftar UMKM binaan) as a table, one row per business.

    Rows are built lazily, so a generator of businesses streams straight to the file
    (once); a list or tuple of businesses gives a table that can be exported again.
    Owner name, NIK, phone and NPWP (which is the NIK for individuals) are personal.

    :param businesses: the businesses, in the order rows should appear.
    :param on: report the latest financial record whose year has started by this day;
        ``None`` takes the latest record.
    :param name: the table name.
    :returns: the table.
    """
    return Table(
        name=name,
        columns=_BUSINESS_COLUMNS,
        rows=_rows_over(businesses, lambda b: _business_row(b, on)),
        title=Text(id="Daftar UMKM", en="Business register"),
    )


_STEP_COLUMNS = (
    _col("business_id", "ID usaha", "Business ID", nullable=False),
    _col("step", "Kode langkah", "Step code", nullable=False),
    _col("step_name", "Langkah", "Step", nullable=False),
    _col("status", "Status", "Status", nullable=False, labels=STEP_STATUS_LABELS),
    _col("route", "Jalur", "Route"),
    _col("planned_on", "Direncanakan", "Planned on", ColumnType.DATE, nullable=False),
    _col("started_on", "Dimulai", "Started on", ColumnType.DATE),
    _col("submitted_on", "Diajukan", "Submitted on", ColumnType.DATE),
    _col("granted_on", "Terbit", "Granted on", ColumnType.DATE),
    _col("certificate_number", "Nomor sertifikat", "Certificate number"),
    _col("expires_on", "Berlaku sampai", "Expires on", ColumnType.DATE),
    _col("renewals", "Perpanjangan", "Renewals", ColumnType.INTEGER, nullable=False),
)


def _step_row(record: StepRecord, lang: Lang) -> tuple[Cell, ...]:
    return (
        record.business_id,
        record.kind.code,
        record.kind.name.get(lang),
        record.status.value,
        record.route,
        record.planned_on,
        record.started_on,
        record.submitted_on,
        record.granted_on,
        record.certificate_number,
        record.expires_on,
        max(len(record.terms) - 1, 0),
    )


def step_records_table(
    records: Iterable[StepRecord], *, lang: Lang = "id", name: str = "follow_up_steps"
) -> Table:
    """Follow-up steps (packaging, PIRT, halal, trademark...) as a table, one row per record.

    :param records: the step records, in the order rows should appear.
    :param lang: the language of the step names.
    :param name: the table name.
    :returns: the table (rows built lazily; replayable when ``records`` is a collection).
    """
    return Table(
        name=name,
        columns=_STEP_COLUMNS,
        rows=_rows_over(records, lambda r: _step_row(r, lang)),
        title=Text(id="Langkah tindak lanjut", en="Follow-up steps"),
    )


_ALLOCATION_COLUMNS = (
    _col("business_id", "ID usaha", "Business ID", nullable=False),
    _col("business_name", "Nama usaha", "Business name"),
    _col("applied_at", "Waktu daftar", "Applied at", ColumnType.DATETIME, nullable=False),
    _col("waves_wanted", "Gelombang diminta", "Waves wanted"),
    _col("status", "Hasil", "Outcome", nullable=False, labels=OUTCOME_LABELS),
    _col("wave", "Gelombang", "Wave", ColumnType.INTEGER),
    _col("waitlist_position", "Urutan tunggu", "Waitlist position", ColumnType.INTEGER),
    _col("reason_codes", "Kode alasan", "Reason codes"),
    _col("reasons", "Alasan", "Reasons"),
)


def allocation_table(
    allocation: Allocation,
    *,
    businesses: Mapping[str, Business] | None = None,
    lang: Lang = "id",
    name: str = "allocation",
) -> Table:
    """The outcome of an allocation (daftar peserta): one row per application.

    Refused and waitlisted rows carry every reason, as codes and as text in ``lang``.

    :param allocation: the result of :func:`umkm_core.allocate`.
    :param businesses: business names by id, to show the name next to the id.
    :param lang: the language of the reasons.
    :param name: the table name.
    :returns: the table (rows built lazily, in policy order).
    """
    names = businesses or {}

    def rows() -> Iterator[tuple[Cell, ...]]:
        for decision in allocation.decisions:
            app, outcome = decision.application, decision.outcome
            reasons = () if isinstance(outcome, Accepted) else outcome.reasons
            business = names.get(app.business_id)
            yield (
                app.business_id,
                business.name if business is not None else None,
                app.applied_at,
                " ".join(str(w) for w in app.waves) or None,
                outcome.status,
                outcome.wave if isinstance(outcome, Accepted) else None,
                outcome.position if isinstance(outcome, Waitlisted) else None,
                " ".join(dict.fromkeys(r.code for r in reasons)) or None,
                "; ".join(r.get(lang) for r in reasons) or None,
            )

    return Table(
        name=name,
        columns=_ALLOCATION_COLUMNS,
        rows=rows,
        title=Text(id="Hasil seleksi peserta", en="Allocation outcome"),
    )
