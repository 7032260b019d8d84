"""Rule factories from plugins: declared parameter types are enforced, a plugin's own
message reaches the user, and a broken factory never crashes the host."""

from __future__ import annotations

from typing import ClassVar

import attrs
import pytest

from umkm_core import ValidationError
from umkm_core.rules import (
    PASS,
    EligibilityRule,
    RuleContext,
    RuleFactory,
    RuleParam,
    Verdict,
    rule_from_data,
)
from umkm_core.text import Text


@attrs.frozen(kw_only=True)
class MinProducts(EligibilityRule):
    name: ClassVar[str] = "min_products"
    code: ClassVar[str] = "eligibility.min_products"
    count: int

    def describe(self) -> Text:
        return Text(f"minimal {self.count} produk", f"at least {self.count} products")

    def check(self, ctx: RuleContext) -> Verdict:
        return PASS


def _strict(count: int) -> MinProducts:
    if count > 50:
        raise Exception("count must be at most 50")
    return MinProducts(count=count)


FACTORY = RuleFactory(
    name="min_products",
    factory=_strict,
    params=(RuleParam(name="count", type="int", description=Text("jumlah", "count")),),
    description=Text("Minimal produk", "Minimum products"),
)


@pytest.mark.parametrize("value", ["3", 2.5, True, [3], None])
def test_a_parameter_of_the_wrong_type_is_refused_before_the_factory_runs(value: object) -> None:
    with pytest.raises(ValidationError) as info:
        rule_from_data({"rule": "min_products", "count": value}, factories=[FACTORY])
    assert info.value.code == "rule.bad_param"
    assert info.value.field == "rule.count"
    assert "whole number" in info.value.message("en")


def test_a_factory_raising_a_plain_exception_gives_its_message_in_our_error() -> None:
    with pytest.raises(ValidationError) as info:
        rule_from_data({"rule": "min_products", "count": 99}, factories=[FACTORY])
    assert info.value.code == "rule.bad_param"
    assert "count must be at most 50" in info.value.message("en")
    assert "count must be at most 50" in info.value.message("id")


def test_a_factory_that_returns_something_else_than_a_rule_is_refused() -> None:
    broken = attrs.evolve(FACTORY, factory=lambda count: count)
    with pytest.raises(ValidationError) as info:
        rule_from_data({"rule": "min_products", "count": 3}, factories=[broken])
    assert info.value.code == "rule.not_a_rule"


def test_a_parameter_type_nobody_enforces_is_refused_when_declared() -> None:
    with pytest.raises(ValidationError) as info:
        RuleParam(name="count", type="integer", description=Text("jumlah", "count"))
    assert info.value.code == "ruleparam.unknown_type"


def test_well_typed_parameters_build_the_rule() -> None:
    rule = rule_from_data({"rule": "min_products", "count": 3}, factories=[FACTORY])
    assert rule == MinProducts(count=3)
