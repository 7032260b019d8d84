"""Application rows: every row becomes an application or is refused with its problems."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from umkm_core.adapters.application_rows import read_applications

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tangerang-2017"
WIB = dt.timezone(dt.timedelta(hours=7))


def test_example_applications_are_all_read() -> None:
    with (EXAMPLE / "applications.csv").open(encoding="utf-8", newline="") as f:
        rows = list(enumerate(csv.DictReader(f), start=2))
    report = read_applications(rows, program_id="tng-2017-pud")
    assert report.rows_read == len(rows) == len(report.applications) == 289
    assert all(a.applied_at.utcoffset() == dt.timedelta(hours=7) for a in report.applications)


def test_local_times_are_read_in_the_programme_time_zone_day_first() -> None:
    report = read_applications(
        [(2, {"No Registrasi": "TNG-1", "Waktu Daftar": "01/12/2017 08:05", "Gelombang": "2,1"})],
        program_id="p",
        time_zone="Asia/Makassar",
    )
    [a] = report.applications
    assert a.applied_at == dt.datetime(
        2017, 12, 1, 8, 5, tzinfo=dt.timezone(dt.timedelta(hours=8))
    )
    assert a.waves == (2, 1)


def test_english_headers_and_priority_tier_are_read() -> None:
    report = read_applications(
        [(2, {"business_id": "B1", "applied_at": "2017-11-20T09:00:00+07:00", "tier": "0"})],
        program_id="p",
    )
    assert report.applications[0].tier == 0


def test_bad_rows_are_refused_with_every_problem() -> None:
    report = read_applications(
        [
            (2, {"no_registrasi": "", "waktu_daftar": "kemarin", "gelombang": "satu"}),
            (3, {"no_registrasi": "B2", "waktu_daftar": "2017-11-20 09:00", "gelombang": "1,1"}),
        ],
        program_id="p",
    )
    assert report.applications == ()
    first, second = report.refused
    assert sorted(first.codes) == ["application.bad_time", "application.bad_wave",
                                   "roster.required"]  # fmt: skip
    assert second.codes == ("application.duplicate_wave",)
    assert report.rows_read == 2


def test_a_second_application_of_a_business_is_kept_for_the_allocation_to_decide() -> None:
    row = {"no_registrasi": "B1", "waktu_daftar": "2017-11-20T09:00:00+07:00"}
    report = read_applications([(2, row), (3, row)], program_id="p")
    assert len(report.applications) == 2
    assert WIB.utcoffset(None) == report.applications[0].applied_at.utcoffset()
