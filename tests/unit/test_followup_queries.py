from __future__ import annotations

import datetime as dt

import pytest

from umkm_core import (
    NIB,
    Address,
    Business,
    FinancialRecord,
    HeldCertificate,
    Owner,
    RegionCode,
    StepKind,
    StepRecord,
    ValidationError,
    expiring,
    funnel,
    next_steps,
)
from umkm_core.followup import (
    FASHION_PATHWAY,
    FOOD_PATHWAY,
    HALAL,
    PACKAGING,
    PIRT,
    PKP,
    TRADEMARK,
    Pathway,
    prerequisite_blockers,
)
from umkm_core.text import Text

D = dt.date


def _business(
    *, nib: bool = True, sales: int | None = 120_000_000, sector: str = "kuliner"
) -> Business:
    return Business(
        id="B1",
        name="Dodol Ibu Siti",
        owner=Owner(name="Siti Rahayu"),
        address=Address(region=RegionCode.parse("36.71.05")),
        sector=sector,
        nib=NIB("1234567890123") if nib else None,
        financials=(FinancialRecord(year=2023, annual_sales=sales),) if sales is not None else (),
    )


def _granted(
    kind: StepKind, on: dt.date, *, business_id: str = "B1", route: str | None = None
) -> StepRecord:
    record = StepRecord.plan(business_id=business_id, kind=kind, on=on - dt.timedelta(days=30))
    record = record.start(on - dt.timedelta(days=20)).submit(
        on - dt.timedelta(days=10), route=route
    )
    return record.grant(on)


def _codes(options: object) -> list[str]:
    return [o.kind.code for o in options]  # type: ignore[attr-defined]


def test_new_food_business_can_only_start_with_packaging() -> None:
    result = next_steps(_business(), FOOD_PATHWAY, [], D(2024, 1, 1))
    assert _codes(result.available) == ["packaging"]
    blocked = {b.kind.code: b for b in result.blocked}
    assert [r.step for r in blocked["pkp"].reasons] == ["packaging"]
    assert blocked["pkp"].reasons[0].code == "prerequisite.missing"
    assert "Packaging" in blocked["pkp"].reasons[0].text.en


def test_pirt_is_offered_once_pkp_is_granted_and_lists_what_to_confirm() -> None:
    records = [_granted(PACKAGING, D(2024, 1, 10)), _granted(PKP, D(2024, 2, 1))]
    result = next_steps(_business(), FOOD_PATHWAY, records, D(2024, 3, 1))
    assert _codes(result.available) == ["pirt"]
    assert result.done == ("packaging", "pkp")
    confirm = [t.en for t in result.available[0].to_confirm]
    assert "Product keeps for more than 7 days" in confirm


def test_pirt_is_blocked_without_an_nib_naming_the_condition() -> None:
    records = [_granted(PACKAGING, D(2024, 1, 10)), _granted(PKP, D(2024, 2, 1))]
    result = next_steps(_business(nib=False), FOOD_PATHWAY, records, D(2024, 3, 1))
    blocked = {b.kind.code: b for b in result.blocked}
    reasons = blocked["pirt"].reasons
    assert [(r.code, r.condition) for r in reasons] == [("condition.failed", "has_nib")]
    assert "NIB" in reasons[0].text.id


def test_halal_is_blocked_when_the_pirt_has_expired() -> None:
    records = [
        _granted(PACKAGING, D(2018, 1, 10)),
        _granted(PKP, D(2018, 2, 1)),
        _granted(PIRT, D(2018, 3, 1)),
    ]
    result = next_steps(_business(), FOOD_PATHWAY, records, D(2023, 6, 1))
    blocked = {b.kind.code: b for b in result.blocked}
    assert [(r.code, r.step) for r in blocked["halal"].reasons] == [
        ("prerequisite.expired", "pirt")
    ]
    assert "2023-03-01" in blocked["halal"].reasons[0].text.en
    assert _codes(result.available) == ["pirt"]


def test_a_held_pirt_certificate_counts_as_a_granted_step() -> None:
    held = HeldCertificate(
        kind="pirt", number="2053671010001-27", issued_on=D(2022, 5, 1), expires_on=D(2027, 5, 1)
    )
    business = Business(
        id="B1",
        name="Dodol",
        owner=Owner(name="Siti"),
        address=Address(region=RegionCode.parse("36.71.05")),
        sector="kuliner",
        certificates=(held,),
    )
    records = [_granted(PACKAGING, D(2022, 1, 10)), _granted(PKP, D(2022, 2, 1))]
    result = next_steps(business, FOOD_PATHWAY, records, D(2024, 1, 1))
    assert "pirt" in result.done


def test_self_declare_halal_was_not_open_in_2018() -> None:
    records = [
        _granted(PACKAGING, D(2018, 1, 10)),
        _granted(PKP, D(2018, 2, 1)),
        _granted(PIRT, D(2018, 3, 1)),
    ]
    result = next_steps(_business(), FOOD_PATHWAY, records, D(2018, 4, 1))
    (halal,) = result.available
    assert halal.routes == ("regular",)
    assert [b.code for b in halal.closed_routes] == ["rules.not_in_force"]


def test_self_declare_halal_refuses_sales_above_500_juta_in_2023_but_not_in_2025() -> None:
    records = [
        _granted(PACKAGING, D(2022, 1, 10)),
        _granted(PKP, D(2022, 2, 1)),
        _granted(PIRT, D(2022, 3, 1)),
    ]
    business = _business(sales=900_000_000)
    in_2023 = next_steps(business, FOOD_PATHWAY, records, D(2023, 6, 1)).available[0]
    assert in_2023.routes == ("regular",)
    assert [b.condition for b in in_2023.closed_routes] == ["annual_sales_at_most"]
    in_2025 = next_steps(business, FOOD_PATHWAY, records, D(2025, 6, 1)).available[0]
    assert in_2025.routes == ("regular", "self-declare")


def test_a_waived_step_lets_the_pathway_move_on() -> None:
    waived = StepRecord.plan(business_id="B1", kind=PACKAGING, on=D(2024, 1, 1)).waive(
        D(2024, 1, 2)
    )
    result = next_steps(_business(sector="fesyen"), FASHION_PATHWAY, [waived], D(2024, 1, 3))
    assert result.done == ("packaging",)
    assert _codes(result.available) == ["trademark"]


def test_a_waived_pkp_does_not_satisfy_the_pirt_requirement() -> None:
    pkp = StepRecord.plan(business_id="B1", kind=PKP, on=D(2024, 1, 1)).waive(D(2024, 1, 2))
    records = [_granted(PACKAGING, D(2023, 12, 1)), pkp]
    blockers = prerequisite_blockers(_business(), FOOD_PATHWAY, "pirt", records, D(2024, 2, 1))
    assert [(b.code, b.step) for b in blockers] == [("prerequisite.waived_not_enough", "pkp")]


def test_steps_underway_are_neither_offered_nor_blocked() -> None:
    started = StepRecord.plan(business_id="B1", kind=PACKAGING, on=D(2024, 1, 1)).start(
        D(2024, 1, 2)
    )
    result = next_steps(_business(), FOOD_PATHWAY, [started], D(2024, 1, 3))
    assert result.underway == (started,)
    assert "packaging" not in _codes(result.available)
    assert "packaging" not in [b.kind.code for b in result.blocked]


def test_records_of_other_businesses_are_ignored() -> None:
    other = _granted(PACKAGING, D(2024, 1, 10), business_id="B2")
    result = next_steps(_business(), FOOD_PATHWAY, [other], D(2024, 2, 1))
    assert _codes(result.available) == ["packaging"]


def test_next_steps_reads_records_as_they_stood_on_the_date() -> None:
    record = _granted(PACKAGING, D(2024, 5, 1))
    before = next_steps(_business(), FOOD_PATHWAY, [record], D(2024, 4, 1))
    assert before.done == ()
    assert _codes(before.available) == ["packaging"]
    assert before.available[0].record is not None


def test_next_steps_explains_itself_in_both_languages() -> None:
    result = next_steps(_business(nib=False), FOOD_PATHWAY, [], D(2024, 1, 1))
    assert "Next steps" in result.explain("en")
    assert "belum terbit" in result.explain("id")


def test_junk_query_input_gives_our_error() -> None:
    with pytest.raises(ValidationError) as info:
        next_steps(_business(), FOOD_PATHWAY, ["packaging"], D(2024, 1, 1))  # type: ignore[list-item]
    assert info.value.code == "query.bad_record"
    with pytest.raises(ValidationError) as date:
        next_steps(_business(), FOOD_PATHWAY, [], "2024-01-01")  # type: ignore[arg-type]
    assert date.value.code == "query.bad_date"
    with pytest.raises(ValidationError) as period:
        expiring([], 30, D(2024, 1, 1))  # type: ignore[arg-type]
    assert period.value.code == "query.bad_period"
    with pytest.raises(ValidationError) as who:
        funnel([1], FOOD_PATHWAY, [], D(2024, 1, 1))  # type: ignore[list-item]
    assert who.value.code == "funnel.bad_participant"


def test_pirt_due_within_eight_months_is_listed_for_renewal() -> None:
    pirt = _granted(PIRT, D(2019, 3, 1))
    pkp = _granted(PKP, D(2019, 2, 1))
    (due,) = expiring([pirt, pkp], dt.timedelta(days=244), D(2023, 8, 1))
    assert due.record is pirt
    assert due.expires_on == D(2024, 3, 1)
    assert due.renewal_opens == D(2019, 3, 1)
    assert due.renewal_closes == D(2023, 9, 1)
    assert due.can_renew_now
    assert not due.late
    assert expiring([pirt], dt.timedelta(days=30), D(2023, 8, 1)) == ()


def test_pirt_within_six_months_of_expiry_can_no_longer_be_renewed() -> None:
    pirt = _granted(PIRT, D(2019, 3, 1))
    (due,) = expiring([pirt], dt.timedelta(days=183), D(2023, 10, 1))
    assert not due.can_renew_now


def test_expired_trademark_stays_listed_during_the_grace_period() -> None:
    mark = _granted(TRADEMARK, D(2015, 6, 1))
    assert mark.expires_on == D(2025, 5, 22)
    (due,) = expiring([mark], dt.timedelta(days=0), D(2025, 8, 1))
    assert due.late
    assert due.can_renew_now
    assert due.days_left < 0
    assert expiring([mark], dt.timedelta(days=0), D(2025, 11, 23)) == ()


def test_a_renewed_certificate_is_not_listed_again() -> None:
    pirt = _granted(PIRT, D(2019, 3, 1))
    renewed = pirt.renew(D(2023, 8, 1))
    assert expiring([renewed], dt.timedelta(days=244), D(2023, 8, 2)) == ()
    assert len(expiring([renewed], dt.timedelta(days=244), D(2023, 7, 31))) == 1


def test_funnel_counts_only_businesses_that_got_that_far() -> None:
    records = [
        _granted(PACKAGING, D(2018, 2, 1), business_id="B1"),
        _granted(TRADEMARK, D(2018, 12, 1), business_id="B1"),
        _granted(PACKAGING, D(2018, 3, 1), business_id="B2"),
        _granted(TRADEMARK, D(2018, 12, 1), business_id="B3"),
    ]
    result = funnel(["B1", "B2", "B3", "B1"], FASHION_PATHWAY, records, D(2018, 12, 31))
    assert result.participants == 3
    assert [(r.kind.code, r.reached) for r in result.rows] == [("packaging", 2), ("trademark", 1)]
    assert result.row("trademark").median_days == (D(2018, 12, 1) - D(2018, 2, 1)).days
    assert result.row("packaging").median_days is None


def test_funnel_medians_run_from_the_programme_end_for_first_steps() -> None:
    records = [
        _granted(PACKAGING, D(2018, 1, 22), business_id="B1"),
        _granted(PACKAGING, D(2018, 2, 1), business_id="B2"),
    ]
    result = funnel(["B1", "B2"], FASHION_PATHWAY, records, D(2018, 12, 31), start=D(2017, 12, 22))
    assert result.row("packaging").median_days == 36.0
    assert "Median days" in result.format("en")
    assert "Corong" in result.format("id")


def test_empty_cohort_has_an_empty_funnel() -> None:
    result = funnel([], FOOD_PATHWAY, [], D(2018, 12, 31))
    assert all(r.reached == 0 and r.share == 0.0 for r in result.rows)


def test_custom_pathway_of_the_2018_story_is_accepted() -> None:
    story = Pathway.chain(
        code="tangerang-2018",
        name=Text(id="Tindak lanjut 2018", en="2018 follow-up"),
        sector="kuliner",
        steps=(PACKAGING, HALAL, TRADEMARK),
    )
    assert [k.code for k in story.order] == ["packaging", "halal", "trademark"]


def test_a_pirt_in_its_renewal_window_is_listed_as_due_for_renewal() -> None:
    records = [
        _granted(PACKAGING, D(2018, 1, 10)),
        _granted(PKP, D(2018, 2, 1)),
        _granted(PIRT, D(2018, 3, 1)),
    ]
    inside = next_steps(_business(), FOOD_PATHWAY, records, D(2022, 8, 1))
    assert [r.kind.code for r in inside.renewals_due] == ["pirt"]
    assert "renew" in inside.explain("en")
    too_late = next_steps(_business(), FOOD_PATHWAY, records, D(2022, 9, 2))
    assert too_late.renewals_due == ()
    renewed = records[2].renew(D(2022, 8, 1))
    after = next_steps(_business(), FOOD_PATHWAY, [*records[:2], renewed], D(2022, 8, 2))
    # The renewal may be filed any time while valid: the renewed term is listed, with
    # its own (new) expiry.
    assert [r.expires_on for r in after.renewals_due] == [D(2027, 8, 1)]
