"""Use cases of the follow-up: plan each participant's next steps, and the cohort's funnel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from umkm_core.adapters.followup_plan import FollowupPlan, load_followup_plan
from umkm_core.followup import Expiry, Funnel, NextSteps, Pathway, expiring, funnel, next_steps
from umkm_core.model.business import Business
from umkm_core.services._common import not_found, read_programme, registry_or_default
from umkm_core.store import Store

if TYPE_CHECKING:
    from umkm_core._plugins import Registry

__all__ = ["FollowupOverview", "SectorPlan", "plan_followup"]


@attrs.frozen(kw_only=True)
class SectorPlan:
    """The follow-up of one sector's participants.

    :param sector: the sector.
    :param pathway: its pathway (``None``: no pathway for the sector).
    :param participants: the participants, by id.
    :param next_steps: what each can start, and what blocks the rest.
    :param funnel: how far the cohort got along the pathway.
    """

    sector: str
    pathway: Pathway | None
    participants: tuple[Business, ...]
    next_steps: tuple[NextSteps, ...] = ()
    funnel: Funnel | None = None


@attrs.frozen(kw_only=True)
class FollowupOverview:
    """A programme's follow-up on a day.

    :param program_id: the programme.
    :param on: the day judged.
    :param sectors: one plan per sector, by sector code.
    :param due: certificates of participants due for renewal within 180 days.
    """

    program_id: str
    on: dt.date
    sectors: tuple[SectorPlan, ...]
    due: tuple[Expiry, ...]

    @property
    def participants(self) -> int:
        """How many participants the plan covers."""
        return sum(len(s.participants) for s in self.sectors)


def _pathway(registry: Registry, plan: FollowupPlan | None, sector: str) -> Pathway | None:
    if plan is not None:
        return plan.pathway_for(sector)
    if sector in registry.sectors:
        defaults = registry.default_pathways(sector)
        return defaults[0] if defaults else None
    return None


def plan_followup(
    store: Store,
    program_id: str,
    *,
    plan: FollowupPlan | str | Path | None = None,
    on: dt.date | None = None,
    registry: Registry | None = None,
    within: dt.timedelta = dt.timedelta(days=180),
) -> FollowupOverview:
    """Plan the follow-up of a programme's participants (those holding a seat).

    :param plan: a follow-up plan (or its file); without one, each sector's default
        pathway from the registry.
    :param on: the day to judge (default: the plan's start, else the day after the last
        wave).
    :param within: how far ahead certificates count as due for renewal.
    :returns: per sector, each participant's next steps and the cohort funnel, and the
        certificates due.
    :raises StateError: ``run.not_found`` before the programme was allocated.
    """
    registry = registry_or_default(registry)
    if isinstance(plan, str | Path):
        plan = load_followup_plan(plan, steps=registry.steps.values())
    with store.unit_of_work(by="umkm_core.followup") as uow:
        state = uow.enrollments.get(program_id)
        record = uow.programmes.get(program_id)
        if state is None or record is None:
            raise not_found("run", program_id)
        program = read_programme(record.source, record.source_name, registry).program
        seated = sorted({e.business_id for e in state.entries if e.status.holds_seat})
        members = [v.business for b in seated if (v := uow.businesses.get(b)) is not None]
        records = uow.steps.all()
    day = on or (plan.starts if plan is not None else max(w.end for w in program.waves)
                 + dt.timedelta(days=1))  # fmt: skip
    by_sector: dict[str, list[Business]] = {}
    for business in members:
        by_sector.setdefault(business.sector, []).append(business)
    sectors: list[SectorPlan] = []
    for sector, group in sorted(by_sector.items()):
        pathway = _pathway(registry, plan, sector)
        if pathway is None:
            sectors.append(SectorPlan(sector=sector, pathway=None, participants=tuple(group)))
            continue
        waves = [w.end for w in program.waves if w.sector == sector]
        sectors.append(
            SectorPlan(
                sector=sector,
                pathway=pathway,
                participants=tuple(group),
                next_steps=tuple(next_steps(b, pathway, records, day) for b in group),
                funnel=funnel(
                    [b.id for b in group],
                    pathway,
                    records,
                    day,
                    start=max(waves) if waves else None,
                ),
            )
        )
    ids = set(seated)
    due = tuple(e for e in expiring(records, within, day) if e.record.business_id in ids)
    return FollowupOverview(program_id=program_id, on=day, sectors=tuple(sectors), due=due)
