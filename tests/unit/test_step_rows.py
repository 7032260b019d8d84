"""Follow-up progress rows: each becomes a step record or is refused with its problems."""

from __future__ import annotations

import datetime as dt

from umkm_core.adapters.step_rows import read_step_records
from umkm_core.followup import StepStatus


def row(**cells: str) -> dict[str, object]:
    base: dict[str, object] = {"no_registrasi": "TNG-1", "langkah": "packaging"}
    base.update(cells)
    return base


def test_every_status_is_replayed_from_its_date() -> None:
    rows = [
        (2, row(status="rencana", tanggal="2018-01-02")),
        (3, row(status="proses", tanggal="2018-02-01")),
        (4, row(langkah="halal", status="diajukan", tanggal="2018-03-01", jalur="regular")),
        (5, row(status="terbit", tanggal="2018-03-10")),
        (6, row(langkah="halal", status="ditolak", tanggal="2018-05-01", jalur="regular")),
        (7, row(status="dibebaskan", tanggal="2018-01-10")),
    ]
    report = read_step_records(rows)
    assert [r.status for r in report.records] == [
        StepStatus.PLANNED,
        StepStatus.IN_PROGRESS,
        StepStatus.SUBMITTED,
        StepStatus.GRANTED,
        StepStatus.REJECTED,
        StepStatus.WAIVED,
    ]
    assert report.records[3].granted_on == dt.date(2018, 3, 10)


def test_a_trademark_runs_ten_years_from_its_filing_date() -> None:
    report = read_step_records(
        [
            (
                2,
                row(
                    langkah="trademark",
                    status="granted",
                    tanggal="2019-06-01",
                    diajukan="2018-10-02",
                    nomor_sertifikat="IDM000000001",
                ),
            )
        ]
    )
    [record] = report.records
    assert record.expires_on == dt.date(2028, 10, 2)


def test_bad_rows_are_refused_with_every_problem() -> None:
    report = read_step_records(
        [
            (2, {"no_registrasi": "TNG-1", "langkah": "halal-mui", "status": "done"}),
            (3, row(langkah="halal", status="granted", tanggal="2018-06-01")),
        ]
    )
    assert report.records == ()
    first, second = report.refused
    assert sorted(first.codes) == ["roster.required", "step_row.bad_status",
                                   "step_row.unknown_step"]  # fmt: skip
    assert second.codes == ("step.route_required",)
    assert report.rows_read == 2
