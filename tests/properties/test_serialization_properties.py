"""Round trips are exact, the two engines agree, and junk only ever gives our error."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import attrs
import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from umkm_core import (
    Business,
    FinancialRecord,
    InvalidDocument,
    Owner,
    RegionCode,
    Sex,
    ValidationError,
)
from umkm_core import strategies as ust
from umkm_core.adapters import serialization as ser
from umkm_core.adapters.serialization import from_dict, from_json, to_dict, to_json

_DEFAULT = ser.make_serializer()

# Anything a JSON parser (or a careless caller) could hand over.
json_junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _fast_from_dict(data: Any, cls: type[Any]) -> Any:
    wire, load = _DEFAULT.fast.convert_plan(cls)
    return load(msgspec.convert(data, wire))


def _slow_from_dict(data: Any, cls: type[Any]) -> Any:
    return _DEFAULT.structure_slowly(data, cls)


@given(st.from_type(Business))
def test_business_survives_a_json_round_trip_exactly(business: Business) -> None:
    again = from_json(to_json(business), Business)
    # Business compares by id only: compare the whole structure.
    assert attrs.astuple(again) == attrs.astuple(business)
    assert to_dict(again) == to_dict(business)


@given(ust.businesses())
def test_business_survives_a_dict_round_trip_exactly(business: Business) -> None:
    data = to_dict(business)
    assert json.loads(json.dumps(data)) == data
    assert attrs.astuple(from_dict(data, Business)) == attrs.astuple(business)


@given(ust.businesses())
def test_fast_and_reference_engines_write_the_same_dicts(business: Business) -> None:
    converter = _DEFAULT.converter
    assert to_dict(business) == converter.unstructure(business)
    assert json.loads(to_json(business)) == {"schema": 1, **converter.unstructure(business)}


@given(ust.businesses())
def test_fast_and_reference_engines_build_the_same_objects(business: Business) -> None:
    data = to_dict(business)
    fast = _fast_from_dict(data, Business)
    slow = _slow_from_dict(data, Business)
    assert attrs.astuple(fast) == attrs.astuple(slow) == attrs.astuple(business)


@st.composite
def _damaged(draw: st.DrawFn) -> dict[str, Any]:
    """A valid business document with one value somewhere replaced by junk."""
    data: Any = to_dict(draw(ust.businesses(max_products=2)))
    root: dict[str, Any] = data
    while True:
        if isinstance(data, dict) and data:
            key = draw(st.sampled_from(sorted(data)))
        elif isinstance(data, list) and data:
            key = draw(st.integers(0, len(data) - 1))
        else:
            break
        if draw(st.booleans()) and isinstance(data[key], dict | list) and data[key]:
            data = data[key]
            continue
        data[key] = draw(json_junk)
        break
    return root


@settings(max_examples=100)
@given(_damaged())
def test_engines_accept_and_refuse_the_same_documents(data: dict[str, Any]) -> None:
    try:
        fast: Any = attrs.astuple(_fast_from_dict(data, Business))
    except (msgspec.ValidationError, ValidationError):
        fast = "refused"
    try:
        slow: Any = attrs.astuple(_slow_from_dict(data, Business))
    except InvalidDocument as err:
        problems = err.errors
        slow = "refused"
    else:
        problems = ()
    assert fast == slow
    assert all(e.field and e.field.startswith("$") for e in problems)


@settings(max_examples=100)
@given(_damaged())
def test_damaged_document_gives_our_error_or_a_valid_business(data: dict[str, Any]) -> None:
    loads: list[Callable[[], Business]] = [
        lambda: from_dict(data, Business),
        lambda: from_json(json.dumps(data), Business),
    ]
    for load in loads:
        try:
            result: object = load()
        except ValidationError:
            result = None
        assert result is None or isinstance(result, Business)


@given(json_junk, st.sampled_from([Business, Owner, FinancialRecord]))
def test_junk_dicts_raise_only_our_validation_error(junk: Any, cls: type[Any]) -> None:
    try:
        result: Any = from_dict(junk, cls)
    except InvalidDocument as err:
        result = err.errors
    assert result


@given(st.binary() | st.text() | json_junk.map(json.dumps))
def test_junk_json_raises_only_our_validation_error(junk: bytes | str) -> None:
    try:
        result: Any = from_json(junk, Business)
    except InvalidDocument as err:
        result = err.errors
    assert result


@attrs.frozen(kw_only=True)
class _Quota:
    """A stand-in for extension records: mappings, sets and optional dates."""

    seats: dict[RegionCode, int]
    sectors: frozenset[str]
    owners: frozenset[Sex]
    closes: dt.date | None


_quotas = st.builds(
    _Quota,
    seats=st.dictionaries(ust.region_codes(), st.integers(0, 500), max_size=4),
    sectors=st.frozensets(st.sampled_from(["kuliner", "fesyen", "kriya", "jasa"])),
    owners=st.frozensets(st.sampled_from(Sex)),
    closes=st.none() | st.dates(),
)


@given(_quotas)
def test_engines_agree_on_mappings_and_sets(quota: _Quota) -> None:
    data = to_dict(quota)
    assert data == _DEFAULT.converter.unstructure(quota)
    assert _fast_from_dict(data, _Quota) == _slow_from_dict(data, _Quota) == quota
    assert from_json(to_json(quota), _Quota) == quota
