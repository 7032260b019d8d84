"""``umkm seat``: the example programme allocated from a Parquet register, in columns.

The decisions must be those of ``umkm allocate`` on the same roster and applications:
the same rows in the same order, statuses, waves, waitlist positions and reason codes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import polars as pl
import pytest

from cli_support import assert_no_traceback, umkm

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tangerang-2017"
OFFICE = "dinkopukm-3671"


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("parquet") / "register"
    run = umkm("export", "--format", "parquet", "--register", EXAMPLE / "roster.csv",
               "--office", OFFICE, "--out", folder)  # fmt: skip
    assert run.code == 0, run.output
    return folder


def test_seat_decides_the_example_as_allocate_does(register: Path, tmp_path: Path) -> None:
    out = tmp_path / "decisions.parquet"
    run = umkm("--lang", "en", "seat", EXAMPLE / "program.toml", "--register", register,
               "--applications", EXAMPLE / "applications.csv", "--out", out)  # fmt: skip
    assert run.code == 0, run.output
    assert "289 applications as of 2017-12-08: 160 accepted, 107 waitlisted, 22 refused" in run.out
    assert "capacity.wave_full" in run.out
    assert out.stat().st_mode & 0o777 == 0o644  # no personal data in the decisions
    columns = pl.read_parquet(out)
    interpreted = tmp_path / "run"
    allocated = umkm("allocate", EXAMPLE / "program.toml", "--register", EXAMPLE / "roster.csv",
                     "--office", OFFICE, "--applications", EXAMPLE / "applications.csv",
                     "--out", interpreted)  # fmt: skip
    assert allocated.code == 0, allocated.output
    rows = json.loads((interpreted / "decisions.json").read_text(encoding="utf-8"))
    expected = [
        (
            r["business_id"],
            r["status"],
            r["wave"],
            r["waitlist_position"],
            re.split(r"[;,]\s*", r["reason_codes"]) if r["reason_codes"] else [],
        )
        for r in rows
    ]
    got = [
        (
            d["business_id"],
            d["status"],
            d["wave"],
            d["position"],
            list(dict.fromkeys(r["code"] for r in d["reasons"])),
        )
        for d in columns.iter_rows(named=True)
    ]
    assert [g[:4] for g in got] == [e[:4] for e in expected]
    assert [g[4] for g in got] == [list(dict.fromkeys(e[4])) for e in expected]


def test_seat_never_writes_over_its_input(register: Path, tmp_path: Path) -> None:
    applications = tmp_path / "applications.csv"
    applications.write_bytes((EXAMPLE / "applications.csv").read_bytes())
    run = umkm("--lang", "en", "seat", EXAMPLE / "program.toml", "--register", register,
               "--applications", applications, "--out", applications)  # fmt: skip
    assert run.code == 1
    assert_no_traceback(run)
    assert "cli.overwrites_input" in run.err
    assert applications.read_bytes() == (EXAMPLE / "applications.csv").read_bytes()


def test_seat_refuses_a_parquet_file_that_is_not_applications(
    register: Path, tmp_path: Path
) -> None:
    junk = tmp_path / "applications.parquet"
    junk.write_bytes(b"PAR1 not really")
    run = umkm("--lang", "en", "seat", EXAMPLE / "program.toml", "--register", register,
               "--applications", junk, "--out", tmp_path / "d.parquet")  # fmt: skip
    assert run.code == 1
    assert_no_traceback(run)
    assert "bulk.bad_applications" in run.err
    assert not (tmp_path / "d.parquet").exists()


def test_applications_as_parquet_decide_as_the_table_file(register: Path, tmp_path: Path) -> None:
    from umkm_core import UmkmError
    from umkm_core.services.national import allocate_register

    program = EXAMPLE / "program.toml"
    from_table = allocate_register(program, register, EXAMPLE / "applications.csv")
    assert from_table.refused == ()
    parquet = tmp_path / "applications.parquet"
    # Only the columns an application needs: the programme and tier are optional.
    from_table.allocation.decisions.select("business_id", "applied_at", "waves").write_parquet(
        parquet
    )
    from_parquet = allocate_register(program, register, parquet)
    assert from_parquet.allocation.decisions.equals(from_table.allocation.decisions)
    assert from_parquet.allocation.reasons.equals(from_table.allocation.reasons)
    undated = tmp_path / "program.toml"
    undated.write_text(
        program.read_text(encoding="utf-8").replace("as_of = 2017-12-08\n", ""), encoding="utf-8"
    )
    with pytest.raises(UmkmError) as caught:
        allocate_register(undated, register, parquet)
    assert caught.value.code == "bulk.no_as_of"
    later = allocate_register(undated, register, parquet, as_of=dt.date(2017, 12, 8))
    assert later.allocation.decisions.equals(from_table.allocation.decisions)
