"""Allocating with eligibility verdicts judged in columns changes nothing but the speed."""

from __future__ import annotations

import attrs
from allocation_scenarios import AS_OF, Scenario, scenarios
from hypothesis import given, settings
from hypothesis import strategies as st

from umkm_core import allocate
from umkm_core.bulk import columnar_verdicts
from umkm_core.rules import EligibilityRule, all_of, has_nib, not_, size_class_in, women_owned


def outcomes(s: Scenario, **kw: object) -> list[tuple[str, object, tuple[int, ...]]]:
    result = allocate(s.program, s.applications, s.businesses, as_of=AS_OF, policy=s.policy, **kw)  # type: ignore[arg-type]
    return [(d.application.business_id, d.outcome, d.eligible) for d in result.decisions]


extra_rules: st.SearchStrategy[tuple[EligibilityRule, ...]] = st.lists(
    st.sampled_from(
        [
            has_nib(),
            not_(women_owned()),
            size_class_in(["mikro"]),
            all_of(size_class_in(["mikro", "kecil"]), not_(has_nib())),
        ]
    ),
    max_size=2,
).map(tuple)


@settings(deadline=None)
@given(scenarios(), extra_rules)
def test_columnar_verdicts_give_the_same_allocation_with_every_reason(
    s: Scenario, extra: tuple[EligibilityRule, ...]
) -> None:
    s = attrs.evolve(s, program=attrs.evolve(s.program, rules=(*s.program.rules, *extra)))
    verdicts = columnar_verdicts(s.program, s.businesses, as_of=AS_OF)
    assert outcomes(s, verdicts=verdicts) == outcomes(s)
