"""Strategies for typed tables and roster rows (the exchange formats)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from umkm_core.adapters.tables import Cell, Column, ColumnType, Table
from umkm_core.model.business import (
    Business,
)
from umkm_core.strategies._internal.businesses import (
    businesses,
)
from umkm_core.strategies._internal.sectors import (
    _UTC_OFFSETS,
    _texts,
)

# --- Roster import (umkm_core.adapters.roster) --------------------------------------------


def roster_cells() -> st.SearchStrategy[object]:
    """Anything a spreadsheet reader may hand over as a cell, junk included.

    Text (with Excel damage such as ``3.67E+15``), whole and decimal numbers, dates,
    booleans and blanks: an importer must refuse what it cannot read, never crash.
    """
    return st.one_of(
        st.none(),
        st.text(max_size=20),
        st.sampled_from(["", " ", "3.67105E+15", "9120001234567.0", "Rp1.500.000", "L", "P"]),
        st.integers(-(10**17), 10**17),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.dates(),
        st.datetimes(),
    )


def roster_rows(
    *,
    from_businesses: st.SearchStrategy[Business] | None = None,
    junk: bool = False,
) -> st.SearchStrategy[Mapping[str, object]]:
    """Roster rows (header -> cell) as offices keep them.

    :param from_businesses: the businesses written as rows (with Indonesian headers, see
        :func:`umkm_core.adapters.roster.roster_row`); coached businesses by default.
    :param junk: when true, rows whose headers are any column name or random text and
        whose cells come from :func:`roster_cells`.
    """
    from umkm_core.adapters.roster import COLUMNS, roster_row  # noqa: PLC0415 - keep imports light

    if junk:
        headers = st.sampled_from([a for c in COLUMNS for a in c.aliases]) | st.text(max_size=12)
        return st.dictionaries(headers, roster_cells(), max_size=25)
    source = from_businesses if from_businesses is not None else businesses()
    return source.map(roster_row)


def cells(
    column_type: ColumnType, *, text: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Cell]:
    """Valid non-empty cells of ``column_type``.

    :param column_type: the column type.
    :param text: a strategy for text cells (default: any text).
    """
    if not isinstance(column_type, ColumnType):
        raise InvalidArgument(f"column_type={column_type!r} must be a ColumnType")
    strategies: dict[ColumnType, st.SearchStrategy[Any]] = {
        ColumnType.TEXT: text if text is not None else st.text(),
        ColumnType.INTEGER: st.integers(-(10**20), 10**20),
        ColumnType.DECIMAL: st.decimals(allow_nan=False, allow_infinity=False, places=4),
        ColumnType.BOOLEAN: st.booleans(),
        # Spreadsheets count days from 1900 and get its first months wrong.
        ColumnType.DATE: st.dates(min_value=dt.date(1901, 1, 1)),
        ColumnType.DATETIME: st.datetimes(
            min_value=dt.datetime(1901, 1, 1), timezones=st.sampled_from(_UTC_OFFSETS)
        ),
    }
    return strategies[column_type]


def columns(
    *,
    names: st.SearchStrategy[str] | None = None,
    types: st.SearchStrategy[ColumnType] | None = None,
    personal: st.SearchStrategy[bool] | None = None,
) -> st.SearchStrategy[Column]:
    """Valid columns.

    :param names: a strategy for column names.
    :param types: a strategy for column types (default: any).
    :param personal: a strategy for the ``personal`` flag (default: either).
    """
    return st.builds(
        Column,
        name=names
        if names is not None
        else st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True),
        title=_texts(),
        type=types if types is not None else st.sampled_from(ColumnType),
        personal=personal if personal is not None else st.booleans(),
        nullable=st.just(True),
    )


def _any_columns() -> st.SearchStrategy[Column]:
    return columns()


@st.composite
def _tables(
    draw: st.DrawFn,
    column_strategy: st.SearchStrategy[Column],
    max_columns: int,
    max_rows: int,
    text: st.SearchStrategy[str] | None,
) -> Table:
    cols = draw(
        st.lists(column_strategy, min_size=1, max_size=max_columns, unique_by=lambda c: c.name)
    )
    row_strategy = st.tuples(*(st.none() | cells(c.type, text=text) for c in cols))
    rows = draw(st.lists(row_strategy, max_size=max_rows))
    name = draw(st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True))
    return Table(name=name, columns=tuple(cols), rows=rows)


def tables(
    *,
    columns: st.SearchStrategy[Column] | None = None,
    max_columns: int = 6,
    max_rows: int = 20,
    text: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Table]:
    """Valid tables whose rows are a list (so they can be iterated more than once).

    :param columns: a strategy for columns (names are made unique).
    :param max_columns: the most columns a table gets (at least 1).
    :param max_rows: the most rows a table gets.
    :param text: a strategy for text cells.
    """
    if max_columns < 1 or max_rows < 0:
        raise InvalidArgument(f"max_columns={max_columns!r} >= 1, max_rows={max_rows!r} >= 0")
    column_strategy = columns if columns is not None else _any_columns()
    return _tables(column_strategy, max_columns, max_rows, text)
