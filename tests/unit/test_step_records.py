from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from umkm_core import StateError, StepKind, StepRecord, StepStatus, Term, ValidationError
from umkm_core.followup import HALAL, PACKAGING, PIRT, PKP, TRADEMARK
from umkm_core.text import Text

D = dt.date
JAN_8_2018 = D(2018, 1, 8)


def _submitted(
    kind: StepKind = PIRT, planned: dt.date = JAN_8_2018, route: str | None = None
) -> StepRecord:
    record = StepRecord.plan(business_id="B1", kind=kind, on=planned)
    return record.start(planned + dt.timedelta(days=2)).submit(
        planned + dt.timedelta(days=20), route=route
    )


def test_step_moves_planned_in_progress_submitted_granted() -> None:
    record = StepRecord.plan(business_id="B1", kind=PKP, on=D(2018, 1, 8))
    assert record.status is StepStatus.PLANNED
    record = record.start(D(2018, 1, 9))
    assert record.status is StepStatus.IN_PROGRESS
    record = record.submit(D(2018, 1, 20), evidence=["arsip/pkp/12"])
    assert record.status is StepStatus.SUBMITTED
    record = record.grant(D(2018, 2, 1), certificate_number="PKP-3671-0012")
    assert record.status is StepStatus.GRANTED
    assert record.granted_on == D(2018, 2, 1)
    assert record.evidence == ("arsip/pkp/12",)
    assert record.expires_on is None


def test_cannot_grant_a_step_that_was_never_submitted() -> None:
    record = StepRecord.plan(business_id="B1", kind=PKP, on=D(2018, 1, 8)).start(D(2018, 1, 9))
    with pytest.raises(StateError) as info:
        record.grant(D(2018, 2, 1))
    assert info.value.code == "step.illegal_transition"
    assert "submitted" in info.value.message("en")


def test_cannot_start_twice_or_submit_a_plan() -> None:
    record = StepRecord.plan(business_id="B1", kind=PKP, on=D(2018, 1, 8))
    with pytest.raises(StateError):
        record.submit(D(2018, 1, 9))
    with pytest.raises(StateError):
        record.start(D(2018, 1, 9)).start(D(2018, 1, 10))


def test_rejected_step_is_closed_and_a_new_attempt_is_a_new_record() -> None:
    rejected = _submitted().reject(D(2018, 3, 1), note=Text(id="Label belum sesuai", en="Label"))
    assert rejected.status is StepStatus.REJECTED
    moves: list[Callable[[StepRecord], StepRecord]] = [
        lambda r: r.start(D(2018, 3, 2)),
        lambda r: r.grant(D(2018, 3, 2)),
        lambda r: r.waive(D(2018, 3, 2)),
        lambda r: r.renew(D(2018, 3, 2)),
        lambda r: r.attach("x"),
    ]
    for move in moves:
        with pytest.raises(StateError):
            move(rejected)


def test_open_steps_can_be_waived_but_granted_ones_cannot() -> None:
    planned = StepRecord.plan(business_id="B1", kind=PACKAGING, on=D(2018, 1, 8))
    assert planned.waive(D(2018, 1, 10)).status is StepStatus.WAIVED
    granted = _submitted(PACKAGING).grant(D(2018, 2, 1))
    with pytest.raises(StateError):
        granted.waive(D(2018, 2, 2))


def test_pirt_expires_five_years_after_grant() -> None:
    record = _submitted().grant(D(2018, 3, 1), certificate_number="P-IRT No. 2053671010001-23")
    assert record.expires_on == D(2023, 3, 1)
    assert record.certificate_number == "205367101000123"
    assert record.valid_on(D(2023, 3, 1))
    assert not record.valid_on(D(2023, 3, 2))
    assert not record.valid_on(D(2018, 2, 28))


def test_pirt_granted_on_29_february_expires_28_february() -> None:
    record = _submitted(planned=D(2024, 1, 2)).grant(
        D(2024, 2, 29), certificate_number="2053671010001-29"
    )
    assert record.expires_on == D(2029, 2, 28)


def test_pirt_number_with_the_wrong_expiry_year_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        _submitted().grant(D(2018, 3, 1), certificate_number="P-IRT No. 2053671010001-24")
    assert info.value.code == "step.pirt_expiry_mismatch"


def test_pirt_number_that_does_not_parse_is_refused_when_imported() -> None:
    with pytest.raises(ValidationError) as info:
        StepRecord(
            business_id="B1",
            kind=PIRT,
            status=StepStatus.GRANTED,
            planned_on=D(2018, 1, 1),
            terms=(
                Term(issued_on=D(2018, 3, 1), valid_from=D(2018, 3, 1), certificate_number="1"),
            ),
        )
    assert info.value.code.startswith("pirt.")
    assert info.value.field == "terms[0].certificate_number"


def test_trademark_term_runs_ten_years_from_filing() -> None:
    record = _submitted(TRADEMARK, planned=D(2018, 3, 1)).grant(
        D(2019, 9, 1), certificate_number="IDM000654321"
    )
    assert record.submitted_on == D(2018, 3, 21)
    assert record.terms[0].valid_from == D(2018, 3, 21)
    assert record.expires_on == D(2028, 3, 21)


def test_trademark_renewal_continues_from_the_previous_expiry_even_when_late() -> None:
    record = _submitted(TRADEMARK, planned=D(2018, 3, 1)).grant(D(2019, 9, 1))
    assert record.renewal_window() == (D(2027, 9, 21), D(2028, 9, 21))
    renewed = record.renew(D(2028, 5, 1))
    assert renewed.expires_on == D(2038, 3, 21)
    assert renewed.granted_on == D(2019, 9, 1)
    assert len(renewed.terms) == 2


def test_renewal_outside_the_window_is_refused() -> None:
    record = _submitted().grant(D(2018, 3, 1))
    with pytest.raises(StateError) as info:
        record.renew(D(2022, 9, 2))
    assert info.value.code == "step.renewal_window_closed"
    renewed = record.renew(D(2022, 9, 1), certificate_number="2053671010001-27")
    assert renewed.expires_on == D(2027, 9, 1)
    with pytest.raises(StateError):
        record.renew(D(2023, 3, 2))
    with pytest.raises(StateError):
        record.renew(D(2018, 2, 28))


def test_steps_without_expiry_are_not_renewed() -> None:
    record = _submitted(PKP).grant(D(2018, 2, 1))
    with pytest.raises(StateError) as info:
        record.renew(D(2019, 1, 1))
    assert info.value.code == "step.not_renewable"


def test_halal_granted_in_2018_lasts_two_years_and_since_2023_while_unchanged() -> None:
    old = _submitted(HALAL, planned=D(2018, 4, 1), route="regular").grant(D(2018, 9, 1))
    assert old.expires_on == D(2020, 9, 1)
    new = _submitted(HALAL, planned=D(2024, 1, 1), route="self-declare").grant(D(2024, 2, 1))
    assert new.expires_on is None
    assert new.valid_on(D(2040, 1, 1))


def test_halal_must_name_its_route_when_submitted() -> None:
    record = StepRecord.plan(business_id="B1", kind=HALAL, on=D(2024, 1, 1)).start(D(2024, 1, 2))
    with pytest.raises(ValidationError) as info:
        record.submit(D(2024, 1, 3))
    assert info.value.code == "step.route_required"
    with pytest.raises(ValidationError) as unknown:
        record.submit(D(2024, 1, 3), route="express")
    assert unknown.value.code == "step.unknown_route"


def test_dates_may_not_run_backwards() -> None:
    record = StepRecord.plan(business_id="B1", kind=PKP, on=D(2018, 1, 8))
    with pytest.raises(ValidationError) as info:
        record.start(D(2018, 1, 1))
    assert info.value.code == "steprecord.started_on_before_planned_on"


def test_imported_record_must_agree_with_its_status() -> None:
    with pytest.raises(ValidationError) as info:
        StepRecord(business_id="B1", kind=PKP, status=StepStatus.GRANTED, planned_on=D(2018, 1, 1))
    assert info.value.code == "steprecord.missing_date"
    with pytest.raises(ValidationError) as extra:
        StepRecord(
            business_id="B1",
            kind=PKP,
            status=StepStatus.PLANNED,
            planned_on=D(2018, 1, 1),
            waived_on=D(2018, 1, 2),
        )
    assert extra.value.code == "steprecord.status_mismatch"


def test_status_on_a_past_date_ignores_later_events() -> None:
    record = _submitted().grant(D(2018, 3, 1))
    assert record.status_on(D(2018, 1, 1)) is None
    assert record.status_on(D(2018, 1, 8)) is StepStatus.PLANNED
    assert record.status_on(D(2018, 1, 10)) is StepStatus.IN_PROGRESS
    assert record.status_on(D(2018, 1, 28)) is StepStatus.SUBMITTED
    assert record.status_on(D(2018, 3, 1)) is StepStatus.GRANTED


def test_evidence_can_be_attached_while_open() -> None:
    record = StepRecord.plan(business_id="B1", kind=PACKAGING, on=D(2018, 1, 8)).attach("foto-1")
    assert record.evidence == ("foto-1",)
