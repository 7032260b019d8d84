"""Built-in capacity rules: how many seats a group of applicants may share.

Capacity rules never refuse: an applicant they stop is waitlisted with the reason, and
is seated later if a seat frees up. Every wave's own seat count is always enforced
(:class:`WaveSeats`); the rules here add limits on top of it.

A reserved share (``reserved_share(30, women_owned())``) keeps part of each wave for
a group; the seats the group does not fill are released to the others once every
applicant has been considered.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Literal

import attrs

from umkm_core.errors import ValidationError
from umkm_core.model._validators import instance_of
from umkm_core.model.program import Program
from umkm_core.rules.base import CapacityRule, Charge, EligibilityRule, Rule, RuleContext
from umkm_core.text import Text

__all__ = [
    "DistrictQuota",
    "OneSeatPerBusiness",
    "ReservedShare",
    "TotalSeats",
    "WaveSeats",
    "allocation_rules",
    "district_quota",
    "one_seat_per_business",
    "reserved_share",
    "total_seats",
]

QuotaScope = Literal["wave", "program"]


def _positive(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            "rule.bad_number",
            field=attribute.name,
            value=value,
            id=f"'{attribute.name}' harus bilangan bulat 1 atau lebih.",
            en=f"'{attribute.name}' must be a whole number of 1 or more.",
        )


def _scope(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in ("wave", "program"):
        raise ValidationError(
            "rule.bad_scope",
            field=attribute.name,
            value=value,
            id="Cakupan kuota harus 'wave' (per gelombang) atau 'program'.",
            en="A quota's scope is 'wave' (per wave) or 'program'.",
        )


@attrs.frozen(kw_only=True)
class WaveSeats(CapacityRule):
    """A wave never seats more than its seats. Always enforced, first.

    (That a business is never seated twice in one wave is enforced by the engine itself.)
    """

    name: ClassVar[str] = "wave_seats"
    code: ClassVar[str] = "capacity.wave_full"

    def describe(self) -> Text:
        """What the rule limits."""
        return Text("kursi per gelombang", "seats per wave")

    def charges(self, ctx: RuleContext) -> Iterable[Charge]:
        """The wave's seat counter."""
        wave = ctx.wave
        assert wave is not None
        return (Charge(("wave", wave.number), wave.seats, self, wave),)

    def explain(self, charge: Charge) -> Text:
        """Why the seat was not given."""
        wave = charge.detail
        return Text(
            f"Gelombang {wave.number} penuh ({wave.seats} kursi).",
            f"Wave {wave.number} is full ({wave.seats} seats).",
        )


@attrs.frozen(kw_only=True)
class DistrictQuota(CapacityRule):
    """At most ``limit`` seats per district (kecamatan), per wave or per programme.

    Businesses whose address is not precise to a district share one "unknown district"
    counter, so an imprecise address never escapes the quota.
    """

    name: ClassVar[str] = "district_quota"
    code: ClassVar[str] = "capacity.district_quota"
    limit: int = attrs.field(validator=_positive)
    per: QuotaScope = attrs.field(default="wave", validator=_scope)

    def describe(self) -> Text:
        """What the rule limits."""
        if self.per == "wave":
            return Text(
                f"paling banyak {self.limit} kursi per kecamatan per gelombang",
                f"at most {self.limit} seats per district per wave",
            )
        return Text(
            f"paling banyak {self.limit} kursi per kecamatan dalam program",
            f"at most {self.limit} seats per district in the programme",
        )

    def charges(self, ctx: RuleContext) -> Iterable[Charge]:
        """One counter per district (and wave, when ``per="wave"``)."""
        district = ctx.district
        value = district.value if district is not None else None
        wave = ctx.wave.number if self.per == "wave" and ctx.wave is not None else None
        return (Charge((self.code, self.limit, wave, value), self.limit, self, (district, wave)),)

    def explain(self, charge: Charge) -> Text:
        """Why the seat was not given."""
        district, wave = charge.detail
        where = str(district) if district is not None else "tanpa kecamatan / no district"
        if wave is None:
            return Text(
                f"Kuota kecamatan {where} dalam program ini ({self.limit} kursi) sudah penuh.",
                f"The quota for district {where} in this programme ({self.limit} seats) is full.",
            )
        return Text(
            f"Kuota kecamatan {where} di gelombang {wave} ({self.limit} kursi) sudah penuh.",
            f"The quota for district {where} in wave {wave} ({self.limit} seats) is full.",
        )


def _percent(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise ValidationError(
            "rule.bad_percent",
            field=attribute.name,
            value=value,
            id="Persentase harus bilangan bulat 1 sampai 100.",
            en="The percentage must be a whole number from 1 to 100.",
        )


@attrs.frozen(kw_only=True)
class ReservedShare(CapacityRule):
    """``percent`` of each wave's seats (rounded down) are kept for members of ``group``.

    Others may take only the remaining seats while applicants are considered in policy
    order; whatever the group has not filled at the end is released to the waitlist.
    """

    name: ClassVar[str] = "reserved_share"
    code: ClassVar[str] = "capacity.reserved_share"
    releases: ClassVar[bool] = True
    percent: int = attrs.field(validator=_percent)
    group: EligibilityRule = attrs.field(validator=instance_of(EligibilityRule))

    @property
    def depends_on_application(self) -> bool:
        """Whether the group rule reads the application."""
        return self.group.depends_on_application

    def reserved(self, seats: int) -> int:
        """How many of ``seats`` are reserved."""
        return seats * self.percent // 100

    def describe(self) -> Text:
        """What the rule limits."""
        group = self.group.describe()
        return Text(
            f"{self.percent}% kursi tiap gelombang dicadangkan untuk {group.id}",
            f"{self.percent}% of each wave's seats reserved for {group.en}",
        )

    def charges(self, ctx: RuleContext) -> Iterable[Charge]:
        """Non-members count against the unreserved seats; members count nowhere."""
        wave = ctx.wave
        assert wave is not None
        if self.group.check(ctx).passed:
            return ()
        reserved = self.reserved(wave.seats)
        if reserved == 0:
            return ()
        return (
            Charge(
                (self.code, self.percent, self.group, wave.number),
                wave.seats - reserved,
                self,
                (wave.number, reserved),
                True,
            ),
        )

    def explain(self, charge: Charge) -> Text:
        """Why the seat was not given."""
        wave, reserved = charge.detail
        group = self.group.describe()
        return Text(
            f"Kursi umum gelombang {wave} penuh; {reserved} kursi dicadangkan untuk {group.id} "
            "dan dilepas jika tidak terisi.",
            f"Wave {wave}'s open seats are full; {reserved} seats are reserved for {group.en} "
            "and released if not filled.",
        )

    def is_member(self, ctx: RuleContext) -> bool:
        """Whether the applicant in ``ctx`` belongs to the group."""
        return self.group.check(ctx).passed


@attrs.frozen(kw_only=True)
class OneSeatPerBusiness(CapacityRule):
    """A business takes at most one seat in the whole programme, whatever it applied for."""

    name: ClassVar[str] = "one_seat_per_business"
    code: ClassVar[str] = "capacity.one_seat_per_business"

    def describe(self) -> Text:
        """What the rule limits."""
        return Text("satu kursi per usaha per program", "one seat per business per programme")

    def charges(self, ctx: RuleContext) -> Iterable[Charge]:
        """One counter per business."""
        return (Charge((self.code, ctx.business.id), 1, self),)

    def explain(self, charge: Charge) -> Text:
        """Why the seat was not given."""
        return Text(
            "Usaha ini sudah mendapat kursi di program ini (satu kursi per usaha).",
            "This business already has a seat in this programme (one seat per business).",
        )


@attrs.frozen(kw_only=True)
class TotalSeats(CapacityRule):
    """The programme seats at most ``seats`` in all its waves together (a budget cap)."""

    name: ClassVar[str] = "total_seats"
    code: ClassVar[str] = "capacity.total_seats"
    seats: int = attrs.field(validator=_positive)

    def describe(self) -> Text:
        """What the rule limits."""
        return Text(
            f"paling banyak {self.seats} peserta dalam program",
            f"at most {self.seats} participants in the programme",
        )

    def charges(self, ctx: RuleContext) -> Iterable[Charge]:
        """One counter for the whole programme."""
        return (Charge((self.code, self.seats), self.seats, self),)

    def explain(self, charge: Charge) -> Text:
        """Why the seat was not given."""
        return Text(
            f"Kuota total program ({self.seats} peserta) sudah penuh.",
            f"The programme's total of {self.seats} participants is reached.",
        )


def district_quota(limit: int, per: QuotaScope = "wave") -> DistrictQuota:
    """At most ``limit`` seats per district, ``per`` wave or programme.

    :raises ValidationError: ``rule.bad_number``, ``rule.bad_scope``.
    """
    return DistrictQuota(limit=limit, per=per)


def reserved_share(percent: int, group: EligibilityRule) -> ReservedShare:
    """Reserve ``percent`` of each wave's seats for members of ``group``.

    :raises ValidationError: ``rule.bad_percent``, ``reservedshare.bad_type``.
    """
    return ReservedShare(percent=percent, group=group)


def one_seat_per_business() -> OneSeatPerBusiness:
    """One seat per business in the programme."""
    return OneSeatPerBusiness()


def total_seats(seats: int) -> TotalSeats:
    """At most ``seats`` participants in the programme.

    :raises ValidationError: ``rule.bad_number``.
    """
    return TotalSeats(seats=seats)


def allocation_rules(program: Program) -> tuple[Rule, ...]:
    """The rules an allocation of ``program`` applies.

    Its ``rules``, plus :class:`OneSeatPerBusiness` when the programme keeps the default
    one seat per business (``Program.one_seat_per_business``) and does not name the
    rule itself.

    :param program: the programme.
    :returns: the rules, in order, the added rule last.
    """
    rules = program.rules
    if not program.one_seat_per_business or any(isinstance(r, OneSeatPerBusiness) for r in rules):
        return rules
    return (*rules, OneSeatPerBusiness())
