"""Strategies for businesses and their parts: owners, addresses, products, figures, offices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

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
    RegionCode,
    RegionLevel,
    Sex,
)
from umkm_core.model.program import (
    Office,
)
from umkm_core.strategies._internal.identifiers import (
    _FIRST_NAMES,
    _LAST_NAMES,
    _PRODUCT_WORDS,
    _SECTORS,
    _check_region,
    _digits,
    kblis,
    nibs,
    niks,
    npwps,
    phone_numbers,
    region_codes,
)


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
