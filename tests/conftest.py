"""Shared test set-up: Hypothesis profiles (HYPOTHESIS_PROFILE: dev or ci) and stores."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from umkm_core.store import InMemoryStore, Store

settings.register_profile("dev", max_examples=50)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(params=["memory"])
def any_store(request: pytest.FixtureRequest) -> Store:
    """A fresh, empty Store of every implementation: one service suite checks them all."""
    return InMemoryStore()
