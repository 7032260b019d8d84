"""The SQL store's fast audit digest is the reference chain digest, for any entry."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from umkm_core.adapters.sql._store import _digest
from umkm_core.store import AuditEntry, chain_digest

texts = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126)),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"])),
)


@given(
    sequence=st.integers(min_value=1, max_value=2**40),
    action=texts,
    entity=texts,
    by=texts.filter(lambda s: bool(s.strip())),
    at=st.datetimes(timezones=st.timezones()),
    detail=texts,
    previous=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
)
def test_the_fast_digest_equals_the_chain_digest(
    sequence: int, action: str, entity: str, by: str, at: dt.datetime, detail: str, previous: str
) -> None:
    entry = AuditEntry(
        sequence=sequence, action=action, entity=entity, by=by, at=at, detail=detail,
        previous=previous,
    )  # fmt: skip
    at_utc = at.astimezone(dt.UTC).isoformat()
    fast = _digest(
        sequence, action=action, entity=entity, by=by, at=at, at_utc=at_utc, detail=detail,
        previous=previous,
    )  # fmt: skip
    assert fast == chain_digest(entry)
