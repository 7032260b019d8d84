from __future__ import annotations

import doctest
import types

import pytest

from umkm_core.adapters.sql import _store, urls


@pytest.mark.parametrize("module", [_store, urls], ids=lambda m: m.__name__)
def test_examples_in_the_sql_store_docs_hold(module: types.ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
