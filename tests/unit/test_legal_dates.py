"""Dated legal rules of the follow-up steps, checked against the regulations' own dates."""

from __future__ import annotations

import datetime as dt

import pytest

from umkm_core.errors import StateError
from umkm_core.followup import HALAL, PIRT, PKP, StepRecord, ValidityBasis
from umkm_core.followup.kinds import RenewalRule, RenewalWindow, TermStart

D = dt.date


def _granted_pirt(on: dt.date) -> StepRecord:
    record = StepRecord.plan(business_id="B1", kind=PIRT, on=on - dt.timedelta(days=30))
    return record.start(on - dt.timedelta(days=20)).submit(on - dt.timedelta(days=10)).grant(on)


def test_halal_granted_after_perppu_2_2022_is_valid_while_unchanged() -> None:
    assert HALAL.validity_on(D(2023, 1, 15)).basis is ValidityBasis.WHILE_UNCHANGED
    assert HALAL.validity_on(D(2022, 12, 30)).basis is ValidityBasis.WHILE_UNCHANGED


def test_halal_granted_the_day_before_perppu_2_2022_runs_four_years() -> None:
    validity = HALAL.validity_on(D(2022, 12, 29))
    assert validity.basis is ValidityBasis.FIXED
    assert validity.years == 4


def test_pirt_renewal_must_be_filed_at_the_latest_six_months_before_expiry() -> None:
    pirt = _granted_pirt(D(2019, 3, 1))
    assert pirt.expires_on == D(2024, 3, 1)
    opens, closes = pirt.renewal_window() or (None, None)
    assert closes == D(2023, 9, 1)
    assert opens == D(2019, 3, 1)  # any time while the certificate is valid
    assert pirt.renew(D(2023, 9, 1)).terms[-1].issued_on == D(2023, 9, 1)
    with pytest.raises(StateError) as late:
        pirt.renew(D(2023, 12, 1))
    assert late.value.code == "step.renewal_window_closed"


def test_pirt_renewal_rules_are_dated_and_name_their_source() -> None:
    before = PIRT.renewal_rules[0]
    after = PIRT.renewal_rules[-1]
    assert before.effective_until == D(2021, 2, 2) == after.effective_from
    assert "PerBPOM 22/2018" in before.source
    assert "PP 5/2021" in after.source
    assert after.verify
    for day in (D(2020, 1, 1), D(2025, 1, 1)):
        window = PIRT.renewal_on(day)
        assert window is not None
        assert window.opens_months_before is None
        assert window.closes_months_after == -6


def test_a_renewal_rule_set_chooses_the_window_in_force_on_the_expiry_date() -> None:
    old = RenewalWindow(opens_months_before=3, closes_months_after=0)
    new = RenewalWindow(opens_months_before=None, closes_months_after=-6)
    kind = PKP.__class__(
        code="demo",
        name=PKP.name,
        authority=PKP.authority,
        validity=PIRT.validity,
        renewal=new,
        renewal_rules=(
            RenewalRule(window=old, effective_until=D(2021, 1, 1)),
            RenewalRule(window=new, effective_from=D(2021, 1, 1)),
        ),
    )
    assert kind.renewal_on(D(2020, 12, 31)) is old
    assert kind.renewal_on(D(2021, 1, 1)) is new
    assert new.new_term_from is TermStart.RENEWAL


def test_self_declare_criteria_cite_the_bpjph_decree_and_flag_the_2025_ceiling() -> None:
    route = HALAL.route("self-declare")
    assert route is not None
    first, second = route.criteria
    assert "Kepala BPJPH 33/2022" in first.source
    assert second.verify
    assert "verify" in second.source
