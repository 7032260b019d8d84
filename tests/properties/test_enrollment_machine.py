"""A stateful test of the enrollment lifecycle: the allocation invariants hold after every
withdrawal, promotion, confirmation, attendance and seat change, and no waitlist entry is
ever lost."""

from __future__ import annotations

import datetime as dt

import attrs
from allocation_scenarios import AS_OF, Scenario, check_capacity, could_take_a_seat, scenarios
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from umkm_core import Enrollments, EnrollmentStatus, StateError, allocate, diff

NOW = dt.datetime(2017, 12, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))
S = EnrollmentStatus


class EnrollmentMachine(RuleBasedStateMachine):
    state: Enrollments
    scenario: Scenario

    @initialize(s=scenarios())
    def allocate_a_programme(self, s: Scenario) -> None:
        self.scenario = s
        self.state = Enrollments.from_allocation(
            allocate(s.program, s.applications, s.businesses, as_of=AS_OF, policy=s.policy)
        )

    def _apply(self, action: str, business_id: str, **kw: object) -> None:
        before = self.state
        change = getattr(before, action)(business_id, at=NOW, by="petugas", **kw)
        after = change.state
        assert change.event.business_id == business_id
        assert all(e.at == NOW and e.by == "petugas" for e in change.events)
        promoted = {e.business_id for e in change.events if e.what == "promoted"}
        assert len(after) == len(before), "no entry is ever lost"
        for old, new in zip(before, after, strict=True):
            assert old.application == new.application
            if old.status is S.WAITLISTED and new.status is not S.WAITLISTED:
                # A waitlist entry leaves only by promotion or by its own withdrawal.
                assert (new.status is S.OFFERED and new.business_id in promoted) or (
                    new.status is S.WITHDRAWN
                    and action == "withdraw"
                    and new.business_id == business_id
                )
        self.state = after

    def _pick(
        self, data: st.DataObject, statuses: set[EnrollmentStatus]
    ) -> tuple[str, int | None] | None:
        candidates = [
            (e.business_id, e.wave) for e in self.state if e.status in statuses and not e.attended
        ]
        return data.draw(st.sampled_from(candidates)) if candidates else None

    @rule(data=st.data())
    def withdraw_a_seat_holder(self, data: st.DataObject) -> None:
        who = self._pick(data, {S.OFFERED, S.CONFIRMED})
        if who is not None:
            self._apply("withdraw", who[0], wave=who[1])

    @rule(data=st.data())
    def leave_the_waitlist(self, data: st.DataObject) -> None:
        who = self._pick(data, {S.WAITLISTED})
        if who is not None and self.state.entry(who[0]).status is S.WAITLISTED:
            self._apply("withdraw", who[0])

    @rule(data=st.data())
    def confirm(self, data: st.DataObject) -> None:
        who = self._pick(data, {S.OFFERED})
        if who is not None:
            self._apply("confirm", who[0], wave=who[1])

    @rule(data=st.data())
    def attend_a_day(self, data: st.DataObject) -> None:
        confirmed = [e for e in self.state if e.status is S.CONFIRMED]
        if not confirmed:
            return
        entry = data.draw(st.sampled_from(confirmed))
        assert entry.wave is not None
        days = set(self.scenario.program.wave(entry.wave).session_days) - entry.attended
        if days:
            day = data.draw(st.sampled_from(sorted(days)))
            self._apply("attend", entry.business_id, day=day, wave=entry.wave)

    @rule(data=st.data())
    def no_show(self, data: st.DataObject) -> None:
        who = self._pick(data, {S.CONFIRMED})
        if who is not None:
            self._apply("no_show", who[0], wave=who[1])

    @rule(data=st.data(), action=st.sampled_from(["confirm", "complete", "no_show", "withdraw"]))
    def illegal_moves_change_nothing(self, data: st.DataObject, action: str) -> None:
        ids = sorted({e.business_id for e in self.state} | {"NOBODY"})
        who = data.draw(st.sampled_from(ids))
        before = self.state
        try:
            self._apply(action, who)
        except StateError:
            assert self.state is before

    @precondition(lambda self: len(self.scenario.program.waves) > 0)
    @rule(data=st.data(), delta=st.sampled_from([-1, 1, 2]))
    def change_seats_and_reallocate(self, data: st.DataObject, delta: int) -> None:
        s = self.scenario
        number = data.draw(st.sampled_from(s.program.wave_numbers))
        waves = tuple(
            attrs.evolve(w, seats=max(1, w.seats + delta)) if w.number == number else w
            for w in s.program.waves
        )
        changed = attrs.evolve(s, program=attrs.evolve(s.program, waves=waves))
        old = allocate(s.program, s.applications, s.businesses, as_of=AS_OF, policy=s.policy)
        new = allocate(changed.program, s.applications, s.businesses, as_of=AS_OF, policy=s.policy)
        for move in diff(old, new):
            assert move.before is None or move.business_id in old.seated(move.before)
            assert move.after is None or move.business_id in new.seated(move.after)
        self.scenario = changed
        self.state = Enrollments.from_allocation(new)

    @invariant()
    def seats_and_quotas_hold_and_no_seat_waits_in_vain(self) -> None:
        if not hasattr(self, "state"):
            return
        program = self.state.allocation.program
        by_id = {b.id: b for b in self.scenario.businesses}
        held = [
            (e.business_id, e.wave)
            for e in self.state
            if e.status.holds_seat and e.wave is not None
        ]
        check_capacity(program, held, by_id)
        # A business that withdrew is not promoted again: its waiting entries may wait.
        withdrew = {e.business_id for e in self.state if e.status is S.WITHDRAWN}
        for entry, decision in zip(self.state, self.state.allocation.decisions, strict=True):
            if entry.status is S.WAITLISTED and entry.business_id not in withdrew:
                for wave in decision.eligible:
                    assert not could_take_a_seat(program, held, by_id, entry.business_id, wave)
        positions = [self.state.position(e.business_id) for e in self.state.waitlist]
        assert all(p is not None for p in positions)


EnrollmentMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=15,
    suppress_health_check=[HealthCheck.too_slow],
    deadline=None,
)
test_enrollment_lifecycle = EnrollmentMachine.TestCase
