"""Follow-up progress as an office keeps it: one row per business and certification step.

Offices track who got which certificate in a spreadsheet: the register number, the step
(``packaging``, ``halal``, ``trademark``...), where it stands and since when, the filing
date and the certificate number. :func:`read_step_records` turns those rows into
:class:`~umkm_core.followup.StepRecord` objects, replaying the transitions the status
implies (a ``granted`` row was planned, started, submitted and granted), or refuses the
row with every problem, like roster rows (:mod:`umkm_core.adapters.roster`).

>>> report = read_step_records([
...     (2, {"No Registrasi": "TNG-00001", "Langkah": "halal", "Status": "granted",
...          "Tanggal": "01/06/2018", "Diajukan": "2018-04-02", "Jalur": "regular",
...          "Nomor Sertifikat": "MUI-00001"}),
... ])
>>> record = report.records[0]
>>> record.status.value, record.granted_on.isoformat(), record.route
('granted', '2018-06-01', 'regular')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from umkm_core.adapters._rows import FieldCells, sort_rows
from umkm_core.adapters.roster import Cell, RefusedRow, RosterInput, RowProblem, normalise_header
from umkm_core.adapters.roster import _parse_date as parse_date
from umkm_core.errors import StateError, UmkmError, ValidationError
from umkm_core.followup import BUILTIN_STEP_KINDS, StepKind, StepRecord, StepStatus

__all__ = ["StepRowsReport", "read_step_records"]

_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "business_id": ("business_id", "no_registrasi", "nomor_registrasi", "kode_binaan", "id"),
    "step": ("step", "langkah", "sertifikasi", "kode_langkah"),
    "status": ("status", "tahap", "keadaan"),
    "date": ("date", "tanggal", "tanggal_status", "per_tanggal"),
    "submitted_on": ("submitted_on", "diajukan", "tanggal_pengajuan", "filed_on"),
    "certificate_number": ("certificate_number", "nomor_sertifikat", "no_sertifikat"),
    "route": ("route", "jalur"),
}
_ALIASES: Final[dict[str, str]] = {
    normalise_header(alias): field for field, aliases in _COLUMNS.items() for alias in aliases
}
_STATUSES: Final[dict[str, StepStatus]] = {
    **{normalise_header(s.value): s for s in StepStatus},
    "rencana": StepStatus.PLANNED,
    "direncanakan": StepStatus.PLANNED,
    "proses": StepStatus.IN_PROGRESS,
    "dalamproses": StepStatus.IN_PROGRESS,
    "diajukan": StepStatus.SUBMITTED,
    "terbit": StepStatus.GRANTED,
    "selesai": StepStatus.GRANTED,
    "ditolak": StepStatus.REJECTED,
    "dibebaskan": StepStatus.WAIVED,
}


@attrs.frozen(kw_only=True)
class StepRowsReport:
    """Every row read: a step record, or a refusal with every problem.

    :param records: in input order.
    :param refused: the refused rows, in input order.
    """

    records: tuple[StepRecord, ...]
    refused: tuple[RefusedRow, ...]

    @property
    def rows_read(self) -> int:
        """Records + refused rows."""
        return len(self.records) + len(self.refused)


def _text(cell: Cell) -> str:
    if isinstance(cell, str) and cell.strip():
        return cell.strip()
    raise ValidationError("step_row.bad_text", id="Isian harus teks.", en="Must be text.")


def _status(cell: Cell) -> StepStatus:
    key = normalise_header(cell) if isinstance(cell, str) else ""
    if key not in _STATUSES:
        names = ", ".join(s.value for s in StepStatus)
        raise ValidationError(
            "step_row.bad_status",
            id=f"Status tidak dikenal (salah satu dari: {names}).",
            en=f"Unknown status (one of: {names}).",
        )
    return _STATUSES[key]


def _build(
    business_id: str,
    kind: StepKind,
    status: StepStatus,
    day: dt.date,
    *,
    submitted: dt.date | None,
    number: str | None,
    route: str | None,
) -> StepRecord:
    """Replay the transitions that lead to ``status`` (all on ``day`` unless filed earlier)."""
    filed = submitted or day
    record = StepRecord.plan(business_id=business_id, kind=kind, on=min(filed, day))
    if status is StepStatus.PLANNED:
        return record
    if status is StepStatus.WAIVED:
        return record.waive(day)
    record = record.start(min(filed, day))
    if status is StepStatus.IN_PROGRESS:
        return record
    record = record.submit(filed, route=route)
    if status is StepStatus.SUBMITTED:
        return record
    if status is StepStatus.REJECTED:
        return record.reject(day)
    return record.grant(day, certificate_number=number)


def _read(
    row: int, cells: Mapping[str, Cell], kinds: Mapping[str, StepKind]
) -> StepRecord | RefusedRow:
    fields = FieldCells(row, cells, _ALIASES)

    def kind_of(cell: Cell) -> StepKind:
        code = _text(cell)
        if code not in kinds:
            known = ", ".join(sorted(kinds))
            raise ValidationError(
                "step_row.unknown_step",
                id=f"Langkah tidak dikenal. Dikenal: {known}.",
                en=f"Unknown step. Known: {known}.",
            )
        return kinds[code]

    business_id = fields.get("business_id", _text)
    kind = fields.get("step", kind_of)
    status = fields.get("status", _status)
    day = fields.get("date", parse_date)
    submitted = fields.get("submitted_on", parse_date)
    number = fields.get("certificate_number", _text)
    route = fields.get("route", _text)
    fields.require(
        {
            "business_id": ("nomor register usaha", "the business's register id"),
            "step": ("langkah", "the step"),
            "status": ("status", "the status"),
            "date": ("tanggal", "the date"),
        }
    )
    if fields.problems or business_id is None or kind is None or status is None or day is None:
        return fields.refused()
    try:
        return _build(
            business_id, kind, status, day, submitted=submitted, number=number, route=route
        )
    except (ValidationError, StateError) as exc:
        return RefusedRow(row=row, problems=(_problem(row, exc),))


def _problem(row: int, error: UmkmError) -> RowProblem:
    return RowProblem(row=row, column=None, field=error.field, code=error.code,
                      message=error.text)  # fmt: skip


def read_step_records(
    rows: Iterable[RosterInput], *, steps: Iterable[StepKind] | None = None
) -> StepRowsReport:
    """Read follow-up progress rows into step records.

    Headers (any case and punctuation): ``no_registrasi`` / ``business_id``,
    ``langkah`` / ``step`` (a step code), ``status`` (``planned``, ``in_progress``,
    ``submitted``, ``granted``, ``rejected``, ``waived``, or ``rencana``, ``proses``,
    ``diajukan``, ``terbit``, ``ditolak``, ``dibebaskan``), ``tanggal`` / ``date`` (when
    the status was reached), optional ``diajukan`` / ``submitted_on`` (the filing date,
    from which a trademark's ten years run), ``nomor_sertifikat`` and ``jalur`` / ``route``.

    :param rows: ``(row_number, {header: cell})`` pairs, or rows a reader refused.
    :param steps: the known step kinds (the plugin registry's); the built-ins by default.
    :returns: the records and the refused rows.
    """
    kinds = {k.code: k for k in (steps if steps is not None else BUILTIN_STEP_KINDS)}
    records, refused = sort_rows(rows, lambda row, cells: _read(row, cells, kinds))
    return StepRowsReport(records=records, refused=refused)
