"""``umkm import`` with the office's KBLI list named in ``UMKM_KBLI_CODES``, as a user runs it."""

from __future__ import annotations

from pathlib import Path

from cli_support import umkm
from umkm_core import load_registry

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tangerang-2017"


def _roster(tmp_path: Path, kbli: str) -> Path:
    lines = (EXAMPLE / "roster.csv").read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(";")
    assert lines[0].split(";")[11] == "KBLI"
    cells[11] = kbli
    path = tmp_path / "roster.csv"
    path.write_text("\n".join([lines[0], ";".join(cells)]) + "\n", encoding="utf-8")
    return path


def _kbli_list(tmp_path: Path) -> Path:
    # Every code of the sectors the installed plugins register (the crafts plugin too).
    registry = load_registry()
    codes = sorted({k.code for s in registry.sectors.values() for k in s.kbli})
    path = tmp_path / "kbli-2020.csv"
    header = "# edition: 2020\n# source: Peraturan BPS Nomor 2 Tahun 2020\n# date: 2020-06-26\n"
    path.write_text(header + "kode\n" + "\n".join(codes) + "\n", encoding="utf-8")
    return path


def test_import_refuses_a_kbli_code_missing_from_the_offices_list(tmp_path: Path) -> None:
    roster = _roster(tmp_path, "15129")
    env = {"UMKM_KBLI_CODES": str(_kbli_list(tmp_path))}
    run = umkm("--lang", "en", "import", roster, "--office", "dinkopukm-3671", env=env)
    assert run.code == 0, run.output
    assert "1 rows read, 0 imported, 1 refused" in run.out
    assert "kbli.unknown_code" in run.out
    # The same roster without the list: the code has a real division, so it passes.
    run = umkm("--lang", "en", "import", roster, "--office", "dinkopukm-3671")
    assert run.code == 0, run.output
    assert "1 rows read, 1 imported, 0 refused" in run.out


def test_import_with_a_listed_code_imports_the_row(tmp_path: Path) -> None:
    roster = _roster(tmp_path, "15121")
    env = {"UMKM_KBLI_CODES": str(_kbli_list(tmp_path))}
    run = umkm("--lang", "en", "import", roster, "--office", "dinkopukm-3671", env=env)
    assert run.code == 0, run.output
    assert "1 rows read, 1 imported, 0 refused" in run.out
