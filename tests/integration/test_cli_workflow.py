"""The ``umkm`` commands on real files, in a subprocess: import, allocate, explain, export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cli_support import assert_no_traceback, umkm

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tangerang-2017"

DAMAGED = (
    "Nama Usaha;Nama Pemilik;NIK;NIB;Kecamatan;Sektor;Omzet;Tahun;Binaan Sejak\r\n"
    "Dodol Sari;Sari;3671054508900001;9120001234567;Cipondoh;Makanan;Rp150.000.000;2016;"
    "01/03/2015\r\n"
    "Batik Budi;Budi;3,67105E+15;;Karawaci;Fesyen;Rp90.000.000;2016;2015\r\n"
    "Kue Ani;Ani;3671054508900001;;Benda;Makanan;1.000.000;2016;2016\r\n"
    "Kaos Dedi;Dedi;;912000123456;Larangan;fashion;2.500.000;2016;2016\r\n"
    "Kopi Eko;;;;Atlantis;Makanan;banyak;;31/02/2016\r\n"
    "Roti Rina;Rina;;;Pinang;Makanan;Rp 75.000.000,00;2016;2017-01-05\r\n"
)


@pytest.fixture(scope="module")
def damaged_roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roster") / "roster.csv"
    # What Excel with Indonesian settings saves: cp1252, semicolons, CRLF.
    path.write_bytes(DAMAGED.encode("cp1252"))
    return path


def test_import_of_a_damaged_roster_accounts_for_every_row(damaged_roster: Path) -> None:
    errors = damaged_roster.with_name("errors.csv")
    run = umkm("--lang", "en", "import", damaged_roster, "--office", "dinkopukm-3671",
               "--errors", errors)  # fmt: skip
    assert run.code == 0, run.output
    assert "Roster: 6 rows read, 2 imported, 4 refused." in run.out
    register = damaged_roster.with_suffix(".jsonl")
    assert len(register.read_text(encoding="utf-8").splitlines()) == 2
    with errors.open(encoding="utf-8-sig", newline="") as f:
        problems = list(csv.DictReader(f, delimiter=";"))
    codes = {(p["Row"], p["Code"]) for p in problems}
    assert ("3", "nik.scientific_notation") in codes
    assert ("4", "roster.duplicate_nik") in codes
    assert ("5", "nib.lost_leading_zero") in codes
    assert {p["Row"] for p in problems} == {"3", "4", "5", "6"}
    row_6 = {p["Code"] for p in problems if p["Row"] == "6"}
    assert {"roster.required", "roster.region_unknown", "money.bad_format"} <= row_6
    assert {"roster.year_missing", "roster.bad_date"} <= row_6


def test_import_of_a_missing_file_is_one_clear_message(tmp_path: Path) -> None:
    run = umkm("import", tmp_path / "nope.csv")
    assert run.code == 1
    assert_no_traceback(run)
    assert "nope.csv" in run.err


def test_import_of_an_unknown_format_names_the_known_ones(tmp_path: Path) -> None:
    odd = tmp_path / "roster.pdf"
    odd.write_bytes(b"%PDF")
    run = umkm("--lang", "en", "import", odd)
    assert run.code == 1
    assert_no_traceback(run)
    assert "importer.unknown" in run.err


@pytest.fixture(scope="module")
def allocation_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    run = umkm(
        "allocate",
        EXAMPLE / "program.toml",
        "--register",
        EXAMPLE / "roster.csv",
        "--office",
        "dinkopukm-3671",
        "--applications",
        EXAMPLE / "applications.csv",
        "--out",
        out,
    )
    assert run.code == 0, run.output
    (out / "stdout.txt").write_text(run.out, encoding="utf-8")
    return out


def test_allocate_seats_80_and_80_and_gives_every_refusal_a_reason(allocation_run: Path) -> None:
    printed = (allocation_run / "stdout.txt").read_text(encoding="utf-8")
    assert "Gelombang 1 (kuliner): 80 dari 80 kursi terisi" in printed
    assert "Gelombang 2 (fesyen): 80 dari 80 kursi terisi" in printed
    decisions = json.loads((allocation_run / "decisions.json").read_text(encoding="utf-8"))
    rows = decisions["rows"] if isinstance(decisions, dict) else decisions
    assert len(rows) == 289
    statuses = [r["status"] for r in rows]
    assert statuses.count("accepted") == 160
    for row in rows:
        if row["status"] != "accepted":
            assert row["reason_codes"], row
            assert row["reasons_en"], row


def test_explain_replays_the_run_for_one_business(allocation_run: Path) -> None:
    decisions = json.loads((allocation_run / "decisions.json").read_text(encoding="utf-8"))
    rows = decisions["rows"] if isinstance(decisions, dict) else decisions
    refused = next(r for r in rows if r["status"] == "refused")
    run = umkm("--lang", "en", "explain", refused["business_id"], "--run", allocation_run)
    assert run.code == 0, run.output
    assert "Refused" in run.out


def test_followup_plans_packaging_first(allocation_run: Path) -> None:
    run = umkm("--lang", "en", "followup", "--run", allocation_run,
               "--plan", EXAMPLE / "followup.toml")  # fmt: skip
    assert run.code == 0, run.output
    assert "can start now: packaging (80)" in run.out
    assert (allocation_run / "followup-plan.csv").is_file()


def test_export_writes_any_registered_format(tmp_path: Path, damaged_roster: Path) -> None:
    out = tmp_path / "register.xlsx"
    run = umkm("export", "--format", "xlsx", "--register", damaged_roster,
               "--office", "dinkopukm-3671", "--out", out)  # fmt: skip
    assert run.code == 0, run.output
    assert out.stat().st_size > 0


def test_export_to_an_unknown_format_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    run = umkm("--lang", "en", "export", "--format", "pdf", "--register",
               EXAMPLE / "roster.csv", "--out", tmp_path / "x.pdf")  # fmt: skip
    assert run.code == 1
    assert_no_traceback(run)
    assert "exporter.unknown" in run.err


def test_plugins_lists_the_built_ins() -> None:
    run = umkm("--lang", "en", "plugins")
    assert run.code == 0, run.output
    assert "umkm_core.exporters" in run.out


def test_demo_runs_the_reference_programme_end_to_end(
    tmp_path: Path, allocation_run: Path
) -> None:
    out = tmp_path / "out"
    run = umkm("demo", "--example", EXAMPLE, "--out", out)
    assert run.code == 0, run.output
    assert_no_traceback(run)
    assert "Roster: 10564 baris dibaca, 10555 diimpor, 9 ditolak." in run.out
    assert "Gelombang 1 (kuliner): 80 dari 80 kursi terisi" in run.out
    assert "Gelombang 2 (fesyen): 80 dari 80 kursi terisi" in run.out
    assert "Daftar tunggu: 107; ditolak: 22" in run.out
    assert "2017-12-25 adalah Hari Raya Natal" in run.out
    assert "bisa mulai sekarang: packaging (80)" in run.out
    for stem in ("run/decisions", "followup-plan", "business-register", "import-errors"):
        for extension in (".csv", ".json", ".jsonl", ".xlsx"):
            assert (out / f"{stem}{extension}").is_file(), stem + extension
    # The same inputs give the same decisions, whichever command ran them.
    decisions = (out / "run" / "decisions.csv").read_bytes()
    assert decisions == (allocation_run / "decisions.csv").read_bytes()


def test_demo_without_its_example_files_says_where_to_run_it(tmp_path: Path) -> None:
    run = umkm("--lang", "en", "demo", "--example", tmp_path / "none", "--out", tmp_path)
    assert run.code == 1
    assert_no_traceback(run)
    assert "Example files missing" in run.err
    assert "Without --example, umkm demo writes its own." in run.err


def test_import_of_an_xlsx_roster_reports_numbers_excel_mangled(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Nama Usaha", "Nama Pemilik", "NIK", "Kecamatan", "Sektor", "Omzet", "Tahun"])
    sheet.append(["Dodol Sari", "Sari", "3671054508900001", "Cipondoh", "makanan", 150e6, 2016])
    sheet.append(["Batik Budi", "Budi", 3671050508900002, "Karawaci", "fesyen", 9e7, 2016])
    sheet.append(["Kue Ani", "Ani", 3.6710545089e15, "Benda", "makanan", "Rp1.000.000", 2016])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    run = umkm("--lang", "en", "import", path, "--errors", tmp_path / "errors.json")
    assert run.code == 0, run.output
    # Both NIKs typed as numbers are damaged, also the one Excel shows in full.
    assert "Roster: 3 rows read, 1 imported, 2 refused." in run.out
    assert "2  nik.scientific_notation" in run.out


def test_followup_reads_progress_and_lists_certificates_due(
    allocation_run: Path, tmp_path: Path
) -> None:
    decisions = json.loads((allocation_run / "decisions.json").read_text(encoding="utf-8"))
    rows = decisions["rows"] if isinstance(decisions, dict) else decisions
    food = [r["business_id"] for r in rows if r["status"] == "accepted" and r["wave"] == 1][:3]
    progress = tmp_path / "progress.csv"
    lines = ["no_registrasi;langkah;status;tanggal;diajukan;jalur;nomor_sertifikat"]
    lines += [f"{b};packaging;terbit;2018-02-01;;;" for b in food]
    lines += [f"{b};halal;terbit;2018-05-01;2018-03-01;regular;MUI-{i}"
              for i, b in enumerate(food[:2])]  # fmt: skip
    lines.append(f"{food[2]};halal;terbit;2018-05-01;;;")  # no route: refused, reported
    progress.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = EXAMPLE / "followup.toml"
    run = umkm("--lang", "en", "followup", "--run", allocation_run, "--plan", plan,
               "--records", progress, "--as-of", "2020-02-01")  # fmt: skip
    assert run.code == 0, run.output
    assert "Certificates due for renewal within 180 days: 2" in run.out
    assert "step.route_required" in run.err
