"""Programme files: the reference programme reads, every problem is named with its path."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from umkm_core import InvalidDocument
from umkm_core.adapters.program_file import load_program, program_from_toml
from umkm_core.rules import builtin_rule_factories

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "tangerang-2017" / "program.toml"
DOCS = ROOT / "docs" / "programme-files.md"

HEAD = """
[program]
id = "p"
title = "Pelatihan"
office_id = "dinkopukm-3671"
year = 2017
kind = "training"
"""

WAVE = """
[[waves]]
number = 1
sector = "kuliner"
start = 2017-12-19
end = 2017-12-20
seats = 80
"""


def problems(text: str) -> dict[str, str]:
    with pytest.raises(InvalidDocument) as info:
        program_from_toml(text, source="program.toml")
    assert info.value.field == "program.toml"
    return {str(e.field): e.code for e in info.value.errors}


def test_reference_programme_has_two_waves_of_80_from_9_to_15_wib() -> None:
    program = load_program(EXAMPLE)
    assert program.seats == 160
    food, fashion = program.waves
    assert (food.sector, food.start, food.end) == ("kuliner", dt.date(2017, 12, 19),
                                                   dt.date(2017, 12, 20))  # fmt: skip
    assert (fashion.sector, fashion.start) == ("fesyen", dt.date(2017, 12, 21))
    session = food.sessions[0]
    assert (session.start, session.end, session.time_zone) == (
        dt.time(9),
        dt.time(15),
        "Asia/Jakarta",
    )
    assert {r.to_data()["rule"] for r in program.rules} >= {"coached_by", "sector_matches_wave"}


def test_every_problem_is_reported_with_its_key_path() -> None:
    text = (
        HEAD.replace("year = 2017", 'year = "2017"')
        + WAVE.replace("end = 2017-12-20", "end = 2017-12-18")
        + WAVE.replace("seats = 80", "seats = 0").replace("number = 1", "number = 2")
        + """
[[rules]]
rule = "coached_bye"
"""
    )
    assert problems(text) == {
        "program.year": "program_file.wrong_type",
        "waves[0].end": "wave.end_before_start",
        "waves[1].seats": "wave.bad_seats",
        "rules[0].rule": "rule.unknown",
    }


def test_unknown_keys_are_refused_not_ignored() -> None:
    text = "extra = 1\n" + HEAD + WAVE.replace("seats = 80", "seats = 80\nseat = 80")
    assert problems(text) == {
        "waves[0].seat": "program_file.unknown_key",
        "extra": "program_file.unknown_key",
    }


def test_missing_program_table_and_waves_are_reported() -> None:
    assert problems("schema = 1\n") == {
        "program": "program_file.missing",
        "waves": "program_file.no_waves",
    }


def test_toml_syntax_error_names_line_and_column() -> None:
    with pytest.raises(InvalidDocument) as info:
        program_from_toml("[program\nid = 1", source="x.toml")
    [error] = info.value.errors
    assert error.code == "program_file.bad_toml"
    assert "line 1" in error.message_en


def test_missing_rule_parameter_is_named() -> None:
    text = HEAD + WAVE + '\n[[rules]]\nrule = "district_quota"\n'
    assert problems(text) == {"rules[0].limit": "rule.missing_param"}


def test_unsupported_schema_version_is_refused() -> None:
    assert problems("schema = 2\n" + HEAD + WAVE) == {"schema": "program_file.unsupported_schema"}


def test_duplicate_wave_numbers_are_refused() -> None:
    assert problems(HEAD + WAVE + WAVE) == {"waves[1].number": "program.duplicate_wave_number"}


def test_explicit_sessions_and_indonesian_kind_are_read() -> None:
    text = (
        HEAD.replace('"training"', '"pendampingan"')
        + WAVE
        + (
            "sessions = [{ day = 2017-12-19, from = 09:00:00, to = 12:00:00 },"
            ' { day = 2017-12-20, from = "13:00", to = "16:00", time_zone = "Asia/Makassar" }]\n'
        )
    )
    program = program_from_toml(text)
    assert program.kind.value == "mentoring"
    assert [s.time_zone for s in program.waves[0].sessions] == ["Asia/Jakarta", "Asia/Makassar"]


def test_session_outside_its_wave_is_refused() -> None:
    text = HEAD + WAVE + "sessions = [{ day = 2017-12-25, from = 09:00:00, to = 12:00:00 }]\n"
    assert problems(text) == {"waves[0].sessions[0].day": "wave.session_outside_wave"}


_TOML_BLOCK = re.compile(r"```toml\n(.*?)```", re.S)


def test_every_built_in_rule_has_a_documented_example_that_parses() -> None:
    examples = _TOML_BLOCK.findall(DOCS.read_text(encoding="utf-8"))
    documented: set[str] = set()
    for example in examples:
        program = program_from_toml(HEAD + WAVE + example, source="docs")
        documented |= {r.to_data()["rule"] for r in program.rules}  # type: ignore[misc]
    assert {f.name for f in builtin_rule_factories()} <= documented
