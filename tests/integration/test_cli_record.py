"""The ``umkm`` command over the office's record, in subprocesses, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import DATABASE, assert_no_traceback, umkm

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tangerang-2017"


def _roster(tmp_path: Path, sector: str) -> Path:
    lines = (EXAMPLE / "roster.csv").read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(";")
    cells[10] = sector
    path = tmp_path / "roster.csv"
    path.write_text("\n".join([lines[0], ";".join(cells)]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("sector", ["Otomotif", "tenun", "Batik Tulis"])
def test_import_refuses_a_sector_no_plugin_registered(tmp_path: Path, sector: str) -> None:
    run = umkm("--lang", "en", "import", _roster(tmp_path, sector), "--office", "dinkopukm-3671")
    assert run.code == 0, run.output
    assert "1 rows read, 0 imported, 1 refused" in run.out
    assert "roster.sector_unknown" in run.out


def test_import_never_writes_over_its_input(tmp_path: Path) -> None:
    roster = _roster(tmp_path, "Makanan")
    register = tmp_path / "register.jsonl"
    assert umkm("import", roster, "--office", "dinkopukm-3671", "--out", register).code == 0
    before = register.read_bytes()
    again = umkm("--lang", "en", "import", register)  # default output is not the input
    assert again.code == 0, again.output
    assert register.read_bytes() == before
    assert (tmp_path / "register.register.jsonl").is_file()
    refused = umkm("--lang", "en", "import", register, "--out", register)
    assert refused.code == 1
    assert "cli.overwrites_input" in refused.err
    assert register.read_bytes() == before


def test_the_register_written_by_import_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    roster = _roster(tmp_path, "Makanan")
    assert umkm("import", roster, "--office", "dinkopukm-3671").code == 0
    assert roster.with_suffix(".jsonl").stat().st_mode & 0o777 == 0o600


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """An allocation of the reference programme, from copies of its files, in its own record."""
    folder = tmp_path_factory.mktemp("record")
    db = f"sqlite:///{folder / 'umkm.db'}"
    for name in ("program.toml", "applications.csv", "followup.toml"):
        (folder / name).write_bytes((EXAMPLE / name).read_bytes())
    out = folder / "run"
    run = umkm("allocate", folder / "program.toml", "--register", EXAMPLE / "roster.csv",
               "--office", "dinkopukm-3671", "--applications", folder / "applications.csv",
               "--out", out, "--db", db)  # fmt: skip
    assert run.code == 0, run.output
    return folder, out, db


def _decisions(out: Path) -> list[dict[str, object]]:
    data = json.loads((out / "decisions.json").read_text(encoding="utf-8"))
    rows = data["rows"] if isinstance(data, dict) else data
    assert isinstance(rows, list)
    return rows


def test_explain_reads_the_recorded_decision_after_the_inputs_changed(
    recorded: tuple[Path, Path, str],
) -> None:
    folder, out, _ = recorded
    accepted = next(r for r in _decisions(out) if r["status"] == "accepted")
    applications = folder / "applications.csv"
    lines = applications.read_text(encoding="utf-8").splitlines()
    applications.write_text(
        "\n".join(line for line in lines if not line.startswith(str(accepted["business_id"])))
        + "\n",
        encoding="utf-8",
    )
    run = umkm("--lang", "en", "explain", str(accepted["business_id"]), "--run", out)
    assert run.code == 0, run.output
    assert f"Accepted in wave {accepted['wave']}." in run.out


def test_run_json_names_the_run_and_its_record(recorded: tuple[Path, Path, str]) -> None:
    manifest = json.loads((recorded[1] / "run.json").read_text(encoding="utf-8"))
    assert manifest["program_id"] == "tng-2017-pud"
    assert manifest["db"] == recorded[2]
    assert not DATABASE.exists() or Path(recorded[2].removeprefix("sqlite:///")) != DATABASE


def test_a_withdrawal_from_the_command_line_promotes_the_next(
    recorded: tuple[Path, Path, str],
) -> None:
    _, out, db = recorded
    seated = next(r for r in _decisions(out) if r["status"] == "accepted")
    run = umkm("--lang", "en", "enroll", "withdraw", "tng-2017-pud", str(seated["business_id"]),
               "--by", "clerk-7", "--db", db)  # fmt: skip
    assert run.code == 0, run.output
    assert "Withdrew from wave" in run.out
    assert "Promoted from the waitlist" in run.out
    history = umkm("history", str(seated["business_id"]), "--lang", "en", "--db", db)
    assert history.code == 0, history.output
    assert "enrollment.withdrawn" in history.out


def test_lang_and_debug_are_accepted_after_the_subcommand(
    recorded: tuple[Path, Path, str],
) -> None:
    run = umkm("validate", EXAMPLE / "program.toml", "--lang", "en", "--debug")
    assert run.code == 0, run.output
    assert "The programme file is valid." in run.out


def test_without_the_cli_extra_umkm_says_which_extra_to_install() -> None:
    code = (
        "import sys; sys.modules['click'] = None; "
        "from umkm_core.cli import main; sys.exit(main(['plugins']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert done.stderr.strip().endswith("pip install 'umkm-core[cli]'")
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_demo_runs_from_any_folder_in_english(tmp_path: Path) -> None:
    run = umkm("demo", "--lang", "en", "--out", tmp_path / "out", cwd=tmp_path)
    assert run.code == 0, run.output
    assert "Roster: 10564 rows read, 10555 imported, 9 refused." in run.out
    assert "Wave 1 (kuliner): 80 of 80 seats taken" in run.out
    assert (tmp_path / "out" / "example" / "roster.csv").is_file()
    assert (tmp_path / "out" / "umkm.db").is_file()
    assert "History of" in run.out


def _plugin(tmp_path: Path, name: str, source: str) -> dict[str, str]:
    """An installed plugin distribution in a folder put on PYTHONPATH: entry point and all."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / f"{name}.py").write_text(source, encoding="utf-8")
    info = site / f"{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[umkm_core]\n{name} = {name}\n")
    return {"PYTHONPATH": str(site)}


BROKEN_EXPORTER = """
from umkm_core import Exporter, Text, hookimpl

def _write(table, stream, options):
    raise RuntimeError("boom")

@hookimpl
def umkm_exporters():
    yield Exporter(code="broken", name=Text("Rusak", "Broken"), extension=".brk",
                   media_type="text/plain", write=_write)
"""


def test_a_broken_exporter_is_named_and_the_other_formats_are_still_written(
    tmp_path: Path, recorded: tuple[Path, Path, str]
) -> None:
    folder, _, db = recorded
    out = tmp_path / "run"
    run = umkm("--lang", "en", "allocate", folder / "program.toml", "--applications",
               EXAMPLE / "applications.csv", "--out", out, "--replace", "--db", db,
               env=_plugin(tmp_path, "umkm_broken", BROKEN_EXPORTER))  # fmt: skip
    assert run.code == 1, run.output
    assert_no_traceback(run)
    assert "Format broken (plugin umkm_broken)" in run.err
    for extension in (".csv", ".json", ".jsonl", ".xlsx"):
        assert (out / f"decisions{extension}").is_file()
    assert not (out / "decisions.brk").exists()


def test_db_commands_create_check_and_verify_the_record(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'office.db'}"
    missing = umkm("--lang", "en", "db", "status", "--db", db)
    assert missing.code == 1
    assert_no_traceback(missing)
    made = umkm("db", "upgrade", "--db", db)
    assert made.code == 0, made.output
    assert (tmp_path / "office.db").stat().st_mode & 0o777 == 0o600
    assert umkm("db", "status", "--db", db).code == 0
    roster = _roster(tmp_path, "Makanan")
    assert umkm("import", roster, "--office", "dinkopukm-3671", "--db", db).code == 0
    intact = umkm("--lang", "en", "db", "verify", "--db", db)
    assert intact.code == 0, intact.output
    assert "The audit trail is intact." in intact.out


def test_erasure_replaces_personal_data_and_is_audited(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'office.db'}"
    roster = _roster(tmp_path, "Makanan")
    assert umkm("import", roster, "--office", "dinkopukm-3671", "--db", db).code == 0
    business = roster.read_text(encoding="utf-8").splitlines()[1].split(";")[0]
    refused = umkm("--lang", "en", "erase", business, "--db", db)
    assert refused.code == 2  # --by is required: every change names who made it
    run = umkm("--lang", "en", "erase", business, "--by", "dpo-1", "--db", db)
    assert run.code == 0, run.output
    assert "personal data erased from 1 versions" in run.out
    history = umkm("--lang", "en", "history", business, "--db", db)
    assert "business.version" in history.out
    assert umkm("db", "verify", "--db", db).code == 0


CLASHING_SECTOR = """
from umkm_core import Sector, Text, hookimpl

@hookimpl
def umkm_sectors():
    yield Sector(code="kuliner", name=Text("Kuliner tiruan", "Copycat food"))
    yield Sector(code="fesyen", name=Text("Fesyen tiruan", "Copycat fashion"))
"""


def test_plugins_lists_everything_and_marks_every_clash(tmp_path: Path) -> None:
    env = _plugin(tmp_path, "umkm_copycat", CLASHING_SECTOR)
    listing = umkm("--lang", "en", "plugins", env=env)
    assert listing.code == 1
    assert_no_traceback(listing)
    assert "umkm_copycat" in listing.out
    assert "(clash)" in listing.out
    assert "sector 'kuliner' is registered by" in listing.out
    assert "sector 'fesyen' is registered by" in listing.out
    refused = umkm("--lang", "en", "validate", EXAMPLE / "program.toml", env=env)
    assert refused.code == 1
    assert "sector 'fesyen' by" in refused.err
    assert "sector 'kuliner' by" in refused.err


def test_audit_of_a_recorded_run_prints_every_attribute_in_indonesian(
    recorded: tuple[Path, Path, str],
) -> None:
    _, out, _ = recorded
    run = umkm("audit", "--run", out)
    assert run.code == 0, run.output
    for heading in ("Kecamatan", "Jenis kelamin pemilik", "Skala usaha", "Sektor"):
        assert heading in run.out
    assert "Menengah" in run.out
    assert "eligibility.size_class: 9" in run.out


def test_report_of_a_recorded_run_is_one_offline_html_file(
    recorded: tuple[Path, Path, str], tmp_path: Path
) -> None:
    folder, out, _ = recorded
    target = tmp_path / "laporan.html"
    run = umkm("--lang", "en", "report", "--run", out, "--plan", folder / "followup.toml",
               "--out", target)  # fmt: skip
    assert run.code == 0, run.output
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html
    assert "http://" not in html.replace("http://www.w3.org/", "")
    assert "https://" not in html
    assert target.stat().st_size < 2_000_000


def test_screen_judges_a_parquet_register_with_the_allocation_reasons(tmp_path: Path) -> None:
    register = tmp_path / "register"
    exported = umkm("--lang", "en", "export", "--format", "parquet", "--register",
                    EXAMPLE / "roster.csv", "--office", "dinkopukm-3671",
                    "--out", register)  # fmt: skip
    assert exported.code == 0, exported.output
    assert "10555 businesses written" in exported.out
    eligible = tmp_path / "eligible.txt"
    run = umkm("--lang", "en", "screen", EXAMPLE / "program.toml", "--register", register,
               "--eligible", eligible)  # fmt: skip
    assert run.code == 0, run.output
    assert "10555 businesses screened as of 2017-12-08" in run.out
    assert "eligibility.sector" in run.out or "eligibility.size_class" in run.out
    ids = eligible.read_text(encoding="utf-8").split()
    assert ids
    assert all(i.startswith("TNG-") for i in ids)


def _on_a_terminal(*args: str | Path, cwd: Path) -> str:
    """Run ``umkm ARGS`` with a pseudo-terminal for its output; what it drew."""
    import os
    import pty

    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("UMKM_")}
    env.update({"COLUMNS": "100", "TERM": "xterm", "UMKM_DATABASE_URL": "memory:"})
    process = subprocess.Popen(
        [sys.executable, "-m", "umkm_core.cli", *map(str, args)],
        stdout=secondary, stderr=secondary, cwd=cwd, env=env,
    )  # fmt: skip
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=300)
    os.close(primary)
    return b"".join(chunks).decode("utf-8", "replace")


def test_import_shows_progress_on_a_terminal_and_stays_silent_when_piped(tmp_path: Path) -> None:
    drawn = _on_a_terminal("import", EXAMPLE / "roster.csv", "--office", "dinkopukm-3671",
                           "--out", tmp_path / "r.jsonl", cwd=tmp_path)  # fmt: skip
    assert "Impor roster" in drawn
    assert "10555 diimpor" in drawn
    piped = umkm("import", EXAMPLE / "roster.csv", "--office", "dinkopukm-3671",
                 "--out", tmp_path / "p.jsonl", "--db", "memory:")  # fmt: skip
    assert piped.code == 0, piped.output
    assert "Impor roster" not in piped.err


def test_plugins_fit_a_narrow_pipe_without_cutting_a_code_and_speak_indonesian() -> None:
    run = umkm("plugins", env={"COLUMNS": "70"})
    assert run.code == 0, run.output
    assert all(len(line) <= 70 for line in run.out.splitlines())
    for code in ("kriya-md", "batikmark", "umkm_core.exporters", "367101"):
        assert code in run.out
    assert "bawaan" in run.out
    assert "aktif" in run.out
    assert "builtin" not in run.out


def test_a_run_folder_is_replaced_as_one_unit(
    recorded: tuple[Path, Path, str], tmp_path: Path
) -> None:
    folder, _, db = recorded
    out = tmp_path / "run"
    out.mkdir()
    (out / "decisions.csv").write_text("stale\n", encoding="utf-8")
    (out / "from-another-run.txt").write_text("stale\n", encoding="utf-8")
    run = umkm("allocate", folder / "program.toml", "--applications",
               folder / "applications.csv", "--out", out, "--replace", "--db", db)  # fmt: skip
    assert run.code == 0, run.output
    assert not (out / "from-another-run.txt").exists()
    assert (out / "decisions.csv").read_text(encoding="utf-8-sig") != "stale\n"
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] in run.out
    assert not list(tmp_path.glob(".run.*"))


def test_validate_refuses_an_unregistered_sector_and_certificate_kind_together(
    tmp_path: Path,
) -> None:
    text = (EXAMPLE / "program.toml").read_text(encoding="utf-8")
    text = text.replace('sector = "kuliner"', 'sector = "kulinerr"', 1)
    text = text.replace(
        "[allocation]", '[[rules]]\nrule = "holds_certificate"\nkind = "pirtt"\n\n[allocation]'
    )
    program = tmp_path / "program.toml"
    program.write_text(text, encoding="utf-8")
    run = umkm("--lang", "en", "validate", program)
    assert run.code == 1
    assert_no_traceback(run)
    assert "program_file.unknown_sector" in run.err
    assert "program_file.unknown_step" in run.err
    assert "'pirtt'" in run.err
