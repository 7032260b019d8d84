from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from umkm_core import Program, Wave
from umkm_core import strategies as ust
from umkm_core.rules import Rule, rule_from_data


@given(ust.rules())
def test_every_builtin_rule_round_trips_through_plain_data(rule: Rule) -> None:
    assert rule_from_data(rule.to_data()) == rule


@given(ust.programs())
def test_generated_programmes_are_valid_and_have_numbered_waves(prog: Program) -> None:
    assert prog.wave_numbers == tuple(range(1, len(prog.waves) + 1))
    for warning in prog.schedule_warnings():
        assert warning.text.id
        assert warning.text.en


@given(st.from_type(Wave))
def test_wave_sessions_lie_within_the_wave(wave: Wave) -> None:
    assert all(wave.start <= s.day <= wave.end for s in wave.sessions)
