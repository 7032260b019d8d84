"""Strategies for follow-up certification: step kinds, conditions, pathways, step records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from umkm_core.followup.conditions import (
    AnnualSalesAtMost,
    Condition,
    Declared,
    HasNIB,
    SectorIn,
    SizeClassIn,
)
from umkm_core.followup.kinds import (
    CertificateFormat,
    CertificateRule,
    CriteriaSet,
    Evidence,
    ExpectedDuration,
    NiceClasses,
    RenewalRule,
    RenewalWindow,
    Route,
    StepKind,
    TermStart,
    Validity,
    ValidityRule,
)
from umkm_core.followup.pathway import Pathway
from umkm_core.followup.records import StepRecord, StepStatus, Term
from umkm_core.rules import (
    EligibilityRule,
    holds_certificate,
    lacks_certificate,
)
from umkm_core.strategies._internal.identifiers import (
    _SECTORS,
    _digits,
    pirt_numbers,
    size_classes,
)
from umkm_core.text import Text

# --------------------------------------------------------------------------------------
# Follow-up certification steps (issue 4): step kinds, pathways, step records
# --------------------------------------------------------------------------------------


def step_statuses() -> st.SearchStrategy[StepStatus]:
    """Any step status."""
    return st.sampled_from(StepStatus)


def validities() -> st.SearchStrategy[Validity]:
    """Fixed terms (1 month to 10 years, from grant or filing), while-unchanged, or none."""
    fixed = st.builds(
        lambda years, months, start: Validity.fixed(
            years=years, months=months if years or months else 1, counted_from=start
        ),
        st.integers(0, 10),
        st.integers(0, 11),
        st.sampled_from([TermStart.GRANT, TermStart.FILING]),
    )
    return fixed | st.just(Validity.while_unchanged()) | st.just(Validity.none())


def renewal_windows() -> st.SearchStrategy[RenewalWindow]:
    """Renewal windows opening 0-12 months before expiry (or any time), closing near it.

    They close between 6 months before and 6 months after the expiry date.
    """

    @st.composite
    def build(draw: st.DrawFn) -> RenewalWindow:
        opens = draw(st.none() | st.integers(0, 12))
        low = -opens if opens is not None else -6
        closes = draw(st.integers(max(low, -6), 6))
        return RenewalWindow(
            opens_months_before=opens,
            closes_months_after=closes,
            fine_after_expiry=draw(st.booleans()) if closes > 0 else False,
            new_term_from=draw(st.sampled_from([TermStart.RENEWAL, TermStart.PREVIOUS_EXPIRY])),
        )

    return build()


def _condition_strategies(
    sectors: st.SearchStrategy[str],
) -> dict[type[Condition], st.SearchStrategy[Condition]]:
    return {
        HasNIB: st.just(HasNIB()),
        SizeClassIn: st.lists(size_classes(), min_size=1, max_size=3).map(
            lambda cs: SizeClassIn(classes=frozenset(cs))
        ),
        AnnualSalesAtMost: st.integers(0, 20_000_000_000).map(
            lambda c: AnnualSalesAtMost(ceiling=c)
        ),
        SectorIn: st.lists(sectors, min_size=1, max_size=2).map(
            lambda ss: SectorIn(sectors=frozenset(ss))
        ),
        Declared: st.sampled_from(["low_risk", "simple_process", "home_industry"]).map(
            lambda k: Declared(key=k, text=Text(id=f"Dikonfirmasi: {k}", en=f"Confirmed: {k}"))
        ),
    }


def conditions(
    *, sectors: st.SearchStrategy[str] = st.sampled_from(_SECTORS)
) -> st.SearchStrategy[Condition]:
    """Business conditions of every built-in kind."""
    return st.one_of(*_condition_strategies(sectors).values())


_any_condition = conditions


def criteria_sets(
    *, conditions: st.SearchStrategy[Condition] | None = None
) -> st.SearchStrategy[CriteriaSet]:
    """Criteria sets in force from 1945 on, with 0-3 conditions."""
    return st.builds(
        CriteriaSet,
        code=st.sampled_from(["criteria-a", "criteria-b"]),
        conditions=st.lists(conditions or _any_condition(), max_size=3).map(tuple),
    )


_VALIDITIES = validities()
_RENEWAL_WINDOWS = renewal_windows()
_CRITERIA_SETS = criteria_sets()


def _kind_name(code: str) -> Text:
    return Text(id=f"Langkah {code}", en=f"Step {code}")


@st.composite
def _synthetic_kinds(
    draw: st.DrawFn, codes: st.SearchStrategy[str], requires: tuple[str, ...]
) -> StepKind:
    code = draw(codes.filter(lambda c: c not in requires))
    validity = draw(_VALIDITIES)
    return StepKind(
        code=code,
        name=_kind_name(code),
        authority=Text(id="Dinas", en="Office"),
        validity=(ValidityRule(validity=validity),),
        renewal=draw(st.none() | _RENEWAL_WINDOWS) if validity.total_months else None,
        requires=tuple(draw(st.lists(st.sampled_from(requires), unique=True))) if requires else (),
        criteria=tuple(draw(st.lists(_CRITERIA_SETS, max_size=1))),
        certificate=draw(st.sampled_from([CertificateRule.none(), CertificateRule.text()])),
    )


def step_kinds(
    *,
    codes: st.SearchStrategy[str] = st.builds(
        lambda head, tail: head + tail,
        st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
        st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8),
    ),
    requires: Sequence[str] = (),
    builtin: bool = True,
) -> st.SearchStrategy[StepKind]:
    """Step kinds: the built-ins (when ``builtin``) or synthetic kinds.

    :param codes: a strategy for synthetic kinds' codes.
    :param requires: codes a synthetic kind may require (a subset is drawn).
    :param builtin: also draw the built-in catalogue's kinds (which have their own
        requirements).
    """
    if not isinstance(requires, Sequence) or isinstance(requires, str):
        raise InvalidArgument(f"requires={requires!r} must be a sequence of step codes")
    synthetic = _synthetic_kinds(codes, tuple(requires))
    if not builtin:
        return synthetic
    from umkm_core.followup.catalogue import BUILTIN_STEP_KINDS  # noqa: PLC0415

    plain = [k for k in BUILTIN_STEP_KINDS if set(k.requires) <= set(requires)]
    return st.sampled_from(plain) | synthetic if plain else synthetic


def pathways(*, max_steps: int = 6, builtin: bool = True) -> st.SearchStrategy[Pathway]:
    """Valid pathways: the built-ins (when ``builtin``) or random DAGs of synthetic kinds.

    Edges only run from an earlier to a later step and requirements only name earlier
    steps, so every generated graph is acyclic.
    """
    if max_steps < 1:
        raise InvalidArgument(f"max_steps={max_steps!r} must be >= 1")

    @st.composite
    def build(draw: st.DrawFn) -> Pathway:
        n = draw(st.integers(1, max_steps))
        kinds: list[StepKind] = []
        for i in range(n):
            earlier = [k.code for k in kinds]
            kinds.append(draw(step_kinds(codes=st.just(f"s{i}"), requires=earlier, builtin=False)))
        edges = [
            (kinds[i].code, kinds[j].code)
            for i in range(n)
            for j in range(i + 1, n)
            if draw(st.booleans())
        ]
        return Pathway(
            code=draw(st.sampled_from(["food", "fashion", "craft"])),
            name=Text(id="Jalur uji", en="Test pathway"),
            sector=draw(st.sampled_from(_SECTORS)),
            steps=tuple(kinds),
            edges=tuple(edges),
        )

    if not builtin:
        return build()
    from umkm_core.followup.catalogue import BUILTIN_PATHWAYS  # noqa: PLC0415

    return st.sampled_from(BUILTIN_PATHWAYS) | build()


def _certificate_numbers(kind: StepKind, expires: dt.date | None) -> st.SearchStrategy[str | None]:
    rule = kind.certificate
    if rule.format is CertificateFormat.NONE:
        return st.none()
    if rule.format is CertificateFormat.PATTERN:
        assert rule.pattern is not None
        return st.none() | st.from_regex(rule.pattern, fullmatch=True)
    if rule.format is CertificateFormat.PIRT:
        year = f"{(expires.year if expires else 2030) % 100:02d}"
        return st.none() | pirt_numbers().map(lambda p: p.value[:13] + year)
    return st.none() | st.text("0123456789ABCDEF-/", min_size=4, max_size=20)


_GAPS = st.integers(0, 400)


def step_records(
    *,
    kinds: st.SearchStrategy[StepKind] | None = None,
    business_ids: st.SearchStrategy[str] = st.integers(1, 50).map(lambda n: f"B{n:09d}"),
    planned: st.SearchStrategy[dt.date] = st.dates(dt.date(2016, 1, 1), dt.date(2026, 12, 31)),
    statuses: st.SearchStrategy[StepStatus] | None = None,
) -> st.SearchStrategy[StepRecord]:
    """Step records reached by legal transitions, with plausible gaps between dates.

    :param kinds: a strategy for the step kind; by default the built-in kinds.
    :param business_ids: a strategy for business ids.
    :param planned: a strategy for the planning date.
    :param statuses: a strategy for the target status; granted records are sometimes
        renewed when their kind allows it.
    """
    if kinds is None:
        from umkm_core.followup.catalogue import BUILTIN_STEP_KINDS  # noqa: PLC0415

        kinds = st.sampled_from(BUILTIN_STEP_KINDS)
    targets = statuses if statuses is not None else step_statuses()

    @st.composite
    def build(draw: st.DrawFn) -> StepRecord:
        kind = draw(kinds)
        target = draw(targets)
        day = draw(planned)
        route = draw(st.sampled_from([r.code for r in kind.routes])) if kind.routes else None
        record = StepRecord.plan(business_id=draw(business_ids), kind=kind, on=day)
        if target is StepStatus.PLANNED:
            return record
        if target is StepStatus.WAIVED and draw(st.booleans()):
            return record.waive(day + dt.timedelta(days=draw(_GAPS)))
        day += dt.timedelta(days=draw(_GAPS))
        record = record.start(day)
        if target is StepStatus.IN_PROGRESS:
            return record
        day += dt.timedelta(days=draw(_GAPS))
        record = record.submit(day, route=route, evidence=draw(st.lists(_digits(6), max_size=2)))
        if target is StepStatus.SUBMITTED:
            return record
        day += dt.timedelta(days=draw(_GAPS))
        if target is StepStatus.WAIVED:
            return record.waive(day)
        if target is StepStatus.REJECTED:
            return record.reject(day)
        validity = kind.validity_on(day)
        start = record.submitted_on if validity.counted_from is TermStart.FILING else day
        assert start is not None
        number = draw(_certificate_numbers(kind, validity.expires_on(start)))
        record = record.grant(day, certificate_number=number)
        window = record.renewal_window()
        if window is not None and window[0] <= window[1] and draw(st.booleans()):
            opens, closes = window
            on = draw(st.dates(opens, closes))
            expires = record.expires_on
            assert expires is not None
            rule = kind.renewal_on(expires)
            continues = rule is not None and rule.new_term_from is TermStart.PREVIOUS_EXPIRY
            new_start = expires if continues else on
            number = draw(_certificate_numbers(kind, kind.validity_on(on).expires_on(new_start)))
            record = record.renew(on, certificate_number=number)
        return record

    return build()


def validity_rules() -> st.SearchStrategy[ValidityRule]:
    """Validity rules in force from a date (sometimes until a later one)."""

    @st.composite
    def build(draw: st.DrawFn) -> ValidityRule:
        start = draw(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
        until = draw(st.none() | st.dates(start, dt.date(2040, 12, 31)))
        return ValidityRule(
            validity=draw(_VALIDITIES),
            effective_from=start,
            effective_until=until,
            source=draw(st.sampled_from(["", "UU 33/2014", "PerBPOM 22/2018"])),
            verify=draw(st.booleans()),
        )

    return build()


def renewal_rules() -> st.SearchStrategy[RenewalRule]:
    """Renewal windows in force for expiries from a date (sometimes until a later one)."""

    @st.composite
    def build(draw: st.DrawFn) -> RenewalRule:
        start = draw(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
        until = draw(st.none() | st.dates(start, dt.date(2040, 12, 31)))
        return RenewalRule(
            window=draw(renewal_windows()),
            effective_from=start,
            effective_until=until,
            source=draw(st.sampled_from(["", "PerBPOM 22/2018", "PP 5/2021"])),
            verify=draw(st.booleans()),
        )

    return build()


def evidence_items() -> st.SearchStrategy[Evidence]:
    """Evidence a step asks for."""
    return st.sampled_from(["label_design", "site_inspection", "pkp_certificate", "photo"]).map(
        lambda code: Evidence(code=code, name=Text(id=f"Dokumen {code}", en=f"Document {code}"))
    )


def expected_durations() -> st.SearchStrategy[ExpectedDuration]:
    """Expected durations of 0 days to 2 years."""
    return st.tuples(st.integers(0, 730), st.integers(0, 730)).map(
        lambda pair: ExpectedDuration(min_days=min(pair), max_days=max(pair))
    )


def certificate_rules() -> st.SearchStrategy[CertificateRule]:
    """Certificate rules of every format."""
    return st.sampled_from(
        [
            CertificateRule.none(),
            CertificateRule.text(),
            CertificateRule(format=CertificateFormat.PATTERN, pattern=r"IDM\d{9}"),
            CertificateRule(format=CertificateFormat.PIRT),
        ]
    )


def nice_class_lists(
    *, sectors: st.SearchStrategy[str] = st.sampled_from(_SECTORS)
) -> st.SearchStrategy[NiceClasses]:
    """Nice classes (1-45) for a sector."""
    return st.builds(
        NiceClasses,
        sector=sectors,
        classes=st.lists(st.integers(1, 45), min_size=1, max_size=4, unique=True).map(tuple),
    )


def routes() -> st.SearchStrategy[Route]:
    """Routes through a step, with or without their own criteria."""
    return st.builds(
        Route,
        code=st.sampled_from(["regular", "self-declare", "express"]),
        name=st.just(Text(id="Jalur", en="Route")),
        criteria=st.lists(_CRITERIA_SETS, max_size=1).map(tuple),
        evidence=st.lists(evidence_items(), max_size=2).map(tuple),
        expected_duration=st.none() | expected_durations(),
    )


def terms() -> st.SearchStrategy[Term]:
    """Terms of a grant: issued on a date, valid from that date or up to a year before."""

    @st.composite
    def build(draw: st.DrawFn) -> Term:
        issued = draw(st.dates(dt.date(2010, 1, 1), dt.date(2030, 12, 31)))
        start = issued - dt.timedelta(days=draw(st.integers(0, 365)))
        number = draw(st.none() | st.text("0123456789ABCDEF-", min_size=4, max_size=16))
        return Term(issued_on=issued, valid_from=start, certificate_number=number)

    return build()


def certification_rules(
    *, kinds: st.SearchStrategy[str] = st.sampled_from(["pirt", "halal", "trademark", "pkp"])
) -> st.SearchStrategy[EligibilityRule]:
    """``holds_certificate`` and ``lacks_certificate`` rules over step codes ``kinds``."""
    return st.one_of(kinds.map(holds_certificate), kinds.map(lacks_certificate))
