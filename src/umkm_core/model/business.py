"""The businesses an office coaches (UMKM binaan) and what is known about them.

A :class:`Business` is an entity: it has a stable ``id`` and compares by it, so two
snapshots of the same business taken a year apart are "the same business". Everything
inside it (owner, address, products, financial records, coaching, certificates) is a
value object that compares by value. All of them are frozen; change one with
``attrs.evolve``, which re-runs the validators.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs

from umkm_core.errors import ValidationError
from umkm_core.model._validators import (
    as_tuple,
    date_not_before,
    instance_of,
    non_blank,
    non_negative_int,
    optional_instance_of,
    tuple_of,
    year_between,
)
from umkm_core.model.identifiers import KBLI, NIB, NIK, NPWP, RegionCode, Sex

__all__ = [
    "Address",
    "Business",
    "Coaching",
    "FinancialRecord",
    "HeldCertificate",
    "Owner",
    "Product",
    "normalise_phone",
]

_PHONE = re.compile(r"^\+[1-9]\d{7,14}$")
_PHONE_SEPARATORS = re.compile(r"[\s().\-]+")


def normalise_phone(text: object) -> str:
    """Normalise an Indonesian phone number to E.164 (``+628...``).

    >>> normalise_phone("0812-3456-7890")
    '+6281234567890'

    :raises ValidationError: ``phone.invalid`` (the number is never in the message).
    """
    raw = _PHONE_SEPARATORS.sub("", text) if isinstance(text, str) else ""
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    elif raw.startswith("0"):
        raw = "+62" + raw[1:]
    elif raw.startswith("62"):
        raw = "+" + raw
    if not _PHONE.match(raw):
        raise ValidationError(
            "phone.invalid",
            field="phone",
            value=text,
            id="Nomor telepon tidak valid (contoh: 0812-3456-7890 atau +62 812 3456 7890).",
            en="Not a valid phone number (e.g. 0812-3456-7890 or +62 812 3456 7890).",
        )
    return raw


def _check_phone(_instance: object, _attribute: object, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not _PHONE.match(value)):
        raise ValidationError(
            "phone.invalid",
            field="phone",
            value=value,
            id="Nomor telepon harus dalam bentuk E.164 (+62...); gunakan normalise_phone.",
            en="The phone number must be in E.164 form (+62...); use normalise_phone.",
        )


@attrs.frozen(kw_only=True)
class Owner:
    """The person who owns the business (personal data under UU 27/2022).

    ``sex`` may be given or left to the NIK; when both are known they must agree.
    """

    name: str = attrs.field(validator=non_blank, repr=False)
    nik: NIK | None = attrs.field(default=None, validator=optional_instance_of(NIK), repr=False)
    sex: Sex | None = attrs.field(default=None, validator=optional_instance_of(Sex))
    phone: str | None = attrs.field(default=None, validator=_check_phone, repr=False)

    @sex.validator
    def _sex_agrees_with_nik(
        self, _attribute: attrs.Attribute[Sex | None], value: Sex | None
    ) -> None:
        if value is not None and self.nik is not None and self.nik.sex is not value:
            raise ValidationError(
                "owner.sex_mismatch",
                field="sex",
                value=value,
                id="Jenis kelamin tidak sesuai dengan NIK.",
                en="The sex does not agree with the NIK.",
            )

    @property
    def effective_sex(self) -> Sex | None:
        """The sex as given, else as encoded in the NIK, else unknown."""
        if self.sex is not None:
            return self.sex
        return self.nik.sex if self.nik is not None else None


@attrs.frozen(kw_only=True)
class Address:
    """Where the business operates: a Kemendagri region code and a street line."""

    region: RegionCode = attrs.field(validator=instance_of(RegionCode))
    street: str = attrs.field(default="", validator=instance_of(str))
    postal_code: str | None = attrs.field(default=None, validator=optional_instance_of(str))


@attrs.frozen(kw_only=True)
class Product:
    """A product the business makes or sells.

    ``flagship`` marks a regional flagship product (produk unggulan daerah).
    """

    name: str = attrs.field(validator=non_blank)
    kbli: KBLI | None = attrs.field(default=None, validator=optional_instance_of(KBLI))
    flagship: bool = attrs.field(default=False, validator=instance_of(bool))


@attrs.frozen(kw_only=True)
class FinancialRecord:
    """One year's figures, in whole rupiah.

    ``annual_sales`` (omzet) is the turnover of ``year``; ``net_assets`` (kekayaan bersih)
    and ``business_capital`` (modal usaha) exclude land and buildings, as the laws on
    business size define them. Unknown figures are ``None``, never 0.
    """

    year: int = attrs.field(validator=year_between(1945, 2100))
    annual_sales: int | None = attrs.field(default=None, validator=non_negative_int)
    net_assets: int | None = attrs.field(default=None, validator=non_negative_int)
    business_capital: int | None = attrs.field(default=None, validator=non_negative_int)


@attrs.frozen(kw_only=True)
class Coaching:
    """Membership of an office's coaching register (binaan: coached by the office)."""

    office_id: str = attrs.field(validator=non_blank)
    since: dt.date = attrs.field(validator=instance_of(dt.date))
    until: dt.date | None = attrs.field(default=None, validator=date_not_before("since"))

    def active_on(self, day: dt.date) -> bool:
        """Whether the business was coached by the office on ``day``."""
        return self.since <= day and (self.until is None or day <= self.until)


@attrs.frozen(kw_only=True)
class HeldCertificate:
    """A certificate or registration the business already holds (halal, PIRT, merek...).

    ``kind`` is the code of a certification step (``"halal"``, ``"pirt"``,
    ``"trademark"``); ``expires_on`` is ``None`` for certificates without a fixed end.
    """

    kind: str = attrs.field(validator=non_blank)
    number: str = attrs.field(validator=non_blank)
    issued_on: dt.date = attrs.field(validator=instance_of(dt.date))
    expires_on: dt.date | None = attrs.field(default=None, validator=date_not_before("issued_on"))
    issuer: str | None = attrs.field(default=None, validator=optional_instance_of(str))

    def valid_on(self, day: dt.date) -> bool:
        """Whether the certificate is in force on ``day``."""
        return self.issued_on <= day and (self.expires_on is None or day <= self.expires_on)


def _unique_years(
    _instance: Business, attribute: attrs.Attribute[Any], value: tuple[FinancialRecord, ...]
) -> None:
    seen: set[int] = set()
    for i, record in enumerate(value):
        if record.year in seen:
            raise ValidationError(
                "business.duplicate_financial_year",
                field=f"{attribute.name}[{i}].year",
                value=record.year,
                id=f"Tahun {record.year} muncul lebih dari sekali di data keuangan.",
                en=f"Year {record.year} appears more than once in the financial records.",
            )
        seen.add(record.year)


@attrs.frozen(kw_only=True, eq=False)
class Business:
    """A business (usaha) in an office's register. Compares and hashes by ``id``.

    :param id: a stable identifier chosen by the register (not the NIB: many micro
        businesses have none yet).
    :param sector: a sector code such as ``"kuliner"`` or ``"fesyen"``; sectors are
        supplied by plugins.
    :param kbli: the business's KBLI codes, each with its edition.
    :param financials: one :class:`FinancialRecord` per year.
    :param coached_by: the offices whose coaching register lists the business.
    :param certificates: certificates already held.
    """

    id: str = attrs.field(validator=non_blank)
    name: str = attrs.field(validator=non_blank)
    owner: Owner = attrs.field(validator=instance_of(Owner), repr=False)
    address: Address = attrs.field(validator=instance_of(Address))
    sector: str = attrs.field(validator=non_blank)
    nib: NIB | None = attrs.field(default=None, validator=optional_instance_of(NIB))
    npwp: NPWP | None = attrs.field(default=None, validator=optional_instance_of(NPWP), repr=False)
    kbli: tuple[KBLI, ...] = attrs.field(default=(), converter=as_tuple, validator=tuple_of(KBLI))
    products: tuple[Product, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Product)
    )
    financials: tuple[FinancialRecord, ...] = attrs.field(
        default=(),
        converter=as_tuple,
        validator=[tuple_of(FinancialRecord), _unique_years],
    )
    coached_by: tuple[Coaching, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Coaching)
    )
    certificates: tuple[HeldCertificate, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(HeldCertificate)
    )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Business):
            return NotImplemented
        return self.id == other.id

    def __hash__(self) -> int:
        return hash(("Business", self.id))

    @property
    def region(self) -> RegionCode:
        """Shortcut for ``address.region``."""
        return self.address.region

    def is_coached_by(self, office_id: str, on: dt.date) -> bool:
        """Whether ``office_id`` lists the business as binaan on ``on``."""
        return any(c.office_id == office_id and c.active_on(on) for c in self.coached_by)

    def financials_for(self, year: int) -> FinancialRecord | None:
        """The financial record of ``year``, if any."""
        for record in self.financials:
            if record.year == year:
                return record
        return None

    def latest_financials(self, on: dt.date) -> FinancialRecord | None:
        """The most recent record whose year has started by ``on``."""
        candidates = [r for r in self.financials if r.year <= on.year]
        return max(candidates, key=lambda r: r.year) if candidates else None

    def holds(self, kind: str, on: dt.date) -> bool:
        """Whether a certificate of ``kind`` is in force on ``on``."""
        return any(c.kind == kind and c.valid_on(on) for c in self.certificates)
