"""A process killed (SIGKILL) in the middle of a write leaves all of it or none of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from umkm_core.adapters.sql import SqlStore, verify

WORKER = Path(__file__).with_name("fault_worker.py")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tangerang-2017"
ROWS = 2_500

sys.path.insert(0, str(WORKER.parent))
import fault_worker  # noqa: E402


def kill_half_way(*args: str, marker: Path) -> None:
    """Start the worker, wait until it is half way through, and SIGKILL it."""
    log = marker.with_suffix(".log")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), *args, "--stall"], stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 240
        while not marker.exists():
            assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the worker never got half way"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL


def run_to_the_end(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, str(WORKER), *args], capture_output=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout.decode(errors="replace")[-3000:]


def test_a_killed_import_leaves_nothing_and_a_rerun_imports_everything(
    sql_url: str, tmp_path: Path
) -> None:
    lines = (EXAMPLE / "roster.csv").read_text(encoding="utf-8-sig").splitlines()
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join(lines[: ROWS + 1]) + "\n", encoding="utf-8")
    SqlStore(sql_url).close()
    kill_half_way("import", sql_url, str(roster), str(tmp_path / "m1"), marker=tmp_path / "m1")
    with SqlStore(sql_url) as store, store.unit_of_work(by="auditor") as uow:
        assert list(uow.businesses.latest()) == []
        assert uow.audit.entries() == ()
    assert verify(sql_url) == ()

    run_to_the_end("import", sql_url, str(roster), str(tmp_path / "m2"))
    with SqlStore(sql_url) as store, store.unit_of_work(by="auditor") as uow:
        imported = sum(1 for _ in uow.businesses.latest())
        entries = uow.audit.entries()
    assert imported > ROWS // 2
    assert [e.action for e in entries].count("business.version") == imported
    assert entries[-1].action == "roster.imported"
    assert entries[-1].detail.startswith(f"{ROWS} rows, {imported} imported")
    assert verify(sql_url) == ()


def test_a_killed_run_record_leaves_nothing_and_a_rerun_records_it_whole(
    sql_url: str, tmp_path: Path
) -> None:
    SqlStore(sql_url).close()
    kill_half_way("run", sql_url, str(tmp_path / "m1"), marker=tmp_path / "m1")
    with SqlStore(sql_url) as store, store.unit_of_work(by="auditor") as uow:
        assert uow.runs.get(fault_worker.RUN_ID) is None
        assert uow.enrollments.get(fault_worker.PROGRAM) is None
        assert uow.audit.entries() == ()
    assert verify(sql_url) == ()

    run_to_the_end("run", sql_url, str(tmp_path / "m2"))
    expected, state = fault_worker.big_run()
    with SqlStore(sql_url) as store, store.unit_of_work(by="auditor") as uow:
        assert uow.runs.get(fault_worker.RUN_ID) == expected
        assert uow.enrollments.get(fault_worker.PROGRAM) == state
        assert [e.action for e in uow.audit.entries()] == ["run.recorded"]
    assert verify(sql_url) == ()
