"""Step records survive a save and a load exactly."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from umkm_core import StepRecord
from umkm_core import strategies as ust
from umkm_core.adapters.followup_io import step_records_from_jsonl, step_records_to_jsonl


def _round_trip(records: list[StepRecord], **kw: object) -> tuple[StepRecord, ...]:
    out = io.BytesIO()
    assert step_records_to_jsonl(records, out) == len(records)
    read = step_records_from_jsonl(io.BytesIO(out.getvalue()), **kw)  # type: ignore[arg-type]
    assert read.errors == ()
    return read.records


@settings(max_examples=60)
@given(st.lists(ust.step_records(), max_size=8))
def test_saved_step_records_load_back_exactly(records: list[StepRecord]) -> None:
    assert _round_trip(records) == tuple(records)


@settings(max_examples=30)
@given(st.data())
def test_records_of_plugin_kinds_load_back_exactly_from_their_catalogue(
    data: st.DataObject,
) -> None:
    kinds = data.draw(
        st.lists(ust.step_kinds(builtin=False), min_size=1, max_size=3, unique_by=lambda k: k.code)
    )
    records = data.draw(st.lists(ust.step_records(kinds=st.sampled_from(kinds)), max_size=5))
    assert _round_trip(records, kinds={k.code: k for k in kinds}) == tuple(records)
