"""Screening benchmark: a synthetic national register of 10,000,000 businesses in Parquet.

The register is generated column by column (NumPy, deterministic seed), written as
partitioned Parquet once and cached under the temporary folder; the script says how
long generation took. It is screened against the Tangerang 2017 rules
(examples/tangerang-2017/program.toml) plus a size-class and a district rule, each
measurement in a fresh subprocess so that its peak RSS is its own:

* ``screen``: :func:`umkm_core.bulk.screen`, every reason kept (counts by reason, the
  eligible ids written to a file), part file by part file;
* ``bare filter``: one Polars lazy filter of the same predicates, no reasons (the floor);
* ``interpreted``: :func:`umkm_core.allocate`'s judgement of the first 100,000 rows as
  Business objects (per row, against the screen's per row);
* ``dask``: :func:`umkm_core.bulk.screen_on_dask` on a two-worker LocalCluster.

Targets (issue 11): 10,000,000 screened with reasons in under 60 s, peak RSS under 3 GB,
within 3x of the bare filter. Usage: ``python benchmarks/screening.py [--rows N]``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any

import attrs
import polars as pl

from umkm_core import Application, Program, allocate
from umkm_core.adapters.program_file import load_program_file
from umkm_core.bulk import (
    business_from_row,
    compile_rules,
    register_partitions,
    screen,
    screen_on_dask,
    synthetic_register_frames,
    write_register_frames,
)
from umkm_core.rules import EligibilityRule, located_in, not_, size_class_in

EXAMPLE = pathlib.Path(__file__).parents[1] / "examples" / "tangerang-2017" / "program.toml"
SEED = 2017
INTERPRETED_ROWS = 100_000
WIB = dt.timezone(dt.timedelta(hours=7))


def programme() -> tuple[Program, dt.date]:
    loaded = load_program_file(EXAMPLE)
    assert loaded.as_of is not None
    extra = (size_class_in(["mikro", "kecil", "menengah"]), not_(located_in("36.71.13")))
    rules = tuple(r for r in loaded.program.rules if isinstance(r, EligibilityRule))
    return attrs.evolve(loaded.program, rules=(*rules, *extra)), loaded.as_of


def register_path(rows: int) -> pathlib.Path:
    return pathlib.Path(tempfile.gettempdir()) / f"umkm-bench-register-{rows}-s{SEED}-v1"


def ensure_register(rows: int) -> dict[str, Any]:
    path = register_path(rows)
    marker = path / "generated.json"
    if marker.exists():
        info: dict[str, Any] = json.loads(marker.read_text())
        info["cached"] = True
        return info
    start = time.perf_counter()
    written = write_register_frames(
        synthetic_register_frames(rows, seed=SEED, chunk=1_000_000), path, batch_size=1_000_000
    )
    info = {
        "rows": written.rows,
        "files": written.files,
        "partitions": len(written.partitions),
        "seconds": time.perf_counter() - start,
        "bytes": sum(f.stat().st_size for f in path.rglob("*.parquet")),
    }
    marker.write_text(json.dumps(info))
    info["cached"] = False
    return info


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_screen(rows: int) -> dict[str, Any]:
    program, as_of = programme()
    out = register_path(rows).with_name(register_path(rows).name + "-eligible.txt")
    start = time.perf_counter()
    report = screen(program, register_path(rows), as_of=as_of, eligible_to=out)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rows": report.rows,
        "eligible": report.eligible,
        "reasons": dict(report.refused_by_reason),
        "peak_mb": peak_mb(),
    }


def run_bare(rows: int) -> dict[str, Any]:
    program, as_of = programme()
    plan = compile_rules(program, as_of=as_of)
    files = [f for p in register_partitions(register_path(rows)) for f in p.files]
    start = time.perf_counter()
    ids = plan.prepare(pl.scan_parquet(files)).filter(plan.eligible).select("id").collect()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": rows, "eligible": ids.height, "peak_mb": peak_mb()}


def run_interpreted(rows: int) -> dict[str, Any]:
    program, as_of = programme()
    plan = compile_rules(program, as_of=as_of)
    first = [f for p in register_partitions(register_path(rows)) for f in p.files]
    frame = pl.scan_parquet(first).head(INTERPRETED_ROWS).collect()
    businesses = [business_from_row(r) for r in frame.iter_rows(named=True)]
    start_at = dt.datetime(2017, 11, 1, tzinfo=WIB)
    apps = [
        Application(business_id=b.id, program_id=program.id, applied_at=start_at)
        for b in businesses
    ]
    start = time.perf_counter()
    result = allocate(program, apps, businesses, as_of=as_of)
    seconds = time.perf_counter() - start
    eligible = sum(not j.refused for j in result.judgements)
    # The same rows, screened in columns, for the per-row ratio.
    start = time.perf_counter()
    judged = plan.judge(frame).collect()
    columnar = time.perf_counter() - start
    assert judged.get_column("eligible").sum() == eligible
    return {
        "seconds": seconds,
        "columnar_seconds": columnar,
        "rows": len(businesses),
        "eligible": eligible,
        "peak_mb": peak_mb(),
    }


def run_dask(rows: int) -> dict[str, Any]:
    from dask.distributed import Client, LocalCluster

    program, as_of = programme()
    out = register_path(rows).with_name(register_path(rows).name + "-eligible-dask.txt")
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        start = time.perf_counter()
        report = screen_on_dask(
            program, register_path(rows), client=client, as_of=as_of, eligible_to=out
        )
        seconds = time.perf_counter() - start
        workers = client.run(peak_mb)
    return {
        "seconds": seconds,
        "rows": report.rows,
        "eligible": report.eligible,
        "reasons": dict(report.refused_by_reason),
        "peak_mb": peak_mb(),
        "worker_peak_mb": max(workers.values()),
    }


MODES = {
    "generate": ensure_register,
    "screen": run_screen,
    "bare": run_bare,
    "interpreted": run_interpreted,
    "dask": run_dask,
}


def sub(mode: str, rows: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--mode", mode, "--rows", str(rows)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def main(argv: list[str]) -> int:
    rows = int(argv[argv.index("--rows") + 1]) if "--rows" in argv else 10_000_000
    if "--mode" in argv:
        print(json.dumps(MODES[argv[argv.index("--mode") + 1]](rows)))
        return 0
    load = tuple(round(x, 2) for x in os.getloadavg())
    print(f"load average before: {load}; cores: {os.cpu_count()}")
    # Generated in a subprocess: a child inherits its parent's peak RSS on Linux.
    info = sub("generate", rows)
    how = "cached; generated earlier in" if info["cached"] else "generated in"
    print(
        f"register: {info['rows']:,} businesses, {info['partitions']} partitions, "
        f"{info['files']} files, {info['bytes'] / 2**20:,.0f} MiB ({how} {info['seconds']:.1f} s) "
        f"at {register_path(rows)}"
    )
    results = {mode: sub(mode, rows) for mode in ("bare", "screen", "interpreted", "dask")}
    bare, scr, interp, dask = (results[m] for m in ("bare", "screen", "interpreted", "dask"))
    assert bare["eligible"] == scr["eligible"] == dask["eligible"]
    assert scr["reasons"] == dask["reasons"]
    print(f"{'run':<28} {'rows':>12} {'seconds':>9} {'rows/s':>12} {'peak RSS MB':>11}")
    for name, r in (
        ("bare filter (no reasons)", bare),
        ("screen (every reason)", scr),
        ("dask, 2 workers", dask),
        ("interpreted engine", interp),
    ):
        print(
            f"{name:<28} {r['rows']:>12,} {r['seconds']:>9.2f} {r['rows'] / r['seconds']:>12,.0f} "
            f"{r['peak_mb']:>11.0f}"
        )
    print(f"dask workers' peak RSS: {dask['worker_peak_mb']:.0f} MB each at most")
    print(f"eligible: {scr['eligible']:,}; refused by reason: {scr['reasons']}")
    per_row_interp = interp["seconds"] / interp["rows"]
    per_row_screen = scr["seconds"] / scr["rows"]
    print(
        f"interpreted on the first {interp['rows']:,} rows: {interp['seconds']:.2f} s "
        f"({per_row_interp * 1e6:.1f} us/row); the same rows in columns "
        f"{interp['columnar_seconds']:.3f} s; per row, screen is "
        f"{per_row_interp / per_row_screen:.0f}x faster than the interpreted engine"
    )
    print(
        f"targets: {rows:,} with reasons in {scr['seconds']:.1f} s (< 60 s); "
        f"peak RSS {scr['peak_mb']:.0f} MB (< 3,000 MB); "
        f"screen / bare filter = {scr['seconds'] / bare['seconds']:.2f}x (<= 3x); "
        f"dask / screen = {dask['seconds'] / scr['seconds']:.2f}x"
    )
    print(f"load average after: {tuple(round(x, 2) for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
