"""``umkm db verify``: does the audit trail still chain from its first entry to its head.

Every entry's digest covers its fields and the digest of the entry before it, and the
head row keeps the last sequence and digest. An entry edited in the database (its
digest no longer matches), deleted (a gap in the sequence, or a truncated tail that no
longer reaches the head) or re-linked is reported as a
:class:`~umkm_core.store.ChainBreak`; a row that cannot even be read counts as edited.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import URL

from umkm_core.adapters.sql import _schema as t
from umkm_core.adapters.sql._engine import READ_ONLY, map_error
from umkm_core.adapters.sql._store import SqlStore, audit_entry
from umkm_core.store import GENESIS, ChainBreak, chain_digest

__all__ = ["verify"]


def verify(store: SqlStore | str | URL) -> tuple[ChainBreak, ...]:
    """Every break of the audit chain of ``store`` (empty: nothing edited or removed).

    :param store: an open store, or the URL of one.
    :returns: the breaks in sequence order.
    :raises SchemaError: when the database's schema is not this umkm_core's.
    :raises StoreError: ``store.unreachable``, ``store.busy``.
    """
    if not isinstance(store, SqlStore):
        with SqlStore(store, create=False) as opened:
            return verify(opened)
    try:
        with store.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            rows = conn.execute(sa.select(t.audit_log).order_by(t.audit_log.c.sequence)).all()
            head = conn.execute(
                sa.select(t.audit_head.c.sequence, t.audit_head.c.digest)
            ).one_or_none()
    except sa.exc.SQLAlchemyError as err:
        raise map_error(err) from None
    breaks: list[ChainBreak] = []
    previous = GENESIS
    expected = 1
    for row in rows:
        if row.sequence != expected:
            breaks.append(ChainBreak(sequence=expected, code="audit.missing"))
        if row.previous != previous:
            breaks.append(ChainBreak(sequence=row.sequence, code="audit.relinked"))
        try:
            intact = chain_digest(audit_entry(row)) == row.digest
        except (ValueError, TypeError):
            intact = False
        if not intact:
            breaks.append(ChainBreak(sequence=row.sequence, code="audit.edited"))
        previous = row.digest
        expected = row.sequence + 1
    last = (expected - 1, previous)
    if head is None or (head.sequence, head.digest) != last:
        at = expected if head is None else max(head.sequence, expected)
        breaks.append(ChainBreak(sequence=at, code="audit.missing"))
    return tuple(breaks)
