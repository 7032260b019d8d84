"""Exporters and importers: the records plugins register, and the host side that runs them.

An :class:`Exporter` writes a :class:`~umkm_core.adapters.tables.Table` to a binary stream; the
host (:func:`export_table`) checks and masks the table first, and writes the file
atomically: a temporary file next to the destination, then ``os.replace``, so a crash
never leaves half a report where the old one was.

An :class:`Importer` reads a roster and yields one result per row, either an
:class:`ImportedRow` (row number and raw values by header) or a :class:`RowError`, so one
bad row is reported while the good ones are kept. Problems with the whole file (unknown
encoding, not a workbook, duplicate headers) raise :class:`~umkm_core.ValidationError`.
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
from collections.abc import Callable, Iterator, Mapping
from typing import IO, Any, Literal

import attrs

from umkm_core._codes import check_code, check_text_record
from umkm_core.adapters.tables import Table, prepare_for_export
from umkm_core.errors import ValidationError
from umkm_core.files import atomic_write
from umkm_core.text import Lang, Text

__all__ = [
    "ExportOptions",
    "ExportResult",
    "Exporter",
    "ImportedRow",
    "Importer",
    "RawCell",
    "RowError",
    "RowResult",
    "export_table",
    "looks_like_data",
    "read_rows",
    "write_table",
]

#: A value as an importer read it: text for text formats, native values for workbooks
#: and JSON. Empty cells are ``None``.
RawCell = str | int | float | bool | dt.date | dt.datetime | None

#: Writes ``table`` to a binary stream. The table is already checked and masked.
WriteFunction = Callable[[Table, IO[bytes], "ExportOptions"], None]
#: Reads a binary stream, yielding one result per data row.
ReadFunction = Callable[[IO[bytes]], Iterator["RowResult"]]


def _check_extension(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    values = value if isinstance(value, tuple) else (value,)
    if not values or not all(
        isinstance(v, str) and v.startswith(".") and v[1:].isalnum() and v == v.lower()
        for v in values
    ):
        raise ValidationError(
            f"{type(instance).__name__.lower()}.bad_extension",
            field=attribute.name,
            value=value,
            id="Ekstensi berkas harus seperti '.csv' (huruf kecil).",
            en="A file extension looks like '.csv' (lowercase).",
        )


def _check_callable(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not callable(value):
        raise ValidationError(
            f"{type(instance).__name__.lower()}.not_callable",
            field=attribute.name,
            value=value,
            id=f"'{attribute.name}' harus fungsi.",
            en=f"'{attribute.name}' must be callable.",
        )


def _check_delimiter(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in (None, ",", ";", "\t"):
        raise ValidationError(
            "export.bad_delimiter",
            field=attribute.name,
            value=value,
            id="Pemisah harus ',', ';' atau tab.",
            en="The delimiter must be ',', ';' or a tab.",
        )


@attrs.frozen(kw_only=True)
class ExportOptions:
    """Choices the caller makes for one export.

    :param delimiter: field separator for text formats: ``","``, ``";"`` (what Excel
        expects with Indonesian regional settings) or a tab; ``None`` (the default)
        picks the dialect of ``lang``: ``";"`` for Indonesian, ``","`` for English
        (see :attr:`csv_delimiter`).
    :param header: ``"title"`` writes column titles in ``lang``; ``"name"`` writes the
        machine names (for files that programs read back).
    :param lang: the language of titles.
    """

    delimiter: str | None = attrs.field(default=None, validator=_check_delimiter)
    header: Literal["title", "name"] = attrs.field(
        default="title", validator=attrs.validators.in_(("title", "name"))
    )
    lang: Lang = attrs.field(default="id", validator=attrs.validators.in_(("id", "en")))

    @property
    def csv_delimiter(self) -> str:
        """The field separator: as given, else ``";"`` for Indonesian and ``","`` for English.

        Excel under Indonesian regional settings, whose decimal separator is the comma,
        splits CSV columns on ``";"`` (docs/decisions/0103-spreadsheet-safe-exports.md).
        """
        if self.delimiter is not None:
            return self.delimiter
        return "," if self.lang == "en" else ";"

    @property
    def csv_decimal(self) -> str:
        """The decimal separator of decimal cells.

        ``","`` in files for people (titles) separated by ``";"``; ``"."`` otherwise,
        and always in files for programs (``header="name"``).
        """
        return "," if self.header == "title" and self.csv_delimiter == ";" else "."

    @property
    def header_lang(self) -> Lang | None:
        """The language for :meth:`Column.header`, or ``None`` for machine names."""
        return self.lang if self.header == "title" else None


@attrs.frozen(kw_only=True)
class Exporter:
    """An export format, registered through the ``umkm_exporters`` hook.

    :param code: stable code (``"csv"``).
    :param name: display name.
    :param extension: the file extension, with its dot (``".csv"``).
    :param media_type: the MIME type (``"text/csv"``).
    :param write: ``write(table, stream, options)`` writes the whole table to the binary
        stream. It receives checked, masked rows and must iterate them once, without
        collecting them (exports stream).
    :param spreadsheet: the format is opened by spreadsheet programs; the host then
        neutralises text cells that would run as formulas before ``write`` sees them.
    :param description: optional longer description.
    """

    code: str = attrs.field(validator=check_code)
    name: Text = attrs.field(validator=check_text_record)
    extension: str = attrs.field(validator=_check_extension)
    media_type: str = attrs.field(validator=attrs.validators.instance_of(str))
    write: WriteFunction = attrs.field(validator=_check_callable, repr=False)
    spreadsheet: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    description: Text | None = None


@attrs.frozen(kw_only=True)
class ImportedRow:
    """A data row as read, before any domain parsing.

    :param row: the row number a person sees in a spreadsheet (the header is row 1).
    :param values: raw cell values by header text; empty cells are ``None``.
    """

    row: int
    values: Mapping[str, RawCell] = attrs.field(repr=False)  # may hold personal data


@attrs.frozen(kw_only=True)
class RowError:
    """A row that could not be read; the rest of the file goes on.

    :param row: the row number a person sees in a spreadsheet.
    :param error: what is wrong, with ``field`` naming the row (and column).
    """

    row: int
    error: ValidationError


#: One result per data row of an import.
RowResult = ImportedRow | RowError


def _as_tuple(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen(kw_only=True)
class Importer:
    """A roster format, registered through the ``umkm_importers`` hook.

    :param code: stable code (``"csv"``).
    :param name: display name.
    :param extensions: file extensions it reads, with dots (``(".csv", ".txt")``).
    :param read: ``read(stream)`` yields a :data:`RowResult` per data row and raises
        :class:`~umkm_core.ValidationError` for problems with the whole file.
    :param description: optional longer description.
    """

    code: str = attrs.field(validator=check_code)
    name: Text = attrs.field(validator=check_text_record)
    extensions: tuple[str, ...] = attrs.field(converter=_as_tuple, validator=_check_extension)
    read: ReadFunction = attrs.field(validator=_check_callable, repr=False)
    description: Text | None = None


@attrs.frozen(kw_only=True)
class ExportResult:
    """What :func:`export_table` wrote.

    :param path: the file written.
    :param exporter: the code of the format.
    :param rows: the number of data rows.
    """

    path: pathlib.Path
    exporter: str
    rows: int


class _Counted:
    """Counts the rows an exporter pulls, so the result can report them."""

    def __init__(self, rows: Any) -> None:
        self._rows = iter(rows)
        self.count = 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> Any:
        row = next(self._rows)
        self.count += 1
        return row


def write_table(
    table: Table,
    stream: IO[bytes],
    exporter: Exporter,
    *,
    reveal_personal_data: bool = False,
    options: ExportOptions | None = None,
) -> int:
    """Write ``table`` to an open binary stream with ``exporter``.

    Use :func:`export_table` for files: this one cannot be atomic.

    :param table: the table.
    :param stream: a binary stream opened for writing.
    :param exporter: the format.
    :param reveal_personal_data: pass personal columns unmasked.
    :param options: delimiter, header and language choices.
    :returns: the number of data rows written.
    :raises ValidationError: a row or cell that does not fit its column.
    """
    options = options or ExportOptions()
    prepared = prepare_for_export(
        table,
        reveal_personal_data=reveal_personal_data,
        spreadsheet=exporter.spreadsheet,
        lang=options.lang if options.header == "title" else None,
    )
    counted = _Counted(prepared.rows)
    exporter.write(prepared.with_rows(counted), stream, options)
    return counted.count


def export_table(
    table: Table,
    path: str | os.PathLike[str],
    exporter: Exporter,
    *,
    reveal_personal_data: bool = False,
    options: ExportOptions | None = None,
    any_extension: bool = False,
) -> ExportResult:
    """Export ``table`` to the file ``path``, atomically.

    The file is written to a temporary file in the same folder and moved into place only
    when complete (:func:`umkm_core.files.atomic_write`); on any error the
    temporary file is removed and an existing file at ``path`` is left as it was. A file
    with unmasked personal data (``reveal_personal_data`` on a table with personal
    columns) is created ``0600``, any other ``0644``.

    :param table: the table.
    :param path: the destination file.
    :param exporter: the format (``registry.exporter("csv")`` or
        ``registry.exporter_for(path)``).
    :param reveal_personal_data: pass personal columns unmasked.
    :param options: delimiter, header and language choices.
    :param any_extension: write even when ``path`` does not end with the exporter's
        extension (an ODS file named ``.txt`` is otherwise refused).
    :returns: the path, format and row count.
    :raises ValidationError: ``export.extension_mismatch``; a row or cell that does not
        fit its column; ``table.rows_consumed`` for a one-pass table already exported.
    :raises UmkmError: ``file.folder_missing`` or ``file.cannot_write``, naming ``path``.
    """
    target = pathlib.Path(path)
    if not any_extension and target.suffix.lower() != exporter.extension:
        raise ValidationError(
            "export.extension_mismatch",
            field=str(target),
            id=f"Format {exporter.code} menulis berkas {exporter.extension}, "
            f"bukan '{target.suffix or '(tanpa ekstensi)'}'; ganti nama berkas atau formatnya.",
            en=f"The {exporter.code} format writes {exporter.extension} files, "
            f"not '{target.suffix or '(no extension)'}'; change the file name or the format.",
        )
    private = reveal_personal_data and any(c.personal for c in table.columns)
    with atomic_write(target, private=private) as stream:
        rows = write_table(
            table,
            stream,
            exporter,
            reveal_personal_data=reveal_personal_data,
            options=options,
        )
    return ExportResult(path=target, exporter=exporter.code, rows=rows)


def looks_like_data(cell: object) -> bool:
    """Whether a header cell is really data: the file's header row is missing.

    A header names a column. A cell of six digits or more, mostly digits and not
    starting with a letter, is an identifier, a phone number, an amount or a date: a
    data row taken for the header.
    Readers then refuse the file rather than quote that row (NIK, phone) back as
    "unknown columns".

    >>> looks_like_data("3671054508900001"), looks_like_data("+62 812-3456-7890")
    (True, True)
    >>> looks_like_data("Omzet 2017"), looks_like_data("No. HP"), looks_like_data(2017)
    (False, False, False)
    >>> looks_like_data("a000000"), looks_like_data("19/12/2017")
    (False, True)

    :param cell: a cell of the first row.
    :returns: ``True`` when the cell cannot be a column header.
    """
    if isinstance(cell, bool) or not isinstance(cell, str | int | float):
        return False
    text = "".join((cell if isinstance(cell, str) else str(cell)).split())
    if text[:1].isalpha():
        return False  # a name such as "a000001" or "Rp150.000.000" is not an identifier
    digits = sum(ch.isdigit() for ch in text)
    return digits >= 6 and digits >= 0.6 * len(text)


def read_rows(path: str | os.PathLike[str], importer: Importer) -> Iterator[RowResult]:
    """Read the roster at ``path`` with ``importer``, one result per data row.

    :param path: the file.
    :param importer: the format (``registry.importer_for(path)``).
    :returns: an iterator of :class:`ImportedRow` and :class:`RowError`.
    :raises ValidationError: problems with the whole file.
    """
    with open(path, "rb") as stream:
        yield from importer.read(stream)
