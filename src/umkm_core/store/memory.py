"""An office's record in memory: for library users, tests and what-if analyses.

Everything is kept as immutable records in plain containers. A unit of work takes the
store's lock, works on copies of the containers and swaps them in on commit, so a unit
of work that fails changes nothing and two threads never interleave their writes.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from umkm_core.allocation import EnrollmentEvent
from umkm_core.errors import StateError
from umkm_core.followup import StepRecord
from umkm_core.model.application import Application
from umkm_core.model.business import Business
from umkm_core.store.records import (
    AuditEntry,
    BusinessVersion,
    EnrollmentState,
    ProgrammeRecord,
    RecordedRun,
    check_actor,
    check_aware,
)
from umkm_core.store.tombstone import erase_owner

__all__ = ["InMemoryStore"]


@attrs.define
class _State:
    businesses: dict[str, list[BusinessVersion]] = attrs.Factory(dict)
    programmes: dict[str, ProgrammeRecord] = attrs.Factory(dict)
    applications: dict[str, list[Application]] = attrs.Factory(dict)
    runs: dict[str, RecordedRun] = attrs.Factory(dict)
    enrollments: dict[str, EnrollmentState] = attrs.Factory(dict)
    events: list[tuple[str, EnrollmentEvent]] = attrs.Factory(list)
    steps: list[StepRecord] = attrs.Factory(list)
    audit: list[AuditEntry] = attrs.Factory(list)

    def copy(self) -> _State:
        return _State(
            businesses={k: list(v) for k, v in self.businesses.items()},
            programmes=dict(self.programmes),
            applications={k: list(v) for k, v in self.applications.items()},
            runs=dict(self.runs),
            enrollments=dict(self.enrollments),
            events=list(self.events),
            steps=list(self.steps),
            audit=list(self.audit),
        )


def _same(a: Business, b: Business) -> bool:
    # Business compares by id alone (an entity); a version is new when any field changed.
    return attrs.astuple(a, recurse=False) == attrs.astuple(b, recurse=False)


def _step_key(record: StepRecord) -> tuple[str, str, dt.date]:
    return (record.business_id, record.kind.code, record.planned_on)


class _Work:
    """The repositories of one unit of work, over a private copy of the state."""

    def __init__(self, store: InMemoryStore, by: str, at: dt.datetime | None) -> None:
        self._store = store
        self.by = by
        self._at = at
        self._state = store._state.copy()
        self.businesses = _Businesses(self)
        self.programmes = _Programmes(self)
        self.applications = _Applications(self)
        self.runs = _Runs(self)
        self.enrollments = _Enrollments(self)
        self.steps = _Steps(self)
        self.audit = _Audit(self)

    def now(self) -> dt.datetime:
        return self._at if self._at is not None else dt.datetime.now(dt.UTC)

    def lock_programme(self, program_id: str) -> None:
        # The whole unit of work already holds the store's lock.
        return None

    def commit(self) -> None:
        self._store._state = self._state
        self._state = self._store._state.copy()

    def rollback(self) -> None:
        self._state = self._store._state.copy()

    def __enter__(self) -> _Work:
        return self

    def __exit__(self, *exc: object) -> None:
        self.rollback()


class _Repo:
    def __init__(self, work: _Work) -> None:
        self._work = work

    @property
    def _s(self) -> _State:
        return self._work._state

    def _audit(self, action: str, entity: str, detail: str = "") -> None:
        self._work.audit.append(action, entity, detail)


class _Businesses(_Repo):
    def add(self, business: Business) -> BusinessVersion:
        versions = self._s.businesses.setdefault(business.id, [])
        if versions and _same(versions[-1].business, business):
            return versions[-1]
        version = BusinessVersion(
            business=business,
            version=len(versions) + 1,
            recorded_at=self._work.now(),
            by=self._work.by,
        )
        versions.append(version)
        self._audit("business.version", f"business:{business.id}", f"version {version.version}")
        return version

    def add_many(self, businesses: Iterable[Business]) -> int:
        written = 0
        for business in businesses:
            before = len(self._s.businesses.get(business.id, ()))
            self.add(business)
            written += len(self._s.businesses[business.id]) - before
        return written

    def get(self, business_id: str, version: int | None = None) -> BusinessVersion | None:
        versions = self._s.businesses.get(business_id)
        if not versions:
            return None
        if version is None:
            return versions[-1]
        return versions[version - 1] if 1 <= version <= len(versions) else None

    def versions(self, business_id: str) -> tuple[BusinessVersion, ...]:
        return tuple(self._s.businesses.get(business_id, ()))

    def latest(self, office_id: str | None = None) -> Iterator[Business]:
        for business_id in sorted(self._s.businesses):
            business = self._s.businesses[business_id][-1].business
            if office_id is None or any(c.office_id == office_id for c in business.coached_by):
                yield business

    def find_by_nik(self, nik: str) -> tuple[str, ...]:
        found = []
        for business_id, versions in sorted(self._s.businesses.items()):
            owner_nik = versions[-1].business.owner.nik
            if owner_nik is not None and owner_nik.value == nik:
                found.append(business_id)
        return tuple(found)

    def erase_personal_data(self, business_id: str) -> int:
        versions = self._s.businesses.get(business_id, [])
        changed = 0
        for i, v in enumerate(versions):
            if not v.erased:
                versions[i] = attrs.evolve(v, business=erase_owner(v.business), erased=True)
                changed += 1
        self._audit("business.erased", f"business:{business_id}", f"{changed} versions")
        return changed


class _Programmes(_Repo):
    def add(self, record: ProgrammeRecord) -> None:
        self._s.programmes[record.program_id] = record
        self._audit("programme.registered", f"programme:{record.program_id}", record.digest)

    def get(self, program_id: str) -> ProgrammeRecord | None:
        return self._s.programmes.get(program_id)

    def ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._s.programmes))


class _Applications(_Repo):
    def add(self, application: Application) -> bool:
        apps = self._s.applications.setdefault(application.program_id, [])
        if application in apps:
            return False
        apps.append(application)
        self._audit(
            "application.recorded",
            f"business:{application.business_id}",
            f"programme {application.program_id}",
        )
        return True

    def add_many(self, applications: Iterable[Application]) -> int:
        return sum(1 for application in applications if self.add(application))

    def of_programme(self, program_id: str) -> tuple[Application, ...]:
        return tuple(self._s.applications.get(program_id, ()))


class _Runs(_Repo):
    def add(self, run: RecordedRun) -> None:
        if run.run_id in self._s.runs:
            raise StateError(
                "store.run_exists",
                field=run.run_id,
                id="Hasil seleksi dengan id ini sudah tercatat dan tidak dapat diubah.",
                en="A run with this id is already recorded and cannot be changed.",
            )
        self._s.runs[run.run_id] = run
        counts = run.counts()
        self._audit(
            "run.recorded",
            f"programme:{run.program_id}",
            f"run {run.run_id}: {counts['accepted']} accepted, "
            f"{counts['waitlisted']} waitlisted, {counts['refused']} refused",
        )

    def get(self, run_id: str) -> RecordedRun | None:
        return self._s.runs.get(run_id)

    def of_programme(self, program_id: str) -> tuple[RecordedRun, ...]:
        runs = [r for r in self._s.runs.values() if r.program_id == program_id]
        return tuple(sorted(runs, key=lambda r: (r.recorded_at, r.run_id)))


class _Enrollments(_Repo):
    def get(self, program_id: str) -> EnrollmentState | None:
        return self._s.enrollments.get(program_id)

    def put(self, state: EnrollmentState, events: tuple[EnrollmentEvent, ...] = ()) -> None:
        current = self._s.enrollments.get(state.program_id)
        expected = 0 if current is None else current.revision
        if state.revision != expected + 1:
            raise StateError(
                "store.stale",
                field=state.program_id,
                id="Daftar peserta sudah diubah oleh pengguna lain; ulangi.",
                en="The roster was changed by someone else first; try again.",
            )
        self._s.enrollments[state.program_id] = state
        self._s.events.extend((state.program_id, e) for e in events)
        for e in events:
            self._audit(f"enrollment.{e.what}", f"business:{e.business_id}",
                        f"programme {state.program_id}, by {e.by}")  # fmt: skip

    def events(
        self, *, program_id: str | None = None, business_id: str | None = None
    ) -> tuple[tuple[str, EnrollmentEvent], ...]:
        return tuple(
            (p, e)
            for p, e in self._s.events
            if (program_id is None or p == program_id)
            and (business_id is None or e.business_id == business_id)
        )


class _Steps(_Repo):
    def put(self, record: StepRecord) -> None:
        self._s.steps.append(record)
        self._audit(
            "step.recorded",
            f"business:{record.business_id}",
            f"{record.kind.code}: {record.status.value}",
        )

    def _latest(self, records: list[StepRecord]) -> tuple[StepRecord, ...]:
        latest: dict[tuple[str, str, dt.date], StepRecord] = {}
        for r in records:
            latest[_step_key(r)] = r
        return tuple(latest.values())

    def of_business(self, business_id: str) -> tuple[StepRecord, ...]:
        return self._latest([r for r in self._s.steps if r.business_id == business_id])

    def all(self) -> tuple[StepRecord, ...]:
        return self._latest(self._s.steps)

    def history(self, business_id: str) -> tuple[StepRecord, ...]:
        return tuple(r for r in self._s.steps if r.business_id == business_id)


class _Audit(_Repo):
    def append(self, action: str, entity: str, detail: str = "") -> AuditEntry:
        previous = self._s.audit[-1] if self._s.audit else None
        entry = AuditEntry.chained(
            previous, action=action, entity=entity, by=self._work.by, at=self._work.now(),
            detail=detail,
        )  # fmt: skip
        self._s.audit.append(entry)
        return entry

    def entries(self, entity: str | None = None) -> tuple[AuditEntry, ...]:
        return tuple(e for e in self._s.audit if entity is None or e.entity == entity)


class InMemoryStore:
    """A :class:`~umkm_core.store.Store` in memory.

    >>> store = InMemoryStore()
    >>> import datetime as dt
    >>> with store.unit_of_work(by="clerk") as uow:
    ...     uow.audit.append("note", "office:demo", "opened").sequence
    1
    """

    def __init__(self) -> None:
        self._state = _State()
        self._lock = threading.RLock()

    def unit_of_work(self, *, by: str, at: dt.datetime | None = None) -> _Locked:
        """A unit of work by ``by``; it holds the store's lock until it ends."""
        check_actor(by)
        if at is not None:
            check_aware(at)
        return _Locked(self, by, at)


class _Locked:
    def __init__(self, store: InMemoryStore, by: str, at: dt.datetime | None) -> None:
        self._store = store
        self._by = by
        self._at = at
        self._work: _Work | None = None

    def __enter__(self) -> _Work:
        self._store._lock.acquire()
        self._work = _Work(self._store, self._by, self._at)
        return self._work

    def __exit__(self, *exc: Any) -> None:
        try:
            assert self._work is not None
            self._work.rollback()
        finally:
            self._store._lock.release()
