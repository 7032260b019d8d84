"""Programmes an office runs, split into waves (gelombang) of daily sessions.

A :class:`Program` (pelatihan, pembinaan, pendampingan, kemitraan) belongs to an
:class:`Office` and runs one or more :class:`Wave` s. Each wave serves one sector, has a
fixed number of seats and daily :class:`Session` s in a time zone (WIB by default).
Rules that decide who gets a seat are data attached to the programme
(:mod:`umkm_core.rules`). Validation errors are typed; calendar problems such as a
session on a public holiday are *warnings* (:meth:`Program.schedule_warnings`), because
offices do sometimes train on Saturdays.

>>> import datetime as dt
>>> wave = Wave.with_daily_sessions(number=1, sector="kuliner", seats=80,
...     start=dt.date(2017, 12, 19), end=dt.date(2017, 12, 20))
>>> [s.day.isoformat() for s in wave.sessions], wave.sessions[0].time_zone
(['2017-12-19', '2017-12-20'], 'Asia/Jakarta')
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from collections.abc import Iterator
from typing import Any

import attrs
import holidays

from umkm_core.errors import ValidationError
from umkm_core.limits import MAX_WAVE_DAYS, check_date
from umkm_core.model._validators import (
    as_tuple,
    instance_of,
    non_blank,
    optional_instance_of,
    tuple_of,
    year_between,
)
from umkm_core.model.identifiers import RegionCode
from umkm_core.model.rule import Rule
from umkm_core.text import Text

__all__ = [
    "DEFAULT_TIME_ZONE",
    "Office",
    "PastEnrollment",
    "Program",
    "ProgramKind",
    "ScheduleWarning",
    "Session",
    "Venue",
    "Wave",
]

#: Western Indonesian Time (WIB), the zone of Java and Sumatra.
DEFAULT_TIME_ZONE = "Asia/Jakarta"


@attrs.frozen(kw_only=True, eq=False)
class Office:
    """A coaching office (Dinas Koperasi dan UKM, or one of its fields). Compares by ``id``.

    :param id: a stable identifier, e.g. ``"dinkopukm-3671"``.
    :param name: the office's name.
    :param region: the region the office serves.
    """

    id: str = attrs.field(validator=non_blank)
    name: str = attrs.field(validator=non_blank)
    region: RegionCode = attrs.field(validator=instance_of(RegionCode))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Office):
            return NotImplemented
        return self.id == other.id

    def __hash__(self) -> int:
        return hash(("Office", self.id))


class ProgramKind(enum.Enum):
    """The four services an office offers."""

    TRAINING = "training"  #: pelatihan
    COACHING = "coaching"  #: pembinaan
    MENTORING = "mentoring"  #: pendampingan
    PARTNERSHIP = "partnership"  #: kemitraan

    @property
    def label(self) -> Text:
        """The kind's name in Indonesian and English."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ProgramKind.TRAINING: Text("pelatihan", "training"),
    ProgramKind.COACHING: Text("pembinaan", "coaching"),
    ProgramKind.MENTORING: Text("pendampingan", "mentoring"),
    ProgramKind.PARTNERSHIP: Text("kemitraan", "partnership"),
}


@attrs.frozen(kw_only=True)
class Venue:
    """Where a wave takes place. Two waves at an equal venue may not overlap in time."""

    name: str = attrs.field(validator=non_blank)
    address: str = attrs.field(default="", validator=instance_of(str))
    region: RegionCode | None = attrs.field(
        default=None, validator=optional_instance_of(RegionCode)
    )


def _check_time_zone(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    instance_of(str)(_instance, attribute, value)
    assert isinstance(value, str)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            "session.unknown_time_zone",
            field=attribute.name,
            value=value,
            id="Zona waktu tidak dikenal (contoh: Asia/Jakarta, Asia/Makassar, Asia/Jayapura).",
            en="Unknown time zone (e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura).",
        ) from exc


def _local_time(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # The zone is ``time_zone``; an offset on the time itself would make start and end
    # incomparable (an aware start and a naive end) or contradict the zone.
    if isinstance(value, dt.time) and value.tzinfo is not None:
        raise ValidationError(
            "session.aware_time",
            field=attribute.name,
            value=value,
            id="Jam sesi ditulis tanpa zona waktu; zonanya adalah 'time_zone'.",
            en="Session times carry no time zone of their own; the zone is 'time_zone'.",
        )


def _check_length(start: dt.date, end: dt.date, field: str) -> None:
    if (end - start).days > MAX_WAVE_DAYS:
        raise ValidationError(
            "wave.too_long",
            field=field,
            value=end,
            id=f"Gelombang paling lama {MAX_WAVE_DAYS} hari.",
            en=f"A wave lasts at most {MAX_WAVE_DAYS} days.",
        )


def _not_too_late(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, dt.date):
        check_date(value, field=attribute.name)


@attrs.frozen(kw_only=True)
class Session:
    """One day's session of a wave, from ``start`` to ``end`` local time in ``time_zone``."""

    day: dt.date = attrs.field(validator=[instance_of(dt.date), _not_too_late])
    start: dt.time = attrs.field(validator=[instance_of(dt.time), _local_time])
    end: dt.time = attrs.field(validator=[instance_of(dt.time), _local_time])
    time_zone: str = attrs.field(default=DEFAULT_TIME_ZONE, validator=_check_time_zone)

    @end.validator
    def _end_after_start(self, attribute: attrs.Attribute[dt.time], value: dt.time) -> None:
        if isinstance(value, dt.time) and isinstance(self.start, dt.time) and value <= self.start:
            raise ValidationError(
                "session.end_before_start",
                field=attribute.name,
                value=value,
                id="Sesi harus selesai setelah dimulai.",
                en="A session must end after it starts.",
            )

    @property
    def starts_at(self) -> dt.datetime:
        """The start as an aware datetime."""
        return dt.datetime.combine(self.day, self.start, zoneinfo.ZoneInfo(self.time_zone))

    @property
    def ends_at(self) -> dt.datetime:
        """The end as an aware datetime."""
        return dt.datetime.combine(self.day, self.end, zoneinfo.ZoneInfo(self.time_zone))

    def overlaps(self, other: Session) -> bool:
        """Whether the two sessions share any moment (time zones taken into account)."""
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


def _positive_int(code: str, label_id: str, label_en: str) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError(
                code,
                field=attribute.name,
                value=value,
                id=f"{label_id} harus bilangan bulat 1 atau lebih.",
                en=f"{label_en} must be a whole number of 1 or more.",
            )

    return check


@attrs.frozen(kw_only=True)
class Wave:
    """A wave (gelombang) of a programme: one sector, a date range, seats and sessions.

    :param number: the wave's number within its programme, from 1.
    :param sector: the sector code the wave serves (``"kuliner"``, ``"fesyen"``).
    :param start: the first day.
    :param end: the last day (not before ``start``).
    :param seats: the number of participants, at least 1.
    :param sessions: the daily sessions, each on a day between ``start`` and ``end``.
    :param venue: where it takes place.
    :param instructors: who teaches (names or institutions; not personal data).
    :raises ValidationError: ``wave.end_before_start``, ``wave.session_outside_wave``,
        ``wave.bad_seats``...
    """

    number: int = attrs.field(validator=_positive_int("wave.bad_number", "Nomor", "The number"))
    sector: str = attrs.field(validator=non_blank)
    start: dt.date = attrs.field(validator=[instance_of(dt.date), _not_too_late])
    end: dt.date = attrs.field(validator=[instance_of(dt.date), _not_too_late])
    seats: int = attrs.field(validator=_positive_int("wave.bad_seats", "Kursi", "Seats"))
    sessions: tuple[Session, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Session)
    )
    venue: Venue | None = attrs.field(default=None, validator=optional_instance_of(Venue))
    instructors: tuple[str, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(str)
    )

    @end.validator
    def _end_not_before_start(self, attribute: attrs.Attribute[dt.date], value: dt.date) -> None:
        if isinstance(value, dt.date) and isinstance(self.start, dt.date) and value < self.start:
            raise ValidationError(
                "wave.end_before_start",
                field=attribute.name,
                value=value,
                id=f"Gelombang {self.number} berakhir sebelum dimulai.",
                en=f"Wave {self.number} ends before it starts.",
            )
        if isinstance(value, dt.date) and isinstance(self.start, dt.date):
            _check_length(self.start, value, attribute.name)

    @sessions.validator
    def _sessions_inside(
        self, attribute: attrs.Attribute[tuple[Session, ...]], value: tuple[Session, ...]
    ) -> None:
        for i, session in enumerate(value):
            if isinstance(session, Session) and not self.start <= session.day <= self.end:
                raise ValidationError(
                    "wave.session_outside_wave",
                    field=f"{attribute.name}[{i}].day",
                    value=session.day,
                    id=f"Sesi {session.day.isoformat()} di luar tanggal gelombang "
                    f"{self.number} ({self.start.isoformat()} s.d. {self.end.isoformat()}).",
                    en=f"Session on {session.day.isoformat()} lies outside wave {self.number} "
                    f"({self.start.isoformat()} to {self.end.isoformat()}).",
                )

    @classmethod
    def with_daily_sessions(
        cls,
        *,
        number: int,
        sector: str,
        start: dt.date,
        end: dt.date,
        seats: int,
        from_time: dt.time = dt.time(9, 0),
        to_time: dt.time = dt.time(15, 0),
        time_zone: str = DEFAULT_TIME_ZONE,
        venue: Venue | None = None,
        instructors: tuple[str, ...] = (),
    ) -> Wave:
        """A wave with one session every day from ``start`` to ``end`` (09:00-15:00 WIB).

        :returns: the wave.
        :raises ValidationError: as the constructor.
        """
        days: list[dt.date] = []
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            _check_length(start, end, "end")
            # Counted, not stepped past ``end``: stepping overflows on 9999-12-31.
            days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        return cls(
            number=number,
            sector=sector,
            start=start,
            end=end,
            seats=seats,
            sessions=tuple(
                Session(day=d, start=from_time, end=to_time, time_zone=time_zone) for d in days
            ),
            venue=venue,
            instructors=instructors,
        )

    @property
    def days(self) -> tuple[dt.date, ...]:
        """Every calendar day from ``start`` to ``end``."""
        return tuple(
            self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)
        )

    @property
    def session_days(self) -> tuple[dt.date, ...]:
        """The days with a session (every day of the wave when no sessions are listed)."""
        if not self.sessions:
            return self.days
        return tuple(sorted({s.day for s in self.sessions}))


def _unique_wave_numbers(
    _instance: Program, attribute: attrs.Attribute[Any], value: tuple[Wave, ...]
) -> None:
    seen: set[int] = set()
    for i, wave in enumerate(value):
        if wave.number in seen:
            raise ValidationError(
                "program.duplicate_wave_number",
                field=f"{attribute.name}[{i}].number",
                value=wave.number,
                id=f"Nomor gelombang {wave.number} dipakai lebih dari sekali.",
                en=f"Wave number {wave.number} is used more than once.",
            )
        seen.add(wave.number)


def _at_least_one_wave(
    _instance: Program, attribute: attrs.Attribute[Any], value: tuple[Wave, ...]
) -> None:
    if not value:
        raise ValidationError(
            "program.no_waves",
            field=attribute.name,
            value=value,
            id="Program harus memiliki minimal satu gelombang.",
            en="A programme needs at least one wave.",
        )


def _is_one_seat_rule(rule: object) -> bool:
    return getattr(rule, "name", None) == "one_seat_per_business"


@attrs.frozen(kw_only=True, eq=False)
class ScheduleWarning:
    """Something about a programme's calendar worth a second look (not an error).

    :param code: ``schedule.weekend``, ``schedule.public_holiday``,
        ``schedule.joint_leave`` (cuti bersama) or ``schedule.venue_overlap``.
    :param wave: the wave concerned.
    :param day: the day concerned.
    :param text: the warning in Indonesian and English.
    :param other_wave: for an overlap, the other wave.
    """

    code: str
    wave: int
    day: dt.date
    text: Text
    other_wave: int | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ScheduleWarning):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[str, int, dt.date, int | None]:
        return (self.code, self.wave, self.day, self.other_wave)


@attrs.frozen(kw_only=True, eq=False)
class Program:
    """A programme of an office, with its waves and the rules that decide who gets a seat.

    Compares and hashes by ``id``.

    :param id: a stable identifier.
    :param title: the programme's title.
    :param office_id: the office that runs it.
    :param year: the budget year.
    :param kind: training, coaching, mentoring or partnership.
    :param waves: one or more waves with distinct numbers.
    :param rules: eligibility rules and capacity constraints (:mod:`umkm_core.rules`).
    :param one_seat_per_business: a business takes at most one seat in the whole
        programme (the default); ``False`` lifts the limit, so one business may be seated
        in several waves. The limit is the ``one_seat_per_business`` capacity rule, added
        by :func:`umkm_core.rules.allocation_rules` when the rules do not name it.
    :raises ValidationError: ``program.duplicate_wave_number``, ``program.no_waves``,
        ``program.one_seat_rule_lifted``...
    """

    id: str = attrs.field(validator=non_blank)
    title: str = attrs.field(validator=non_blank)
    office_id: str = attrs.field(validator=non_blank)
    year: int = attrs.field(validator=year_between(1945, 2100))
    kind: ProgramKind = attrs.field(validator=instance_of(ProgramKind))
    waves: tuple[Wave, ...] = attrs.field(
        converter=as_tuple,
        validator=[tuple_of(Wave), _at_least_one_wave, _unique_wave_numbers],
    )
    rules: tuple[Rule, ...] = attrs.field(default=(), converter=as_tuple, validator=tuple_of(Rule))
    one_seat_per_business: bool = attrs.field(default=True, validator=instance_of(bool))

    @one_seat_per_business.validator
    def _check_one_seat(self, attribute: attrs.Attribute[bool], value: bool) -> None:
        if value is False and any(_is_one_seat_rule(r) for r in self.rules):
            raise ValidationError(
                "program.one_seat_rule_lifted",
                field=attribute.name,
                value=value,
                id="Program mencabut batas satu kursi per usaha tetapi aturannya memuat "
                "'one_seat_per_business'.",
                en="The programme lifts the one-seat-per-business limit but its rules "
                "name 'one_seat_per_business'.",
            )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Program):
            return NotImplemented
        return self.id == other.id

    def __hash__(self) -> int:
        return hash(("Program", self.id))

    @property
    def seats(self) -> int:
        """The seats of all waves together."""
        return sum(w.seats for w in self.waves)

    @property
    def wave_numbers(self) -> tuple[int, ...]:
        """The wave numbers in programme order."""
        return tuple(w.number for w in self.waves)

    def wave(self, number: int) -> Wave:
        """The wave numbered ``number``.

        :raises ValidationError: ``program.unknown_wave``.
        """
        for wave in self.waves:
            if wave.number == number:
                return wave
        raise ValidationError(
            "program.unknown_wave",
            field="wave",
            value=number,
            id=f"Program {self.id} tidak memiliki gelombang {number}.",
            en=f"Programme {self.id} has no wave {number}.",
        )

    def schedule_warnings(self) -> tuple[ScheduleWarning, ...]:
        """Session days on weekends, public holidays or joint leave, and venue clashes.

        Holidays come from the ``holidays`` package: the ``public`` category for public
        holidays and the ``government`` category for cuti bersama (joint leave).

        :returns: the warnings, ordered by wave, day and code.
        """
        years = sorted({d.year for w in self.waves for d in w.session_days})
        calendars = {
            (cat, lang): holidays.country_holidays(
                "ID", years=years, categories=(cat,), language=lang
            )
            for cat in ("public", "government")
            for lang in ("id", "en_US")
        }
        warnings: list[ScheduleWarning] = []
        for wave in self.waves:
            for day in wave.session_days:
                warnings.extend(_day_warnings(wave.number, day, calendars))
        warnings.extend(self._venue_overlaps())
        return tuple(sorted(warnings, key=lambda w: (w.wave, w.day, w.code, w.other_wave or 0)))

    def _venue_overlaps(self) -> Iterator[ScheduleWarning]:
        for i, first in enumerate(self.waves):
            for second in self.waves[i + 1 :]:
                if first.venue is None or first.venue != second.venue:
                    continue
                clash = _first_clash(first, second)
                if clash is None:
                    continue
                yield ScheduleWarning(
                    code="schedule.venue_overlap",
                    wave=first.number,
                    day=clash,
                    other_wave=second.number,
                    text=Text(
                        id=f"Gelombang {first.number} dan {second.number} memakai "
                        f"{first.venue.name} pada waktu yang sama ({clash.isoformat()}).",
                        en=f"Waves {first.number} and {second.number} use "
                        f"{first.venue.name} at the same time ({clash.isoformat()}).",
                    ),
                )


def _first_clash(first: Wave, second: Wave) -> dt.date | None:
    if first.sessions and second.sessions:
        days = sorted(a.day for a in first.sessions for b in second.sessions if a.overlaps(b))
        return days[0] if days else None
    # Without sessions, a wave occupies the venue for whole days.
    shared = sorted(set(first.session_days) & set(second.session_days))
    return shared[0] if shared else None


def _day_warnings(
    wave: int, day: dt.date, calendars: dict[tuple[str, str], Any]
) -> Iterator[ScheduleWarning]:
    if day.weekday() >= 5:
        yield ScheduleWarning(
            code="schedule.weekend",
            wave=wave,
            day=day,
            text=Text(
                id=f"Gelombang {wave}: {day.isoformat()} jatuh pada akhir pekan.",
                en=f"Wave {wave}: {day.isoformat()} falls on a weekend.",
            ),
        )
    for category, code in (("public", "public_holiday"), ("government", "joint_leave")):
        name_id = calendars[(category, "id")].get(day)
        if name_id is None:
            continue
        name_en = calendars[(category, "en_US")].get(day) or name_id
        yield ScheduleWarning(
            code=f"schedule.{code}",
            wave=wave,
            day=day,
            text=Text(
                id=f"Gelombang {wave}: {day.isoformat()} adalah {name_id}.",
                en=f"Wave {wave}: {day.isoformat()} is {name_en}.",
            ),
        )


@attrs.frozen(kw_only=True)
class PastEnrollment:
    """A programme a business attended before (for "not again within N years" rules).

    :param business_id: the business.
    :param program_id: the earlier programme.
    :param kind: the earlier programme's kind.
    :param ended_on: the last day the business attended.
    """

    business_id: str = attrs.field(validator=non_blank)
    program_id: str = attrs.field(validator=non_blank)
    kind: ProgramKind = attrs.field(validator=instance_of(ProgramKind))
    ended_on: dt.date = attrs.field(validator=instance_of(dt.date))
