"""Every public follow-up type has a registered strategy that generates valid values."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import umkm_core.followup as followup
from umkm_core import strategies as ust

PUBLIC_TYPES = sorted(
    (
        obj
        for name in followup.__all__
        if isinstance(obj := getattr(followup, name), type)
        and not issubclass(obj, Exception)
        and obj.__module__.startswith("umkm_core.followup")
    ),
    key=lambda t: t.__name__,
)


def test_the_followup_package_exports_types_worth_generating() -> None:
    assert len(PUBLIC_TYPES) >= 25


@pytest.mark.parametrize("cls", PUBLIC_TYPES, ids=lambda t: t.__name__)
def test_every_public_followup_type_has_a_strategy_of_valid_values(cls: type) -> None:
    @settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(st.from_type(cls))
    def check(value: object) -> None:
        assert isinstance(value, cls)
        if attrs.has(type(value)):
            assert attrs.evolve(value) == value  # type: ignore[misc]

    check()


def test_strategy_arguments_are_checked() -> None:
    with pytest.raises(InvalidArgument):
        ust.pathways(max_steps=0).example()
    with pytest.raises(InvalidArgument):
        ust.step_kinds(requires="pkp").example()
    with pytest.raises(InvalidArgument):
        ust.funnels(max_participants=-1).example()
