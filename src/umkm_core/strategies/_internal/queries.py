"""Strategies for the answers of follow-up queries: next steps, blockers, expiries, funnels."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from umkm_core.followup.conditions import (
    ConditionResult,
)
from umkm_core.followup.queries import (
    BlockedStep,
    Blocker,
    Expiry,
    Funnel,
    FunnelRow,
    NextSteps,
    StepOption,
    expiring,
    funnel,
    next_steps,
)
from umkm_core.followup.records import StepStatus
from umkm_core.strategies._internal.businesses import (
    businesses,
)

# --------------------------------------------------------------------------------------
# Follow-up certification steps (issue 4): step kinds, pathways, step records
# --------------------------------------------------------------------------------------
from umkm_core.strategies._internal.followup import (
    pathways,
    step_kinds,
    step_records,
)
from umkm_core.text import Text


def condition_results() -> st.SearchStrategy[ConditionResult]:
    """Answers of a condition: passed, failed or to confirm."""
    return st.builds(
        ConditionResult,
        code=st.sampled_from(["has_nib", "size_class_in", "declared:low_risk"]),
        passed=st.none() | st.booleans(),
        text=st.just(Text(id="Alasan", en="Reason")),
    )


_BLOCKER_CODES = (
    "prerequisite.missing",
    "prerequisite.expired",
    "prerequisite.waived_not_enough",
    "condition.failed",
    "rules.not_in_force",
)


def blockers() -> st.SearchStrategy[Blocker]:
    """Reasons a step cannot start."""
    return st.builds(
        Blocker,
        code=st.sampled_from(_BLOCKER_CODES),
        text=st.just(Text(id="Alasan", en="Reason")),
        step=st.none() | st.sampled_from(["packaging", "pkp", "pirt", "halal"]),
        condition=st.none() | st.sampled_from(["has_nib", "annual_sales_at_most"]),
        route=st.none() | st.sampled_from(["regular", "self-declare"]),
    )


def step_options() -> st.SearchStrategy[StepOption]:
    """Steps offered to a business."""
    return st.builds(
        StepOption,
        kind=step_kinds(),
        closed_routes=st.lists(blockers(), max_size=2).map(tuple),
        to_confirm=st.lists(st.just(Text(id="Konfirmasi", en="Confirm")), max_size=2).map(tuple),
    )


def blocked_steps() -> st.SearchStrategy[BlockedStep]:
    """Steps that cannot start, each with one or more reasons."""
    return st.builds(
        BlockedStep,
        kind=step_kinds(),
        reasons=st.lists(blockers(), min_size=1, max_size=3).map(tuple),
    )


_AS_OF = st.dates(dt.date(2016, 1, 1), dt.date(2032, 12, 31))


def next_steps_answers() -> st.SearchStrategy[NextSteps]:
    """Answers of :func:`umkm_core.next_steps` for generated businesses and records."""

    @st.composite
    def build(draw: st.DrawFn) -> NextSteps:
        pathway = draw(pathways())
        business = draw(businesses(max_products=0))
        records = draw(
            st.lists(
                step_records(
                    kinds=st.sampled_from(pathway.steps), business_ids=st.just(business.id)
                ),
                max_size=5,
            )
        )
        return next_steps(business, pathway, records, draw(_AS_OF))

    return build()


def expiries() -> st.SearchStrategy[Expiry]:
    """Certificates due for renewal, found by :func:`umkm_core.expiring`."""
    from umkm_core.followup.catalogue import PIRT, TRADEMARK  # noqa: PLC0415

    @st.composite
    def build(draw: st.DrawFn) -> Expiry:
        record = draw(
            step_records(
                kinds=st.sampled_from([PIRT, TRADEMARK]),
                statuses=st.just(StepStatus.GRANTED),
            )
        )
        expires = record.expires_on
        assert expires is not None
        as_of = expires - dt.timedelta(days=draw(st.integers(0, 180)))
        as_of = max(as_of, record.terms[-1].issued_on)
        (found,) = expiring([record], dt.timedelta(days=180), as_of)
        return found

    return build()


def funnels(*, max_participants: int = 10) -> st.SearchStrategy[Funnel]:
    """Cohort funnels over generated pathways and records."""
    if max_participants < 0:
        raise InvalidArgument(f"max_participants={max_participants!r} must be >= 0")

    @st.composite
    def build(draw: st.DrawFn) -> Funnel:
        pathway = draw(pathways())
        ids = [f"B{i:03d}" for i in range(draw(st.integers(0, max_participants)))]
        records = (
            draw(
                st.lists(
                    step_records(
                        kinds=st.sampled_from(pathway.steps), business_ids=st.sampled_from(ids)
                    ),
                    max_size=15,
                )
            )
            if ids
            else []
        )
        start = draw(st.none() | st.dates(dt.date(2015, 1, 1), dt.date(2020, 12, 31)))
        return funnel(ids, pathway, records, draw(_AS_OF), start=start)

    return build()


def funnel_rows() -> st.SearchStrategy[FunnelRow]:
    """Rows of generated funnels."""
    return funnels().flatmap(lambda f: st.sampled_from(f.rows))
