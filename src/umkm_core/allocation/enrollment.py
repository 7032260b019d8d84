"""After allocation: confirm, withdraw, no-show, attend per day, complete.

:class:`Enrollments` is an immutable roster built from an :class:`~umkm_core.Allocation`.
Every operation returns a :class:`Change`: the new roster plus the events (what, when,
by whom) for an audit trail. A withdrawal frees the seat and promotes the next eligible
applicant on the waitlist, judged with exactly the rules of the allocation. An
operation the current status does not allow raises :class:`~umkm_core.StateError`.

Statuses and transitions::

    offered --confirm--> confirmed --attend(day)...--> confirmed --complete--> completed
    offered/confirmed (nothing attended yet) --withdraw--> withdrawn  (promotes)
    confirmed (nothing attended yet) --no_show--> no_show  (the seat is lost)
    waitlisted --withdraw--> withdrawn;  waitlisted --(promotion)--> offered
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator

import attrs

from umkm_core.allocation.engine import Accepted, Allocation, Refused, Waitlisted
from umkm_core.errors import StateError
from umkm_core.model._validators import (
    aware_datetime,
    instance_of,
    non_blank,
    optional_instance_of,
)
from umkm_core.model.application import Application
from umkm_core.text import Text

__all__ = ["Change", "Enrollment", "EnrollmentEvent", "EnrollmentStatus", "Enrollments"]


class EnrollmentStatus(enum.Enum):
    """Where an application stands after allocation."""

    OFFERED = "offered"  #: seated, not yet confirmed
    CONFIRMED = "confirmed"  #: seated and confirmed by the business
    WAITLISTED = "waitlisted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    NO_SHOW = "no_show"  #: confirmed but never came; the seat is not given again
    COMPLETED = "completed"

    @property
    def holds_seat(self) -> bool:
        """Whether an entry with this status occupies a seat."""
        return self in _HOLDING


_HOLDING = frozenset(
    {
        EnrollmentStatus.OFFERED,
        EnrollmentStatus.CONFIRMED,
        EnrollmentStatus.NO_SHOW,
        EnrollmentStatus.COMPLETED,
    }
)


@attrs.frozen(kw_only=True)
class Enrollment:
    """One application's place in the roster.

    :param application: the application.
    :param status: its status.
    :param wave: the wave of its seat (``None`` without one).
    :param attended: the days attended.
    """

    application: Application
    status: EnrollmentStatus
    wave: int | None = None
    attended: frozenset[dt.date] = frozenset()

    @property
    def business_id(self) -> str:
        """The applicant."""
        return self.application.business_id


@attrs.frozen(kw_only=True)
class EnrollmentEvent:
    """Something that happened to an enrollment, for the audit trail.

    :param what: ``"confirmed"``, ``"withdrawn"``, ``"promoted"``, ``"attended"``,
        ``"no_show"`` or ``"completed"``.
    :param business_id: the business concerned.
    :param wave: the wave concerned, if any.
    :param at: when it happened, with a time zone (a naive time is refused).
    :param by: who did it (a user id, never blank; for promotions, who made the
        withdrawal).
    :raises ValidationError: ``enrollmentevent.naive_datetime``,
        ``enrollmentevent.by_blank``...
    :param day: for attendance, the day attended.
    :param text: the event in words.
    """

    what: str = attrs.field(validator=non_blank)
    business_id: str = attrs.field(validator=non_blank)
    wave: int | None = attrs.field(validator=optional_instance_of(int))
    at: dt.datetime = attrs.field(validator=aware_datetime)
    by: str = attrs.field(validator=non_blank)
    day: dt.date | None = attrs.field(default=None, validator=optional_instance_of(dt.date))
    text: Text = attrs.field(validator=instance_of(Text))


@attrs.frozen(kw_only=True)
class Change:
    """The result of an operation: the new roster and what happened."""

    state: Enrollments
    events: tuple[EnrollmentEvent, ...]

    @property
    def event(self) -> EnrollmentEvent:
        """The event of the operation itself (promotions follow it in ``events``)."""
        return self.events[0]


def _initial(allocation: Allocation) -> tuple[Enrollment, ...]:
    entries = []
    for app, outcome in zip(allocation.applications, allocation.outcomes, strict=True):
        if isinstance(outcome, Accepted):
            entries.append(
                Enrollment(application=app, status=EnrollmentStatus.OFFERED, wave=outcome.wave)
            )
        elif isinstance(outcome, Waitlisted):
            entries.append(Enrollment(application=app, status=EnrollmentStatus.WAITLISTED))
        else:
            assert isinstance(outcome, Refused)
            entries.append(Enrollment(application=app, status=EnrollmentStatus.REFUSED))
    return tuple(entries)


@attrs.frozen(kw_only=True, eq=False)
class Enrollments:
    """The roster of a programme after allocation; every change returns a new roster.

    Build it with :meth:`from_allocation`. Entries stay in the allocation's policy order,
    which is also the order of the waitlist.
    """

    allocation: Allocation
    entries: tuple[Enrollment, ...]

    @classmethod
    def from_allocation(cls, allocation: Allocation) -> Enrollments:
        """The roster as the allocation left it: seats offered, the waitlist in order."""
        return cls(allocation=allocation, entries=_initial(allocation))

    def __iter__(self) -> Iterator[Enrollment]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def waitlist(self) -> tuple[Enrollment, ...]:
        """The waitlisted entries, next first."""
        return tuple(e for e in self.entries if e.status is EnrollmentStatus.WAITLISTED)

    def position(self, business_id: str) -> int | None:
        """The business's place on the waitlist (1 is next), or ``None``."""
        for i, entry in enumerate(self.waitlist, start=1):
            if entry.business_id == business_id:
                return i
        return None

    def seated(self, wave: int | None = None) -> tuple[str, ...]:
        """Business ids holding a seat (in ``wave``, if given)."""
        return tuple(
            e.business_id
            for e in self.entries
            if e.status.holds_seat and (wave is None or e.wave == wave)
        )

    def seats_taken(self) -> dict[int, int]:
        """Seats held per wave (every wave listed)."""
        taken = dict.fromkeys(self.allocation.program.wave_numbers, 0)
        for e in self.entries:
            if e.status.holds_seat and e.wave is not None:
                taken[e.wave] += 1
        return taken

    def entry(self, business_id: str) -> Enrollment:
        """The business's most relevant entry (a seat, else the waitlist, else any).

        :raises StateError: ``enrollment.no_application``.
        """
        return self.entries[self._index(business_id, set(EnrollmentStatus), "")]

    # Operations -----------------------------------------------------------------------
    # Each takes the business and, when it holds seats in several waves, ``wave``.

    def confirm(
        self, business_id: str, *, at: dt.datetime, by: str, wave: int | None = None
    ) -> Change:
        """The business confirms its offered seat.

        :raises StateError: unless the business holds an offered seat.
        """
        self._check_actor(at, by)
        i = self._index(business_id, {EnrollmentStatus.OFFERED}, "confirm", wave=wave)
        entry = self.entries[i]
        new = attrs.evolve(entry, status=EnrollmentStatus.CONFIRMED)
        event = self._event("confirmed", new, at, by, Text("Kursi dikonfirmasi", "Seat confirmed"))
        return Change(state=self._replace({i: new}), events=(event,))

    def attend(
        self,
        business_id: str,
        day: dt.date,
        *,
        at: dt.datetime,
        by: str,
        wave: int | None = None,
    ) -> Change:
        """Record attendance on ``day`` (a session day of the wave, once).

        :raises StateError: unless confirmed; ``enrollment.not_a_session_day``,
            ``enrollment.already_attended``.
        """
        self._check_actor(at, by)
        i = self._index(business_id, {EnrollmentStatus.CONFIRMED}, "attend", wave=wave)
        entry = self.entries[i]
        assert entry.wave is not None
        seat = self.allocation.program.wave(entry.wave)
        if day not in seat.session_days:
            raise StateError(
                "enrollment.not_a_session_day",
                field="day",
                id=f"{day.isoformat()} bukan hari sesi gelombang {seat.number}.",
                en=f"{day.isoformat()} is not a session day of wave {seat.number}.",
            )
        if day in entry.attended:
            raise StateError(
                "enrollment.already_attended",
                field="day",
                id=f"Kehadiran {day.isoformat()} sudah tercatat.",
                en=f"Attendance on {day.isoformat()} is already recorded.",
            )
        new = attrs.evolve(entry, attended=entry.attended | {day})
        text = Text(f"Hadir {day.isoformat()}", f"Attended {day.isoformat()}")
        event = self._event("attended", new, at, by, text, day=day)
        return Change(state=self._replace({i: new}), events=(event,))

    def complete(
        self, business_id: str, *, at: dt.datetime, by: str, wave: int | None = None
    ) -> Change:
        """Mark the programme completed: every session day must have been attended.

        :raises StateError: unless confirmed; ``enrollment.incomplete_attendance``.
        """
        self._check_actor(at, by)
        i = self._index(business_id, {EnrollmentStatus.CONFIRMED}, "complete", wave=wave)
        entry = self.entries[i]
        assert entry.wave is not None
        missing = set(self.allocation.program.wave(entry.wave).session_days) - entry.attended
        if missing:
            raise StateError(
                "enrollment.incomplete_attendance",
                field="attended",
                id=f"Belum hadir pada {len(missing)} hari sesi.",
                en=f"Missed {len(missing)} session day(s).",
            )
        new = attrs.evolve(entry, status=EnrollmentStatus.COMPLETED)
        event = self._event("completed", new, at, by, Text("Program selesai", "Completed"))
        return Change(state=self._replace({i: new}), events=(event,))

    def no_show(
        self, business_id: str, *, at: dt.datetime, by: str, wave: int | None = None
    ) -> Change:
        """A confirmed participant who never came; the seat is not given again.

        :raises StateError: unless confirmed with no attendance.
        """
        self._check_actor(at, by)
        i = self._index(
            business_id, {EnrollmentStatus.CONFIRMED}, "no_show", wave=wave, unattended=True
        )
        entry = self.entries[i]
        self._nothing_attended(entry, "no_show")
        new = attrs.evolve(entry, status=EnrollmentStatus.NO_SHOW)
        event = self._event("no_show", new, at, by, Text("Tidak hadir", "No-show"))
        return Change(state=self._replace({i: new}), events=(event,))

    def withdraw(
        self,
        business_id: str,
        *,
        at: dt.datetime,
        by: str,
        wave: int | None = None,
        promote_withdrawing: bool = False,
    ) -> Change:
        """Withdraw the business from its seat or from the waitlist.

        Freeing a seat promotes the next eligible applicant on the waitlist. A business
        that has withdrawn from the programme is not promoted in it again (its other
        applications stay on the waitlist), so it cannot take back the seat it gave up
        ahead of a business still waiting.

        :param promote_withdrawing: the office allows this withdrawing business's other
            applications to be promoted by this withdrawal (e.g. it moves to another
            wave on purpose).
        :raises StateError: when the business holds no seat and waits for none, or has
            already attended.
        """
        self._check_actor(at, by)
        allowed = {
            EnrollmentStatus.OFFERED,
            EnrollmentStatus.CONFIRMED,
            EnrollmentStatus.WAITLISTED,
        }
        i = self._index(business_id, allowed, "withdraw", wave=wave, unattended=True)
        entry = self.entries[i]
        self._nothing_attended(entry, "withdraw")
        new = attrs.evolve(entry, status=EnrollmentStatus.WITHDRAWN, wave=None)
        text = Text(
            "Mengundurkan diri" + (f" dari gelombang {entry.wave}" if entry.wave else ""),
            "Withdrew" + (f" from wave {entry.wave}" if entry.wave else ""),
        )
        event = self._event("withdrawn", entry, at, by, text)
        state = self._replace({i: new})
        if entry.wave is None:
            return Change(state=state, events=(event,))
        repromote = frozenset({business_id}) if promote_withdrawing else frozenset()
        state, promoted = state._promote(at=at, by=by, allowed=repromote)
        return Change(state=state, events=(event, *promoted))

    # Internals ------------------------------------------------------------------------

    def _withdrawn_businesses(self) -> set[str]:
        return {e.business_id for e in self.entries if e.status is EnrollmentStatus.WITHDRAWN}

    @staticmethod
    def _check_actor(at: object, by: object) -> None:
        # Checked before anything changes, with the event's own validators and codes.
        aware_datetime(_EVENT, attrs.fields(EnrollmentEvent).at, at)
        non_blank(_EVENT, attrs.fields(EnrollmentEvent).by, by)

    def _promote(
        self, *, at: dt.datetime, by: str, allowed: frozenset[str] = frozenset()
    ) -> tuple[Enrollments, list[EnrollmentEvent]]:
        withdrawn = self._withdrawn_businesses() - allowed
        engine = self.allocation.engine
        judgements = self.allocation.judgements
        counts = engine.new_counts()
        taken: set[tuple[str, int]] = set()
        for e, j in zip(self.entries, judgements, strict=True):
            if e.status.holds_seat and e.wave is not None:
                engine.occupy(j, e.wave, counts)
                taken.add((e.business_id, e.wave))
        changes: dict[int, Enrollment] = {}
        events: list[EnrollmentEvent] = []
        # As in allocate(): reserved shares first, then released to anyone waiting.
        for relaxed in (False, True):
            for i, (e, j) in enumerate(zip(self.entries, judgements, strict=True)):
                if e.status is not EnrollmentStatus.WAITLISTED or i in changes:
                    continue
                if e.business_id in withdrawn:
                    continue
                wave = engine.seat(j, counts, relaxed=relaxed, taken=taken)
                if wave is None:
                    continue
                new = attrs.evolve(e, status=EnrollmentStatus.OFFERED, wave=wave.number)
                changes[i] = new
                text = Text(
                    f"Naik dari daftar tunggu ke gelombang {wave.number}",
                    f"Promoted from the waitlist to wave {wave.number}",
                )
                events.append(self._event("promoted", new, at, by, text))
        return self._replace(changes), events

    def _replace(self, changes: dict[int, Enrollment]) -> Enrollments:
        if not changes:
            return self
        entries = list(self.entries)
        for i, entry in changes.items():
            entries[i] = entry
        return attrs.evolve(self, entries=tuple(entries))

    def _index(
        self,
        business_id: str,
        allowed: set[EnrollmentStatus],
        action: str,
        *,
        wave: int | None = None,
        unattended: bool = False,
    ) -> int:
        mine = [
            i
            for i, e in enumerate(self.entries)
            if e.business_id == business_id and (wave is None or e.wave == wave)
        ]
        if not mine:
            raise StateError(
                "enrollment.no_application",
                field="business_id",
                id="Usaha ini tidak mendaftar ke program ini (atau gelombang ini).",
                en="This business did not apply to this programme (or wave).",
            )
        # Prefer a seat, then the waitlist, so several applications behave sensibly; pass
        # ``wave`` to name one seat when a business holds several.
        order = sorted(mine, key=lambda i: _PREFERENCE[self.entries[i].status])
        for i in order:
            entry = self.entries[i]
            if entry.status in allowed and not (unattended and entry.attended):
                return i
        for i in order:
            if self.entries[i].status in allowed:
                self._nothing_attended(self.entries[i], action)
        status = self.entries[order[0]].status.value
        raise StateError(
            f"enrollment.cannot_{action}",
            field="status",
            id=f"Tidak dapat '{action}' dari status '{status}'.",
            en=f"Cannot '{action}' from status '{status}'.",
        )

    @staticmethod
    def _nothing_attended(entry: Enrollment, action: str) -> None:
        if entry.attended:
            raise StateError(
                f"enrollment.cannot_{action}",
                field="attended",
                id=f"Tidak dapat '{action}': sudah hadir {len(entry.attended)} hari.",
                en=f"Cannot '{action}': already attended {len(entry.attended)} day(s).",
            )

    @staticmethod
    def _event(
        what: str,
        entry: Enrollment,
        at: dt.datetime,
        by: str,
        text: Text,
        *,
        day: dt.date | None = None,
    ) -> EnrollmentEvent:
        return EnrollmentEvent(
            what=what,
            business_id=entry.business_id,
            wave=entry.wave,
            at=at,
            by=by,
            day=day,
            text=text,
        )


_PREFERENCE = {
    EnrollmentStatus.CONFIRMED: 0,
    EnrollmentStatus.OFFERED: 1,
    EnrollmentStatus.WAITLISTED: 2,
    EnrollmentStatus.COMPLETED: 3,
    EnrollmentStatus.NO_SHOW: 4,
    EnrollmentStatus.WITHDRAWN: 5,
    EnrollmentStatus.REFUSED: 6,
}

# The instance named in errors of checks made before an event exists (its class name
# gives the code prefix "enrollmentevent.").
_EVENT = EnrollmentEvent.__new__(EnrollmentEvent)
