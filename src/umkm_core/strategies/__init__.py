"""Hypothesis strategies for every public type of umkm_core.

Everything these strategies generate is valid, so a property test of your own rules can
start from realistic data::

    from hypothesis import given
    from umkm_core import strategies as ust

    @given(ust.businesses(within=RegionCode.parse("36.71")))
    def test_my_rule_never_crashes(business): ...

Once ``umkm-core[hypothesis]`` is installed, ``st.from_type(umkm_core.Business)`` works
too: the strategies are registered through Hypothesis's entry point.
All arguments are keyword-only; arguments that vary take strategies.
"""

from __future__ import annotations

from umkm_core.strategies._internal.businesses import (
    addresses,
    businesses,
    coachings,
    financial_records,
    held_certificates,
    offices,
    owners,
    products,
)
from umkm_core.strategies._internal.followup import (
    certificate_rules,
    certification_rules,
    conditions,
    criteria_sets,
    evidence_items,
    expected_durations,
    nice_class_lists,
    pathways,
    renewal_rules,
    renewal_windows,
    routes,
    step_kinds,
    step_records,
    step_statuses,
    terms,
    validities,
    validity_rules,
)
from umkm_core.strategies._internal.identifiers import (
    kbli_code_lists,
    kblis,
    nibs,
    niks,
    npwps,
    phone_numbers,
    pirt_numbers,
    region_codes,
    size_classes,
)
from umkm_core.strategies._internal.programs import (
    applications,
    capacity_rules,
    eligibility_rules,
    policies,
    programs,
    rules,
    sessions,
    venues,
    waves,
)
from umkm_core.strategies._internal.queries import (
    blocked_steps,
    blockers,
    condition_results,
    expiries,
    funnel_rows,
    funnels,
    next_steps_answers,
    step_options,
)
from umkm_core.strategies._internal.registration import _register
from umkm_core.strategies._internal.results import (
    allocations,
    changes,
    enrollment_events,
    enrollments,
    export_options,
    export_results,
    exporters,
    importers,
    past_enrollments,
    registries,
    rule_contexts,
    rule_params,
)
from umkm_core.strategies._internal.sectors import (
    districts,
    sector_codes,
    sectors,
)
from umkm_core.strategies._internal.tables import (
    cells,
    columns,
    roster_cells,
    roster_rows,
    tables,
)

__all__ = [
    "addresses",
    "allocations",
    "applications",
    "blocked_steps",
    "blockers",
    "businesses",
    "capacity_rules",
    "cells",
    "certificate_rules",
    "certification_rules",
    "changes",
    "coachings",
    "columns",
    "condition_results",
    "conditions",
    "criteria_sets",
    "districts",
    "eligibility_rules",
    "enrollment_events",
    "enrollments",
    "evidence_items",
    "expected_durations",
    "expiries",
    "export_options",
    "export_results",
    "exporters",
    "financial_records",
    "funnel_rows",
    "funnels",
    "held_certificates",
    "importers",
    "kbli_code_lists",
    "kblis",
    "next_steps_answers",
    "nibs",
    "nice_class_lists",
    "niks",
    "npwps",
    "offices",
    "owners",
    "past_enrollments",
    "pathways",
    "phone_numbers",
    "pirt_numbers",
    "policies",
    "products",
    "programs",
    "region_codes",
    "registries",
    "renewal_rules",
    "renewal_windows",
    "roster_cells",
    "roster_rows",
    "routes",
    "rule_contexts",
    "rule_params",
    "rules",
    "sector_codes",
    "sectors",
    "sessions",
    "size_classes",
    "step_kinds",
    "step_options",
    "step_records",
    "step_statuses",
    "tables",
    "terms",
    "validities",
    "validity_rules",
    "venues",
    "waves",
]

# When this module is imported before Hypothesis, Hypothesis's entry point runs while this
# module is half built and leaves the registration to it (see _hypothesis_plugin.py).
# Registering twice is harmless: the later registration replaces the earlier one.
_register()
