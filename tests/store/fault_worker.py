"""A process the fault test kills: a big import, or a big allocation run being recorded.

``python fault_worker.py import URL ROSTER MARKER [--stall]`` imports a roster through
the service; ``python fault_worker.py run URL MARKER [--stall]`` records an allocation
run of many decisions with its roster, as ``allocate_programme`` does. With
``--stall`` it writes ``MARKER`` half way, while its transaction is open, and waits
there to be killed; without it, it runs to the end.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from umkm_core._plugins import load_registry
from umkm_core.adapters.sql import SqlStore
from umkm_core.allocation import Enrollment, EnrollmentStatus
from umkm_core.model.application import Application
from umkm_core.services import Listener, import_roster
from umkm_core.store import EnrollmentState, RecordedDecision, RecordedRun
from umkm_core.text import Text

RUN_ID = "run-fault"
PROGRAM = "P-FAULT"
DECISIONS = 9_000
AT = dt.datetime(2017, 12, 8, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def stall(marker: Path) -> None:
    marker.write_text("half way\n", encoding="utf-8")
    time.sleep(120)
    raise SystemExit("not killed in time")


def do_import(url: str, roster: Path, marker: Path, stalling: bool) -> None:
    def progress(task: Text, done: int, total: int | None) -> None:
        if stalling and done >= 1000:
            stall(marker)

    with SqlStore(url) as store:
        import_roster(
            store,
            roster,
            by="clerk",
            at=AT,
            registry=load_registry(autoload=False),
            office_id="dinkopukm-3671",
            listener=Listener(progress=progress),
        )


def big_run() -> tuple[RecordedRun, EnrollmentState]:
    apps = tuple(
        Application(
            business_id=f"B{i:05d}", program_id=PROGRAM, applied_at=AT - dt.timedelta(seconds=i)
        )
        for i in range(DECISIONS)
    )
    decisions = tuple(
        RecordedDecision(
            business_id=a.business_id,
            applied_at=a.applied_at,
            status="accepted" if i < 160 else "waitlisted",
            wave=1 if i < 160 else None,
            position=None if i < 160 else i - 159,
        )
        for i, a in enumerate(apps)
    )
    run = RecordedRun(
        run_id=RUN_ID,
        program_id=PROGRAM,
        programme_source="[program]\n",
        programme_digest="0" * 64,
        as_of=AT.date(),
        policy={"policy": "fcfs"},
        engine_version="test",
        inputs={"applications": "1" * 64},
        applications=apps,
        business_versions={a.business_id: 1 for a in apps},
        decisions=decisions,
        recorded_at=AT,
        by="kabid",
    )
    entries = tuple(
        Enrollment(
            application=a,
            status=EnrollmentStatus.OFFERED if i < 160 else EnrollmentStatus.WAITLISTED,
            wave=1 if i < 160 else None,
        )
        for i, a in enumerate(apps)
    )
    return run, EnrollmentState(program_id=PROGRAM, run_id=RUN_ID, entries=entries)


def do_run(url: str, marker: Path, stalling: bool) -> None:
    run, state = big_run()
    with SqlStore(url) as store:
        batches = 0

        @event.listens_for(store.engine, "after_cursor_execute")
        def after(conn: sa.Connection, cursor: Any, statement: str, *args: object) -> None:
            nonlocal batches
            if "run_decisions" in statement and statement.lstrip().upper().startswith("INSERT"):
                batches += 1
                if stalling and batches == 2:
                    stall(marker)

        with store.unit_of_work(by="kabid", at=AT) as uow:
            uow.lock_programme(PROGRAM)
            uow.runs.add(run)
            uow.enrollments.put(state)
            uow.commit()


if __name__ == "__main__":
    mode, url = sys.argv[1], sys.argv[2]
    stalling = sys.argv[-1] == "--stall"
    if mode == "import":
        do_import(url, Path(sys.argv[3]), Path(sys.argv[4]), stalling)
    else:
        do_run(url, Path(sys.argv[3]), stalling)
