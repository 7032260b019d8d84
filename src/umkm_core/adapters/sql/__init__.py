"""The SQL store: an office's record in SQLite (the default) or PostgreSQL.

:class:`SqlStore` implements :class:`~umkm_core.store.Store` with SQLAlchemy Core; its
schema is managed by Alembic migrations shipped in this package (:func:`upgrade`,
:func:`status`), and :func:`verify` checks the audit trail's hash chain. Install with
``pip install 'umkm-core[sql]'`` (SQLite) or ``'umkm-core[postgresql]'``. See
``docs/database.md``.
"""

from umkm_core.adapters.sql._engine import BUSY_TIMEOUT_MS
from umkm_core.adapters.sql._migrate import SchemaStatus, status, upgrade
from umkm_core.adapters.sql._store import SqlStore, SqlUnitOfWork, with_retries
from umkm_core.adapters.sql._verify import verify
from umkm_core.adapters.sql.errors import SchemaError, StoreBusy, StoreError
from umkm_core.adapters.sql.urls import DEFAULT_URL, URL_ENV, database_url

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DEFAULT_URL",
    "URL_ENV",
    "SchemaError",
    "SchemaStatus",
    "SqlStore",
    "SqlUnitOfWork",
    "StoreBusy",
    "StoreError",
    "database_url",
    "status",
    "upgrade",
    "verify",
    "with_retries",
]
