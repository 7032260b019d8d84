"""Opening a database: the URL, SQLite's settings, psycopg for PostgreSQL, error mapping.

SQLite: the file is created with mode 0600 (it holds NIKs and phone numbers), runs in
WAL mode with a busy timeout and ``secure_delete``, and every transaction starts with
``BEGIN IMMEDIATE`` so that two writers queue at the start instead of failing half way
(pysqlite's own transaction handling is turned off; SQLAlchemy emits the BEGIN).
PostgreSQL goes through psycopg 3 and waits at most :data:`BUSY_TIMEOUT_MS` for a lock.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

from umkm_core.adapters.sql.errors import StoreBusy, StoreError

__all__ = ["BUSY_TIMEOUT_MS", "READ_ONLY", "create_engine", "is_busy", "map_error", "parse_url"]

#: The execution option of a connection that only reads (a plain, deferred BEGIN).
READ_ONLY = "umkm_read_only"
#: How long a writer waits for another (SQLite's busy timeout, PostgreSQL's lock
#: timeout) before the unit of work fails with ``store.busy`` (milliseconds).
BUSY_TIMEOUT_MS = 10_000

# SQLSTATE codes of PostgreSQL that mean "try again": serialization failure, deadlock,
# lock not available, and a statement cancelled by lock_timeout.
_PG_BUSY = {"40001", "40P01", "55P03"}


def _bad_url(why_id: str, why_en: str) -> StoreError:
    return StoreError(
        "store.bad_url",
        field="url",
        id=f"Alamat basis data tidak dapat dipakai: {why_id}.",
        en=f"The database URL cannot be used: {why_en}.",
    )


def parse_url(url: str | URL) -> URL:
    """The URL with its driver made explicit (``sqlite+pysqlite``, ``postgresql+psycopg``).

    :raises StoreError: ``store.bad_url`` for a URL that is not SQLite or PostgreSQL.
    """
    try:
        parsed = make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        raise _bad_url("bentuknya tidak dikenali", "it is not a URL") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+pysqlite")
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    raise _bad_url(
        "hanya sqlite:/// dan postgresql:// yang didukung",
        "only sqlite:/// and postgresql:// are supported",
    )


def display_url(url: URL) -> str:
    """The URL as it may appear in a message (without its password)."""
    return url.render_as_string(hide_password=True)


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL (``None`` for an in-memory database)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _create_private_file(path: Path) -> None:
    if not path.parent.is_dir():
        raise StoreError(
            "store.no_folder",
            field="url",
            id="Folder untuk berkas basis data tidak ada.",
            en="The folder for the database file does not exist.",
        )
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)


def create_engine(url: URL, *, create: bool, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sa.Engine:
    """An engine for ``url`` with the store's settings.

    :param create: create a missing SQLite file (mode 0600).
    :param busy_timeout_ms: how long to wait for another writer's lock.
    :raises StoreError: ``store.no_folder``, ``store.unreachable`` (a SQLite file that
        does not exist while ``create`` is false), ``store.missing_driver``.
    """
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, create=create, busy_timeout_ms=int(busy_timeout_ms))
    if importlib.util.find_spec("psycopg") is None:
        raise StoreError(
            "store.missing_driver",
            field="url",
            id="PostgreSQL perlu paket psycopg: pip install 'umkm-core[postgresql]'.",
            en="PostgreSQL needs psycopg: pip install 'umkm-core[postgresql]'.",
        )
    engine = sa.create_engine(
        url, hide_parameters=True, pool_pre_ping=True, pool_size=2, max_overflow=4
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(busy_timeout_ms)}ms'")

    return engine


def _sqlite_engine(url: URL, *, create: bool, busy_timeout_ms: int) -> sa.Engine:
    path = sqlite_path(url)
    kwargs: dict[str, Any] = {}
    if path is None:
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    elif create:
        _create_private_file(path)
    elif not path.exists():
        raise StoreError(
            "store.unreachable",
            field="url",
            id="Berkas basis data tidak ada.",
            en="The database file does not exist.",
        )
    engine = sa.create_engine(url, hide_parameters=True, **kwargs)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: sqlite3.Connection, record: object) -> None:
        # Turn off pysqlite's own BEGIN: SQLAlchemy's begin event below emits it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        # Switching to WAL needs the database to itself: only a new file does it.
        if path is not None and cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        # Readers (READ_ONLY connections) never block writers in WAL mode; every other
        # transaction takes the write lock at its start.
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` means another writer is in the way (worth trying again)."""
    orig = getattr(error, "orig", error)
    if isinstance(orig, sqlite3.OperationalError):
        text = str(orig).lower()
        return "locked" in text or "busy" in text
    sqlstate = getattr(orig, "sqlstate", None)
    return isinstance(sqlstate, str) and sqlstate in _PG_BUSY


def busy() -> StoreBusy:
    """The error of a busy database."""
    return StoreBusy(
        "store.busy",
        id="Basis data sedang dipakai penulis lain; tidak ada yang disimpan, ulangi.",
        en="The database is busy with another writer; nothing was saved, try again.",
    )


def map_error(error: sa.exc.SQLAlchemyError) -> StoreError:
    """A typed error for a database failure; never carries a statement's parameters."""
    if is_busy(error):
        return busy()
    orig = getattr(error, "orig", None)
    if isinstance(error, sa.exc.InterfaceError | sa.exc.OperationalError) and (
        orig is not None
        and not isinstance(orig, sqlite3.Error)
        and getattr(orig, "sqlstate", None) is None
    ):
        return StoreError(
            "store.unreachable",
            id="Basis data tidak dapat dihubungi.",
            en="The database cannot be reached.",
        )
    what = type(orig if orig is not None else error).__name__
    return StoreError(
        "store.database_error",
        id=f"Basis data menolak perintah ({what}).",
        en=f"The database refused a statement ({what}).",
    )
