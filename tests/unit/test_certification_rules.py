from __future__ import annotations

import datetime as dt

import attrs
import pytest

from alloc_support import JAKARTA, business, program
from umkm_core import (
    Accepted,
    Application,
    Business,
    HeldCertificate,
    PastEnrollment,
    ProgramKind,
    Refused,
    StepKind,
    StepRecord,
    ValidationError,
    allocate,
    funnel,
    with_certifications,
)
from umkm_core.followup import FASHION_PATHWAY, HALAL, PACKAGING, PIRT, TRADEMARK
from umkm_core.rules import (
    HoldsCertificate,
    LacksCertificate,
    all_of,
    builtin_rule_factories,
    holds_certificate,
    lacks_certificate,
    rule_from_data,
)
from umkm_core.rules.base import RuleContext

D = dt.date
AS_OF = D(2019, 3, 1)


def _granted(
    business_id: str, kind: StepKind, on: dt.date, number: str | None = None
) -> StepRecord:
    route = "regular" if kind is HALAL else None
    record = StepRecord.plan(business_id=business_id, kind=kind, on=on - dt.timedelta(days=40))
    record = record.start(on - dt.timedelta(days=30)).submit(
        on - dt.timedelta(days=20), route=route
    )
    return record.grant(on, certificate_number=number)


def _ctx(b: Business, on: dt.date = AS_OF) -> RuleContext:
    return RuleContext(business=b, program=program(), as_of=on)


def test_halal_facilitation_admits_pirt_holders_that_are_not_yet_halal() -> None:
    prog = program(holds_certificate("pirt"), lacks_certificate("halal"), seats=(10,))
    records = [
        _granted("PIRT_ONLY", PIRT, D(2018, 3, 1), "2053671010001-23"),
        _granted("BOTH", PIRT, D(2018, 3, 1)),
        _granted("BOTH", HALAL, D(2018, 9, 1)),
    ]
    register = [
        with_certifications(business(pid), records) for pid in ("PIRT_ONLY", "BOTH", "NONE")
    ]
    apps = [
        Application(
            business_id=b.id,
            program_id="P2017",
            applied_at=dt.datetime(2019, 2, 1, tzinfo=JAKARTA),
        )
        for b in register
    ]
    result = allocate(prog, apps, register, as_of=AS_OF)
    assert isinstance(result.outcome("PIRT_ONLY"), Accepted)
    both = result.outcome("BOTH")
    assert isinstance(both, Refused)
    assert [r.code for r in both.reasons] == ["eligibility.lacks_certificate"]
    none = result.outcome("NONE")
    assert isinstance(none, Refused)
    assert [r.code for r in none.reasons] == ["eligibility.holds_certificate"]
    assert "Holds no pirt certificate." in [r.get("en") for r in none.reasons]


def test_an_expired_pirt_does_not_count_and_the_reason_says_so() -> None:
    records = [_granted("B1", PIRT, D(2013, 3, 1))]
    verdict = holds_certificate("pirt").check(_ctx(with_certifications(business("B1"), records)))
    assert not verdict.passed
    assert "expired (2018-03-01)" in verdict.reasons[0].get("en")


def test_a_halal_certificate_of_2018_has_lapsed_by_2021_so_the_business_lacks_one() -> None:
    b = with_certifications(business("B1"), [_granted("B1", HALAL, D(2018, 9, 1))])
    assert not lacks_certificate("halal").check(_ctx(b, D(2019, 9, 1))).passed
    assert lacks_certificate("halal").check(_ctx(b, D(2021, 9, 1))).passed


def test_certification_rules_round_trip_through_programme_files() -> None:
    data = {
        "rule": "all_of",
        "rules": [
            {"rule": "holds_certificate", "kind": "pirt"},
            {"rule": "lacks_certificate", "kind": "halal"},
        ],
    }
    rule = rule_from_data(data)
    assert rule == all_of(HoldsCertificate(kind="pirt"), LacksCertificate(kind="halal"))
    assert rule.to_data() == data
    names = [f.name for f in builtin_rule_factories()]
    assert {"holds_certificate", "lacks_certificate"} <= set(names)
    assert names == sorted(names)


def test_certification_rule_with_a_bad_kind_is_refused_with_our_error() -> None:
    with pytest.raises(ValidationError) as info:
        rule_from_data({"rule": "holds_certificate", "kind": "PIRT!"})
    assert info.value.code == "rule.bad_certificate_kind"


def test_granted_terms_become_held_certificates_without_inventing_numbers() -> None:
    pirt = _granted("B1", PIRT, D(2018, 3, 1), "2053671010001-23").renew(D(2022, 8, 1))
    packaging = _granted("B1", PACKAGING, D(2018, 2, 1))
    mark = _granted("B1", TRADEMARK, D(2019, 9, 1), "IDM000123456")
    b = with_certifications(business("B1"), [pirt, packaging, mark])
    held = {(c.kind, c.number, c.expires_on) for c in b.certificates}
    assert held == {
        ("pirt", "205367101000123", D(2023, 3, 1)),
        ("pirt", "step:pirt:B1:2022-08-01", D(2027, 8, 1)),
        ("trademark", "IDM000123456", D(2029, 8, 12)),
    }
    assert with_certifications(b, [pirt, packaging, mark]) is b


def test_records_of_other_businesses_do_not_certify_this_one() -> None:
    b = business("B1")
    assert with_certifications(b, [_granted("B2", PIRT, D(2018, 3, 1))]) is b


def test_a_certificate_listed_on_the_business_counts_without_step_records() -> None:
    held = HeldCertificate(kind="pirt", number="X-1", issued_on=D(2017, 1, 1))
    b = attrs.evolve(business("B1"), certificates=(held,))
    assert holds_certificate("pirt").check(_ctx(b)).passed


def test_funnel_takes_an_allocation_or_enrollments_as_its_participants() -> None:
    prog = program(seats=(1, 2))
    register = [business("F1", sector="fesyen"), business("F2", sector="fesyen")]
    apps = [
        Application(
            business_id=b.id,
            program_id="P2017",
            applied_at=dt.datetime(2017, 12, 1, tzinfo=JAKARTA),
            waves=(2,),
        )
        for b in register
    ]
    allocation = allocate(prog, apps, register, as_of=D(2017, 12, 15))
    records = [_granted("F1", PACKAGING, D(2018, 2, 1))]
    by_allocation = funnel(allocation, FASHION_PATHWAY, records, D(2018, 12, 31))
    enrollments = [
        PastEnrollment(
            business_id=pid,
            program_id="P2017",
            kind=ProgramKind.TRAINING,
            ended_on=D(2017, 12, 22),
        )
        for pid in allocation.seated()
    ]
    by_enrollment = funnel(enrollments, FASHION_PATHWAY, records, D(2018, 12, 31))
    assert by_allocation.participants == by_enrollment.participants == 2
    assert by_allocation.rows == by_enrollment.rows
    assert by_allocation.row("packaging").reached == 1
