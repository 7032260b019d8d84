"""Questions an office asks about follow-up steps.

- :func:`next_steps`: which steps of a pathway a business can start now, and for every
  step it cannot, why (which prerequisite, which condition), in both languages.
- :func:`expiring`: certificates due for renewal within a period.
- :func:`funnel`: how many participants of a programme reached each step by a date, and
  the median days between steps: the office's impact report.

Every query takes an ``as_of`` date and reads the records as they stood on that date
(:meth:`StepRecord.status_on`), so a report for 31 December 2018 is the same whether it
is run in 2019 or in 2026.

Prerequisite rule (docs/decisions/0033-prerequisites-and-waivers.md): a step's
prerequisites are its direct predecessors in the pathway and the steps its kind
``requires``. A prerequisite is satisfied on a date when a record of it is granted and
in force on that date, or the business holds a certificate of that kind in force on
that date; a waived step satisfies a pathway predecessor but never a legal requirement.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence

import attrs

from umkm_core.allocation.engine import Allocation
from umkm_core.errors import ValidationError
from umkm_core.followup.conditions import ConditionResult
from umkm_core.followup.kinds import CriteriaSet, StepKind, criteria_on
from umkm_core.followup.pathway import Pathway
from umkm_core.followup.records import StepRecord, StepStatus, checked_records
from umkm_core.model.application import Application
from umkm_core.model.business import Business
from umkm_core.model.program import PastEnrollment
from umkm_core.text import Text

__all__ = [
    "BlockedStep",
    "Blocker",
    "Expiry",
    "Funnel",
    "FunnelRow",
    "NextSteps",
    "Participants",
    "StepOption",
    "expiring",
    "funnel",
    "next_steps",
    "prerequisite_blockers",
]


@attrs.frozen(kw_only=True)
class Blocker:
    """One reason a step cannot start.

    :param code: ``"prerequisite.missing"``, ``"prerequisite.expired"``,
        ``"prerequisite.waived_not_enough"``, ``"condition.failed"`` or
        ``"rules.not_in_force"``.
    :param text: the reason in both languages.
    :param step: the prerequisite step concerned, if any.
    :param condition: the condition code concerned, if any.
    :param route: the route concerned, if the reason closes only one route.
    """

    code: str
    text: Text
    step: str | None = None
    condition: str | None = None
    route: str | None = None


@attrs.frozen(kw_only=True)
class StepOption:
    """A step the business can start now.

    :param kind: the step kind.
    :param routes: the routes open now (empty for kinds without routes).
    :param closed_routes: why the other routes are closed.
    :param to_confirm: facts a person must confirm first (declared conditions).
    :param record: the planned record of the step, if one exists.
    """

    kind: StepKind
    routes: tuple[str, ...] = ()
    closed_routes: tuple[Blocker, ...] = ()
    to_confirm: tuple[Text, ...] = ()
    record: StepRecord | None = None


@attrs.frozen(kw_only=True)
class BlockedStep:
    """A step that cannot start yet, with every reason."""

    kind: StepKind
    reasons: tuple[Blocker, ...]


@attrs.frozen(kw_only=True)
class NextSteps:
    """The answer of :func:`next_steps` for one business on one date.

    :param available: steps that can start now.
    :param blocked: steps that cannot, with reasons.
    :param underway: records in progress or submitted.
    :param done: codes of steps granted and in force, held, or waived.
    :param renewals_due: granted records whose renewal window is open on ``as_of``
        (renew them with :meth:`StepRecord.renew` rather than starting anew).
    """

    business_id: str
    pathway: str
    as_of: dt.date
    available: tuple[StepOption, ...]
    blocked: tuple[BlockedStep, ...]
    underway: tuple[StepRecord, ...]
    done: tuple[str, ...]
    renewals_due: tuple[StepRecord, ...] = ()

    def explain(self, lang: str = "id") -> str:
        """A short plain-text summary for staff, in ``lang``."""
        head = {"id": "Langkah berikut", "en": "Next steps"}
        lines = [f"{head['en' if lang == 'en' else 'id']} ({self.as_of.isoformat()}):"]
        for option in self.available:
            routes = f" [{', '.join(option.routes)}]" if option.routes else ""
            lines.append(f"+ {option.kind.name.get(lang)}{routes}")
            lines.extend(f"    ? {t.get(lang)}" for t in option.to_confirm)
        for blocked in self.blocked:
            lines.append(f"- {blocked.kind.name.get(lang)}")
            lines.extend(f"    ! {r.text.get(lang)}" for r in blocked.reasons)
        renew = "perpanjang" if lang != "en" else "renew"
        for record in self.renewals_due:
            expires = record.expires_on_as_of(self.as_of)
            until = f" ({expires.isoformat()})" if expires else ""
            lines.append(f"~ {renew}: {record.kind.name.get(lang)}{until}")
        return "\n".join(lines)


_UNDERWAY = (StepStatus.IN_PROGRESS, StepStatus.SUBMITTED)


def _check_date(value: object, name: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError(
            "query.bad_date",
            field=name,
            value=value,
            id=f"'{name}' harus berupa tanggal.",
            en=f"'{name}' must be a date.",
        )
    return value


def _records_of(business_id: str, records: Iterable[StepRecord]) -> dict[str, list[StepRecord]]:
    by_kind: dict[str, list[StepRecord]] = {}
    for record in checked_records(records):
        if record.business_id == business_id:
            by_kind.setdefault(record.kind.code, []).append(record)
    return by_kind


def _valid(code: str, business: Business, records: Sequence[StepRecord], day: dt.date) -> bool:
    return business.holds(code, day) or any(
        r.status_on(day) is StepStatus.GRANTED and r.valid_on(day) for r in records
    )


def _waived(records: Sequence[StepRecord], day: dt.date) -> bool:
    return any(r.status_on(day) is StepStatus.WAIVED for r in records)


def prerequisite_blockers(
    business: Business,
    pathway: Pathway,
    code: str,
    records: Iterable[StepRecord],
    as_of: dt.date,
) -> tuple[Blocker, ...]:
    """Why the prerequisites of step ``code`` are not satisfied on ``as_of`` (empty: they are).

    :param business: the business.
    :param pathway: the pathway ``code`` belongs to.
    :param code: the step.
    :param records: step records (other businesses' records are ignored).
    :param as_of: the date.
    :returns: one :class:`Blocker` per unsatisfied prerequisite.
    :raises PathwayError: when ``code`` is not in the pathway.
    """
    by_kind = _records_of(business.id, records)
    return _prerequisite_blockers(business, pathway, pathway.kind(code), by_kind, as_of)


def _prerequisite_blockers(
    business: Business,
    pathway: Pathway,
    kind: StepKind,
    by_kind: dict[str, list[StepRecord]],
    day: dt.date,
) -> tuple[Blocker, ...]:
    found: list[Blocker] = []
    for code in pathway.prerequisites(kind.code):
        records = by_kind.get(code, [])
        if _valid(code, business, records, day):
            continue
        legal = code in kind.requires
        name = pathway.kind(code).name
        if not legal and _waived(records, day):
            continue
        if legal and _waived(records, day):
            found.append(
                Blocker(
                    code="prerequisite.waived_not_enough",
                    step=code,
                    text=Text(
                        id=f"{name.id} dibebaskan, tetapi sertifikatnya wajib untuk langkah ini.",
                        en=f"{name.en} was waived, but this step needs its certificate.",
                    ),
                )
            )
            continue
        expired = [
            e
            for r in records
            if r.status_on(day) is StepStatus.GRANTED
            and (e := r.expires_on_as_of(day)) is not None
        ]
        if expired:
            last = max(expired).isoformat()
            found.append(
                Blocker(
                    code="prerequisite.expired",
                    step=code,
                    text=Text(
                        id=f"{name.id} sudah kedaluwarsa ({last}).",
                        en=f"{name.en} expired ({last}).",
                    ),
                )
            )
        else:
            found.append(
                Blocker(
                    code="prerequisite.missing",
                    step=code,
                    text=Text(
                        id=f"{name.id} belum terbit.",
                        en=f"{name.en} not granted yet.",
                    ),
                )
            )
    return tuple(found)


def _criteria(
    sets: Sequence[CriteriaSet],
    business: Business,
    day: dt.date,
    route: str | None,
    label: Text,
) -> tuple[list[Blocker], list[Text]]:
    """Blockers and facts to confirm for dated criteria ``sets`` on ``day``."""
    if not sets:
        return [], []
    chosen = criteria_on(sets, day)
    if chosen is None:
        return [
            Blocker(
                code="rules.not_in_force",
                route=route,
                text=Text(
                    id=f"{label.id}: belum/tidak ada aturan yang berlaku pada {day.isoformat()}.",
                    en=f"{label.en}: no rule set in force on {day.isoformat()}.",
                ),
            )
        ], []
    blockers: list[Blocker] = []
    confirm: list[Text] = []
    for condition in chosen.conditions:
        result: ConditionResult = condition.evaluate(business, day)
        if result.passed is None:
            confirm.append(result.text)
        elif not result.passed:
            blockers.append(
                Blocker(
                    code="condition.failed",
                    condition=result.code,
                    route=route,
                    text=Text(
                        id=f"{label.id}: {result.text.id}", en=f"{label.en}: {result.text.en}"
                    ),
                )
            )
    return blockers, confirm


def next_steps(
    business: Business,
    pathway: Pathway,
    records: Iterable[StepRecord],
    as_of: dt.date,
) -> NextSteps:
    """What ``business`` can start now on ``pathway``, and why the rest cannot.

    A step is *done* when granted and in force, held as a certificate, or waived; it is
    *underway* while in progress or submitted. Every other step (never started, planned,
    rejected, expired) is offered when its prerequisites are satisfied on ``as_of``, its
    kind's business conditions pass and at least one route is open; otherwise it is
    blocked with every reason.

    :param business: the business.
    :param pathway: its pathway.
    :param records: step records; records of other businesses are ignored.
    :param as_of: the date to judge on (records are read as they stood on it).
    :returns: a :class:`NextSteps`.
    :raises ValidationError: ``query.bad_date``, ``query.bad_record``.
    """
    day = _check_date(as_of, "as_of")
    if not isinstance(business, Business):
        raise ValidationError(
            "query.bad_business",
            field="business",
            id="'business' harus berupa Business.",
            en="'business' must be a Business.",
        )
    by_kind = _records_of(business.id, records)
    available: list[StepOption] = []
    blocked: list[BlockedStep] = []
    underway: list[StepRecord] = []
    done: list[str] = []
    renewals: list[StepRecord] = []
    for kind in pathway.order:
        own = by_kind.get(kind.code, [])
        renewals.extend(r for r in own if _renewable_on(r, day))
        if _valid(kind.code, business, own, day) or _waived(own, day):
            done.append(kind.code)
            continue
        active = [
            r for r in own if r.status_on(day) in (StepStatus.IN_PROGRESS, StepStatus.SUBMITTED)
        ]
        if active:
            underway.extend(active)
            continue
        reasons = list(_prerequisite_blockers(business, pathway, kind, by_kind, day))
        kind_blockers, confirm = _criteria(kind.criteria, business, day, None, kind.name)
        reasons.extend(kind_blockers)
        open_routes: list[str] = []
        closed: list[Blocker] = []
        for route in kind.routes:
            route_blockers, route_confirm = _criteria(
                route.criteria, business, day, route.code, route.name
            )
            if route_blockers:
                closed.extend(route_blockers)
            else:
                open_routes.append(route.code)
                confirm.extend(t for t in route_confirm if t not in confirm)
        if kind.routes and not open_routes:
            reasons.extend(closed)
        if reasons:
            blocked.append(BlockedStep(kind=kind, reasons=tuple(reasons)))
            continue
        planned = next((r for r in own if r.status_on(day) is StepStatus.PLANNED), None)
        available.append(
            StepOption(
                kind=kind,
                routes=tuple(open_routes),
                closed_routes=tuple(closed),
                to_confirm=tuple(confirm),
                record=planned,
            )
        )
    return NextSteps(
        business_id=business.id,
        pathway=pathway.code,
        as_of=day,
        available=tuple(available),
        blocked=tuple(blocked),
        underway=tuple(underway),
        done=tuple(done),
        renewals_due=tuple(renewals),
    )


def _renewable_on(record: StepRecord, day: dt.date) -> bool:
    """Whether ``record`` was granted by ``day`` and may be renewed on ``day``."""
    term = record.term_on(day)
    expires = record.expires_on_as_of(day)
    window = record.kind.renewal_on(expires) if expires is not None else None
    if term is None or expires is None or window is None or term is not record.terms[-1]:
        return False
    return window.is_open(expires, term.issued_on, day)


@attrs.frozen(kw_only=True)
class Expiry:
    """A certificate due for renewal.

    :param record: the granted record.
    :param expires_on: the last valid day of its current term.
    :param days_left: days from ``as_of`` to ``expires_on`` (negative once expired).
    :param renewal_opens: first day a renewal may be filed (``None``: not renewable).
    :param renewal_closes: last day a renewal may be filed.
    :param can_renew_now: whether the window is open on ``as_of``.
    :param late: renewing now is after expiry (a fine applies when the kind says so).
    """

    record: StepRecord
    expires_on: dt.date
    days_left: int
    renewal_opens: dt.date | None
    renewal_closes: dt.date | None
    can_renew_now: bool
    late: bool


def expiring(
    records: Iterable[StepRecord], within: dt.timedelta, as_of: dt.date
) -> tuple[Expiry, ...]:
    """Certificates that expire within ``within`` of ``as_of``, or expired but still renewable.

    For each business and step only the latest granted record counts, so a certificate
    replaced by a new grant is not reported.

    :param records: step records of any businesses.
    :param within: how far ahead to look (``dt.timedelta(days=180)``).
    :param as_of: the date to judge on.
    :returns: the due certificates, soonest first (ties by business id and step).
    :raises ValidationError: ``query.bad_period`` for a negative or non-timedelta period,
        ``query.bad_date``, ``query.bad_record``.
    """
    day = _check_date(as_of, "as_of")
    if not isinstance(within, dt.timedelta) or within < dt.timedelta(0):
        raise ValidationError(
            "query.bad_period",
            field="within",
            value=within,
            id="'within' harus berupa jangka waktu (timedelta) 0 atau lebih.",
            en="'within' must be a period (timedelta) of 0 or more.",
        )
    latest: dict[tuple[str, str], StepRecord] = {}
    for record in checked_records(records):
        if record.status_on(day) is not StepStatus.GRANTED:
            continue
        key = (record.business_id, record.kind.code)
        term = record.term_on(day)
        other = latest.get(key)
        other_term = other.term_on(day) if other is not None else None
        if term is not None and (other_term is None or other_term.issued_on <= term.issued_on):
            latest[key] = record
    horizon = day + within
    found: list[Expiry] = []
    for record in latest.values():
        expires = record.expires_on_as_of(day)
        if expires is None:
            continue
        term = record.term_on(day)
        assert term is not None
        window = record.kind.renewal_on(expires)
        opens = window.opens(expires, term.issued_on) if window is not None else None
        closes = window.closes(expires) if window is not None else None
        still_renewable = closes is not None and day <= closes
        if not (day <= expires <= horizon or (expires < day and still_renewable)):
            continue
        found.append(
            Expiry(
                record=record,
                expires_on=expires,
                days_left=(expires - day).days,
                renewal_opens=opens,
                renewal_closes=closes,
                can_renew_now=opens is not None and closes is not None and opens <= day <= closes,
                late=day > expires,
            )
        )
    found.sort(key=lambda e: (e.expires_on, e.record.business_id, e.record.kind.code))
    return tuple(found)


@attrs.frozen(kw_only=True)
class FunnelRow:
    """One step of a :class:`Funnel`.

    :param kind: the step.
    :param reached: participants who reached it (granted or waived by the date, with
        every step before it reached too).
    :param waived: of those, how many by a waiver.
    :param share: ``reached`` / participants (0.0 for an empty cohort).
    :param median_days: median days from reaching the step(s) before it (or from the
        funnel's ``start`` for a first step) to reaching it; waivers are left out;
        ``None`` when nobody counts.
    """

    kind: StepKind
    reached: int
    waived: int
    share: float
    median_days: float | None


@attrs.frozen(kw_only=True)
class Funnel:
    """How far a programme's participants got along a pathway by ``as_of``."""

    pathway: Pathway
    as_of: dt.date
    participants: int
    start: dt.date | None
    rows: tuple[FunnelRow, ...]

    def row(self, code: str) -> FunnelRow:
        """The row of step ``code``.

        :raises PathwayError: when the pathway lacks it.
        """
        kind = self.pathway.kind(code)
        return next(r for r in self.rows if r.kind == kind)

    def format(self, lang: str = "id") -> str:
        """The funnel as a fixed-width table in ``lang``."""
        en = lang == "en"
        title = self.pathway.name.get(lang)
        head = (
            f"Funnel '{title}' as of {self.as_of.isoformat()}: {self.participants} participants"
            if en
            else f"Corong '{title}' per {self.as_of.isoformat()}: {self.participants} peserta"
        )
        cols = ("Step", "Reached", "Share", "Waived", "Median days") if en else (
            "Langkah", "Tercapai", "Porsi", "Dibebaskan", "Median hari"
        )  # fmt: skip
        names = [r.kind.name.get(lang) for r in self.rows]
        width = max([len(cols[0]), *(len(n) for n in names)])
        lines = [
            head,
            f"{cols[0]:<{width}}  {cols[1]:>8}  {cols[2]:>6}  {cols[3]:>10}  {cols[4]:>11}",
        ]
        for name, row in zip(names, self.rows, strict=True):
            median = "-" if row.median_days is None else f"{row.median_days:.1f}"
            lines.append(
                f"{name:<{width}}  {row.reached:>8}  {row.share:>6.1%}  {row.waived:>10}  "
                f"{median:>11}"
            )
        return "\n".join(lines)


#: Who took part in a programme: business ids, enrollments, applications or an allocation.
Participants = Iterable[str | PastEnrollment | Application] | Allocation


def _participant_ids(participants: Participants) -> list[str]:
    items: Iterable[object] = (
        participants.seated() if isinstance(participants, Allocation) else participants
    )
    seen: dict[str, None] = {}
    for i, item in enumerate(items):
        pid = item.business_id if isinstance(item, PastEnrollment | Application) else item
        if not isinstance(pid, str) or not pid.strip():
            raise ValidationError(
                "funnel.bad_participant",
                field=f"participants[{i}]",
                value=item,
                id="Setiap peserta harus berupa id usaha, pendaftaran atau keikutsertaan.",
                en="Every participant must be a business id, an application or an enrollment.",
            )
        seen.setdefault(pid, None)
    return list(seen)


def funnel(
    participants: Participants,
    pathway: Pathway,
    records: Iterable[StepRecord],
    as_of: dt.date,
    *,
    start: dt.date | None = None,
) -> Funnel:
    """Count how many participants reached each step of ``pathway`` by ``as_of``.

    A participant reaches a step when a record of it was granted or waived on or before
    ``as_of`` *and* every step before it (pathway predecessors and requirements) was
    reached: the funnel counts how far along the pathway each business got, so counts
    never increase along an edge. The day a participant reached a step is the later of
    its own grant (or waiver) and the days it reached the steps before it.

    :param participants: business ids, :class:`~umkm_core.PastEnrollment` records,
        applications, or an :class:`~umkm_core.Allocation` (its seated businesses);
        a business listed twice counts once.
    :param pathway: the pathway to follow.
    :param records: step records; records of non-participants are ignored.
    :param as_of: count what happened up to and including this day.
    :param start: the programme's end, from which the first steps' median days run.
    :returns: a :class:`Funnel` with one row per step in pathway order.
    :raises ValidationError: ``funnel.bad_participant``, ``query.bad_date``,
        ``query.bad_record``.
    """
    day = _check_date(as_of, "as_of")
    if start is not None:
        _check_date(start, "start")
    ids = _participant_ids(participants)
    wanted = set(ids)
    own: dict[tuple[str, str], tuple[dt.date, bool]] = {}
    for record in checked_records(records):
        if record.business_id not in wanted:
            continue
        status = record.status_on(day)
        reached = record.reached_on
        if status not in (StepStatus.GRANTED, StepStatus.WAIVED) or reached is None:
            continue
        key = (record.business_id, record.kind.code)
        entry = (reached, status is StepStatus.WAIVED)
        # The earliest way a business got past the step counts; a grant beats a waiver
        # on the same day.
        if key not in own or (entry[0], entry[1]) < own[key]:
            own[key] = entry
    order = pathway.order
    stage: dict[tuple[str, str], dt.date] = {}
    rows: list[FunnelRow] = []
    for kind in order:
        before = pathway.prerequisites(kind.code)
        reached_n = 0
        waived_n = 0
        gaps: list[int] = []
        for pid in ids:
            mine = own.get((pid, kind.code))
            if mine is None or any((pid, b) not in stage for b in before):
                continue
            previous = max((stage[(pid, b)] for b in before), default=start)
            when = max(mine[0], previous) if previous is not None else mine[0]
            stage[(pid, kind.code)] = when
            reached_n += 1
            if mine[1]:
                waived_n += 1
            elif previous is not None:
                gaps.append((when - previous).days)
        rows.append(
            FunnelRow(
                kind=kind,
                reached=reached_n,
                waived=waived_n,
                share=reached_n / len(ids) if ids else 0.0,
                median_days=float(statistics.median(gaps)) if gaps else None,
            )
        )
    return Funnel(pathway=pathway, as_of=day, participants=len(ids), start=start, rows=tuple(rows))
