"""Every public type of umkm_core can be generated with ``st.from_type``, validly.

Users property-test their own rules with these; a type without a registered strategy
would make Hypothesis guess at its constructor and build invalid values.
"""

from __future__ import annotations

import inspect

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import umkm_core

PUBLIC_TYPES = sorted(
    (
        obj
        for name in umkm_core.__all__
        if inspect.isclass(obj := getattr(umkm_core, name)) and not issubclass(obj, BaseException)
    ),
    key=lambda cls: cls.__name__,
)


def test_the_public_api_has_types_to_check() -> None:
    assert len(PUBLIC_TYPES) > 60


@pytest.mark.parametrize("cls", PUBLIC_TYPES, ids=lambda cls: cls.__name__)
def test_from_type_generates_valid_instances_of_every_public_type(cls: type) -> None:
    @settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.from_type(cls))
    def generated_value_is_an_instance(value: object) -> None:
        assert isinstance(value, cls)

    generated_value_is_an_instance()
