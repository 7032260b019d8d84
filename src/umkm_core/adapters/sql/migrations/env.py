"""Alembic's environment for the SQL store: always given a connection by umkm_core.

:func:`umkm_core.adapters.sql.upgrade` opens the database (with the store's own
settings: SQLite's WAL and ``BEGIN IMMEDIATE``, psycopg for PostgreSQL) and hands the
connection over in ``config.attributes["connection"]``; nothing here reads a URL.
"""

from __future__ import annotations

from alembic import context

from umkm_core.adapters.sql._schema import VERSION_TABLE

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=None,
    version_table=VERSION_TABLE,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
