"""Eligibility rules compiled to Polars expressions, with the interpreted engine's reasons.

The allocation engine judges one business at a time in Python. Over a register of
millions the same rules are better judged column by column: each built-in eligibility
rule becomes a boolean Polars expression ("passes"), and ``all_of`` / ``any_of`` /
``not_`` combine them. The reasons follow the interpreted engine exactly:

* ``all_of`` keeps the reasons of *every* failing part, in order (nested ``all_of``
  flattens), so its reasons are a subsequence of a fixed list of *slots*;
* ``any_of`` and ``not_`` fail with one reason of their own code, whatever their parts
  said, so each is one slot;
* a programme's rules are judged as an application that wants every wave: the rules
  that concern every wave first, then, wave by wave, the rules judged per wave (their
  reasons carry the wave number).

Each slot becomes one bit of a ``UInt64`` mask column (64 slots a column), so a screened
row costs a few bytes and counting businesses by reason is a column sum. A rule from a
plugin takes part with the columnar form of its :class:`~umkm_core.rules.RuleFactory`
(``columnar=``); a rule without one is judged row by row, with the same verdicts and
reasons, and the plan names it in :attr:`ScreeningPlan.row_by_row`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import polars as pl

from umkm_core.bulk.register import business_from_row
from umkm_core.errors import PluginError, ValidationError
from umkm_core.model.program import PastEnrollment, Program, Wave
from umkm_core.model.size import Criterion, SizeClass, regime_on
from umkm_core.rules.base import EligibilityRule, Rule, RuleContext, RuleFactory
from umkm_core.rules.certification import HoldsCertificate, LacksCertificate
from umkm_core.rules.eligibility import (
    AllOf,
    AnyOf,
    CoachedBy,
    HasNIB,
    LocatedIn,
    Not,
    NotAttendedWithin,
    SectorMatchesWave,
    SizeClassIn,
    WomenOwned,
)

__all__ = ["ColumnarContext", "ScreeningPlan", "Slot", "compile_rules"]

_SLOTS_PER_MASK = 64
_SIZE_ORDER = (SizeClass.MIKRO, SizeClass.KECIL, SizeClass.MENENGAH, SizeClass.BESAR)


@attrs.frozen(kw_only=True)
class ColumnarContext:
    """What a columnar rule form sees: everything but the business, which is the columns.

    A plugin's ``RuleFactory(columnar=...)`` is called as ``columnar(rule, ctx)`` and
    returns a boolean Polars expression over the register's columns
    (:data:`umkm_core.bulk.REGISTER_SCHEMA`) that is true where the rule passes. Where
    it is false, the rule's reason is one reason with the rule's ``code`` (what
    :meth:`~umkm_core.rules.Rule.fail` gives).

    :param program: the programme (``None`` when screening bare rules).
    :param as_of: the date the rules are judged on.
    :param wave: the wave, for rules judged per wave.
    :param history: earlier enrollments by business id.
    """

    program: Program | None
    as_of: dt.date
    wave: Wave | None = None
    history: Mapping[str, tuple[PastEnrollment, ...]] = attrs.field(factory=dict)


@attrs.frozen
class Slot:
    """One place in the reasons of a screened business: a code, and the wave if any.

    ``fallback`` is the index of the row-by-row rule whose own reasons fill the slot
    (``None`` for a compiled slot, which holds exactly one reason of ``code``).
    """

    code: str
    wave: int | None = None
    fallback: int | None = None


@attrs.frozen
class _Fallback:
    """A rule judged row by row: its column names and the wave it is judged for."""

    index: int
    rule: EligibilityRule
    wave: Wave | None

    @property
    def passes(self) -> str:
        return f"_fb{self.index}_passes"

    @property
    def codes(self) -> str:
        return f"_fb{self.index}_codes"


class _Node:
    """A compiled rule: where it passes, and its reason slots (with when each fires)."""

    __slots__ = ("passes", "slots")

    def __init__(self, passes: pl.Expr, slots: list[tuple[Slot, pl.Expr]]) -> None:
        self.passes = passes
        self.slots = slots


def _fails_once(rule: Rule, passes: pl.Expr, wave: Wave | None) -> _Node:
    slot = Slot(rule.code, wave.number if wave is not None else None)
    return _Node(passes, [(slot, ~passes)])


def _field(name: str) -> pl.Expr:
    return pl.element().struct.field(name)


def _coached(office_id: str, day: dt.date) -> pl.Expr:
    return (
        pl.col("coaching")
        .list.eval(
            (_field("office_id") == office_id)
            & (_field("since") <= day)
            & (_field("until").is_null() | (_field("until") >= day))
        )
        .list.any()
        .fill_null(False)
    )


def _holds(kind: str, day: dt.date) -> pl.Expr:
    return (
        pl.col("certificates")
        .list.eval(
            (_field("kind") == kind)
            & (_field("issued_on") <= day)
            & (_field("expires_on").is_null() | (_field("expires_on") >= day))
        )
        .list.any()
        .fill_null(False)
    )


_LATEST = "_latest_financials"
_SIZE_RANK = "_size_rank"


def _size_columns(as_of: dt.date) -> dict[str, pl.Expr]:
    """Derived columns: the latest record, and the size rank under the law of ``as_of``.

    The rank is 0 (mikro) to 3 (besar), null when unknown. Mirrors
    :func:`umkm_core.classify_size` with the default basis: the latest record whose year
    has started (records are stored sorted by year), then either criterion
    (UU 20/2008: the smaller class) or the primary criterion, else annual sales. Kept as
    columns of their own: inlined into every comparison, Polars would evaluate the list
    expression once per use (measured: 15x slower).
    """
    regime = regime_on(as_of)
    latest = (
        pl.col("financials")
        .list.eval(pl.element().filter(_field("year") <= as_of.year).last())
        .list.first()
    )

    def index(criterion: Criterion) -> pl.Expr:
        amount = pl.col(_LATEST).struct.field(criterion.value)
        low, mid, high = regime.limits[criterion]
        return (
            pl.when(amount.is_null())
            .then(None)
            .when(amount <= low)
            .then(0)
            .when(amount <= mid)
            .then(1)
            .when(amount <= high)
            .then(2)
            .otherwise(3)
        )

    if regime.either:
        rank = pl.min_horizontal([index(c) for c in regime.limits])
    else:
        order = [
            c for c in (regime.primary, *regime.limits) if c is not None and c in regime.limits
        ]
        rank = pl.coalesce([index(c) for c in order])
    return {_LATEST: latest, _SIZE_RANK: rank}


def _attended(rule: NotAttendedWithin, ctx: ColumnarContext) -> list[str]:
    # The same window as NotAttendedWithin.check, worked out once over the history.
    program = ctx.program
    if program is None and rule.kind is None:
        raise ValidationError(
            "bulk.needs_program",
            field=rule.name,
            id="Aturan 'not_attended_within' tanpa 'kind' memerlukan programnya.",
            en="Rule 'not_attended_within' without 'kind' needs its programme.",
        )
    kind = rule.kind or (program.kind if program is not None else None)
    as_of = ctx.as_of
    if as_of.year - rule.years < dt.MINYEAR:
        since = dt.date.min
    else:
        try:
            since = as_of.replace(year=as_of.year - rule.years)
        except ValueError:  # 29 February in a year without one
            since = as_of.replace(year=as_of.year - rule.years, day=28)
    program_id = program.id if program is not None else None
    return sorted(
        business_id
        for business_id, entries in ctx.history.items()
        if any(
            e.kind is kind and since < e.ended_on <= as_of and e.program_id != program_id
            for e in entries
        )
    )


_Leaf = Callable[[Any, ColumnarContext], pl.Expr]


def _plugin_leaf(name: str, columnar: Callable[..., object]) -> _Leaf:
    def leaf(rule: Rule, ctx: ColumnarContext) -> pl.Expr:
        found = columnar(rule, ctx)
        if not isinstance(found, pl.Expr):
            raise PluginError(
                "bulk.bad_columnar",
                field=name,
                id=f"Bentuk kolom aturan '{name}' bukan ekspresi Polars.",
                en=f"The columnar form of rule '{name}' is not a Polars expression.",
            )
        return found

    return leaf


def _sector(rule: SectorMatchesWave, ctx: ColumnarContext) -> pl.Expr:
    if ctx.wave is None:
        return pl.lit(True)
    return (pl.col("sector") == ctx.wave.sector).fill_null(False)


def _size(rule: SizeClassIn, ctx: ColumnarContext) -> pl.Expr:
    ranks = sorted(_SIZE_ORDER.index(c) for c in rule.classes)
    return pl.col(_SIZE_RANK).is_in(ranks).fill_null(False)


def _not_attended(rule: NotAttendedWithin, ctx: ColumnarContext) -> pl.Expr:
    ids = _attended(rule, ctx)
    return ~pl.col("id").is_in(ids) if ids else pl.lit(True)


_BUILTIN: dict[type[Rule], _Leaf] = {
    SectorMatchesWave: _sector,
    CoachedBy: lambda r, c: _coached(r.office_id, r.on or c.as_of),
    LocatedIn: lambda r, c: pl.col("region_code").str.starts_with(r.region.value).fill_null(False),
    SizeClassIn: _size,
    HasNIB: lambda r, c: pl.col("nib").is_not_null(),
    NotAttendedWithin: _not_attended,
    WomenOwned: lambda r, c: (pl.col("owner_sex") == "female").fill_null(False),
    HoldsCertificate: lambda r, c: _holds(r.kind, c.as_of),
    LacksCertificate: lambda r, c: ~_holds(r.kind, c.as_of),
}


class _Compiler:
    def __init__(self, ctx: ColumnarContext, columnar: Mapping[str, _Leaf]) -> None:
        self.ctx = ctx
        self.columnar = columnar
        self.fallbacks: list[_Fallback] = []
        self.derived: dict[str, pl.Expr] = {}

    def node(self, rule: EligibilityRule, wave: Wave | None) -> _Node:
        ctx = self.ctx if wave is None else attrs.evolve(self.ctx, wave=wave)
        kind = type(rule)
        if kind is AllOf:
            assert isinstance(rule, AllOf)
            parts = [self.node(r, wave) for r in rule.rules]
            passes = pl.all_horizontal([p.passes for p in parts])
            return _Node(passes, [s for p in parts for s in p.slots])
        if kind is AnyOf:
            assert isinstance(rule, AnyOf)
            parts = [self.node(r, wave) for r in rule.rules]
            return _fails_once(rule, pl.any_horizontal([p.passes for p in parts]), wave)
        if kind is Not:
            assert isinstance(rule, Not)
            return _fails_once(rule, ~self.node(rule.negated, wave).passes, wave)
        leaf = _BUILTIN.get(kind) or self.columnar.get(rule.name)
        if kind is SizeClassIn and not self.derived:
            self.derived.update(_size_columns(ctx.as_of))
        if leaf is not None:
            return _fails_once(rule, leaf(rule, ctx), wave)
        fallback = _Fallback(len(self.fallbacks), rule, wave)
        self.fallbacks.append(fallback)
        slot = Slot(rule.code, wave.number if wave is not None else None, fallback.index)
        return _Node(pl.col(fallback.passes), [(slot, ~pl.col(fallback.passes))])


def _masks(fires: Sequence[pl.Expr], prefix: str) -> list[pl.Expr]:
    masks: list[pl.Expr] = []
    for start in range(0, len(fires), _SLOTS_PER_MASK):
        chunk = fires[start : start + _SLOTS_PER_MASK]
        bits = [f.cast(pl.UInt64) * pl.lit(1 << i, pl.UInt64) for i, f in enumerate(chunk)]
        masks.append(pl.sum_horizontal(bits).cast(pl.UInt64).alias(f"{prefix}{len(masks)}"))
    return masks


@attrs.frozen(kw_only=True, eq=False)
class ScreeningPlan:
    """Compiled eligibility rules: the expressions that judge a register frame.

    :param slots: every place a reason can take, in the interpreted engine's order.
    :param waves: the wave numbers judged (the programme's, in order).
    :param row_by_row: the names of rules judged row by row (no columnar form).
    :param as_of: the date judged on.
    :param program: the programme, if any.
    """

    slots: tuple[Slot, ...]
    waves: tuple[int, ...]
    row_by_row: tuple[str, ...]
    as_of: dt.date
    program: Program | None
    history: Mapping[str, tuple[PastEnrollment, ...]] = attrs.field(repr=False)
    eligible: pl.Expr = attrs.field(repr=False)
    static_ok: pl.Expr = attrs.field(repr=False)
    derived: tuple[pl.Expr, ...] = attrs.field(repr=False)
    fires: tuple[pl.Expr, ...] = attrs.field(repr=False)
    wave_open: tuple[pl.Expr, ...] = attrs.field(repr=False)
    fallbacks: tuple[_Fallback, ...] = attrs.field(repr=False)

    @property
    def mask_columns(self) -> tuple[str, ...]:
        """The names of the reason mask columns of :meth:`judge`'s result."""
        return tuple(f"_reasons{i}" for i in range(-(-len(self.slots) // _SLOTS_PER_MASK)))

    @property
    def codes(self) -> tuple[str, ...]:
        """The distinct reason codes of compiled slots, in slot order."""
        return tuple(dict.fromkeys(s.code for s in self.slots))

    def with_fallbacks(self, frame: pl.DataFrame) -> pl.DataFrame:
        """``frame`` with the columns of the rules judged row by row (in Python)."""
        if not self.fallbacks:
            return frame
        passes: list[list[bool]] = [[] for _ in self.fallbacks]
        codes: list[list[list[str]]] = [[] for _ in self.fallbacks]
        program = self.program
        assert program is not None  # compile_rules refuses row-by-row rules without one
        for row in frame.iter_rows(named=True):
            business = business_from_row(row)
            ctx = RuleContext(
                business=business,
                program=program,
                as_of=self.as_of,
                history=self.history.get(business.id, ()),
            )
            for fb in self.fallbacks:
                verdict = fb.rule.check(ctx if fb.wave is None else ctx.at_wave(fb.wave))
                passes[fb.index].append(verdict.passed)
                codes[fb.index].append([] if verdict.passed else [r.code for r in verdict.reasons])
        return frame.with_columns(
            *(pl.Series(fb.passes, passes[fb.index], dtype=pl.Boolean) for fb in self.fallbacks),
            *(
                pl.Series(fb.codes, codes[fb.index], dtype=pl.List(pl.String))
                for fb in self.fallbacks
            ),
        )

    def prepare(self, frame: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
        """``frame`` with the derived columns the plan's expressions read (the size rank).

        Apply it before using :attr:`eligible` or :attr:`static_ok` on a frame.
        """
        lazy = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
        for column in self.derived:  # in order: a derived column may read an earlier one
            lazy = lazy.with_columns(column)
        return lazy

    def judge(self, frame: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
        """The verdict columns for every row: ``id``, ``eligible``, waves open, reason masks.

        :param frame: register rows (with the row-by-row columns, see
            :meth:`with_fallbacks`, when :attr:`row_by_row` is not empty).
        :returns: a lazy frame with ``id``, ``eligible`` (bool), ``_waves0..`` (bit ``i``:
            wave ``waves[i]`` is open) and ``_reasons0..`` (bit ``i`` of mask ``i // 64``:
            slot ``i`` holds a reason), plus the row-by-row reason code lists.
        """
        return self.prepare(frame).select(
            pl.col("id"),
            self.eligible.alias("eligible"),
            *_masks(self.wave_open, "_waves"),
            *_masks(self.fires, "_reasons"),
            *(pl.col(fb.codes) for fb in self.fallbacks),
        )

    def reasons(self, row: Mapping[str, Any]) -> tuple[tuple[str, int | None], ...]:
        """The reasons of one row of :meth:`judge`'s result, as (code, wave) pairs, in order."""
        found: list[tuple[str, int | None]] = []
        for i, slot in enumerate(self.slots):
            mask = row[f"_reasons{i // _SLOTS_PER_MASK}"]
            if not (mask >> (i % _SLOTS_PER_MASK)) & 1:
                continue
            if slot.fallback is None:
                found.append((slot.code, slot.wave))
            else:
                found.extend(
                    (code, slot.wave) for code in row[self.fallbacks[slot.fallback].codes]
                )
        return tuple(found)

    def open_waves(self, row: Mapping[str, Any]) -> tuple[int, ...]:
        """The waves open to one row of :meth:`judge`'s result, in programme order."""
        return tuple(
            number
            for i, number in enumerate(self.waves)
            if (row[f"_waves{i // _SLOTS_PER_MASK}"] >> (i % _SLOTS_PER_MASK)) & 1
        )


def compile_rules(
    rules: Program | Iterable[Rule],
    *,
    as_of: dt.date,
    history: Iterable[PastEnrollment] | Mapping[str, tuple[PastEnrollment, ...]] = (),
    factories: Iterable[RuleFactory] = (),
) -> ScreeningPlan:
    """Compile a programme's eligibility rules (or bare rules) to a :class:`ScreeningPlan`.

    Capacity rules are left out: screening says who may take part, not who gets a seat.

    :param rules: a programme (its rules and waves) or eligibility rules; bare rules
        that are judged per wave (``sector_matches_wave``) need a programme.
    :param as_of: the date the rules are judged on (size law, coaching, certificates).
    :param history: earlier enrollments, for ``not_attended_within``.
    :param factories: rule factories from plugins (their ``columnar`` forms are used).
    :returns: the plan.
    :raises ValidationError: ``bulk.needs_program``; ``size.no_regime`` when a size rule
        is judged on a date no size law covers.
    :raises PluginError: ``bulk.bad_columnar`` when a plugin's columnar form returns
        something other than a Polars expression.
    """
    program: Program | None
    if isinstance(rules, Program):
        program, chosen = rules, rules.rules
    else:
        program, chosen = None, tuple(rules)
    eligibility = [r for r in chosen if isinstance(r, EligibilityRule)]
    by_business: dict[str, tuple[PastEnrollment, ...]]
    if isinstance(history, Mapping):
        by_business = dict(history)
    else:
        grouped: dict[str, list[PastEnrollment]] = {}
        for entry in history:
            grouped.setdefault(entry.business_id, []).append(entry)
        by_business = {k: tuple(v) for k, v in grouped.items()}
    ctx = ColumnarContext(program=program, as_of=as_of, history=by_business)
    columnar = {
        f.name: _plugin_leaf(f.name, f.columnar) for f in factories if f.columnar is not None
    }
    compiler = _Compiler(ctx, columnar)
    static = [compiler.node(r, None) for r in eligibility if not r.is_per_wave]
    per_wave = [r for r in eligibility if r.is_per_wave]
    if per_wave and program is None:
        raise ValidationError(
            "bulk.needs_program",
            field=per_wave[0].name,
            id=f"Aturan '{per_wave[0].name}' dinilai per gelombang: berikan programnya.",
            en=f"Rule '{per_wave[0].name}' is judged per wave: give its programme.",
        )
    waves = program.waves if program is not None else ()
    if compiler.fallbacks and program is None:
        name = compiler.fallbacks[0].rule.name
        raise ValidationError(
            "bulk.needs_program",
            field=name,
            id=f"Aturan '{name}' dinilai per baris: berikan programnya.",
            en=f"Rule '{name}' is judged row by row: give its programme.",
        )
    wave_nodes = [[compiler.node(r, w) for r in per_wave] for w in waves]
    slots = [s for n in static for s in n.slots]
    slots.extend(s for nodes in wave_nodes for n in nodes for s in n.slots)
    wave_open = [
        pl.all_horizontal([n.passes for n in nodes] or [pl.lit(True)]) for nodes in wave_nodes
    ]
    static_ok = pl.all_horizontal([n.passes for n in static] or [pl.lit(True)])
    eligible = static_ok & (pl.any_horizontal(wave_open) if wave_open else pl.lit(program is None))
    return ScreeningPlan(
        slots=tuple(s for s, _ in slots),
        waves=tuple(w.number for w in waves),
        row_by_row=tuple(dict.fromkeys(fb.rule.name for fb in compiler.fallbacks)),
        as_of=as_of,
        program=program,
        history=by_business,
        eligible=eligible,
        static_ok=static_ok,
        derived=tuple(e.alias(name) for name, e in compiler.derived.items()),
        fires=tuple(f for _, f in slots),
        wave_open=tuple(wave_open),
        fallbacks=tuple(compiler.fallbacks),
    )
