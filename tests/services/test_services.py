"""The office's use cases, against every Store implementation (the ``any_store`` fixture)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from umkm_core import StateError, ValidationError
from umkm_core.allocation import EnrollmentStatus
from umkm_core.services import (
    Store,
    allocate_programme,
    attend,
    business_history,
    complete,
    confirm,
    explain,
    import_roster,
    plan_followup,
    record_applications,
    register_programme,
    withdraw,
)
from umkm_core.store import EnrollmentState, verify_chain

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tangerang-2017"


@pytest.fixture(scope="session")
def small_roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example roster limited to the businesses that applied, plus a few others."""
    wanted = {
        line.split(",", 1)[0]
        for line in (EXAMPLE / "applications.csv").read_text(encoding="utf-8").splitlines()[1:]
    }
    lines = (EXAMPLE / "roster.csv").read_text(encoding="utf-8-sig").splitlines()
    kept = [lines[0]] + [
        line for i, line in enumerate(lines[1:]) if line.split(";", 1)[0] in wanted or i < 20
    ]
    path = tmp_path_factory.mktemp("roster") / "roster.csv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def example() -> Path:
    """The example folder."""
    return EXAMPLE


PROGRAM = "tng-2017-pud"
OFFICE = "dinkopukm-3671"
AT = dt.datetime(2017, 12, 8, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _allocated(store: Store, roster: Path, example: Path) -> None:
    import_roster(store, roster, by="clerk-1", at=AT, office_id=OFFICE)
    register_programme(store, example / "program.toml", by="clerk-1", at=AT)
    record_applications(store, PROGRAM, example / "applications.csv", by="clerk-1", at=AT)
    allocate_programme(store, PROGRAM, by="clerk-1", at=AT, run_id="run-1")


def _roster(store: Store) -> EnrollmentState:
    with store.unit_of_work(by="test") as uow:
        state = uow.enrollments.get(PROGRAM)
    assert state is not None
    return state


def test_an_imported_roster_is_in_the_register_with_every_row_accounted_for(
    any_store: Store, small_roster: Path
) -> None:
    report = import_roster(any_store, small_roster, by="clerk-1", at=AT, office_id=OFFICE)
    assert report.imported + report.refused_count == report.rows_read
    assert report.imported > 280
    with any_store.unit_of_work(by="test") as uow:
        ids = [b.id for b in uow.businesses.latest()]
        assert len(ids) == report.imported
        assert uow.audit.entries()[-1].action == "roster.imported"


def test_importing_the_same_roster_twice_writes_no_new_versions(
    any_store: Store, small_roster: Path
) -> None:
    import_roster(any_store, small_roster, by="clerk-1", at=AT, office_id=OFFICE)
    import_roster(any_store, small_roster, by="clerk-2", at=AT, office_id=OFFICE)
    with any_store.unit_of_work(by="test") as uow:
        first = next(uow.businesses.latest())
        assert [v.version for v in uow.businesses.versions(first.id)] == [1]


def test_a_roster_sector_no_plugin_registered_is_refused(
    any_store: Store, small_roster: Path, tmp_path: Path
) -> None:
    lines = small_roster.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(";")
    cells[10] = "Otomotif"
    odd = tmp_path / "odd.csv"
    odd.write_text("\n".join([lines[0], ";".join(cells)]) + "\n", encoding="utf-8")
    report = import_roster(any_store, odd, by="clerk-1", at=AT, office_id=OFFICE)
    assert report.imported == 0
    assert "roster.sector_unknown" in report.problem_counts()


def test_the_reference_programme_seats_80_and_80_and_records_the_run(
    any_store: Store, small_roster: Path, example: Path
) -> None:
    _allocated(any_store, small_roster, example)
    with any_store.unit_of_work(by="test") as uow:
        run = uow.runs.get("run-1")
    assert run is not None
    assert run.counts() == {"accepted": 160, "waitlisted": 107, "refused": 22}
    assert run.as_of == dt.date(2017, 12, 8)
    assert run.policy == {"policy": "fcfs"}
    assert set(run.inputs) == {"programme", "applications", "register", "history"}
    assert run.engine_version


def test_a_recorded_run_cannot_be_recorded_again(
    any_store: Store, small_roster: Path, example: Path
) -> None:
    _allocated(any_store, small_roster, example)
    with pytest.raises(StateError) as caught:
        allocate_programme(any_store, PROGRAM, by="clerk-1", at=AT, run_id="run-1")
    assert caught.value.code == "store.run_exists"


def test_explain_reads_the_recorded_decision_and_reports_a_changed_programme(
    any_store: Store, small_roster: Path, example: Path
) -> None:
    _allocated(any_store, small_roster, example)
    with any_store.unit_of_work(by="test") as uow:
        run = uow.runs.get("run-1")
        assert run is not None
        refused = next(d for d in run.decisions if d.status == "refused")
    answer = explain(any_store, refused.business_id, program_id=PROGRAM)
    assert answer.decisions == (refused,)
    assert answer.changed_inputs == ()
    changed = (
        (example / "program.toml")
        .read_text(encoding="utf-8")
        .replace("seats = 80", "seats = 81", 1)
    )
    register_programme(any_store, "program.toml", text=changed, by="clerk-2", at=AT)
    again = explain(any_store, refused.business_id, program_id=PROGRAM)
    assert again.decisions == (refused,)
    assert again.changed_inputs == ("programme",)
    assert "berubah" in again.format("id")


def test_explaining_a_business_that_did_not_apply_is_a_typed_error(
    any_store: Store, small_roster: Path, example: Path
) -> None:
    _allocated(any_store, small_roster, example)
    with pytest.raises(StateError) as caught:
        explain(any_store, "TNG-99999", program_id=PROGRAM)
    assert caught.value.code == "allocation.no_application"


def test_withdrawing_a_seated_business_promotes_the_first_waiting_one(
    any_store: Store, small_roster: Path, example: Path
) -> None:
    _allocated(any_store, small_roster, example)
    before = _roster(any_store)
    seated = next(e for e in before.entries if e.status is EnrollmentStatus.OFFERED)
    change = withdraw(any_store, PROGRAM, seated.business_id, by="clerk-2", at=AT)
    assert change.event.what == "withdrawn"
    promoted = [e for e in change.events if e.what == "promoted"]
    assert len(promoted) == 1
    after = _roster(any_store)
    assert after.revision == before.revision + 1
    entry = next(e for e in after.entries if e.business_id == promoted[0].business_id)
    assert entry.status is EnrollmentStatus.OFFERED
    taken = sum(1 for e in after.entries if e.status.holds_seat)
    assert taken == 160


def test_a_stale_roster_is_refused(any_store: Store, small_roster: Path, example: Path) -> None:
    _allocated(any_store, small_roster, example)
    state = _roster(any_store)
    with any_store.unit_of_work(by="clerk-2") as uow:
        uow.enrollments.put(attrs.evolve(state, revision=state.revision + 1))
        uow.commit()
    with any_store.unit_of_work(by="clerk-3") as uow, pytest.raises(StateError) as caught:
        uow.enrollments.put(attrs.evolve(state, revision=state.revision + 1))
    assert caught.value.code == "store.stale"


def test_a_unit_of_work_left_without_commit_changes_nothing(
    any_store: Store, small_roster: Path
) -> None:
    with any_store.unit_of_work(by="clerk-1", at=AT) as uow:
        uow.audit.append("note", "office:test")
    with any_store.unit_of_work(by="clerk-1", at=AT) as uow:
        assert uow.audit.entries() == ()


def test_every_change_names_who_made_it_and_when(any_store: Store) -> None:
    with pytest.raises(ValidationError) as blank:
        any_store.unit_of_work(by="  ")
    assert blank.value.code == "store.blank_actor"
    with pytest.raises(ValidationError) as naive:
        any_store.unit_of_work(by="clerk", at=dt.datetime(2017, 12, 8, 9))
    assert naive.value.code == "store.naive_datetime"


def test_the_audit_trail_of_a_whole_workflow_verifies(
    any_store: Store, small_roster: Path, example: Path
) -> None:
    _allocated(any_store, small_roster, example)
    with any_store.unit_of_work(by="test") as uow:
        entries = uow.audit.entries()
    assert verify_chain(entries) == ()
    assert {"roster.imported", "programme.registered", "run.recorded"} <= {
        e.action for e in entries
    }
    edited = list(entries)
    edited[3] = attrs.evolve(edited[3], by="someone-else")
    assert [b.code for b in verify_chain(edited)] == ["audit.edited"]
    assert verify_chain(entries[:2] + entries[3:])[0].code == "audit.missing"


def test_history_rules_read_attendance_from_the_record(
    any_store: Store, small_roster: Path, example: Path
) -> None:
    _allocated(any_store, small_roster, example)
    state = _roster(any_store)
    alumnus = next(e for e in state.entries if e.status is EnrollmentStatus.OFFERED)
    confirm(any_store, PROGRAM, alumnus.business_id, by="clerk-1", at=AT)
    days = (dt.date(2017, 12, 19), dt.date(2017, 12, 20)) if alumnus.wave == 1 else (
        dt.date(2017, 12, 21), dt.date(2017, 12, 22))  # fmt: skip
    for day in days:
        attend(any_store, PROGRAM, alumnus.business_id, day, by="clerk-1", at=AT)
    complete(any_store, PROGRAM, alumnus.business_id, by="clerk-1", at=AT)

    text = (example / "program.toml").read_text(encoding="utf-8")
    text = (
        text.replace('id = "tng-2017-pud"', 'id = "tng-2018-pud"')
        .replace("year = 2017", "year = 2018")
        .replace("2017-12-", "2018-12-")
    )
    history_rule = '\n[[rules]]\nrule = "not_attended_within"\nyears = 2\n'
    text = text.replace("[allocation]", history_rule + "\n[allocation]")
    register_programme(any_store, "program-2018.toml", text=text, by="clerk-1", at=AT)
    csv = (
        (example / "applications.csv").read_text(encoding="utf-8").replace("2017-11-", "2018-11-")
    )
    apps = Path(small_roster.parent / "applications-2018.csv")
    apps.write_text(csv, encoding="utf-8")
    record_applications(any_store, "tng-2018-pud", apps, by="clerk-1", at=AT)
    outcome = allocate_programme(any_store, "tng-2018-pud", by="clerk-1", at=AT)
    decision = outcome.run.decisions_of(alumnus.business_id)[0]
    assert decision.status == "refused"
    assert "eligibility.recent_attendance" in {r.code for r in decision.reasons}
    others = [d for d in outcome.run.decisions if d.status == "accepted"]
    assert len(others) == 160


def test_a_business_history_lists_every_event_in_order(
    any_store: Store, small_roster: Path, example: Path
) -> None:
    _allocated(any_store, small_roster, example)
    seated = next(e for e in _roster(any_store).entries if e.status is EnrollmentStatus.OFFERED)
    later = AT + dt.timedelta(days=1)
    confirm(any_store, PROGRAM, seated.business_id, by="clerk-2", at=later)
    events = business_history(any_store, seated.business_id)
    whats = [e.what for e in events]
    assert whats == [
        "application",
        "business.version",
        "decision.accepted",
        "enrollment.confirmed",
    ]
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert events[-1].by == "clerk-2"


def test_the_followup_plan_covers_every_participant_by_sector(
    any_store: Store, small_roster: Path, example: Path
) -> None:
    _allocated(any_store, small_roster, example)
    overview = plan_followup(any_store, PROGRAM, plan=example / "followup.toml")
    assert overview.participants == 160
    assert overview.on == dt.date(2018, 1, 2)
    by_sector = {s.sector: s for s in overview.sectors}
    assert set(by_sector) == {"kuliner", "fesyen"}
    food = by_sector["kuliner"]
    assert food.pathway is not None
    assert [k.code for k in food.pathway.steps] == ["packaging", "halal", "trademark"]
    assert all(
        [o.kind.code for o in answer.available] == ["packaging"] for answer in food.next_steps
    )


def test_a_district_table_from_another_offices_plugin_applies_to_imports(
    any_store: Store, small_roster: Path, tmp_path: Path
) -> None:
    from umkm_core import District, RegionCode, hookimpl, load_registry

    class Pekalongan:
        @hookimpl
        def umkm_districts(self) -> Iterator[District]:
            yield District(region=RegionCode.parse("33.75.01"), name="Pekalongan Barat")

    lines = small_roster.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(";")
    cells[7] = "Pekalongan Barat"
    odd = tmp_path / "pekalongan.csv"
    odd.write_text("\n".join([lines[0], ";".join(cells)]) + "\n", encoding="utf-8")
    refused = import_roster(any_store, odd, by="clerk-1", at=AT, office_id=OFFICE)
    assert "roster.region_unknown" in refused.problem_counts()
    registry = load_registry(plugins=[Pekalongan()], autoload=False)
    report = import_roster(
        any_store, odd, by="clerk-1", at=AT, office_id=OFFICE, registry=registry
    )
    assert report.imported == 1, report.problem_counts()
    assert str(report.businesses[0].address.region) == "33.75.01"
