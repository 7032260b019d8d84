"""What the small row readers share (applications, follow-up progress).

Both read ``(row_number, {header: cell})`` pairs whose headers name a field through a
table of aliases, keep every problem of a row and sort the rows into results and refusals,
like the roster import (:mod:`umkm_core.adapters.roster`). The roster has its own reader: it also
refuses two columns holding the same field, which these readers do not (the first wins).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from umkm_core.adapters.roster import Cell, RefusedRow, RosterInput, RowProblem, normalise_header
from umkm_core.errors import ValidationError
from umkm_core.text import Text

__all__ = ["FieldCells", "sort_rows"]

_T = TypeVar("_T")


class FieldCells:
    """The non-blank cells of one row by field, and every problem found reading them.

    :param row: the row number.
    :param cells: ``{header: cell}`` as read.
    :param aliases: normalised header -> field.
    """

    def __init__(self, row: int, cells: Mapping[str, Cell], aliases: Mapping[str, str]) -> None:
        self.row = row
        self.problems: list[RowProblem] = []
        self.found: dict[str, tuple[str, Cell]] = {}
        for header, cell in cells.items():
            field = aliases.get(normalise_header(header))
            if field is not None and not (
                cell is None or (isinstance(cell, str) and not cell.strip())
            ):
                self.found.setdefault(field, (str(header), cell))

    def get(self, field: str, parse: Callable[[Cell], _T]) -> _T | None:
        """Parse the cell of ``field``; ``None`` when blank or bad (the problem is kept)."""
        if field not in self.found:
            return None
        header, cell = self.found[field]
        try:
            return parse(cell)
        except ValidationError as exc:
            self.problems.append(RowProblem.from_error(self.row, header, field, exc))
        return None

    def require(self, labels: Mapping[str, tuple[str, str]]) -> None:
        """Add ``roster.required`` for each field of ``labels`` (``(id, en)`` names) missing."""
        for field, (id, en) in labels.items():
            if field not in self.found:
                self.problems.append(
                    RowProblem(
                        row=self.row,
                        column=None,
                        field=field,
                        code="roster.required",
                        message=Text(id=f"Kolom {id} wajib diisi.", en=f"The {en} is required."),
                    )
                )

    def refused(self) -> RefusedRow:
        """The row refused with every problem found so far."""
        return RefusedRow(row=self.row, problems=tuple(self.problems))


def sort_rows(
    rows: Iterable[RosterInput], read: Callable[[int, Mapping[str, Cell]], _T | RefusedRow]
) -> tuple[tuple[_T, ...], tuple[RefusedRow, ...]]:
    """Read every row; rows a reader already refused stay refused.

    :returns: the results and the refused rows, each in input order.
    """
    results: list[_T] = []
    refused: list[RefusedRow] = []
    for item in rows:
        if isinstance(item, RefusedRow):
            refused.append(item)
            continue
        result = read(item[0], item[1])
        if isinstance(result, RefusedRow):
            refused.append(result)
        else:
            results.append(result)
    return tuple(results), tuple(refused)
