"""Allocation benchmark: applications into 500 waves, side by side with a bare sort.

The programme has the rules offices use most: sector matches the wave, coached by the
office (binaan), size class mikro or kecil, at most 12 seats per district per wave, and
one seat per business. Every refusal and wait keeps its reasons.

For each size the script runs in a fresh subprocess (so its peak memory is its own) and
measures, in that one process:

* ``sort``: ``sorted()`` of the same applications by (applied_at, business_id);
* ``allocate, cold``: the first run, with an empty FactCache (every business judged);
* ``allocate, warm``: a second run over the same register (a what-if): per-business
  verdicts and size classes come from the FactCache.
* ``columnar``: :func:`umkm_core.bulk.allocate_columns`, cold, in a process of its own
  that reads the same register and applications from Parquet (written once, cached in
  the temporary folder): the time from frames to decisions with every reason, and that
  process's peak RSS. Its floor is the same ``sorted()`` of the same applications as
  objects (built from the file and dropped before the allocation); a Polars sort of the
  frame is printed beside it. Its counts must equal the interpreted engine's.

Targets: allocate, cold, at most 3x the bare sort at 100,000 applications; 1,000,000
applications at most 12x the 100,000 time, in under 1 GB. Usage:
``python benchmarks/allocation.py`` (``--quick`` runs 10,000 and 100,000 only;
``--columns-only`` skips the interpreted engine).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import pathlib
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import polars as pl

from umkm_core import (
    Address,
    Application,
    Business,
    Coaching,
    FinancialRecord,
    Owner,
    Program,
    ProgramKind,
    RegionCode,
    Sex,
    Wave,
    allocate,
)
from umkm_core.bulk import allocate_columns, applications_frame, register_frame
from umkm_core.rules import (
    FactCache,
    coached_by,
    district_quota,
    one_seat_per_business,
    sector_matches_wave,
    size_class_in,
)

SECTORS = ("kuliner", "fesyen", "kriya", "agribisnis", "jasa")
OFFICE = "dinkopukm-36"
WAVES = 500
SEATS = 100  # 50,000 seats: half the 100,000 applicants get one
AS_OF = dt.date(2017, 12, 15)
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


def make_program() -> Program:
    """The province's programme: 500 waves of 100 seats, the rules offices use most."""
    waves = tuple(
        Wave(
            number=i + 1,
            sector=SECTORS[i % len(SECTORS)],
            start=dt.date(2018, 1, 2) + dt.timedelta(days=i // 5),
            end=dt.date(2018, 1, 3) + dt.timedelta(days=i // 5),
            seats=SEATS,
        )
        for i in range(WAVES)
    )
    return Program(
        id="P-BANTEN-2018",
        title="Pelatihan UMKM Provinsi",
        office_id=OFFICE,
        year=2018,
        kind=ProgramKind.TRAINING,
        waves=waves,
        rules=(
            sector_matches_wave(),
            coached_by(OFFICE),
            size_class_in(["mikro", "kecil"]),
            district_quota(12, per="wave"),
            one_seat_per_business(),
        ),
    )


def build(n: int, seed: int = 2017) -> tuple[Program, list[Business], list[Application]]:
    """A province-sized register and applications, built directly (not via Hypothesis).

    Businesses share their small value objects (addresses, owners, figures), as a real
    register loaded from a file would share interned values; each is still validated.
    """
    rng = random.Random(seed)
    districts = [
        RegionCode(f"36{regency:02d}{district:02d}")
        for regency in (1, 2, 3, 4, 71, 72, 73, 74)
        for district in range(1, 14)
    ]
    addresses = [Address(region=d) for d in districts]
    owners = [Owner(name="Pemilik", sex=Sex.FEMALE), Owner(name="Pemilik", sex=Sex.MALE)]
    coached = (Coaching(office_id=OFFICE, since=dt.date(2012, 1, 1)),)
    figures = [
        (FinancialRecord(year=2016, annual_sales=sales),)
        for sales in (90_000_000, 250_000_000, 900_000_000, 2_000_000_000, 20_000_000_000)
    ]
    businesses = [
        Business(
            id=f"B{i:08d}",
            name="UMKM",
            owner=owners[i % 2],
            address=addresses[rng.randrange(len(addresses))],
            sector=SECTORS[rng.randrange(len(SECTORS))],
            financials=figures[rng.randrange(len(figures))],
            coached_by=coached if rng.random() < 0.9 else (),
        )
        for i in range(n)
    ]
    program = make_program()
    waves = program.waves
    by_sector = {s: [w.number for w in waves if w.sector == s] for s in SECTORS}
    start = dt.datetime(2017, 11, 1, 8, tzinfo=WIB)
    applications = []
    for b in businesses:
        # Most ask for waves of their own sector; a few pick a wrong one.
        pool = by_sector[b.sector if rng.random() < 0.95 else SECTORS[rng.randrange(5)]]
        applications.append(
            Application(
                business_id=b.id,
                program_id=program.id,
                applied_at=start + dt.timedelta(seconds=rng.randrange(30 * 86_400)),
                waves=tuple(rng.sample(pool, rng.randint(1, 3))),
            )
        )
    rng.shuffle(applications)
    return program, businesses, applications


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def measure(n: int) -> dict[str, Any]:
    program, businesses, applications = build(n)
    gc.collect()

    def bare_sort() -> list[Application]:
        return sorted(applications, key=lambda a: (a.applied_at, a.business_id))

    facts = FactCache()
    cold_s, result = timed(
        lambda: allocate(program, applications, businesses, as_of=AS_OF, facts=facts)
    )
    # Interleaved and best-of, so that load from other processes hits both alike.
    sort_s = warm_s = float("inf")
    for _ in range(5 if n <= 100_000 else 3):
        sort_s = min(sort_s, timed(bare_sort)[0])
        elapsed, result = timed(
            lambda: allocate(program, applications, businesses, as_of=AS_OF, facts=facts)
        )
        warm_s = min(warm_s, elapsed)
    statuses = Counter(o.status for o in result.outcomes)
    reasons = sum(len(getattr(o, "reasons", ())) for o in result.outcomes)
    taken = result.seats_taken()
    assert all(taken[w.number] <= w.seats for w in program.waves)
    return {
        "n": n,
        "sort_s": sort_s,
        "cold_s": cold_s,
        "warm_s": warm_s,
        "accepted": statuses["accepted"],
        "waitlisted": statuses["waitlisted"],
        "refused": statuses["refused"],
        "reasons": reasons,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _columns_folder(n: int) -> pathlib.Path:
    """The register and applications of ``build(n)`` as Parquet, written once and cached."""
    folder = pathlib.Path(tempfile.gettempdir()) / f"umkm-bench-allocation-{n}-v1"
    if not (folder / "applications.parquet").exists():
        subprocess.run([sys.executable, __file__, "--write-columns", str(n)], check=True)
    return folder


def write_columns(n: int) -> None:
    """Write ``build(n)`` as Parquet files (in a process of its own: objects cost memory)."""
    folder = pathlib.Path(tempfile.gettempdir()) / f"umkm-bench-allocation-{n}-v1"
    started = time.perf_counter()
    _, businesses, applications = build(n)
    work = pathlib.Path(tempfile.mkdtemp(dir=folder.parent, prefix=folder.name + "."))
    register_frame(businesses).write_parquet(work / "register.parquet")
    applications_frame(applications).write_parquet(work / "applications.parquet")
    shutil.rmtree(folder, ignore_errors=True)
    work.rename(folder)
    took = time.perf_counter() - started
    print(
        f"generated {n:,} businesses and applications as Parquet in {took:.1f} s", file=sys.stderr
    )


def measure_columns(n: int) -> dict[str, Any]:
    """The cold columnar allocation from Parquet, in a process of its own (its own peak RSS).

    The floor is the same as for the interpreted engine: ``sorted()`` of the same
    applications as :class:`Application` objects, built from the file beforehand (not
    timed) and dropped before the allocation; at 1,000,000 only the allocation runs (its
    target is against the 100,000 time). A Polars sort of the same frame is printed too.
    """
    folder = _columns_folder(n)
    read_s, (register, applications) = timed(
        lambda: (
            pl.read_parquet(folder / "register.parquet"),
            pl.read_parquet(folder / "applications.parquet"),
        )
    )
    program = make_program()
    sort_s = float("nan")
    if n <= 100_000:
        objects = [
            Application(business_id=b, program_id=p, applied_at=t, waves=tuple(w), tier=None)
            for b, p, t, w in applications.select(
                "business_id", "program_id", "applied_at", "waves"
            ).iter_rows()
        ]
        sort_s = min(
            timed(lambda: sorted(objects, key=lambda a: (a.applied_at, a.business_id)))[0]
            for _ in range(5)
        )
        del objects
        gc.collect()
    polars_sort_s = min(
        timed(lambda: applications.sort(["applied_at", "business_id"]))[0] for _ in range(5)
    )
    columnar_s, result = timed(
        lambda: allocate_columns(program, applications, register, as_of=AS_OF)
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counts = result.status_counts()
    return {
        "read_s": read_s,
        "sort_s": sort_s,
        "polars_sort_s": polars_sort_s,
        "columnar_s": columnar_s,
        "accepted": counts["accepted"],
        "waitlisted": counts["waitlisted"],
        "refused": counts["refused"],
        "reasons": result.reasons.height,
        "peak_rss_mb": rss,
    }


def _run(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    ).stdout
    found: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return found


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--size":
        print(json.dumps(measure(int(argv[1]))))
        return 0
    if len(argv) == 2 and argv[0] == "--columns":
        print(json.dumps(measure_columns(int(argv[1]))))
        return 0
    if len(argv) == 2 and argv[0] == "--write-columns":
        write_columns(int(argv[1]))
        return 0
    sizes = [10_000, 100_000] if "--quick" in argv else [10_000, 100_000, 1_000_000]
    interpreted = "--columns-only" not in argv
    rows = []
    for n in sizes:
        row: dict[str, Any] = _run("--size", str(n)) if interpreted else {"n": n}
        _columns_folder(n)  # generated outside the measured process
        col = _run("--columns", str(n))
        if interpreted:
            for key in ("accepted", "waitlisted", "refused", "reasons"):
                assert col[key] == row[key], "the columnar engine decided otherwise"
        row["col"] = col
        rows.append(row)
    if interpreted:
        print("interpreted engine, Application and Business objects (umkm_core.allocate):")
        print(
            f"{'applications':>12} {'sort s':>8} {'cold s':>8} {'warm s':>8} "
            f"{'cold/sort':>9} {'warm/sort':>9} {'accepted':>9} {'waitlist':>9} "
            f"{'refused':>9} {'reasons':>9} {'peak RSS MB':>11}"
        )
        for r in rows:
            print(
                f"{r['n']:>12,} {r['sort_s']:>8.3f} {r['cold_s']:>8.3f} {r['warm_s']:>8.3f} "
                f"{r['cold_s'] / r['sort_s']:>9.2f} {r['warm_s'] / r['sort_s']:>9.2f} "
                f"{r['accepted']:>9,} {r['waitlisted']:>9,} {r['refused']:>9,} "
                f"{r['reasons']:>9,} {r['peak_rss_mb']:>11.0f}"
            )
    print(
        "columnar engine, cold, from Parquet (umkm_core.bulk.allocate_columns); "
        "sort = sorted() of the same applications as objects:"
    )
    print(
        f"{'applications':>12} {'read s':>8} {'sort s':>8} {'polars s':>8} {'alloc s':>8} "
        f"{'/sort':>7} {'/polars':>8} {'accepted':>9} {'waitlist':>9} {'refused':>9} "
        f"{'reasons':>9} {'peak RSS MB':>11}"
    )
    for r in rows:
        c = r["col"]
        print(
            f"{r['n']:>12,} {c['read_s']:>8.3f} {c['sort_s']:>8.3f} {c['polars_sort_s']:>8.3f} "
            f"{c['columnar_s']:>8.3f} {c['columnar_s'] / c['sort_s']:>7.2f} "
            f"{c['columnar_s'] / c['polars_sort_s']:>8.1f} {c['accepted']:>9,} "
            f"{c['waitlisted']:>9,} {c['refused']:>9,} {c['reasons']:>9,} "
            f"{c['peak_rss_mb']:>11.0f}"
        )
    by_n = {r["n"]: r for r in rows}
    if 100_000 in by_n:
        r = by_n[100_000]
        c = r["col"]
        ratio = c["columnar_s"] / c["sort_s"]
        line = f"target 100,000: allocate, cold, <= 3x sort -> columnar {ratio:.2f}x"
        if interpreted:
            line += (
                f"; interpreted: cold {r['cold_s'] / r['sort_s']:.2f}x, "
                f"warm {r['warm_s'] / r['sort_s']:.2f}x"
            )
        print(line)
    if 100_000 in by_n and 1_000_000 in by_n:
        small, big = by_n[100_000], by_n[1_000_000]
        line = (
            "target 1,000,000 <= 12x the 100,000 time -> columnar "
            f"{big['col']['columnar_s'] / small['col']['columnar_s']:.2f}x; "
            f"target peak RSS at 1,000,000 < 1 GB -> columnar {big['col']['peak_rss_mb']:.0f} MB"
        )
        if interpreted:
            line += (
                f"; interpreted: cold {big['cold_s'] / small['cold_s']:.2f}x, "
                f"warm {big['warm_s'] / small['warm_s']:.2f}x, "
                f"{big['peak_rss_mb']:.0f} MB"
            )
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
