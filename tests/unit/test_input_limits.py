"""Input beyond the documented limits gets a typed error, never a bare Python exception."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from alloc_support import JAKARTA, business
from umkm_core import (
    KBLI,
    NIB,
    NIK,
    NPWP,
    Application,
    InvalidDocument,
    PIRTNumber,
    RegionCode,
    Session,
    UmkmError,
    ValidationError,
    allocate,
)
from umkm_core.adapters.followup_plan import followup_plan_from_toml, load_followup_plan
from umkm_core.adapters.program_file import program_file_from_data, program_from_toml
from umkm_core.adapters.roster import parse_rupiah
from umkm_core.allocation.policy import Lottery
from umkm_core.limits import LATEST_DATE, MAX_IDENTIFIER_CHARS, MAX_RULE_DEPTH, MAX_RUPIAH_DIGITS
from umkm_core.rules import not_attended_within, rule_from_data

HEAD = """
[program]
id = "p"
title = "Pelatihan"
office_id = "dinkopukm-3671"
year = 2017
kind = "training"
"""


def wave(start: str = "2017-12-19", end: str = "2017-12-20", **extra: str) -> str:
    lines = "".join(f"{k} = {v}\n" for k, v in extra.items())
    return f"""
[[waves]]
number = 1
sector = "kuliner"
start = {start}
end = {end}
seats = 80
{lines}"""


def codes(text: str) -> set[str]:
    with pytest.raises(InvalidDocument) as info:
        program_from_toml(text)
    return {e.code for e in info.value.errors}


@pytest.mark.parametrize("parse", [NIB.parse, NIK.parse, NPWP.parse, KBLI.parse,
                                   RegionCode.parse, PIRTNumber.parse])  # fmt: skip
@pytest.mark.parametrize(
    "value", ["1" * 5000, 10**5000, "1 " * MAX_IDENTIFIER_CHARS], ids=["text", "int", "spaced"]
)
def test_identifiers_of_thousands_of_digits_are_refused_with_a_typed_error(
    parse: object, value: object
) -> None:
    with pytest.raises(ValidationError) as info:
        parse(value)  # type: ignore[operator]
    assert info.value.code.endswith((".too_long", ".bad_length"))


@pytest.mark.parametrize(
    "value",
    ["9" * 5000, 10**5000, "Rp" + "1" * (MAX_RUPIAH_DIGITS + 1)],
    ids=["text", "int", "nineteen"],
)
def test_rupiah_of_more_than_eighteen_digits_are_refused(value: object) -> None:
    with pytest.raises(ValidationError) as info:
        parse_rupiah(value)
    assert info.value.code == "money.too_long"


def test_eighteen_digit_rupiah_are_read() -> None:
    assert parse_rupiah("9" * MAX_RUPIAH_DIGITS) == 10**MAX_RUPIAH_DIGITS - 1


def _nested(depth: int) -> dict[str, object]:
    rule: dict[str, object] = {"rule": "has_nib"}
    for _ in range(depth):
        rule = {"rule": "all_of", "rules": [rule]}
    return rule


def test_rules_nested_400_deep_are_refused_with_a_typed_error() -> None:
    with pytest.raises(ValidationError) as info:
        rule_from_data(_nested(400))
    assert info.value.code == "rule.too_deep"
    rule_from_data(_nested(MAX_RULE_DEPTH - 1))


@pytest.mark.parametrize("depth", [400, 1000, 5000])
def test_deeply_nested_toml_in_a_programme_file_is_refused(depth: int) -> None:
    text = HEAD + wave() + "x = " + "[" * depth + "]" * depth + "\n"
    found = codes(text.replace("\nx = ", "\n[extra]\nx = ", 1))
    assert "document.too_deep" in found


@pytest.mark.parametrize("depth", [400, 1000])
def test_deeply_nested_toml_in_a_followup_plan_is_refused(depth: int) -> None:
    text = "[plan]\nstarts = 2018-01-02\nx = " + "{a = " * depth + "1" + "}" * depth + "\n"
    with pytest.raises(InvalidDocument) as info:
        followup_plan_from_toml(text)
    assert {e.code for e in info.value.errors} == {"document.too_deep"}


@pytest.mark.parametrize(("depth", "code"), [(35, "rule.too_deep"), (400, "document.too_deep")])
def test_rules_nested_deep_in_a_programme_file_are_refused(depth: int, code: str) -> None:
    rules = {"schema": 1, "rules": [_nested(depth)]}
    with pytest.raises(InvalidDocument) as info:
        program_file_from_data(rules)
    assert code in {e.code for e in info.value.errors}


def test_a_wave_ending_on_the_last_day_of_the_calendar_is_refused() -> None:
    found = codes(HEAD + wave(start="9999-12-30", end="9999-12-31",
                              daily="{ from = 09:00:00, to = 15:00:00 }"))  # fmt: skip
    assert found == {"date.out_of_range"}


def test_an_as_of_date_past_the_limit_is_refused_in_the_file() -> None:
    found = codes(HEAD + wave() + "\n[allocation]\nas_of = 9999-12-31\n")
    assert found == {"date.out_of_range"}


def test_allocating_as_of_the_last_day_of_the_calendar_is_a_typed_error() -> None:
    program = program_from_toml(HEAD + wave() + '\n[[rules]]\nrule = "not_attended_within"\n'
                                "years = 3\n")  # fmt: skip
    app = Application(business_id="B1", program_id="p",
                      applied_at=dt.datetime(2017, 12, 1, tzinfo=JAKARTA))  # fmt: skip
    with pytest.raises(ValidationError) as info:
        allocate(program, [app], [business("B1")], as_of=dt.date.max)
    assert info.value.code == "date.out_of_range"
    allocate(program, [app], [business("B1")], as_of=LATEST_DATE)


def test_a_followup_plan_starting_on_the_last_day_of_the_calendar_is_refused() -> None:
    text = '[plan]\nstarts = 9999-12-31\n[[pathways]]\ncode = "f"\nsector = "kuliner"\n'
    text += 'steps = ["packaging"]\n'
    with pytest.raises(InvalidDocument) as info:
        followup_plan_from_toml(text)
    assert {e.code for e in info.value.errors} == {"date.out_of_range"}


def test_a_session_with_an_aware_start_and_a_naive_end_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        Session(day=dt.date(2017, 12, 19), start=dt.time(9, tzinfo=JAKARTA), end=dt.time(15))
    assert info.value.code == "session.aware_time"


def test_session_times_with_an_offset_in_a_programme_file_are_refused() -> None:
    sessions = "[[waves.sessions]]\nday = 2017-12-19\nfrom = 09:00:00\nto = 15:00:00\n"
    text = HEAD + wave() + sessions
    assert program_from_toml(text).waves[0].sessions[0].start == dt.time(9)
    found = codes(text.replace("from = 09:00:00", 'from = "09:00:00+07:00"'))
    assert found == {"session.aware_time"}


def test_not_attended_within_3000_years_is_refused_when_read() -> None:
    with pytest.raises(ValidationError) as info:
        not_attended_within(3000)
    assert info.value.code == "rule.bad_number"
    found = codes(HEAD + wave() + '\n[[rules]]\nrule = "not_attended_within"\nyears = 3000\n')
    assert found == {"rule.bad_number"}


def test_a_lottery_seed_of_2_to_the_128_is_refused_when_read() -> None:
    with pytest.raises(ValidationError) as info:
        Lottery(seed=2**128)
    assert info.value.code == "policy.bad_seed"
    Lottery(seed=2**128 - 1).sort_key()
    found = codes(HEAD + wave() + f'\n[allocation]\npolicy = "lottery"\nseed = {2**128}\n')
    assert found == {"policy.bad_seed"}


def test_every_limit_error_is_an_umkm_error() -> None:
    assert issubclass(ValidationError, UmkmError)


def test_a_followup_plan_saved_in_cp1252_is_a_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    text = '[plan]\nstarts = 2018-01-02\n[[pathways]]\ncode = "f"\nsector = "kuliner"\n'
    path.write_bytes((text + 'name = "Kafé"\nsteps = ["packaging"]\n').encode("cp1252"))
    with pytest.raises(InvalidDocument) as info:
        load_followup_plan(path)
    assert [e.code for e in info.value.errors] == ["followup_plan.not_utf8"]


def test_a_wave_of_two_thousand_years_is_refused_before_its_sessions_are_built() -> None:
    found = codes(HEAD + wave(start="0001-01-01", end="2100-12-31",
                              daily="{ from = 09:00:00, to = 15:00:00 }"))  # fmt: skip
    assert found == {"wave.too_long"}


def test_the_limits_module_examples_hold() -> None:
    import doctest

    from umkm_core import limits

    result = doctest.testmod(limits, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_rules_combined_in_python_more_than_the_limit_deep_are_refused() -> None:
    from umkm_core.rules import EligibilityRule, all_of, has_nib, not_

    rule: EligibilityRule = has_nib()
    for i in range(MAX_RULE_DEPTH - 1):
        rule = all_of(rule) if i % 2 else not_(rule)
    with pytest.raises(ValidationError) as info:
        all_of(rule)
    assert info.value.code == "rule.too_deep"
