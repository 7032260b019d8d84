"""Properties of follow-up steps: prerequisites, expiry arithmetic, the funnel."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt

import attrs
from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from umkm_core import (
    Address,
    Business,
    FinancialRecord,
    Owner,
    Pathway,
    RegionCode,
    StepRecord,
    StepStatus,
    ValidationError,
    Validity,
    funnel,
    next_steps,
    with_certifications,
)
from umkm_core import strategies as ust
from umkm_core.followup import CertificateFormat, add_months, add_years

DATES = st.dates(dt.date(1950, 1, 1), dt.date(2300, 12, 31))
AS_OF = st.dates(dt.date(2016, 1, 1), dt.date(2032, 12, 31))


@st.composite
def light_businesses(draw: st.DrawFn) -> Business:
    """Businesses that vary in what step conditions read (cheaper than ust.businesses)."""
    sales = draw(st.none() | st.integers(0, 20_000_000_000))
    return Business(
        id="B1",
        name="Dodol",
        owner=Owner(name="Siti"),
        address=Address(region=RegionCode.parse("36.71.05")),
        sector=draw(st.sampled_from(["kuliner", "fesyen", "kriya"])),
        nib=draw(st.none() | ust.nibs()),
        financials=(
            (FinancialRecord(year=draw(st.integers(2015, 2030)), annual_sales=sales),)
            if sales is not None
            else ()
        ),
        certificates=tuple(
            draw(
                st.lists(
                    ust.held_certificates(kinds=st.sampled_from(["pirt", "halal", "s0", "s1"])),
                    max_size=2,
                )
            )
        ),
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[Pathway, Business, list[StepRecord], dt.date]:
    """A business part-way along a pathway: records mostly granted, around ``as_of``."""
    pathway = draw(ust.pathways())
    business = draw(light_businesses())
    day = draw(AS_OF)
    statuses = st.sampled_from(
        [StepStatus.GRANTED] * 4 + [StepStatus.WAIVED, StepStatus.SUBMITTED, StepStatus.REJECTED]
    )
    records: list[StepRecord] = []
    for kind in pathway.order:
        if draw(st.integers(0, 4)) == 0:
            continue
        records.append(
            draw(
                ust.step_records(
                    kinds=st.just(kind),
                    business_ids=st.sampled_from([business.id, business.id, "OTHER"]),
                    planned=st.dates(day - dt.timedelta(days=6 * 365), day),
                    statuses=statuses,
                )
            )
        )
    return pathway, business, records, day


def _satisfied(
    pathway: Pathway,
    business: Business,
    records: list[StepRecord],
    step: str,
    prerequisite: str,
    day: dt.date,
) -> bool:
    mine = [r for r in records if r.business_id == business.id and r.kind.code == prerequisite]
    if business.holds(prerequisite, day):
        return True
    if any(r.status_on(day) is StepStatus.GRANTED and r.valid_on(day) for r in mine):
        return True
    legal = prerequisite in pathway.kind(step).requires
    return not legal and any(r.status_on(day) is StepStatus.WAIVED for r in mine)


@settings(max_examples=120)
@given(cases())
def test_a_step_is_never_offered_before_its_prerequisites_are_granted_and_valid(
    case: tuple[Pathway, Business, list[StepRecord], dt.date],
) -> None:
    pathway, business, records, day = case
    result = next_steps(business, pathway, records, day)
    for option in result.available:
        for prerequisite in pathway.prerequisites(option.kind.code):
            assert _satisfied(pathway, business, records, option.kind.code, prerequisite, day)


@settings(max_examples=60)
@given(cases())
def test_every_step_of_the_pathway_is_in_exactly_one_answer_group(
    case: tuple[Pathway, Business, list[StepRecord], dt.date],
) -> None:
    pathway, business, records, day = case
    result = next_steps(business, pathway, records, day)
    groups = [
        *[o.kind.code for o in result.available],
        *[b.kind.code for b in result.blocked],
        *{r.kind.code for r in result.underway},
        *result.done,
    ]
    assert sorted(groups) == sorted(k.code for k in pathway.steps)
    assert all(b.reasons for b in result.blocked)


@given(DATES, st.integers(-1200, 1200))
def test_adding_months_agrees_with_relativedelta_and_never_spills_into_the_next_month(
    day: dt.date, months: int
) -> None:
    moved = add_months(day, months)
    assert moved == day + relativedelta(months=months)
    assert moved.year * 12 + moved.month == day.year * 12 + day.month + months
    last = calendar.monthrange(moved.year, moved.month)[1]
    assert moved.day == min(day.day, last)


@given(DATES, DATES, st.integers(1, 20))
def test_a_later_grant_never_expires_earlier(first: dt.date, second: dt.date, years: int) -> None:
    early, late = sorted((first, second))
    assert add_years(early, years) <= add_years(late, years)


@given(
    st.integers(1960, 2200).filter(calendar.isleap).map(lambda y: dt.date(y, 2, 29)),
    st.integers(1, 30),
)
def test_a_leap_day_grant_expires_on_28_february_unless_the_target_year_is_leap(
    day: dt.date, years: int
) -> None:
    expires = Validity.fixed(years=years).expires_on(day)
    assert expires is not None
    target = day.year + years
    assert expires == dt.date(target, 2, 29 if calendar.isleap(target) else 28)


@settings(max_examples=150)
@given(ust.step_records())
def test_expiry_of_a_granted_record_is_its_term_start_plus_the_validity(
    record: StepRecord,
) -> None:
    for term in record.terms:
        validity = record.kind.validity_on(term.issued_on)
        expected = (
            term.valid_from + relativedelta(months=validity.total_months)
            if validity.total_months
            else None
        )
        assert validity.expires_on(term.valid_from) == expected
    assert attrs.evolve(record) == record  # everything generated is valid


@st.composite
def cohorts(draw: st.DrawFn) -> tuple[Pathway, list[str], list[StepRecord], dt.date]:
    """Participants part-way along a pathway, plus records of an outsider."""
    pathway = draw(ust.pathways())
    ids = [f"B{i:03d}" for i in range(draw(st.integers(0, 6)))]
    day = draw(AS_OF)
    statuses = st.sampled_from([StepStatus.GRANTED] * 4 + [StepStatus.WAIVED, StepStatus.PLANNED])
    records: list[StepRecord] = []
    for pid in [*ids, "OUTSIDER"]:
        for kind in pathway.order:
            if draw(st.integers(0, 3)) == 0:
                continue
            records.append(
                draw(
                    ust.step_records(
                        kinds=st.just(kind),
                        business_ids=st.just(pid),
                        planned=st.dates(day - dt.timedelta(days=5 * 365), day),
                        statuses=statuses,
                    )
                )
            )
    return pathway, ids, records, day


@settings(max_examples=60)
@given(cohorts())
def test_funnel_counts_never_increase_along_a_pathway(
    cohort: tuple[Pathway, list[str], list[StepRecord], dt.date],
) -> None:
    pathway, ids, records, day = cohort
    result = funnel(ids, pathway, records, day)
    reached = {row.kind.code: row.reached for row in result.rows}
    for kind in pathway.steps:
        for before in pathway.prerequisites(kind.code):
            assert reached[kind.code] <= reached[before]
    assert all(0 <= row.waived <= row.reached <= len(ids) for row in result.rows)
    assert all(row.median_days is None or row.median_days >= 0 for row in result.rows)


@settings(max_examples=20)
@given(cohorts(), st.integers(0, 2000))
def test_funnel_counts_never_shrink_as_time_passes(
    cohort: tuple[Pathway, list[str], list[StepRecord], dt.date], later_by: int
) -> None:
    pathway, ids, records, day = cohort
    earlier = funnel(ids, pathway, records, day)
    later = funnel(ids, pathway, records, day + dt.timedelta(days=later_by))
    for a, b in zip(earlier.rows, later.rows, strict=True):
        assert a.reached <= b.reached


JUNK = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=5),
    st.dates(),
    st.lists(st.integers(), max_size=2),
    st.floats(allow_nan=False),
)


@given(
    st.sampled_from(
        ["business_id", "kind", "status", "route", "planned_on", "started_on", "terms", "evidence"]
    ),
    JUNK,
)
def test_junk_in_a_step_record_gives_our_validation_error(field: str, junk: object) -> None:
    from umkm_core.followup import PKP

    fields: dict[str, object] = {
        "business_id": "B1",
        "kind": PKP,
        "planned_on": dt.date(2018, 1, 1),
        field: junk,
    }
    with contextlib.suppress(ValidationError):
        StepRecord(**fields)  # type: ignore[arg-type]


PLAIN = Business(
    id="B1",
    name="Dodol",
    owner=Owner(name="Siti"),
    address=Address(region=RegionCode.parse("36.71.05")),
    sector="kuliner",
)


@settings(max_examples=100)
@given(ust.step_records(business_ids=st.just("B1")), AS_OF)
def test_a_business_holds_what_its_step_records_granted_and_nothing_more(
    record: StepRecord, day: dt.date
) -> None:
    certified = with_certifications(PLAIN, [record])
    issues_certificates = record.kind.certificate.format is not CertificateFormat.NONE
    expected = issues_certificates and record.valid_on(day)
    assert certified.holds(record.kind.code, day) == expected
