"""The follow-up plan file: the 2018 plan reads; unknown steps are named with their path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from umkm_core import InvalidDocument
from umkm_core.adapters.followup_plan import followup_plan_from_toml, load_followup_plan

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tangerang-2017" / "followup.toml"


def test_the_2018_plan_is_packaging_then_halal_then_trademark_for_food() -> None:
    plan = load_followup_plan(EXAMPLE)
    assert plan.starts == dt.date(2018, 1, 2)
    food = plan.pathway_for("kuliner")
    fashion = plan.pathway_for("fesyen")
    assert food is not None
    assert fashion is not None
    assert [k.code for k in food.steps] == ["packaging", "halal", "trademark"]
    assert [k.code for k in fashion.steps] == ["packaging", "trademark"]
    assert plan.pathway_for("kriya") is None


def test_every_problem_of_a_plan_is_named_with_its_path() -> None:
    text = """
[plan]
starts = "soon"

[[pathways]]
code = "x"
sector = "kuliner"
steps = ["packaging", "halal-mui"]

[[pathways]]
code = "y"
sector = "kuliner"
steps = ["packaging", "packaging"]
"""
    with pytest.raises(InvalidDocument) as info:
        followup_plan_from_toml(text, source="plan.toml")
    assert info.value.field == "plan.toml"
    found = {(e.field, e.code) for e in info.value.errors}
    assert ("plan.starts", "followup_plan.missing") in found
    assert ("pathways[0].steps[1]", "followup_plan.unknown_step") in found
    assert any(f and f.startswith("pathways[1]") for f, _ in found)
