"""Eight processes change seats at once: nothing is oversold, everything is accounted for.

Each process (``stress_worker.py``) runs 200 random operations (apply, allocate,
confirm, withdraw, attend, late addition) through the services against one database,
SQLite then PostgreSQL. Afterwards the record must agree with what the processes were
told: every operation was committed with its events or refused with a typed error.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from umkm_core._plugins import load_registry
from umkm_core.adapters.sql import SqlStore, verify
from umkm_core.allocation import Enrollments
from umkm_core.services._common import roster_of

WORKER = Path(__file__).with_name("stress_worker.py")
PROCESSES = 8
OPERATIONS = 200
#: The whole run must end well within this (the workers stop themselves earlier).
TIMEOUT_S = 540

sys.path.insert(0, str(WORKER.parent))
import stress_worker  # noqa: E402


def run_workers(
    url: str, folder: Path, processes: int, operations: int
) -> list[dict[str, object]]:
    outs = [folder / f"worker-{i}.jsonl" for i in range(processes)]
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), url, str(i), str(operations), str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for i, out in enumerate(outs)
    ]
    deadline = time.monotonic() + TIMEOUT_S
    try:
        for proc in procs:
            output, _ = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
            assert proc.returncode == 0, output.decode(errors="replace")[-3000:]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    lines: list[dict[str, object]] = []
    for out in outs:
        lines.extend(json.loads(x) for x in out.read_text(encoding="utf-8").splitlines())
    return lines


def test_eight_processes_never_oversell_and_every_operation_is_accounted_for(
    sql_url: str, tmp_path: Path
) -> None:
    registry = load_registry(autoload=False)
    stress_worker.setup(sql_url, registry)
    lines = run_workers(sql_url, tmp_path, PROCESSES, OPERATIONS)

    assert len(lines) == PROCESSES * OPERATIONS, Counter(str(x.get("op")) for x in lines)
    crashes = [x for x in lines if x["outcome"] == "crash"]
    assert crashes == []
    assert all(x["outcome"] in ("committed", "refused") for x in lines)
    codes = Counter(str(x["code"]) for x in lines if x["outcome"] == "refused")
    assert not any("locked" in c or c == "store.database_error" for c in codes), codes
    committed = Counter(str(x["op"]) for x in lines if x["outcome"] == "committed")
    assert committed["apply"] > 0, committed
    assert committed["confirm"] + committed["withdraw"] > 0, committed

    with SqlStore(sql_url, steps=registry.steps) as store, store.unit_of_work(by="audit") as uow:
        events = uow.enrollments.events()
        audit = Counter(e.action.split(".")[0] for e in uow.audit.entries())
        runs = {r.run_id for p in stress_worker.PROGRAMMES for r in uow.runs.of_programme(p)}
        for program_id in stress_worker.PROGRAMMES:
            if uow.enrollments.get(program_id) is None:
                continue
            _, roster = roster_of(uow, program_id, registry)
            assert isinstance(roster, Enrollments)
            for wave, taken in roster.seats_taken().items():
                assert taken <= stress_worker.SEATS, (program_id, wave, taken)
            seated = roster.seated()
            assert len(seated) == len(set(seated)), f"a business holds two seats in {program_id}"

    # Every committed operation left exactly its record; no refused one left anything.
    reported_events = sum(
        int(str(x.get("events", 0))) for x in lines if x["outcome"] == "committed"
    )
    assert len(events) == reported_events
    assert audit["enrollment"] == reported_events
    allocations = [x for x in lines if x["op"] in ("allocate", "late_add")]
    setup_runs = {f"{p}-0" for p in stress_worker.PROGRAMMES}
    assert runs == setup_runs | {
        str(x["run_id"]) for x in allocations if x["outcome"] == "committed"
    }
    assert audit["run"] == len(runs)
    applied = committed["apply"] + sum(1 for x in lines if x.get("applied") is True)
    setup_applied = stress_worker.APPLIED * len(stress_worker.PROGRAMMES)
    assert audit["application"] == setup_applied + applied
    assert verify(sql_url) == ()
