"""Invariants of allocate() over random programmes, registers, applications and policies."""

from __future__ import annotations

from collections import Counter
from random import Random

import attrs
from allocation_scenarios import (
    AS_OF,
    Scenario,
    check_capacity,
    could_take_a_seat,
    reserved_rules,
    run,
    scenarios,
    seats_held,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from umkm_core import Accepted, FirstComeFirstServed, Refused, Sex, Waitlisted, allocate, diff
from umkm_core.rules import OneSeatPerBusiness, ReservedShare, allocation_rules


@given(scenarios())
def test_every_application_ends_in_one_explained_outcome_in_policy_order(s: Scenario) -> None:
    result = run(s)
    assert len(result.outcomes) == len(s.applications)
    assert Counter(result.applications) == Counter(s.applications)
    positions = []
    for decision in result:
        outcome = decision.outcome
        assert isinstance(outcome, Accepted | Waitlisted | Refused)
        if isinstance(outcome, Accepted):
            # Seated only where eligible, and only in a wave the applicant asked for.
            assert outcome.wave in decision.eligible
            assert not decision.application.waves or outcome.wave in decision.application.waves
        else:
            assert outcome.reasons, "every refusal and every wait has a reason"
            assert all(r.text.id and r.text.en for r in outcome.reasons)
        if isinstance(outcome, Waitlisted):
            assert decision.eligible, "only eligible applicants wait"
            positions.append(outcome.position)
        if isinstance(outcome, Refused):
            assert not decision.eligible or any(r.wave is None for r in outcome.reasons)
    assert positions == list(range(1, len(positions) + 1))


@given(scenarios())
def test_seats_quotas_and_totals_hold_and_no_seat_stays_empty_for_a_waiting_applicant(
    s: Scenario,
) -> None:
    result = run(s)
    held = seats_held(result)
    by_id = {b.id: b for b in s.businesses}
    # No wave over its seats, no business twice in a wave (or the programme, with the
    # rule), district quotas and the programme total respected.
    check_capacity(s.program, held, by_id)
    # No seat left empty while an eligible waitlisted applicant could take it.
    for decision in result.waitlist:
        for wave in decision.eligible:
            assert not could_take_a_seat(
                s.program, held, by_id, decision.application.business_id, wave
            )
    # A reserved share: while a woman-owned business waits for a full wave, the women
    # in that wave fill at least the reserved seats.
    women = Counter(w for b, w in held if by_id[b].owner.effective_sex is Sex.FEMALE)
    taken = Counter(w for _, w in held)
    # (A woman already seated elsewhere waits because of one seat per business.)
    one_seat = any(isinstance(r, OneSeatPerBusiness) for r in allocation_rules(s.program))
    seated = {b for b, _ in held}
    for rule in reserved_rules(s.program):
        for decision in result.waitlist:
            if by_id[decision.application.business_id].owner.effective_sex is not Sex.FEMALE:
                continue
            if one_seat and decision.application.business_id in seated:
                continue
            for wave_number in decision.eligible:
                seats = s.program.wave(wave_number).seats
                if taken[wave_number] >= seats:
                    assert women[wave_number] >= rule.reserved(seats)


@given(scenarios(), st.randoms(use_true_random=False))
def test_same_input_and_seed_give_the_same_result_in_any_arrival_order(
    s: Scenario, random: Random
) -> None:
    shuffled = list(s.applications)
    random.shuffle(shuffled)
    register = list(s.businesses)
    random.shuffle(register)
    first = run(s)
    again = allocate(s.program, shuffled, register, as_of=AS_OF, policy=s.policy)
    assert again == first
    assert not diff(first, again)


@settings(max_examples=50)
@given(scenarios())
def test_more_seats_never_unseat_anybody_under_first_come_first_served(s: Scenario) -> None:
    if any(isinstance(r, ReservedShare) for r in s.program.rules):
        return  # a bigger reserve may rightly move a non-member out
    bigger = attrs.evolve(
        s.program, waves=tuple(attrs.evolve(w, seats=w.seats + 1) for w in s.program.waves)
    )
    fcfs = FirstComeFirstServed()
    before = allocate(s.program, s.applications, s.businesses, as_of=AS_OF, policy=fcfs)
    after = allocate(bigger, s.applications, s.businesses, as_of=AS_OF, policy=fcfs)
    changes = diff(before, after)
    assert not changes.moved_out
    assert len(after.seated()) >= len(before.seated())
