"""The allocation engine: who gets a seat, who waits and who is refused, and why.

:func:`allocate` considers applications in the order a :class:`Policy` gives them. Each
application is judged against the programme's eligibility rules (failing any refuses,
with *every* failing rule kept) and then seated in the first wave it wants whose seats
and capacity rules allow it; otherwise it joins the single, ordered waitlist with the
reason for each wave. Reserved shares that the group did not fill are released to the
waitlist at the end, so no seat stays empty while a waitlisted applicant could take it.

Every application ends in exactly one outcome: :class:`Accepted`, :class:`Waitlisted` or
:class:`Refused`.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import ClassVar, TypeAlias

import attrs

from umkm_core.allocation.policy import FirstComeFirstServed, Policy
from umkm_core.allocation.verdicts import EligibilityVerdicts
from umkm_core.errors import InvalidDocument, UmkmError, ValidationError
from umkm_core.limits import check_date
from umkm_core.model.application import Application
from umkm_core.model.business import Business
from umkm_core.model.program import PastEnrollment, Program, Wave
from umkm_core.rules.base import (
    CapacityRule,
    Charge,
    EligibilityRule,
    FactCache,
    Reason,
    RuleContext,
)
from umkm_core.rules.capacity import WaveSeats, allocation_rules
from umkm_core.text import Lang, Text

__all__ = [
    "Accepted",
    "Allocation",
    "Decision",
    "Outcome",
    "Refused",
    "Waitlisted",
    "allocate",
]


@attrs.frozen
class Accepted:
    """A seat in ``wave``."""

    __umkm_kind__: ClassVar[str] = "accepted"

    wave: int

    @property
    def status(self) -> str:
        """``"accepted"``."""
        return "accepted"


@attrs.frozen
class Waitlisted:
    """On the waitlist at ``position`` (1 is next), with why no wave had a seat.

    :param position: the place in the programme's single waitlist.
    :param reasons: for each wave wanted, why it gave no seat (full, quota...), and why
        the other waves wanted were not open to the applicant.
    :param waves: the waves the applicant may still be seated in, in preference order.
    """

    __umkm_kind__: ClassVar[str] = "waitlisted"

    position: int
    reasons: tuple[Reason, ...]
    waves: tuple[int, ...] = ()

    @property
    def status(self) -> str:
        """``"waitlisted"``."""
        return "waitlisted"


@attrs.frozen
class Refused:
    """Not eligible; ``reasons`` names *every* rule failed (per wave where it matters)."""

    __umkm_kind__: ClassVar[str] = "refused"

    reasons: tuple[Reason, ...]

    @property
    def status(self) -> str:
        """``"refused"``."""
        return "refused"


#: The outcome of one application.
Outcome: TypeAlias = Accepted | Waitlisted | Refused


@attrs.frozen
class Decision:
    """One application and its outcome.

    :param application: the application.
    :param outcome: accepted, waitlisted or refused.
    :param eligible: the waves the applicant is eligible for, in preference order.
    """

    application: Application
    outcome: Outcome
    eligible: tuple[int, ...] = ()


_UNKNOWN_BUSINESS = Reason(
    "application.unknown_business",
    Text(
        "Usaha pendaftar tidak ada di daftar usaha yang diberikan.",
        "The applicant is not in the register of businesses given.",
    ),
)


def _unknown_wave(number: int) -> Reason:
    return Reason(
        "application.unknown_wave",
        Text(
            f"Program ini tidak memiliki gelombang {number}.",
            f"This programme has no wave {number}.",
        ),
        number,
    )


_ALREADY_IN_WAVE = Text(
    "Usaha ini sudah mendapat kursi di gelombang ini (pendaftaran lain).",
    "This business already has a seat in this wave (another application).",
)

# A counter a seat uses: its number (charge keys are numbered once, so the hot loop
# counts in a list indexed by them), its limit, whether it is releasable, and the charge.
_Slot = tuple[int, int, bool, Charge]
# What one wave means for one business: the refusals of per-wave rules and, when there
# are none, the counters a seat would use.
_WaveInfo = tuple[tuple[Reason, ...], tuple[_Slot, ...]]


class _Entry:
    """Verdicts about one business, judged once and reused for all its applications.

    Kept in the :class:`~umkm_core.rules.FactCache` under a namespace naming the rules,
    programme, date and history, so a second run over the same register (a what-if)
    only looks them up.
    """

    __slots__ = ("business", "ctx", "judged", "static")

    def __init__(self, business: Business, ctx: RuleContext, static: tuple[Reason, ...]) -> None:
        self.business = business
        self.ctx = ctx
        self.static = static
        # Judgements by wave preferences, for rule sets that never read the application.
        self.judged: dict[tuple[int, ...], _Judgement] = {}


class _Judgement:
    """One application after the eligibility rules: the waves open to it and why not."""

    __slots__ = ("business_id", "eligible", "eligible_waves", "refusal", "refusals", "refused")

    def __init__(
        self,
        business_id: str,
        eligible: tuple[tuple[Wave, tuple[_Slot, ...]], ...],
        refusals: tuple[Reason, ...],
        refused: bool,
    ) -> None:
        self.business_id = business_id
        self.eligible = eligible
        self.refusals = refusals
        self.refused = refused
        self.refusal = Refused(refusals) if refused else None
        self.eligible_waves = tuple(w.number for w, _ in eligible)


def _history_fingerprint(
    history: Mapping[str, tuple[PastEnrollment, ...]],
) -> frozenset[PastEnrollment]:
    # The set itself, not its hash: equal namespaces must mean equal histories.
    return frozenset(e for entries in history.values() for e in entries)


class _Engine:
    """The rules of one programme, bound to a register, an as-of date and a history.

    Kept by the :class:`Allocation` so the enrollment lifecycle can promote applicants
    from the waitlist with exactly the same rules.
    """

    def __init__(
        self,
        program: Program,
        businesses: Mapping[str, Business],
        *,
        as_of: dt.date,
        history: Mapping[str, tuple[PastEnrollment, ...]],
        facts: FactCache,
        verdicts: EligibilityVerdicts | None = None,
    ) -> None:
        self.program = program
        # Verdicts judged beforehand (in columns): trusted only when they pass.
        self.verdicts = verdicts
        self.businesses = businesses
        self.as_of = as_of
        self.history = history
        self.facts = facts
        rules = allocation_rules(program)  # with one seat per business unless lifted
        eligibility = [r for r in rules if isinstance(r, EligibilityRule)]
        capacity = [WaveSeats(), *(r for r in rules if isinstance(r, CapacityRule))]
        static = [r for r in eligibility if not r.is_per_wave]
        per_wave = [r for r in eligibility if r.is_per_wave]
        # Rules that read the application are judged per application; the rest once per
        # business (and reused across runs through the fact cache).
        self.static = tuple(r for r in static if not r.depends_on_application)
        self.per_wave = tuple(r for r in per_wave if not r.depends_on_application)
        self.capacity = tuple(r for r in capacity if not r.depends_on_application)
        self.app_static = tuple(r for r in static if r.depends_on_application)
        self.app_per_wave = tuple(r for r in per_wave if r.depends_on_application)
        self.app_capacity = tuple(r for r in capacity if r.depends_on_application)
        self.reads_application = bool(self.app_static or self.app_per_wave or self.app_capacity)
        self.may_release = any(r.releases for r in capacity)
        self.waves = {w.number: w for w in program.waves}
        self.all_waves = program.waves
        namespace = (
            "umkm_core.allocate",
            program.id,
            program.kind,
            program.year,
            program.office_id,
            program.waves,
            self.static,
            self.per_wave,
            self.capacity,
            as_of,
            _history_fingerprint(history),
        )
        self.entries: dict[int, _Entry] = facts.memo(namespace)
        self._blocked: dict[tuple[int, int], Reason] = {}
        self._numbers: dict[object, _Slot] = facts.memo((namespace, "counters"))
        self.numbers = self._numbers

    def _entry(self, business: Business) -> _Entry:
        entry = self.entries.get(id(business))
        if entry is not None and entry.business is business:
            return entry
        ctx = RuleContext(
            business=business,
            program=self.program,
            as_of=self.as_of,
            history=self.history.get(business.id, ()),
            facts=self.facts,
        )
        refusals: list[Reason] = []
        if self.verdicts is None or not self.verdicts.passes_static(business.id):
            for rule in self.static:
                verdict = rule.check(ctx)
                if not verdict.passed:
                    refusals.extend(verdict.reasons)
        entry = _Entry(business, ctx, tuple(refusals))
        self.entries[id(business)] = entry
        return entry

    def _wave_info(self, entry: _Entry, wave: Wave) -> _WaveInfo:
        wctx = entry.ctx.at_wave(wave)
        refusals: list[Reason] = []
        verdicts = self.verdicts
        if verdicts is None or not verdicts.wave_open(entry.business.id, wave.number):
            for rule in self.per_wave:
                verdict = rule.check(wctx)
                if not verdict.passed:
                    refusals.extend(r.at_wave(wave.number) for r in verdict.reasons)
        if refusals:
            return (tuple(refusals), ())
        charges: list[Charge] = []
        for capacity in self.capacity:
            charges.extend(capacity.charges(wctx))
        return ((), self._slots(charges))

    def _slots(self, charges: Iterable[Charge]) -> tuple[_Slot, ...]:
        # One shared slot per key: a million businesses in one wave share one counter
        # and one slot object, not a million copies of the same charge.
        known = self._numbers
        slots: list[_Slot] = []
        for charge in charges:
            slot = known.get(charge.key)
            if slot is None:
                slot = known[charge.key] = (len(known), charge.limit, charge.releasable, charge)
            slots.append(slot)
        return tuple(slots)

    def judge(self, app: Application) -> _Judgement:
        """Apply every eligibility rule to ``app`` and list the waves open to it."""
        business = self.businesses.get(app.business_id)
        if business is None:
            return _Judgement(app.business_id, (), (_UNKNOWN_BUSINESS,), True)
        entry = self._entry(business)
        if not self.reads_application:
            found = entry.judged.get(app.waves)
            if found is None:
                found = entry.judged[app.waves] = self._judge(entry, app)
            return found
        return self._judge(entry, app)

    def _judge(self, entry: _Entry, app: Application) -> _Judgement:
        business = entry.business
        refusals = list(entry.static)
        app_ctx: RuleContext | None = None
        if self.reads_application:
            app_ctx = RuleContext(
                business=business,
                program=self.program,
                as_of=self.as_of,
                application=app,
                history=entry.ctx.history,
                facts=self.facts,
            )
            for rule in self.app_static:
                verdict = rule.check(app_ctx)
                if not verdict.passed:
                    refusals.extend(verdict.reasons)
        refused = bool(refusals)
        eligible: list[tuple[Wave, tuple[_Slot, ...]]] = []
        for number in app.waves or self.program.wave_numbers:
            wave = self.waves.get(number)
            if wave is None:
                refusals.append(_unknown_wave(number))
                continue
            wave_refusals, charges = self._wave_info(entry, wave)
            if app_ctx is not None and not wave_refusals:
                wave_refusals, charges = self._app_wave_info(app_ctx, wave, charges)
            if wave_refusals:
                refusals.extend(wave_refusals)
            else:
                eligible.append((wave, charges))
        return _Judgement(
            app.business_id, tuple(eligible), tuple(refusals), refused or not eligible
        )

    def _app_wave_info(
        self, app_ctx: RuleContext, wave: Wave, slots: tuple[_Slot, ...]
    ) -> _WaveInfo:
        wctx = app_ctx.at_wave(wave)
        refusals: list[Reason] = []
        for rule in self.app_per_wave:
            verdict = rule.check(wctx)
            if not verdict.passed:
                refusals.extend(r.at_wave(wave.number) for r in verdict.reasons)
        if refusals:
            return (tuple(refusals), ())
        extra: list[Charge] = []
        for capacity in self.app_capacity:
            extra.extend(capacity.charges(wctx))
        return ((), (*slots, *self._slots(extra)))

    def seat(
        self,
        judgement: _Judgement,
        counts: list[int],
        *,
        relaxed: bool,
        blocked: list[Reason] | None = None,
        taken: set[tuple[str, int]] | None = None,
    ) -> Wave | None:
        """Seat the applicant in the first open wave it wants, updating ``counts``.

        :param relaxed: ignore releasable limits (reserved shares after everyone had a turn).
        :param blocked: collects, per wave tried, the reason it gave no seat.
        :param taken: (business, wave) pairs already seated, when a business may have
            several applications; ``None`` when every business applied once.
        :returns: the wave, or ``None`` when every wave is blocked.
        """
        for wave, slots in judgement.eligible:
            if taken is not None and (judgement.business_id, wave.number) in taken:
                if blocked is not None:
                    blocked.append(Reason(WaveSeats.code, _ALREADY_IN_WAVE, wave.number))
                continue
            for number, limit, releasable, charge in slots:
                if relaxed and releasable:
                    continue
                if counts[number] >= limit:
                    if blocked is not None:
                        blocked.append(self.reason(number, charge, wave.number))
                    break
            else:
                for slot in slots:
                    counts[slot[0]] += 1
                if taken is not None:
                    taken.add((judgement.business_id, wave.number))
                return wave
        return None

    def can_seat(
        self,
        judgement: _Judgement,
        counts: Sequence[int],
        taken: set[tuple[str, int]] | frozenset[tuple[str, int]] = frozenset(),
    ) -> int | None:
        """The first wave that would seat the applicant now (releasable limits lapsed)."""
        if judgement.refused:
            return None
        for wave, slots in judgement.eligible:
            if (judgement.business_id, wave.number) in taken:
                continue
            if all(rel or counts[n] < limit for n, limit, rel, _ in slots):
                return wave.number
        return None

    def new_counts(self) -> list[int]:
        """A zero for every counter numbered so far."""
        return [0] * len(self._numbers)

    def occupy(self, judgement: _Judgement, wave: int, counts: list[int]) -> None:
        """Count a seat held in ``wave`` (used when rebuilding counters)."""
        for candidate, slots in judgement.eligible:
            if candidate.number == wave:
                for slot in slots:
                    counts[slot[0]] += 1
                return
        raise AssertionError("a seat outside the applicant's eligible waves")

    def reason(self, number: int, charge: Charge, wave: int) -> Reason:
        """The (shared) reason a seat in ``wave`` was blocked by counter ``number``."""
        key = (number, wave)
        found = self._blocked.get(key)
        if found is None:
            found = self._blocked[key] = charge.rule.reason(charge, wave)
        return found


def _index_businesses(
    businesses: Iterable[Business] | Mapping[str, Business],
) -> Mapping[str, Business]:
    if isinstance(businesses, Mapping):
        return businesses
    return {b.id: b for b in businesses}


def _index_history(history: Iterable[PastEnrollment]) -> dict[str, tuple[PastEnrollment, ...]]:
    grouped: dict[str, list[PastEnrollment]] = {}
    for entry in history:
        grouped.setdefault(entry.business_id, []).append(entry)
    return {k: tuple(v) for k, v in grouped.items()}


def _several_applications(apps: Sequence[Application]) -> set[str]:
    if len({a.business_id for a in apps}) == len(apps):
        return set()
    seen: set[str] = set()
    twice: set[str] = set()
    for app in apps:
        if app.business_id in seen:
            twice.add(app.business_id)
        seen.add(app.business_id)
    return twice


def allocate(
    program: Program,
    applications: Iterable[Application],
    businesses: Iterable[Business] | Mapping[str, Business],
    *,
    as_of: dt.date,
    policy: Policy | None = None,
    history: Iterable[PastEnrollment] = (),
    facts: FactCache | None = None,
    verdicts: EligibilityVerdicts | None = None,
) -> Allocation:
    """Decide every application to ``program``.

    :param program: the programme, with its waves and rules.
    :param applications: the applications, in any order (the result does not depend on it).
    :param businesses: the register: businesses, or a mapping from id to business.
    :param as_of: the date the rules are judged on (binaan, size class, history).
    :param policy: the order of consideration; first come, first served by default.
    :param history: earlier enrollments, for rules such as ``not_attended_within``.
    :param facts: a :class:`~umkm_core.rules.FactCache` to reuse across runs over the
        same register (what-if analyses): size classes and per-business verdicts are
        then judged once.
    :param verdicts: eligibility verdicts judged beforehand, e.g. in columns by
        :func:`umkm_core.bulk.columnar_verdicts` for a large register: the rules are
        skipped where they pass; the outcome is the same.
    :returns: the :class:`Allocation`, recording the policy.
    :raises InvalidDocument: when applications name another programme (``field`` gives
        their index in the input).
    :raises ValidationError: ``date.out_of_range`` for an as-of date after
        :data:`~umkm_core.limits.LATEST_DATE`.
    """
    check_date(as_of, field="as_of")  # rules add and subtract years from it
    policy = policy if policy is not None else FirstComeFirstServed()
    apps = list(applications)
    wrong = [
        ValidationError(
            "application.wrong_program",
            field=f"applications[{i}].program_id",
            value=a.program_id,
            id=f"Pendaftaran untuk program lain, bukan {program.id}.",
            en=f"Application for another programme, not {program.id}.",
        )
        for i, a in enumerate(apps)
        if a.program_id != program.id
    ]
    if wrong:
        raise InvalidDocument(wrong)
    engine = _Engine(
        program,
        _index_businesses(businesses),
        as_of=as_of,
        history=_index_history(history),
        facts=facts if facts is not None else FactCache(),
        verdicts=verdicts,
    )
    # The loop below allocates many small, acyclic objects; the cyclic garbage collector
    # would rescan the whole register again and again (measured: 2-3x the run time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(engine, policy, apps)
    finally:
        if collecting:
            gc.enable()


def _run(engine: _Engine, policy: Policy, apps: list[Application]) -> Allocation:
    ordered = sorted(apps, key=policy.sort_key())
    taken: set[tuple[str, int]] | None = set() if _several_applications(ordered) else None
    counts = engine.new_counts()
    judgements, outcomes, waiting = _first_pass(engine, ordered, counts, taken)
    still_waiting: list[tuple[int, list[Reason]]] = []
    if engine.may_release:
        # Reserved seats the group did not fill go to the waitlist, in waitlist order;
        # whoever still waits, waits for the reasons that hold after the release.
        for i, _ in waiting:
            blocked: list[Reason] = []
            wave = engine.seat(judgements[i], counts, relaxed=True, blocked=blocked, taken=taken)
            if wave is None:
                still_waiting.append((i, blocked))
            else:
                outcomes[i] = Accepted(wave.number)
    else:
        still_waiting = waiting
    for position, (i, blocked) in enumerate(still_waiting, start=1):
        judgement = judgements[i]
        reasons = (*blocked, *judgement.refusals) if judgement.refusals else tuple(blocked)
        outcomes[i] = Waitlisted(position, reasons, judgement.eligible_waves)
    final = tuple(o for o in outcomes if o is not None)
    assert len(final) == len(ordered)
    return Allocation(
        program=engine.program,
        policy=policy,
        as_of=engine.as_of,
        applications=tuple(ordered),
        outcomes=final,
        engine=engine,
        judgements=tuple(judgements),
    )


_NO_REASONS: list[Reason] = []


def _first_pass(
    engine: _Engine,
    ordered: list[Application],
    counts: list[int],
    taken: set[tuple[str, int]] | None,
) -> tuple[list[_Judgement], list[Outcome | None], list[tuple[int, list[Reason]]]]:
    """Judge and seat every application in policy order; collect who waits and why."""
    judgements: list[_Judgement] = []
    outcomes: list[Outcome | None] = []
    waiting: list[tuple[int, list[Reason]]] = []
    accepted = {n: Accepted(n) for n in engine.waves}
    judge = engine.judge
    reason = engine.reason
    numbers = engine.numbers
    find_business = engine.businesses.get
    find_entry = engine.entries.get
    per_business = not engine.reads_application
    for i, app in enumerate(ordered):
        # A known business with known wave preferences: reuse its judgement.
        business = find_business(app.business_id)
        entry = find_entry(id(business)) if per_business else None
        judgement = None
        if entry is not None and entry.business is business:
            judgement = entry.judged.get(app.waves)
        if judgement is None:
            judgement = judge(app)
            if len(counts) < len(numbers):  # new counters met in this judgement
                counts.extend([0] * (len(numbers) - len(counts)))
        judgements.append(judgement)
        if judgement.refusal is not None:
            outcomes.append(judgement.refusal)
            continue
        blocked: list[Reason] = []
        if taken is not None:
            wave = engine.seat(judgement, counts, relaxed=False, blocked=blocked, taken=taken)
            outcomes.append(None if wave is None else accepted[wave.number])
            if wave is None:
                waiting.append((i, blocked))
            continue
        blocked = _NO_REASONS
        # The common case (one application per business), inlined: once the register's
        # verdicts are known, this loop is the whole cost of an allocation.
        for candidate, slots in judgement.eligible:
            for number, limit, _releasable, charge in slots:
                if counts[number] >= limit:
                    if blocked is _NO_REASONS:
                        blocked = []
                    blocked.append(reason(number, charge, candidate.number))
                    break
            else:
                for slot in slots:
                    counts[slot[0]] += 1
                outcomes.append(accepted[candidate.number])
                break
        else:
            outcomes.append(None)
            waiting.append((i, blocked))
    return judgements, outcomes, waiting


_STATUS_RANK = {"accepted": 0, "waitlisted": 1, "refused": 2}


@attrs.frozen(kw_only=True, eq=False)
class Allocation:
    """The result of :func:`allocate`: one outcome per application, in policy order.

    :param program: the programme allocated.
    :param policy: the policy that ordered the applicants.
    :param as_of: the date the rules were judged on.
    :param applications: the applications, in the order they were considered.
    :param outcomes: the outcome of each application (same order).
    :param engine: internal: the programme's rules bound to the register (the
        enrollment lifecycle promotes with them).
    :param judgements: internal: each application's eligibility, in the same order.
    """

    program: Program
    policy: Policy
    as_of: dt.date
    applications: tuple[Application, ...]
    outcomes: tuple[Outcome, ...]
    engine: _Engine = attrs.field(repr=False)
    judgements: tuple[_Judgement, ...] = attrs.field(repr=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Allocation):
            return NotImplemented
        return (
            self.program == other.program
            and self.policy == other.policy
            and self.as_of == other.as_of
            and self.applications == other.applications
            and self.outcomes == other.outcomes
        )

    def __hash__(self) -> int:
        return hash((self.program, self.policy, self.as_of, self.applications))

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """Every application with its outcome and the waves open to it, in policy order."""
        return tuple(
            Decision(a, o, j.eligible_waves)
            for a, o, j in zip(self.applications, self.outcomes, self.judgements, strict=True)
        )

    def __iter__(self) -> Iterator[Decision]:
        return iter(self.decisions)

    def __len__(self) -> int:
        return len(self.outcomes)

    def outcomes_of(self, business_id: str) -> tuple[Outcome, ...]:
        """Every outcome of the business's applications, in policy order."""
        return tuple(
            o
            for a, o in zip(self.applications, self.outcomes, strict=True)
            if a.business_id == business_id
        )

    def outcome(self, business_id: str) -> Outcome:
        """The business's outcome (its best one when it applied more than once).

        :raises UmkmError: ``allocation.no_application`` when the business did not apply.
        """
        found = self.outcomes_of(business_id)
        if not found:
            raise UmkmError(
                "allocation.no_application",
                field="business_id",
                id="Usaha ini tidak mendaftar ke program ini.",
                en="This business did not apply to this programme.",
            )
        return min(found, key=lambda o: _STATUS_RANK[o.status])

    def seated(self, wave: int | None = None) -> tuple[str, ...]:
        """The business ids with a seat (in ``wave``, if given), in policy order."""
        return tuple(
            a.business_id
            for a, o in zip(self.applications, self.outcomes, strict=True)
            if isinstance(o, Accepted) and (wave is None or o.wave == wave)
        )

    @property
    def waitlist(self) -> tuple[Decision, ...]:
        """The waitlisted decisions, by position."""
        return tuple(d for d in self.decisions if isinstance(d.outcome, Waitlisted))

    @property
    def refused(self) -> tuple[Decision, ...]:
        """The refused decisions, in policy order."""
        return tuple(d for d in self.decisions if isinstance(d.outcome, Refused))

    def seats_taken(self) -> dict[int, int]:
        """Seats taken per wave (every wave listed, also the empty ones)."""
        taken = dict.fromkeys(self.program.wave_numbers, 0)
        for o in self.outcomes:
            if isinstance(o, Accepted):
                taken[o.wave] += 1
        return taken

    def explain(self, business_id: str, lang: Lang | str = "id") -> str:
        """The business's outcome in words, with every reason and the policy used.

        :param business_id: the applicant.
        :param lang: ``"id"`` (default) or ``"en"``.
        :returns: a few lines of text.
        :raises UmkmError: ``allocation.no_application`` when the business did not apply.
        """
        outcome = self.outcome(business_id)
        en = lang == "en"
        lines: list[str] = []
        if isinstance(outcome, Accepted):
            wave = self.program.wave(outcome.wave)
            dates = f"{wave.start.isoformat()} - {wave.end.isoformat()}"
            lines.append(
                f"Accepted in wave {wave.number} ({wave.sector}, {dates})."
                if en
                else f"Diterima di gelombang {wave.number} ({wave.sector}, {dates})."
            )
        elif isinstance(outcome, Waitlisted):
            lines.append(
                f"Waitlisted at position {outcome.position}, because:"
                if en
                else f"Masuk daftar tunggu nomor {outcome.position}, karena:"
            )
            lines.extend(f"- {r.get(lang)}" for r in outcome.reasons)
        else:
            lines.append("Refused, because:" if en else "Ditolak, karena:")
            lines.extend(f"- {r.get(lang)}" for r in outcome.reasons)
        policy = self.policy.describe().get(lang)
        lines.append(
            f"Policy: {policy}; rules judged on {self.as_of.isoformat()}."
            if en
            else f"Kebijakan: {policy}; syarat dinilai per {self.as_of.isoformat()}."
        )
        return "\n".join(lines)
