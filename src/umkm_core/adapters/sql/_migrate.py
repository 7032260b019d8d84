"""Schema management: Alembic migrations shipped in the package, run by umkm_core itself.

``umkm db upgrade`` calls :func:`upgrade`, ``umkm db status`` calls :func:`status`.
Opening a database checks its revision first (:func:`check_schema`): an older schema
is refused with the command that upgrades it, a newer one (written by a later
umkm_core) is refused outright, so no version ever writes rows it does not understand.
"""

from __future__ import annotations

import attrs
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL

from umkm_core.adapters.sql._engine import (
    READ_ONLY,
    create_engine,
    display_url,
    map_error,
    parse_url,
)
from umkm_core.adapters.sql._schema import HEAD, VERSION_TABLE
from umkm_core.adapters.sql.errors import SchemaError

__all__ = ["SchemaStatus", "check_schema", "read_status", "run_upgrade", "status", "upgrade"]

_SCRIPTS = "umkm_core.adapters.sql:migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", _SCRIPTS)
    return config


def _known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}


@attrs.frozen(kw_only=True)
class SchemaStatus:
    """Where a database's schema stands.

    :param url: the database (without its password).
    :param current: its revision (``None``: no umkm_core schema yet).
    :param head: the revision this umkm_core uses.
    :param state: ``"current"``, ``"outdated"`` (run ``umkm db upgrade``), ``"newer"``
        (written by a later umkm_core), ``"empty"`` (nothing yet) or ``"foreign"``
        (tables of something else, no umkm_core schema).
    """

    url: str
    current: str | None
    head: str
    state: str

    @property
    def text(self) -> str:
        """The status in one line, in both languages."""
        messages = {
            "current": ("skema mutakhir", "schema is current"),
            "outdated": (
                "skema lama; jalankan 'umkm db upgrade'",
                "older schema; run 'umkm db upgrade'",
            ),
            "newer": ("skema lebih baru dari versi ini", "schema is newer than this version"),
            "empty": (
                "belum ada skema; jalankan 'umkm db upgrade'",
                "no schema yet; run 'umkm db upgrade'",
            ),
            "foreign": (
                "berisi tabel lain, bukan umkm_core",
                "holds other tables, not umkm_core's",
            ),
        }
        id_, en = messages[self.state]
        return f"{self.url}: {self.current or '-'} -> {self.head}: {id_} / {en}"


def read_status(conn: sa.Connection, url: URL) -> SchemaStatus:
    context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
    current = context.get_current_revision()
    if current is None:
        tables = sa.inspect(conn).get_table_names()
        state = "foreign" if tables else "empty"
    elif current == HEAD:
        state = "current"
    elif current in _known_revisions():
        state = "outdated"
    else:
        state = "newer"
    return SchemaStatus(url=display_url(url), current=current, head=HEAD, state=state)


def status(url: str | URL) -> SchemaStatus:
    """The schema status of the database at ``url`` (nothing is changed).

    :raises StoreError: ``store.bad_url``, ``store.unreachable``.
    """
    parsed = parse_url(url)
    engine = create_engine(parsed, create=False)
    try:
        with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            return read_status(conn, parsed)
    except sa.exc.SQLAlchemyError as err:
        raise map_error(err) from None
    finally:
        engine.dispose()


def upgrade(url: str | URL, *, revision: str = "head") -> SchemaStatus:
    """Bring the database at ``url`` to this umkm_core's schema, in one transaction.

    A missing SQLite file is created (mode 0600).

    :param revision: the revision to reach (``"head"``: this umkm_core's; an earlier
        one only to test upgrades).
    :returns: the status afterwards.
    :raises SchemaError: ``store.schema_newer`` (a later umkm_core wrote it),
        ``store.foreign_database``.
    :raises StoreError: ``store.bad_url``, ``store.unreachable``, ``store.busy``.
    """
    parsed = parse_url(url)
    engine = create_engine(parsed, create=True)
    try:
        return run_upgrade(engine, parsed, revision=revision)
    finally:
        engine.dispose()


def run_upgrade(engine: sa.Engine, url: URL, *, revision: str = "head") -> SchemaStatus:
    """:func:`upgrade` over an open engine (the store uses it for a new database)."""
    try:
        with engine.begin() as conn:
            before = read_status(conn, url)
            _refuse(before)
            if before.state != "current":
                config = _config()
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
        with engine.connect() as conn:
            return read_status(conn, url)
    except sa.exc.SQLAlchemyError as err:
        raise map_error(err) from None


def _refuse(found: SchemaStatus) -> None:
    if found.state == "newer":
        raise SchemaError(
            "store.schema_newer",
            field="url",
            id=(
                f"Skema basis data ({found.current}) lebih baru dari versi umkm_core ini "
                f"({found.head}); pakai umkm_core yang lebih baru."
            ),
            en=(
                f"The database schema ({found.current}) is newer than this umkm_core's "
                f"({found.head}); use a newer umkm_core."
            ),
        )
    if found.state == "foreign":
        raise SchemaError(
            "store.foreign_database",
            field="url",
            id="Basis data ini berisi tabel lain dan tidak memiliki skema umkm_core.",
            en="This database holds other tables and has no umkm_core schema.",
        )


def check_schema(conn: sa.Connection, url: URL) -> SchemaStatus:
    """Refuse a database whose schema is not this umkm_core's (opening a store).

    :raises SchemaError: ``store.schema_outdated`` (naming ``umkm db upgrade``),
        ``store.schema_newer``, ``store.not_initialised``, ``store.foreign_database``.
    """
    found = read_status(conn, url)
    _refuse(found)
    if found.state == "outdated":
        raise SchemaError(
            "store.schema_outdated",
            field="url",
            id=(
                f"Skema basis data versi lama ({found.current}, versi ini memakai "
                f"{found.head}); jalankan: umkm db upgrade --db {found.url}"
            ),
            en=(
                f"The database has an older schema ({found.current}, this version uses "
                f"{found.head}); run: umkm db upgrade --db {found.url}"
            ),
        )
    if found.state == "empty":
        raise SchemaError(
            "store.not_initialised",
            field="url",
            id=f"Basis data belum berskema umkm_core; jalankan: umkm db upgrade --db {found.url}",
            en=f"The database has no umkm_core schema yet; run: umkm db upgrade --db {found.url}",
        )
    return found
