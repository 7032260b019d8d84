"""The 2018 follow-up of the 2017 Tangerang cohort, played with step records.

In December 2017 the Bidang UMKM of Kota Tangerang trained 160 coached businesses in
two waves (food 19-20 Dec, fashion 21-22 Dec); here they are seated by the allocation
engine from 170 applicants. The office planned to follow up in 2018
with packaging quality, then halal certification, then trademark registration. This
test plays that follow-up with a plausible, fully deterministic set of records and
prints the office's impact report: the funnel of each wave at the end of 2018 and 2019.
"""

from __future__ import annotations

import datetime as dt
import statistics

from umkm_core import (
    NIB,
    Address,
    Allocation,
    Application,
    Business,
    Coaching,
    FinancialRecord,
    Funnel,
    Owner,
    Program,
    ProgramKind,
    StepKind,
    StepRecord,
    Wave,
    allocate,
    expiring,
    funnel,
    next_steps,
)
from umkm_core.followup import (
    FASHION_PATHWAY,
    HALAL,
    PACKAGING,
    TRADEMARK,
    Pathway,
    add_years,
)
from umkm_core.model.regions import TANGERANG_DISTRICTS
from umkm_core.rules import coached_by, sector_matches_wave
from umkm_core.text import Text

D = dt.date
FOOD_WAVE_END = D(2017, 12, 20)
FASHION_WAVE_END = D(2017, 12, 22)

#: The story's own plan for the food wave: packaging, then halal, then trademark.
FOLLOW_UP_2018 = Pathway.chain(
    code="tangerang-2018-food",
    name=Text(id="Tindak lanjut 2018: pangan", en="2018 follow-up: food"),
    sector="kuliner",
    steps=(PACKAGING, HALAL, TRADEMARK),
)

CITY_OFFICE = "dinkopukm-3671"
JAKARTA = dt.timezone(dt.timedelta(hours=7))


def programme_2017() -> Program:
    """The December 2017 training: a food wave and a fashion wave of 80 seats each."""
    waves = tuple(
        Wave.with_daily_sessions(
            number=n, sector=sector, start=start, end=start + dt.timedelta(days=1), seats=80
        )
        for n, sector, start in ((1, "kuliner", D(2017, 12, 19)), (2, "fesyen", D(2017, 12, 21)))
    )
    return Program(
        id="dinkopukm-3671-2017-pud",
        title="Pengembangan Produk Unggulan Daerah Berbasis Produk",
        office_id=CITY_OFFICE,
        year=2017,
        kind=ProgramKind.TRAINING,
        waves=waves,
        rules=(sector_matches_wave(), coached_by(CITY_OFFICE)),
    )


def applicant(pid: str, sector: str) -> Business:
    district = sorted(TANGERANG_DISTRICTS, key=str)[int(pid[1:]) % 13]
    return Business(
        id=pid,
        name=f"UMKM {pid}",
        owner=Owner(name="Pemilik"),
        address=Address(region=district),
        sector=sector,
        nib=NIB("9120001234567"),
        financials=(FinancialRecord(year=2017, annual_sales=180_000_000),),
        coached_by=(Coaching(office_id=CITY_OFFICE, since=D(2015, 1, 1)),),
    )


def allocation_2017() -> Allocation:
    """90 food and 80 fashion businesses apply; first come, first served."""
    register = [applicant(f"F{i:03d}", "kuliner") for i in range(1, 91)]
    register += [applicant(f"M{i:03d}", "fesyen") for i in range(1, 81)]
    opened = dt.datetime(2017, 12, 1, 8, 0, tzinfo=JAKARTA)
    apps = [
        Application(
            business_id=b.id,
            program_id="dinkopukm-3671-2017-pud",
            applied_at=opened + dt.timedelta(minutes=int(b.id[1:])),
        )
        for b in register
    ]
    return allocate(programme_2017(), apps, register, as_of=D(2017, 12, 15))


ALLOCATION = allocation_2017()
FOOD = list(ALLOCATION.seated(wave=1))
FASHION = list(ALLOCATION.seated(wave=2))


def _granted(
    pid: str,
    kind: StepKind,
    granted: dt.date,
    *,
    took: int,
    route: str | None = None,
    number: str | None = None,
) -> StepRecord:
    submitted = granted - dt.timedelta(days=took)
    record = StepRecord.plan(business_id=pid, kind=kind, on=submitted - dt.timedelta(days=14))
    record = record.start(submitted - dt.timedelta(days=7)).submit(submitted, route=route)
    return record.grant(granted, certificate_number=number)


def food_records() -> list[StepRecord]:
    records: list[StepRecord] = []
    reach: dict[int, dt.date] = {}
    for i in range(1, 65):  # 64 improve their packaging between February and April 2018
        reach[i] = D(2018, 2, 1) + dt.timedelta(days=2 * i)
        records.append(_granted(FOOD[i - 1], PACKAGING, reach[i], took=7))
    for i in range(65, 69):  # 4 already had compliant packaging: waived
        records.append(
            StepRecord.plan(business_id=FOOD[i - 1], kind=PACKAGING, on=D(2018, 1, 8)).waive(
                D(2018, 1, 10)
            )
        )
        reach[i] = D(2018, 1, 10)
    for i in range(69, 73):  # 4 still working on it at the end of 2018
        records.append(
            StepRecord.plan(business_id=FOOD[i - 1], kind=PACKAGING, on=D(2018, 1, 8)).start(
                D(2018, 3, 1)
            )
        )
    for i in [*range(1, 43), 65, 66]:  # 44 obtain halal through the regular path (LPPOM MUI)
        granted = reach[i] + dt.timedelta(days=90 + (i % 5) * 10)
        records.append(
            _granted(FOOD[i - 1], HALAL, granted, took=60, route="regular", number=f"MUI-{i:05d}")
        )
    for i in range(43, 47):  # 4 are refused (ingredients not traceable)
        submitted = reach[i] + dt.timedelta(days=30)
        record = StepRecord.plan(business_id=FOOD[i - 1], kind=HALAL, on=reach[i])
        record = record.start(reach[i] + dt.timedelta(days=1)).submit(submitted, route="regular")
        records.append(record.reject(submitted + dt.timedelta(days=45)))
    # F075 went for halal on its own without the packaging step: not counted along the path.
    records.append(_granted(FOOD[74], HALAL, D(2018, 6, 1), took=60, route="regular"))
    for i in range(1, 31):  # 30 file a trademark in October 2018; DJKI registers 24 in 2019
        filed = D(2018, 10, 1) + dt.timedelta(days=i)
        if i <= 24:
            granted = filed + dt.timedelta(days=240 + (i % 6) * 30)
            records.append(
                _granted(FOOD[i - 1], TRADEMARK, granted, took=(granted - filed).days,
                         number=f"IDM000{i:06d}")
            )  # fmt: skip
        else:
            record = StepRecord.plan(business_id=FOOD[i - 1], kind=TRADEMARK, on=D(2018, 9, 15))
            records.append(record.start(D(2018, 9, 20)).submit(filed))
    return records


def fashion_records() -> list[StepRecord]:
    records: list[StepRecord] = []
    for i in range(1, 51):  # 50 improve packaging and labels
        records.append(
            _granted(FASHION[i - 1], PACKAGING, D(2018, 2, 10) + dt.timedelta(days=i), took=10)
        )
    for i in range(1, 36):  # 35 file a trademark in August 2018; 28 registered in 2019
        filed = D(2018, 8, 1) + dt.timedelta(days=i)
        if i <= 28:
            granted = filed + dt.timedelta(days=300 + (i % 4) * 20)
            records.append(
                _granted(FASHION[i - 1], TRADEMARK, granted, took=(granted - filed).days)
            )
        else:
            record = StepRecord.plan(business_id=FASHION[i - 1], kind=TRADEMARK, on=D(2018, 7, 1))
            records.append(record.start(D(2018, 7, 10)).submit(filed))
    return records


def test_the_2017_programme_seated_80_food_and_80_fashion_businesses() -> None:
    assert [f"F{i:03d}" for i in range(1, 81)] == FOOD
    assert [f"M{i:03d}" for i in range(1, 81)] == FASHION
    assert len(ALLOCATION.waitlist) == 10


def test_the_2018_follow_up_funnel_of_the_2017_tangerang_cohort() -> None:
    food = food_records()
    fashion = fashion_records()

    # The participants come straight from the 2017 allocation (wave 1: food).
    food_2018 = funnel(FOOD, FOLLOW_UP_2018, food, D(2018, 12, 31), start=FOOD_WAVE_END)
    food_2019 = funnel(FOOD, FOLLOW_UP_2018, food, D(2019, 12, 31), start=FOOD_WAVE_END)
    fashion_2018 = funnel(
        FASHION, FASHION_PATHWAY, fashion, D(2018, 12, 31), start=FASHION_WAVE_END
    )
    fashion_2019 = funnel(
        FASHION, FASHION_PATHWAY, fashion, D(2019, 12, 31), start=FASHION_WAVE_END
    )
    for report in (food_2018, food_2019):
        print(report.format("en"), end="\n\n")
    for report in (fashion_2018, fashion_2019):
        print(report.format("id"), end="\n\n")

    def reached(f: Funnel) -> list[int]:
        return [row.reached for row in f.rows]

    # 64 granted + 4 waived packaging; 44 halal along the path (F075 skipped packaging).
    assert reached(food_2018) == [68, 44, 0]
    assert reached(food_2019) == [68, 44, 24]
    assert food_2018.row("packaging").waived == 4
    assert reached(fashion_2018) == [50, 0]
    assert reached(fashion_2019) == [50, 28]

    # Median days from the end of the training to improved packaging, computed by hand.
    packaging_days = [
        (r.granted_on - FOOD_WAVE_END).days
        for r in food
        if r.kind is PACKAGING and r.granted_on is not None
    ]
    assert food_2018.row("packaging").median_days == statistics.median(packaging_days)


def test_in_2018_halal_goes_the_regular_way_and_trademark_waits_for_it() -> None:
    food = food_records()
    business = applicant("F050", "kuliner")  # packaging done, halal not started
    result = next_steps(business, FOLLOW_UP_2018, food, D(2018, 6, 1))
    assert result.done == ("packaging",)
    (halal,) = result.available
    assert halal.routes == ("regular",)  # self-declare did not exist before UU 11/2020
    (trademark,) = result.blocked
    assert [(r.code, r.step) for r in trademark.reasons] == [("prerequisite.missing", "halal")]


def test_halal_certificates_of_2018_fall_due_in_2020() -> None:
    food = food_records()
    as_of = D(2020, 6, 1)
    due = expiring(food, dt.timedelta(days=180), as_of)
    expected = sorted(
        r.business_id
        for r in food
        if r.kind is HALAL
        and r.granted_on is not None
        and as_of <= add_years(r.granted_on, 2) <= as_of + dt.timedelta(days=180)
    )
    assert sorted(e.record.business_id for e in due) == expected
    assert expected
    # Under UU 33/2014 the extension is filed at least 3 months before expiry.
    assert all(e.can_renew_now == (as_of <= e.renewal_closes) for e in due if e.renewal_closes)
