"""Allocation over columns: a national register and a million applications, in constant objects.

:func:`umkm_core.allocate` judges and seats Python objects, one business at a time. At
national scale the register is a Parquet file and the applications a table, and holding
them as objects costs gigabytes. :func:`allocate_columns` gives the same allocation from
frames:

* eligibility is judged by the compiled screening plan (:func:`compile_rules`): the same
  verdicts and the same reason slots, in the same order, as the interpreted engine;
* the seat assignment is the interpreted engine's, exactly: applications in policy
  order, each seated in the first wave it wants whose counters (wave seats, district
  quotas, total seats, one seat per business, reserved shares) all have room, a release
  pass for reserved shares, then the single waitlist. It runs as one loop over integer
  counters; the counters a seat uses are worked out in columns beforehand;
* every reason is kept, as a small integer per reason into :attr:`ColumnarAllocation.reason_table`
  (a code and a wave), so a million decisions cost a few bytes each.

A property test holds every decision (status, wave, waitlist position, eligible waves,
reason codes and waves, in order) to :func:`umkm_core.allocate` on random programmes.

What it does not take: rules that read the application itself, eligibility rules with
no columnar form, and capacity rules other than the built-in ones. Those are refused
with ``bulk.not_columnar``, naming the rule; :func:`umkm_core.allocate` takes them all.
"""

from __future__ import annotations

import array
import datetime as dt
import gc
import itertools
import os
import pathlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import polars as pl

from umkm_core.allocation.policy import FirstComeFirstServed, Policy
from umkm_core.bulk.compile import ScreeningPlan, compile_rules
from umkm_core.bulk.register import REGISTER_SCHEMA
from umkm_core.errors import InvalidDocument, UmkmError, ValidationError
from umkm_core.files import atomic_write
from umkm_core.limits import check_date
from umkm_core.model.application import Application
from umkm_core.model.program import PastEnrollment, Program
from umkm_core.rules.base import CapacityRule, EligibilityRule, RuleFactory
from umkm_core.rules.capacity import (
    DistrictQuota,
    OneSeatPerBusiness,
    ReservedShare,
    TotalSeats,
    WaveSeats,
    allocation_rules,
)

__all__ = [
    "APPLICATIONS_SCHEMA",
    "ColumnarAllocation",
    "allocate_columns",
    "applications_frame",
]

#: The columns of an applications frame. ``applied_at`` is an instant (UTC); ``waves``
#: the waves wanted, most wanted first (empty: any wave); ``tier`` the priority tier.
APPLICATIONS_SCHEMA: dict[str, pl.DataType] = {
    "business_id": pl.String(),
    "program_id": pl.String(),
    "applied_at": pl.Datetime("us", "UTC"),
    "waves": pl.List(pl.Int64()),
    "tier": pl.Int64(),
}

_STATUSES = ("accepted", "waitlisted", "refused")
_STATUS = pl.Enum(_STATUSES)
_RID = pl.UInt32()

_UNKNOWN_BUSINESS = "application.unknown_business"
_UNKNOWN_WAVE = "application.unknown_wave"


def applications_frame(applications: Iterable[Application]) -> pl.DataFrame:
    """The applications as a frame of :data:`APPLICATIONS_SCHEMA`, in the order given.

    :param applications: the applications.
    :returns: the frame (``applied_at`` converted to UTC; the instant is kept).
    """
    business: list[str] = []
    program: list[str] = []
    applied: list[dt.datetime] = []
    waves: list[list[int]] = []
    tiers: list[int | None] = []
    for a in applications:
        business.append(a.business_id)
        program.append(a.program_id)
        applied.append(a.applied_at)
        waves.append(list(a.waves))
        tiers.append(a.tier)
    return pl.DataFrame(
        {
            "business_id": pl.Series(business, dtype=pl.String),
            "program_id": pl.Series(program, dtype=pl.String),
            "applied_at": pl.Series(applied, dtype=pl.Datetime("us", "UTC")),
            "waves": pl.Series(waves, dtype=pl.List(pl.Int64)),
            "tier": pl.Series(tiers, dtype=pl.Int64),
        }
    )


@attrs.frozen(kw_only=True, eq=False)
class ColumnarAllocation:
    """The result of :func:`allocate_columns`: one row per application, in policy order.

    :param program: the programme allocated.
    :param policy: the policy that ordered the applicants.
    :param as_of: the date the rules were judged on.
    :param decisions: ``business_id``, ``applied_at``, ``waves``, ``tier``, ``status``
        (``accepted`` / ``waitlisted`` / ``refused``), ``wave`` (the seat), ``position``
        (on the waitlist) and ``eligible`` (the waves open to the applicant, in its order
        of preference), as :class:`umkm_core.Decision` has them.
    :param reasons: every reason of every decision, one row each: ``row`` (the
        decision's row in :attr:`decisions`), ``code`` and ``wave`` (null when the
        reason concerns no wave), in the order :func:`umkm_core.allocate` gives them.
    """

    program: Program
    policy: Policy
    as_of: dt.date
    decisions: pl.DataFrame = attrs.field(repr=False)
    reasons: pl.DataFrame = attrs.field(repr=False)

    def __len__(self) -> int:
        return self.decisions.height

    def status_counts(self) -> dict[str, int]:
        """How many applications were accepted, waitlisted and refused."""
        found = self.decisions.get_column("status").value_counts()
        counts = {str(s): int(c) for s, c in found.iter_rows()}
        return {s: counts.get(s, 0) for s in _STATUSES}

    def seats_taken(self) -> dict[int, int]:
        """Seats taken per wave (every wave listed, also the empty ones)."""
        taken = dict.fromkeys(self.program.wave_numbers, 0)
        seated = self.decisions.get_column("wave").drop_nulls().value_counts()
        for wave, count in seated.iter_rows():
            taken[int(wave)] = int(count)
        return taken

    def reason_counts(self) -> dict[str, int]:
        """Per reason code, how many decisions carry it (a decision counts once per code)."""
        found = self.reasons.unique(["row", "code"]).get_column("code").value_counts(sort=True)
        return {str(code): int(n) for code, n in found.iter_rows()}

    def reasons_of(self, row: int) -> tuple[tuple[str, int | None], ...]:
        """The reasons of the decision at ``row`` (policy order), as (code, wave) pairs."""
        found = self.reasons.filter(pl.col("row") == row)
        return tuple(found.select("code", "wave").iter_rows())

    def with_reasons(self) -> pl.DataFrame:
        """:attr:`decisions` with a ``reasons`` column: each decision's ``{code, wave}`` list."""
        lists = self.reasons.group_by("row", maintain_order=True).agg(
            pl.struct("code", "wave").alias("reasons")
        )
        empty = pl.lit([], dtype=pl.List(pl.Struct({"code": pl.String, "wave": pl.Int64})))
        return (
            self.decisions.with_row_index("row")
            .join(lists, on="row", how="left", maintain_order="left")
            .with_columns(pl.col("reasons").fill_null(empty))
            .drop("row")
        )

    def write_parquet(self, path: str | os.PathLike[str]) -> pathlib.Path:
        """Write :meth:`with_reasons` to a Parquet file, whole or not at all.

        The decisions hold no personal data (business ids, times, waves, reasons), so
        the file is created ``0644``.

        :param path: the file.
        :returns: the path written.
        :raises UmkmError: ``file.folder_missing`` / ``file.cannot_write``.
        """
        target = pathlib.Path(path)
        with atomic_write(target, private=False) as stream:
            self.with_reasons().write_parquet(stream)
        return target


def _not_columnar(name: str, why_id: str, why_en: str) -> UmkmError:
    return UmkmError(
        "bulk.not_columnar",
        field=name,
        id=f"Aturan '{name}' tidak dapat dinilai per kolom ({why_id}); gunakan allocate().",
        en=f"Rule '{name}' cannot be judged in columns ({why_en}); use allocate().",
    )


def _check_rules(
    program: Program,
) -> tuple[tuple[EligibilityRule, ...], tuple[CapacityRule, ...]]:
    rules = allocation_rules(program)  # with one seat per business unless lifted
    eligibility = tuple(r for r in rules if isinstance(r, EligibilityRule))
    capacity = tuple(r for r in rules if isinstance(r, CapacityRule))
    for rule in (*eligibility, *capacity):
        if rule.depends_on_application:
            raise _not_columnar(rule.name, "membaca pendaftarannya", "it reads the application")
    for rule in capacity:
        if not isinstance(rule, DistrictQuota | TotalSeats | OneSeatPerBusiness | ReservedShare):
            raise _not_columnar(
                rule.name, "aturan kapasitas dari plugin", "a capacity rule from a plugin"
            )
    return eligibility, capacity


def _check_applications(applications: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in APPLICATIONS_SCHEMA if c not in applications.columns]
    if missing:
        raise UmkmError(
            "bulk.bad_applications",
            field=missing[0],
            id=f"Tabel pendaftaran tanpa kolom '{missing[0]}'.",
            en=f"The applications table has no column '{missing[0]}'.",
        )
    try:
        frame = applications.select(
            pl.col(name).cast(dtype, strict=True) for name, dtype in APPLICATIONS_SCHEMA.items()
        )
    except pl.exceptions.PolarsError as exc:
        raise UmkmError(
            "bulk.bad_applications",
            field="applications",
            id="Tipe kolom tabel pendaftaran salah.",
            en="A column of the applications table has the wrong type.",
        ) from exc
    nulls = frame.select(pl.col("business_id", "program_id", "applied_at", "waves").null_count())
    for name, count in zip(nulls.columns, nulls.row(0), strict=True):
        if count:
            raise UmkmError(
                "bulk.bad_applications",
                field=name,
                id=f"Kolom '{name}' tabel pendaftaran kosong di {count} baris.",
                en=f"Column '{name}' of the applications table is empty in {count} rows.",
            )
    _check_values(frame)
    return frame


def _check_values(frame: pl.DataFrame) -> None:
    """Each application as :class:`~umkm_core.Application` would have it, or every bad row."""
    wave = pl.element()
    checks = {
        "business_id": (
            pl.col("business_id").str.strip_chars() == "",
            "application.business_id_blank",
            ("'business_id' wajib diisi.", "'business_id' is required."),
        ),
        "program_id": (
            pl.col("program_id").str.strip_chars() == "",
            "application.program_id_blank",
            ("'program_id' wajib diisi.", "'program_id' is required."),
        ),
        "waves": (
            pl.col("waves").list.eval(wave.is_null() | (wave < 1)).list.any(),
            "application.bad_wave",
            (
                "Nomor gelombang harus bilangan bulat 1 atau lebih.",
                "A wave number is a whole number of 1 or more.",
            ),
        ),
        "waves ": (
            pl.col("waves").list.n_unique() != pl.col("waves").list.len(),
            "application.duplicate_wave",
            ("Gelombang disebut lebih dari sekali.", "A wave is listed more than once."),
        ),
        "tier": (
            (pl.col("tier") < 0).fill_null(False),
            "application.bad_tier",
            (
                "Tingkat prioritas harus bilangan bulat 0 atau lebih.",
                "A priority tier is a whole number of 0 or more.",
            ),
        ),
    }
    found = (
        frame.select(*(check.alias(name) for name, (check, _, _) in checks.items()))
        .with_row_index("_row")
        .filter(pl.any_horizontal(list(checks)))
    )
    if not found.height:
        return
    errors = [
        ValidationError(
            code,
            field=f"applications[{row['_row']}].{name.strip()}",
            id=text_id,
            en=text_en,
        )
        for row in found.iter_rows(named=True)
        for name, (_, code, (text_id, text_en)) in checks.items()
        if row[name]
    ]
    raise InvalidDocument(errors)


def _check_register(register: pl.DataFrame | pl.LazyFrame) -> None:
    try:
        schema = (
            register.schema if isinstance(register, pl.DataFrame) else register.collect_schema()
        )
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise UmkmError(
            "bulk.bad_register",
            field="register",
            id="Daftar usaha tidak dapat dibaca.",
            en="The register cannot be read.",
        ) from exc
    for name, dtype in REGISTER_SCHEMA.items():
        if schema.get(name) != dtype:
            raise UmkmError(
                "bulk.bad_register",
                field=name,
                id=f"Kolom '{name}' daftar usaha tidak ada atau salah tipe.",
                en=f"Column '{name}' of the register is missing or mistyped.",
            )


def _wrong_program(program: Program, applications: pl.DataFrame) -> None:
    wrong = (
        applications.select(pl.col("program_id"))
        .with_row_index("i")
        .filter(pl.col("program_id") != program.id)
    )
    if wrong.height:
        raise InvalidDocument(
            [
                ValidationError(
                    "application.wrong_program",
                    field=f"applications[{i}].program_id",
                    value=value,
                    id=f"Pendaftaran untuk program lain, bukan {program.id}.",
                    en=f"Application for another programme, not {program.id}.",
                )
                for i, value in wrong.iter_rows()
            ]
        )


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


def _member_plans(
    program: Program,
    capacity: Sequence[CapacityRule],
    *,
    as_of: dt.date,
    history: Mapping[str, tuple[PastEnrollment, ...]],
    factories: Sequence[RuleFactory],
) -> list[ScreeningPlan | None]:
    """Per capacity rule, its reserved-share group compiled (``None`` for other rules)."""
    plans: list[ScreeningPlan | None] = []
    for rule in capacity:
        if not isinstance(rule, ReservedShare):
            plans.append(None)
            continue
        plan = compile_rules(
            attrs.evolve(program, rules=(rule.group,)),
            as_of=as_of,
            history=history,
            factories=factories,
        )
        if plan.fallbacks:
            raise _not_columnar(
                plan.row_by_row[0], "tanpa bentuk kolom", "it has no columnar form"
            )
        plans.append(plan)
    return plans


def allocate_columns(
    program: Program,
    applications: pl.DataFrame,
    register: pl.DataFrame | pl.LazyFrame,
    *,
    as_of: dt.date,
    policy: Policy | None = None,
    history: Iterable[PastEnrollment] = (),
    factories: Iterable[RuleFactory] = (),
) -> ColumnarAllocation:
    """Decide every application to ``program`` over columns, as :func:`umkm_core.allocate` does.

    :param program: the programme, with its waves and rules.
    :param applications: a frame of :data:`APPLICATIONS_SCHEMA` (see
        :func:`applications_frame`), in any order.
    :param register: the register as a frame of :data:`~umkm_core.bulk.REGISTER_SCHEMA`
        (:func:`~umkm_core.bulk.scan_register` of a Parquet register, or
        :func:`~umkm_core.bulk.register_frame`); a business listed twice counts as its
        last row, as in a mapping.
    :param as_of: the date the rules are judged on.
    :param policy: the order of consideration; first come, first served by default.
    :param history: earlier enrollments, for ``not_attended_within``.
    :param factories: plugin rule factories with columnar forms.
    :returns: the :class:`ColumnarAllocation`.
    :raises InvalidDocument: ``application.wrong_program`` for applications to another
        programme; ``application.business_id_blank``, ``application.bad_wave``,
        ``application.duplicate_wave``, ``application.bad_tier`` for values an
        :class:`~umkm_core.Application` refuses (``field`` names each row).
    :raises UmkmError: ``bulk.not_columnar`` for a rule that reads the application, has
        no columnar form or is a capacity rule from a plugin; ``bulk.bad_applications``
        for a frame without the columns or types of :data:`APPLICATIONS_SCHEMA` (or with
        empty cells where a value is needed); ``bulk.bad_register`` for a register
        without the columns of :data:`~umkm_core.bulk.REGISTER_SCHEMA`.
    :raises ValidationError: ``date.out_of_range`` for an as-of date past the limit.
    """
    check_date(as_of, field="as_of")
    policy = policy if policy is not None else FirstComeFirstServed()
    eligibility, capacity = _check_rules(program)
    frame = _check_applications(applications)
    _check_register(register)
    _wrong_program(program, frame)
    grouped: dict[str, list[PastEnrollment]] = {}
    for entry in history:
        grouped.setdefault(entry.business_id, []).append(entry)
    past = {k: tuple(v) for k, v in grouped.items()}
    chosen = tuple(factories)
    plan = compile_rules(
        attrs.evolve(program, rules=eligibility), as_of=as_of, history=past, factories=chosen
    )
    if plan.fallbacks:
        raise _not_columnar(plan.row_by_row[0], "tanpa bentuk kolom", "it has no columnar form")
    members = _member_plans(program, capacity, as_of=as_of, history=past, factories=chosen)
    collecting = gc.isenabled()
    gc.disable()  # the seat loop makes many small, acyclic objects
    try:
        return _Run(program, plan, capacity, members).allocate(policy, as_of, frame, register)
    finally:
        if collecting:
            gc.enable()


_EMPTY = pl.lit([], dtype=pl.List(_RID))


def _ints(series: pl.Series) -> array.array[int]:
    """A column of integers as a compact array (8 bytes each, not a list of objects)."""
    values = array.array("q")
    values.frombytes(series.cast(pl.Int64).to_numpy().tobytes())
    return values


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
        as_of: dt.date,
        applications: pl.DataFrame,
        register: pl.DataFrame | pl.LazyFrame,
    ) -> ColumnarAllocation:
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
        return ColumnarAllocation(
            program=program,
            policy=policy,
            as_of=as_of,
            decisions=decisions,
            reasons=reasons,
        )

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
