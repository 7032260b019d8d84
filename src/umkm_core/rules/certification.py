"""Eligibility rules on certification state: holds a certificate in force, or not yet.

A halal facilitation programme admits businesses that hold a PIRT in force and are not
yet halal::

    all_of(holds_certificate("pirt"), lacks_certificate("halal"))

or, in a programme file::

    rules = [{rule = "holds_certificate", kind = "pirt"},
             {rule = "lacks_certificate", kind = "halal"}]

The rules read ``Business.certificates`` on the as-of date. Certificates granted
through follow-up step records reach the business with
:func:`umkm_core.followup.with_certifications`, which turns every granted term into a
:class:`~umkm_core.HeldCertificate` (see docs/decisions/0035-certification-rules.md).

>>> rule = holds_certificate("pirt")
>>> rule.to_data()
{'rule': 'holds_certificate', 'kind': 'pirt'}
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import attrs

from umkm_core.errors import ValidationError
from umkm_core.model.business import Business, HeldCertificate
from umkm_core.rules.base import (
    PASS,
    EligibilityRule,
    RuleContext,
    RuleFactory,
    RuleParam,
    Verdict,
)
from umkm_core.text import Text

__all__ = [
    "CERTIFICATION_RULE_FACTORIES",
    "HoldsCertificate",
    "LacksCertificate",
    "holds_certificate",
    "lacks_certificate",
]

_KIND = re.compile(r"^[a-z][a-z0-9_\-]*(?:\.[a-z0-9_\-]+)*$")


def _check_kind(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _KIND.match(value):
        raise ValidationError(
            "rule.bad_certificate_kind",
            field=attribute.name,
            value=value,
            id="Jenis sertifikat harus kode langkah huruf kecil ('pirt', 'halal').",
            en="The certificate kind must be a lower-case step code ('pirt', 'halal').",
        )


def _latest(business: Business, kind: str) -> HeldCertificate | None:
    held = [c for c in business.certificates if c.kind == kind]
    return max(held, key=lambda c: c.issued_on) if held else None


@attrs.frozen(kw_only=True)
class HoldsCertificate(EligibilityRule):
    """The business holds a certificate of ``kind`` in force on the as-of date."""

    name: ClassVar[str] = "holds_certificate"
    code: ClassVar[str] = "eligibility.holds_certificate"
    kind: str = attrs.field(validator=_check_kind)

    def describe(self) -> Text:
        """What the rule requires."""
        return Text(
            f"memiliki sertifikat {self.kind} yang berlaku",
            f"holds a {self.kind} certificate in force",
        )

    def check(self, ctx: RuleContext) -> Verdict:
        """Pass when a certificate of the kind is in force on ``ctx.as_of``."""
        if ctx.business.holds(self.kind, ctx.as_of):
            return PASS
        latest = _latest(ctx.business, self.kind)
        if latest is not None and latest.expires_on is not None and latest.expires_on < ctx.as_of:
            day = latest.expires_on.isoformat()
            return self.fail(
                Text(
                    f"Sertifikat {self.kind} sudah kedaluwarsa ({day}).",
                    f"The {self.kind} certificate expired ({day}).",
                )
            )
        return self.fail(
            Text(f"Belum memiliki sertifikat {self.kind}.", f"Holds no {self.kind} certificate.")
        )


@attrs.frozen(kw_only=True)
class LacksCertificate(EligibilityRule):
    """The business does not (yet) hold a certificate of ``kind`` in force on the as-of date.

    An expired certificate counts as lacking: the business needs a new one.
    """

    name: ClassVar[str] = "lacks_certificate"
    code: ClassVar[str] = "eligibility.lacks_certificate"
    kind: str = attrs.field(validator=_check_kind)

    def describe(self) -> Text:
        """What the rule requires."""
        return Text(
            f"belum memiliki sertifikat {self.kind} yang berlaku",
            f"holds no {self.kind} certificate in force",
        )

    def check(self, ctx: RuleContext) -> Verdict:
        """Pass when no certificate of the kind is in force on ``ctx.as_of``."""
        if not ctx.business.holds(self.kind, ctx.as_of):
            return PASS
        return self.fail(
            Text(
                f"Sudah memiliki sertifikat {self.kind} yang berlaku.",
                f"Already holds a {self.kind} certificate in force.",
            )
        )


def holds_certificate(kind: str) -> HoldsCertificate:
    """Must hold a certificate of ``kind`` (a step code) in force.

    :raises ValidationError: ``rule.bad_certificate_kind``.
    """
    return HoldsCertificate(kind=kind)


def lacks_certificate(kind: str) -> LacksCertificate:
    """Must not hold a certificate of ``kind`` in force (not yet certified).

    :raises ValidationError: ``rule.bad_certificate_kind``.
    """
    return LacksCertificate(kind=kind)


_KIND_PARAM = RuleParam(
    name="kind",
    type="str",
    description=Text("kode langkah sertifikasi ('pirt', 'halal')", "step code ('pirt', 'halal')"),
)

#: Factories of the certification rules (part of the built-in rules).
CERTIFICATION_RULE_FACTORIES: tuple[RuleFactory, ...] = (
    RuleFactory(
        name="holds_certificate",
        factory=holds_certificate,
        params=(_KIND_PARAM,),
        description=Text("Memiliki sertifikat yang berlaku", "Holds a certificate in force"),
    ),
    RuleFactory(
        name="lacks_certificate",
        factory=lacks_certificate,
        params=(_KIND_PARAM,),
        description=Text(
            "Belum memiliki sertifikat yang berlaku", "Holds no certificate in force (yet)"
        ),
    ),
)
