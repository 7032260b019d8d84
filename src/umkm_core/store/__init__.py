"""An office's record: the Store protocol, its records and an in-memory store.

The services (:mod:`umkm_core.services`) work through a :class:`Store`; this package
defines what one keeps (:class:`BusinessVersion`, :class:`RecordedRun`,
:class:`EnrollmentState`, :class:`AuditEntry`...) and how it is used (a
:class:`UnitOfWork` with repositories). It is pure: no file, no SQL.
"""

from umkm_core.store.memory import InMemoryStore
from umkm_core.store.protocol import (
    ApplicationRepository,
    AuditLog,
    BusinessRepository,
    EnrollmentRepository,
    ProgrammeRepository,
    RunRepository,
    StepRepository,
    Store,
    UnitOfWork,
)
from umkm_core.store.records import (
    GENESIS,
    AuditEntry,
    BusinessVersion,
    ChainBreak,
    EnrollmentState,
    ProgrammeRecord,
    RecordedDecision,
    RecordedRun,
    chain_digest,
    check_actor,
    check_aware,
    verify_chain,
)
from umkm_core.store.tombstone import TOMBSTONE, erase_owner

__all__ = [
    "GENESIS",
    "TOMBSTONE",
    "ApplicationRepository",
    "AuditEntry",
    "AuditLog",
    "BusinessRepository",
    "BusinessVersion",
    "ChainBreak",
    "EnrollmentRepository",
    "EnrollmentState",
    "InMemoryStore",
    "ProgrammeRecord",
    "ProgrammeRepository",
    "RecordedDecision",
    "RecordedRun",
    "RunRepository",
    "StepRepository",
    "Store",
    "UnitOfWork",
    "chain_digest",
    "check_actor",
    "check_aware",
    "erase_owner",
    "verify_chain",
]
