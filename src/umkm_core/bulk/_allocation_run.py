"""One columnar allocation, step by step: judge, list candidate seats, count, seat, explain.

Kept apart from :mod:`umkm_core.bulk.allocate` (the public entry and its input checks):
this is the engine's inside, worked in Polars frames around the integer seat loop of
:mod:`umkm_core.bulk._seat_loop`. It is a little over 500 lines on purpose: its steps
share one layout of reason ids and counters, which split up they would each rebuild.
"""

from __future__ import annotations

import array
import datetime as dt
from collections.abc import Sequence
from typing import Any

import polars as pl

from umkm_core.allocation.policy import FirstComeFirstServed, Policy
from umkm_core.bulk._seat_loop import (
    _charge_sets,
    _ints,
    _Loop,
    _release,
    _seat_sets,
    _seat_two,
    _Sets,
)
from umkm_core.bulk.compile import ScreeningPlan
from umkm_core.model.program import Program
from umkm_core.rules.base import CapacityRule
from umkm_core.rules.capacity import (
    DistrictQuota,
    ReservedShare,
    TotalSeats,
    WaveSeats,
)

__all__: list[str] = []

_STATUSES = ("accepted", "waitlisted", "refused")
_STATUS = pl.Enum(_STATUSES)
_RID = pl.UInt32()

_UNKNOWN_BUSINESS = "application.unknown_business"
_UNKNOWN_WAVE = "application.unknown_wave"

_EMPTY = pl.lit([], dtype=pl.List(_RID))


class _KeyRow:
    """An application as a policy's sort key reads it (without building an Application)."""

    __slots__ = ("applied_at", "business_id", "program_id", "tier", "waves")

    def __init__(
        self,
        business_id: str,
        program_id: str,
        applied_at: dt.datetime,
        waves: list[int],
        tier: int | None,
    ) -> None:
        self.business_id = business_id
        self.program_id = program_id
        self.applied_at = applied_at
        self.waves = tuple(waves)
        self.tier = tier


def _ordered(applications: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """The applications in policy order (ties in input order, as ``sorted`` keeps them)."""
    if type(policy) is FirstComeFirstServed:
        # The FCFS key, (applied_at, business_id, waves, tier or -1), in columns. Sorting
        # on a list column is slow, and it only breaks ties of the first two.
        # Stability matters only for rows equal on both, which the full sort then orders.
        first = applications.sort(["applied_at", "business_id"])
        tied = first.select(
            (
                (pl.col("applied_at") == pl.col("applied_at").shift(1))
                & (pl.col("business_id") == pl.col("business_id").shift(1))
            ).any()
        ).item()
        if not tied:
            return first
        return (
            applications.with_columns(pl.col("tier").fill_null(-1).alias("_tier"))
            .sort(["applied_at", "business_id", "waves", "_tier"], maintain_order=True)
            .drop("_tier")
        )
    key = policy.sort_key()
    rows = [
        _KeyRow(*row)
        for row in applications.select(
            "business_id", "program_id", "applied_at", "waves", "tier"
        ).iter_rows()
    ]
    order = sorted(range(len(rows)), key=lambda i: key(rows[i]))  # type: ignore[arg-type]
    return applications[order]


def _pick(exprs: Sequence[pl.Expr], index: pl.Expr) -> pl.Expr:
    """``exprs[index]`` row by row (null where ``index`` is null)."""
    if len(exprs) == 1:
        return pl.when(index.is_not_null()).then(exprs[0])
    chain: Any = None
    for i, expr in enumerate(exprs):
        chain = (pl.when(index == i) if chain is None else chain.when(index == i)).then(expr)
    return pl.lit(None, pl.Boolean) if chain is None else chain


def _distinct(exprs: Sequence[Sequence[pl.Expr]]) -> tuple[list[Sequence[pl.Expr]], list[int]]:
    """Equal expression lists merged: the distinct ones, and each input's index among them."""
    found: list[Sequence[pl.Expr]] = []
    index: list[int] = []
    for group in exprs:
        at = next(
            (
                i
                for i, f in enumerate(found)
                if len(f) == len(group)
                and all(a.meta.eq(b) for a, b in zip(f, group, strict=True))
            ),
            None,
        )
        if at is None:
            at = len(found)
            found.append(group)
        index.append(at)
    return found, index


def _join_register(wanted: pl.DataFrame, judged: pl.DataFrame) -> tuple[pl.DataFrame, bool]:
    """The applications with their business's verdicts (null: unknown business).

    :returns: the joined frame (``_bcode`` numbers the businesses) and whether some
        business applied more than once.
    """

    def join(right: pl.DataFrame, validate: Any) -> pl.DataFrame:
        return wanted.join(
            right.with_row_index("_bcode"),
            left_on="business_id",
            right_on="id",
            how="left",
            maintain_order="left",
            validate=validate,
        )

    # The join checks what it can on the way: one application a business, one row a
    # business in the register (the usual case) costs nothing more.
    try:
        return join(judged, "1:1"), False
    except pl.exceptions.ComputeError:
        pass
    several = wanted.get_column("business_id").n_unique() != wanted.height
    if judged.get_column("id").n_unique() != judged.height:
        # A business listed twice in the register: its last row counts, as in a mapping.
        judged = judged.unique("id", keep="last", maintain_order=True)
    return join(judged, "m:1"), several


class _Run:
    """One columnar allocation: the programme's layout of reasons and counters."""

    def __init__(
        self,
        program: Program,
        plan: ScreeningPlan,
        capacity: Sequence[CapacityRule],
        members: Sequence[ScreeningPlan | None],
    ) -> None:
        self.program = program
        self.plan = plan
        self.rules: tuple[CapacityRule, ...] = (WaveSeats(), *capacity)
        self.members: tuple[ScreeningPlan | None, ...] = (None, *members)
        self.w = w = len(program.waves)
        self.s = s = sum(1 for slot in plan.slots if slot.wave is None)
        self.m = (len(plan.slots) - s) // w if w else 0
        # Reason ids: 0 unknown business; 1.. the plan's slots (static, then per wave);
        # then per distinct capacity rule and wave "blocked by it"; per wave "already
        # seated here"; then the unknown waves met.
        self.codes: list[str] = [_UNKNOWN_BUSINESS, *(slot.code for slot in plan.slots)]
        self.waves: list[int | None] = [None, *(slot.wave for slot in plan.slots)]
        self.family: list[int] = []  # per rule: its distinct rule's index
        distinct: list[CapacityRule] = []
        for rule in self.rules:
            at = next((i for i, d in enumerate(distinct) if d == rule), None)
            if at is None:
                at = len(distinct)
                distinct.append(rule)
            self.family.append(at)
        self.distinct = distinct
        self.blocked_base = len(self.codes)
        numbers = [wave.number for wave in program.waves]
        for rule in distinct:
            self.codes.extend([rule.code] * w)
            self.waves.extend(numbers)
        self.taken_base = len(self.codes)
        self.districts = 1  # known once the register is judged
        self.member_groups: dict[int, int] = {}  # per reserved share: its member columns
        self.codes.extend([WaveSeats.code] * w)
        self.waves.extend(numbers)

    def _wave_groups(self) -> tuple[list[Sequence[pl.Expr]], list[int]]:
        plan, s, m = self.plan, self.s, self.m
        return _distinct(
            [(plan.wave_open[i], *plan.fires[s + i * m : s + (i + 1) * m]) for i in range(self.w)]
        )

    def _judged(
        self, register: pl.DataFrame | pl.LazyFrame, ids: pl.Series
    ) -> tuple[pl.DataFrame, list[int], dict[int, list[int]]]:
        """The applicants' businesses judged: static verdict and reasons, per wave group."""
        plan = self.plan
        groups, wave_group = self._wave_groups()
        lazy = register.lazy() if isinstance(register, pl.DataFrame) else register
        if not isinstance(register, pl.DataFrame) or register.height > 2 * ids.len():
            # A register much larger than the applicants: judge the applicants only.
            lazy = lazy.filter(pl.col("id").is_in(ids.implode()))
        lazy = plan.prepare(lazy)
        columns: list[pl.Expr] = [
            pl.col("id"),
            plan.static_ok.alias("_static_ok"),
            pl.when(pl.col("region_code").str.len_chars() >= 6)
            .then(pl.col("region_code").str.slice(0, 6))
            .alias("_district"),
        ]
        columns.extend(plan.fires[i].alias(f"_sf{i}") for i in range(self.s))
        for g, group in enumerate(groups):
            columns.append(group[0].alias(f"_open{g}"))
            columns.extend(fire.alias(f"_wf{g}_{j}") for j, fire in enumerate(group[1:]))
        member_of: dict[int, list[int]] = {}
        for r, member in enumerate(self.members):
            if member is None:
                continue
            lazy = member.prepare(lazy)
            exprs = [
                (member.static_ok & member.wave_open[i] if member.wave_open else member.static_ok,)
                for i in range(self.w)
            ]
            found, member_of[r] = _distinct(exprs)
            columns.extend(e[0].alias(f"_m{r}_{h}") for h, e in enumerate(found))
        judged = lazy.select(columns).collect()
        # Districts are few: number them through a small mapping, not per row as text.
        names = judged.get_column("_district").fill_null("").unique().sort()
        codes = pl.DataFrame(
            {"_district": names, "_dcode": pl.int_range(names.len(), dtype=pl.Int32, eager=True)}
        )
        self.districts = max(names.len(), 1)
        judged = (
            judged.with_columns(pl.col("_district").fill_null(""))
            .join(codes, on="_district", how="left", maintain_order="left")
            .drop("_district")
        )
        return judged, wave_group, member_of

    def allocate(
        self,
        policy: Policy,
        applications: pl.DataFrame,
        register: pl.DataFrame | pl.LazyFrame,
    ) -> tuple[pl.DataFrame, pl.DataFrame]:
        """The decisions and reasons frames, as :class:`~umkm_core.bulk.ColumnarAllocation`."""
        program = self.program
        ordered = _ordered(applications, policy).with_row_index("_order")
        n = ordered.height
        ids = ordered.get_column("business_id")
        judged, wave_group, member_of = self._judged(register, ids)
        self.member_groups = {r: max(g) + 1 for r, g in member_of.items()}
        groups = max(wave_group, default=-1) + 1
        wave_table = pl.DataFrame(
            {
                "_wave": pl.Series([w.number for w in program.waves], dtype=pl.Int64),
                "_widx": pl.Series(range(self.w), dtype=pl.Int64),
                "_group": pl.Series(wave_group, dtype=pl.Int64),
                **{
                    f"_mg{r}": pl.Series(groups_of, dtype=pl.Int64)
                    for r, groups_of in member_of.items()
                },
                **{
                    f"_rs{r}": pl.Series([rule.reserved(w.seats) for w in program.waves])
                    for r, rule in enumerate(self.rules)
                    if isinstance(rule, ReservedShare)
                },
            }
        )
        wanted = ordered.select("_order", "business_id", "waves")
        apps, several = _join_register(wanted, judged)
        apps = apps.drop("business_id")
        del judged
        known = pl.col("_static_ok").is_not_null()
        every = pl.Series([[w.number for w in program.waves]], dtype=pl.List(pl.Int64))
        # One row per wave wanted (no wave named: every wave), in the applicant's order.
        group = pl.col("_group")
        cands = (
            apps.filter(known)
            .with_columns(
                pl.when(pl.col("waves").list.len() == 0)
                .then(pl.lit(every).first())
                .otherwise(pl.col("waves"))
                .alias("_wave")
            )
            .drop("waves")
            .explode("_wave")
            .join(wave_table, on="_wave", how="left", maintain_order="left")
            .with_row_index("_seq")
        )
        cands = cands.with_columns(
            _pick([pl.col(f"_open{g}") for g in range(groups)], group)
            .fill_null(False)
            .alias("_ok")
        )
        refusals = self._refusals(apps, cands, groups)
        del apps
        ok = cands.filter(pl.col("_ok"))
        del cands
        eligible = ok.group_by("_order", maintain_order=True).agg(
            pl.col("_wave").alias("eligible")
        )
        keep = ["_order", "_widx", "_dcode", "_bcode"]
        keep.extend(c for c in ok.columns if c.startswith(("_m", "_rs")))
        seats = ok.filter(pl.col("_static_ok")).select(keep)
        del ok
        seat, waiting, blocked_rows, blocked = self._seat(seats, several=several, n=n)
        del seats
        decisions = self._decisions(ordered, eligible, seat, waiting)
        reasons = self._reasons(refusals, decisions, blocked_rows, blocked)
        return decisions, reasons

    def _refusals(self, apps: pl.DataFrame, cands: pl.DataFrame, groups: int) -> pl.DataFrame:
        """Why each applicant may not have each wave, one row a reason, with its place.

        A refused applicant's reasons are every rule failed: the rules about all waves,
        then wave by wave in its order of preference; a waitlisted one's, after why no
        wave gave a seat, why the other waves were not open.
        """
        order, seq, part, rid = "_order", "_seq", "_part", "_rid"

        def rows(
            frame: pl.DataFrame, seq_at: pl.Expr, part_at: int, reason: pl.Expr | int
        ) -> pl.DataFrame:
            return frame.select(
                pl.col(order),
                seq_at.cast(pl.Int64).alias(seq),
                pl.lit(part_at, pl.Int64).alias(part),
                (reason if isinstance(reason, pl.Expr) else pl.lit(reason)).cast(_RID).alias(rid),
            )

        known = pl.col("_static_ok").is_not_null()
        before = pl.lit(-1)
        pieces = [rows(apps.filter(~known), before, 0, 0)]
        pieces.extend(
            rows(apps.filter(known & pl.col(f"_sf{i}")), before, i, 1 + i) for i in range(self.s)
        )
        widx = pl.col("_widx")
        group = pl.col("_group")
        for j in range(self.m):
            fires = _pick([pl.col(f"_wf{g}_{j}") for g in range(groups)], group).fill_null(False)
            pieces.append(
                rows(cands.filter(fires), pl.col("_seq"), j, 1 + self.s + widx * self.m + j)
            )
        unknown = cands.filter(widx.is_null())
        if unknown.height:
            numbers = unknown.get_column("_wave").unique(maintain_order=True)
            first = len(self.codes)
            self.codes.extend([_UNKNOWN_WAVE] * numbers.len())
            self.waves.extend(numbers.to_list())
            ids = pl.DataFrame(
                {"_wave": numbers, "_urid": pl.Series(range(first, len(self.codes)), dtype=_RID)}
            )
            unknown = unknown.join(ids, on="_wave", how="left", maintain_order="left")
            pieces.append(rows(unknown, pl.col("_seq"), 0, pl.col("_urid")))
        return pl.concat(pieces)

    def _reasons(
        self,
        refusals: pl.DataFrame,
        decisions: pl.DataFrame,
        blocked_rows: array.array[int],
        blocked: array.array[int],
    ) -> pl.DataFrame:
        """Every reason of every decision, one row each, in the interpreted engine's order."""
        order, seq, part, rid = "_order", "_seq", "_part", "_rid"
        # Why no wave gave a seat comes first, in the order the waves were tried.
        tried = pl.DataFrame(
            {
                order: pl.Series(blocked_rows, dtype=pl.UInt32),
                seq: pl.repeat(-2, len(blocked), dtype=pl.Int64, eager=True),
                part: pl.int_range(len(blocked), dtype=pl.Int64, eager=True),
                rid: pl.Series(blocked, dtype=_RID),
            }
        )
        code = pl.Enum(list(dict.fromkeys(self.codes)))
        table = pl.DataFrame(
            {
                rid: pl.Series(range(len(self.codes)), dtype=_RID),
                "code": pl.Series(self.codes, dtype=code),
                "wave": pl.Series(self.waves, dtype=pl.Int64),
            }
        )
        accepted = (
            decisions.select(pl.col("status"))
            .with_row_index(order)
            .filter(pl.col("status") == "accepted")
            .select(order)
        )
        return (
            pl.concat([tried, refusals.join(accepted, on=order, how="anti")])
            .sort(order, seq, part)
            .join(table, on=rid, how="left", maintain_order="left")
            .select(pl.col(order).alias("row"), "code", "wave")
        )

    def _counters(
        self, seats: pl.DataFrame, *, several: bool
    ) -> tuple[pl.DataFrame, list[int], list[bool], list[int]]:
        """Per candidate seat, the counter of each capacity rule; each counter's limit.

        :returns: the seats with columns ``_c0..`` (one per rule, null: no charge), and
            per counter its limit, whether it lapses in the release pass, and the id of
            its first "blocked" reason (plus the wave's index gives the reason).
        """
        districts = self.districts
        top = seats.get_column("_bcode").max() if several else None
        businesses = int(top) + 1 if isinstance(top, int) else 0
        limits: list[int] = []
        releasable: list[bool] = []
        reason: list[int] = []
        widx = pl.col("_widx")
        family_exprs: list[pl.Expr | None] = []
        for f, rule in enumerate(self.distinct):
            lit = pl.lit(len(limits), pl.Int64)
            expr: pl.Expr | None
            waves = self.program.waves
            if isinstance(rule, WaveSeats):
                values, expr = [w.seats for w in waves], lit + widx
            elif isinstance(rule, ReservedShare):
                values, expr = [w.seats - rule.reserved(w.seats) for w in waves], lit + widx
            elif isinstance(rule, TotalSeats):
                values, expr = [rule.seats], lit + widx * 0
            elif isinstance(rule, DistrictQuota) and rule.per == "wave":
                values = [rule.limit] * (districts * self.w)
                expr = lit + widx * districts + pl.col("_dcode").cast(pl.Int64)
            elif isinstance(rule, DistrictQuota):
                values, expr = [rule.limit] * districts, lit + pl.col("_dcode").cast(pl.Int64)
            elif several:  # one seat per business
                values, expr = [1] * businesses, lit + pl.col("_bcode").cast(pl.Int64)
            else:
                # One application per business: its one seat is never a second one.
                values, expr = [], None
            limits.extend(values)
            releasable.extend([isinstance(rule, ReservedShare)] * len(values))
            reason.extend([self.blocked_base + f * self.w] * len(values))
            family_exprs.append(expr)
        columns: list[pl.Expr] = []
        for r, rule in enumerate(self.rules):
            expr = family_exprs[self.family[r]]
            if expr is None:
                continue
            if isinstance(rule, ReservedShare):
                groups = self.member_groups[r]
                member = _pick([pl.col(f"_m{r}_{h}") for h in range(groups)], pl.col(f"_mg{r}"))
                expr = pl.when(member | (pl.col(f"_rs{r}") == 0)).then(None).otherwise(expr)
            columns.append(expr.alias(f"_c{len(columns)}"))
        return seats.with_columns(columns), limits, releasable, reason

    def _seat(
        self, seats: pl.DataFrame, *, several: bool, n: int
    ) -> tuple[array.array[int], list[int], array.array[int], array.array[int]]:
        """Seat every applicant in policy order: the interpreted engine's loop, on integers.

        :returns: per application (policy order) its wave or -1; the waitlist in order
            (the applications' rows); the blocked reasons, flat: each one's application
            row and reason id, in order.
        """
        seats, limits, releasable, reason = self._counters(seats, several=several)
        counters = [c for c in seats.columns if c.startswith("_c")]
        runs = seats.group_by("_order", maintain_order=True).len()
        loop = _Loop(
            orders=_ints(runs.get_column("_order")),
            lengths=_ints(runs.get_column("len")),
            index_of=_ints(seats.get_column("_widx")),
            numbers=[w.number for w in self.program.waves],
            left=list(limits),
            reason=reason,
            seat=array.array("q", [-1]) * n,
        )
        nullable = any(isinstance(r, ReservedShare) for r in self.rules)
        if len(counters) == 2 and not several and not nullable:
            # The common case, unrolled: a wave's seats and one other limit.
            stop, k = _seat_two(
                loop, _ints(seats.get_column(counters[0])), _ints(seats.get_column(counters[1]))
            )
            if stop < len(loop.orders):
                # No seat left: every later applicant waits, each wave full.
                rest = seats.slice(k)
                loop.waiting.extend(loop.orders[stop:])
                loop.blocked_rows.extend(_ints(rest.get_column("_order")))
                loop.blocked.extend(_ints(rest.get_column("_widx") + self.blocked_base))
            return loop.seat, loop.waiting, loop.blocked_rows, loop.blocked
        charge_sets, charge_key = _charge_sets(seats, counters, len(limits))
        keys = (
            _ints(seats.get_column("_bcode") * self.w + seats.get_column("_widx"))
            if several
            else None
        )
        sets = _Sets(charge_sets, _ints(charge_key), keys, self.taken_base)
        ranges = _seat_sets(loop, sets)
        if any(releasable):
            _release(loop, sets, ranges, releasable)
        return loop.seat, loop.waiting, loop.blocked_rows, loop.blocked

    def _decisions(
        self,
        ordered: pl.DataFrame,
        eligible: pl.DataFrame,
        seat: array.array[int],
        orders: list[int],
    ) -> pl.DataFrame:
        """The decisions frame, in policy order."""
        waitlist = pl.DataFrame(
            {
                "_order": pl.Series(orders, dtype=pl.UInt32),
                "position": pl.Series(range(1, len(orders) + 1), dtype=pl.Int64),
            }
        )
        status = (
            pl.when(pl.col("wave").is_not_null())
            .then(pl.lit("accepted"))
            .when(pl.col("position").is_not_null())
            .then(pl.lit("waitlisted"))
            .otherwise(pl.lit("refused"))
            .cast(_STATUS)
        )
        return (
            ordered.select("_order", "business_id", "applied_at", "waves", "tier")
            .with_columns(pl.Series("wave", seat, dtype=pl.Int64).replace(-1, None))
            .join(waitlist, on="_order", how="left", maintain_order="left")
            .join(eligible, on="_order", how="left", maintain_order="left")
            .select(
                "business_id",
                "applied_at",
                "waves",
                "tier",
                status.alias("status"),
                "wave",
                "position",
                pl.col("eligible").fill_null(pl.lit([], dtype=pl.List(pl.Int64))),
            )
        )
