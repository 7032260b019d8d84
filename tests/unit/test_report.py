"""The programme report: self-contained, offline, Indonesian first, masked, atomic."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from pathlib import Path

import pytest

from report_support import TangerangRun, followup_records, tangerang_2017
from umkm_core import Text, ValidationError
from umkm_core.report import render_report, write_report

AS_OF = dt.date(2019, 12, 31)


def _render(run: TangerangRun, **options: object) -> str:
    return render_report(
        run.allocation,
        run.businesses,
        pathways=run.plan.pathways,
        records=followup_records(run),
        followup_as_of=AS_OF,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def indonesian() -> str:
    return _render(tangerang_2017())


def test_the_report_names_no_address_outside_itself(indonesian: str) -> None:
    # No URL of any kind: no CDN, no web font, no namespace or DTD link, no protocol-relative
    # reference, no CSS import; references only to ids inside the page.
    assert not re.search(r"https?:|ftp:|//[\w.-]+\.\w", indonesian)
    assert not re.search(r"@import|@font-face|<script|<link|<img|<iframe|<object", indonesian)
    assert re.findall(r"url\((?!#)", indonesian) == []
    assert re.findall(r'(?:href|src)="(?!#)', indonesian) == []
    assert "default-src 'none'" in indonesian


def test_the_tangerang_report_is_small_enough_to_mail(indonesian: str) -> None:
    assert len(indonesian.encode()) < 2 * 1024 * 1024


def test_the_report_is_indonesian_by_default_with_babel_formats(indonesian: str) -> None:
    assert '<html lang="id">' in indonesian
    assert "19 Desember 2017 – 22 Desember 2017" in indonesian
    assert "Ringkasan" in indonesian
    assert "Daftar tunggu" in indonesian
    assert re.search(r"Rp\d{1,3}(\.\d{3})+<", indonesian)  # Rupiah with id_ID grouping
    assert re.search(r">\d+,\d%<", indonesian)  # a decimal comma in percentages
    assert "Audit keadilan" in indonesian


def test_the_report_speaks_english_when_asked() -> None:
    english = _render(tangerang_2017(), lang="en")
    assert '<html lang="en">' in english
    assert "19 December 2017" in english
    assert "Summary" in english
    assert "Fairness audit" in english
    assert re.search(r">\d+,\d%<", english)  # en_ID: Indonesian digits, English words


def test_every_section_the_office_reads_is_there(indonesian: str) -> None:
    for section in ("summary", "seats", "applicants", "reasons", "waitlist", "followup", "audit"):
        assert f'<section id="{section}">' in indonesian
    run = tangerang_2017()
    waitlist = re.search(r'<table id="waitlist-table">.*?</table>', indonesian, re.DOTALL)
    assert waitlist is not None
    assert waitlist.group(0).count("<tr>") == len(run.allocation.waitlist) + 1
    due = re.search(r'<table id="expiring-table">.*?</table>', indonesian, re.DOTALL)
    assert due is not None
    assert due.group(0).count("<tr>") > 1  # halal certificates of spring 2018 expire in 2020


def test_every_chart_has_a_title_and_a_table_of_its_numbers(indonesian: str) -> None:
    charts = re.findall(r'<svg[^>]* id="(chart-\d+)"[^>]*role="img"', indonesian)
    assert len(charts) == 12
    for chart in charts:
        assert f'<title id="{chart}-title">' in indonesian
        assert f'<table id="{chart}-data">' in indonesian


def test_the_report_shows_no_personal_data_unless_asked(indonesian: str) -> None:
    run = tangerang_2017()
    people = [b.owner for b in run.businesses.values()]
    assert not any(o.name in indonesian for o in people)
    assert not any(str(o.nik) in indonesian for o in people if o.nik is not None)
    assert not any(o.phone in indonesian for o in people if o.phone is not None)
    revealed = _render(run, reveal_personal_data=True)
    waiting = {d.application.business_id for d in run.allocation.waitlist}
    assert any(run.businesses[b].owner.name in revealed for b in waiting)


def test_sectors_are_shown_by_their_registered_names() -> None:
    html = _render(
        tangerang_2017(),
        sector_names={"kuliner": Text("Kuliner", "Culinary"), "fesyen": Text("Fesyen", "Fashion")},
    )
    assert "<td>Kuliner</td>" in html
    assert "<td>Fesyen</td>" in html


def test_the_same_inputs_give_the_same_file(indonesian: str) -> None:
    assert _render(tangerang_2017()) == indonesian


def test_a_masked_report_is_written_readable_and_a_revealing_one_private(tmp_path: Path) -> None:
    run = tangerang_2017()
    masked = write_report(tmp_path / "laporan.html", run.allocation, run.businesses)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(masked.stat().st_mode) == 0o644 & ~umask
    private = write_report(
        tmp_path / "private.html", run.allocation, run.businesses, reveal_personal_data=True
    )
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert masked.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laporan.html", "private.html"]


def test_a_failed_write_leaves_the_old_report_in_place(tmp_path: Path) -> None:
    run = tangerang_2017()
    target = tmp_path / "laporan.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(ValidationError):
        write_report(target, run.allocation, run.businesses, records=["not a record"])  # type: ignore[list-item]
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["laporan.html"]
