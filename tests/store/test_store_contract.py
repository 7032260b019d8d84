"""One suite, three stores: in memory, SQLite and PostgreSQL behave the same."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from alloc_support import CITY_OFFICE, JAKARTA, business, program
from umkm_core import NIK, Application, Business, Coaching, Enrollments, StateError, allocate
from umkm_core.allocation import FirstComeFirstServed
from umkm_core.errors import ValidationError
from umkm_core.followup import PIRT, StepRecord
from umkm_core.store import (
    TOMBSTONE,
    EnrollmentState,
    ProgrammeRecord,
    RecordedDecision,
    RecordedRun,
    Store,
    verify_chain,
)

AT = dt.datetime(2017, 12, 1, 9, tzinfo=JAKARTA)
NIK_1 = "3671054508900001"


def owned(id: str, nik: str | None = NIK_1) -> Business:
    b = business(id)
    owner = attrs.evolve(b.owner, nik=None if nik is None else NIK(nik), phone="+6281234567890")
    return attrs.evolve(b, owner=owner)


def app(business_id: str, minute: int = 0, program_id: str = "P2017") -> Application:
    return Application(
        business_id=business_id,
        program_id=program_id,
        applied_at=AT + dt.timedelta(minutes=minute),
    )


def record(program_id: str = "P2017", source: str = "[programme]\n") -> ProgrammeRecord:
    return ProgrammeRecord(
        program_id=program_id,
        office_id=CITY_OFFICE,
        source=source,
        source_name="p.toml",
        digest=f"d-{len(source)}",
        recorded_at=AT,
        by="kabid",
    )


def recorded_run(run_id: str = "R1", minutes: int = 0, n: int = 3) -> RecordedRun:
    bs = [business(f"B{i}") for i in range(n)]
    apps = [app(f"B{i}", i) for i in range(n)]
    allocation = allocate(program(seats=(2,)), apps, bs, as_of=dt.date(2017, 12, 1))
    return RecordedRun(
        run_id=run_id,
        program_id="P2017",
        programme_source='[program]\nid = "P2017"\n',
        programme_digest="abc",
        as_of=dt.date(2017, 12, 1),
        policy=FirstComeFirstServed().to_data(),
        engine_version="0.1.0",
        inputs={"programme": "abc", "applications": "def"},
        applications=tuple(apps),
        business_versions={f"B{i}": 1 for i in range(n)},
        decisions=tuple(RecordedDecision.of(d) for d in allocation.decisions),
        recorded_at=AT + dt.timedelta(minutes=minutes),
        by="kabid",
    )


def roster(n: int = 3) -> Enrollments:
    bs = [business(f"B{i}") for i in range(n)]
    apps = [app(f"B{i}", i) for i in range(n)]
    return Enrollments.from_allocation(
        allocate(program(seats=(2,)), apps, bs, as_of=dt.date(2017, 12, 1))
    )


# The unit of work ---------------------------------------------------------------------


def test_a_unit_of_work_left_without_commit_keeps_nothing(any_store: Store) -> None:
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        uow.businesses.add(business("B1"))
        uow.programmes.add(record())
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        assert uow.businesses.get("B1") is None
        assert uow.programmes.ids() == ()
        assert uow.audit.entries() == ()


def test_an_error_inside_a_unit_of_work_rolls_everything_back(any_store: Store) -> None:
    def use_case() -> None:
        with any_store.unit_of_work(by="clerk", at=AT) as uow:
            uow.businesses.add(business("B1"))
            raise RuntimeError("use case failed")

    with pytest.raises(RuntimeError):
        use_case()
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        assert uow.businesses.get("B1") is None


def test_commit_keeps_the_writes_and_the_unit_of_work_goes_on(any_store: Store) -> None:
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        uow.businesses.add(business("B1"))
        uow.commit()
        uow.businesses.add(business("B2"))
        uow.rollback()
        uow.businesses.add(business("B3"))
        uow.commit()
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        assert [b.id for b in uow.businesses.latest()] == ["B1", "B3"]


def test_a_change_without_an_actor_or_a_time_zone_is_refused(any_store: Store) -> None:
    with pytest.raises(ValidationError) as blank:
        any_store.unit_of_work(by="  ")
    assert blank.value.code == "store.blank_actor"
    with pytest.raises(ValidationError) as naive:
        any_store.unit_of_work(by="clerk", at=dt.datetime(2017, 12, 1, 9))
    assert naive.value.code == "store.naive_datetime"


# The register ---------------------------------------------------------------------------


def test_a_business_is_kept_as_versions_and_an_unchanged_one_is_not_written_again(
    any_store: Store,
) -> None:
    first = business("B1")
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        v1 = uow.businesses.add(first)
        again = uow.businesses.add(first)
        v2 = uow.businesses.add(attrs.evolve(first, name="UMKM B1 Baru"))
        uow.commit()
    assert (v1.version, again.version, v2.version) == (1, 1, 2)
    assert again == v1
    with any_store.unit_of_work(by="auditor", at=AT) as uow:
        assert uow.businesses.get("B1") == v2
        assert uow.businesses.get("B1").business.name == "UMKM B1 Baru"  # type: ignore[union-attr]
        assert uow.businesses.get("B1", 1).business.name == "UMKM B1"  # type: ignore[union-attr]
        assert uow.businesses.get("B1", 1) == v1
        assert uow.businesses.get("B1", 3) is None
        assert uow.businesses.get("nobody") is None
        assert uow.businesses.versions("B1") == (v1, v2)
        assert [e.detail for e in uow.audit.entries("business:B1")] == ["version 1", "version 2"]
        assert v1.recorded_at == AT
        assert v1.by == "clerk"


def test_latest_lists_each_business_once_by_id_and_filters_by_office(any_store: Store) -> None:
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        uow.businesses.add(business("B3"))
        uow.businesses.add(business("B1", office="other-office"))
        uow.businesses.add(business("B2"))
        uow.businesses.add(attrs.evolve(business("B3"), name="Renamed"))
        moved = business("B2", office="other-office")
        uow.businesses.add(moved)
        both = attrs.evolve(
            business("B4"),
            coached_by=(
                Coaching(office_id=CITY_OFFICE, since=dt.date(2015, 1, 1)),
                Coaching(office_id="other-office", since=dt.date(2016, 1, 1)),
            ),
        )
        uow.businesses.add(both)
        uow.commit()
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        latest = list(uow.businesses.latest())
        assert [b.id for b in latest] == ["B1", "B2", "B3", "B4"]
        assert latest[2].name == "Renamed"
        assert [b.id for b in uow.businesses.latest(CITY_OFFICE)] == ["B3", "B4"]
        assert [b.id for b in uow.businesses.latest("other-office")] == ["B1", "B2", "B4"]
        assert list(uow.businesses.latest("nobody")) == []


def test_a_many_thousand_register_reads_back_in_id_order(any_store: Store) -> None:
    n = 4_500
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        for i in reversed(range(n)):
            uow.businesses.add(business(f"B{i:05d}"))
        uow.commit()
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        ids = [b.id for b in uow.businesses.latest()]
    assert ids == [f"B{i:05d}" for i in range(n)]


def test_a_nik_finds_the_latest_owner_only(any_store: Store) -> None:
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        uow.businesses.add(owned("B1"))
        uow.businesses.add(owned("B2"))
        uow.businesses.add(owned("B3", nik="3671054508900002"))
        uow.businesses.add(owned("B2", nik=None))
        uow.commit()
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        assert uow.businesses.find_by_nik(NIK_1) == ("B1",)
        assert uow.businesses.find_by_nik("3671054508900002") == ("B3",)
        assert uow.businesses.find_by_nik("3671054508900009") == ()


def test_erasure_tombstones_every_version_and_is_itself_audited(any_store: Store) -> None:
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        uow.businesses.add(owned("B1"))
        uow.businesses.add(attrs.evolve(owned("B1"), name="Dodol Bu Siti"))
        uow.businesses.add(owned("B2"))
        uow.commit()
    with any_store.unit_of_work(by="dpo", at=AT) as uow:
        assert uow.businesses.erase_personal_data("B1") == 2
        uow.commit()
    with any_store.unit_of_work(by="dpo", at=AT) as uow:
        versions = uow.businesses.versions("B1")
        assert [v.erased for v in versions] == [True, True]
        for v in versions:
            assert v.business.owner.name == TOMBSTONE
            assert v.business.owner.nik is None
            assert v.business.owner.phone is None
            assert v.business.sector == "kuliner", "what decisions rest on stays"
        assert versions[1].business.name == "Dodol Bu Siti"
        assert uow.businesses.find_by_nik(NIK_1) == ("B2",)
        assert uow.businesses.get("B2").business.owner.nik == NIK(NIK_1)  # type: ignore[union-attr]
        last = uow.audit.entries("business:B1")[-1]
        assert (last.action, last.detail, last.by) == ("business.erased", "2 versions", "dpo")
        assert uow.businesses.erase_personal_data("B1") == 0


# Programmes, applications, runs ---------------------------------------------------------


def test_a_programme_is_registered_and_a_new_text_replaces_it(any_store: Store) -> None:
    with any_store.unit_of_work(by="kabid", at=AT) as uow:
        uow.programmes.add(record("P2"))
        uow.programmes.add(record("P1"))
        uow.programmes.add(record("P1", source="[programme]\ntitle='x'\n"))
        uow.commit()
    with any_store.unit_of_work(by="kabid", at=AT) as uow:
        assert uow.programmes.ids() == ("P1", "P2")
        assert uow.programmes.get("P1") == record("P1", source="[programme]\ntitle='x'\n")
        assert uow.programmes.get("P3") is None
        assert len(uow.audit.entries("programme:P1")) == 2


def test_an_application_is_recorded_once_in_the_order_it_came(any_store: Store) -> None:
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        assert uow.applications.add(app("B2", 5))
        assert uow.applications.add(app("B1", 1))
        assert not uow.applications.add(app("B2", 5))
        same_instant = attrs.evolve(
            app("B1", 1), applied_at=app("B1", 1).applied_at.astimezone(dt.UTC)
        )
        assert not uow.applications.add(same_instant)
        assert uow.applications.add(app("B1", 1, program_id="P2018"))
        uow.commit()
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        assert uow.applications.of_programme("P2017") == (app("B2", 5), app("B1", 1))
        assert uow.applications.of_programme("P2018") == (app("B1", 1, program_id="P2018"),)
        assert uow.applications.of_programme("P0") == ()
        assert len(uow.audit.entries()) == 3


def test_a_run_is_kept_whole_and_never_replaced(any_store: Store) -> None:
    run = recorded_run()
    with any_store.unit_of_work(by="kabid", at=AT) as uow:
        uow.runs.add(recorded_run("R2", minutes=10))
        uow.runs.add(run)
        with pytest.raises(StateError) as exists:
            uow.runs.add(attrs.evolve(run, engine_version="9"))
        assert exists.value.code == "store.run_exists"
        uow.commit()
    with any_store.unit_of_work(by="kabid", at=AT) as uow:
        got = uow.runs.get("R1")
        assert got == run
        assert got is not None
        assert got.counts() == {"accepted": 2, "waitlisted": 1, "refused": 0}
        assert got.decisions_of("B2")[0].explain("en") == run.decisions_of("B2")[0].explain("en")
        assert [r.run_id for r in uow.runs.of_programme("P2017")] == ["R1", "R2"]
        assert uow.runs.get("R9") is None
        details = [e.detail for e in uow.audit.entries("programme:P2017")]
        assert details == [
            "run R2: 2 accepted, 1 waitlisted, 0 refused",
            "run R1: 2 accepted, 1 waitlisted, 0 refused",
        ]


# Rosters and their events ---------------------------------------------------------------


def test_a_roster_is_put_with_its_revision_and_a_stale_one_is_refused(any_store: Store) -> None:
    state = roster()
    first = EnrollmentState(program_id="P2017", run_id="R1", entries=state.entries)
    change = state.withdraw("B0", at=AT, by="B0")
    second = EnrollmentState(
        program_id="P2017", run_id="R1", entries=change.state.entries, revision=2
    )
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        assert uow.enrollments.get("P2017") is None
        uow.enrollments.put(first)
        for stale in (first, attrs.evolve(second, revision=3)):
            with pytest.raises(StateError) as refused:
                uow.enrollments.put(stale)
            assert refused.value.code == "store.stale"
        uow.enrollments.put(second, change.events)
        uow.commit()
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        assert uow.enrollments.get("P2017") == second
        events = uow.enrollments.events(program_id="P2017")
        assert [(p, e.what, e.business_id) for p, e in events] == [
            ("P2017", "withdrawn", "B0"),
            ("P2017", "promoted", "B2"),
        ]
        assert uow.enrollments.events(business_id="B2") == (events[1],)
        assert uow.enrollments.events(program_id="P0") == ()
        actions = [(e.action, e.entity, e.detail) for e in uow.audit.entries()]
        assert actions == [
            ("enrollment.withdrawn", "business:B0", "programme P2017, by B0"),
            ("enrollment.promoted", "business:B2", "programme P2017, by B0"),
        ]


def test_a_stale_put_inside_a_committed_unit_of_work_changes_nothing(any_store: Store) -> None:
    state = roster()
    first = EnrollmentState(program_id="P2017", run_id="R1", entries=state.entries)
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        uow.enrollments.put(first)
        uow.commit()
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        with pytest.raises(StateError):
            uow.enrollments.put(first)
        uow.audit.append("note", "programme:P2017", "after a refusal")
        uow.commit()
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        assert uow.enrollments.get("P2017") == first
        assert [e.action for e in uow.audit.entries()] == ["note"]


# Follow-up steps ------------------------------------------------------------------------


def test_steps_keep_every_state_and_answer_with_the_latest(any_store: Store) -> None:
    planned = StepRecord.plan(business_id="B1", kind=PIRT, on=dt.date(2018, 3, 1))
    started = planned.start(dt.date(2018, 3, 5))
    other = StepRecord.plan(business_id="B2", kind=PIRT, on=dt.date(2018, 3, 1))
    with any_store.unit_of_work(by="pendamping", at=AT) as uow:
        uow.steps.put(planned)
        uow.steps.put(other)
        uow.steps.put(started)
        uow.commit()
    with any_store.unit_of_work(by="pendamping", at=AT) as uow:
        assert uow.steps.of_business("B1") == (started,)
        assert uow.steps.history("B1") == (planned, started)
        assert uow.steps.all() == (started, other)
        assert uow.steps.of_business("B9") == ()
        assert [e.detail for e in uow.audit.entries("business:B1")] == [
            "pirt: planned",
            "pirt: in_progress",
        ]


# The audit trail ------------------------------------------------------------------------


def test_every_write_is_audited_in_one_verifying_chain(any_store: Store) -> None:
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        uow.businesses.add(business("B1"))
        uow.applications.add(app("B1"))
        uow.commit()
    later = dt.datetime(2017, 12, 2, 10, tzinfo=dt.UTC)
    with any_store.unit_of_work(by="kabid", at=later) as uow:
        uow.programmes.add(record())
        uow.runs.add(recorded_run())
        uow.commit()
    with any_store.unit_of_work(by="auditor", at=later) as uow:
        entries = uow.audit.entries()
    assert [e.sequence for e in entries] == [1, 2, 3, 4]
    assert [e.action for e in entries] == [
        "business.version",
        "application.recorded",
        "programme.registered",
        "run.recorded",
    ]
    assert [e.by for e in entries] == ["clerk", "clerk", "kabid", "kabid"]
    assert entries[0].at == AT
    assert entries[0].at.utcoffset() is not None
    assert verify_chain(entries) == ()
    tampered = (entries[0], attrs.evolve(entries[1], detail="programme P9"), *entries[2:])
    assert [b.code for b in verify_chain(tampered)] == ["audit.edited"]


def test_a_rolled_back_write_leaves_no_gap_in_the_chain(any_store: Store) -> None:
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        uow.audit.append("note", "office:x", "kept")
        uow.commit()
        uow.audit.append("note", "office:x", "dropped")
        uow.rollback()
        uow.audit.append("note", "office:x", "kept too")
        uow.commit()
    with any_store.unit_of_work(by="clerk", at=AT) as uow:
        entries = uow.audit.entries()
    assert [(e.sequence, e.detail) for e in entries] == [(1, "kept"), (2, "kept too")]
    assert verify_chain(entries) == ()
