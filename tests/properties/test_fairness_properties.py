"""The arithmetic of the fairness audit holds for every allocation."""

from __future__ import annotations

import datetime as dt
import math

from allocation_scenarios import AS_OF, Scenario, registers, scenarios
from hypothesis import given, settings
from hypothesis import strategies as st

from alloc_support import program
from umkm_core import Application, Business, allocate
from umkm_core.audit import audit_allocation

_CLOSE = 1e-9


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_shares_sum_to_one_and_rates_agree_with_counts(scenario: Scenario) -> None:
    allocation = allocate(
        scenario.program,
        scenario.applications,
        scenario.businesses,
        as_of=AS_OF,
        policy=scenario.policy,
    )
    audit = audit_allocation(allocation, scenario.businesses)
    for attribute in audit.attributes:
        groups = attribute.groups
        assert sum(g.applicants for g in groups) == audit.applicants
        assert sum(g.seated for g in groups) == audit.seated
        if audit.applicants:
            assert math.isclose(sum(g.applicant_share for g in groups), 1.0, abs_tol=_CLOSE)
        if audit.seated:
            assert math.isclose(sum(g.seated_share for g in groups), 1.0, abs_tol=_CLOSE)
        best_rate = max((g.selection_rate for g in groups), default=0.0)
        for g in groups:
            assert g.seated + g.waitlisted + g.refused == g.applicants > 0
            assert math.isclose(g.selection_rate * g.applicants, g.seated, abs_tol=_CLOSE)
            assert 0.0 <= g.p_value <= 1.0
            if best_rate > 0:
                assert g.impact_ratio is not None
                assert math.isclose(g.impact_ratio * best_rate, g.selection_rate)
                assert g.impact_ratio <= 1.0
            else:
                assert g.impact_ratio is None
        if attribute.best is not None:
            assert attribute.group(attribute.best).impact_ratio == 1.0
        test = attribute.chi_square
        if test is not None:
            assert test.statistic >= 0
            assert 0.0 <= test.p_value <= 1.0


@settings(max_examples=40, deadline=None)
@given(registers().filter(bool), st.data())
def test_seating_everyone_eligible_gives_every_group_ratio_one(
    businesses: tuple[Business, ...], data: st.DataObject
) -> None:
    # No eligibility rules and a seat for everyone: every group is served alike.
    chosen = data.draw(st.lists(st.sampled_from(businesses), min_size=1, unique=True))
    apps = [
        Application(
            business_id=b.id,
            program_id="P2017",
            applied_at=data.draw(st.datetimes(timezones=st.just(dt.UTC))),
        )
        for b in chosen
    ]
    allocation = allocate(program(seats=(len(apps),)), apps, chosen, as_of=AS_OF)
    audit = audit_allocation(allocation, chosen)
    assert audit.seated == audit.applicants == len(chosen)
    for attribute in audit.attributes:
        for g in attribute.groups:
            assert g.selection_rate == 1.0
            assert g.impact_ratio == 1.0
            assert not g.four_fifths_flag
            assert g.p_value == 1.0
        assert attribute.chi_square is None
