"""The service-layer guide's example runs as written, and says what it promises."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "services.md"


def test_the_guide_imports_allocates_withdraws_explains_and_plans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 4
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for block in blocks:
            exec(compile(block, str(GUIDE), "exec"), namespace)
    out = printed.getvalue().splitlines()
    assert out[0] == "10555 imported, 9 refused"
    assert out[1] == "{'accepted': 160, 'waitlisted': 107, 'refused': 22}"
    assert out[2].startswith("Promoted from the waitlist to wave")
    assert out[3] == "Refused, because:"
    assert "eligibility." in out[4]
    assert out[-2:] == [
        "fesyen 80 ['packaging', 'trademark']",
        "kuliner 80 ['packaging', 'halal', 'trademark']",
    ]
    assert os.path.isfile(tmp_path / "example" / "roster.csv")


def test_the_guide_uses_only_the_service_layer_and_the_shipped_example() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    imports = set(re.findall(r"^from (umkm_core[\w.]*) import", "\n".join(blocks), re.M))
    assert imports == {"umkm_core.services", "umkm_core.examples"}
