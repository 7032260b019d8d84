"""A document is the same whatever was imported first: nothing registers at import."""

from __future__ import annotations

import subprocess
import sys

import pytest

_WRITE = """
import datetime as dt
{first}
from umkm_core.adapters.serialization import to_json
from umkm_core.followup import HALAL, StepRecord
record = StepRecord.plan(business_id="B1", kind=HALAL, on=dt.date(2024, 1, 2))
print(to_json(record).decode())
"""

_ORDERS = [
    "",
    "import umkm_core.adapters.followup_io",
    "import umkm_core",
    "import umkm_core.strategies",
    "import umkm_core._plugins, umkm_core.adapters.followup_io",
]


def _document(first: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _WRITE.format(first=first)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.strip()


@pytest.mark.parametrize("first", _ORDERS[1:], ids=lambda s: s or "nothing")
def test_a_step_record_document_does_not_depend_on_what_was_imported_first(first: str) -> None:
    assert _document(first) == _document(_ORDERS[0])


def test_a_step_record_document_holds_the_kind_as_its_code_only() -> None:
    document = _document("")
    assert '"kind":"halal"' in document
    assert '"authority"' not in document
