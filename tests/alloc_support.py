"""Small builders shared by the programme, rule and allocation tests."""

from __future__ import annotations

import datetime as dt

from umkm_core import (
    NIB,
    Address,
    Business,
    Coaching,
    FinancialRecord,
    Owner,
    PastEnrollment,
    Program,
    ProgramKind,
    RegionCode,
    Sex,
    Wave,
)
from umkm_core.rules import Rule

CITY_OFFICE = "dinkopukm-3671"
JAKARTA = dt.timezone(dt.timedelta(hours=7))


def business(
    id: str = "B1",
    *,
    sector: str = "kuliner",
    district: str = "36.71.05",
    nib: bool = True,
    coached_since: dt.date | None = dt.date(2015, 1, 1),
    office: str = CITY_OFFICE,
    sales: int | None = 200_000_000,
    sex: Sex | None = Sex.FEMALE,
) -> Business:
    """A business in Kota Tangerang, coached by the city office unless told otherwise."""
    return Business(
        id=id,
        name=f"UMKM {id}",
        owner=Owner(name="Siti Rahayu", sex=sex),
        address=Address(region=RegionCode.parse(district)),
        sector=sector,
        nib=NIB("1234567890123") if nib else None,
        financials=(FinancialRecord(year=2016, annual_sales=sales),) if sales is not None else (),
        coached_by=(Coaching(office_id=office, since=coached_since),) if coached_since else (),
    )


def program(*rules: Rule, seats: tuple[int, ...] = (80, 80), id: str = "P2017") -> Program:
    """A 2017 training programme with a food wave and a fashion wave."""
    sectors = ("kuliner", "fesyen", "kriya", "kuliner", "fesyen")
    waves = tuple(
        Wave.with_daily_sessions(
            number=i + 1,
            sector=sectors[i],
            start=dt.date(2017, 12, 19) + dt.timedelta(days=2 * i),
            end=dt.date(2017, 12, 20) + dt.timedelta(days=2 * i),
            seats=n,
        )
        for i, n in enumerate(seats)
    )
    return Program(
        id=id,
        title="Pengembangan Produk Unggulan Daerah Berbasis Produk",
        office_id=CITY_OFFICE,
        year=2017,
        kind=ProgramKind.TRAINING,
        waves=waves,
        rules=rules,
    )


def past(
    business_id: str, ended_on: dt.date, kind: ProgramKind = ProgramKind.TRAINING
) -> PastEnrollment:
    """An earlier enrollment."""
    return PastEnrollment(
        business_id=business_id, program_id="P-OLD", kind=kind, ended_on=ended_on
    )
