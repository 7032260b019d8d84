"""Tables of what the record holds: a run's decisions, refused rows, a follow-up plan.

Each function builds a :class:`~umkm_core.adapters.tables.Table` that any registered
exporter writes. Rows are produced from the records on every iteration, so the same
table can be exported to several formats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence

from umkm_core.adapters.roster import RowProblem
from umkm_core.adapters.tables import OUTCOME_LABELS, Cell, Column, ColumnType, Table
from umkm_core.model.business import Business
from umkm_core.store import RecordedRun
from umkm_core.text import Text

__all__ = ["PlannedStep", "decisions_table", "plan_table", "problems_table"]

#: One planned step: business id, business name, sector, pathway code, step code, day.
PlannedStep = tuple[str, str | None, str, str, str, dt.date]


def problems_table(problems: Sequence[RowProblem]) -> Table:
    """The refused rows of an import: row, column, field, code and message."""
    columns = (
        Column(name="row", title=Text("Baris", "Row"), type=ColumnType.INTEGER, nullable=False),
        Column(name="column", title=Text("Kolom", "Column")),
        Column(name="field", title=Text("Isian", "Field")),
        Column(name="code", title=Text("Kode", "Code"), nullable=False),
        Column(name="message_id", title=Text("Pesan", "Message (Indonesian)"), nullable=False),
        Column(name="message_en", title=Text("Pesan (Inggris)", "Message"), nullable=False),
    )
    return Table(
        name="import_problems",
        columns=columns,
        rows=[(p.row, p.column, p.field, p.code, p.message.id, p.message.en) for p in problems],
        title=Text("Baris roster yang ditolak", "Refused roster rows"),
    )


def decisions_table(run: RecordedRun, businesses: Mapping[str, Business]) -> Table:
    """Every decision of a recorded run, with its reasons in both languages."""
    columns = (
        Column(name="business_id", title=Text("No registrasi", "Business id"), nullable=False),
        Column(name="business_name", title=Text("Nama usaha", "Business name")),
        Column(
            name="applied_at",
            title=Text("Waktu daftar", "Applied at"),
            type=ColumnType.DATETIME,
            nullable=False,
        ),
        Column(
            name="status",
            title=Text("Keputusan", "Decision"),
            nullable=False,
            labels=OUTCOME_LABELS,
        ),
        Column(name="wave", title=Text("Gelombang", "Wave"), type=ColumnType.INTEGER),
        Column(
            name="waitlist_position",
            title=Text("Urutan tunggu", "Waitlist position"),
            type=ColumnType.INTEGER,
        ),
        Column(name="reason_codes", title=Text("Kode alasan", "Reason codes")),
        Column(name="reasons_id", title=Text("Alasan", "Reasons (Indonesian)")),
        Column(name="reasons_en", title=Text("Alasan (Inggris)", "Reasons")),
    )

    def rows() -> Iterator[tuple[Cell, ...]]:
        for d in run.decisions:
            business = businesses.get(d.business_id)
            yield (
                d.business_id,
                business.name if business else None,
                d.applied_at,
                d.status,
                d.wave,
                d.position,
                " ".join(sorted({r.code for r in d.reasons})) or None,
                " | ".join(r.get("id") for r in d.reasons) or None,
                " | ".join(r.get("en") for r in d.reasons) or None,
            )

    return Table(
        name="decisions",
        columns=columns,
        rows=rows,
        title=Text("Keputusan seleksi peserta", "Allocation decisions"),
    )


def plan_table(rows: Sequence[PlannedStep]) -> Table:
    """A follow-up plan: one row per step a participant can start."""
    columns = (
        Column(name="business_id", title=Text("No registrasi", "Business id"), nullable=False),
        Column(name="business_name", title=Text("Nama usaha", "Business name")),
        Column(name="sector", title=Text("Sektor", "Sector"), nullable=False),
        Column(name="pathway", title=Text("Jalur", "Pathway"), nullable=False),
        Column(name="step", title=Text("Langkah", "Step"), nullable=False),
        Column(
            name="planned_on",
            title=Text("Direncanakan", "Planned on"),
            type=ColumnType.DATE,
            nullable=False,
        ),
    )
    return Table(
        name="followup_plan",
        columns=columns,
        rows=list(rows),
        title=Text("Rencana tindak lanjut", "Follow-up plan"),
    )
