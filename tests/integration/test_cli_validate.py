"""``umkm validate``: the reference programme passes; bad files get one clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import assert_no_traceback, umkm

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tangerang-2017" / "program.toml"


def test_reference_programme_file_is_valid() -> None:
    run = umkm("validate", EXAMPLE)
    assert run.code == 0, run.output
    assert "Gelombang 1: kuliner, 19-12-2017 s.d. 20-12-2017, 80 kursi" in run.out
    assert "Berkas program sah." in run.out


def test_validate_speaks_english_when_asked() -> None:
    run = umkm("--lang", "en", "validate", EXAMPLE)
    assert run.code == 0
    assert "Wave 2: fesyen, 2017-12-21 to 2017-12-22, 80 seats" in run.out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[program\n", "program_file.bad_toml"),
        ('[program]\nid = "x"\n', "program_file.missing"),
        (
            EXAMPLE.read_text(encoding="utf-8").replace("end = 2017-12-20", "end = 2017-12-18"),
            "waves[0].end",
        ),
        (
            EXAMPLE.read_text(encoding="utf-8").replace('"coached_by"', '"coached_bye"'),
            "rules[0].rule",
        ),
    ],
)
def test_bad_programme_file_ends_with_a_clear_message_and_exit_code_1(
    tmp_path: Path, content: str, expected: str
) -> None:
    bad = tmp_path / "program.toml"
    bad.write_text(content, encoding="utf-8")
    run = umkm("validate", bad)
    assert run.code == 1
    assert_no_traceback(run)
    assert str(bad) in run.err
    assert expected in run.err


def test_missing_programme_file_is_named_without_a_traceback(tmp_path: Path) -> None:
    run = umkm("--lang", "en", "validate", tmp_path / "nowhere.toml")
    assert run.code == 1
    assert_no_traceback(run)
    assert "not found" in run.err


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "program.toml"
    bad.write_text("[program\n", encoding="utf-8")
    run = umkm("--debug", "validate", bad)
    assert run.code == 1
    assert "Traceback" in run.err
