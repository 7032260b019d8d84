"""The SQL store's speed: SQLite and PostgreSQL side by side, each against its own floor.

Four figures per database, in one run:

* the Tangerang roster (10,555 businesses) and a synthetic register of ``--register``
  businesses (default 1,000,000) recorded in one unit of work through the bulk path
  (``uow.add_businesses``: a version row, the office rows and one audit entry per
  business, each document encoded by the serialization), in rows per second, against
  the floor: a bare ``executemany`` of the same version rows (pre-encoded, so the floor
  times the database alone) into a table of the same shape; target within 2x;
* the same roster through the whole ``import_roster`` service (parsing, checking,
  one ``add`` per row), for reference;
* a recorded allocation run of ``--applications`` applications (default 100,000) with
  its roster, against the floor of an ``executemany`` of its decision rows;
* seat operations per second (committed or refused, each a unit of work of the
  services) with 8 processes running the stress test's random operations at once.

PostgreSQL runs in a throwaway cluster (fsync off, as in the tests), so its figures
leave out disk flushes; SQLite runs with ``synchronous=FULL`` in WAL mode. The machine's
load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "store"))

import fault_worker  # noqa: E402
import stress_worker  # noqa: E402

import store_support  # noqa: E402
from umkm_core._plugins import load_registry  # noqa: E402
from umkm_core.adapters.roster import ImportedBusiness, iter_roster  # noqa: E402
from umkm_core.adapters.serialization import to_dict, to_json  # noqa: E402
from umkm_core.adapters.sql import SqlStore  # noqa: E402
from umkm_core.model.business import Business  # noqa: E402
from umkm_core.services import import_roster  # noqa: E402
from umkm_core.services._common import file_rows  # noqa: E402
from umkm_core.synthetic import synthetic_register  # noqa: E402

ROSTER = ROOT / "examples" / "tangerang-2017" / "roster.csv"
OFFICE = "dinkopukm-3671"
AT = dt.datetime(2017, 12, 8, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))
BATCH = 2000


def _floor_table(engine: sa.Engine, name: str, key: str) -> sa.Table:
    meta = sa.MetaData()
    table = sa.Table(
        name,
        meta,
        sa.Column(key, sa.String(100), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("doc", sa.Text, nullable=False),
    )
    meta.create_all(engine)
    return table


def floor(
    engine: sa.Engine, name: str, key: str, rows: Iterable[list[dict[str, object]]]
) -> float:
    """Seconds spent in bare ``executemany`` calls of the given batches (one transaction)."""
    table = _floor_table(engine, name, key)
    spent = 0.0
    with engine.connect() as conn:
        for batch in rows:
            start = time.perf_counter()
            conn.execute(table.insert(), batch)
            spent += time.perf_counter() - start
        start = time.perf_counter()
        conn.commit()
        spent += time.perf_counter() - start
    return spent


def business_rows(businesses: Iterable[Business]) -> Iterator[list[dict[str, object]]]:
    batch: list[dict[str, object]] = []
    for b in businesses:
        batch.append({"business_id": b.id, "version": 1, "doc": to_json(b).decode()})
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def timed_bulk(url: str, businesses: Iterable[Business]) -> tuple[int, float]:
    with SqlStore(url) as store:
        start = time.perf_counter()
        with store.unit_of_work(by="bench", at=AT) as uow:
            written = uow.add_businesses(businesses)
            uow.commit()
        return written, time.perf_counter() - start


def roster_businesses() -> list[Business]:
    registry = load_registry(autoload=False)
    return [
        r.business
        for r in iter_roster(
            file_rows(registry, ROSTER), office_id=OFFICE, sectors=registry.sectors
        )
        if isinstance(r, ImportedBusiness)
    ]


def measure(
    label: str, new_url: Iterator[str], register: int, applications: int, ops: int
) -> dict[str, str]:
    out: dict[str, str] = {}
    roster = roster_businesses()

    url = next(new_url)
    n, spent = timed_bulk(url, roster)
    with SqlStore(url) as store:
        base = floor(store.engine, "floor_roster", "business_id", business_rows(roster))
    out["roster (bulk)"] = (
        f"{n / spent:,.0f} rows/s vs floor {n / base:,.0f} ({spent / base:.2f}x)"
    )

    url = next(new_url)
    start = time.perf_counter()
    with SqlStore(url) as store:
        report = import_roster(
            store,
            ROSTER,
            by="bench",
            at=AT,
            office_id=OFFICE,
            registry=load_registry(autoload=False),
        )
    spent = time.perf_counter() - start
    out["roster (import_roster service)"] = (
        f"{report.rows_read / spent:,.0f} rows/s ({report.imported} imported, {spent:.1f} s)"
    )

    url = next(new_url)
    n, spent = timed_bulk(url, synthetic_register(register, seed=7))
    with SqlStore(url) as store:
        base = floor(
            store.engine,
            "floor_register",
            "business_id",
            business_rows(synthetic_register(register, seed=7)),
        )
    out[f"register of {register:,} (bulk)"] = (
        f"{n / spent:,.0f} rows/s vs floor {n / base:,.0f} ({spent / base:.2f}x)"
    )

    url = next(new_url)
    fault_worker.DECISIONS = applications
    run, state = fault_worker.big_run()
    with SqlStore(url) as store:
        start = time.perf_counter()
        with store.unit_of_work(by="bench", at=AT) as uow:
            uow.lock_programme(run.program_id)
            uow.runs.add(run)
            uow.enrollments.put(state)
            uow.commit()
        spent = time.perf_counter() - start
        decision_rows = [
            {"run_id": f"r{i}", "version": 1, "doc": json.dumps(to_dict(d))}
            for i, d in enumerate(run.decisions)
        ]
        base = floor(
            store.engine,
            "floor_decisions",
            "run_id",
            (decision_rows[i : i + BATCH] for i in range(0, len(decision_rows), BATCH)),
        )
    out[f"run of {applications:,} applications"] = (
        f"{spent:.2f} s ({applications / spent:,.0f} decisions/s) vs floor {base:.2f} s "
        f"({spent / base:.2f}x)"
    )

    url = next(new_url)
    registry = load_registry(autoload=False)
    stress_worker.setup(url, registry)
    folder = Path(tempfile.mkdtemp(prefix="umkm-bench-"))
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "tests" / "store" / "stress_worker.py"),
                url,
                str(i),
                str(ops),
                str(folder / f"w{i}.jsonl"),
            ]
        )
        for i in range(8)
    ]
    for proc in procs:
        proc.wait()
    spent = time.perf_counter() - start
    lines = [
        json.loads(x) for i in range(8) for x in (folder / f"w{i}.jsonl").read_text().splitlines()
    ]
    committed = sum(1 for x in lines if x["outcome"] == "committed")
    out["seat operations, 8 processes"] = (
        f"{len(lines) / spent:,.1f} ops/s ({len(lines)} operations, {committed} committed, "
        f"{spent:.1f} s)"
    )
    print(f"--- {label}", flush=True)
    for key, value in out.items():
        print(f"  {key:36} {value}", flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--register", type=int, default=1_000_000)
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--ops", type=int, default=200, help="operations per process")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="umkm-bench-") as folder:
        counter = iter(range(1_000_000))
        sqlite_urls = (f"sqlite:///{folder}/bench-{next(counter)}.db" for _ in iter(int, 1))
        measure("SQLite", sqlite_urls, args.register, args.applications, args.ops)
    cluster = store_support.start_cluster()
    try:
        pg_urls = (cluster.url(cluster.new_database()) for _ in iter(int, 1))
        measure("PostgreSQL", pg_urls, args.register, args.applications, args.ops)
    finally:
        store_support.stop_cluster(cluster)
    print(f"load average after: {os.getloadavg()}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
