"""Stores for tests: a throwaway PostgreSQL cluster and the ``any_store`` fixture.

``pg_cluster`` (session scope) runs ``initdb`` and ``pg_ctl`` from Debian's PostgreSQL
on a temporary folder, listening on a Unix socket in that folder only (no TCP), with
fsync off (a test cluster never outlives its session), and stops and removes it at the
end. PostgreSQL refuses to run as root, so as root the cluster belongs to the
``postgres`` system user (created when missing). ``any_store`` gives a fresh, empty
store of each kind: ``memory``, ``sqlite`` (a new file), ``postgresql`` (a new
database cloned from a migrated template).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import attrs
import pytest
import sqlalchemy as sa

from umkm_core.adapters.sql import SqlStore, upgrade
from umkm_core.store import InMemoryStore, Store

__all__ = [
    "PgCluster",
    "any_store",
    "pg_cluster",
    "sql_url",
    "sql_url_factory",
    "start_cluster",
    "stop_cluster",
]

_PG_USER = "postgres"


def _pg_bindir() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError(
            "PostgreSQL's server programs (initdb, pg_ctl) are missing: "
            "`make test` installs Debian's postgresql package (apt-get install postgresql)."
        )
    return Path(initdb).parent


def _system_user() -> str | None:
    """The user that runs the cluster when we are root (created when missing)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(_PG_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", _PG_USER],
            check=True,
        )
    return _PG_USER


@attrs.frozen(kw_only=True)
class PgCluster:
    """A running throwaway PostgreSQL cluster."""

    folder: Path
    user: str | None
    bindir: Path
    counter: itertools.count[int] = attrs.field(factory=itertools.count, eq=False)

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{_PG_USER}@/{database}?host={self.socket_dir}"

    def admin(self) -> sa.Engine:
        return sa.create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)

    def new_database(self) -> str:
        name = f"umkm_test_{os.getpid()}_{next(self.counter)}"
        engine = self.admin()
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE umkm_template')
        finally:
            engine.dispose()
        return name

    def drop_database(self, name: str) -> None:
        engine = self.admin()
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            engine.dispose()


def start_cluster() -> PgCluster:
    """Start a throwaway cluster (also used by ``benchmarks/store.py``)."""
    bindir = _pg_bindir()
    user = _system_user()
    folder = Path(tempfile.mkdtemp(prefix="umkm-pg-"))
    (folder / "socket").mkdir()
    if user is not None:
        entry = pwd.getpwnam(user)
        for path in (folder, folder / "socket"):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    cluster = PgCluster(folder=folder, user=user, bindir=bindir)
    try:
        cluster.run(
            "initdb", "-D", str(folder / "data"), "-U", _PG_USER, "--auth=trust",
            "--encoding=UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        options = (
            f"-k {folder / 'socket'} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        cluster.run(
            "pg_ctl", "-D", str(folder / "data"), "-l", str(folder / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        engine = cluster.admin()
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("CREATE DATABASE umkm_template")
        finally:
            engine.dispose()
        upgrade(cluster.url("umkm_template"))
    except BaseException:
        stop_cluster(cluster)
        raise
    return cluster


def stop_cluster(cluster: PgCluster) -> None:
    """Stop the cluster at once and remove its folder."""
    subprocess.run(
        [
            *(["runuser", "-u", cluster.user, "--"] if cluster.user else []),
            str(cluster.bindir / "pg_ctl"), "-D", str(cluster.folder / "data"),
            "-m", "immediate", "-w", "stop",
        ],
        check=False,
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    shutil.rmtree(cluster.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A PostgreSQL cluster for this test session, on a Unix socket only."""
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        stop_cluster(cluster)


@pytest.fixture
def sql_url_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, object]]:
    """Fresh database URLs: ``factory["sqlite"]()`` / ``factory["postgresql"]()``."""
    created: list[str] = []
    counter = itertools.count()

    def sqlite() -> str:
        return f"sqlite:///{tmp_path / f'umkm-{next(counter)}.db'}"

    def postgresql() -> str:
        cluster: PgCluster = request.getfixturevalue("pg_cluster")
        name = cluster.new_database()
        created.append(name)
        return cluster.url(name)

    yield {"sqlite": sqlite, "postgresql": postgresql}
    if created:
        cluster = request.getfixturevalue("pg_cluster")
        for name in created:
            cluster.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_url(request: pytest.FixtureRequest, sql_url_factory: dict[str, object]) -> str:
    """The URL of a fresh, empty database: a SQLite file, then a PostgreSQL database."""
    make = sql_url_factory[request.param]
    assert callable(make)
    url = make()
    assert isinstance(url, str)
    return url


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def any_store(
    request: pytest.FixtureRequest, sql_url_factory: dict[str, object]
) -> Iterator[Store]:
    """A fresh, empty store: in memory, in SQLite, in PostgreSQL."""
    if request.param == "memory":
        # InMemoryStore's unit_of_work returns a plain context manager, which mypy does not
        # take for the protocol's AbstractContextManager (a nominal ABC).
        yield cast(Store, InMemoryStore())
        return
    make = sql_url_factory[request.param]
    assert callable(make)
    store = SqlStore(make())
    try:
        yield store
    finally:
        store.close()
