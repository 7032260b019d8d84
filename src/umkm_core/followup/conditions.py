"""Business conditions a certification step asks for (has an NIB, size, sales, sector).

A condition looks at one :class:`~umkm_core.Business` on one date and answers with a
:class:`ConditionResult`: passed, failed, or unknown (the office must confirm it, for
example "the ingredients are low-risk and already halal"). Failed and unknown answers
carry a bilingual reason, which :func:`~umkm_core.next_steps` shows to staff.

>>> import datetime as dt
>>> from umkm_core.model.business import Address, Business, Owner
>>> from umkm_core.model.identifiers import RegionCode
>>> b = Business(id="B1", name="Dodol Ibu", owner=Owner(name="Siti"),
...     address=Address(region=RegionCode.parse("36.71.05")), sector="kuliner")
>>> HasNIB().evaluate(b, dt.date(2024, 1, 1)).passed
False
"""

from __future__ import annotations

import abc
import datetime as dt
from typing import Any, ClassVar

import attrs

from umkm_core.model._validators import Validator, instance_of, non_blank, non_empty, tuple_of
from umkm_core.model.business import Business
from umkm_core.model.size import SizeClass, classify_size
from umkm_core.text import Text

__all__ = [
    "AnnualSalesAtMost",
    "Condition",
    "ConditionResult",
    "Declared",
    "HasNIB",
    "SectorIn",
    "SizeClassIn",
]


def _as_frozenset(value: object) -> Any:
    """Converter: lists, tuples and sets become frozensets; the rest is left to validators."""
    return frozenset(value) if isinstance(value, list | tuple | set | frozenset) else value


def _items_of(kind: type) -> Validator:
    """A non-empty set whose items are all ``kind``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, frozenset):
            instance_of(frozenset)(instance, attribute, value)
            return
        tuple_of(kind)(instance, attribute, tuple(sorted(value, key=str)))
        non_empty(instance, attribute, value)

    return check


def _rupiah(amount: int) -> str:
    return f"Rp{amount:,}".replace(",", ".")


@attrs.frozen(kw_only=True)
class ConditionResult:
    """The answer of one condition for one business on one date.

    :param code: the condition's code (``"has_nib"``).
    :param passed: ``True``, ``False``, or ``None`` when the data cannot decide and a
        person has to confirm it.
    :param text: why, in both languages.
    """

    code: str
    passed: bool | None
    text: Text


@attrs.frozen(kw_only=True)
class Condition(abc.ABC):
    """Base of every business condition; subclasses implement :meth:`evaluate`."""

    @property
    @abc.abstractmethod
    def code(self) -> str:
        """A stable code for the condition."""

    @abc.abstractmethod
    def describe(self) -> Text:
        """What the condition asks, in both languages."""

    @abc.abstractmethod
    def evaluate(self, business: Business, on: dt.date) -> ConditionResult:
        """Check ``business`` on ``on``.

        :param business: the business to check.
        :param on: the date whose data and law apply.
        :returns: the result with a reason.
        """

    def _passed(self, text: Text | None = None) -> ConditionResult:
        """Passed, saying ``text`` (by default what the condition asks)."""
        return ConditionResult(
            code=self.code, passed=True, text=self.describe() if text is None else text
        )

    def _failed(self, *, id: str, en: str) -> ConditionResult:
        """Failed, for the reason given in both languages."""
        return ConditionResult(code=self.code, passed=False, text=Text(id=id, en=en))


@attrs.frozen(kw_only=True)
class HasNIB(Condition):
    """The business has an NIB (Nomor Induk Berusaha) from OSS."""

    __umkm_kind__: ClassVar[str] = "has_nib"

    @property
    def code(self) -> str:
        """``"has_nib"``."""
        return "has_nib"

    def describe(self) -> Text:
        """What the condition asks."""
        return Text(id="Memiliki NIB", en="Has an NIB")

    def evaluate(self, business: Business, on: dt.date) -> ConditionResult:
        """Passed when the business record carries an NIB."""
        if business.nib is not None:
            return self._passed()
        return self._failed(
            id="Belum memiliki NIB (daftarkan melalui OSS).",
            en="Has no NIB yet (register through OSS).",
        )


@attrs.frozen(kw_only=True)
class SizeClassIn(Condition):
    """The business's size class, under the law in force on the date, is one of ``classes``."""

    __umkm_kind__: ClassVar[str] = "size_class_in"

    classes: frozenset[SizeClass] = attrs.field(
        converter=_as_frozenset, validator=_items_of(SizeClass)
    )

    @property
    def code(self) -> str:
        """``"size_class_in"``."""
        return "size_class_in"

    def _names(self) -> str:
        return ", ".join(c.value for c in sorted(self.classes, key=lambda c: c.rank))

    def describe(self) -> Text:
        """What the condition asks."""
        return Text(id=f"Skala usaha: {self._names()}", en=f"Business size: {self._names()}")

    def evaluate(self, business: Business, on: dt.date) -> ConditionResult:
        """Classify the latest financial record under the law in force on ``on``."""
        assessment = classify_size(business.latest_financials(on), on=on)
        if assessment.size_class is None:
            return self._failed(
                id=f"Skala usaha belum diketahui ({self._names()} disyaratkan).",
                en=f"Business size unknown ({self._names()} required).",
            )
        found = assessment.size_class.value
        if assessment.size_class in self.classes:
            return self._passed(Text(id=f"Skala usaha {found}", en=f"Business size {found}"))
        return self._failed(
            id=f"Skala usaha {found}; disyaratkan {self._names()}.",
            en=f"Business size is {found}; {self._names()} required.",
        )


@attrs.frozen(kw_only=True)
class AnnualSalesAtMost(Condition):
    """The latest known annual sales (omzet) are at most ``ceiling`` rupiah (inclusive)."""

    __umkm_kind__: ClassVar[str] = "annual_sales_at_most"

    ceiling: int = attrs.field(validator=instance_of(int))

    @property
    def code(self) -> str:
        """``"annual_sales_at_most"``."""
        return "annual_sales_at_most"

    def describe(self) -> Text:
        """What the condition asks."""
        limit = _rupiah(self.ceiling)
        return Text(id=f"Omzet tahunan paling banyak {limit}", en=f"Annual sales at most {limit}")

    def evaluate(self, business: Business, on: dt.date) -> ConditionResult:
        """Compare the latest record with a known figure; unknown sales fail."""
        limit = _rupiah(self.ceiling)
        record = business.latest_financials(on)
        sales = record.annual_sales if record is not None else None
        if sales is None:
            return self._failed(
                id=f"Omzet tahunan belum diketahui (paling banyak {limit}).",
                en=f"Annual sales unknown (at most {limit} required).",
            )
        if sales <= self.ceiling:
            return self._passed()
        return self._failed(
            id=f"Omzet tahunan melebihi {limit}.",
            en=f"Annual sales exceed {limit}.",
        )


@attrs.frozen(kw_only=True)
class SectorIn(Condition):
    """The business's sector code is one of ``sectors`` (``"kuliner"``, ``"fesyen"``)."""

    __umkm_kind__: ClassVar[str] = "sector_in"

    sectors: frozenset[str] = attrs.field(converter=_as_frozenset, validator=_items_of(str))

    @property
    def code(self) -> str:
        """``"sector_in"``."""
        return "sector_in"

    def describe(self) -> Text:
        """What the condition asks."""
        names = ", ".join(sorted(self.sectors))
        return Text(id=f"Sektor: {names}", en=f"Sector: {names}")

    def evaluate(self, business: Business, on: dt.date) -> ConditionResult:
        """Passed when the sector matches."""
        if business.sector in self.sectors:
            return self._passed()
        names = ", ".join(sorted(self.sectors))
        return self._failed(
            id=f"Sektor usaha bukan {names}.",
            en=f"The business's sector is not {names}.",
        )


@attrs.frozen(kw_only=True)
class Declared(Condition):
    """A fact the register does not hold, confirmed by a person (never blocks on its own).

    For example the halal self-declare criterion "low-risk ingredients already halal",
    which a halal process assistant (Pendamping PPH) verifies on site.
    """

    __umkm_kind__: ClassVar[str] = "declared"

    key: str = attrs.field(validator=non_blank)
    text: Text = attrs.field(validator=instance_of(Text))

    @property
    def code(self) -> str:
        """``"declared:<key>"``."""
        return f"declared:{self.key}"

    def describe(self) -> Text:
        """What must be confirmed."""
        return self.text

    def evaluate(self, business: Business, on: dt.date) -> ConditionResult:
        """Always unknown: the data cannot decide, a person must confirm."""
        return ConditionResult(code=self.code, passed=None, text=self.text)
