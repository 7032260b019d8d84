"""One process of the store stress test: random seat operations through the services.

Run as ``python stress_worker.py URL WORKER OPERATIONS OUT.json``: it performs
``OPERATIONS`` random operations (apply, allocate, confirm, withdraw, attend, late add)
on the programmes of :func:`setup`, each one whole unit of work retried while the
database is busy, and writes one line of JSON per operation: what it was, and whether
it was committed (with how many enrolment events) or refused (with the typed error's
code). Anything else is written as ``"crash"`` with the exception's type, and the test
fails on it.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alloc_support import business
from umkm_core._plugins import Registry, load_registry
from umkm_core.adapters.sql import SqlStore, with_retries
from umkm_core.errors import UmkmError
from umkm_core.model.application import Application
from umkm_core.services import (
    allocate_programme,
    attend,
    confirm,
    register_programme,
    withdraw,
)

PROGRAMMES = ("stress-a", "stress-b")
#: Seats per wave: few, so that processes fight over the last ones.
SEATS = 3
BUSINESSES = 24
#: How many of them applied (and were allocated) before the workers start.
APPLIED = 16
JAKARTA = dt.timezone(dt.timedelta(hours=7))
T0 = dt.datetime(2017, 11, 20, 8, tzinfo=JAKARTA)
DAYS = {
    1: (dt.date(2017, 12, 19), dt.date(2017, 12, 20)),
    2: (dt.date(2017, 12, 21), dt.date(2017, 12, 22)),
}
#: A worker stops starting operations after this long, whatever is left.
DEADLINE_S = 400.0

PROGRAMME = """schema = 1

[program]
id = "{id}"
title = "Uji beban"
office_id = "dinkopukm-3671"
year = 2017
kind = "pelatihan"

[[waves]]
number = 1
sector = "kuliner"
start = 2017-12-19
end = 2017-12-20
seats = {seats}
daily = {{ from = 09:00:00, to = 15:00:00, time_zone = "Asia/Jakarta" }}

[[waves]]
number = 2
sector = "fesyen"
start = 2017-12-21
end = 2017-12-22
seats = {seats}
daily = {{ from = 09:00:00, to = 15:00:00, time_zone = "Asia/Jakarta" }}

[[rules]]
rule = "coached_by"
office_id = "dinkopukm-3671"

[[rules]]
rule = "sector_matches_wave"

[[rules]]
rule = "one_seat_per_business"

[allocation]
policy = "fcfs"
as_of = 2017-12-08
"""


def business_ids() -> list[str]:
    return [f"S{i:03d}" for i in range(BUSINESSES)]


def sector_of(business_id: str) -> str:
    return "kuliner" if int(business_id[1:]) % 2 == 0 else "fesyen"


def setup(url: str, registry: Registry) -> None:
    """The register and the programmes every worker acts on."""
    with SqlStore(url) as store:
        with store.unit_of_work(by="setup", at=T0) as uow:
            for b in business_ids():
                uow.businesses.add(business(b, sector=sector_of(b)))
            uow.commit()
        for program_id in PROGRAMMES:
            register_programme(
                store,
                f"{program_id}.toml",
                text=PROGRAMME.format(id=program_id, seats=SEATS),
                by="setup",
                at=T0,
                registry=registry,
            )
            for minute, business_id in enumerate(business_ids()[:APPLIED]):
                _apply(store, program_id, business_id, minute)
            allocate_programme(
                store, program_id, by="setup", at=T0, run_id=f"{program_id}-0", registry=registry
            )


def _apply(store: SqlStore, program_id: str, business_id: str, minute: int) -> str:
    app = Application(
        business_id=business_id,
        program_id=program_id,
        applied_at=T0 + dt.timedelta(minutes=minute),
    )
    with store.unit_of_work(by=f"{business_id}") as uow:
        added = uow.applications.add(app)
        uow.commit()
    return "committed" if added else "duplicate"


def _action(
    store: SqlStore,
    registry: Registry,
    op: str,
    program_id: str,
    business_id: str,
    by: str,
    *,
    run_id: str,
    minute: int,
    day: dt.date,
) -> Callable[[], object]:
    def apply() -> object:
        return _apply(store, program_id, business_id, minute)

    def allocate() -> object:
        # The office allocates again on purpose: the roster restarts from the new run.
        return allocate_programme(
            store, program_id, by=by, run_id=run_id, registry=registry, replace_roster=True
        )

    def late_add() -> object:
        return allocate_programme(store, program_id, by=by, run_id=run_id, registry=registry)

    def seat() -> object:
        if op == "confirm":
            return confirm(store, program_id, business_id, by=by, registry=registry)
        if op == "withdraw":
            return withdraw(store, program_id, business_id, by=by, registry=registry)
        return attend(store, program_id, business_id, day, by=by, registry=registry)

    return {"apply": apply, "allocate": allocate, "late_add": late_add}.get(op, seat)


def run(url: str, worker: int, operations: int, out: Path) -> None:
    registry = load_registry(autoload=False)
    rng = random.Random(worker)
    started = time.monotonic()
    lines: list[dict[str, object]] = []
    with SqlStore(url, steps=registry.steps) as store:
        for n in range(operations):
            if time.monotonic() - started > DEADLINE_S:
                lines.append({"op": "stopped", "outcome": "deadline"})
                break
            program_id = rng.choice(PROGRAMMES)
            pool = business_ids()
            business_id = rng.choice(pool if rng.random() < 0.2 else pool[:APPLIED])
            op = rng.choices(
                ["apply", "allocate", "confirm", "withdraw", "attend", "late_add"],
                weights=[4, 1, 4, 3, 3, 1],
            )[0]
            by = f"clerk-{worker}"
            wave = 1 if sector_of(business_id) == "kuliner" else 2
            action = _action(
                store, registry, op, program_id, business_id, by,
                run_id=f"w{worker}-{n}", minute=rng.randrange(10_000),
                day=rng.choice(DAYS[wave]),
            )  # fmt: skip
            line: dict[str, object] = {"op": op, "program": program_id, "business": business_id}
            if op == "late_add":
                # A late application, then the programme allocated again: refused once
                # its roster was changed (allocation.roster_in_use), as an office wants.
                late = _action(
                    store, registry, "apply", program_id, business_id, by,
                    run_id="", minute=20_000 + rng.randrange(10_000), day=DAYS[1][0],
                )  # fmt: skip
                try:
                    line["applied"] = with_retries(late) == "committed"
                except UmkmError as err:
                    line.update(applied=False, apply_code=err.code)
            try:
                result = with_retries(action)
            except UmkmError as err:
                line.update(outcome="refused", code=err.code, error=type(err).__name__)
            except Exception as err:  # anything untyped fails the test: record it
                line.update(outcome="crash", error=type(err).__name__, message=str(err)[:300])
            else:
                if result == "duplicate":
                    line.update(outcome="refused", code="application.duplicate")
                else:
                    events = getattr(result, "events", ())
                    line.update(outcome="committed", events=len(events))
                    if op in ("allocate", "late_add"):
                        line["run_id"] = f"w{worker}-{n}"
            lines.append(line)
    out.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    run(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
