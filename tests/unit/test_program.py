from __future__ import annotations

import datetime as dt

import pytest

from alloc_support import program
from umkm_core import Program, ProgramKind, Session, ValidationError, Venue, Wave

DEC = dt.date(2017, 12, 1)


def day(n: int) -> dt.date:
    return DEC.replace(day=n)


def wave_of(first: int, last: int, seats: int) -> Wave:
    return Wave.with_daily_sessions(
        number=1, sector="kuliner", start=day(first), end=day(last), seats=seats
    )


def test_wave_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationError) as info:
        Wave(number=1, sector="kuliner", start=day(20), end=day(19), seats=80)
    assert info.value.code == "wave.end_before_start"
    assert info.value.field == "end"


def test_session_outside_its_wave_is_refused() -> None:
    session = Session(day=day(23), start=dt.time(9), end=dt.time(15))
    with pytest.raises(ValidationError) as info:
        Wave(number=1, sector="kuliner", start=day(19), end=day(20), seats=80, sessions=(session,))
    assert info.value.code == "wave.session_outside_wave"
    assert info.value.field == "sessions[0].day"


@pytest.mark.parametrize("seats", [0, -3, True, "80"])
def test_a_wave_needs_at_least_one_seat(seats: object) -> None:
    with pytest.raises(ValidationError) as info:
        Wave(number=1, sector="kuliner", start=day(19), end=day(20), seats=seats)  # type: ignore[arg-type]
    assert info.value.code == "wave.bad_seats"


def test_duplicate_wave_numbers_are_refused() -> None:
    wave = wave_of(19, 20, 8)
    with pytest.raises(ValidationError) as info:
        Program(
            id="P",
            title="T",
            office_id="o",
            year=2017,
            kind=ProgramKind.TRAINING,
            waves=(wave, wave),
        )
    assert info.value.code == "program.duplicate_wave_number"
    assert info.value.field == "waves[1].number"


def test_a_session_ends_after_it_starts() -> None:
    with pytest.raises(ValidationError) as info:
        Session(day=day(19), start=dt.time(15), end=dt.time(9))
    assert info.value.code == "session.end_before_start"


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        Session(day=day(19), start=dt.time(9), end=dt.time(15), time_zone="Mars/Olympus")
    assert info.value.code == "session.unknown_time_zone"


def test_sessions_default_to_western_indonesian_time() -> None:
    session = Session(day=day(19), start=dt.time(9), end=dt.time(15))
    assert session.starts_at.utcoffset() == dt.timedelta(hours=7)


def test_reference_programme_has_no_schedule_warnings() -> None:
    assert program().schedule_warnings() == ()


def test_christmas_is_a_holiday_and_the_day_after_is_joint_leave() -> None:
    wave = wave_of(25, 26, 5)
    prog = Program(
        id="P", title="T", office_id="o", year=2017, kind=ProgramKind.TRAINING, waves=(wave,)
    )
    warnings = prog.schedule_warnings()
    assert [(w.code, w.day) for w in warnings] == [
        ("schedule.public_holiday", day(25)),
        ("schedule.joint_leave", day(26)),
    ]
    assert "Natal" in warnings[0].text.id
    assert "Christmas" in warnings[0].text.en
    assert "Cuti Bersama" in warnings[1].text.id


def test_weekend_sessions_are_warned() -> None:
    wave = wave_of(16, 17, 5)
    prog = Program(
        id="P", title="T", office_id="o", year=2017, kind=ProgramKind.TRAINING, waves=(wave,)
    )
    assert [w.code for w in prog.schedule_warnings()] == ["schedule.weekend", "schedule.weekend"]


def test_waves_in_the_same_venue_at_the_same_time_are_warned() -> None:
    room = Venue(name="Opp Room, Gedung Cisadane")
    morning = Wave.with_daily_sessions(
        number=1, sector="kuliner", start=day(19), end=day(20), seats=5, venue=room
    )
    clash = Wave.with_daily_sessions(
        number=2, sector="fesyen", start=day(20), end=day(21), seats=5, venue=room
    )
    afternoon = Wave.with_daily_sessions(
        number=3,
        sector="kriya",
        start=day(19),
        end=day(19),
        seats=5,
        venue=room,
        from_time=dt.time(15),
        to_time=dt.time(17),
    )
    prog = Program(
        id="P",
        title="T",
        office_id="o",
        year=2017,
        kind=ProgramKind.TRAINING,
        waves=(morning, clash, afternoon),
    )
    overlaps = [w for w in prog.schedule_warnings() if w.code == "schedule.venue_overlap"]
    assert [(w.wave, w.other_wave, w.day) for w in overlaps] == [(1, 2, day(20))]


def test_programmes_compare_by_id() -> None:
    assert program(seats=(80, 80)) == program(seats=(10,))
    assert program().seats == 160
