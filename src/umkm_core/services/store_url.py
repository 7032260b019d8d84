"""Opening the record named by a URL: ``sqlite:///umkm.db``, ``postgresql://…``, ``memory:``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from umkm_core.store import InMemoryStore, Store

if TYPE_CHECKING:
    from umkm_core._plugins import Registry

__all__ = ["MEMORY_URL", "open_store"]

#: A store in this process's memory only (tests, what-if analyses, one-shot demos).
MEMORY_URL = "memory:"


def open_store(url: str | None = None, *, registry: Registry | None = None) -> Store:
    """The store at ``url``: ``memory:``, a SQLite file or a PostgreSQL database.

    Without ``url``: ``$UMKM_DATABASE_URL``, else ``sqlite:///umkm.db`` in the working
    folder. A SQL database is created (file mode 0600) and initialised when missing.

    :param registry: the plugin registry whose step kinds the store reads back.
    :raises SchemaError: a database of an older schema (it names ``umkm db upgrade``) or
        of a newer one.
    :raises StoreError: ``store.bad_url``, ``store.unreachable``...
    """
    from umkm_core.adapters.sql.urls import database_url  # noqa: PLC0415

    url = database_url(url)
    if url.startswith(MEMORY_URL):
        return InMemoryStore()
    from umkm_core.adapters.sql import SqlStore  # noqa: PLC0415 - the sql extra
    from umkm_core.services._common import registry_or_default  # noqa: PLC0415

    return SqlStore(url, steps=registry_or_default(registry).steps)
