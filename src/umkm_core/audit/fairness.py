"""The fairness audit of an allocation: who applied, who got a seat, and who was refused why.

For each attribute of the applicants (district, the owner's sex, the size class as the
rules judged it, the sector, and any attribute a plugin declares) the audit counts the
applicants and the seated per group, their shares, each group's selection rate
(seated / applicants) and its ratio to the best-served group. A ratio under 0.8 is
flagged, after the "four-fifths rule" that auditors use as a first screen for adverse
impact. Two significance tests say whether a difference is larger than chance:
Pearson's chi-square test of independence over all groups of an attribute, and Fisher's
exact test of each group against the rest (see ``docs/fairness-audit.md`` for their
assumptions). The rules that refused (and the limits that waitlisted) are counted per
group by reason code.

Applicants are businesses: a business that applied twice counts once, with its best
outcome (a seat, else the waitlist, else refused). Nothing personal appears: the sex
comes from the NIK's encoded birth day (or the recorded sex), never the NIK itself.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from umkm_core._codes import check_code, check_text_record
from umkm_core.allocation.engine import Accepted, Allocation, Outcome, Waitlisted
from umkm_core.audit.stats import ChiSquare, chi_square_independence, fisher_exact
from umkm_core.errors import ValidationError
from umkm_core.model.business import Business
from umkm_core.model.identifiers import RegionCode, RegionLevel, Sex
from umkm_core.model.regions import region_name
from umkm_core.model.size import SizeClass, classify_size
from umkm_core.rules.base import Reason
from umkm_core.text import Lang, Text

__all__ = [
    "FOUR_FIFTHS",
    "AttributeAudit",
    "AuditAttribute",
    "FairnessAudit",
    "GroupAudit",
    "ReasonCount",
    "audit_allocation",
    "builtin_attributes",
    "district_attribute",
    "sector_attribute",
    "sex_attribute",
    "size_class_attribute",
]

#: The four-fifths rule: a group whose selection rate is under 80% of the best-served
#: group's is flagged.
FOUR_FIFTHS = 0.8

_UNKNOWN = Text("Tidak diketahui", "Unknown")
_STATUS_RANK = {"accepted": 0, "waitlisted": 1, "refused": 2}


def _check_callable(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not callable(value):
        raise ValidationError(
            "audit.not_callable",
            field=attribute.name,
            value=value,
            id=f"'{attribute.name}' harus fungsi.",
            en=f"'{attribute.name}' must be callable.",
        )


def _check_optional_callable(
    instance: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    if value is not None:
        _check_callable(instance, attribute, value)


@attrs.frozen(kw_only=True)
class AuditAttribute:
    """An attribute of applicants that the audit groups them by.

    A plugin declares its own through the ``umkm_audit_attributes`` hook::

        AuditAttribute(
            code="difabel",
            title=Text("Pemilik penyandang disabilitas", "Owner with a disability"),
            value_of=lambda b: "ya" if b.id in DISABLED_OWNERS else "tidak",
        )

    :param code: stable code (``"district"``).
    :param title: the attribute's name, in Indonesian and English.
    :param value_of: the group of a business, or ``None`` when unknown. It must never
        return personal data (a name, a NIK, a phone number): group values are printed.
    :param label_of: the display name of a group value; the value itself when absent.
    """

    code: str = attrs.field(validator=check_code)
    title: Text = attrs.field(validator=check_text_record)
    value_of: Callable[[Business], str | None] = attrs.field(
        validator=_check_callable, repr=False, eq=False
    )
    label_of: Callable[[str], Text] | None = attrs.field(
        default=None, validator=_check_optional_callable, repr=False, eq=False
    )

    def label(self, value: str | None) -> Text:
        """How a group is shown: its label, or "unknown" for ``None``."""
        if value is None:
            return _UNKNOWN
        if self.label_of is None:
            return Text(value, value)
        return self.label_of(value)


def _district_of(business: Business) -> str | None:
    district = business.region.at_level(RegionLevel.DISTRICT)
    return None if district is None else str(district)


def _district_label(value: str) -> Text:
    code = RegionCode.parse(value)
    name = region_name(code)
    if name == str(code):  # a district outside the reference city: name its regency
        regency = code.at_level(RegionLevel.REGENCY)
        if regency is not None and region_name(regency) != str(regency):
            name = f"{region_name(regency)} ({code})"
    return Text(name, name)


def district_attribute() -> AuditAttribute:
    """The district (kecamatan) of the business's address, from its region code."""
    return AuditAttribute(
        code="district",
        title=Text("Kecamatan", "District"),
        value_of=_district_of,
        label_of=_district_label,
    )


_SEX_LABELS = {
    Sex.FEMALE.value: Text("Perempuan", "Female"),
    Sex.MALE.value: Text("Laki-laki", "Male"),
}


def _sex_of(business: Business) -> str | None:
    sex = business.owner.effective_sex
    return None if sex is None else sex.value


def sex_attribute() -> AuditAttribute:
    """The owner's sex: as recorded, else decoded from the NIK (never the NIK itself)."""
    return AuditAttribute(
        code="owner_sex",
        title=Text("Jenis kelamin pemilik", "Owner's sex"),
        value_of=_sex_of,
        label_of=lambda v: _SEX_LABELS.get(v, Text(v, v)),
    )


_SIZE_LABELS = {
    SizeClass.MIKRO.value: Text("Mikro", "Micro"),
    SizeClass.KECIL.value: Text("Kecil", "Small"),
    SizeClass.MENENGAH.value: Text("Menengah", "Medium"),
    SizeClass.BESAR.value: Text("Besar", "Large"),
}


def size_class_attribute(on: dt.date) -> AuditAttribute:
    """The size class as the rules judge it on ``on`` (latest financial year begun by then).

    :param on: the date of the assessment: the allocation's as-of date.
    """

    def size_of(business: Business) -> str | None:
        assessment = classify_size(business.latest_financials(on), on=on)
        return None if assessment.size_class is None else assessment.size_class.value

    return AuditAttribute(
        code="size_class",
        title=Text("Skala usaha", "Size class"),
        value_of=size_of,
        label_of=lambda v: _SIZE_LABELS.get(v, Text(v, v)),
    )


def sector_attribute(names: Mapping[str, Text] | None = None) -> AuditAttribute:
    """The business's sector.

    :param names: display names of sector codes (a registry's sectors); codes otherwise.
    """
    known = dict(names or {})
    return AuditAttribute(
        code="sector",
        title=Text("Sektor", "Sector"),
        value_of=lambda b: b.sector,
        label_of=lambda v: known.get(v, Text(v, v)),
    )


def builtin_attributes(
    on: dt.date, *, sector_names: Mapping[str, Text] | None = None
) -> tuple[AuditAttribute, ...]:
    """District, owner's sex, size class (judged on ``on``) and sector.

    :param on: the date the size class is judged on (the allocation's as-of date).
    :param sector_names: display names of sectors.
    """
    return (
        district_attribute(),
        sex_attribute(),
        size_class_attribute(on),
        sector_attribute(sector_names),
    )


@attrs.frozen(kw_only=True)
class ReasonCount:
    """How many applicants of a group one reason code refused or waitlisted."""

    code: str
    count: int


@attrs.frozen(kw_only=True)
class GroupAudit:
    """One group of one attribute.

    :param value: the group value (``None``: unknown).
    :param label: its display name.
    :param applicants: businesses of the group that applied.
    :param seated: of those, with a seat.
    :param waitlisted: on the waitlist.
    :param refused: refused.
    :param applicant_share: the group's share of all applicants.
    :param seated_share: its share of all seated (0.0 when nobody was seated).
    :param selection_rate: ``seated / applicants``.
    :param impact_ratio: the selection rate over the best-served group's; ``None`` when
        no group had a seat.
    :param p_value: Fisher's exact test of the group against all other applicants.
    :param refusals: reason codes of the refusals, most frequent first (an applicant
        refused by two rules counts for both).
    :param waits: reason codes of the waits, most frequent first.
    """

    value: str | None
    label: Text
    applicants: int
    seated: int
    waitlisted: int
    refused: int
    applicant_share: float
    seated_share: float
    selection_rate: float
    impact_ratio: float | None
    p_value: float
    refusals: tuple[ReasonCount, ...]
    waits: tuple[ReasonCount, ...]

    @property
    def four_fifths_flag(self) -> bool:
        """Whether the group falls under four fifths of the best-served group's rate."""
        return self.impact_ratio is not None and self.impact_ratio < FOUR_FIFTHS

    @property
    def eligible(self) -> int:
        """Applicants who passed every eligibility rule (seated or waitlisted)."""
        return self.seated + self.waitlisted


@attrs.frozen(kw_only=True)
class AttributeAudit:
    """The audit of one attribute: one :class:`GroupAudit` per group, largest first.

    :param code: the attribute's code.
    :param title: its name.
    :param groups: the groups, by number of applicants (ties by label).
    :param best: the value of the best-served group (highest selection rate).
    :param chi_square: the chi-square test over all groups, ``None`` when undefined.
    """

    code: str
    title: Text
    groups: tuple[GroupAudit, ...]
    best: str | None
    chi_square: ChiSquare | None

    def group(self, value: str | None) -> GroupAudit:
        """The group with ``value``.

        :raises KeyError: when no applicant is in that group.
        """
        for g in self.groups:
            if g.value == value:
                return g
        raise KeyError(value)

    @property
    def flagged(self) -> tuple[GroupAudit, ...]:
        """The groups under four fifths of the best-served group's rate."""
        return tuple(g for g in self.groups if g.four_fifths_flag)


@attrs.frozen(kw_only=True)
class FairnessAudit:
    """The fairness audit of one allocation.

    :param program_id: the programme.
    :param as_of: the date the rules were judged on.
    :param applicants: businesses that applied.
    :param seated: with a seat.
    :param waitlisted: on the waitlist.
    :param refused: refused.
    :param attributes: one :class:`AttributeAudit` per attribute, in the order given.
    :param reasons: a text for every reason code counted (the rule's description when
        the programme has the rule).
    :param alpha: the significance level the text output marks p-values against.
    """

    program_id: str
    as_of: dt.date
    applicants: int
    seated: int
    waitlisted: int
    refused: int
    attributes: tuple[AttributeAudit, ...]
    reasons: Mapping[str, Text] = attrs.field(eq=False)
    alpha: float = 0.05

    def attribute(self, code: str) -> AttributeAudit:
        """The audit of attribute ``code``.

        :raises KeyError: for an attribute not audited.
        """
        for a in self.attributes:
            if a.code == code:
                return a
        raise KeyError(code)

    def format(self, lang: Lang | str = "id") -> str:
        """The audit as plain-text tables, one per attribute, in ``lang``.

        :param lang: ``"id"`` (default) or ``"en"``.
        :returns: the text, one line per row.
        """
        return _format(self, "en" if lang == "en" else "id")


def _best_outcomes(allocation: Allocation) -> dict[str, Outcome]:
    best: dict[str, Outcome] = {}
    for app, outcome in zip(allocation.applications, allocation.outcomes, strict=True):
        held = best.get(app.business_id)
        if held is None or _STATUS_RANK[outcome.status] < _STATUS_RANK[held.status]:
            best[app.business_id] = outcome
    return best


def _codes(reasons: Iterable[Reason]) -> list[str]:
    # Each code once per applicant: two waves refusing for the same rule are one refusal.
    return list(dict.fromkeys(r.code for r in reasons))


def _reason_texts(allocation: Allocation, outcomes: Iterable[Outcome]) -> dict[str, Text]:
    texts: dict[str, Text] = {}
    for rule in allocation.program.rules:
        texts.setdefault(rule.code, rule.describe())
    for outcome in outcomes:
        if not isinstance(outcome, Accepted):
            for reason in outcome.reasons:
                texts.setdefault(reason.code, reason.text)
    return dict(sorted(texts.items()))


class _Tally:
    __slots__ = ("refusals", "refused", "seated", "waitlisted", "waits")

    def __init__(self) -> None:
        self.seated = self.waitlisted = self.refused = 0
        self.refusals: Counter[str] = Counter()
        self.waits: Counter[str] = Counter()

    @property
    def applicants(self) -> int:
        return self.seated + self.waitlisted + self.refused

    def add(self, outcome: Outcome) -> None:
        if isinstance(outcome, Accepted):
            self.seated += 1
        elif isinstance(outcome, Waitlisted):
            self.waitlisted += 1
            self.waits.update(_codes(outcome.reasons))
        else:
            self.refused += 1
            self.refusals.update(_codes(outcome.reasons))


def _ranked(counter: Counter[str]) -> tuple[ReasonCount, ...]:
    return tuple(
        ReasonCount(code=code, count=n)
        for code, n in sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    )


def _audit_attribute(
    attribute: AuditAttribute,
    outcomes: Mapping[str, Outcome],
    businesses: Mapping[str, Business],
) -> AttributeAudit:
    tallies: dict[str | None, _Tally] = {}
    for business_id, outcome in outcomes.items():
        business = businesses.get(business_id)
        value = attribute.value_of(business) if business is not None else None
        if value is not None and not isinstance(value, str):
            raise ValidationError(
                "audit.bad_group",
                field=attribute.code,
                id=f"Atribut '{attribute.code}' harus memberi teks atau None.",
                en=f"Attribute '{attribute.code}' must give text or None.",
            )
        tallies.setdefault(value, _Tally()).add(outcome)
    applicants = sum(t.applicants for t in tallies.values())
    seated = sum(t.seated for t in tallies.values())
    rates = {v: t.seated / t.applicants for v, t in tallies.items()}
    best_value = max(rates, key=lambda v: (rates[v], tallies[v].applicants), default=None)
    best_rate = rates.get(best_value, 0.0)
    groups = []
    for value, tally in tallies.items():
        groups.append(
            GroupAudit(
                value=value,
                label=attribute.label(value),
                applicants=tally.applicants,
                seated=tally.seated,
                waitlisted=tally.waitlisted,
                refused=tally.refused,
                applicant_share=tally.applicants / applicants,
                seated_share=tally.seated / seated if seated else 0.0,
                selection_rate=rates[value],
                impact_ratio=rates[value] / best_rate if best_rate > 0 else None,
                p_value=fisher_exact(
                    tally.seated,
                    tally.applicants - tally.seated,
                    seated - tally.seated,
                    (applicants - tally.applicants) - (seated - tally.seated),
                ),
                refusals=_ranked(tally.refusals),
                waits=_ranked(tally.waits),
            )
        )
    # Unknown last; otherwise the largest groups first.
    groups.sort(key=lambda g: (g.value is None, -g.applicants, g.label.id))
    return AttributeAudit(
        code=attribute.code,
        title=attribute.title,
        groups=tuple(groups),
        best=best_value if best_rate > 0 else None,
        chi_square=chi_square_independence([(g.seated, g.applicants - g.seated) for g in groups]),
    )


def audit_allocation(
    allocation: Allocation,
    businesses: Mapping[str, Business] | Iterable[Business],
    *,
    attributes: Sequence[AuditAttribute] | None = None,
    alpha: float = 0.05,
) -> FairnessAudit:
    """Audit ``allocation`` for each attribute of the applicants.

    :param allocation: the result of :func:`umkm_core.allocate`.
    :param businesses: the register the allocation judged (by id, or an iterable);
        applicants missing from it fall in each attribute's "unknown" group.
    :param attributes: the attributes to group by; :func:`builtin_attributes` on the
        allocation's as-of date when ``None``. Add a registry's plugin attributes to them.
    :param alpha: the significance level the text output marks p-values against.
    :returns: the :class:`FairnessAudit`.
    :raises ValidationError: ``audit.duplicate_attribute`` when two attributes share a
        code; ``audit.bad_group`` when an attribute gives something other than text.
    """
    index = businesses if isinstance(businesses, Mapping) else {b.id: b for b in businesses}
    chosen = tuple(attributes) if attributes is not None else builtin_attributes(allocation.as_of)
    seen: set[str] = set()
    for attribute in chosen:
        if attribute.code in seen:
            raise ValidationError(
                "audit.duplicate_attribute",
                field=attribute.code,
                id=f"Atribut audit '{attribute.code}' disebut lebih dari sekali.",
                en=f"Audit attribute '{attribute.code}' is given more than once.",
            )
        seen.add(attribute.code)
    outcomes = _best_outcomes(allocation)
    statuses = Counter(o.status for o in outcomes.values())
    return FairnessAudit(
        program_id=allocation.program.id,
        as_of=allocation.as_of,
        applicants=len(outcomes),
        seated=statuses["accepted"],
        waitlisted=statuses["waitlisted"],
        refused=statuses["refused"],
        attributes=tuple(_audit_attribute(a, outcomes, index) for a in chosen),
        reasons=_reason_texts(allocation, outcomes.values()),
        alpha=alpha,
    )


# --------------------------------------------------------------------------- text output

_HEAD = {
    "id": (
        "Kelompok",
        "Pendaftar",
        "% daftar",
        "Kursi",
        "% kursi",
        "Tingkat",
        "Rasio",
        "<4/5",
        "p Fisher",
        "Ditolak karena (kode: jumlah)",
    ),
    "en": (
        "Group",
        "Applicants",
        "% appl.",
        "Seated",
        "% seats",
        "Rate",
        "Ratio",
        "<4/5",
        "p Fisher",
        "Refused by (code: count)",
    ),
}


def _number(x: float, digits: int, lang: Lang) -> str:
    text = f"{x:.{digits}f}"
    return text.replace(".", ",") if lang == "id" else text


def _percent(x: float, lang: Lang) -> str:
    return _number(100 * x, 1, lang) + "%"


def _p(p: float, lang: Lang) -> str:
    return "<0" + (",001" if lang == "id" else ".001") if p < 0.001 else _number(p, 3, lang)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    first = f"{cells[0]:<{widths[0]}}"
    middle = "  ".join(f"{c:>{w}}" for c, w in zip(cells[1:-1], widths[1:], strict=True))
    return f"{first}  {middle}  {cells[-1]}".rstrip()


def _format(audit: FairnessAudit, lang: Lang) -> str:
    en = lang == "en"
    lines = [
        (
            f"Fairness audit of {audit.program_id} (rules judged on {audit.as_of.isoformat()})"
            if en
            else f"Audit keadilan {audit.program_id} "
            f"(syarat dinilai per {audit.as_of.isoformat()})"
        ),
        (
            f"Applicants {audit.applicants}, seated {audit.seated}, waitlisted "
            f"{audit.waitlisted}, refused {audit.refused}."
            if en
            else f"Pendaftar {audit.applicants}, mendapat kursi {audit.seated}, daftar tunggu "
            f"{audit.waitlisted}, ditolak {audit.refused}."
        ),
        (
            "Rate = seated / applicants; Ratio = rate / best-served group's rate; "
            "<4/5 = ratio under 0.8; p Fisher = group vs the rest."
            if en
            else "Tingkat = kursi / pendaftar; Rasio = tingkat / tingkat kelompok terbaik; "
            "<4/5 = rasio di bawah 0,8; p Fisher = kelompok vs sisanya."
        ),
    ]
    head = _HEAD[lang]
    yes = "yes" if en else "ya"
    for attribute in audit.attributes:
        lines.append("")
        title = attribute.title.get(lang)
        test = attribute.chi_square
        if test is None:
            lines.append(f"{title}: " + ("no test possible" if en else "uji tidak dapat dihitung"))
        else:
            caution = "" if test.reliable else (
                " (expected counts small: read the exact tests)" if en
                else " (frekuensi harapan kecil: lihat uji eksak)"
            )  # fmt: skip
            lines.append(
                f"{title}: " + ("chi-square" if en else "khi-kuadrat") + f" = "
                f"{_number(test.statistic, 2, lang)}, "
                + ("df" if en else "db")
                + f" = {test.df}, p = {_p(test.p_value, lang)}{caution}"
            )
        rows = [
            (
                g.label.get(lang),
                str(g.applicants),
                _percent(g.applicant_share, lang),
                str(g.seated),
                _percent(g.seated_share, lang),
                _percent(g.selection_rate, lang),
                "-" if g.impact_ratio is None else _number(g.impact_ratio, 2, lang),
                yes if g.four_fifths_flag else "",
                _p(g.p_value, lang) + ("*" if g.p_value < audit.alpha else ""),
                ", ".join(f"{r.code}: {r.count}" for r in g.refusals) or "-",
            )
            for g in attribute.groups
        ]
        widths = [max(len(head[i]), *(len(r[i]) for r in rows)) for i in range(len(head) - 1)]

        lines.append(_line(head, widths))
        lines.append("-" * (sum(widths) + 2 * len(widths) + len(head[-1])))
        lines.extend(_line(r, widths) for r in rows)
    lines.append("")
    lines.append(f"* p < {audit.alpha}" if en else f"* p < {_number(audit.alpha, 2, lang)}")
    return "\n".join(lines)
