"""Programme files: the reference programme reads, every problem is named with its path."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from umkm_core import InvalidDocument, load_registry
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


def test_a_wave_in_an_unregistered_sector_fails_validation_against_the_registry() -> None:
    text = HEAD + WAVE.replace('"kuliner"', '"kulinerr"')
    with pytest.raises(InvalidDocument) as info:
        program_from_toml(text, sectors=["kuliner", "fesyen", "kriya"])
    assert [(e.field, e.code) for e in info.value.errors] == [
        ("waves[0].sector", "program_file.unknown_sector")
    ]
    assert program_from_toml(text).waves[0].sector == "kulinerr", "no registry: any sector"


def test_the_loader_takes_the_registrys_sectors() -> None:
    sectors = load_registry(autoload=False).sectors
    assert program_from_toml(HEAD + WAVE, sectors=sectors).waves[0].sector == "kuliner"
    with pytest.raises(InvalidDocument):
        program_from_toml(HEAD + WAVE.replace('"kuliner"', '"kulinerr"'), sectors=sectors)


def test_a_duplicate_wave_number_and_zero_seats_are_reported_together() -> None:
    second = WAVE.replace("seats = 80", "seats = 0").replace("2017-12-19", "2017-12-21")
    second = second.replace("2017-12-20", "2017-12-22")
    found = problems(HEAD + WAVE + second)
    assert found == {
        "waves[1].number": "program.duplicate_wave_number",
        "waves[1].seats": "wave.bad_seats",
    }


def test_every_problem_of_one_wave_is_reported_at_once() -> None:
    bad = WAVE.replace("number = 1", "number = 0").replace("seats = 80", "seats = -1")
    bad = bad.replace("end = 2017-12-20", "end = 2017-12-01")
    found = problems(HEAD.replace("year = 2017", "year = 1800") + bad)
    assert found == {
        "program.year": "program.bad_year",
        "waves[0].number": "wave.bad_number",
        "waves[0].seats": "wave.bad_seats",
        "waves[0].end": "wave.end_before_start",
    }


@pytest.mark.parametrize("schema", ["99", "true", '"1"', "1.0"])
def test_a_programme_file_of_another_schema_is_refused(schema: str) -> None:
    assert problems(f"schema = {schema}\n" + HEAD + WAVE) == {
        "schema": "program_file.unsupported_schema"
    }


def test_one_seat_per_business_is_the_default_and_a_file_may_lift_it() -> None:
    assert program_from_toml(HEAD + WAVE).one_seat_per_business
    lifted = program_from_toml(HEAD + "one_seat_per_business = false\n" + WAVE)
    assert not lifted.one_seat_per_business
    assert problems(HEAD + 'one_seat_per_business = "no"\n' + WAVE) == {
        "program.one_seat_per_business": "program_file.wrong_type"
    }


def test_a_certificate_rule_naming_an_unregistered_step_is_refused_even_when_nested() -> None:
    from umkm_core.adapters.program_file import parse_program_file

    text = """
[program]
id = "p"
title = "Halal"
office_id = "o"
year = 2024
kind = "pelatihan"

[[waves]]
number = 1
sector = "kuliner"
start = 2024-03-04
end = 2024-03-05
seats = 10

[[rules]]
rule = "any_of"
rules = [
  { rule = "holds_certificate", kind = "pirt" },
  { rule = "lacks_certificate", kind = "halall" },
]
"""
    with pytest.raises(InvalidDocument) as caught:
        parse_program_file(text, steps={"pirt", "halal"})
    codes = [(e.field, e.code) for e in caught.value.errors]
    assert codes == [("rules[0]", "program_file.unknown_step")]
    assert parse_program_file(text.replace("halall", "halal"), steps={"pirt", "halal"})
