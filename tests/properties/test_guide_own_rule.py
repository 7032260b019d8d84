"""The worked example of docs/property-testing.md: property tests for an office's own rule.

The guide includes this file, so the example in the documentation always runs.
"""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import given
from hypothesis import strategies as st

from umkm_core import Business, RegionCode, SizeClass, classify_size
from umkm_core import strategies as ust

TANGERANG = RegionCode.parse("36.71")
PROGRAMME_DAY = dt.date(2017, 12, 19)


# [rule]
def eligible_for_micro_training(business: Business, *, on: dt.date) -> bool:
    """An office's own rule: micro businesses in Kota Tangerang, coached on ``on``."""
    if not TANGERANG.contains(business.region):
        return False
    if not business.is_coached_by("dinkop-kota-tangerang", on):
        return False
    size = classify_size(business.latest_financials(on), on=on)
    return size.size_class is SizeClass.MIKRO


# [/rule]


# [properties]
coached = ust.coachings(offices=st.just("dinkop-kota-tangerang"))


@given(ust.businesses(coached_by=coached))
def test_rule_never_crashes_on_any_valid_business(business: Business) -> None:
    eligible_for_micro_training(business, on=PROGRAMME_DAY)


@given(ust.businesses(within=RegionCode.parse("36.03")))
def test_businesses_outside_the_city_are_never_eligible(business: Business) -> None:
    assert not eligible_for_micro_training(business, on=PROGRAMME_DAY)


@given(
    ust.businesses(within=TANGERANG, coached_by=coached),
    st.integers(0, 10**12),
)
def test_more_sales_never_make_a_business_eligible(business: Business, extra: int) -> None:
    record = business.latest_financials(PROGRAMME_DAY)
    if record is None or record.annual_sales is None:
        return
    more = attrs.evolve(record, annual_sales=record.annual_sales + extra)
    others = tuple(r for r in business.financials if r.year != record.year)
    richer = attrs.evolve(business, financials=(*others, more))
    if eligible_for_micro_training(richer, on=PROGRAMME_DAY):
        assert eligible_for_micro_training(business, on=PROGRAMME_DAY)


@given(st.from_type(Business))
def test_from_type_gives_valid_businesses_too(business: Business) -> None:
    assert business.id


# [/properties]
