"""The test profiles never fail an example for taking long on a busy machine."""

from __future__ import annotations

import pytest
from hypothesis import settings


@pytest.mark.parametrize("name", ["dev", "ci"])
def test_no_hypothesis_profile_has_a_deadline(name: str) -> None:
    assert settings.get_profile(name).deadline is None
