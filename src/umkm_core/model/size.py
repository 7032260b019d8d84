"""Business size classes (skala usaha) under the law in force on a given date.

Two regimes have applied. UU 20/2008 classifies by net assets *or* annual sales, and
either criterion suffices, so the smaller class wins. PP 7/2021 (in force from
2 February 2021) classifies by business capital at registration and allows annual sales
for facilities and programmes. The thresholds are data (:data:`SIZE_REGIMES`), with the
boundaries as the law words them: "paling banyak" (at most) is inclusive, "lebih dari"
(more than) exclusive.

>>> import datetime as dt
>>> from umkm_core.model.business import FinancialRecord
>>> rec = FinancialRecord(year=2017, annual_sales=300_000_000)
>>> a = classify_size(rec, on=dt.date(2017, 12, 19))
>>> a.size_class.value, a.regime.code, [c.value for c in a.criteria]
('mikro', 'uu-20-2008', ['annual_sales'])
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import Final

import attrs

from umkm_core.errors import ValidationError
from umkm_core.model.business import FinancialRecord

__all__ = [
    "SIZE_REGIMES",
    "Criterion",
    "SizeAssessment",
    "SizeClass",
    "SizeRegime",
    "classify_size",
    "regime_on",
]

JUTA = 1_000_000
MILIAR = 1_000_000_000


class SizeClass(enum.Enum):
    """Size classes; every class but ``BESAR`` is UMKM."""

    MIKRO = "mikro"
    KECIL = "kecil"
    MENENGAH = "menengah"
    BESAR = "besar"

    @property
    def rank(self) -> int:
        """0 for mikro up to 3 for besar, for comparisons."""
        return _RANK[self]

    @property
    def is_umkm(self) -> bool:
        """Whether the class is micro, small or medium."""
        return self is not SizeClass.BESAR


_ORDER = (SizeClass.MIKRO, SizeClass.KECIL, SizeClass.MENENGAH, SizeClass.BESAR)
_RANK = {c: i for i, c in enumerate(_ORDER)}


class Criterion(enum.Enum):
    """The figure a classification rests on."""

    NET_ASSETS = "net_assets"  #: kekayaan bersih, excluding land and buildings
    ANNUAL_SALES = "annual_sales"  #: hasil penjualan tahunan (omzet)
    BUSINESS_CAPITAL = "business_capital"  #: modal usaha, excluding land and buildings


@attrs.frozen(kw_only=True)
class SizeRegime:
    """A legal regime for business size, in force from ``effective_from``.

    :param limits: for each criterion, the inclusive upper limits of mikro, kecil and
        menengah, in rupiah; above the last is besar.
    :param either: ``True`` when any one criterion suffices (UU 20/2008: the smaller
        class wins); ``False`` when one criterion decides, ``primary`` by default.
    """

    code: str
    title: str
    effective_from: dt.date
    effective_until: dt.date | None = None
    limits: dict[Criterion, tuple[int, int, int]] = attrs.field(hash=False)
    either: bool
    primary: Criterion | None = None

    def in_force_on(self, day: dt.date) -> bool:
        """Whether this regime applies on ``day`` (``effective_until`` is exclusive)."""
        return self.effective_from <= day and (
            self.effective_until is None or day < self.effective_until
        )

    def class_by(self, criterion: Criterion, amount: int) -> SizeClass:
        """The class that ``amount`` of ``criterion`` alone gives under this regime."""
        for size_class, upper in zip(_ORDER, self.limits[criterion], strict=False):
            if amount <= upper:
                return size_class
        return SizeClass.BESAR


#: The regimes, oldest first. Replace or extend them by passing ``regimes=`` to
#: :func:`classify_size`.
SIZE_REGIMES: tuple[SizeRegime, ...] = (
    SizeRegime(
        code="uu-20-2008",
        title="UU No. 20 Tahun 2008 tentang UMKM, pasal 6",
        effective_from=dt.date(2008, 7, 4),
        effective_until=dt.date(2021, 2, 2),
        limits={
            Criterion.NET_ASSETS: (50 * JUTA, 500 * JUTA, 10 * MILIAR),
            Criterion.ANNUAL_SALES: (300 * JUTA, 2_500 * JUTA, 50 * MILIAR),
        },
        either=True,
    ),
    SizeRegime(
        code="pp-7-2021",
        title="PP No. 7 Tahun 2021, pasal 35",
        effective_from=dt.date(2021, 2, 2),
        limits={
            Criterion.BUSINESS_CAPITAL: (1 * MILIAR, 5 * MILIAR, 10 * MILIAR),
            Criterion.ANNUAL_SALES: (2 * MILIAR, 15 * MILIAR, 50 * MILIAR),
        },
        either=False,
        primary=Criterion.BUSINESS_CAPITAL,
    ),
)


def regime_on(day: dt.date, regimes: Sequence[SizeRegime] = SIZE_REGIMES) -> SizeRegime:
    """The regime in force on ``day``.

    :raises ValidationError: ``size.no_regime`` when no regime covers the date.
    """
    for regime in regimes:
        if regime.in_force_on(day):
            return regime
    raise ValidationError(
        "size.no_regime",
        field="on",
        value=day,
        id=f"Tidak ada aturan skala usaha yang berlaku pada {day.isoformat()}.",
        en=f"No business-size regime is in force on {day.isoformat()}.",
    )


@attrs.frozen(kw_only=True)
class SizeAssessment:
    """The result of :func:`classify_size`: the class and how it was reached.

    ``size_class`` is ``None`` when the figures needed are missing; ``reason`` then says
    which, in both languages.
    """

    size_class: SizeClass | None
    regime: SizeRegime
    criteria: tuple[Criterion, ...] = ()
    figures: tuple[tuple[Criterion, int], ...] = ()
    year: int | None = None
    reason_id: str = ""
    reason_en: str = ""

    @property
    def is_known(self) -> bool:
        """Whether a class could be decided."""
        return self.size_class is not None

    def explain(self, lang: str = "id") -> str:
        """One sentence saying what was decided and under which rule."""
        if self.size_class is None:
            return self.reason_en if lang == "en" else self.reason_id
        if lang == "en":
            names = ", ".join(_CRITERION_WORDS[c][1] for c in self.criteria)
            return f"{self.size_class.value} by {names} ({self.year}) under {self.regime.title}"
        names = ", ".join(_CRITERION_WORDS[c][0] for c in self.criteria)
        return (
            f"{self.size_class.value} menurut {names} ({self.year}) "
            f"berdasarkan {self.regime.title}"
        )


#: What each criterion is called in a sentence, in Indonesian and English.
_CRITERION_WORDS: Final[dict[Criterion, tuple[str, str]]] = {
    Criterion.NET_ASSETS: ("kekayaan bersih", "net assets"),
    Criterion.ANNUAL_SALES: ("omzet tahunan", "annual sales"),
    Criterion.BUSINESS_CAPITAL: ("modal usaha", "business capital"),
}


def _unknown(regime: SizeRegime, record: FinancialRecord | None, wanted: str) -> SizeAssessment:
    return SizeAssessment(
        size_class=None,
        regime=regime,
        year=record.year if record else None,
        reason_id=f"Skala usaha tidak dapat ditentukan: data {wanted} tidak ada.",
        reason_en=f"Business size cannot be decided: no {wanted} figure.",
    )


# Per regime, the criteria with their attribute names and limits, worked out once: this
# runs for every applicant of every programme.
_PLANS: dict[int, tuple[SizeRegime, tuple[tuple[Criterion, str, tuple[int, int, int]], ...]]] = {}


def _plan(regime: SizeRegime) -> tuple[tuple[Criterion, str, tuple[int, int, int]], ...]:
    cached = _PLANS.get(id(regime))
    if cached is not None and cached[0] is regime:
        return cached[1]
    plan = tuple((c, c.value, limits) for c, limits in regime.limits.items())
    _PLANS[id(regime)] = (regime, plan)  # keeps the regime alive, so its id stays unique
    return plan


def _class_index(amount: int, limits: tuple[int, int, int]) -> int:
    for index, upper in enumerate(limits):
        if amount <= upper:
            return index
    return len(limits)


def classify_size(
    record: FinancialRecord | None,
    *,
    on: dt.date,
    basis: Criterion | None = None,
    regimes: Sequence[SizeRegime] = SIZE_REGIMES,
) -> SizeAssessment:
    """Classify a business's size from one year's figures under the law in force on ``on``.

    :param record: the figures to use (usually the latest year); ``None`` when unknown.
    :param on: the date whose law applies.
    :param basis: under a single-criterion regime, the criterion to use; by default the
        regime's primary one (business capital under PP 7/2021) or, when that figure is
        missing, annual sales (which PP 7/2021 allows for programmes and facilities).
        Ignored by UU 20/2008, where either criterion suffices.
    :returns: a :class:`SizeAssessment` naming the regime and criterion that decided;
        unknown (never a guess) when the needed figures are missing.
    """
    regime = regime_on(on, regimes)
    if record is None:
        return _unknown(regime, None, "keuangan / financial")
    plan = _plan(regime)
    if regime.either:
        # Either criterion suffices: the smaller class wins, and every criterion that
        # gives it is named.
        best_index = len(_ORDER)
        deciding_list: list[Criterion] = []
        figures_list: list[tuple[Criterion, int]] = []
        for criterion, attribute, limits in plan:
            amount = getattr(record, attribute)
            if amount is None:
                continue
            index = _class_index(amount, limits)
            if index < best_index:
                best_index, deciding_list, figures_list = index, [criterion], []
            if index == best_index:
                if deciding_list[-1] is not criterion:
                    deciding_list.append(criterion)
                figures_list.append((criterion, amount))
        if not deciding_list:
            return _unknown(regime, record, " / ".join(c.value for c in regime.limits))
        return SizeAssessment(
            size_class=_ORDER[best_index],
            regime=regime,
            criteria=tuple(deciding_list),
            figures=tuple(figures_list),
            year=record.year,
        )
    available = {c: amount for c, a, _ in plan if (amount := getattr(record, a)) is not None}
    if basis is not None:
        order = [basis]
    else:
        order = [c for c in (regime.primary, *regime.limits) if c is not None]
    chosen = next((c for c in order if c in available and c in regime.limits), None)
    if chosen is None:
        return _unknown(regime, record, order[0].value if order else "?")
    best = regime.class_by(chosen, available[chosen])
    deciding = (chosen,)
    return SizeAssessment(
        size_class=best,
        regime=regime,
        criteria=deciding,
        figures=tuple((c, available[c]) for c in deciding),
        year=record.year,
    )
