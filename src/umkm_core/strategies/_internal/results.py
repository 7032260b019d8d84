"""Strategies for results and plumbing: allocations, enrollments, contexts, plugin records."""

from __future__ import annotations

import datetime as dt
import pathlib

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from umkm_core._plugins import Registry, load_registry
from umkm_core.adapters.exchange import Exporter, ExportOptions, ExportResult, Importer

# Keep this call last: every strategy above must exist when it runs.
# --- Results and plumbing: allocations, enrollments, contexts, plugin records -------------
from umkm_core.allocation import (
    Allocation,
    Application,
    Change,
    EnrollmentEvent,
    Enrollments,
    allocate,
)
from umkm_core.model.business import (
    Business,
)
from umkm_core.model.program import (
    PastEnrollment,
    Program,
    ProgramKind,
)
from umkm_core.rules import (
    CapacityRule,
    RuleContext,
    RuleParam,
)
from umkm_core.rules.base import PARAM_TYPES
from umkm_core.strategies._internal.businesses import (
    businesses,
)
from umkm_core.strategies._internal.identifiers import (
    _SECTORS,
)
from umkm_core.strategies._internal.programs import (
    applications,
    capacity_rules,
    policies,
    programs,
)
from umkm_core.strategies._internal.sectors import _UTC_OFFSETS
from umkm_core.text import Text


def past_enrollments(
    *,
    business_ids: st.SearchStrategy[str] = st.integers(1, 50).map(lambda n: f"B{n:09d}"),
) -> st.SearchStrategy[PastEnrollment]:
    """Earlier enrollments (the history ``not_attended_within`` reads)."""
    return st.builds(
        PastEnrollment,
        business_id=business_ids,
        program_id=st.integers(1, 999).map(lambda n: f"P{n:06d}"),
        kind=st.sampled_from(ProgramKind),
        ended_on=st.dates(dt.date(2010, 1, 1), dt.date(2026, 12, 31)),
    )


@st.composite
def _allocation_inputs(
    draw: st.DrawFn, max_applications: int
) -> tuple[Program, list[Business], list[Application]]:
    program = draw(programs())
    count = draw(st.integers(1, 12))
    ids = [f"B{n:09d}" for n in range(1, count + 1)]
    register = [
        draw(businesses(ids=st.just(i), sectors=st.sampled_from(_SECTORS), max_products=1))
        for i in ids
    ]
    apps = draw(
        st.lists(
            applications(
                business_ids=st.sampled_from(ids),
                program_ids=st.just(program.id),
                wave_numbers=program.wave_numbers,
            ),
            max_size=max_applications,
        )
    )
    return program, register, apps


def allocations(*, max_applications: int = 20) -> st.SearchStrategy[Allocation]:
    """Allocations of generated programmes, registers and applications, under any policy."""
    if max_applications < 0:
        raise InvalidArgument(f"max_applications={max_applications!r} must be >= 0")
    return st.builds(
        lambda inputs, policy, as_of: allocate(
            inputs[0], inputs[2], inputs[1], as_of=as_of, policy=policy
        ),
        _allocation_inputs(max_applications),
        policies(),
        st.dates(dt.date(2015, 1, 1), dt.date(2027, 12, 31)),
    )


def enrollments() -> st.SearchStrategy[Enrollments]:
    """Enrollment states straight after an allocation."""
    return allocations().map(Enrollments.from_allocation)


def _confirm_first(state: Enrollments) -> Change:
    seated = state.seated()
    at = dt.datetime(2017, 12, 1, 9, tzinfo=dt.UTC)
    if seated:
        return state.confirm(next(iter(seated)), at=at, by="petugas")
    return Change(state=state, events=())


def changes() -> st.SearchStrategy[Change]:
    """Results of an enrollment operation (a confirmation, or nothing to do)."""
    return enrollments().map(_confirm_first)


def rule_contexts() -> st.SearchStrategy[RuleContext]:
    """What a rule sees: a business, a programme and an as-of date."""
    return st.builds(
        lambda business, program, as_of: RuleContext(
            business=business, program=program, as_of=as_of
        ),
        businesses(max_products=1),
        programs(),
        st.dates(dt.date(2015, 1, 1), dt.date(2027, 12, 31)),
    )


def export_options() -> st.SearchStrategy[ExportOptions]:
    """Every combination of delimiter, header style and language."""
    return st.builds(
        ExportOptions,
        delimiter=st.sampled_from([",", ";", "\t"]),
        header=st.sampled_from(["title", "name"]),
        lang=st.sampled_from(["id", "en"]),
    )


def registries() -> st.SearchStrategy[Registry]:
    """The registry of the built-in plugins (entry points are not loaded)."""
    return st.builds(lambda: load_registry(autoload=False))


def exporters() -> st.SearchStrategy[Exporter]:
    """The built-in exporters."""
    return registries().flatmap(lambda r: st.sampled_from(sorted(r.exporters.values(), key=str)))


def importers() -> st.SearchStrategy[Importer]:
    """The built-in importers."""
    return registries().flatmap(lambda r: st.sampled_from(sorted(r.importers.values(), key=str)))


def export_results() -> st.SearchStrategy[ExportResult]:
    """What an export reports: the file written, the exporter and the row count."""
    return st.builds(
        ExportResult,
        path=st.from_regex(r"out/[a-z]{1,8}\.(csv|json|jsonl|xlsx)", fullmatch=True).map(
            pathlib.Path
        ),
        exporter=st.sampled_from(["csv", "json", "jsonl", "xlsx"]),
        rows=st.integers(0, 10**6),
    )


def rule_params() -> st.SearchStrategy[RuleParam]:
    """Documented rule parameters of every declarable type."""
    return st.builds(
        RuleParam,
        name=st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True),
        type=st.sampled_from(sorted(PARAM_TYPES)),
        description=st.just(Text("parameter", "parameter")),
        required=st.booleans(),
    )


def enrollment_events() -> st.SearchStrategy[EnrollmentEvent]:
    """Audit events of the roster: aware times, a named actor, a business and a wave."""
    return st.builds(
        EnrollmentEvent,
        what=st.sampled_from(
            ["confirmed", "withdrawn", "promoted", "attended", "no_show", "completed"]
        ),
        business_id=st.from_regex(r"B[0-9]{1,4}", fullmatch=True),
        wave=st.none() | st.integers(1, 5),
        at=st.datetimes(
            min_value=dt.datetime(2000, 1, 1),
            max_value=dt.datetime(2100, 1, 1),
            timezones=st.sampled_from(_UTC_OFFSETS),
        ),
        by=st.sampled_from(["petugas-1", "admin", "B1"]),
        day=st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
        text=st.just(Text("Kursi dikonfirmasi", "Seat confirmed")),
    )


def _capacity_rules_of(cls: type[CapacityRule]) -> st.SearchStrategy[CapacityRule]:
    return capacity_rules().filter(lambda rule: isinstance(rule, cls))
