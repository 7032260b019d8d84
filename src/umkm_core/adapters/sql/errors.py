"""The errors of the SQL store: a busy database, a schema of another version, a bad URL.

Every failure of the database that the caller can act on becomes one of these, with a
stable code and a message in both languages; none carries a statement's parameters
(they may hold personal data) or a password.
"""

from __future__ import annotations

from umkm_core.errors import UmkmError

__all__ = ["SchemaError", "StoreBusy", "StoreError"]


class StoreError(UmkmError):
    """The database could not be used (unreachable, refused a statement, a bad URL).

    Codes: ``store.bad_url``, ``store.no_folder``, ``store.unreachable``,
    ``store.database_error``, ``store.corrupt_row``, ``store.missing_driver``.
    """

    default_code = "store.database_error"


class StoreBusy(StoreError):
    """Another writer held the database too long, or two writers deadlocked.

    Code ``store.busy``. Nothing of the unit of work was kept: run it again (see
    :func:`~umkm_core.adapters.sql.with_retries`).
    """

    default_code = "store.busy"


class SchemaError(StoreError):
    """The database's schema is not the one this version of umkm_core uses.

    Codes: ``store.schema_outdated`` (run ``umkm db upgrade``), ``store.schema_newer``
    (a newer umkm_core wrote it), ``store.not_initialised`` (no umkm_core schema yet),
    ``store.foreign_database`` (tables of something else).
    """

    default_code = "store.schema_outdated"
