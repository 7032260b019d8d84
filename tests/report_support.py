"""The Kota Tangerang 2017 programme, built from ``examples/tangerang-2017`` as the demo does.

Shared by the fairness-audit, report and browser tests: the roster is imported, the
applications read and the programme allocated once per test session.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from pathlib import Path

import attrs

from umkm_core import Allocation, Business, StepRecord, allocate
from umkm_core.adapters.application_rows import read_applications
from umkm_core.adapters.followup_plan import FollowupPlan, load_followup_plan
from umkm_core.adapters.program_file import load_program_file
from umkm_core.adapters.roster import import_roster
from umkm_core.followup import HALAL, PACKAGING, TRADEMARK

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tangerang-2017"
OFFICE = "dinkopukm-3671"


@attrs.frozen(kw_only=True)
class TangerangRun:
    allocation: Allocation
    businesses: dict[str, Business] = attrs.field(repr=False)
    plan: FollowupPlan


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        sample = f.readline()
        f.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        return list(enumerate(csv.DictReader(f, delimiter=delimiter), start=2))


@functools.cache
def tangerang_2017() -> TangerangRun:
    """The reference programme allocated from the example files (cached)."""
    report = import_roster(_rows(EXAMPLE / "roster.csv"), office_id=OFFICE)
    parsed = load_program_file(EXAMPLE / "program.toml")
    program = parsed.program
    applications = read_applications(
        _rows(EXAMPLE / "applications.csv"), program_id=program.id
    ).applications
    as_of = parsed.as_of or min(w.start for w in program.waves)
    businesses = {b.id: b for b in report.businesses}
    allocation = allocate(program, applications, businesses, as_of=as_of, policy=parsed.policy)
    return TangerangRun(
        allocation=allocation,
        businesses=businesses,
        plan=load_followup_plan(EXAMPLE / "followup.toml"),
    )


AS_OF = dt.date(2017, 12, 8)


def followup_records(run: TangerangRun) -> tuple[StepRecord, ...]:
    """A plausible, deterministic 2018 follow-up of the seated businesses.

    Every participant plans packaging in January 2018; about three in four get it by
    spring. Food businesses then go for halal (self-declare), about half granted by
    mid-2018; some file a trademark. Nothing here is random: the i-th participant's
    path depends on i alone.
    """
    records: list[StepRecord] = []
    seated = run.allocation.seated()
    for i, business_id in enumerate(seated):
        business = run.businesses[business_id]
        day = dt.date(2018, 1, 2) + dt.timedelta(days=i % 20)
        packaging = StepRecord.plan(business_id=business_id, kind=PACKAGING, on=day)
        if i % 4 == 3:
            records.append(packaging.start(day + dt.timedelta(days=7)))
            continue
        granted = day + dt.timedelta(days=40 + i % 30)
        records.append(
            packaging.start(day + dt.timedelta(days=5))
            .submit(granted - dt.timedelta(days=10))
            .grant(granted)
        )
        if business.sector == "kuliner" and i % 2 == 0:
            halal = StepRecord.plan(business_id=business_id, kind=HALAL, on=granted)
            done = granted + dt.timedelta(days=60 + i % 45)
            records.append(
                halal.start(granted + dt.timedelta(days=3))
                .submit(done - dt.timedelta(days=30), route="self-declare")
                .grant(done)
            )
            if i % 6 == 0:
                records.append(
                    StepRecord.plan(business_id=business_id, kind=TRADEMARK, on=done)
                    .start(done + dt.timedelta(days=2))
                    .submit(done + dt.timedelta(days=20))
                )
        elif business.sector == "fesyen" and i % 3 == 0:
            records.append(
                StepRecord.plan(business_id=business_id, kind=TRADEMARK, on=granted)
                .start(granted + dt.timedelta(days=2))
                .submit(granted + dt.timedelta(days=15))
            )
    return tuple(records)
