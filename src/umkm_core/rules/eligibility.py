"""Built-in eligibility rules: who may take part at all.

Each rule is a frozen value; the lower-case functions (``coached_by(...)``) build them
from plain data (strings, numbers), which is also how programme files name them.

>>> import datetime as dt
>>> rule = all_of(coached_by("dinkopukm-3671"), has_nib())
>>> rule.to_data()["rule"], [r["rule"] for r in rule.to_data()["rules"]]
('all_of', ['coached_by', 'has_nib'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar

import attrs

from umkm_core.errors import ValidationError
from umkm_core.limits import MAX_RULE_DEPTH, MAX_YEARS
from umkm_core.model._validators import instance_of, non_blank, optional_instance_of
from umkm_core.model.identifiers import RegionCode, Sex
from umkm_core.model.program import ProgramKind
from umkm_core.model.size import SizeClass
from umkm_core.rules.base import PASS, EligibilityRule, Reason, RuleContext, Verdict
from umkm_core.text import Text

__all__ = [
    "AllOf",
    "AnyOf",
    "CoachedBy",
    "HasNIB",
    "LocatedIn",
    "Not",
    "NotAttendedWithin",
    "SectorMatchesWave",
    "SizeClassIn",
    "WomenOwned",
    "all_of",
    "any_of",
    "coached_by",
    "has_nib",
    "located_in",
    "not_",
    "not_attended_within",
    "sector_matches_wave",
    "size_class_in",
    "women_owned",
]


@attrs.frozen(kw_only=True)
class SectorMatchesWave(EligibilityRule):
    """The business's sector is the sector of the wave (food to the food wave)."""

    name: ClassVar[str] = "sector_matches_wave"
    code: ClassVar[str] = "eligibility.sector"
    per_wave: ClassVar[bool] = True

    def describe(self) -> Text:
        """What the rule requires."""
        return Text("sektor usaha sesuai gelombang", "business sector matches the wave")

    def check(self, ctx: RuleContext) -> Verdict:
        """Pass when the business's sector equals the wave's."""
        wave = ctx.wave
        if wave is None or ctx.business.sector == wave.sector:
            return PASS
        return self.fail(
            Text(
                f"Sektor usaha ({ctx.business.sector}) tidak sesuai dengan sektor gelombang "
                f"{wave.number} ({wave.sector}).",
                f"The business's sector ({ctx.business.sector}) does not match wave "
                f"{wave.number}'s sector ({wave.sector}).",
            ),
            wave=wave.number,
        )


@attrs.frozen(kw_only=True)
class CoachedBy(EligibilityRule):
    """The business is coached by (binaan of) ``office_id`` on ``on`` (or the as-of date)."""

    name: ClassVar[str] = "coached_by"
    code: ClassVar[str] = "eligibility.coached_by"
    office_id: str = attrs.field(validator=non_blank)
    on: dt.date | None = attrs.field(default=None, validator=optional_instance_of(dt.date))

    def describe(self) -> Text:
        """What the rule requires."""
        return Text(f"binaan {self.office_id}", f"coached by {self.office_id}")

    def check(self, ctx: RuleContext) -> Verdict:
        """Pass when the office lists the business as binaan on the date."""
        day = self.on or ctx.as_of
        if ctx.business.is_coached_by(self.office_id, day):
            return PASS
        return self.fail(
            Text(
                f"Bukan binaan {self.office_id} pada {day.isoformat()}.",
                f"Not coached by {self.office_id} on {day.isoformat()}.",
            )
        )


@attrs.frozen(kw_only=True)
class LocatedIn(EligibilityRule):
    """The business's address lies within ``region``."""

    name: ClassVar[str] = "located_in"
    code: ClassVar[str] = "eligibility.region"
    region: RegionCode = attrs.field(validator=instance_of(RegionCode))

    def describe(self) -> Text:
        """What the rule requires."""
        return Text(f"berlokasi di wilayah {self.region}", f"located within {self.region}")

    def check(self, ctx: RuleContext) -> Verdict:
        """Pass when the address's region code lies within the rule's region."""
        if self.region.contains(ctx.business.region):
            return PASS
        return self.fail(
            Text(
                f"Alamat usaha ({ctx.business.region}) di luar wilayah {self.region}.",
                f"The business address ({ctx.business.region}) lies outside {self.region}.",
            )
        )


def _size_classes(value: object) -> frozenset[SizeClass]:
    items = [value] if isinstance(value, str | SizeClass) else value
    if not isinstance(items, Iterable):
        items = [items]
    result: set[SizeClass] = set()
    for item in items:
        try:
            result.add(item if isinstance(item, SizeClass) else SizeClass(item))
        except ValueError:
            raise ValidationError(
                "rule.bad_size_class",
                field="classes",
                value=item,
                id="Skala usaha harus salah satu dari: mikro, kecil, menengah, besar.",
                en="A size class is one of: mikro, kecil, menengah, besar.",
            ) from None
    if not result:
        raise ValidationError(
            "rule.bad_size_class",
            field="classes",
            value=value,
            id="Sebutkan minimal satu skala usaha.",
            en="Name at least one size class.",
        )
    return frozenset(result)


@attrs.frozen(kw_only=True)
class SizeClassIn(EligibilityRule):
    """The business's size class (``classify_size``, as of the as-of date) is in a set."""

    name: ClassVar[str] = "size_class_in"
    code: ClassVar[str] = "eligibility.size_class"
    classes: frozenset[SizeClass] = attrs.field(converter=_size_classes)

    def _names(self) -> str:
        return ", ".join(c.value for c in sorted(self.classes, key=lambda c: c.rank))

    def describe(self) -> Text:
        """What the rule requires."""
        return Text(f"skala usaha {self._names()}", f"size class {self._names()}")

    def check(self, ctx: RuleContext) -> Verdict:
        """Pass when the size class is known and in the set; unknown size fails."""
        size = ctx.size
        if size.size_class in self.classes:
            return PASS
        if size.size_class is None:
            return self.fail(
                Text(
                    f"{size.explain('id')} Syarat: skala {self._names()}.",
                    f"{size.explain('en')} Required: size class {self._names()}.",
                )
            )
        return self.fail(
            Text(
                f"Skala usaha {size.explain('id')}; syarat: {self._names()}.",
                f"Business size {size.explain('en')}; required: {self._names()}.",
            )
        )


@attrs.frozen(kw_only=True)
class HasNIB(EligibilityRule):
    """The business has an NIB (Nomor Induk Berusaha) from OSS."""

    name: ClassVar[str] = "has_nib"
    code: ClassVar[str] = "eligibility.nib"

    def describe(self) -> Text:
        """What the rule requires."""
        return Text("memiliki NIB", "has an NIB")

    def check(self, ctx: RuleContext) -> Verdict:
        """Pass when the business has an NIB."""
        if ctx.business.nib is not None:
            return PASS
        return self.fail(
            Text(
                "Belum memiliki NIB (Nomor Induk Berusaha) dari OSS.",
                "Has no NIB (business identification number) from OSS yet.",
            )
        )


def _positive(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            "rule.bad_number",
            field=attribute.name,
            value=value,
            id=f"'{attribute.name}' harus bilangan bulat 1 atau lebih.",
            en=f"'{attribute.name}' must be a whole number of 1 or more.",
        )


def _years(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _positive(instance, attribute, value)
    assert isinstance(value, int)
    if value > MAX_YEARS:
        raise ValidationError(
            "rule.bad_number",
            field=attribute.name,
            value=value,
            id=f"'{attribute.name}' paling banyak {MAX_YEARS} tahun.",
            en=f"'{attribute.name}' is at most {MAX_YEARS} years.",
        )


@attrs.frozen(kw_only=True)
class NotAttendedWithin(EligibilityRule):
    """The business attended no programme of the same kind in the last ``years`` years.

    ``kind`` defaults to the kind of the programme applied to. The history comes from
    the ``history`` passed to :func:`umkm_core.allocate`.
    """

    name: ClassVar[str] = "not_attended_within"
    code: ClassVar[str] = "eligibility.recent_attendance"
    years: int = attrs.field(validator=_years)
    kind: ProgramKind | None = attrs.field(
        default=None, validator=optional_instance_of(ProgramKind)
    )

    def describe(self) -> Text:
        """What the rule requires."""
        label = self.kind.label if self.kind else Text("sejenis", "of the same kind")
        return Text(
            f"belum mengikuti program {label.id} dalam {self.years} tahun terakhir",
            f"has not attended a programme {label.en} in the last {self.years} years",
        )

    def check(self, ctx: RuleContext) -> Verdict:
        """Pass when no past enrollment of the kind ended within the window."""
        kind = self.kind or ctx.program.kind
        if ctx.as_of.year - self.years < dt.MINYEAR:
            since = dt.date.min
        else:
            try:
                since = ctx.as_of.replace(year=ctx.as_of.year - self.years)
            except ValueError:  # 29 February in a year without one
                since = ctx.as_of.replace(year=ctx.as_of.year - self.years, day=28)
        recent = [
            e
            for e in ctx.history
            if e.kind is kind
            and since < e.ended_on <= ctx.as_of
            and e.program_id != ctx.program.id
        ]
        if not recent:
            return PASS
        last = max(recent, key=lambda e: e.ended_on)
        return self.fail(
            Text(
                f"Sudah mengikuti program {kind.label.id} {last.program_id} "
                f"(selesai {last.ended_on.isoformat()}), kurang dari {self.years} tahun lalu.",
                f"Attended the {kind.label.en} programme {last.program_id} "
                f"(ended {last.ended_on.isoformat()}), less than {self.years} years ago.",
            )
        )


@attrs.frozen(kw_only=True)
class WomenOwned(EligibilityRule):
    """The owner is a woman (as recorded, else as encoded in the NIK).

    Mostly used as the group of a reserved share, not as a gate.
    """

    name: ClassVar[str] = "women_owned"
    code: ClassVar[str] = "eligibility.women_owned"

    def describe(self) -> Text:
        """What the rule requires."""
        return Text("usaha milik perempuan", "women-owned business")

    def check(self, ctx: RuleContext) -> Verdict:
        """Pass when the owner's effective sex is female."""
        if ctx.business.owner.effective_sex is Sex.FEMALE:
            return PASS
        return self.fail(
            Text(
                "Pemilik usaha tidak tercatat sebagai perempuan.",
                "The owner is not recorded as a woman.",
            )
        )


def _eligibility_rules(value: object) -> tuple[EligibilityRule, ...]:
    items: tuple[object, ...] = tuple(value) if isinstance(value, list | tuple) else (value,)
    for i, item in enumerate(items):
        if not isinstance(item, EligibilityRule):
            raise ValidationError(
                "rule.not_eligibility_rule",
                field=f"rules[{i}]",
                value=item,
                id="all_of/any_of/not_ hanya menggabungkan aturan kelayakan, bukan kuota.",
                en="all_of/any_of/not_ combine eligibility rules only, not capacity rules.",
            )
    return tuple(item for item in items if isinstance(item, EligibilityRule))


def _at_least_one(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any]) -> None:
    if not value:
        raise ValidationError(
            "rule.empty_combination",
            field=attribute.name,
            value=value,
            id="Gabungan aturan memerlukan minimal satu aturan.",
            en="A combination needs at least one rule.",
        )


def _depth(rule: EligibilityRule) -> int:
    # Bounded: every nested rule was checked when it was built.
    if isinstance(rule, _Combination):
        return 1 + max(_depth(r) for r in rule.rules)
    if isinstance(rule, Not):
        return 1 + _depth(rule.negated)
    return 1


def _not_too_deep(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    children = value if isinstance(value, tuple) else (value,)
    deepest = max((_depth(r) for r in children if isinstance(r, EligibilityRule)), default=0)
    if deepest + 1 > MAX_RULE_DEPTH:
        raise ValidationError(
            "rule.too_deep",
            field=attribute.name,
            id=f"Aturan bersarang lebih dari {MAX_RULE_DEPTH} tingkat.",
            en=f"Rules are nested more than {MAX_RULE_DEPTH} levels deep.",
        )


@attrs.frozen(kw_only=True)
class _Combination(EligibilityRule):
    """Shared parts of ``all_of`` and ``any_of``: the rules and what they depend on."""

    rules: tuple[EligibilityRule, ...] = attrs.field(
        converter=_eligibility_rules, validator=[_at_least_one, _not_too_deep]
    )

    @property
    def is_per_wave(self) -> bool:
        """Whether any part depends on the wave."""
        return any(r.is_per_wave for r in self.rules)

    @property
    def depends_on_application(self) -> bool:
        """Whether any part reads the application."""
        return any(r.depends_on_application for r in self.rules)

    def _joined(self, word_id: str, word_en: str) -> Text:
        parts = [r.describe() for r in self.rules]
        return Text(
            f" {word_id} ".join(p.id for p in parts), f" {word_en} ".join(p.en for p in parts)
        )


@attrs.frozen(kw_only=True)
class AllOf(_Combination):
    """Every rule must pass; a failure lists the reasons of *every* failing rule."""

    name: ClassVar[str] = "all_of"
    code: ClassVar[str] = "eligibility.all_of"

    def describe(self) -> Text:
        """What the rule requires."""
        return self._joined("dan", "and")

    def check(self, ctx: RuleContext) -> Verdict:
        """Pass when all pass; otherwise fail with every child's reasons."""
        reasons: list[Reason] = []
        for rule in self.rules:
            verdict = rule.check(ctx)
            if not verdict.passed:
                reasons.extend(verdict.reasons)
        return Verdict(False, tuple(reasons)) if reasons else PASS


@attrs.frozen(kw_only=True)
class AnyOf(_Combination):
    """At least one rule must pass; a failure quotes every alternative's reason."""

    name: ClassVar[str] = "any_of"
    code: ClassVar[str] = "eligibility.any_of"

    def describe(self) -> Text:
        """What the rule requires."""
        return self._joined("atau", "or")

    def check(self, ctx: RuleContext) -> Verdict:
        """Pass when one passes; otherwise one reason that quotes all alternatives."""
        failures: list[Reason] = []
        for rule in self.rules:
            verdict = rule.check(ctx)
            if verdict.passed:
                return PASS
            failures.extend(verdict.reasons)
        wave = ctx.wave.number if ctx.wave is not None and self.is_per_wave else None
        return self.fail(
            Text(
                "Tidak memenuhi satu pun syarat: " + " / ".join(r.text.id for r in failures),
                "Meets none of the alternatives: " + " / ".join(r.text.en for r in failures),
            ),
            wave=wave,
        )


def _one_eligibility_rule(value: object) -> EligibilityRule:
    return _eligibility_rules(value)[0]


@attrs.frozen(kw_only=True)
class Not(EligibilityRule):
    """The rule must *not* pass (e.g. ``not_(coached_by("other-office"))``)."""

    name: ClassVar[str] = "not"
    code: ClassVar[str] = "eligibility.not"
    negated: EligibilityRule = attrs.field(
        converter=_one_eligibility_rule,
        validator=[instance_of(EligibilityRule), _not_too_deep],
    )

    @property
    def is_per_wave(self) -> bool:
        """Whether the inner rule depends on the wave."""
        return self.negated.is_per_wave

    @property
    def depends_on_application(self) -> bool:
        """Whether the inner rule reads the application."""
        return self.negated.depends_on_application

    def describe(self) -> Text:
        """What the rule requires."""
        inner = self.negated.describe()
        return Text(f"bukan: {inner.id}", f"not: {inner.en}")

    def check(self, ctx: RuleContext) -> Verdict:
        """Pass when the inner rule fails."""
        if not self.negated.check(ctx).passed:
            return PASS
        inner = self.negated.describe()
        wave = ctx.wave.number if ctx.wave is not None and self.is_per_wave else None
        return self.fail(Text(f"Tidak boleh: {inner.id}.", f"Must not be: {inner.en}."), wave=wave)


# Builders from plain data: these are what programme files and plugin authors call.


def sector_matches_wave() -> SectorMatchesWave:
    """The business's sector must be the wave's sector."""
    return SectorMatchesWave()


def _date(value: object, field: str) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError(
        "rule.bad_date",
        field=field,
        value=value,
        id=f"'{field}' harus tanggal (YYYY-MM-DD).",
        en=f"'{field}' must be a date (YYYY-MM-DD).",
    )


def coached_by(office_id: str, on: dt.date | str | None = None) -> CoachedBy:
    """Coached by ``office_id`` (binaan) on ``on``, by default the as-of date.

    :param office_id: the office.
    :param on: a date or ISO date text; ``None`` for the allocation's as-of date.
    :returns: the rule.
    :raises ValidationError: ``coachedby.office_id_blank``, ``rule.bad_date``.
    """
    return CoachedBy(office_id=office_id, on=_date(on, "on"))


def located_in(region: RegionCode | str) -> LocatedIn:
    """Located within ``region`` (``"36.71"`` or a :class:`RegionCode`).

    :raises ValidationError: ``region.*`` for a bad code.
    """
    return LocatedIn(region=region if isinstance(region, RegionCode) else RegionCode.parse(region))


def size_class_in(classes: Iterable[SizeClass | str] | SizeClass | str) -> SizeClassIn:
    """Size class (under the law of the as-of date) in ``classes``.

    :raises ValidationError: ``rule.bad_size_class``.
    """
    return SizeClassIn(classes=classes)


def has_nib() -> HasNIB:
    """Must have an NIB."""
    return HasNIB()


def not_attended_within(years: int, kind: ProgramKind | str | None = None) -> NotAttendedWithin:
    """Has not attended a programme of ``kind`` (default: the same kind) within ``years``.

    :raises ValidationError: ``rule.bad_number``, ``rule.bad_kind``.
    """
    if isinstance(kind, str):
        try:
            kind = ProgramKind(kind)
        except ValueError:
            raise ValidationError(
                "rule.bad_kind",
                field="kind",
                value=kind,
                id="Jenis program: training, coaching, mentoring atau partnership.",
                en="Programme kind: training, coaching, mentoring or partnership.",
            ) from None
    return NotAttendedWithin(years=years, kind=kind)


def women_owned() -> WomenOwned:
    """The owner is a woman."""
    return WomenOwned()


def all_of(*rules: EligibilityRule) -> AllOf:
    """Every rule must pass.

    :raises ValidationError: ``rule.empty_combination``, ``rule.not_eligibility_rule``.
    """
    return AllOf(rules=rules)


def any_of(*rules: EligibilityRule) -> AnyOf:
    """At least one rule must pass.

    :raises ValidationError: ``rule.empty_combination``, ``rule.not_eligibility_rule``.
    """
    return AnyOf(rules=rules)


def not_(rule: EligibilityRule) -> Not:
    """``rule`` must fail.

    :raises ValidationError: ``rule.not_eligibility_rule``.
    """
    return Not(negated=rule)
