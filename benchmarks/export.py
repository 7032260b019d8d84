"""Export 1,000,000 register rows with every built-in exporter: time and peak memory.

Each exporter runs in its own subprocess so that its peak resident memory
(``resource.getrusage``) is its own. The rows are generated lazily, the way a register
streams from a database, with masking of personal columns and (for spreadsheets)
formula neutralising switched on, as in production. "growth" is the peak minus the
memory the process held before the export started: constant-memory exporters keep it
flat whatever the row count. "CPU s" is the process's own CPU time, steadier than the
wall-clock seconds on a busy machine.

The floor for CSV is a bare ``csv.writer`` writing the same masked rows (the same
generator, the personal cells masked by the same ``mask_personal``, the same dialect:
``;``, BOM, CRLF, fsync at the end) in its own subprocess; the ratio of CPU times is
printed, target at most 1.5x (what the export adds: checking every cell against its
column, formula neutralising, marking identifier digits, the atomic rename).

    python benchmarks/export.py [--rows N] [--only csv,xlsx]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from umkm_core import Column, ColumnType, Table, Text, export_table, load_registry
from umkm_core.adapters.tables import Cell

COLUMNS = (
    Column(name="id", title=Text(id="ID", en="ID")),
    Column(name="name", title=Text(id="Nama usaha", en="Business name")),
    Column(name="sector", title=Text(id="Sektor", en="Sector")),
    Column(name="owner_name", title=Text(id="Nama pemilik", en="Owner"), personal=True),
    Column(name="owner_nik", title=Text(id="NIK", en="NIK"), personal=True),
    Column(name="owner_phone", title=Text(id="Telepon", en="Phone"), personal=True),
    Column(name="region", title=Text(id="Wilayah", en="Region")),
    Column(name="year", title=Text(id="Tahun", en="Year"), type=ColumnType.INTEGER),
    Column(name="sales", title=Text(id="Omzet", en="Sales"), type=ColumnType.INTEGER),
    Column(
        name="registered_on", title=Text(id="Terdaftar", en="Registered"), type=ColumnType.DATE
    ),
)
NAMES = ("Dodol Siti", "Batik Cisadane", '=HYPERLINK("x")', "Keripik Bu Ani", "Kaos Tangerang")
START = dt.date(2015, 1, 1)


def rows(n: int) -> Iterator[tuple[Cell, ...]]:
    for i in range(n):
        yield (
            f"B{i:09d}",
            NAMES[i % 5],
            "kuliner" if i % 2 else "fesyen",
            "Siti Rahayu",
            f"36710545089{i % 100000:05d}",
            f"+62812{i % 10000000:07d}",
            f"36.71.{1 + i % 13:02d}",
            2017,
            (i * 7919) % 2_000_000_000,
            START + dt.timedelta(days=i % 3000),
        )


def rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(code: str, n: int) -> dict[str, object]:
    registry = load_registry(autoload=False)
    exporter = registry.exporter(code)
    table = Table(name="register", columns=COLUMNS, rows=rows(n))
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"register{exporter.extension}"
        before = rss_mib()
        started, cpu_started = time.perf_counter(), time.process_time()
        result = export_table(table, target, exporter)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        size = target.stat().st_size
    peak = rss_mib()
    return {
        "exporter": code,
        "rows": result.rows,
        "seconds": seconds,
        "cpu": cpu,
        "before": before,
        "peak": peak,
        "size": size / 2**20,
    }


def run_floor(n: int) -> dict[str, object]:
    import csv

    from umkm_core.adapters.tables import mask_personal as mask

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "floor.csv"
        before = rss_mib()
        started, cpu_started = time.perf_counter(), time.process_time()
        with target.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
            writer.writerow([c.title.id for c in COLUMNS])
            writer.writerows(
                (r[0], r[1], r[2], mask(r[3]), mask(r[4]), mask(r[5]), *r[6:]) for r in rows(n)
            )
            f.flush()
            os.fsync(f.fileno())
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        size = target.stat().st_size
    return {
        "exporter": "floor",
        "rows": n,
        "seconds": seconds,
        "cpu": cpu,
        "before": before,
        "peak": rss_mib(),
        "size": size / 2**20,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--only", default="csv,json,jsonl,xlsx")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        result = run_floor(args.rows) if args.one == "floor" else run_one(args.one, args.rows)
        print(json.dumps(result))
        return 0
    print(f"Exporting {args.rows:,} rows x {len(COLUMNS)} columns (3 personal, masked)")
    print(
        f"{'exporter':<9} {'rows':>10} {'seconds':>8} {'CPU s':>7} {'rows/s':>9} "
        f"{'RSS before':>11} {'RSS peak':>9} {'growth':>7} {'file':>9}"
    )
    codes = args.only.split(",")
    figures: dict[str, dict[str, float]] = {}
    for code in [*codes, "floor"] if "csv" in codes else codes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", code, "--rows", str(args.rows)],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "UMKM_DISABLE_PLUGIN_AUTOLOAD": "1"},
        ).stdout
        r = json.loads(out)
        figures[code] = r
        rate = r["rows"] / r["seconds"]
        print(
            f"{r['exporter']:<9} {r['rows']:>10,} {r['seconds']:>8.1f} {r['cpu']:>7.1f} "
            f"{rate:>9,.0f} "
            f"{r['before']:>8.1f} MiB {r['peak']:>5.1f} MiB {r['peak'] - r['before']:>3.1f} MiB"
            f" {r['size']:>5.1f} MiB",
            flush=True,
        )
    if "csv" in figures:
        csv_run, floor = figures["csv"], figures["floor"]
        print(
            f"CSV export / bare csv.writer of the same masked rows: "
            f"{csv_run['cpu'] / floor['cpu']:.2f}x CPU, "
            f"{csv_run['seconds'] / floor['seconds']:.2f}x wall (target <= 1.5x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
