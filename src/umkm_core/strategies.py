"""Hypothesis strategies for every public type of umkm_core.

Everything these strategies generate is valid, so a property test of your own rules can
start from realistic data::

    from hypothesis import given
    from umkm_core import strategies as ust

    @given(ust.businesses(within=RegionCode.parse("36.71")))
    def test_my_rule_never_crashes(business): ...

Once ``umkm-core[hypothesis]`` is installed, ``st.from_type(umkm_core.Business)`` works
too: the strategies are registered through Hypothesis's entry point.
All arguments are keyword-only; arguments that vary take strategies.
"""

from __future__ import annotations

import datetime as dt
import pathlib
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from umkm_core._plugins import Registry, load_registry
from umkm_core.adapters.exchange import Exporter, ExportOptions, ExportResult, Importer
from umkm_core.adapters.tables import Cell, Column, ColumnType, Table
from umkm_core.allocation import (
    Allocation,
    Application,
    Change,
    EnrollmentEvent,
    Enrollments,
    FirstComeFirstServed,
    Lottery,
    Policy,
    PriorityTiers,
    allocate,
)
from umkm_core.followup.conditions import (
    AnnualSalesAtMost,
    Condition,
    ConditionResult,
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
from umkm_core.followup.queries import (
    BlockedStep,
    Blocker,
    Expiry,
    Funnel,
    FunnelRow,
    NextSteps,
    StepOption,
    expiring,
    funnel,
    next_steps,
)
from umkm_core.followup.records import StepRecord, StepStatus, Term
from umkm_core.model.business import (
    Address,
    Business,
    Coaching,
    FinancialRecord,
    HeldCertificate,
    Owner,
    Product,
)
from umkm_core.model.identifiers import (
    KBLI,
    NIB,
    NIK,
    NPWP,
    KBLIEdition,
    PIRTNumber,
    RegionCode,
    RegionLevel,
    Sex,
)
from umkm_core.model.program import (
    Office,
    PastEnrollment,
    Program,
    ProgramKind,
    Session,
    Venue,
    Wave,
)
from umkm_core.model.regions import RegionList, regencies
from umkm_core.model.sectors import Sector
from umkm_core.model.size import SizeClass
from umkm_core.rules import (
    CapacityRule,
    DistrictQuota,
    EligibilityRule,
    HoldsCertificate,
    LacksCertificate,
    OneSeatPerBusiness,
    ReservedShare,
    Rule,
    RuleContext,
    RuleParam,
    TotalSeats,
    WaveSeats,
    all_of,
    any_of,
    coached_by,
    district_quota,
    has_nib,
    holds_certificate,
    lacks_certificate,
    located_in,
    not_,
    not_attended_within,
    one_seat_per_business,
    reserved_share,
    sector_matches_wave,
    size_class_in,
    total_seats,
    women_owned,
)
from umkm_core.rules.base import PARAM_TYPES
from umkm_core.text import Text

__all__ = [
    "addresses",
    "allocations",
    "applications",
    "blocked_steps",
    "blockers",
    "businesses",
    "capacity_rules",
    "cells",
    "certificate_rules",
    "certification_rules",
    "changes",
    "coachings",
    "columns",
    "condition_results",
    "conditions",
    "criteria_sets",
    "eligibility_rules",
    "enrollment_events",
    "enrollments",
    "evidence_items",
    "expected_durations",
    "expiries",
    "export_options",
    "export_results",
    "exporters",
    "financial_records",
    "funnel_rows",
    "funnels",
    "held_certificates",
    "importers",
    "kblis",
    "next_steps_answers",
    "nibs",
    "nice_class_lists",
    "niks",
    "npwps",
    "offices",
    "owners",
    "past_enrollments",
    "pathways",
    "phone_numbers",
    "pirt_numbers",
    "policies",
    "products",
    "programs",
    "region_codes",
    "registries",
    "renewal_rules",
    "renewal_windows",
    "roster_cells",
    "roster_rows",
    "routes",
    "rule_contexts",
    "rule_params",
    "rules",
    "sector_codes",
    "sectors",
    "sessions",
    "size_classes",
    "step_kinds",
    "step_options",
    "step_records",
    "step_statuses",
    "tables",
    "terms",
    "validities",
    "validity_rules",
    "venues",
    "waves",
]

#: KBLI 2020 codes that UMKM offices meet most (see docs/glossary).
COMMON_KBLI_2020 = (
    "10710", "10750", "10792", "10794", "10796", "10799", "11040", "56101", "56102",
    "56210", "14111", "14120", "14302", "13134", "15121", "15201", "16291", "16293", "32903",
)  # fmt: skip

_FIRST_NAMES = (
    "Siti", "Dewi", "Sri", "Nur", "Rina", "Ani", "Budi", "Agus", "Ahmad", "Andi",
    "Dedi", "Eko", "Hendra", "Joko", "Rudi", "Wahyu", "Yanti", "Lestari", "Putri", "Rizky",
)  # fmt: skip
_LAST_NAMES = (
    "Rahayu", "Wati", "Susanti", "Hidayat", "Saputra", "Santoso", "Setiawan", "Pratama",
    "Kurniawan", "Nugroho", "Lubis", "Siregar", "Hasibuan", "Wijaya", "Halim", "",
)  # fmt: skip
_PRODUCT_WORDS = (
    "Dodol", "Keripik", "Kue", "Sambal", "Batik", "Kaos", "Tas", "Sepatu", "Kerajinan",
    "Roti", "Kopi", "Sirup", "Bordir", "Anyaman", "Rendang", "Abon",
)  # fmt: skip
_SECTORS = ("kuliner", "fesyen", "kriya")


def _regency_codes() -> list[str]:
    return sorted(code.value for code in regencies())


def _check_region(within: RegionCode | None, name: str) -> None:
    if within is not None and not isinstance(within, RegionCode):
        raise InvalidArgument(f"{name}={within!r} must be a RegionCode or None")


@st.composite
def _digits(draw: st.DrawFn, n: int) -> str:
    return draw(st.text("0123456789", min_size=n, max_size=n))


def nibs() -> st.SearchStrategy[NIB]:
    """Valid NIBs (13 digits)."""
    return st.text("0123456789", min_size=13, max_size=13).map(NIB)


def region_codes(
    *, within: RegionCode | None = None, level: RegionLevel | None = None
) -> st.SearchStrategy[RegionCode]:
    """Valid Kemendagri region codes, optionally ``within`` a region and at ``level``.

    Regencies are drawn from the regencies python-stdnum knows, so a generated code can
    also stand in a NIK.
    """
    _check_region(within, "within")
    if level is not None and not isinstance(level, RegionLevel):
        raise InvalidArgument(f"level={level!r} must be a RegionLevel")
    if within is not None and level is not None and level < within.level:
        raise InvalidArgument(f"level={level!r} is above within={within}")
    sizes = {RegionLevel.PROVINCE: 2, RegionLevel.REGENCY: 4, RegionLevel.DISTRICT: 6}
    sizes[RegionLevel.VILLAGE] = 10
    target = sizes[level] if level is not None else None

    regency_pool = [c for c in _regency_codes() if within is None or c.startswith(within.value)]
    if within is not None and not regency_pool:
        regency_pool = [within.value[:4]] if len(within.value) >= 4 else []
    if not regency_pool:
        raise InvalidArgument(f"within={within} holds no regency known to python-stdnum")

    @st.composite
    def build(draw: st.DrawFn) -> RegionCode:
        code = draw(st.sampled_from(regency_pool))
        size = target or draw(st.sampled_from([2, 4, 6, 10]))
        if within is not None:
            size = max(size, len(within.value))
            code = within.value if len(within.value) > 4 else code
        if size > len(code) >= 4 and len(code) < 6:
            # Where the shipped list knows the districts (Kota Tangerang), use them.
            known = sorted(c for c in RegionList.builtin().codes if len(c) == 6 and c[:4] == code)
            code = (
                draw(st.sampled_from(known)) if known else code + f"{draw(st.integers(1, 30)):02d}"
            )
        if size > len(code) >= 6:
            code += f"{draw(st.sampled_from([1, 2]))}{draw(st.integers(1, 999)):03d}"
        return RegionCode(code[:size])

    return build()


def niks(
    *,
    within: RegionCode | None = None,
    sex: Sex | None = None,
    born_after: dt.date = dt.date(1945, 1, 1),
    born_before: dt.date = dt.date(2007, 12, 31),
) -> st.SearchStrategy[NIK]:
    """Valid NIKs, with a birth date between the bounds and optionally a fixed sex.

    Birth dates are limited to a window that the two-digit year decodes without doubt.
    """
    _check_region(within, "within")
    if born_after > born_before:
        raise InvalidArgument("born_after must not be later than born_before")
    if born_after.year < 1928 or born_before.year > 2025:
        raise InvalidArgument("birth dates must lie within 1928-2025 to decode unambiguously")

    @st.composite
    def build(draw: st.DrawFn) -> NIK:
        district = draw(region_codes(within=within, level=RegionLevel.DISTRICT))
        born = draw(st.dates(min_value=born_after, max_value=born_before))
        chosen = sex if sex is not None else draw(st.sampled_from(Sex))
        day = born.day + (40 if chosen is Sex.FEMALE else 0)
        serial = draw(st.integers(1, 9999))
        return NIK(f"{district.value}{day:02d}{born:%m%y}{serial:04d}")

    return build()


def _luhn_check_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return str((10 - total % 10) % 10)


def npwps(*, length: int | None = None) -> st.SearchStrategy[NPWP]:
    """Valid NPWPs: 15-digit, 16-digit with a leading 0, or 16-digit NIK-based."""
    if length not in (None, 15, 16):
        raise InvalidArgument(f"length={length!r} must be 15, 16 or None")

    @st.composite
    def legacy(draw: st.DrawFn) -> str:
        base = draw(_digits(8))
        return base + _luhn_check_digit(base) + draw(_digits(6))

    fifteen = legacy().map(NPWP)
    sixteen = legacy().map(lambda v: NPWP("0" + v)) | niks().map(lambda n: NPWP(n.value))
    if length == 15:
        return fifteen
    if length == 16:
        return sixteen
    return fifteen | sixteen


def kblis(*, edition: int | None = None) -> st.SearchStrategy[KBLI]:
    """Valid KBLI codes: mostly the common UMKM ones, sometimes any 5 digits."""
    if edition is not None and edition not in {e.value for e in KBLIEdition}:
        raise InvalidArgument(f"edition={edition!r} is not a KBLI edition")
    editions = st.just(KBLIEdition(edition)) if edition else st.sampled_from(KBLIEdition)
    codes = st.sampled_from(COMMON_KBLI_2020) | _digits(5)
    return st.builds(KBLI, codes, editions)


def pirt_numbers(*, within: RegionCode | None = None) -> st.SearchStrategy[PIRTNumber]:
    """Valid P-IRT numbers, optionally issued by a regency ``within`` a region."""

    @st.composite
    def build(draw: st.DrawFn) -> PIRTNumber:
        regency = draw(region_codes(within=within, level=RegionLevel.REGENCY))
        head = f"{draw(st.integers(1, 9))}{draw(_digits(2))}"
        tail = f"{draw(_digits(2))}{draw(_digits(4))}{draw(st.integers(15, 40)):02d}"
        return PIRTNumber(head + regency.value + tail)

    return build()


def phone_numbers() -> st.SearchStrategy[str]:
    """Indonesian mobile numbers in E.164 form (+628...)."""
    return st.builds(lambda rest: "+628" + rest, st.text("0123456789", min_size=8, max_size=11))


def size_classes() -> st.SearchStrategy[SizeClass]:
    """Any size class."""
    return st.sampled_from(SizeClass)


def _names() -> st.SearchStrategy[str]:
    return st.builds(
        lambda a, b: f"{a} {b}".strip(),
        st.sampled_from(_FIRST_NAMES),
        st.sampled_from(_LAST_NAMES),
    )


def owners(*, within: RegionCode | None = None) -> st.SearchStrategy[Owner]:
    """Owners with a synthetic name and, usually, a NIK and phone number."""

    @st.composite
    def build(draw: st.DrawFn) -> Owner:
        nik = draw(st.none() | niks(within=within))
        sex = (
            draw(st.none() | st.sampled_from(Sex))
            if nik is None
            else draw(st.none() | st.just(nik.sex))
        )
        return Owner(
            name=draw(_names()),
            nik=nik,
            sex=sex,
            phone=draw(st.none() | phone_numbers()),
        )

    return build()


def addresses(*, within: RegionCode | None = None) -> st.SearchStrategy[Address]:
    """Addresses at district or village level."""
    level = st.sampled_from([RegionLevel.DISTRICT, RegionLevel.VILLAGE])
    return st.builds(
        Address,
        region=level.flatmap(lambda lv: region_codes(within=within, level=lv)),
        street=st.builds(lambda n: f"Jl. Merdeka No. {n}", st.integers(1, 300)),
        postal_code=st.none() | _digits(5),
    )


def products() -> st.SearchStrategy[Product]:
    """Products with a name, a KBLI code (usually) and a flagship flag."""
    return st.builds(
        Product,
        name=st.builds(
            lambda a, b: f"{a} {b}", st.sampled_from(_PRODUCT_WORDS), st.sampled_from(_LAST_NAMES)
        ).map(str.strip),
        kbli=st.none() | kblis(),
        flagship=st.booleans(),
    )


_RUPIAH = st.integers(0, 60_000_000_000)


def financial_records(
    *,
    years: st.SearchStrategy[int] = st.integers(2008, 2026),
    annual_sales: st.SearchStrategy[int | None] = st.none() | _RUPIAH,
    net_assets: st.SearchStrategy[int | None] = st.none() | _RUPIAH,
    business_capital: st.SearchStrategy[int | None] = st.none() | _RUPIAH,
) -> st.SearchStrategy[FinancialRecord]:
    """Financial records in whole rupiah (unknown figures are ``None``)."""
    return st.builds(
        FinancialRecord,
        year=years,
        annual_sales=annual_sales,
        net_assets=net_assets,
        business_capital=business_capital,
    )


def coachings(
    *, offices: st.SearchStrategy[str] = st.sampled_from(["dinkopukm-3671", "dinkopukm-36"])
) -> st.SearchStrategy[Coaching]:
    """Coaching memberships (binaan) starting 2010-2026, some of them ended."""

    @st.composite
    def build(draw: st.DrawFn) -> Coaching:
        since = draw(st.dates(dt.date(2010, 1, 1), dt.date(2026, 12, 31)))
        until = draw(st.none() | st.dates(since, dt.date(2030, 12, 31)))
        return Coaching(office_id=draw(offices), since=since, until=until)

    return build()


def held_certificates(
    *, kinds: st.SearchStrategy[str] = st.sampled_from(["halal", "pirt", "trademark"])
) -> st.SearchStrategy[HeldCertificate]:
    """Certificates already held, with plausible numbers and dates."""

    @st.composite
    def build(draw: st.DrawFn) -> HeldCertificate:
        issued = draw(st.dates(dt.date(2010, 1, 1), dt.date(2026, 12, 31)))
        expires = draw(st.none() | st.dates(issued, dt.date(2040, 12, 31)))
        return HeldCertificate(
            kind=draw(kinds),
            number=draw(st.text("0123456789ABCDEF-", min_size=6, max_size=20)),
            issued_on=issued,
            expires_on=expires,
            issuer=draw(st.none() | st.sampled_from(["BPJPH", "DJKI", "Dinkes Kota Tangerang"])),
        )

    return build()


def _unique_year_records(records: Sequence[FinancialRecord]) -> tuple[FinancialRecord, ...]:
    seen: dict[int, FinancialRecord] = {}
    for record in records:
        seen.setdefault(record.year, record)
    return tuple(sorted(seen.values(), key=lambda r: r.year))


def businesses(
    *,
    ids: st.SearchStrategy[str] | None = None,
    within: RegionCode | None = None,
    sectors: st.SearchStrategy[str] = st.sampled_from(_SECTORS),
    financials: st.SearchStrategy[FinancialRecord] | None = None,
    coached_by: st.SearchStrategy[Coaching] | None = None,
    max_products: int = 3,
) -> st.SearchStrategy[Business]:
    """Valid businesses.

    :param ids: a strategy for ids; by default ``"B"`` followed by digits.
    :param within: a region that contains every generated address.
    :param sectors: a strategy for sector codes.
    :param financials: a strategy for one year's figures.
    :param coached_by: a strategy for coaching memberships.
    :param max_products: the most products a business gets.
    """
    _check_region(within, "within")
    if max_products < 0:
        raise InvalidArgument(f"max_products={max_products!r} must be >= 0")
    id_strategy = ids if ids is not None else st.integers(1, 10**9).map(lambda n: f"B{n:09d}")
    return st.builds(
        Business,
        id=id_strategy,
        name=st.builds(
            lambda w, n: f"UMKM {w} {n}".strip(),
            st.sampled_from(_PRODUCT_WORDS),
            st.sampled_from(_LAST_NAMES),
        ),
        owner=owners(within=within),
        address=addresses(within=within),
        sector=sectors,
        nib=st.none() | nibs(),
        npwp=st.none() | npwps(),
        kbli=st.lists(kblis(), max_size=3, unique=True).map(tuple),
        products=st.lists(products(), max_size=max_products).map(tuple),
        financials=st.lists(
            financials if financials is not None else financial_records(), max_size=4
        ).map(_unique_year_records),
        coached_by=st.lists(coached_by if coached_by is not None else coachings(), max_size=2).map(
            tuple
        ),
        certificates=st.lists(held_certificates(), max_size=2).map(tuple),
    )


def _register() -> None:
    """Register a strategy for every public type (called by the Hypothesis entry point)."""
    _register_results()
    st.register_type_strategy(NIB, nibs())
    st.register_type_strategy(NIK, niks())
    st.register_type_strategy(NPWP, npwps())
    st.register_type_strategy(KBLI, kblis())
    st.register_type_strategy(RegionCode, region_codes())
    st.register_type_strategy(PIRTNumber, pirt_numbers())
    st.register_type_strategy(Owner, owners())
    st.register_type_strategy(Address, addresses())
    st.register_type_strategy(Product, products())
    st.register_type_strategy(FinancialRecord, financial_records())
    st.register_type_strategy(Coaching, coachings())
    st.register_type_strategy(HeldCertificate, held_certificates())
    st.register_type_strategy(Business, businesses())
    # Follow-up certification steps.
    st.register_type_strategy(StepStatus, step_statuses())
    st.register_type_strategy(Validity, validities())
    st.register_type_strategy(RenewalWindow, renewal_windows())
    st.register_type_strategy(Condition, conditions())
    st.register_type_strategy(CriteriaSet, criteria_sets())
    st.register_type_strategy(StepKind, step_kinds())
    st.register_type_strategy(Pathway, pathways())
    st.register_type_strategy(StepRecord, step_records())
    _register_followup()
    _register_plugin_layer()


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


def condition_results() -> st.SearchStrategy[ConditionResult]:
    """Answers of a condition: passed, failed or to confirm."""
    return st.builds(
        ConditionResult,
        code=st.sampled_from(["has_nib", "size_class_in", "declared:low_risk"]),
        passed=st.none() | st.booleans(),
        text=st.just(Text(id="Alasan", en="Reason")),
    )


_BLOCKER_CODES = (
    "prerequisite.missing",
    "prerequisite.expired",
    "prerequisite.waived_not_enough",
    "condition.failed",
    "rules.not_in_force",
)


def blockers() -> st.SearchStrategy[Blocker]:
    """Reasons a step cannot start."""
    return st.builds(
        Blocker,
        code=st.sampled_from(_BLOCKER_CODES),
        text=st.just(Text(id="Alasan", en="Reason")),
        step=st.none() | st.sampled_from(["packaging", "pkp", "pirt", "halal"]),
        condition=st.none() | st.sampled_from(["has_nib", "annual_sales_at_most"]),
        route=st.none() | st.sampled_from(["regular", "self-declare"]),
    )


def step_options() -> st.SearchStrategy[StepOption]:
    """Steps offered to a business."""
    return st.builds(
        StepOption,
        kind=step_kinds(),
        closed_routes=st.lists(blockers(), max_size=2).map(tuple),
        to_confirm=st.lists(st.just(Text(id="Konfirmasi", en="Confirm")), max_size=2).map(tuple),
    )


def blocked_steps() -> st.SearchStrategy[BlockedStep]:
    """Steps that cannot start, each with one or more reasons."""
    return st.builds(
        BlockedStep,
        kind=step_kinds(),
        reasons=st.lists(blockers(), min_size=1, max_size=3).map(tuple),
    )


_AS_OF = st.dates(dt.date(2016, 1, 1), dt.date(2032, 12, 31))


def next_steps_answers() -> st.SearchStrategy[NextSteps]:
    """Answers of :func:`umkm_core.next_steps` for generated businesses and records."""

    @st.composite
    def build(draw: st.DrawFn) -> NextSteps:
        pathway = draw(pathways())
        business = draw(businesses(max_products=0))
        records = draw(
            st.lists(
                step_records(
                    kinds=st.sampled_from(pathway.steps), business_ids=st.just(business.id)
                ),
                max_size=5,
            )
        )
        return next_steps(business, pathway, records, draw(_AS_OF))

    return build()


def expiries() -> st.SearchStrategy[Expiry]:
    """Certificates due for renewal, found by :func:`umkm_core.expiring`."""
    from umkm_core.followup.catalogue import PIRT, TRADEMARK  # noqa: PLC0415

    @st.composite
    def build(draw: st.DrawFn) -> Expiry:
        record = draw(
            step_records(
                kinds=st.sampled_from([PIRT, TRADEMARK]),
                statuses=st.just(StepStatus.GRANTED),
            )
        )
        expires = record.expires_on
        assert expires is not None
        as_of = expires - dt.timedelta(days=draw(st.integers(0, 180)))
        as_of = max(as_of, record.terms[-1].issued_on)
        (found,) = expiring([record], dt.timedelta(days=180), as_of)
        return found

    return build()


def funnels(*, max_participants: int = 10) -> st.SearchStrategy[Funnel]:
    """Cohort funnels over generated pathways and records."""
    if max_participants < 0:
        raise InvalidArgument(f"max_participants={max_participants!r} must be >= 0")

    @st.composite
    def build(draw: st.DrawFn) -> Funnel:
        pathway = draw(pathways())
        ids = [f"B{i:03d}" for i in range(draw(st.integers(0, max_participants)))]
        records = (
            draw(
                st.lists(
                    step_records(
                        kinds=st.sampled_from(pathway.steps), business_ids=st.sampled_from(ids)
                    ),
                    max_size=15,
                )
            )
            if ids
            else []
        )
        start = draw(st.none() | st.dates(dt.date(2015, 1, 1), dt.date(2020, 12, 31)))
        return funnel(ids, pathway, records, draw(_AS_OF), start=start)

    return build()


def funnel_rows() -> st.SearchStrategy[FunnelRow]:
    """Rows of generated funnels."""
    return funnels().flatmap(lambda f: st.sampled_from(f.rows))


def certification_rules(
    *, kinds: st.SearchStrategy[str] = st.sampled_from(["pirt", "halal", "trademark", "pkp"])
) -> st.SearchStrategy[EligibilityRule]:
    """``holds_certificate`` and ``lacks_certificate`` rules over step codes ``kinds``."""
    return st.one_of(kinds.map(holds_certificate), kinds.map(lacks_certificate))


def _register_followup() -> None:
    st.register_type_strategy(ValidityRule, validity_rules())
    st.register_type_strategy(RenewalRule, renewal_rules())
    st.register_type_strategy(Evidence, evidence_items())
    st.register_type_strategy(ExpectedDuration, expected_durations())
    st.register_type_strategy(CertificateRule, certificate_rules())
    st.register_type_strategy(NiceClasses, nice_class_lists())
    st.register_type_strategy(Route, routes())
    st.register_type_strategy(Term, terms())
    st.register_type_strategy(ConditionResult, condition_results())
    for cls, strategy in _condition_strategies(st.sampled_from(_SECTORS)).items():
        st.register_type_strategy(cls, strategy)
    st.register_type_strategy(Blocker, blockers())
    st.register_type_strategy(StepOption, step_options())
    st.register_type_strategy(BlockedStep, blocked_steps())
    st.register_type_strategy(NextSteps, next_steps_answers())
    st.register_type_strategy(Expiry, expiries())
    st.register_type_strategy(Funnel, funnels())
    st.register_type_strategy(FunnelRow, funnel_rows())
    kinds = st.sampled_from(["pirt", "halal", "trademark", "pkp"])
    st.register_type_strategy(HoldsCertificate, kinds.map(holds_certificate))
    st.register_type_strategy(LacksCertificate, kinds.map(lacks_certificate))
    st.register_type_strategy(Office, offices())
    st.register_type_strategy(Venue, venues())
    st.register_type_strategy(Wave, waves())
    st.register_type_strategy(Session, sessions())
    st.register_type_strategy(Program, programs())
    st.register_type_strategy(Application, applications())
    st.register_type_strategy(FirstComeFirstServed, st.just(FirstComeFirstServed()))
    st.register_type_strategy(Lottery, st.integers(0, 2**32).map(lambda s: Lottery(seed=s)))
    st.register_type_strategy(
        PriorityTiers, policies().filter(lambda p: isinstance(p, PriorityTiers))
    )


# --- Programmes, waves and rules (issue 3) ------------------------------------------------

_INDONESIAN_ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
_INSTRUCTORS = ("Kementerian Koperasi dan UKM", "BPOM", "Dinas Kesehatan")
_TITLES = ("Pengembangan Produk Unggulan Daerah", "Pelatihan Kemasan", "Pendampingan Halal")


def offices(
    *, ids: st.SearchStrategy[str] = st.sampled_from(["dinkopukm-3671", "dinkopukm-36"])
) -> st.SearchStrategy[Office]:
    """Coaching offices with a region at province or regency level."""
    return st.builds(
        Office,
        id=ids,
        name=st.sampled_from(["Dinas Koperasi dan UKM", "Bidang UMKM"]),
        region=st.sampled_from([RegionLevel.PROVINCE, RegionLevel.REGENCY]).flatmap(
            lambda lv: region_codes(level=lv)
        ),
    )


def venues() -> st.SearchStrategy[Venue]:
    """A few venues, so that generated waves sometimes share one."""
    return st.builds(
        Venue,
        name=st.sampled_from(["Opp Room, Gedung Cisadane", "Aula Kecamatan", "Balai Latihan"]),
        address=st.just(""),
    )


def waves(
    *,
    numbers: st.SearchStrategy[int] = st.integers(1, 20),
    sectors: st.SearchStrategy[str] = st.sampled_from(_SECTORS),
    seats: st.SearchStrategy[int] = st.integers(1, 100),
    start_dates: st.SearchStrategy[dt.date] = st.dates(dt.date(2015, 1, 1), dt.date(2027, 12, 31)),
    max_days: int = 5,
) -> st.SearchStrategy[Wave]:
    """Valid waves with one session a day (09:00-15:00 local time by default).

    :param numbers: the wave number.
    :param sectors: the sector code.
    :param seats: the number of seats (values below 1 are refused by :class:`Wave`).
    :param start_dates: the first day.
    :param max_days: the longest wave, in days (at least 1).
    """
    if max_days < 1:
        raise InvalidArgument(f"max_days={max_days!r} must be >= 1")

    @st.composite
    def build(draw: st.DrawFn) -> Wave:
        start = draw(start_dates)
        length = draw(st.integers(0, max_days - 1))
        begin = draw(st.integers(7, 12))
        finish = draw(st.integers(begin + 1, 18))
        return Wave.with_daily_sessions(
            number=draw(numbers),
            sector=draw(sectors),
            start=start,
            end=start + dt.timedelta(days=length),
            seats=draw(seats),
            from_time=dt.time(begin),
            to_time=dt.time(finish),
            time_zone=draw(st.sampled_from(_INDONESIAN_ZONES)),
            venue=draw(st.none() | venues()),
            instructors=tuple(draw(st.lists(st.sampled_from(_INSTRUCTORS), max_size=2))),
        )

    return build()


def sessions() -> st.SearchStrategy[Session]:
    """Daily sessions, as generated waves hold them."""
    return waves().flatmap(lambda w: st.sampled_from(w.sessions))


def eligibility_rules(
    *, office_ids: st.SearchStrategy[str] = st.sampled_from(["dinkopukm-3671", "dinkopukm-36"])
) -> st.SearchStrategy[EligibilityRule]:
    """Built-in eligibility rules, sometimes combined with ``all_of`` / ``any_of`` / ``not_``."""
    base: st.SearchStrategy[EligibilityRule] = st.one_of(
        st.just(sector_matches_wave()),
        st.just(has_nib()),
        st.just(women_owned()),
        office_ids.map(coached_by),
        st.sampled_from(["36", "36.71", "36.71.05"]).map(located_in),
        st.sets(st.sampled_from(SizeClass), min_size=1).map(size_class_in),
        st.integers(1, 5).map(not_attended_within),
        certification_rules(),
    )
    return st.recursive(
        base,
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=3).map(lambda rs: all_of(*rs)),
            st.lists(inner, min_size=1, max_size=3).map(lambda rs: any_of(*rs)),
            inner.map(not_),
        ),
        max_leaves=4,
    )


def capacity_rules() -> st.SearchStrategy[CapacityRule]:
    """Built-in capacity rules: district quotas, reserved shares, caps."""
    return st.one_of(
        st.builds(district_quota, st.integers(1, 10), st.sampled_from(["wave", "program"])),
        st.builds(reserved_share, st.integers(1, 100), st.just(women_owned())),
        st.just(one_seat_per_business()),
        st.integers(1, 300).map(total_seats),
    )


def rules() -> st.SearchStrategy[Rule]:
    """Any built-in rule."""
    return st.one_of(eligibility_rules(), capacity_rules())


def programs(
    *,
    ids: st.SearchStrategy[str] | None = None,
    office_ids: st.SearchStrategy[str] = st.sampled_from(["dinkopukm-3671", "dinkopukm-36"]),
    kinds: st.SearchStrategy[ProgramKind] = st.sampled_from(ProgramKind),
    wave_sectors: st.SearchStrategy[str] = st.sampled_from(_SECTORS),
    seats: st.SearchStrategy[int] = st.integers(1, 100),
    max_waves: int = 4,
    rule_sets: st.SearchStrategy[Sequence[Rule]] | None = None,
) -> st.SearchStrategy[Program]:
    """Valid programmes with waves numbered 1..n.

    :param ids: programme ids; by default ``"P"`` followed by digits.
    :param office_ids: the office that runs it.
    :param kinds: the programme kind.
    :param wave_sectors: the sector of each wave.
    :param seats: the seats of each wave.
    :param max_waves: the most waves (at least 1).
    :param rule_sets: the programme's rules; by default up to three built-in rules.
    """
    if max_waves < 1:
        raise InvalidArgument(f"max_waves={max_waves!r} must be >= 1")
    id_strategy = ids if ids is not None else st.integers(1, 10**6).map(lambda n: f"P{n:06d}")
    rule_strategy = (
        rule_sets if rule_sets is not None else st.lists(rules(), max_size=3).map(tuple)
    )

    @st.composite
    def build(draw: st.DrawFn) -> Program:
        n = draw(st.integers(1, max_waves))
        generated = [
            draw(waves(numbers=st.just(i), sectors=wave_sectors, seats=seats))
            for i in range(1, n + 1)
        ]
        return Program(
            id=draw(id_strategy),
            title=draw(st.sampled_from(_TITLES)),
            office_id=draw(office_ids),
            year=generated[0].start.year,
            kind=draw(kinds),
            waves=tuple(generated),
            rules=tuple(draw(rule_strategy)),
        )

    return build()


# --- Roster import (umkm_core.adapters.roster) --------------------------------------------


def roster_cells() -> st.SearchStrategy[object]:
    """Anything a spreadsheet reader may hand over as a cell, junk included.

    Text (with Excel damage such as ``3.67E+15``), whole and decimal numbers, dates,
    booleans and blanks: an importer must refuse what it cannot read, never crash.
    """
    return st.one_of(
        st.none(),
        st.text(max_size=20),
        st.sampled_from(["", " ", "3.67105E+15", "9120001234567.0", "Rp1.500.000", "L", "P"]),
        st.integers(-(10**17), 10**17),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.dates(),
        st.datetimes(),
    )


def roster_rows(
    *,
    from_businesses: st.SearchStrategy[Business] | None = None,
    junk: bool = False,
) -> st.SearchStrategy[Mapping[str, object]]:
    """Roster rows (header -> cell) as offices keep them.

    :param from_businesses: the businesses written as rows (with Indonesian headers, see
        :func:`umkm_core.adapters.roster.roster_row`); coached businesses by default.
    :param junk: when true, rows whose headers are any column name or random text and
        whose cells come from :func:`roster_cells`.
    """
    from umkm_core.adapters.roster import COLUMNS, roster_row  # noqa: PLC0415 - keep imports light

    if junk:
        headers = st.sampled_from([a for c in COLUMNS for a in c.aliases]) | st.text(max_size=12)
        return st.dictionaries(headers, roster_cells(), max_size=25)
    source = from_businesses if from_businesses is not None else businesses()
    return source.map(roster_row)


# --------------------------------------------------------------------------------------
# Plugin layer: sectors and typed tables (issue 5)
# --------------------------------------------------------------------------------------

_UTC_OFFSETS = tuple(dt.timezone(dt.timedelta(hours=h)) for h in (0, 7, 8, 9))


def sector_codes() -> st.SearchStrategy[str]:
    """Codes as plugins register them (``"kuliner"``, ``"batik-tulis"``)."""
    return st.from_regex(r"[a-z][a-z0-9]{0,9}(-[a-z0-9]{1,6})?", fullmatch=True)


def _texts() -> st.SearchStrategy[Text]:
    word = st.text(st.characters(categories=("L", "N", "Zs")), min_size=1, max_size=20).filter(
        lambda s: bool(s.strip())
    )
    return st.builds(Text, id=word, en=word)


def sectors(*, codes: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Sector]:
    """Valid sectors with a few KBLI codes and Nice classes (no default pathways).

    :param codes: a strategy for sector codes.
    """
    return st.builds(
        Sector,
        code=codes if codes is not None else sector_codes(),
        name=_texts(),
        kbli=st.frozensets(kblis(), max_size=5),
        nice_classes=st.frozensets(st.integers(1, 45), max_size=4),
    )


def cells(
    column_type: ColumnType, *, text: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Cell]:
    """Valid non-empty cells of ``column_type``.

    :param column_type: the column type.
    :param text: a strategy for text cells (default: any text).
    """
    if not isinstance(column_type, ColumnType):
        raise InvalidArgument(f"column_type={column_type!r} must be a ColumnType")
    strategies: dict[ColumnType, st.SearchStrategy[Any]] = {
        ColumnType.TEXT: text if text is not None else st.text(),
        ColumnType.INTEGER: st.integers(-(10**20), 10**20),
        ColumnType.DECIMAL: st.decimals(allow_nan=False, allow_infinity=False, places=4),
        ColumnType.BOOLEAN: st.booleans(),
        # Spreadsheets count days from 1900 and get its first months wrong.
        ColumnType.DATE: st.dates(min_value=dt.date(1901, 1, 1)),
        ColumnType.DATETIME: st.datetimes(
            min_value=dt.datetime(1901, 1, 1), timezones=st.sampled_from(_UTC_OFFSETS)
        ),
    }
    return strategies[column_type]


def columns(
    *,
    names: st.SearchStrategy[str] | None = None,
    types: st.SearchStrategy[ColumnType] | None = None,
    personal: st.SearchStrategy[bool] | None = None,
) -> st.SearchStrategy[Column]:
    """Valid columns.

    :param names: a strategy for column names.
    :param types: a strategy for column types (default: any).
    :param personal: a strategy for the ``personal`` flag (default: either).
    """
    return st.builds(
        Column,
        name=names
        if names is not None
        else st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True),
        title=_texts(),
        type=types if types is not None else st.sampled_from(ColumnType),
        personal=personal if personal is not None else st.booleans(),
        nullable=st.just(True),
    )


def _any_columns() -> st.SearchStrategy[Column]:
    return columns()


@st.composite
def _tables(
    draw: st.DrawFn,
    column_strategy: st.SearchStrategy[Column],
    max_columns: int,
    max_rows: int,
    text: st.SearchStrategy[str] | None,
) -> Table:
    cols = draw(
        st.lists(column_strategy, min_size=1, max_size=max_columns, unique_by=lambda c: c.name)
    )
    row_strategy = st.tuples(*(st.none() | cells(c.type, text=text) for c in cols))
    rows = draw(st.lists(row_strategy, max_size=max_rows))
    name = draw(st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True))
    return Table(name=name, columns=tuple(cols), rows=rows)


def tables(
    *,
    columns: st.SearchStrategy[Column] | None = None,
    max_columns: int = 6,
    max_rows: int = 20,
    text: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Table]:
    """Valid tables whose rows are a list (so they can be iterated more than once).

    :param columns: a strategy for columns (names are made unique).
    :param max_columns: the most columns a table gets (at least 1).
    :param max_rows: the most rows a table gets.
    :param text: a strategy for text cells.
    """
    if max_columns < 1 or max_rows < 0:
        raise InvalidArgument(f"max_columns={max_columns!r} >= 1, max_rows={max_rows!r} >= 0")
    column_strategy = columns if columns is not None else _any_columns()
    return _tables(column_strategy, max_columns, max_rows, text)


def _register_plugin_layer() -> None:
    st.register_type_strategy(Sector, sectors())
    st.register_type_strategy(Column, columns())
    st.register_type_strategy(Table, tables())


_WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


def applications(
    *,
    business_ids: st.SearchStrategy[str] = st.integers(1, 50).map(lambda n: f"B{n:09d}"),
    program_ids: st.SearchStrategy[str] = st.just("P000001"),
    wave_numbers: Sequence[int] = (1, 2, 3),
    applied_between: tuple[dt.datetime, dt.datetime] = (
        dt.datetime(2017, 11, 1, tzinfo=_WIB),
        dt.datetime(2017, 11, 3, tzinfo=_WIB),
    ),
    tiers: st.SearchStrategy[int | None] = st.none() | st.integers(0, 3),
) -> st.SearchStrategy[Application]:
    """Applications with ordered wave preferences drawn from ``wave_numbers``.

    Application times fall on whole minutes within ``applied_between`` (aware datetimes),
    so ties happen and tie-breaking gets exercised.

    :param business_ids: the applicants.
    :param program_ids: the programme applied to.
    :param wave_numbers: the waves an applicant may list (possibly none: any wave).
    :param applied_between: the first and last possible application time.
    :param tiers: the priority tier.
    """
    first, last = applied_between
    if first.tzinfo is None or last.tzinfo is None or first > last:
        raise InvalidArgument("applied_between must be two aware datetimes, earliest first")
    minutes = int((last - first).total_seconds() // 60)
    return st.builds(
        Application,
        business_id=business_ids,
        program_id=program_ids,
        applied_at=st.integers(0, minutes).map(lambda m: first + dt.timedelta(minutes=m)),
        waves=st.lists(st.sampled_from(tuple(wave_numbers)), unique=True, max_size=3).map(tuple)
        if wave_numbers
        else st.just(()),
        tier=tiers,
    )


def policies() -> st.SearchStrategy[Policy]:
    """First come first served, priority tiers, and seeded lotteries."""
    lotteries = st.integers(0, 2**32).map(lambda seed: Lottery(seed=seed))
    return st.one_of(
        st.just(FirstComeFirstServed()),
        lotteries,
        st.builds(PriorityTiers, within=st.just(FirstComeFirstServed()) | lotteries),
    )


# Keep this call last: every strategy above must exist when it runs.
# --- Results and plumbing: allocations, enrollments, contexts, plugin records -------------


def past_enrollments(
    *,
    business_ids: st.SearchStrategy[str] = st.integers(1, 50).map(lambda n: f"B{n:09d}"),
) -> st.SearchStrategy[PastEnrollment]:
    """Earlier enrollments (the history ``not_attended_within`` reads)."""
    return st.builds(
        PastEnrollment,
        business_id=business_ids,
        program_id=st.integers(1, 999).map(lambda n: f"P{n:06d}"),
        kind=st.sampled_from(ProgramKind),
        ended_on=st.dates(dt.date(2010, 1, 1), dt.date(2026, 12, 31)),
    )


@st.composite
def _allocation_inputs(
    draw: st.DrawFn, max_applications: int
) -> tuple[Program, list[Business], list[Application]]:
    program = draw(programs())
    count = draw(st.integers(1, 12))
    ids = [f"B{n:09d}" for n in range(1, count + 1)]
    register = [
        draw(businesses(ids=st.just(i), sectors=st.sampled_from(_SECTORS), max_products=1))
        for i in ids
    ]
    apps = draw(
        st.lists(
            applications(
                business_ids=st.sampled_from(ids),
                program_ids=st.just(program.id),
                wave_numbers=program.wave_numbers,
            ),
            max_size=max_applications,
        )
    )
    return program, register, apps


def allocations(*, max_applications: int = 20) -> st.SearchStrategy[Allocation]:
    """Allocations of generated programmes, registers and applications, under any policy."""
    if max_applications < 0:
        raise InvalidArgument(f"max_applications={max_applications!r} must be >= 0")
    return st.builds(
        lambda inputs, policy, as_of: allocate(
            inputs[0], inputs[2], inputs[1], as_of=as_of, policy=policy
        ),
        _allocation_inputs(max_applications),
        policies(),
        st.dates(dt.date(2015, 1, 1), dt.date(2027, 12, 31)),
    )


def enrollments() -> st.SearchStrategy[Enrollments]:
    """Enrollment states straight after an allocation."""
    return allocations().map(Enrollments.from_allocation)


def _confirm_first(state: Enrollments) -> Change:
    seated = state.seated()
    at = dt.datetime(2017, 12, 1, 9, tzinfo=dt.UTC)
    if seated:
        return state.confirm(next(iter(seated)), at=at, by="petugas")
    return Change(state=state, events=())


def changes() -> st.SearchStrategy[Change]:
    """Results of an enrollment operation (a confirmation, or nothing to do)."""
    return enrollments().map(_confirm_first)


def rule_contexts() -> st.SearchStrategy[RuleContext]:
    """What a rule sees: a business, a programme and an as-of date."""
    return st.builds(
        lambda business, program, as_of: RuleContext(
            business=business, program=program, as_of=as_of
        ),
        businesses(max_products=1),
        programs(),
        st.dates(dt.date(2015, 1, 1), dt.date(2027, 12, 31)),
    )


def export_options() -> st.SearchStrategy[ExportOptions]:
    """Every combination of delimiter, header style and language."""
    return st.builds(
        ExportOptions,
        delimiter=st.sampled_from([",", ";", "\t"]),
        header=st.sampled_from(["title", "name"]),
        lang=st.sampled_from(["id", "en"]),
    )


def registries() -> st.SearchStrategy[Registry]:
    """The registry of the built-in plugins (entry points are not loaded)."""
    return st.builds(lambda: load_registry(autoload=False))


def exporters() -> st.SearchStrategy[Exporter]:
    """The built-in exporters."""
    return registries().flatmap(lambda r: st.sampled_from(sorted(r.exporters.values(), key=str)))


def importers() -> st.SearchStrategy[Importer]:
    """The built-in importers."""
    return registries().flatmap(lambda r: st.sampled_from(sorted(r.importers.values(), key=str)))


def export_results() -> st.SearchStrategy[ExportResult]:
    """What an export reports: the file written, the exporter and the row count."""
    return st.builds(
        ExportResult,
        path=st.from_regex(r"out/[a-z]{1,8}\.(csv|json|jsonl|xlsx)", fullmatch=True).map(
            pathlib.Path
        ),
        exporter=st.sampled_from(["csv", "json", "jsonl", "xlsx"]),
        rows=st.integers(0, 10**6),
    )


def rule_params() -> st.SearchStrategy[RuleParam]:
    """Documented rule parameters of every declarable type."""
    return st.builds(
        RuleParam,
        name=st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True),
        type=st.sampled_from(sorted(PARAM_TYPES)),
        description=st.just(Text("parameter", "parameter")),
        required=st.booleans(),
    )


def enrollment_events() -> st.SearchStrategy[EnrollmentEvent]:
    """Audit events of the roster: aware times, a named actor, a business and a wave."""
    return st.builds(
        EnrollmentEvent,
        what=st.sampled_from(
            ["confirmed", "withdrawn", "promoted", "attended", "no_show", "completed"]
        ),
        business_id=st.from_regex(r"B[0-9]{1,4}", fullmatch=True),
        wave=st.none() | st.integers(1, 5),
        at=st.datetimes(
            min_value=dt.datetime(2000, 1, 1),
            max_value=dt.datetime(2100, 1, 1),
            timezones=st.sampled_from(_UTC_OFFSETS),
        ),
        by=st.sampled_from(["petugas-1", "admin", "B1"]),
        day=st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
        text=st.just(Text("Kursi dikonfirmasi", "Seat confirmed")),
    )


def _capacity_rules_of(cls: type[CapacityRule]) -> st.SearchStrategy[CapacityRule]:
    return capacity_rules().filter(lambda rule: isinstance(rule, cls))


def _register_results() -> None:
    st.register_type_strategy(PastEnrollment, past_enrollments())
    st.register_type_strategy(Allocation, allocations())
    st.register_type_strategy(Enrollments, enrollments())
    st.register_type_strategy(Change, changes())
    st.register_type_strategy(EnrollmentEvent, enrollment_events())
    st.register_type_strategy(RuleParam, rule_params())
    st.register_type_strategy(RuleContext, rule_contexts())
    st.register_type_strategy(ExportOptions, export_options())
    st.register_type_strategy(Registry, registries())
    st.register_type_strategy(Exporter, exporters())
    st.register_type_strategy(Importer, importers())
    st.register_type_strategy(ExportResult, export_results())
    st.register_type_strategy(CapacityRule, capacity_rules())
    st.register_type_strategy(WaveSeats, st.just(WaveSeats()))
    for cls in (DistrictQuota, ReservedShare, OneSeatPerBusiness, TotalSeats):
        st.register_type_strategy(cls, _capacity_rules_of(cls))


# When this module is imported before Hypothesis, Hypothesis's entry point runs while this
# module is half built and leaves the registration to it (see _hypothesis_plugin.py).
# Registering twice is harmless: the later registration replaces the earlier one.
_register()
