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
from collections.abc import Sequence

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from umkm_core.allocation import (
    Application,
    FirstComeFirstServed,
    Lottery,
    Policy,
    PriorityTiers,
)
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
from umkm_core.model.program import Office, Program, ProgramKind, Session, Venue, Wave
from umkm_core.model.regions import regencies
from umkm_core.model.size import SizeClass
from umkm_core.rules import (
    CapacityRule,
    EligibilityRule,
    Rule,
    all_of,
    any_of,
    coached_by,
    district_quota,
    has_nib,
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

__all__ = [
    "addresses",
    "applications",
    "businesses",
    "capacity_rules",
    "coachings",
    "eligibility_rules",
    "financial_records",
    "held_certificates",
    "kblis",
    "nibs",
    "niks",
    "npwps",
    "offices",
    "owners",
    "phone_numbers",
    "pirt_numbers",
    "policies",
    "products",
    "programs",
    "region_codes",
    "rules",
    "sessions",
    "size_classes",
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
            code += f"{draw(st.integers(1, 30)):02d}"
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
    """Built-in eligibility rules, sometimes combined with all_of / any_of / not_."""
    base: st.SearchStrategy[EligibilityRule] = st.one_of(
        st.just(sector_matches_wave()),
        st.just(has_nib()),
        st.just(women_owned()),
        office_ids.map(coached_by),
        st.sampled_from(["36", "36.71", "36.71.05"]).map(located_in),
        st.sets(st.sampled_from(SizeClass), min_size=1).map(size_class_in),
        st.integers(1, 5).map(not_attended_within),
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
