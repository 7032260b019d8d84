"""Adding a rule takes a class and a factory record (as the follow-up certificate rules do)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar

import attrs

from alloc_support import JAKARTA, business, program
from umkm_core import Application, HeldCertificate, Text, allocate
from umkm_core.rules import (
    PASS,
    CapacityRule,
    Charge,
    EligibilityRule,
    RuleContext,
    RuleFactory,
    RuleParam,
    Verdict,
    builtin_rule_factories,
    rule_from_data,
)


@attrs.frozen(kw_only=True)
class HoldsCertificate(EligibilityRule):
    name: ClassVar[str] = "holds_certificate"
    code: ClassVar[str] = "eligibility.holds_certificate"
    kind: str

    def describe(self) -> Text:
        return Text(f"memiliki sertifikat {self.kind}", f"holds a {self.kind} certificate")

    def check(self, ctx: RuleContext) -> Verdict:
        if ctx.business.holds(self.kind, ctx.as_of):
            return PASS
        return self.fail(
            Text(f"Belum memiliki sertifikat {self.kind}.", f"Holds no {self.kind} certificate.")
        )


@attrs.frozen(kw_only=True)
class AppliedBefore(EligibilityRule):
    """A rule that reads the application: judged per application, never cached."""

    name: ClassVar[str] = "applied_before"
    code: ClassVar[str] = "eligibility.deadline"
    reads_application: ClassVar[bool] = True
    deadline: dt.datetime

    def describe(self) -> Text:
        return Text("mendaftar sebelum batas waktu", "applied before the deadline")

    def check(self, ctx: RuleContext) -> Verdict:
        assert ctx.application is not None
        if ctx.application.applied_at < self.deadline:
            return PASS
        return self.fail(Text("Terlambat mendaftar.", "Applied too late."))


@attrs.frozen(kw_only=True)
class PerSectorCap(CapacityRule):
    name: ClassVar[str] = "per_sector_cap"
    code: ClassVar[str] = "capacity.per_sector"
    limit: int

    def describe(self) -> Text:
        return Text("batas per sektor", "a cap per sector")

    def charges(self, ctx: RuleContext) -> Iterable[Charge]:
        return (Charge((self.code, ctx.business.sector), self.limit, self),)

    def explain(self, charge: Charge) -> Text:
        return Text("Kuota sektor penuh.", "The sector's quota is full.")


FACTORY = RuleFactory(
    name="holds_certificate",
    factory=HoldsCertificate,
    description=Text("Memiliki sertifikat", "Holds a certificate"),
    params=(RuleParam(name="kind", type="str", description=Text("jenis", "kind")),),
)

AS_OF = dt.date(2017, 12, 1)
T0 = dt.datetime(2017, 11, 1, 8, tzinfo=JAKARTA)


def test_a_new_rule_is_a_class_and_a_factory_record() -> None:
    rule = rule_from_data(
        {"rule": "not", "negated": {"rule": "holds_certificate", "kind": "halal"}},
        factories=[*builtin_rule_factories(), FACTORY],
    )
    assert rule.to_data() == {
        "rule": "not",
        "negated": {"rule": "holds_certificate", "kind": "halal"},
    }
    halal = HeldCertificate(kind="halal", number="ID3111", issued_on=dt.date(2016, 1, 1))
    certified = attrs.evolve(business("B1"), certificates=(halal,))
    apps = [Application(business_id=b, program_id="P2017", applied_at=T0) for b in ("B1", "B2")]
    result = allocate(
        program(HoldsCertificate(kind="halal")), apps, [certified, business("B2")], as_of=AS_OF
    )
    assert result.outcome("B1").status == "accepted"
    assert "halal" in result.explain("B2", lang="en")


def test_rules_that_read_the_application_are_judged_per_application() -> None:
    deadline = T0 + dt.timedelta(hours=1)
    apps = [
        Application(business_id="B1", program_id="P2017", applied_at=T0),
        Application(business_id="B1", program_id="P2017", applied_at=T0 + dt.timedelta(hours=2)),
    ]
    result = allocate(
        program(AppliedBefore(deadline=deadline)), apps, [business("B1")], as_of=AS_OF
    )
    assert [o.status for o in result.outcomes] == ["accepted", "refused"]


def test_a_custom_capacity_rule_waitlists_with_its_own_reason() -> None:
    bs = [business("B1"), business("B2")]
    apps = [
        Application(business_id=b.id, program_id="P2017", applied_at=T0 + dt.timedelta(minutes=i))
        for i, b in enumerate(bs)
    ]
    result = allocate(program(PerSectorCap(limit=1)), apps, bs, as_of=AS_OF)
    assert "sector's quota" in result.explain("B2", lang="en")
