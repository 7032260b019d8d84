"""Use cases that office staff and auditors read: the fairness audit and the report.

Both start from a recorded run: its allocation is rebuilt from the run's own inputs (as
for seat changes), so what they show is what was decided, whatever the files say now.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from umkm_core.adapters.followup_plan import FollowupPlan, load_followup_plan
from umkm_core.allocation import Allocation
from umkm_core.audit import (
    AuditAttribute,
    FairnessAudit,
    audit_allocation,
    builtin_attributes,
)
from umkm_core.model.business import Business
from umkm_core.services._common import not_found, registry_or_default, replay
from umkm_core.store import Store
from umkm_core.text import Lang

if TYPE_CHECKING:
    from umkm_core._plugins import Registry

__all__ = ["audit_run", "programme_report", "write_programme_report"]


def _recorded(
    store: Store, registry: Registry, program_id: str | None, run_id: str | None
) -> tuple[Allocation, dict[str, Business]]:
    with store.unit_of_work(by="umkm_core.report") as uow:
        if run_id is None:
            state = uow.enrollments.get(program_id or "")
            run_id = state.run_id if state is not None else None
        run = uow.runs.get(run_id) if run_id is not None else None
        if run is None:
            raise not_found("run", run_id or program_id or "")
        allocation = replay(uow, run, registry)
        businesses = {
            b: found.business
            for b, version in run.business_versions.items()
            if (found := uow.businesses.get(b, version)) is not None
        }
    return allocation, businesses


def _attributes(registry: Registry, allocation: Allocation) -> tuple[AuditAttribute, ...]:
    names = {code: sector.name for code, sector in registry.sectors.items()}
    return (
        *builtin_attributes(allocation.as_of, sector_names=names),
        *registry.audit_attributes.values(),
    )


def audit_run(
    store: Store,
    *,
    program_id: str | None = None,
    run_id: str | None = None,
    registry: Registry | None = None,
) -> FairnessAudit:
    """The fairness audit of a recorded run (the programme's current one by default).

    Grouped by district, the owner's sex, size class and sector, and by every attribute a
    plugin declares (``umkm_audit_attributes``).

    :raises StateError: ``run.not_found``.
    """
    registry = registry_or_default(registry)
    allocation, businesses = _recorded(store, registry, program_id, run_id)
    return audit_allocation(allocation, businesses, attributes=_attributes(registry, allocation))


def programme_report(
    store: Store,
    *,
    program_id: str | None = None,
    run_id: str | None = None,
    plan: FollowupPlan | str | Path | None = None,
    on: dt.date | None = None,
    lang: Lang = "id",
    registry: Registry | None = None,
    reveal_personal_data: bool = False,
) -> str:
    """The programme's self-contained HTML report, from the record.

    :param plan: the follow-up plan whose pathways get a funnel (default: each sector's
        default pathway).
    :param on: the day the follow-up is reported on (default: the plan's start, else the
        programme's last day).
    :returns: the HTML text (offline: no request of any kind).
    :raises StateError: ``run.not_found``; ``UmkmError`` ``report.unavailable`` without
        the ``report`` extra.
    """
    from umkm_core.report import render_report  # noqa: PLC0415 - the report extra

    registry = registry_or_default(registry)
    if isinstance(plan, str | Path):
        plan = load_followup_plan(plan, steps=registry.steps.values())
    allocation, businesses = _recorded(store, registry, program_id, run_id)
    if plan is not None:
        pathways = plan.pathways
    else:
        sectors = {w.sector for w in allocation.program.waves}
        pathways = tuple(
            p for s in sorted(sectors) if s in registry.sectors
            for p in registry.default_pathways(s)[:1]
        )  # fmt: skip
    with store.unit_of_work(by="umkm_core.report") as uow:
        records = uow.steps.all()
    attributes = _attributes(registry, allocation)
    return render_report(
        allocation,
        businesses,
        lang=lang,
        pathways=pathways,
        records=records,
        followup_as_of=on or (plan.starts if plan is not None else None),
        audit_attributes=attributes,
        reveal_personal_data=reveal_personal_data,
    )


def write_programme_report(
    path: str | Path,
    store: Store,
    **options: object,
) -> Path:
    """Write :func:`programme_report` to ``path``, whole or not at all.

    The file is 0600 when it reveals personal data, 0644 (less the umask) otherwise.

    :param options: the keyword arguments of :func:`programme_report`.
    :returns: the path written.
    """
    from umkm_core.files import atomic_write  # noqa: PLC0415

    html = programme_report(store, **options)  # type: ignore[arg-type]
    target = Path(path)
    with atomic_write(target, private=bool(options.get("reveal_personal_data"))) as stream:
        stream.write(html.encode("utf-8"))
    return target
