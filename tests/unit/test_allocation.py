from __future__ import annotations

import datetime as dt

import attrs
import pytest

from alloc_support import CITY_OFFICE, JAKARTA, business, past, program
from umkm_core import (
    Accepted,
    Application,
    FirstComeFirstServed,
    InvalidDocument,
    Lottery,
    PriorityTiers,
    Refused,
    Sex,
    UmkmError,
    ValidationError,
    Waitlisted,
    allocate,
    policy_from_data,
)
from umkm_core.rules import (
    FactCache,
    coached_by,
    district_quota,
    has_nib,
    not_attended_within,
    one_seat_per_business,
    reserved_share,
    sector_matches_wave,
    total_seats,
    women_owned,
)

AS_OF = dt.date(2017, 12, 1)
T0 = dt.datetime(2017, 11, 1, 8, tzinfo=JAKARTA)


def app(business_id: str, minute: int = 0, *waves: int, tier: int | None = None) -> Application:
    return Application(
        business_id=business_id,
        program_id="P2017",
        applied_at=T0 + dt.timedelta(minutes=minute),
        waves=waves,
        tier=tier,
    )


def test_first_come_first_served_fills_the_wave_then_waitlists_in_order() -> None:
    prog = program(sector_matches_wave(), seats=(2,))
    bs = [business(f"B{i}") for i in range(4)]
    result = allocate(prog, [app(f"B{i}", i) for i in range(4)], bs, as_of=AS_OF)
    assert result.outcome("B0") == Accepted(1)
    assert result.outcome("B1") == Accepted(1)
    waiting = result.outcome("B3")
    assert isinstance(waiting, Waitlisted)
    assert waiting.position == 2
    assert [r.code for r in waiting.reasons] == ["capacity.wave_full"]
    assert result.policy == FirstComeFirstServed()


def test_refused_applicant_gets_every_failing_rule() -> None:
    prog = program(sector_matches_wave(), coached_by(CITY_OFFICE), has_nib())
    b = business("B1", sector="kriya", nib=False, coached_since=None)
    result = allocate(prog, [app("B1", 0, 1, 2)], [b], as_of=AS_OF)
    outcome = result.outcome("B1")
    assert isinstance(outcome, Refused)
    assert sorted((r.code, r.wave) for r in outcome.reasons) == sorted(
        [
            ("eligibility.coached_by", None),
            ("eligibility.nib", None),
            ("eligibility.sector", 1),
            ("eligibility.sector", 2),
        ]
    )


def test_wave_preferences_are_tried_in_order() -> None:
    prog = program(seats=(1, 1))
    bs = [business("B1"), business("B2")]
    result = allocate(prog, [app("B1", 0, 2, 1), app("B2", 1, 2, 1)], bs, as_of=AS_OF)
    assert result.outcome("B1") == Accepted(2)
    assert result.outcome("B2") == Accepted(1)


def test_district_quota_waitlists_with_the_district_named() -> None:
    prog = program(district_quota(1), seats=(5,))
    bs = [business("B1", district="36.71.05"), business("B2", district="36.71.05")]
    result = allocate(prog, [app("B1", 0), app("B2", 1)], bs, as_of=AS_OF)
    waiting = result.outcome("B2")
    assert isinstance(waiting, Waitlisted)
    assert waiting.reasons[0].code == "capacity.district_quota"
    assert "36.71.05" in waiting.reasons[0].text.en


def test_programme_total_caps_every_wave_together() -> None:
    prog = program(total_seats(3), seats=(2, 2))
    bs = [business(f"B{i}", sector="kuliner") for i in range(5)]
    result = allocate(prog, [app(f"B{i}", i) for i in range(5)], bs, as_of=AS_OF)
    assert len(result.seated()) == 3


def test_one_seat_per_business_across_waves() -> None:
    prog = program(one_seat_per_business(), seats=(3, 3))
    bs = [business("B1")]
    result = allocate(prog, [app("B1", 0, 1), app("B1", 5, 2)], bs, as_of=AS_OF)
    assert result.seated() == ("B1",)
    second = result.outcomes[1]
    assert isinstance(second, Waitlisted)
    assert second.reasons[0].code == "capacity.one_seat_per_business"
    assert result.outcome("B1") == Accepted(1)


def test_one_seat_per_business_is_the_default_without_naming_the_rule() -> None:
    prog = program(seats=(3, 3))
    assert prog.one_seat_per_business
    result = allocate(prog, [app("B1", 0, 1), app("B1", 5, 2)], [business("B1")], as_of=AS_OF)
    assert result.seated() == ("B1",)
    second = result.outcomes[1]
    assert isinstance(second, Waitlisted)
    assert second.reasons[0].code == "capacity.one_seat_per_business"


def test_lifting_one_seat_per_business_that_the_rules_name_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        attrs.evolve(program(one_seat_per_business()), one_seat_per_business=False)
    assert info.value.code == "program.one_seat_rule_lifted"


def test_when_lifted_a_business_may_hold_seats_in_two_waves_but_never_two_in_one() -> None:
    prog = attrs.evolve(program(seats=(3, 3)), one_seat_per_business=False)
    result = allocate(
        prog, [app("B1", 0, 1), app("B1", 1, 2), app("B1", 2, 1)], [business("B1")], as_of=AS_OF
    )
    assert [o.status for o in result.outcomes] == ["accepted", "accepted", "waitlisted"]


def test_reserved_share_keeps_seats_for_women_and_releases_the_rest() -> None:
    prog = program(reserved_share(50, women_owned()), seats=(4,))
    men = [business(f"M{i}", sex=Sex.MALE) for i in range(4)]
    women = [business("W0", sex=Sex.FEMALE)]
    apps = [app(f"M{i}", i) for i in range(4)] + [app("W0", 10)]
    result = allocate(prog, apps, men + women, as_of=AS_OF)
    # Two seats reserved; one woman applied, so one reserved seat is released to M2.
    assert set(result.seated(1)) == {"M0", "M1", "W0", "M2"}
    waiting = result.outcome("M3")
    assert isinstance(waiting, Waitlisted)
    assert [r.code for r in waiting.reasons] == ["capacity.wave_full"]


def test_recent_participants_are_refused_using_the_history() -> None:
    prog = program(not_attended_within(2))
    result = allocate(
        prog,
        [app("B1"), app("B2", 1)],
        [business("B1"), business("B2")],
        as_of=AS_OF,
        history=[past("B1", dt.date(2016, 12, 20))],
    )
    assert result.outcome("B1").status == "refused"
    assert result.outcome("B2").status == "accepted"


def test_unknown_business_and_unknown_wave_are_refusals_with_reasons() -> None:
    result = allocate(program(), [app("GHOST"), app("B1", 1, 9)], [business("B1")], as_of=AS_OF)
    assert [r.code for r in result.outcome("GHOST").reasons] == [  # type: ignore[union-attr]
        "application.unknown_business"
    ]
    assert [r.code for r in result.outcome("B1").reasons] == [  # type: ignore[union-attr]
        "application.unknown_wave"
    ]


def test_applications_for_another_programme_are_a_data_error() -> None:
    other = Application(business_id="B1", program_id="OTHER", applied_at=T0)
    with pytest.raises(InvalidDocument) as info:
        allocate(program(), [app("B1"), other], [business("B1")], as_of=AS_OF)
    assert info.value.errors[0].field == "applications[1].program_id"


def test_application_time_needs_a_time_zone() -> None:
    with pytest.raises(ValidationError) as info:
        Application(business_id="B1", program_id="P", applied_at=dt.datetime(2017, 11, 1))
    assert info.value.code == "application.naive_datetime"


def test_priority_tiers_go_before_arrival_time() -> None:
    prog = program(seats=(1,))
    bs = [business("EARLY"), business("PRIORITY")]
    apps = [app("EARLY", 0), app("PRIORITY", 50, tier=0)]
    result = allocate(prog, apps, bs, as_of=AS_OF, policy=PriorityTiers())
    assert result.seated() == ("PRIORITY",)


def test_lottery_is_reproducible_and_recorded() -> None:
    prog = program(seats=(3,))
    bs = [business(f"B{i}") for i in range(10)]
    apps = [app(f"B{i}", i) for i in range(10)]
    first = allocate(prog, apps, bs, as_of=AS_OF, policy=Lottery(seed=7))
    again = allocate(prog, list(reversed(apps)), bs, as_of=AS_OF, policy=Lottery(seed=7))
    assert first.seated() == again.seated()
    assert first.policy.to_data() == {"policy": "lottery", "seed": 7}
    assert policy_from_data(first.policy.to_data()) == first.policy
    assert "7" in first.explain("B0", lang="en")


def test_explanations_in_both_languages() -> None:
    prog = program(has_nib(), seats=(1,))
    bs = [business("B1"), business("B2"), business("B3", nib=False)]
    result = allocate(prog, [app("B1"), app("B2", 1), app("B3", 2)], bs, as_of=AS_OF)
    assert result.explain("B1").startswith("Diterima di gelombang 1")
    assert result.explain("B1", lang="en").startswith("Accepted in wave 1")
    assert "daftar tunggu nomor 1" in result.explain("B2")
    assert "Gelombang 1 penuh" in result.explain("B2")
    assert "NIB" in result.explain("B3", lang="en")
    assert "first come" in result.explain("B3", lang="en")
    with pytest.raises(UmkmError) as info:
        result.explain("NOBODY")
    assert info.value.code == "allocation.no_application"


def test_a_fact_cache_gives_the_same_result_and_sees_changed_businesses() -> None:
    prog = program(has_nib(), seats=(5,))
    facts = FactCache()
    before = allocate(prog, [app("B1")], [business("B1", nib=False)], as_of=AS_OF, facts=facts)
    after = allocate(prog, [app("B1")], [business("B1", nib=True)], as_of=AS_OF, facts=facts)
    assert before.outcome("B1").status == "refused"
    assert after.outcome("B1").status == "accepted"


def test_bad_policy_data_gives_our_error() -> None:
    with pytest.raises(ValidationError) as info:
        policy_from_data({"policy": "bribery"})
    assert info.value.code == "policy.unknown"
    with pytest.raises(ValidationError):
        Lottery(seed=-1)
