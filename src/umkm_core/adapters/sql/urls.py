"""Which database a command uses: ``--db URL``, else ``UMKM_DATABASE_URL``, else a file.

>>> database_url(None, environ={})
'sqlite:///umkm.db'
>>> database_url(None, environ={"UMKM_DATABASE_URL": "postgresql://clerk@db/umkm"})
'postgresql://clerk@db/umkm'
>>> database_url("sqlite:///office.db", environ={"UMKM_DATABASE_URL": "postgresql:///x"})
'sqlite:///office.db'
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = ["DEFAULT_URL", "URL_ENV", "database_url"]

#: The database of a command run without ``--db``: ``umkm.db`` in the working folder.
DEFAULT_URL = "sqlite:///umkm.db"
#: The environment variable that names the database when ``--db`` is not given.
URL_ENV = "UMKM_DATABASE_URL"


def database_url(given: str | None, *, environ: Mapping[str, str] | None = None) -> str:
    """The database URL a command should use.

    :param given: the ``--db`` option's value (``None`` when not given).
    :param environ: the environment (``os.environ`` by default).
    :returns: ``given``, else ``$UMKM_DATABASE_URL`` when set and not blank, else
        :data:`DEFAULT_URL`.
    """
    if given:
        return given
    env = os.environ if environ is None else environ
    return env.get(URL_ENV, "").strip() or DEFAULT_URL
