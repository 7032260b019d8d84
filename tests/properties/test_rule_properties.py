from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from umkm_core import Application, PriorityTiers, Program, Session, Wave, policy_from_data
from umkm_core import strategies as ust
from umkm_core.rules import Rule, rule_from_data


@given(ust.rules())
def test_every_builtin_rule_round_trips_through_plain_data(rule: Rule) -> None:
    assert rule_from_data(rule.to_data()) == rule


@settings(max_examples=50)
@given(ust.programs())
def test_generated_programmes_are_valid_and_have_numbered_waves(prog: Program) -> None:
    assert prog.wave_numbers == tuple(range(1, len(prog.waves) + 1))
    for warning in prog.schedule_warnings():
        assert warning.text.id
        assert warning.text.en


@given(st.from_type(Wave))
def test_wave_sessions_lie_within_the_wave(wave: Wave) -> None:
    assert all(wave.start <= s.day <= wave.end for s in wave.sessions)


@settings(max_examples=50)
@given(
    st.from_type(Session),
    st.from_type(Application),
    st.from_type(PriorityTiers),
    st.from_type(Program),
)
def test_every_new_public_type_has_a_registered_strategy(
    session: Session, application: Application, policy: PriorityTiers, prog: Program
) -> None:
    assert session.end > session.start
    assert application.applied_at.tzinfo is not None
    assert policy_from_data(policy.to_data()) == policy
    assert prog.waves
