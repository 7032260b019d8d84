"""What only the SQL store has to get right: files, schema versions, locks, tampering."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from alloc_support import JAKARTA, business
from umkm_core import NIK
from umkm_core.adapters.sql import (
    SchemaError,
    SqlStore,
    StoreBusy,
    StoreError,
    database_url,
    status,
    upgrade,
    verify,
)
from umkm_core.adapters.sql._engine import parse_url
from umkm_core.adapters.sql._schema import METADATA
from umkm_core.model.business import Business

AT = dt.datetime(2017, 12, 1, 9, tzinfo=JAKARTA)
NIK_1 = "3671054508900001"
PHONE = "+6281299990000"


def owned(id: str) -> Business:
    b = business(id)
    return attrs.evolve(b, owner=attrs.evolve(b.owner, nik=NIK(NIK_1), phone=PHONE))


def fill(store: SqlStore, n: int = 5) -> None:
    with store.unit_of_work(by="clerk", at=AT) as uow:
        for i in range(n):
            uow.businesses.add(business(f"B{i}"))
        uow.commit()


def raw(url: str, *statements: str) -> None:
    """Run statements behind the store's back, as someone with database access could."""
    engine = sa.create_engine(parse_url(url))
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _drop_guards(url: str) -> list[str]:
    if url.startswith("sqlite"):
        return ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"]
    return ["ALTER TABLE audit_log DISABLE TRIGGER USER"]


# SQLite's file ----------------------------------------------------------------------------


def test_a_new_sqlite_database_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "umkm.db"
    with SqlStore(f"sqlite:///{path}") as store:
        fill(store)
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        for name in ("umkm.db", "umkm.db-wal", "umkm.db-shm"):
            mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
            assert mode == 0o600, (name, oct(mode))


def test_a_missing_folder_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        SqlStore(f"sqlite:///{tmp_path / 'nowhere' / 'umkm.db'}")
    assert err.value.code == "store.no_folder"


def test_only_sqlite_and_postgresql_urls_are_taken() -> None:
    with pytest.raises(StoreError) as err:
        SqlStore("mysql://clerk:secret@db/umkm")
    assert err.value.code == "store.bad_url"
    assert "secret" not in str(err.value)


def test_the_database_url_comes_from_the_option_then_the_environment() -> None:
    assert database_url(None, environ={}) == "sqlite:///umkm.db"
    assert database_url(None, environ={"UMKM_DATABASE_URL": " "}) == "sqlite:///umkm.db"
    assert database_url(None, environ={"UMKM_DATABASE_URL": "postgresql:///x"}) == (
        "postgresql:///x"
    )
    assert database_url("sqlite:///a.db", environ={"UMKM_DATABASE_URL": "x"}) == ("sqlite:///a.db")


def test_erased_personal_data_is_gone_from_the_sqlite_files(tmp_path: Path) -> None:
    path = tmp_path / "umkm.db"
    with SqlStore(f"sqlite:///{path}") as store:
        with store.unit_of_work(by="clerk", at=AT) as uow:
            uow.businesses.add(owned("B1"))
            uow.commit()
        assert PHONE.encode() in path.read_bytes() + (tmp_path / "umkm.db-wal").read_bytes()
        with store.unit_of_work(by="dpo", at=AT) as uow:
            assert uow.businesses.erase_personal_data("B1") == 1
            uow.commit()
    leftovers = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert PHONE.encode() not in leftovers
    assert NIK_1.encode() not in leftovers


# Schema versions ------------------------------------------------------------------------


def test_the_migrations_create_exactly_the_tables_the_store_uses(sql_url: str) -> None:
    upgrade(sql_url)
    engine = sa.create_engine(parse_url(sql_url))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_name": lambda name, kind, _: name != "umkm_schema_version"}
            )
            assert compare_metadata(context, METADATA) == []
    finally:
        engine.dispose()


def test_an_older_schema_is_refused_with_the_command_that_upgrades_it(sql_url: str) -> None:
    if sql_url.startswith("postgresql"):
        raw(sql_url, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
    assert upgrade(sql_url, revision="0001").state == "outdated"
    with pytest.raises(SchemaError) as err:
        SqlStore(sql_url)
    assert err.value.code == "store.schema_outdated"
    assert "umkm db upgrade --db" in err.value.message("en")
    assert "umkm db upgrade --db" in err.value.message("id")
    assert status(sql_url).state == "outdated"
    after = upgrade(sql_url)
    assert (after.current, after.state) == ("0002", "current")
    with SqlStore(sql_url) as store:
        fill(store, 1)


def test_a_newer_schema_is_refused_and_not_touched(sql_url: str) -> None:
    SqlStore(sql_url).close()
    raw(sql_url, "UPDATE umkm_schema_version SET version_num = '0999'")
    with pytest.raises(SchemaError) as opened:
        SqlStore(sql_url)
    assert opened.value.code == "store.schema_newer"
    with pytest.raises(SchemaError) as upgraded:
        upgrade(sql_url)
    assert upgraded.value.code == "store.schema_newer"
    assert status(sql_url).current == "0999"


def test_an_empty_database_is_initialised_only_when_asked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    sqlite3.connect(tmp_path / "new.db").close()
    with pytest.raises(SchemaError) as err:
        SqlStore(url, create=False)
    assert err.value.code == "store.not_initialised"
    assert status(url).state == "empty"
    SqlStore(url).close()
    assert status(url).state == "current"


def test_a_database_of_something_else_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(SchemaError) as err:
        SqlStore(f"sqlite:///{path}")
    assert err.value.code == "store.foreign_database"


def test_the_wheel_ships_the_migrations(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=root,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    base = "umkm_core/adapters/sql/migrations/"
    for name in ("env.py", "script.py.mako", "versions/r0001_initial.py"):
        assert base + name in names


# The audit trail in the database ----------------------------------------------------------


def test_the_audit_log_refuses_updates_and_deletes(sql_url: str) -> None:
    with SqlStore(sql_url) as store:
        fill(store, 2)
    for statement in ("UPDATE audit_log SET detail = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DatabaseError):
            raw(sql_url, statement)
    assert verify(sql_url) == ()


def test_verify_finds_an_entry_edited_in_the_database(sql_url: str) -> None:
    with SqlStore(sql_url) as store:
        fill(store)
        assert verify(store) == ()
    raw(
        sql_url,
        *_drop_guards(sql_url),
        "UPDATE audit_log SET actor = 'mallory' WHERE sequence = 3",
    )
    breaks = verify(sql_url)
    assert [(b.sequence, b.code) for b in breaks] == [(3, "audit.edited")]
    assert "3" in breaks[0].text.en


def test_verify_finds_an_entry_deleted_in_the_middle_or_at_the_end(sql_url: str) -> None:
    with SqlStore(sql_url) as store:
        fill(store)
    raw(sql_url, *_drop_guards(sql_url), "DELETE FROM audit_log WHERE sequence = 2")
    assert [(b.sequence, b.code) for b in verify(sql_url)] == [
        (2, "audit.missing"),
        (3, "audit.relinked"),
    ]
    raw(sql_url, "DELETE FROM audit_log WHERE sequence = 5")
    assert (5, "audit.missing") in [(b.sequence, b.code) for b in verify(sql_url)]


def test_verify_finds_a_row_that_no_longer_parses(sql_url: str) -> None:
    with SqlStore(sql_url) as store:
        fill(store, 2)
    raw(
        sql_url, *_drop_guards(sql_url), "UPDATE audit_log SET at = 'yesterday' WHERE sequence = 1"
    )
    assert [(b.sequence, b.code) for b in verify(sql_url)] == [(1, "audit.edited")]


# Personal data stays out of logs and errors -----------------------------------------------


def test_a_nik_never_reaches_the_sql_log(sql_url: str, caplog: pytest.LogCaptureFixture) -> None:
    with SqlStore(sql_url) as store:
        store.engine.echo = True
        with (
            caplog.at_level(logging.INFO, logger="sqlalchemy.engine"),
            store.unit_of_work(by="clerk", at=AT) as uow,
        ):
            uow.businesses.add(owned("B1"))
            assert uow.businesses.find_by_nik(NIK_1) == ("B1",)
            uow.commit()
    assert "business_versions" in caplog.text
    assert NIK_1 not in caplog.text
    assert PHONE not in caplog.text


# Locks ------------------------------------------------------------------------------------


def test_a_writer_that_waits_too_long_gets_a_typed_busy_error(tmp_path: Path) -> None:
    path = tmp_path / "umkm.db"
    with SqlStore(f"sqlite:///{path}", busy_timeout_ms=100) as store:
        fill(store, 1)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreBusy) as err, store.unit_of_work(by="clerk") as uow:
                uow.businesses.add(business("B9"))
            assert err.value.code == "store.busy"
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        with store.unit_of_work(by="clerk") as uow:
            uow.businesses.add(business("B9"))
            uow.commit()


def test_a_programme_lock_held_elsewhere_gives_a_typed_busy_error(
    sql_url_factory: dict[str, object],
) -> None:
    make = sql_url_factory["postgresql"]
    assert callable(make)
    url = make()
    with SqlStore(url, busy_timeout_ms=100) as store, SqlStore(url) as other:
        with other.unit_of_work(by="clerk-1") as first:
            first.lock_programme("P2017")
            with pytest.raises(StoreBusy), store.unit_of_work(by="clerk-2") as second:
                second.lock_programme("P2017")
            with store.unit_of_work(by="clerk-2") as third:
                third.lock_programme("P2018")
        with store.unit_of_work(by="clerk-2") as fourth:
            fourth.lock_programme("P2017")


def test_an_unreachable_server_is_a_typed_error_without_the_password() -> None:
    with pytest.raises(StoreError) as err:
        SqlStore("postgresql+psycopg://clerk:secret@/umkm?host=/nonexistent-socket-dir")
    assert err.value.code == "store.unreachable"
    assert "secret" not in str(err.value)
