"""What-if: which businesses move in, out or between waves from one allocation to another.

>>> # diff(allocate(program, apps, register, as_of=d),
>>> #      allocate(program_with_more_seats, apps, register, as_of=d)).moved_in
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from umkm_core.allocation.engine import Accepted, Allocation

__all__ = ["AllocationDiff", "Move", "diff"]


@attrs.frozen
class Move:
    """One business's seat before and after (``None``: no seat).

    ``kind`` is ``"in"`` (gains a seat), ``"out"`` (loses it) or ``"between"`` (changes
    wave).
    """

    business_id: str
    before: int | None
    after: int | None

    @property
    def kind(self) -> str:
        """``"in"``, ``"out"`` or ``"between"``."""
        if self.before is None:
            return "in"
        if self.after is None:
            return "out"
        return "between"


@attrs.frozen
class AllocationDiff:
    """Every move, ordered by business id then waves."""

    moves: tuple[Move, ...]

    @property
    def moved_in(self) -> tuple[Move, ...]:
        """Businesses that gain a seat."""
        return tuple(m for m in self.moves if m.kind == "in")

    @property
    def moved_out(self) -> tuple[Move, ...]:
        """Businesses that lose their seat."""
        return tuple(m for m in self.moves if m.kind == "out")

    @property
    def moved_between(self) -> tuple[Move, ...]:
        """Businesses seated in another wave."""
        return tuple(m for m in self.moves if m.kind == "between")

    def __iter__(self) -> Iterator[Move]:
        return iter(self.moves)

    def __len__(self) -> int:
        return len(self.moves)

    def __bool__(self) -> bool:
        return bool(self.moves)


def _seats(allocation: Allocation) -> dict[str, list[int]]:
    seats: dict[str, list[int]] = {}
    for app, outcome in zip(allocation.applications, allocation.outcomes, strict=True):
        if isinstance(outcome, Accepted):
            seats.setdefault(app.business_id, []).append(outcome.wave)
    return seats


def diff(before: Allocation, after: Allocation) -> AllocationDiff:
    """Compare two allocations (e.g. before and after changing seats or rules).

    A business with seats in several waves (no one-seat rule) is compared wave by wave:
    waves it left are paired with waves it joined, in wave order.

    :param before: the first allocation.
    :param after: the second allocation.
    :returns: the moves; empty when every business keeps its seat(s).
    """
    old, new = _seats(before), _seats(after)
    moves: list[Move] = []
    for business_id in sorted(old.keys() | new.keys()):
        left = sorted(set(old.get(business_id, ())) - set(new.get(business_id, ())))
        joined = sorted(set(new.get(business_id, ())) - set(old.get(business_id, ())))
        for i in range(max(len(left), len(joined))):
            moves.append(
                Move(
                    business_id,
                    left[i] if i < len(left) else None,
                    joined[i] if i < len(joined) else None,
                )
            )
    return AllocationDiff(tuple(moves))
