"""Kinds of follow-up certification step, as data.

After training, an office walks each business through certifications: packaging,
food-safety training (PKP), the home-industry food licence (SPP-IRT / PIRT), halal
certification, trademark registration, BPOM MD registration. A :class:`StepKind`
describes one of them: who issues it, how long it is valid, when it can be renewed,
which other steps and business conditions it needs, which evidence it asks for and how
long it usually takes. Rules that changed over time (how long a halal certificate is
valid, who may use the halal self-declare path) are dated rule sets chosen by date,
never constants buried in code.

>>> import datetime as dt
>>> v = Validity.fixed(years=5)
>>> v.expires_on(dt.date(2024, 2, 29))
datetime.date(2029, 2, 28)
>>> Validity.while_unchanged().expires_on(dt.date(2024, 2, 29)) is None
True
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import re
from collections.abc import Sequence
from typing import Any

import attrs

from umkm_core.errors import ValidationError
from umkm_core.followup.conditions import Condition
from umkm_core.followup.dates import add_months
from umkm_core.model._validators import (
    as_tuple,
    date_not_before,
    field_error,
    instance_of,
    non_blank,
    non_negative_whole,
    optional_instance_of,
    tuple_of,
)
from umkm_core.model.identifiers import PIRTNumber
from umkm_core.text import Text

__all__ = [
    "CertificateFormat",
    "CertificateRule",
    "CriteriaSet",
    "Evidence",
    "ExpectedDuration",
    "NiceClasses",
    "RenewalRule",
    "RenewalWindow",
    "Route",
    "StepKind",
    "TermStart",
    "Validity",
    "ValidityBasis",
    "ValidityRule",
]

_CODE = re.compile(r"^[a-z][a-z0-9_\-]*(?:\.[a-z0-9_\-]+)*$")


def _slug(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    non_blank(instance, attribute, value)
    if not isinstance(value, str) or not _CODE.match(value):
        raise field_error(
            instance,
            attribute,
            "bad_code",
            value,
            id=f"'{attribute.name}' harus kode huruf kecil (contoh: 'pirt', 'halal').",
            en=f"'{attribute.name}' must be a lower-case code (e.g. 'pirt', 'halal').",
        )


class ValidityBasis(enum.Enum):
    """How long a granted step stays valid."""

    FIXED = "fixed"  #: a fixed term in years and months
    WHILE_UNCHANGED = "while_unchanged"  #: while ingredients and process are unchanged
    NONE = "none"  #: no end (a completed coaching step, a training certificate)


class TermStart(enum.Enum):
    """The date a term is counted from."""

    GRANT = "grant"  #: the date the certificate was granted (issued)
    FILING = "filing"  #: the filing (submission) date, as for trademarks
    PREVIOUS_EXPIRY = "previous_expiry"  #: a renewal continues from the old expiry
    RENEWAL = "renewal"  #: a renewal starts a fresh term on the renewal date


@attrs.frozen(kw_only=True)
class Validity:
    """How long a granted step is valid.

    Build it with :meth:`fixed`, :meth:`while_unchanged` or :meth:`none`.

    :param basis: fixed term, while unchanged, or none.
    :param years: years of a fixed term.
    :param months: further months of a fixed term.
    :param counted_from: the date the first term is counted from (grant or filing).
    """

    basis: ValidityBasis = attrs.field(validator=instance_of(ValidityBasis))
    years: int = attrs.field(default=0, validator=non_negative_whole)
    months: int = attrs.field(default=0, validator=non_negative_whole)
    counted_from: TermStart = attrs.field(
        default=TermStart.GRANT, validator=instance_of(TermStart)
    )

    @counted_from.validator
    def _check_term(self, attribute: attrs.Attribute[TermStart], value: TermStart) -> None:
        fixed = self.basis is ValidityBasis.FIXED
        if fixed != (self.years * 12 + self.months > 0):
            raise ValidationError(
                "validity.bad_term",
                field="years",
                value=(self.years, self.months),
                id="Masa berlaku tetap harus lebih dari 0; jenis lain tidak punya masa.",
                en="A fixed term must be longer than 0; other kinds have no term.",
            )
        if value not in (TermStart.GRANT, TermStart.FILING):
            raise ValidationError(
                "validity.bad_start",
                field=attribute.name,
                value=value,
                id="Masa berlaku pertama dihitung dari tanggal terbit atau tanggal pengajuan.",
                en="A first term is counted from the grant date or the filing date.",
            )

    @classmethod
    def fixed(
        cls, *, years: int = 0, months: int = 0, counted_from: TermStart = TermStart.GRANT
    ) -> Validity:
        """A fixed term (``Validity.fixed(years=5)``)."""
        return cls(
            basis=ValidityBasis.FIXED, years=years, months=months, counted_from=counted_from
        )

    @classmethod
    def while_unchanged(cls) -> Validity:
        """Valid as long as ingredients and process do not change (halal since UU 6/2023)."""
        return cls(basis=ValidityBasis.WHILE_UNCHANGED)

    @classmethod
    def none(cls) -> Validity:
        """No end: once granted, the step stays done."""
        return cls(basis=ValidityBasis.NONE)

    @property
    def total_months(self) -> int:
        """The length of a fixed term in months (0 for the other bases)."""
        return self.years * 12 + self.months

    def expires_on(self, start: dt.date) -> dt.date | None:
        """The last day of a term starting on ``start``; ``None`` when it has no end.

        The certificate is valid up to and including this day. Month ends are clamped:
        29 Feb 2024 + 5 years is 28 Feb 2029.

        :param start: the first day of the term.
        :returns: the expiry date or ``None``.
        """
        if self.basis is not ValidityBasis.FIXED:
            return None
        return add_months(start, self.total_months)

    def describe(self) -> Text:
        """The validity in words."""
        if self.basis is ValidityBasis.WHILE_UNCHANGED:
            return Text(
                id="berlaku selama bahan dan proses tidak berubah",
                en="valid while ingredients and process are unchanged",
            )
        if self.basis is ValidityBasis.NONE:
            return Text(id="tanpa masa berlaku", en="no expiry")
        parts_id = [f"{self.years} tahun"] if self.years else []
        parts_en = [f"{self.years} years"] if self.years else []
        if self.months:
            parts_id.append(f"{self.months} bulan")
            parts_en.append(f"{self.months} months")
        since_id = "pengajuan" if self.counted_from is TermStart.FILING else "terbit"
        since_en = "filing" if self.counted_from is TermStart.FILING else "grant"
        return Text(
            id=f"{' '.join(parts_id)} sejak {since_id}",
            en=f"{' '.join(parts_en)} from {since_en}",
        )


def _no_overlap(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[_DatedRule, ...]
) -> None:
    """Dated rules must not overlap, so exactly one (or none) is in force on any date."""
    spans = sorted(value, key=lambda r: r.effective_from)
    for before, after in itertools.pairwise(spans):
        if before.effective_until is None or before.effective_until > after.effective_from:
            raise field_error(
                instance,
                attribute,
                "overlapping_rules",
                after.effective_from,
                id=f"Aturan bertanggal di '{attribute.name}' tumpang tindih.",
                en=f"The dated rules in '{attribute.name}' overlap.",
            )


@attrs.frozen(kw_only=True)
class _DatedRule:
    """What a dated rule has: the dates it is in force, its legal basis, a doubt flag.

    The range runs from ``effective_from`` (inclusive) to ``effective_until`` (exclusive).
    """

    effective_from: dt.date = attrs.field(
        default=dt.date(1945, 8, 17), validator=instance_of(dt.date)
    )
    effective_until: dt.date | None = attrs.field(
        default=None, validator=date_not_before("effective_from")
    )
    source: str = attrs.field(default="", validator=instance_of(str))
    verify: bool = attrs.field(default=False, validator=instance_of(bool))

    def in_force_on(self, day: dt.date) -> bool:
        """Whether the rule applies on ``day`` (for a validity rule: to a grant on ``day``)."""
        return self.effective_from <= day and (
            self.effective_until is None or day < self.effective_until
        )


@attrs.frozen(kw_only=True)
class ValidityRule(_DatedRule):
    """A :class:`Validity` in force for grants in a date range.

    The range runs from ``effective_from`` (inclusive) to ``effective_until`` (exclusive).

    :param validity: how long a grant in the range is valid.
    :param effective_from: the first day the rule is in force.
    :param effective_until: the day the rule stops being in force (``None``: still is).
    :param source: the legal basis (``"UU 33/2014; PP 39/2021"``).
    :param verify: ``True`` when the fact rests on one secondary source or changed
        recently and should be checked before relying on it.
    """

    validity: Validity = attrs.field(validator=instance_of(Validity))


@attrs.frozen(kw_only=True)
class CriteriaSet(_DatedRule):
    """Business conditions in force from ``effective_from`` until ``effective_until``.

    :param code: a name for the rule set (``"self-declare-2022"``).
    :param conditions: every condition must pass (declared ones must be confirmed).
    :param effective_from: the first day the set is in force.
    :param effective_until: the day the set stops being in force (``None``: still is).
    :param source: the legal basis.
    :param verify: the set rests on one secondary source or changed recently.
    """

    code: str = attrs.field(validator=non_blank)
    conditions: tuple[Condition, ...] = attrs.field(
        converter=as_tuple, validator=tuple_of(Condition)
    )


def criteria_on(sets: Sequence[CriteriaSet], day: dt.date) -> CriteriaSet | None:
    """The set in force on ``day`` among ``sets``, if any."""
    return next((s for s in sets if s.in_force_on(day)), None)


@attrs.frozen(kw_only=True)
class RenewalWindow:
    """When a granted step can be renewed, relative to its expiry date.

    :param opens_months_before: the window opens this many months before expiry;
        ``None`` means any time while valid.
    :param closes_months_after: the window closes this many months after expiry
        (0: on the expiry date; negative: before it, as for halal under UU 33/2014).
    :param fine_after_expiry: renewing after expiry (still inside the window) costs a fine.
    :param new_term_from: the renewed term starts on the renewal date or continues from
        the previous expiry (trademarks).
    :param source: the legal basis.
    :param verify: the rule rests on one secondary source or changed recently.
    """

    opens_months_before: int | None = attrs.field(default=6)
    closes_months_after: int = attrs.field(default=0, validator=instance_of(int))
    fine_after_expiry: bool = attrs.field(default=False, validator=instance_of(bool))
    new_term_from: TermStart = attrs.field(
        default=TermStart.RENEWAL, validator=instance_of(TermStart)
    )
    source: str = attrs.field(default="", validator=instance_of(str))
    verify: bool = attrs.field(default=False, validator=instance_of(bool))

    @opens_months_before.validator
    def _check_opens(self, attribute: attrs.Attribute[int | None], value: int | None) -> None:
        if value is not None:
            non_negative_whole(self, attribute, value)

    @new_term_from.validator
    def _check_window(self, attribute: attrs.Attribute[TermStart], value: TermStart) -> None:
        if value not in (TermStart.RENEWAL, TermStart.PREVIOUS_EXPIRY):
            raise ValidationError(
                "renewalwindow.bad_term_start",
                field=attribute.name,
                value=value,
                id="Perpanjangan dihitung dari tanggal perpanjangan atau dari akhir masa lama.",
                en="A renewal counts from the renewal date or from the previous expiry.",
            )
        if (
            self.opens_months_before is not None
            and -self.opens_months_before > self.closes_months_after
        ):
            raise ValidationError(
                "renewalwindow.closes_before_opening",
                field="closes_months_after",
                value=self.closes_months_after,
                id="Jendela perpanjangan tertutup sebelum dibuka.",
                en="The renewal window closes before it opens.",
            )

    def opens(self, expiry: dt.date, granted: dt.date) -> dt.date:
        """The first day a renewal may be filed for a term ending on ``expiry``."""
        if self.opens_months_before is None:
            return granted
        return max(granted, add_months(expiry, -self.opens_months_before))

    def closes(self, expiry: dt.date) -> dt.date:
        """The last day a renewal may be filed."""
        return add_months(expiry, self.closes_months_after)

    def is_open(self, expiry: dt.date, granted: dt.date, day: dt.date) -> bool:
        """Whether a renewal may be filed on ``day``."""
        return self.opens(expiry, granted) <= day <= self.closes(expiry)

    def is_late(self, expiry: dt.date, day: dt.date) -> bool:
        """Whether renewing on ``day`` is after expiry (and so costs a fine, if any)."""
        return day > expiry


@attrs.frozen(kw_only=True)
class RenewalRule(_DatedRule):
    """A :class:`RenewalWindow` in force for terms that expire in a date range.

    The window that applies to a term is the one in force on the term's expiry date,
    because the renewal is filed under the rules of that time.

    :param window: the renewal window.
    :param effective_from: the first expiry date the rule covers.
    :param effective_until: the first expiry date it no longer covers (``None``: still in
        force).
    :param source: the legal basis.
    :param verify: the rule rests on one secondary source or changed recently.
    """

    window: RenewalWindow = attrs.field(validator=instance_of(RenewalWindow))


@attrs.frozen(kw_only=True)
class Evidence:
    """A document a step asks for (``"label_design"``: the label and packaging design)."""

    code: str = attrs.field(validator=_slug)
    name: Text = attrs.field(validator=instance_of(Text))


@attrs.frozen(kw_only=True)
class ExpectedDuration:
    """How long a step usually takes, from start to decision, in days."""

    min_days: int = attrs.field(validator=non_negative_whole)
    max_days: int = attrs.field(validator=non_negative_whole)

    @max_days.validator
    def _check(self, attribute: attrs.Attribute[int], value: int) -> None:
        if value < self.min_days:
            raise ValidationError(
                "expectedduration.max_before_min",
                field=attribute.name,
                value=value,
                id="'max_days' tidak boleh kurang dari 'min_days'.",
                en="'max_days' may not be less than 'min_days'.",
            )


@attrs.frozen(kw_only=True)
class NiceClasses:
    """The Nice classes a trademark in ``sector`` is usually filed in (food: 29, 30, 32, 43)."""

    sector: str = attrs.field(validator=non_blank)
    classes: tuple[int, ...] = attrs.field(converter=as_tuple, validator=tuple_of(int))

    @classes.validator
    def _check(self, attribute: attrs.Attribute[tuple[int, ...]], value: tuple[int, ...]) -> None:
        if not value or any(isinstance(c, bool) or not 1 <= c <= 45 for c in value):
            raise ValidationError(
                "niceclasses.out_of_range",
                field=attribute.name,
                value=value,
                id="Kelas Nice harus antara 1 dan 45.",
                en="Nice classes run from 1 to 45.",
            )


class CertificateFormat(enum.Enum):
    """How a step's certificate number is checked."""

    NONE = "none"  #: the step issues no certificate number
    TEXT = "text"  #: any non-blank text
    PATTERN = "pattern"  #: must match a regular expression
    PIRT = "pirt"  #: a P-IRT number whose expiry year agrees with the computed expiry


@attrs.frozen(kw_only=True)
class CertificateRule:
    """How the certificate number of a step kind is validated.

    :param format: the kind of check.
    :param pattern: the regular expression for :attr:`CertificateFormat.PATTERN`.
    :param example: an example number shown in error messages (never the user's value).
    """

    format: CertificateFormat = attrs.field(validator=instance_of(CertificateFormat))
    pattern: str | None = attrs.field(default=None, validator=optional_instance_of(str))
    example: str = attrs.field(default="", validator=instance_of(str))

    @pattern.validator
    def _check(self, attribute: attrs.Attribute[str | None], value: str | None) -> None:
        if (self.format is CertificateFormat.PATTERN) != (value is not None):
            raise ValidationError(
                "certificaterule.pattern",
                field=attribute.name,
                value=value,
                id="Pola hanya (dan wajib) untuk format 'pattern'.",
                en="A pattern is given exactly when the format is 'pattern'.",
            )
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValidationError(
                    "certificaterule.bad_pattern",
                    field=attribute.name,
                    value=value,
                    id="Pola nomor sertifikat bukan regex yang sah.",
                    en="The certificate number pattern is not a valid regular expression.",
                ) from exc

    def check(self, number: str | None, expires_on: dt.date | None) -> str | None:
        """Validate ``number`` and return its normal form.

        :param number: the number as entered, or ``None`` when not (yet) known.
        :param expires_on: the computed expiry of the term the number belongs to.
        :returns: the normalised number (a P-IRT number in compact digits), or ``None``.
        :raises ValidationError: ``step.number_not_issued``, ``step.bad_number``,
            ``pirt.*`` or ``step.pirt_expiry_mismatch``.
        """
        if number is None:
            return None
        if self.format is CertificateFormat.NONE:
            raise ValidationError(
                "step.number_not_issued",
                field="certificate_number",
                value=number,
                id="Langkah ini tidak menerbitkan nomor sertifikat.",
                en="This step issues no certificate number.",
            )
        if not isinstance(number, str) or not number.strip():
            raise ValidationError(
                "step.bad_number",
                field="certificate_number",
                value=number,
                id="Nomor sertifikat harus berupa teks yang tidak kosong.",
                en="The certificate number must be non-blank text.",
            )
        if self.format is CertificateFormat.PATTERN:
            assert self.pattern is not None
            if not re.fullmatch(self.pattern, number.strip()):
                hint = f" (contoh: {self.example})" if self.example else ""
                hint_en = f" (e.g. {self.example})" if self.example else ""
                raise ValidationError(
                    "step.bad_number",
                    field="certificate_number",
                    value=number,
                    id=f"Format nomor sertifikat tidak sesuai{hint}.",
                    en=f"The certificate number does not have the expected form{hint_en}.",
                )
            return number.strip()
        if self.format is CertificateFormat.PIRT:
            try:
                pirt = PIRTNumber.parse(number)
            except ValidationError as exc:
                raise ValidationError(
                    exc.code,
                    field="certificate_number",
                    value=number,
                    id=exc.message_id,
                    en=exc.message_en,
                ) from None
            if expires_on is not None and pirt.expiry_year != expires_on.year:
                raise ValidationError(
                    "step.pirt_expiry_mismatch",
                    field="certificate_number",
                    value=number,
                    id=(
                        f"Tahun kedaluwarsa di nomor P-IRT ({pirt.expiry_year}) tidak sesuai "
                        f"dengan masa berlaku yang dihitung ({expires_on.year})."
                    ),
                    en=(
                        f"The expiry year in the P-IRT number ({pirt.expiry_year}) does not "
                        f"agree with the computed expiry ({expires_on.year})."
                    ),
                )
            return pirt.value
        return number.strip()

    @classmethod
    def none(cls) -> CertificateRule:
        """The step issues no certificate number."""
        return cls(format=CertificateFormat.NONE)

    @classmethod
    def text(cls) -> CertificateRule:
        """Any non-blank number."""
        return cls(format=CertificateFormat.TEXT)


def _unique_codes(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]
) -> None:
    seen: set[str] = set()
    for item in value:
        code = item.code if not isinstance(item, str) else item
        if code in seen:
            raise field_error(
                instance,
                attribute,
                f"duplicate_{attribute.name}",
                code,
                id=f"Kode '{code}' muncul dua kali di '{attribute.name}'.",
                en=f"Code '{code}' appears twice in '{attribute.name}'.",
            )
        seen.add(code)


@attrs.frozen(kw_only=True)
class Route:
    """One way through a step (halal: the regular path or the self-declare path).

    :param code: ``"regular"``, ``"self-declare"``.
    :param name: the route's name.
    :param criteria: dated business conditions of this route, on top of the step's own;
        when given, the route is open only on dates one of them is in force.
    :param evidence: documents this route asks for, on top of the step's own.
    :param expected_duration: how long this route usually takes.
    """

    code: str = attrs.field(validator=_slug)
    name: Text = attrs.field(validator=instance_of(Text))
    criteria: tuple[CriteriaSet, ...] = attrs.field(
        default=(), converter=as_tuple, validator=[tuple_of(CriteriaSet), _no_overlap]
    )
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Evidence)
    )
    expected_duration: ExpectedDuration | None = attrs.field(
        default=None, validator=optional_instance_of(ExpectedDuration)
    )


@attrs.frozen(kw_only=True)
class StepKind:
    """A kind of follow-up step (``"pirt"``, ``"halal"``, ``"trademark"``), as plain data.

    Compares by value; the catalogue and plugins identify kinds by ``code``.

    :param code: a stable lower-case code.
    :param name: the name in both languages.
    :param authority: who issues or runs the step.
    :param validity: dated validity rules; the one in force on the grant date applies.
    :param renewal: when a granted step can be renewed; ``None`` for steps that are not
        renewed (or whose window is not known).
    :param renewal_rules: dated renewal windows; when given, the one in force on a
        term's expiry date applies instead of ``renewal`` (see :meth:`renewal_on`).
    :param requires: codes of steps that must be granted and still valid first.
    :param criteria: dated business conditions for every route.
    :param routes: ways through the step; empty means one plain way.
    :param evidence: documents the step asks for.
    :param expected_duration: how long it usually takes.
    :param certificate: how the certificate number is validated.
    :param nice_classes: for trademarks, the usual Nice classes per sector.
    :param sources: the legal bases of the step.
    """

    code: str = attrs.field(validator=_slug)
    name: Text = attrs.field(validator=instance_of(Text))
    authority: Text = attrs.field(validator=instance_of(Text))
    validity: tuple[ValidityRule, ...] = attrs.field(
        converter=as_tuple, validator=[tuple_of(ValidityRule), _no_overlap]
    )
    renewal: RenewalWindow | None = attrs.field(
        default=None, validator=optional_instance_of(RenewalWindow)
    )
    renewal_rules: tuple[RenewalRule, ...] = attrs.field(
        default=(), converter=as_tuple, validator=[tuple_of(RenewalRule), _no_overlap]
    )
    requires: tuple[str, ...] = attrs.field(
        default=(), converter=as_tuple, validator=[tuple_of(str), _unique_codes]
    )
    criteria: tuple[CriteriaSet, ...] = attrs.field(
        default=(), converter=as_tuple, validator=[tuple_of(CriteriaSet), _no_overlap]
    )
    routes: tuple[Route, ...] = attrs.field(
        default=(), converter=as_tuple, validator=[tuple_of(Route), _unique_codes]
    )
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Evidence)
    )
    expected_duration: ExpectedDuration | None = attrs.field(
        default=None, validator=optional_instance_of(ExpectedDuration)
    )
    certificate: CertificateRule = attrs.field(
        factory=CertificateRule.none, validator=instance_of(CertificateRule)
    )
    nice_classes: tuple[NiceClasses, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(NiceClasses)
    )
    sources: tuple[str, ...] = attrs.field(default=(), converter=as_tuple, validator=tuple_of(str))

    @validity.validator
    def _check_validity(
        self, attribute: attrs.Attribute[tuple[ValidityRule, ...]], value: tuple[ValidityRule, ...]
    ) -> None:
        if not value:
            raise ValidationError(
                "stepkind.no_validity",
                field=attribute.name,
                value=value,
                id="Jenis langkah harus punya paling sedikit satu aturan masa berlaku.",
                en="A step kind needs at least one validity rule.",
            )

    @requires.validator
    def _check_requires(
        self, attribute: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]
    ) -> None:
        if self.code in value:
            raise ValidationError(
                "stepkind.requires_itself",
                field=attribute.name,
                value=self.code,
                id=f"Langkah '{self.code}' tidak boleh mensyaratkan dirinya sendiri.",
                en=f"Step '{self.code}' may not require itself.",
            )

    def validity_on(self, day: dt.date) -> Validity:
        """The validity that applies to a grant on ``day``.

        :param day: the grant (or renewal) date.
        :returns: the :class:`Validity` of the rule in force.
        :raises ValidationError: ``step.no_validity_rule`` when no rule covers ``day``.
        """
        for rule in self.validity:
            if rule.in_force_on(day):
                return rule.validity
        raise ValidationError(
            "step.no_validity_rule",
            field="granted_on",
            value=day,
            id=f"Tidak ada aturan masa berlaku '{self.code}' pada {day.isoformat()}.",
            en=f"No validity rule for '{self.code}' is in force on {day.isoformat()}.",
        )

    def renewal_on(self, expiry: dt.date) -> RenewalWindow | None:
        """The renewal window that applies to a term expiring on ``expiry``.

        :param expiry: the expiry date of the term to renew.
        :returns: the window of the dated rule in force on ``expiry`` when the kind has
            ``renewal_rules``, else ``renewal``; ``None`` when the term is not renewable.
        """
        if not self.renewal_rules:
            return self.renewal
        for rule in self.renewal_rules:
            if rule.in_force_on(expiry):
                return rule.window
        return None

    def route(self, code: str | None) -> Route | None:
        """The route named ``code``; ``None`` for a kind without routes and ``code=None``.

        :raises ValidationError: ``step.unknown_route`` for a route the kind lacks.
        """
        if code is None and not self.routes:
            return None
        for route in self.routes:
            if route.code == code:
                return route
        known = ", ".join(r.code for r in self.routes) or "-"
        raise ValidationError(
            "step.unknown_route",
            field="route",
            value=code,
            id=f"Jalur '{code}' tidak dikenal untuk '{self.code}' (tersedia: {known}).",
            en=f"Unknown route '{code}' for '{self.code}' (available: {known}).",
        )

    def nice_classes_for(self, sector: str) -> tuple[int, ...]:
        """The usual Nice classes of ``sector`` (empty when none are listed)."""
        for entry in self.nice_classes:
            if entry.sector == sector:
                return entry.classes
        return ()
