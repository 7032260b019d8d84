"""The example roster of Kota Tangerang imports as the office's register of 10,555."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from umkm_core.adapters.roster import import_roster

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tangerang-2017"
OFFICE = "dinkopukm-3671"


def test_example_roster_keeps_10555_businesses_and_reports_every_damaged_row() -> None:
    with (EXAMPLE / "roster.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(enumerate(csv.DictReader(f, delimiter=";"), start=2))
    report = import_roster(rows, office_id=OFFICE)
    assert report.rows_read == len(rows) == 10_565
    assert report.imported == 10_555
    assert report.problem_counts() == {
        "money.bad_format": 1,
        "nib.lost_leading_zero": 1,
        "nik.scientific_notation": 1,
        "nik.spreadsheet_decimal": 1,
        "phone.invalid": 1,
        "roster.bad_date": 1,
        "roster.blank_row": 1,
        "roster.duplicate_nik": 1,
        "roster.region_unknown": 1,
        "roster.required": 1,
    }
    on = dt.date(2017, 12, 19)
    assert sum(b.is_coached_by(OFFICE, on) for b in report.businesses) == 10_543
