"""The SQL store: an office's record in SQLite or PostgreSQL, behind the Store protocol.

It behaves exactly as :class:`~umkm_core.store.InMemoryStore` (one test suite holds
both to it): a unit of work is one database transaction that rolls back unless
committed, and every write appends its audit entry in that same transaction. Records
travel as documents of :mod:`umkm_core.adapters.serialization`; the other columns are
what queries filter on. The audit chain's head (last sequence and digest) is one row
that every writer locks first, so the chain stays linear whoever writes; a programme's
roster is serialised by SQLite's ``BEGIN IMMEDIATE`` or by a PostgreSQL advisory lock
per programme (as pretix locks its quotas).

This module is longer than most: the seven repositories share one connection and one
audit chain, and splitting them would scatter that one transaction's state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, TypeVar

import attrs
import msgspec
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import URL

from umkm_core.adapters.followup_io import step_records_from_jsonl
from umkm_core.adapters.serialization import from_dict, from_json, to_dict, to_json
from umkm_core.adapters.sql import _schema as t
from umkm_core.adapters.sql._engine import (
    BUSY_TIMEOUT_MS,
    READ_ONLY,
    busy,
    create_engine,
    is_busy,
    map_error,
    parse_url,
    sqlite_path,
)
from umkm_core.adapters.sql._migrate import check_schema, read_status, run_upgrade
from umkm_core.adapters.sql.errors import StoreBusy, StoreError
from umkm_core.allocation import Enrollment, EnrollmentEvent
from umkm_core.errors import StateError
from umkm_core.followup import StepRecord
from umkm_core.followup.catalogue import BUILTIN_STEP_KINDS
from umkm_core.followup.kinds import StepKind
from umkm_core.model.application import Application
from umkm_core.model.business import Business
from umkm_core.model.program import PastEnrollment
from umkm_core.store import (
    ApplicationRepository,
    AuditEntry,
    AuditLog,
    BusinessRepository,
    BusinessVersion,
    EnrollmentRepository,
    EnrollmentState,
    ProgrammeRecord,
    ProgrammeRepository,
    RecordedDecision,
    RecordedRun,
    RunRepository,
    StepRepository,
    chain_digest,
    check_actor,
    check_aware,
    erase_owner,
)

__all__ = ["SqlStore", "SqlUnitOfWork", "with_retries"]

T = TypeVar("T")

#: How many times a unit of work tries to start while another writer holds the database.
BEGIN_ATTEMPTS = 3
#: Rows per statement in bulk writes.
BATCH = 2000

_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder()


def _json(obj: Any) -> str:
    return to_json(obj).decode("utf-8")


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat()


def _corrupt(table: str) -> StoreError:
    return StoreError(
        "store.corrupt_row",
        field=table,
        id=f"Baris di tabel {table} tidak dapat dibaca (diubah di luar umkm_core?).",
        en=f"A row of table {table} cannot be read (changed outside umkm_core?).",
    )


def _plain(text: str) -> bool:
    return text.isascii() and text.isprintable()


def _digest(
    sequence: int,
    *,
    action: str,
    entity: str,
    by: str,
    at: dt.datetime,
    at_utc: str,
    detail: str,
    previous: str,
) -> str:
    """:func:`~umkm_core.store.chain_digest` of the entry with these fields.

    For printable ASCII fields (nearly all of them) msgspec writes exactly the bytes of
    the reference ``json.dumps``, several times faster; anything else goes through the
    reference itself (a property test holds the two to the same digest).
    """
    if _plain(action) and _plain(entity) and _plain(by) and _plain(detail):
        payload = _ENCODER.encode([sequence, action, entity, by, at_utc, detail, previous])
        return hashlib.sha256(payload).hexdigest()
    entry = AuditEntry(
        sequence=sequence, action=action, entity=entity, by=by, at=at, detail=detail,
        previous=previous,
    )  # fmt: skip
    return chain_digest(entry)


def _programme_lock_key(program_id: str) -> int:
    digest = hashlib.sha256(f"umkm_core:programme:{program_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class SqlStore:
    """A :class:`~umkm_core.store.Store` in SQLite (the default) or PostgreSQL.

    :param url: ``sqlite:///umkm.db`` (a file in the working folder, created with mode
        0600), ``sqlite://`` (in memory), or ``postgresql://user@host/db``.
    :param steps: the step kinds by code (``registry.steps``) to read step records
        back; the built-in kinds when ``None``.
    :param create: initialise a missing or empty database (the file and the schema).
    :param busy_timeout_ms: how long a unit of work waits for another writer before
        failing with ``store.busy``.
    :raises SchemaError: ``store.schema_outdated`` (names ``umkm db upgrade``),
        ``store.schema_newer``, ``store.not_initialised``, ``store.foreign_database``.
    :raises StoreError: ``store.bad_url``, ``store.no_folder``, ``store.unreachable``.

    >>> store = SqlStore("sqlite://")
    >>> with store.unit_of_work(by="clerk") as uow:
    ...     uow.audit.append("note", "office:demo", "opened").sequence
    1
    >>> store.close()
    """

    def __init__(
        self,
        url: str | URL,
        *,
        steps: Mapping[str, StepKind] | None = None,
        create: bool = True,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> None:
        self.url = parse_url(url)
        self.steps: Mapping[str, StepKind] = (
            {kind.code: kind for kind in BUILTIN_STEP_KINDS} if steps is None else dict(steps)
        )
        self.engine = create_engine(self.url, create=create, busy_timeout_ms=busy_timeout_ms)
        self.dialect = self.engine.dialect.name
        self._sqlite_file = sqlite_path(self.url)
        try:
            with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
                empty = read_status(conn, self.url).state == "empty"
            if create and empty:
                run_upgrade(self.engine, self.url)
            with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
                check_schema(conn, self.url)
                key = conn.execute(
                    sa.select(t.settings.c.value).where(t.settings.c.name == "nik_key")
                ).scalar_one()
        except sa.exc.SQLAlchemyError as err:
            self.engine.dispose()
            raise map_error(err) from None
        except BaseException:
            self.engine.dispose()
            raise
        self._nik_key = bytes.fromhex(key)

    def nik_hash(self, nik: str) -> str:
        """The keyed hash under which a NIK is indexed (the NIK itself is never sent)."""
        return hmac.new(self._nik_key, nik.encode("ascii", "replace"), hashlib.sha256).hexdigest()

    def unit_of_work(self, *, by: str, at: dt.datetime | None = None) -> SqlUnitOfWork:
        """A new unit of work by ``by`` (never blank), at ``at`` (default: now).

        :raises ValidationError: ``store.blank_actor`` or ``store.naive_datetime``.
        """
        check_actor(by)
        if at is not None:
            check_aware(at)
        return SqlUnitOfWork(self, by, at)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SqlStore({self.url.render_as_string(hide_password=True)!r})"


class SqlUnitOfWork(AbstractContextManager["SqlUnitOfWork"]):
    """One database transaction by one actor (see :class:`~umkm_core.store.UnitOfWork`)."""

    def __init__(self, store: SqlStore, by: str, at: dt.datetime | None) -> None:
        self.store = store
        self.by = by
        self._at = at
        self._conn: sa.Connection | None = None
        self._head: tuple[int, str] | None = None
        self._head_moved = False
        self._dirty = False
        self._erased = False
        self._businesses = _Businesses(self)
        self._applications = _Applications(self)
        # Typed as the protocol's repositories (the protocol's attributes are invariant).
        self.businesses: BusinessRepository = self._businesses
        self.programmes: ProgrammeRepository = _Programmes(self)
        self.applications: ApplicationRepository = self._applications
        self.runs: RunRepository = _Runs(self)
        self.enrollments: EnrollmentRepository = _Enrollments(self)
        self.steps: StepRepository = _Steps(self)
        self.audit: AuditLog = _Audit(self)

    # Bulk writes (a register import, a batch of applications) -------------------------

    def add_businesses(self, businesses: Iterable[Business]) -> int:
        """Record many businesses in bulk statements, each as ``businesses.add`` would.

        :returns: how many new versions were written (unchanged ones are not).
        """
        return self._businesses.add_many(businesses)

    def add_applications(self, applications: Iterable[Application]) -> int:
        """Record many applications in bulk statements; ones already recorded are skipped.

        :returns: how many were new.
        """
        return self._applications.add_many(applications)

    # The transaction ------------------------------------------------------------------

    def __enter__(self) -> SqlUnitOfWork:
        try:
            self._conn = self.store.engine.connect()
        except sa.exc.SQLAlchemyError as err:
            raise map_error(err) from None
        return self

    def __exit__(self, *exc: object) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if conn.in_transaction():
                conn.rollback()
        except sa.exc.SQLAlchemyError:
            conn.invalidate()
        finally:
            conn.close()
            self._forget()

    def _forget(self) -> None:
        self._head = None
        self._head_moved = False
        self._dirty = False
        self._erased = False

    def _connection(self) -> sa.Connection:
        if self._conn is None:
            raise StateError(
                "store.closed",
                id="Unit kerja belum dibuka (pakai 'with').",
                en="The unit of work is not open (use 'with').",
            )
        if self._conn.in_transaction():
            return self._conn
        # Starting is always safe to retry: nothing has been done yet.
        for attempt in range(BEGIN_ATTEMPTS):
            try:
                self._conn.begin()
                return self._conn
            except sa.exc.SQLAlchemyError as err:
                if not is_busy(err):
                    raise map_error(err) from None
                self._reconnect()
                time.sleep(0.05 * (attempt + 1) * random.random())
        raise busy()

    def _reconnect(self) -> None:
        assert self._conn is not None
        self._conn.invalidate()
        self._conn.close()
        try:
            self._conn = self.store.engine.connect()
        except sa.exc.SQLAlchemyError as err:
            raise map_error(err) from None

    def execute(self, statement: Any, params: Any = None) -> sa.CursorResult[Any]:
        """Run one statement in this unit of work's transaction (errors typed)."""
        conn = self._connection()
        try:
            result = conn.execute(statement, params)
        except sa.exc.SQLAlchemyError as err:
            raise map_error(err) from None
        self._dirty = True
        return result

    def now(self) -> dt.datetime:
        """The time written on this transaction's records (aware)."""
        return self._at if self._at is not None else dt.datetime.now(dt.UTC)

    def lock_programme(self, program_id: str) -> None:
        """Serialise seat changes of ``program_id`` until this unit of work ends.

        SQLite: the transaction already holds the database's write lock (``BEGIN
        IMMEDIATE``). PostgreSQL: a transaction-scoped advisory lock on the programme;
        when it is the first thing the unit of work does, a lock timeout is retried.

        :raises StoreBusy: ``store.busy`` when the lock cannot be had in time.
        """
        conn = self._connection()
        if self.store.dialect != "postgresql":
            return
        statement = sa.select(sa.func.pg_advisory_xact_lock(_programme_lock_key(program_id)))
        for attempt in range(BEGIN_ATTEMPTS):
            fresh = not self._dirty
            try:
                conn.execute(statement)
                self._dirty = True
                return
            except sa.exc.SQLAlchemyError as err:
                if not (fresh and is_busy(err)):
                    raise map_error(err) from None
                conn.rollback()
                time.sleep(0.05 * (attempt + 1) * random.random())
                conn = self._connection()
        raise busy()

    def commit(self) -> None:
        """Make every write of this unit of work durable, at once."""
        conn = self._conn
        if conn is None or not conn.in_transaction():
            return
        erased = self._erased
        try:
            if self._head_moved and self._head is not None:
                sequence, digest = self._head
                conn.execute(
                    t.audit_head.update()
                    .where(t.audit_head.c.id == 1)
                    .values(sequence=sequence, digest=digest)
                )
            conn.commit()
        except sa.exc.SQLAlchemyError as err:
            raise map_error(err) from None
        finally:
            self._forget()
        if erased and self.store._sqlite_file is not None:
            # Erased data may linger in the write-ahead log: fold it into the file now.
            try:
                raw = conn.connection.dbapi_connection
                assert raw is not None
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except (sa.exc.SQLAlchemyError, sqlite3.Error):
                conn.invalidate()

    def rollback(self) -> None:
        """Forget every write since the last commit."""
        conn = self._conn
        try:
            if conn is not None and conn.in_transaction():
                conn.rollback()
        except sa.exc.SQLAlchemyError as err:
            raise map_error(err) from None
        finally:
            self._forget()

    # The audit chain ------------------------------------------------------------------

    def _chain_head(self) -> tuple[int, str]:
        if self._head is None:
            row = self.execute(
                sa.select(t.audit_head.c.sequence, t.audit_head.c.digest)
                .where(t.audit_head.c.id == 1)
                .with_for_update()
            ).one()
            self._head = (row.sequence, row.digest)
        return self._head

    def append_audit(
        self, items: Sequence[tuple[str, str, str]], *, entries: bool = True
    ) -> list[AuditEntry]:
        """Append audit entries ``(action, entity, detail)`` in order, chained.

        :param entries: build and return the :class:`AuditEntry` objects (a bulk write
            does not need them).
        """
        if not items:
            return []
        sequence, digest = self._chain_head()
        at = self.now()
        at_text = _iso(at)
        at_utc = at.astimezone(dt.UTC).isoformat()
        built: list[AuditEntry] = []
        rows: list[dict[str, object]] = []
        for action, entity, detail in items:
            sequence += 1
            previous = digest
            digest = _digest(
                sequence, action=action, entity=entity, by=self.by, at=at, at_utc=at_utc,
                detail=detail, previous=previous,
            )  # fmt: skip
            if entries:
                built.append(
                    AuditEntry(
                        sequence=sequence, action=action, entity=entity, by=self.by, at=at,
                        detail=detail, previous=previous, digest=digest,
                    )
                )  # fmt: skip
            rows.append(
                {
                    "sequence": sequence,
                    "action": action,
                    "entity": entity,
                    "actor": self.by,
                    "at": at_text,
                    "detail": detail,
                    "previous": previous,
                    "digest": digest,
                }
            )
        self.bulk_insert(t.audit_log, rows)
        self._head = (sequence, digest)
        self._head_moved = True
        return built

    def bulk_insert(self, table: sa.Table, rows: Sequence[dict[str, object]]) -> None:
        """Insert many rows in one driver-level ``executemany`` (no per-row compiling)."""
        if not rows:
            return
        columns = list(rows[0])
        if self.store.dialect == "postgresql":
            marks = ", ".join(f"%({c})s" for c in columns)
        else:
            marks = ", ".join(f":{c}" for c in columns)
        names = ", ".join(columns)
        conn = self._connection()
        try:
            conn.exec_driver_sql(
                f"INSERT INTO {table.name} ({names}) VALUES ({marks})", list(rows)
            )
        except sa.exc.SQLAlchemyError as err:
            raise map_error(err) from None
        self._dirty = True

    def insert_ignoring_duplicates(self, table: sa.Table, values: dict[str, object]) -> int:
        """Insert one row unless its key exists; how many rows were inserted."""
        insert: Any
        if self.store.dialect == "postgresql":
            insert = pg_dialect.insert(table)
        else:
            insert = sqlite_dialect.insert(table)
        key = next(iter(table.primary_key.columns))
        result = self.execute(insert.values(**values).on_conflict_do_nothing().returning(key))
        return len(result.all())


class _Repo:
    def __init__(self, work: SqlUnitOfWork) -> None:
        self._work = work

    def _audit(self, action: str, entity: str, detail: str = "") -> None:
        self._work.append_audit([(action, entity, detail)])


def _batches(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Businesses(_Repo):
    def _index(self, business: Business) -> dict[str, object]:
        nik = business.owner.nik
        return {
            "region": business.address.region.value,
            "sector": business.sector,
            "nib": None if business.nib is None else business.nib.value,
            "nik_hash": None if nik is None else self._work.store.nik_hash(nik.value),
        }

    @staticmethod
    def _version(row: Any, business: Business | None = None) -> BusinessVersion:
        if business is None:
            try:
                business = from_json(row.doc, Business)
            except ValueError:
                raise _corrupt("business_versions") from None
        return BusinessVersion(
            business=business,
            version=row.version,
            recorded_at=dt.datetime.fromisoformat(row.recorded_at),
            by=row.actor,
            erased=bool(row.erased),
        )

    def add(self, business: Business) -> BusinessVersion:
        return self._add_batch([business])[0][0]

    def add_many(self, businesses: Iterable[Business]) -> int:
        """Record many businesses at once (a register import), in bulk statements.

        Each is recorded as :meth:`add` would (a new version only when it changed), with
        its audit entry.

        :returns: how many new versions were written.
        """
        written = 0
        for batch in _batches(businesses):
            written += self._add_batch(batch)[1]
        return written

    def _add_batch(self, batch: list[Business]) -> tuple[list[BusinessVersion], int]:
        bv = t.business_versions
        ids = sorted({b.id for b in batch})
        found = self._work.execute(
            sa.select(bv.c.business_id, bv.c.version, bv.c.recorded_at, bv.c.actor,
                      bv.c.erased, bv.c.doc)
            .where(bv.c.latest, bv.c.business_id.in_(ids))
        ).all()  # fmt: skip
        # The latest version of each id: (version, doc, BusinessVersion or row, new row).
        latest: dict[str, tuple[int, str, Any, dict[str, object] | None]] = {
            row.business_id: (row.version, row.doc, row, None) for row in found
        }
        demote: list[dict[str, object]] = []
        new_rows: list[dict[str, object]] = []
        results: list[BusinessVersion] = []
        audits: list[tuple[str, str, str]] = []
        now = self._work.now()
        for business in batch:
            doc = _json(business)
            current = latest.get(business.id)
            if current is not None and current[1] == doc:
                held = current[2]
                results.append(
                    held if isinstance(held, BusinessVersion) else self._version(held, business)
                )
                continue
            if current is not None:
                if current[3] is None:
                    demote.append({"b_id": business.id, "b_version": current[0]})
                else:
                    current[3]["latest"] = False
            version = 1 if current is None else current[0] + 1
            row: dict[str, object] = {
                "business_id": business.id,
                "version": version,
                "latest": True,
                "recorded_at": _iso(now),
                "actor": self._work.by,
                "erased": False,
                "doc": doc,
                **self._index(business),
            }
            new_rows.append(row)
            recorded = BusinessVersion(
                business=business, version=version, recorded_at=now, by=self._work.by
            )
            latest[business.id] = (version, doc, recorded, row)
            results.append(recorded)
            audits.append(("business.version", f"business:{business.id}", f"version {version}"))
        if not new_rows:
            return results, 0
        if demote:
            self._work.execute(
                bv.update()
                .where(bv.c.business_id == sa.bindparam("b_id"))
                .where(bv.c.version == sa.bindparam("b_version"))
                .values(latest=False),
                demote,
            )
        self._work.bulk_insert(bv, new_rows)
        changed = sorted({str(r["business_id"]) for r in new_rows})
        offices = t.business_offices
        if found:
            self._work.execute(
                offices.delete().where(offices.c.business_id.in_(changed)),
            )
        office_rows = [
            {"office_id": office, "business_id": business_id}
            for business_id in changed
            for office in sorted({c.office_id for c in latest[business_id][2].business.coached_by})
        ]
        self._work.bulk_insert(offices, office_rows)
        self._work.append_audit(audits, entries=False)
        return results, len(new_rows)

    def get(self, business_id: str, version: int | None = None) -> BusinessVersion | None:
        bv = t.business_versions
        query = sa.select(bv).where(bv.c.business_id == business_id)
        query = query.where(bv.c.latest if version is None else bv.c.version == version)
        row = self._work.execute(query).first()
        return None if row is None else self._version(row)

    def versions(self, business_id: str) -> tuple[BusinessVersion, ...]:
        bv = t.business_versions
        rows = self._work.execute(
            sa.select(bv).where(bv.c.business_id == business_id).order_by(bv.c.version)
        ).all()
        return tuple(self._version(row) for row in rows)

    def latest(self, office_id: str | None = None) -> Iterator[Business]:
        bv = t.business_versions
        after = ""
        while True:
            query = sa.select(bv.c.business_id, bv.c.doc).where(bv.c.latest)
            if office_id is not None:
                offices = t.business_offices
                query = query.where(
                    bv.c.business_id.in_(
                        sa.select(offices.c.business_id).where(offices.c.office_id == office_id)
                    )
                )
            rows = self._work.execute(
                query.where(bv.c.business_id > after).order_by(bv.c.business_id).limit(BATCH)
            ).all()
            for row in rows:
                try:
                    yield from_json(row.doc, Business)
                except ValueError:
                    raise _corrupt("business_versions") from None
            if len(rows) < BATCH:
                return
            after = rows[-1].business_id

    def find_by_nik(self, nik: str) -> tuple[str, ...]:
        bv = t.business_versions
        rows = self._work.execute(
            sa.select(bv.c.business_id)
            .where(bv.c.latest, bv.c.nik_hash == self._work.store.nik_hash(nik))
            .order_by(bv.c.business_id)
        ).all()
        return tuple(row.business_id for row in rows)

    def erase_personal_data(self, business_id: str) -> int:
        bv = t.business_versions
        rows = self._work.execute(
            sa.select(bv.c.version, bv.c.doc)
            .where(bv.c.business_id == business_id, sa.not_(bv.c.erased))
            .order_by(bv.c.version)
        ).all()
        updates = []
        for row in rows:
            try:
                business = from_json(row.doc, Business)
            except ValueError:
                raise _corrupt("business_versions") from None
            updates.append({"b_version": row.version, "new_doc": _json(erase_owner(business))})
        if updates:
            self._work.execute(
                bv.update()
                .where(bv.c.business_id == business_id)
                .where(bv.c.version == sa.bindparam("b_version"))
                .values(doc=sa.bindparam("new_doc"), erased=True, nik_hash=None),
                updates,
            )
            self._work._erased = True
        self._audit("business.erased", f"business:{business_id}", f"{len(updates)} versions")
        return len(updates)


class _Programmes(_Repo):
    def add(self, record: ProgrammeRecord) -> None:
        p = t.programmes
        values = {"office_id": record.office_id, "doc": _json(record)}
        result = self._work.execute(
            p.update().where(p.c.program_id == record.program_id).values(**values)
        )
        if result.rowcount == 0:
            self._work.execute(p.insert().values(program_id=record.program_id, **values))
        self._audit("programme.registered", f"programme:{record.program_id}", record.digest)

    def get(self, program_id: str) -> ProgrammeRecord | None:
        p = t.programmes
        doc = self._work.execute(
            sa.select(p.c.doc).where(p.c.program_id == program_id)
        ).scalar_one_or_none()
        if doc is None:
            return None
        try:
            return from_json(doc, ProgrammeRecord)
        except ValueError:
            raise _corrupt("programmes") from None

    def ids(self) -> tuple[str, ...]:
        p = t.programmes
        rows = self._work.execute(sa.select(p.c.program_id).order_by(p.c.program_id)).all()
        return tuple(row.program_id for row in rows)


def _application_digest(application: Application) -> str:
    # Equal applications (the same instant in any time zone) share one digest.
    same = attrs.evolve(application, applied_at=application.applied_at.astimezone(dt.UTC))
    return hashlib.sha256(to_json(same)).hexdigest()


class _Applications(_Repo):
    def add(self, application: Application) -> bool:
        return self.add_many([application]) == 1

    def add_many(self, applications: Iterable[Application]) -> int:
        """Record many applications at once; the ones already recorded are skipped.

        :returns: how many were new.
        """
        a = t.applications
        added = 0
        for batch in _batches(applications):
            keyed = [(app.program_id, _application_digest(app), app) for app in batch]
            found = self._work.execute(
                sa.select(a.c.program_id, a.c.digest).where(
                    a.c.digest.in_(sorted({digest for _, digest, _ in keyed}))
                )
            ).all()
            seen = {(row.program_id, row.digest) for row in found}
            rows: list[dict[str, object]] = []
            audits = []
            for program_id, digest, app in keyed:
                if (program_id, digest) in seen:
                    continue
                seen.add((program_id, digest))
                rows.append(
                    {
                        "program_id": program_id,
                        "business_id": app.business_id,
                        "digest": digest,
                        "doc": _json(app),
                    }
                )
                audits.append(
                    ("application.recorded", f"business:{app.business_id}",
                     f"programme {program_id}")
                )  # fmt: skip
            if rows:
                self._work.bulk_insert(a, rows)
                self._work.append_audit(audits, entries=False)
            added += len(rows)
        return added

    def of_programme(self, program_id: str) -> tuple[Application, ...]:
        a = t.applications
        docs = self._work.execute(
            sa.select(a.c.doc).where(a.c.program_id == program_id).order_by(a.c.seq)
        ).scalars()
        read: tuple[Application, ...] = _read_many(docs, tuple[Application, ...], "applications")
        return read


def _read_many(docs: Iterable[str], cls: Any, table: str) -> Any:
    try:
        data = [_DECODER.decode(doc) for doc in docs]
        for item in data:
            item.pop("schema", None)
        return from_dict(data, cls)
    except (ValueError, msgspec.DecodeError, AttributeError):
        raise _corrupt(table) from None


class _Runs(_Repo):
    def add(self, run: RecordedRun) -> None:
        header = {
            "schema": 1,
            "run_id": run.run_id,
            "program_id": run.program_id,
            "programme_source": run.programme_source,
            "programme_digest": run.programme_digest,
            "as_of": run.as_of.isoformat(),
            "policy": dict(run.policy),
            "engine_version": run.engine_version,
            "inputs": dict(run.inputs),
            "applications": [to_dict(a) for a in run.applications],
            "business_versions": dict(run.business_versions),
            "history": [to_dict(h) for h in run.history],
            "recorded_at": _iso(run.recorded_at),
            "by": run.by,
        }
        inserted = self._work.insert_ignoring_duplicates(
            t.runs,
            {
                "run_id": run.run_id,
                "program_id": run.program_id,
                "recorded_at": _iso(run.recorded_at.astimezone(dt.UTC)),
                "doc": _ENCODER.encode(header).decode("utf-8"),
            },
        )
        if inserted == 0:
            raise StateError(
                "store.run_exists",
                field=run.run_id,
                id="Hasil seleksi dengan id ini sudah tercatat dan tidak dapat diubah.",
                en="A run with this id is already recorded and cannot be changed.",
            )
        for start, batch in enumerate(_batches(run.decisions)):
            self._work.bulk_insert(
                t.run_decisions,
                [
                    {
                        "run_id": run.run_id,
                        "position": start * BATCH + i,
                        "business_id": d.business_id,
                        "status": d.status,
                        "doc": _ENCODER.encode(to_dict(d)).decode("utf-8"),
                    }
                    for i, d in enumerate(batch)
                ],
            )
        counts = run.counts()
        self._audit(
            "run.recorded",
            f"programme:{run.program_id}",
            f"run {run.run_id}: {counts['accepted']} accepted, "
            f"{counts['waitlisted']} waitlisted, {counts['refused']} refused",
        )

    def _read(self, row: Any) -> RecordedRun:
        d = t.run_decisions
        docs = self._work.execute(
            sa.select(d.c.doc).where(d.c.run_id == row.run_id).order_by(d.c.position)
        ).scalars()
        try:
            header = _DECODER.decode(row.doc)
            return RecordedRun(
                run_id=header["run_id"],
                program_id=header["program_id"],
                programme_source=header["programme_source"],
                programme_digest=header["programme_digest"],
                as_of=dt.date.fromisoformat(header["as_of"]),
                policy=header["policy"],
                engine_version=header["engine_version"],
                inputs=header["inputs"],
                applications=from_dict(header["applications"], tuple[Application, ...]),
                business_versions=header["business_versions"],
                history=from_dict(header["history"], tuple[PastEnrollment, ...]),
                decisions=_read_many(docs, tuple[RecordedDecision, ...], "run_decisions"),
                recorded_at=dt.datetime.fromisoformat(header["recorded_at"]),
                by=header["by"],
            )
        except (KeyError, TypeError, ValueError, msgspec.DecodeError):
            raise _corrupt("runs") from None

    def get(self, run_id: str) -> RecordedRun | None:
        row = self._work.execute(sa.select(t.runs).where(t.runs.c.run_id == run_id)).first()
        return None if row is None else self._read(row)

    def of_programme(self, program_id: str) -> tuple[RecordedRun, ...]:
        rows = self._work.execute(sa.select(t.runs).where(t.runs.c.program_id == program_id)).all()
        runs = [self._read(row) for row in rows]
        return tuple(sorted(runs, key=lambda r: (r.recorded_at, r.run_id)))


def _stale(program_id: str) -> StateError:
    return StateError(
        "store.stale",
        field=program_id,
        id="Daftar peserta sudah diubah oleh pengguna lain; ulangi.",
        en="The roster was changed by someone else first; try again.",
    )


class _Enrollments(_Repo):
    def get(self, program_id: str) -> EnrollmentState | None:
        e = t.enrollments
        row = self._work.execute(sa.select(e).where(e.c.program_id == program_id)).first()
        if row is None:
            return None
        try:
            entries = from_dict(_DECODER.decode(row.entries), tuple[Enrollment, ...])
        except (ValueError, msgspec.DecodeError):
            raise _corrupt("enrollments") from None
        return EnrollmentState(
            program_id=row.program_id, run_id=row.run_id, entries=entries, revision=row.revision
        )

    def put(self, state: EnrollmentState, events: tuple[EnrollmentEvent, ...] = ()) -> None:
        e = t.enrollments
        entries = _ENCODER.encode([to_dict(e) for e in state.entries]).decode("utf-8")
        values = {"run_id": state.run_id, "revision": state.revision, "entries": entries}
        if state.revision == 1:
            changed = self._work.insert_ignoring_duplicates(
                e, {"program_id": state.program_id, **values}
            )
        else:
            changed = self._work.execute(
                e.update()
                .where(e.c.program_id == state.program_id, e.c.revision == state.revision - 1)
                .values(**values)
            ).rowcount
        if changed != 1:
            raise _stale(state.program_id)
        if not events:
            return
        self._work.execute(
            t.enrollment_events.insert(),
            [
                {"program_id": state.program_id, "business_id": ev.business_id, "doc": _json(ev)}
                for ev in events
            ],
        )
        self._work.append_audit(
            [
                (f"enrollment.{ev.what}", f"business:{ev.business_id}",
                 f"programme {state.program_id}, by {ev.by}")
                for ev in events
            ]
        )  # fmt: skip

    def events(
        self, *, program_id: str | None = None, business_id: str | None = None
    ) -> tuple[tuple[str, EnrollmentEvent], ...]:
        ev = t.enrollment_events
        query = sa.select(ev.c.program_id, ev.c.doc).order_by(ev.c.seq)
        if program_id is not None:
            query = query.where(ev.c.program_id == program_id)
        if business_id is not None:
            query = query.where(ev.c.business_id == business_id)
        rows = self._work.execute(query).all()
        try:
            return tuple((row.program_id, from_json(row.doc, EnrollmentEvent)) for row in rows)
        except ValueError:
            raise _corrupt("enrollment_events") from None


def _step_key(record: StepRecord) -> tuple[str, str, dt.date]:
    return (record.business_id, record.kind.code, record.planned_on)


class _Steps(_Repo):
    def put(self, record: StepRecord) -> None:
        self._work.execute(
            t.step_records.insert().values(
                business_id=record.business_id,
                kind=record.kind.code,
                planned_on=record.planned_on.isoformat(),
                doc=_json(record),
            )
        )
        self._audit(
            "step.recorded",
            f"business:{record.business_id}",
            f"{record.kind.code}: {record.status.value}",
        )

    def _read(self, business_id: str | None) -> tuple[StepRecord, ...]:
        s = t.step_records
        query = sa.select(s.c.doc).order_by(s.c.seq)
        if business_id is not None:
            query = query.where(s.c.business_id == business_id)
        docs = self._work.execute(query).scalars()
        read = step_records_from_jsonl(docs, kinds=self._work.store.steps)
        if read.errors:
            raise _corrupt("step_records")
        return read.records

    @staticmethod
    def _latest(records: Iterable[StepRecord]) -> tuple[StepRecord, ...]:
        latest: dict[tuple[str, str, dt.date], StepRecord] = {}
        for r in records:
            latest[_step_key(r)] = r
        return tuple(latest.values())

    def of_business(self, business_id: str) -> tuple[StepRecord, ...]:
        return self._latest(self._read(business_id))

    def all(self) -> tuple[StepRecord, ...]:
        return self._latest(self._read(None))

    def history(self, business_id: str) -> tuple[StepRecord, ...]:
        return self._read(business_id)


def audit_entry(row: Any) -> AuditEntry:
    """An audit entry from its row (raises ``ValueError`` for a row that cannot be one)."""
    return AuditEntry(
        sequence=row.sequence,
        action=row.action,
        entity=row.entity,
        by=row.actor,
        at=dt.datetime.fromisoformat(row.at),
        detail=row.detail,
        previous=row.previous,
        digest=row.digest,
    )


class _Audit(_Repo):
    def append(self, action: str, entity: str, detail: str = "") -> AuditEntry:
        return self._work.append_audit([(action, entity, detail)])[0]

    def entries(self, entity: str | None = None) -> tuple[AuditEntry, ...]:
        a = t.audit_log
        query = sa.select(a).order_by(a.c.sequence)
        if entity is not None:
            query = query.where(a.c.entity == entity)
        try:
            return tuple(audit_entry(row) for row in self._work.execute(query))
        except ValueError:
            raise _corrupt("audit_log") from None


def with_retries(work: Callable[[], T], *, attempts: int = 8, delay: float = 0.02) -> T:
    """Run ``work`` (one whole unit of work) again while the database is busy.

    A unit of work refused with ``store.busy`` (a lock wait that timed out, a deadlock)
    or ``store.stale`` (another writer changed the roster first) kept nothing, so running
    it again from the start is safe. The waits grow and are jittered.

    :param work: opens, fills and commits its own unit of work.
    :param attempts: how many times at most.
    :returns: what ``work`` returned.
    :raises StoreBusy: or ``StateError`` (``store.stale``) after the last attempt.
    """
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except StoreBusy:
            if attempt == attempts:
                raise
        except StateError as err:
            if err.code != "store.stale" or attempt == attempts:
                raise
        time.sleep(delay * attempt * (0.5 + random.random()))
    raise AssertionError("unreachable")  # pragma: no cover
