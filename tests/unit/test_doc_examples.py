from __future__ import annotations

import doctest
import types

import pytest

from umkm_core import synthetic
from umkm_core.adapters import serialization


@pytest.mark.parametrize("module", [serialization, synthetic], ids=lambda m: m.__name__)
def test_examples_in_module_docs_hold(module: types.ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
