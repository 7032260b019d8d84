"""A business's history across programmes, from the record, in time order."""

from __future__ import annotations

import datetime as dt

import attrs

from umkm_core.store import Store
from umkm_core.text import Text

__all__ = ["HistoryEntry", "business_history"]


@attrs.frozen(kw_only=True)
class HistoryEntry:
    """One thing that happened to a business.

    :param at: when (aware).
    :param what: a stable code (``"business.version"``, ``"application"``,
        ``"decision.accepted"``, ``"enrollment.withdrawn"``, ``"step.granted"``...).
    :param program_id: the programme concerned, if any.
    :param text: the entry in words.
    :param by: who made it, where recorded.
    """

    at: dt.datetime
    what: str
    text: Text
    program_id: str | None = None
    by: str | None = None


def business_history(store: Store, business_id: str) -> tuple[HistoryEntry, ...]:
    """Every recorded event of ``business_id`` across programmes, oldest first.

    Versions of its register entry, applications, decisions of every run, enrolment
    events (confirmations, withdrawals, promotions, attendance) and follow-up steps.
    """
    entries: list[HistoryEntry] = []
    with store.unit_of_work(by="umkm_core.history") as uow:
        for v in uow.businesses.versions(business_id):
            entries.append(HistoryEntry(
                at=v.recorded_at, what="business.version", by=v.by,
                text=Text(f"Data usaha versi {v.version}", f"Register entry version {v.version}"),
            ))  # fmt: skip
        for program_id in uow.programmes.ids():
            for app in uow.applications.of_programme(program_id):
                if app.business_id == business_id:
                    entries.append(HistoryEntry(
                        at=app.applied_at, what="application", program_id=program_id,
                        text=Text(f"Mendaftar ke {program_id}", f"Applied to {program_id}"),
                    ))  # fmt: skip
            for run in uow.runs.of_programme(program_id):
                for d in run.decisions_of(business_id):
                    entries.append(HistoryEntry(
                        at=run.recorded_at, what=f"decision.{d.status}", program_id=program_id,
                        by=run.by, text=Text(d.explain("id"), d.explain("en")),
                    ))  # fmt: skip
        for program_id, event in uow.enrollments.events(business_id=business_id):
            entries.append(HistoryEntry(
                at=event.at, what=f"enrollment.{event.what}", program_id=program_id,
                by=event.by, text=event.text,
            ))  # fmt: skip
        for record in uow.steps.history(business_id):
            day = record.reached_on or record.planned_on
            entries.append(HistoryEntry(
                at=dt.datetime.combine(day, dt.time(), dt.UTC), what=f"step.{record.status.value}",
                text=Text(f"{record.kind.code}: {record.status.value}",
                          f"{record.kind.code}: {record.status.value}"),
            ))  # fmt: skip
    return tuple(sorted(entries, key=lambda e: e.at))
