"""The Store: an office's record behind one interface, used as a unit of work.

Services never touch files or SQL; they open a unit of work, read and write through its
repositories and commit. Leaving the ``with`` block without :meth:`UnitOfWork.commit`
rolls everything back, so a failed use case leaves nothing half written. Every write
method appends an :class:`~umkm_core.store.AuditEntry` in the same transaction.

Implementations: :class:`~umkm_core.store.InMemoryStore` (library users and tests), the
run-folder store of the ``umkm`` command, and the SQL store (SQLite, PostgreSQL). One
service test suite runs against each of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Protocol

from umkm_core.allocation import EnrollmentEvent
from umkm_core.followup import StepRecord
from umkm_core.model.application import Application
from umkm_core.model.business import Business
from umkm_core.store.records import (
    AuditEntry,
    BusinessVersion,
    EnrollmentState,
    ProgrammeRecord,
    RecordedRun,
)

__all__ = [
    "ApplicationRepository",
    "AuditLog",
    "BusinessRepository",
    "EnrollmentRepository",
    "ProgrammeRepository",
    "RunRepository",
    "StepRepository",
    "Store",
    "UnitOfWork",
]


class BusinessRepository(Protocol):
    """The register: every version of every business."""

    def add(self, business: Business) -> BusinessVersion:
        """Record ``business`` as a new version (version 1 when it is new).

        A version equal to the latest one is not written again; the latest is returned.
        """
        ...

    def add_many(self, businesses: Iterable[Business]) -> int:
        """Record many businesses, each as :meth:`add` would (a register import).

        :returns: how many new versions were written.
        """
        ...

    def get(self, business_id: str, version: int | None = None) -> BusinessVersion | None:
        """The latest version of ``business_id`` (or ``version``), ``None`` if unknown."""
        ...

    def versions(self, business_id: str) -> tuple[BusinessVersion, ...]:
        """Every version of ``business_id``, oldest first."""
        ...

    def latest(self, office_id: str | None = None) -> Iterator[Business]:
        """The latest version of every business (of ``office_id``), by id."""
        ...

    def find_by_nik(self, nik: str) -> tuple[str, ...]:
        """The ids of the businesses whose owner has this NIK (latest versions)."""
        ...

    def erase_personal_data(self, business_id: str) -> int:
        """Replace the personal fields of every version with a tombstone.

        :returns: how many versions were changed.
        """
        ...


class ProgrammeRepository(Protocol):
    """Registered programmes."""

    def add(self, record: ProgrammeRecord) -> None:
        """Register a programme (a new file text replaces the current one)."""
        ...

    def get(self, program_id: str) -> ProgrammeRecord | None:
        """The programme, ``None`` if unknown."""
        ...

    def ids(self) -> tuple[str, ...]:
        """Every programme id, sorted."""
        ...


class ApplicationRepository(Protocol):
    """Applications to programmes."""

    def add(self, application: Application) -> bool:
        """Record an application; ``False`` when the same one is already recorded."""
        ...

    def add_many(self, applications: Iterable[Application]) -> int:
        """Record many applications; ones already recorded are skipped.

        :returns: how many were new.
        """
        ...

    def of_programme(self, program_id: str) -> tuple[Application, ...]:
        """Every application to ``program_id``, in the order recorded."""
        ...


class RunRepository(Protocol):
    """Allocation runs, immutable once recorded."""

    def add(self, run: RecordedRun) -> None:
        """Record a run; a run id already recorded is refused (``store.run_exists``)."""
        ...

    def get(self, run_id: str) -> RecordedRun | None:
        """The run, ``None`` if unknown."""
        ...

    def of_programme(self, program_id: str) -> tuple[RecordedRun, ...]:
        """Every run of ``program_id``, oldest first."""
        ...


class EnrollmentRepository(Protocol):
    """The current roster of each programme and the events that made it."""

    def get(self, program_id: str) -> EnrollmentState | None:
        """The roster of ``program_id``, ``None`` before its first recorded run."""
        ...

    def put(self, state: EnrollmentState, events: tuple[EnrollmentEvent, ...] = ()) -> None:
        """Store ``state`` and append ``events``.

        :raises StateError: ``store.stale`` when the stored roster's revision is not
            ``state.revision - 1`` (another writer changed it first).
        """
        ...

    def events(
        self, *, program_id: str | None = None, business_id: str | None = None
    ) -> tuple[tuple[str, EnrollmentEvent], ...]:
        """Enrolment events as ``(program_id, event)``, oldest first."""
        ...


class StepRepository(Protocol):
    """Follow-up step records: the latest state of each, and every state it had."""

    def put(self, record: StepRecord) -> None:
        """Record the current state of a step (a new state of the same step is kept too)."""
        ...

    def of_business(self, business_id: str) -> tuple[StepRecord, ...]:
        """The latest state of each step of ``business_id``."""
        ...

    def all(self) -> tuple[StepRecord, ...]:
        """The latest state of every step."""
        ...

    def history(self, business_id: str) -> tuple[StepRecord, ...]:
        """Every state every step of ``business_id`` had, oldest first."""
        ...


class AuditLog(Protocol):
    """The append-only audit trail."""

    def append(self, action: str, entity: str, detail: str = "") -> AuditEntry:
        """Add an entry by the unit of work's actor, at its clock's time."""
        ...

    def entries(self, entity: str | None = None) -> tuple[AuditEntry, ...]:
        """The entries (about ``entity``), in sequence order."""
        ...


class UnitOfWork(Protocol):
    """One transaction over the record, by one actor."""

    @property
    def by(self) -> str:
        """Who acts in this unit of work."""
        ...

    @property
    def businesses(self) -> BusinessRepository:
        """The register."""
        ...

    @property
    def programmes(self) -> ProgrammeRepository:
        """Registered programmes."""
        ...

    @property
    def applications(self) -> ApplicationRepository:
        """Applications."""
        ...

    @property
    def runs(self) -> RunRepository:
        """Recorded allocation runs."""
        ...

    @property
    def enrollments(self) -> EnrollmentRepository:
        """Rosters and their events."""
        ...

    @property
    def steps(self) -> StepRepository:
        """Follow-up step records."""
        ...

    @property
    def audit(self) -> AuditLog:
        """The audit trail."""
        ...

    def now(self) -> dt.datetime:
        """The time written on this transaction's records (aware)."""
        ...

    def lock_programme(self, program_id: str) -> None:
        """Serialise seat changes of ``program_id`` until this unit of work ends."""
        ...

    def commit(self) -> None:
        """Make every write of this unit of work durable, at once."""
        ...

    def rollback(self) -> None:
        """Forget every write since the last commit."""
        ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, *exc: object) -> None: ...


class Store(Protocol):
    """Where an office's record lives."""

    def unit_of_work(
        self, *, by: str, at: dt.datetime | None = None
    ) -> AbstractContextManager[UnitOfWork]:
        """A new unit of work by ``by`` (who acts; never blank), at ``at`` (default: now).

        :raises ValidationError: ``store.blank_actor`` or ``store.naive_datetime``.
        """
        ...
