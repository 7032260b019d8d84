"""The built-in plugin ``umkm_core.kbli``: the office's KBLI list files, or the package's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from umkm_core import KBLI, load_registry
from umkm_core.plugins.kbli import KBLI_CODES_ENV, kbli_list_files

BUILTIN_SECTOR_KBLI = sorted(
    k.code for sector in load_registry(autoload=False).sectors.values() for k in sector.kbli
)


def list_file(folder: Path, name: str, edition: int, extra: tuple[str, ...] = ()) -> Path:
    path = folder / name
    lines = [f"# edition: {edition}", "# source: Peraturan BPS", "# date: 2020-06-26", "kode"]
    path.write_text("\n".join([*lines, *BUILTIN_SECTOR_KBLI, *extra]) + "\n", encoding="utf-8")
    return path


def test_the_package_ships_no_kbli_list_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KBLI_CODES_ENV, raising=False)
    assert kbli_list_files() == []
    registry = load_registry(autoload=False)
    assert registry.kbli_codes == {}
    assert registry.problems == ()


def test_the_files_named_by_the_environment_are_registered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = list_file(tmp_path, "a.csv", 2020, ("13134",))
    second = list_file(tmp_path, "b.csv", 2025)
    monkeypatch.setenv(KBLI_CODES_ENV, os.pathsep.join([str(first), str(second)]))
    registry = load_registry(autoload=False)
    assert registry.problems == ()
    codes = registry.kbli_code_list(2020)
    assert codes is not None
    assert codes.contains(KBLI("13134"))
    assert sorted(registry.kbli_codes) == ["2020", "2025"]
    (info,) = [p for p in registry.plugins if p.name == "umkm_core.kbli"]
    assert info.registered["umkm_kbli_codes"] == ("2020", "2025")


def test_a_file_that_cannot_be_read_is_reported_and_no_list_registered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = list_file(tmp_path, "kbli.csv", 2020, ("1111",))  # a lost leading zero
    monkeypatch.setenv(KBLI_CODES_ENV, str(bad))
    registry = load_registry(autoload=False)
    assert registry.kbli_codes == {}
    (problem,) = registry.problems
    assert (problem.plugin, problem.hook) == ("umkm_core.kbli", "umkm_kbli_codes")
    assert "kbli_list.bad_code" in problem.reason
    monkeypatch.setenv(KBLI_CODES_ENV, str(tmp_path / "missing.csv"))
    (problem,) = load_registry(autoload=False).problems
    assert "FileNotFoundError" in problem.reason


def test_without_the_variable_the_package_folders_kbli_files_are_read_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KBLI_CODES_ENV, " ")
    list_file(tmp_path, "kbli-2025.csv", 2025)
    list_file(tmp_path, "kbli-2020.csv", 2020)
    (tmp_path / "kemendagri-regions.csv").write_text("36,Banten\n", encoding="utf-8")
    assert [p.name for p in kbli_list_files(tmp_path)] == ["kbli-2020.csv", "kbli-2025.csv"]


def test_blocking_the_plugin_ignores_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KBLI_CODES_ENV, str(list_file(tmp_path, "k.csv", 2020)))
    assert load_registry(autoload=False, blocklist=["umkm_core.kbli"]).kbli_codes == {}
