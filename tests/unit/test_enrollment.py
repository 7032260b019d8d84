from __future__ import annotations

import datetime as dt

import attrs
import pytest

from alloc_support import JAKARTA, business, program
from umkm_core import (
    Application,
    Enrollments,
    EnrollmentStatus,
    Sex,
    StateError,
    allocate,
    diff,
)
from umkm_core.errors import ValidationError
from umkm_core.rules import reserved_share, sector_matches_wave, women_owned

AS_OF = dt.date(2017, 12, 1)
T0 = dt.datetime(2017, 11, 1, 8, tzinfo=JAKARTA)
NOW = dt.datetime(2017, 12, 10, 10, tzinfo=JAKARTA)


def app(business_id: str, minute: int = 0, *waves: int) -> Application:
    return Application(
        business_id=business_id,
        program_id="P2017",
        applied_at=T0 + dt.timedelta(minutes=minute),
        waves=waves,
    )


def roster(seats: int = 2, applicants: int = 4) -> Enrollments:
    bs = [business(f"B{i}") for i in range(applicants)]
    result = allocate(
        program(sector_matches_wave(), seats=(seats,)),
        [app(f"B{i}", i) for i in range(applicants)],
        bs,
        as_of=AS_OF,
    )
    return Enrollments.from_allocation(result)


def test_withdrawal_promotes_the_next_waitlisted_applicant() -> None:
    state = roster()
    change = state.withdraw("B0", at=NOW, by="petugas-1")
    assert [e.what for e in change.events] == ["withdrawn", "promoted"]
    assert change.events[1].business_id == "B2"
    assert change.events[1].by == "petugas-1"
    assert change.events[1].at == NOW
    assert change.state.entry("B2").status is EnrollmentStatus.OFFERED
    assert change.state.position("B3") == 1
    assert state.entry("B0").status is EnrollmentStatus.OFFERED, "the old state is unchanged"


def test_confirm_attend_every_day_then_complete() -> None:
    state = roster()
    state = state.confirm("B0", at=NOW, by="B0").state
    for day in (dt.date(2017, 12, 19), dt.date(2017, 12, 20)):
        change = state.attend("B0", day, at=NOW, by="instruktur")
        assert change.event.day == day
        state = change.state
    done = state.complete("B0", at=NOW, by="petugas-1")
    assert done.state.entry("B0").status is EnrollmentStatus.COMPLETED
    assert done.event.what == "completed"


def test_completion_needs_attendance_on_every_session_day() -> None:
    state = roster().confirm("B0", at=NOW, by="B0").state
    state = state.attend("B0", dt.date(2017, 12, 19), at=NOW, by="i").state
    with pytest.raises(StateError) as info:
        state.complete("B0", at=NOW, by="i")
    assert info.value.code == "enrollment.incomplete_attendance"


@pytest.mark.parametrize(
    ("business_id", "action", "code"),
    [
        ("B0", "complete", "enrollment.cannot_complete"),
        ("B0", "no_show", "enrollment.cannot_no_show"),
        ("B2", "confirm", "enrollment.cannot_confirm"),
        ("NOBODY", "confirm", "enrollment.no_application"),
    ],
)
def test_illegal_transitions_raise_a_state_error(business_id: str, action: str, code: str) -> None:
    state = roster()
    with pytest.raises(StateError) as info:
        getattr(state, action)(business_id, at=NOW, by="x")
    assert info.value.code == code


def test_attendance_only_on_session_days_and_once() -> None:
    state = roster().confirm("B0", at=NOW, by="B0").state
    with pytest.raises(StateError) as info:
        state.attend("B0", dt.date(2017, 12, 25), at=NOW, by="i")
    assert info.value.code == "enrollment.not_a_session_day"
    state = state.attend("B0", dt.date(2017, 12, 19), at=NOW, by="i").state
    with pytest.raises(StateError) as info:
        state.attend("B0", dt.date(2017, 12, 19), at=NOW, by="i")
    assert info.value.code == "enrollment.already_attended"
    with pytest.raises(StateError):
        state.withdraw("B0", at=NOW, by="B0")


def test_no_show_keeps_the_seat_and_promotes_nobody() -> None:
    state = roster().confirm("B0", at=NOW, by="B0").state
    change = state.no_show("B0", at=NOW, by="instruktur")
    assert [e.what for e in change.events] == ["no_show"]
    assert change.state.seats_taken() == {1: 2}


def test_leaving_the_waitlist_promotes_nobody_and_renumbers() -> None:
    change = roster().withdraw("B2", at=NOW, by="B2")
    assert [e.what for e in change.events] == ["withdrawn"]
    assert change.state.position("B3") == 1


def test_a_freed_reserved_seat_goes_to_the_next_woman_first() -> None:
    bs = [
        business("W0", sex=Sex.FEMALE),
        business("M0", sex=Sex.MALE),
        business("M1", sex=Sex.MALE),
        business("W1", sex=Sex.FEMALE),
    ]
    result = allocate(
        program(reserved_share(50, women_owned()), seats=(2,)),
        [app("W0", 0), app("M0", 1), app("M1", 2), app("W1", 3)],
        bs,
        as_of=AS_OF,
    )
    assert set(result.seated()) == {"W0", "M0"}
    change = Enrollments.from_allocation(result).withdraw("W0", at=NOW, by="W0")
    assert change.events[1].business_id == "W1"


def test_diff_names_who_moves_in_out_and_between_waves() -> None:
    bs = [business("B1"), business("B2"), business("B3")]
    apps = [app("B1", 0, 1, 2), app("B2", 1, 1, 2), app("B3", 2, 1, 2)]
    before = allocate(program(seats=(1, 1)), apps, bs, as_of=AS_OF)
    after = allocate(program(seats=(2, 1)), apps, bs, as_of=AS_OF)
    changes = diff(before, after)
    assert [(m.business_id, m.before, m.after, m.kind) for m in changes] == [
        ("B2", 2, 1, "between"),
        ("B3", None, 2, "in"),
    ]
    assert diff(after, before).moved_out[0].business_id == "B3"
    assert not diff(before, before)


def test_a_business_with_seats_in_two_waves_names_the_wave() -> None:
    several = attrs.evolve(program(seats=(2, 2)), one_seat_per_business=False)
    result = allocate(several, [app("B1", 0, 1), app("B1", 1, 2)], [business("B1")], as_of=AS_OF)
    state = Enrollments.from_allocation(result).confirm("B1", at=NOW, by="B1", wave=1).state
    state = state.attend("B1", dt.date(2017, 12, 19), at=NOW, by="i", wave=1).state
    change = state.withdraw("B1", at=NOW, by="B1")  # the unattended seat, in wave 2
    assert change.event.wave == 2
    with pytest.raises(StateError) as info:
        change.state.withdraw("B1", at=NOW, by="B1", wave=1)
    assert info.value.code == "enrollment.cannot_withdraw"


def _roster_with_a_second_application() -> Enrollments:
    bs = [business(f"B{i}") for i in range(3)]
    apps = [app("B0", 0), app("B1", 1), app("B0", 2), app("B2", 3)]
    result = allocate(program(sector_matches_wave(), seats=(2,)), apps, bs, as_of=AS_OF)
    return Enrollments.from_allocation(result)


def test_a_withdrawing_business_is_not_promoted_into_the_seat_it_gave_up() -> None:
    state = _roster_with_a_second_application()
    assert [e.business_id for e in state.waitlist] == ["B0", "B2"]
    change = state.withdraw("B0", at=NOW, by="petugas-1")
    promoted = [e.business_id for e in change.events if e.what == "promoted"]
    assert promoted == ["B2"]
    assert [e.business_id for e in change.state.waitlist] == ["B0"]


def test_a_business_that_withdrew_is_not_promoted_by_a_later_withdrawal() -> None:
    state = _roster_with_a_second_application().withdraw("B0", at=NOW, by="petugas-1").state
    change = state.withdraw("B1", at=NOW, by="petugas-1")
    assert [e.what for e in change.events] == ["withdrawn"]


def test_the_office_may_let_a_withdrawing_business_take_its_other_application() -> None:
    state = _roster_with_a_second_application()
    change = state.withdraw("B0", at=NOW, by="petugas-1", promote_withdrawing=True)
    promoted = [e.business_id for e in change.events if e.what == "promoted"]
    assert promoted == ["B0"]


@pytest.mark.parametrize(
    ("at", "by", "code"),
    [
        (dt.datetime(2017, 12, 10, 10), "petugas", "enrollmentevent.naive_datetime"),
        (NOW, "", "enrollmentevent.by_blank"),
        (NOW, "   ", "enrollmentevent.by_blank"),
    ],
)
def test_enrollment_events_refuse_naive_times_and_a_blank_actor(
    at: dt.datetime, by: str, code: str
) -> None:
    state = roster()
    for action in (state.confirm, state.withdraw):
        with pytest.raises(ValidationError) as info:
            action("B0", at=at, by=by)
        assert info.value.code == code
