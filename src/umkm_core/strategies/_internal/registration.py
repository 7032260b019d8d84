"""Registering a strategy for every public type, so that ``st.from_type`` works.

Called by the Hypothesis entry point (``umkm_core._hypothesis_plugin``) and by
``umkm_core.strategies`` when it is imported.
"""

from __future__ import annotations

from hypothesis import strategies as st

from umkm_core._plugins import Registry
from umkm_core.adapters.exchange import Exporter, ExportOptions, ExportResult, Importer
from umkm_core.adapters.tables import Column, Table
from umkm_core.allocation import (
    Allocation,
    Application,
    Change,
    EnrollmentEvent,
    Enrollments,
    FirstComeFirstServed,
    Lottery,
    PriorityTiers,
)
from umkm_core.followup.conditions import (
    Condition,
    ConditionResult,
)
from umkm_core.followup.kinds import (
    CertificateRule,
    CriteriaSet,
    Evidence,
    ExpectedDuration,
    NiceClasses,
    RenewalRule,
    RenewalWindow,
    Route,
    StepKind,
    Validity,
    ValidityRule,
)
from umkm_core.followup.pathway import Pathway
from umkm_core.followup.queries import (
    BlockedStep,
    Blocker,
    Expiry,
    Funnel,
    FunnelRow,
    NextSteps,
    StepOption,
)
from umkm_core.followup.records import StepRecord, StepStatus, Term
from umkm_core.model.business import (
    Address,
    Business,
    Coaching,
    FinancialRecord,
    HeldCertificate,
    Owner,
    Product,
)
from umkm_core.model.identifiers import (
    KBLI,
    NIB,
    NIK,
    NPWP,
    PIRTNumber,
    RegionCode,
)
from umkm_core.model.kbli import KbliCodeList
from umkm_core.model.program import (
    Office,
    PastEnrollment,
    Program,
    Session,
    Venue,
    Wave,
)
from umkm_core.model.regions import District
from umkm_core.model.sectors import Sector
from umkm_core.rules import (
    CapacityRule,
    DistrictQuota,
    HoldsCertificate,
    LacksCertificate,
    OneSeatPerBusiness,
    ReservedShare,
    RuleContext,
    RuleParam,
    TotalSeats,
    WaveSeats,
    holds_certificate,
    lacks_certificate,
)
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
    _condition_strategies,
    certificate_rules,
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
    _SECTORS,
    kbli_code_lists,
    kblis,
    nibs,
    niks,
    npwps,
    pirt_numbers,
    region_codes,
)
from umkm_core.strategies._internal.programs import (
    applications,
    capacity_rules,
    policies,
    programs,
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
from umkm_core.strategies._internal.results import (
    _capacity_rules_of,
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
    sectors,
)
from umkm_core.strategies._internal.tables import (
    columns,
    tables,
)


def _register() -> None:
    """Register a strategy for every public type (called by the Hypothesis entry point)."""
    _register_results()
    st.register_type_strategy(NIB, nibs())
    st.register_type_strategy(NIK, niks())
    st.register_type_strategy(NPWP, npwps())
    st.register_type_strategy(KBLI, kblis())
    st.register_type_strategy(KbliCodeList, kbli_code_lists())
    st.register_type_strategy(RegionCode, region_codes())
    st.register_type_strategy(PIRTNumber, pirt_numbers())
    st.register_type_strategy(Owner, owners())
    st.register_type_strategy(Address, addresses())
    st.register_type_strategy(Product, products())
    st.register_type_strategy(FinancialRecord, financial_records())
    st.register_type_strategy(Coaching, coachings())
    st.register_type_strategy(HeldCertificate, held_certificates())
    st.register_type_strategy(Business, businesses())
    # Follow-up certification steps.
    st.register_type_strategy(StepStatus, step_statuses())
    st.register_type_strategy(Validity, validities())
    st.register_type_strategy(RenewalWindow, renewal_windows())
    st.register_type_strategy(Condition, conditions())
    st.register_type_strategy(CriteriaSet, criteria_sets())
    st.register_type_strategy(StepKind, step_kinds())
    st.register_type_strategy(Pathway, pathways())
    st.register_type_strategy(StepRecord, step_records())
    _register_followup()
    _register_plugin_layer()


def _register_followup() -> None:
    st.register_type_strategy(ValidityRule, validity_rules())
    st.register_type_strategy(RenewalRule, renewal_rules())
    st.register_type_strategy(Evidence, evidence_items())
    st.register_type_strategy(ExpectedDuration, expected_durations())
    st.register_type_strategy(CertificateRule, certificate_rules())
    st.register_type_strategy(NiceClasses, nice_class_lists())
    st.register_type_strategy(Route, routes())
    st.register_type_strategy(Term, terms())
    st.register_type_strategy(ConditionResult, condition_results())
    for cls, strategy in _condition_strategies(st.sampled_from(_SECTORS)).items():
        st.register_type_strategy(cls, strategy)
    st.register_type_strategy(Blocker, blockers())
    st.register_type_strategy(StepOption, step_options())
    st.register_type_strategy(BlockedStep, blocked_steps())
    st.register_type_strategy(NextSteps, next_steps_answers())
    st.register_type_strategy(Expiry, expiries())
    st.register_type_strategy(Funnel, funnels())
    st.register_type_strategy(FunnelRow, funnel_rows())
    kinds = st.sampled_from(["pirt", "halal", "trademark", "pkp"])
    st.register_type_strategy(HoldsCertificate, kinds.map(holds_certificate))
    st.register_type_strategy(LacksCertificate, kinds.map(lacks_certificate))
    st.register_type_strategy(Office, offices())
    st.register_type_strategy(Venue, venues())
    st.register_type_strategy(Wave, waves())
    st.register_type_strategy(Session, sessions())
    st.register_type_strategy(Program, programs())
    st.register_type_strategy(Application, applications())
    st.register_type_strategy(FirstComeFirstServed, st.just(FirstComeFirstServed()))
    st.register_type_strategy(Lottery, st.integers(0, 2**32).map(lambda s: Lottery(seed=s)))
    st.register_type_strategy(
        PriorityTiers, policies().filter(lambda p: isinstance(p, PriorityTiers))
    )


def _register_plugin_layer() -> None:
    st.register_type_strategy(Sector, sectors())
    st.register_type_strategy(District, districts())
    st.register_type_strategy(Column, columns())
    st.register_type_strategy(Table, tables())


def _register_results() -> None:
    st.register_type_strategy(PastEnrollment, past_enrollments())
    st.register_type_strategy(Allocation, allocations())
    st.register_type_strategy(Enrollments, enrollments())
    st.register_type_strategy(Change, changes())
    st.register_type_strategy(EnrollmentEvent, enrollment_events())
    st.register_type_strategy(RuleParam, rule_params())
    st.register_type_strategy(RuleContext, rule_contexts())
    st.register_type_strategy(ExportOptions, export_options())
    st.register_type_strategy(Registry, registries())
    st.register_type_strategy(Exporter, exporters())
    st.register_type_strategy(Importer, importers())
    st.register_type_strategy(ExportResult, export_results())
    st.register_type_strategy(CapacityRule, capacity_rules())
    st.register_type_strategy(WaveSeats, st.just(WaveSeats()))
    for cls in (DistrictQuota, ReservedShare, OneSeatPerBusiness, TotalSeats):
        st.register_type_strategy(cls, _capacity_rules_of(cls))
