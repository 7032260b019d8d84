"""The seat loop of :func:`umkm_core.bulk.allocate_columns`, over integers.

The interpreted engine's loop (:func:`umkm_core.allocate`), exactly: applications in
policy order, each seated in the first wave it wants whose counters all have room, else
waiting with the reason each wave gave no seat; then, for reserved shares, the release
pass. The counters each candidate seat would use were worked out in columns; here they
are Python lists and ``array`` arrays of integers (8 bytes a value).
"""

from __future__ import annotations

import array
import itertools
from collections.abc import Sequence

import attrs
import polars as pl

__all__: list[str] = []


def _ints(series: pl.Series) -> array.array[int]:
    """A column of integers as a compact array (8 bytes each, not a list of objects)."""
    values = array.array("q")
    values.frombytes(series.cast(pl.Int64).to_numpy().tobytes())
    return values


@attrs.define
class _Loop:
    """What the seat loop reads and writes, as integers.

    Seats (candidates) are numbered in policy order, each applicant's in its order of
    preference: applicant ``i`` (row ``orders[i]``) has ``lengths[i]`` of them.
    """

    orders: array.array[int]
    lengths: array.array[int]
    index_of: array.array[int]  # each seat's wave, by index
    numbers: list[int]  # each wave's number, by index
    left: list[int]  # each counter's room
    reason: list[int]  # each counter's first "blocked" reason id (plus the wave index)
    seat: array.array[int]  # per row: the wave seated in, or -1
    waiting: list[int] = attrs.Factory(list)
    taken: set[int] = attrs.Factory(set)  # (business, wave) keys seated, see _Sets.keys
    blocked_rows: array.array[int] = attrs.Factory(lambda: array.array("q"))
    blocked: array.array[int] = attrs.Factory(lambda: array.array("q"))


@attrs.frozen
class _Sets:
    """Each seat's counters as an index into a few distinct sets; who is seated where."""

    charge_sets: list[tuple[int, ...]]
    charge_of: array.array[int]
    keys: array.array[int] | None  # (business, wave) per seat, when a business applied twice
    taken_base: int  # the reason id "already seated in this wave" (plus the wave index)


def _seat_two(loop: _Loop, first: array.array[int], second: array.array[int]) -> tuple[int, int]:
    """The seat loop for two counters a seat and one application a business, unrolled.

    It stops when no wave has a seat left: from then on everyone waits, for the same
    reason at every wave (the wave is full), which the caller adds in columns.

    :returns: where the loop stopped: the applicant's index and its first seat's.
    """
    left, reason, index_of, numbers = loop.left, loop.reason, loop.index_of, loop.numbers
    seat, waiting, blocked_rows, blocked = loop.seat, loop.waiting, loop.blocked_rows, loop.blocked
    seats = sum(left[: len(numbers)])  # the wave counters come first
    k = 0
    for i, (order, length) in enumerate(zip(loop.orders, loop.lengths, strict=True)):
        if seats <= 0:
            return i, k
        end = k + length
        mark = len(blocked)
        for j in range(k, end):
            a = first[j]
            if left[a] <= 0:
                blocked.append(reason[a] + index_of[j])
                continue
            b = second[j]
            if left[b] <= 0:
                blocked.append(reason[b] + index_of[j])
                continue
            left[a] -= 1
            left[b] -= 1
            seats -= 1
            seat[order] = numbers[index_of[j]]
            if len(blocked) > mark:
                del blocked[mark:]
            break
        else:
            waiting.append(order)
            blocked_rows.extend(array.array("q", [order]) * (len(blocked) - mark))
        k = end
    return len(loop.orders), k


def _seat_sets(loop: _Loop, sets: _Sets) -> list[int]:
    """The seat loop for any counters: the first pass, in policy order.

    Counters only fill in this pass, so whether a set of counters still has room, and if
    not which counter (the first full one) says why, is kept per set and worked out
    again only for the sets of a counter that has just filled.

    :returns: per waiting applicant, its first seat's number.
    """
    left, reason, index_of, numbers = loop.left, loop.reason, loop.index_of, loop.numbers
    seat, blocked = loop.seat, loop.blocked
    charge_sets, charge_of, keys = sets.charge_sets, sets.charge_of, sets.keys
    taken = loop.taken
    blocked_by = [-1] * len(charge_sets)
    sets_of: list[list[int]] = [[] for _ in left]
    for at, used in enumerate(charge_sets):
        for c in dict.fromkeys(used):
            sets_of[c].append(at)

    def refresh(counter: int) -> None:
        for at in sets_of[counter]:
            for c in charge_sets[at]:
                if left[c] <= 0:
                    blocked_by[at] = reason[c]
                    break

    for c, room in enumerate(left):
        if room <= 0:
            refresh(c)
    ranges: list[int] = []
    k = 0
    for order, length in zip(loop.orders, loop.lengths, strict=True):
        end = k + length
        mark = len(blocked)
        for j in range(k, end):
            if keys is not None and keys[j] in taken:
                blocked.append(sets.taken_base + index_of[j])
                continue
            at = charge_of[j]
            why = blocked_by[at]
            if why >= 0:
                blocked.append(why + index_of[j])
                continue
            for c in charge_sets[at]:
                left[c] -= 1
                if left[c] == 0:
                    refresh(c)
            seat[order] = numbers[index_of[j]]
            if keys is not None:
                taken.add(keys[j])
            del blocked[mark:]
            break
        else:
            loop.waiting.append(order)
            ranges.append(k)
            loop.blocked_rows.extend(array.array("q", [order]) * (len(blocked) - mark))
        k = end
    return ranges


def _release(loop: _Loop, sets: _Sets, ranges: list[int], releasable: list[bool]) -> None:
    """Reserved seats the group did not fill go to the waitlist, in its order.

    Whoever still waits, waits for the reasons that hold after the release.
    """
    left, reason, index_of, numbers = loop.left, loop.reason, loop.index_of, loop.numbers
    charge_sets, charge_of, keys = sets.charge_sets, sets.charge_of, sets.keys
    taken = loop.taken
    still: list[int] = []
    blocked_rows, blocked = array.array("q"), array.array("q")
    first = {order: i for i, order in enumerate(loop.orders)}
    offsets = list(itertools.accumulate(loop.lengths, initial=0))
    for order, k in zip(loop.waiting, ranges, strict=True):
        end = offsets[first[order] + 1]
        mark = len(blocked)
        for j in range(k, end):
            if keys is not None and keys[j] in taken:
                blocked.append(sets.taken_base + index_of[j])
                continue
            used = charge_sets[charge_of[j]]
            for c in used:
                if not releasable[c] and left[c] <= 0:
                    blocked.append(reason[c] + index_of[j])
                    break
            else:
                for c in used:
                    left[c] -= 1
                loop.seat[order] = numbers[index_of[j]]
                if keys is not None:
                    taken.add(keys[j])
                del blocked[mark:]
                break
        else:
            still.append(order)
            blocked_rows.extend(array.array("q", [order]) * (len(blocked) - mark))
    loop.waiting, loop.blocked_rows, loop.blocked = still, blocked_rows, blocked


def _charge_sets(
    seats: pl.DataFrame, counters: Sequence[str], size: int
) -> tuple[list[tuple[int, ...]], pl.Series]:
    """The distinct sets of counters the seats use, and each seat's set (an index).

    Seats share a few thousand sets (a wave and a district); each set is one tuple.
    """
    none = size  # a counter id for "no charge"
    base = size + 1
    if base ** max(len(counters), 1) < 2**62:
        key = pl.lit(0, pl.Int64)
        for name in counters:
            key = key * base + pl.col(name).fill_null(none)
        keyed = seats.select(key.alias("_key"), *counters)
        table = keyed.unique("_key").with_columns(
            pl.col("_key").rank("dense").cast(pl.Int64).alias("_set") - 1
        )
        index = keyed.select("_key").join(
            table.select("_key", "_set"), on="_key", how="left", maintain_order="left"
        )
    else:
        keyed = seats.select(
            (pl.struct(counters).rank("dense").cast(pl.Int64) - 1).alias("_set"), *counters
        )
        table = keyed.unique("_set")
        index = keyed
    rows = table.sort("_set").select(counters).iter_rows()
    sets = [tuple(c for c in row if c is not None) for row in rows]
    return sets, index.get_column("_set")
