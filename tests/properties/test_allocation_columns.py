"""Allocating over columns gives exactly the interpreted engine's decisions, reasons and all."""

from __future__ import annotations

import attrs
from allocation_scenarios import AS_OF, Scenario, scenarios
from hypothesis import given, settings
from hypothesis import strategies as st

from umkm_core import Accepted, Waitlisted, allocate
from umkm_core.bulk import allocate_columns, applications_frame, register_frame
from umkm_core.rules import (
    EligibilityRule,
    all_of,
    any_of,
    has_nib,
    located_in,
    not_,
    size_class_in,
    women_owned,
)

Row = tuple[str, str, int | None, int | None, list[int], list[tuple[str, int | None]]]


def interpreted(s: Scenario) -> list[Row]:
    result = allocate(s.program, s.applications, s.businesses, as_of=AS_OF, policy=s.policy)
    return [
        (
            d.application.business_id,
            d.outcome.status,
            d.outcome.wave if isinstance(d.outcome, Accepted) else None,
            d.outcome.position if isinstance(d.outcome, Waitlisted) else None,
            list(d.eligible),
            [(r.code, r.wave) for r in getattr(d.outcome, "reasons", ())],
        )
        for d in result.decisions
    ]


def columnar(s: Scenario) -> list[Row]:
    result = allocate_columns(
        s.program,
        applications_frame(s.applications),
        register_frame(s.businesses),
        as_of=AS_OF,
        policy=s.policy,
    )
    by_row: dict[int, list[tuple[str, int | None]]] = {}
    for row, code, wave in result.reasons.iter_rows():
        by_row.setdefault(row, []).append((code, wave))
    return [
        (d["business_id"], d["status"], d["wave"], d["position"], d["eligible"], by_row.get(i, []))
        for i, d in enumerate(result.decisions.iter_rows(named=True))
    ]


extra_rules: st.SearchStrategy[tuple[EligibilityRule, ...]] = st.lists(
    st.sampled_from(
        [
            has_nib(),
            not_(women_owned()),
            size_class_in(["mikro"]),
            located_in("36.71.05"),
            all_of(size_class_in(["mikro", "kecil"]), not_(has_nib())),
            any_of(women_owned(), located_in("36.71.13")),
        ]
    ),
    max_size=2,
).map(tuple)


@settings(deadline=None)
@given(scenarios(), extra_rules)
def test_columnar_allocation_decides_as_the_interpreted_engine(
    s: Scenario, extra: tuple[EligibilityRule, ...]
) -> None:
    # Random programmes (waves, eligibility, every built-in capacity rule, reserved
    # shares), registers with unknown businesses, applications naming unknown waves or
    # none, several applications a business, and every policy.
    s = attrs.evolve(s, program=attrs.evolve(s.program, rules=(*s.program.rules, *extra)))
    assert columnar(s) == interpreted(s)
