"""Follow-up queries at the scale of a city office.

A city office coaches about 10,000 businesses (Kota Tangerang: 10,555). This script
builds one food-pathway history per business (about 32,000 step records), then times
``next_steps`` for every business, ``expiring`` over all records and ``funnel`` over
the whole register. It prints its figures; it asserts nothing about speed.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

from umkm_core import NIB, Address, Business, FinancialRecord, Owner, StepRecord
from umkm_core.followup import FOOD_PATHWAY, expiring, funnel, next_steps
from umkm_core.model.regions import TANGERANG_DISTRICTS

N = 10_000
AS_OF = dt.date(2024, 6, 30)


def build(rng: random.Random) -> tuple[list[Business], list[StepRecord]]:
    districts = sorted(TANGERANG_DISTRICTS, key=str)
    businesses: list[Business] = []
    records: list[StepRecord] = []
    for i in range(N):
        bid = f"B{i:06d}"
        businesses.append(
            Business(
                id=bid,
                name=f"UMKM {i}",
                owner=Owner(name="Pemilik"),
                address=Address(region=districts[i % len(districts)]),
                sector="kuliner",
                nib=NIB(f"{9120000000000 + i}") if rng.random() < 0.8 else None,
                financials=(FinancialRecord(year=2023, annual_sales=rng.randint(0, 3 * 10**9)),),
            )
        )
        day = dt.date(2018, 1, 8) + dt.timedelta(days=rng.randint(0, 1500))
        for kind in FOOD_PATHWAY.order:
            if rng.random() < 0.25:
                break
            record = StepRecord.plan(business_id=bid, kind=kind, on=day)
            record = record.start(day + dt.timedelta(days=3)).submit(
                day + dt.timedelta(days=20), route=kind.routes[0].code if kind.routes else None
            )
            day += dt.timedelta(days=rng.randint(30, 200))
            records.append(record.grant(day))
            day += dt.timedelta(days=rng.randint(0, 60))
    return businesses, records


def timed(label: str, fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<52} {best * 1000:>9.1f} ms")
    return best


def main() -> None:
    rng = random.Random(2017)
    start = time.perf_counter()
    businesses, records = build(rng)
    print(f"built {len(businesses):,} businesses and {len(records):,} step records "
          f"in {time.perf_counter() - start:.2f} s")  # fmt: skip
    by_business: dict[str, list[StepRecord]] = {}
    for record in records:
        by_business.setdefault(record.business_id, []).append(record)

    def all_next_steps() -> None:
        for b in businesses:
            next_steps(b, FOOD_PATHWAY, by_business.get(b.id, []), AS_OF)

    seconds = timed(f"next_steps for {N:,} businesses", all_next_steps)
    print(f"{'  per business':<52} {seconds / N * 1e6:>9.1f} us")
    timed(f"expiring over {len(records):,} records (180 days)",
          lambda: expiring(records, dt.timedelta(days=180), AS_OF))  # fmt: skip
    ids = [b.id for b in businesses]
    timed(f"funnel of {N:,} participants", lambda: funnel(ids, FOOD_PATHWAY, records, AS_OF))
    print(funnel(ids, FOOD_PATHWAY, records, AS_OF).format("en"))


if __name__ == "__main__":
    main()
