from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "umkm_core.followup.dates",
    "umkm_core.followup.conditions",
    "umkm_core.followup.kinds",
    "umkm_core.followup.pathway",
    "umkm_core.followup.catalogue",
    "umkm_core.followup.records",
    "umkm_core.adapters.followup_io",
]


@pytest.mark.parametrize("name", MODULES)
def test_followup_module_examples_run_as_written(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
