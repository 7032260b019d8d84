"""Applications as an office receives them: rows of a form export or a spreadsheet.

Each row names a business of the register, when it applied and, optionally, the waves
it wants (most wanted first) and a priority tier. Rows become
:class:`~umkm_core.model.application.Application` objects or are refused with every
problem, exactly like roster rows (:mod:`umkm_core.adapters.roster`): nothing is lost silently.
A second application of the same business is *not* refused here: deciding what happens
to it is the allocation's job, which reports it with a reason.

>>> report = read_applications(
...     [(2, {"No Registrasi": "TNG-00001", "Waktu Daftar": "20/11/2017 09:11",
...           "Gelombang": "1"})],
...     program_id="tng-2017-pud",
... )
>>> a = report.applications[0]
>>> a.business_id, a.applied_at.isoformat(), a.waves
('TNG-00001', '2017-11-20T09:11:00+07:00', (1,))
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from umkm_core.adapters._rows import FieldCells, sort_rows
from umkm_core.adapters.roster import Cell, RefusedRow, RosterInput, RowProblem, normalise_header
from umkm_core.errors import ValidationError
from umkm_core.model.application import Application
from umkm_core.model.program import DEFAULT_TIME_ZONE

__all__ = ["ApplicationsReport", "read_applications"]

_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "business_id": ("business_id", "no_registrasi", "nomor_registrasi", "kode_binaan", "id"),
    "applied_at": ("applied_at", "waktu_daftar", "tanggal_daftar", "waktu", "timestamp"),
    "waves": ("waves", "wave", "gelombang", "pilihan_gelombang"),
    "tier": ("tier", "prioritas", "priority"),
}
_ALIASES: Final[dict[str, str]] = {
    normalise_header(alias): field for field, aliases in _COLUMNS.items() for alias in aliases
}
_DMY = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T](\d{1,2})[:.](\d{2})(?::(\d{2}))?)?$"
)
_WAVE_SPLIT = re.compile(r"[;,/|\s]+")
# Wave numbers and tiers are small; longer digit runs are junk (and past 4,300 digits,
# int() itself would refuse them with a bare ValueError).
_DIGITS = 9


@attrs.frozen(kw_only=True)
class ApplicationsReport:
    """Every row read: an application, or a refusal with every problem.

    :param applications: in input order.
    :param refused: the refused rows, in input order.
    """

    applications: tuple[Application, ...]
    refused: tuple[RefusedRow, ...]

    @property
    def rows_read(self) -> int:
        """Applications + refused rows."""
        return len(self.applications) + len(self.refused)


def _bad(code: str, id: str, en: str) -> ValidationError:
    return ValidationError(code, id=id, en=en)


def _parse_moment(cell: Cell, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    moment: dt.datetime | None = None
    if isinstance(cell, dt.datetime):
        moment = cell
    elif isinstance(cell, dt.date):
        moment = dt.datetime.combine(cell, dt.time())
    elif isinstance(cell, str):
        text = cell.strip()
        if m := _DMY.match(text):
            # Indonesian order: day first.
            try:
                moment = dt.datetime(
                    int(m[3]), int(m[2]), int(m[1]), int(m[4] or 0), int(m[5] or 0), int(m[6] or 0)
                )
            except ValueError:
                moment = None
        else:
            try:
                moment = dt.datetime.fromisoformat(text)
            except ValueError:
                moment = None
    if moment is None:
        raise _bad(
            "application.bad_time",
            "Waktu pendaftaran tidak terbaca (contoh: 2017-11-20T09:11:00+07:00 atau "
            "20/11/2017 09:11).",
            "Unreadable application time (e.g. 2017-11-20T09:11:00+07:00 or 20/11/2017 09:11).",
        )
    # A form export without a zone means the office's local time.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def _wave_number(part: object) -> int:
    if isinstance(part, float) and part.is_integer():
        return _wave_number(int(part))
    if isinstance(part, str) and part.isascii() and part.isdigit() and len(part) <= _DIGITS:
        return _wave_number(int(part))
    if isinstance(part, bool) or not isinstance(part, int) or part < 1:
        raise _bad(
            "application.bad_wave",
            "Gelombang harus nomor (contoh: 1 atau 1,2).",
            "Waves must be numbers (e.g. 1 or 1,2).",
        )
    return part


def _parse_waves(cell: Cell) -> tuple[int, ...]:
    if isinstance(cell, str):
        return tuple(_wave_number(p) for p in _WAVE_SPLIT.split(cell.strip()) if p)
    return (_wave_number(cell),)


def _parse_tier(cell: Cell) -> int:
    text = cell.strip() if isinstance(cell, str) else ""
    if text.isascii() and text.isdigit() and len(text) <= _DIGITS:
        return int(text)
    if isinstance(cell, int) and not isinstance(cell, bool) and cell >= 0:
        return cell
    raise _bad(
        "application.bad_tier",
        "Prioritas harus bilangan bulat 0 atau lebih.",
        "The priority tier must be a whole number of 0 or more.",
    )


def _parse_id(cell: Cell) -> str:
    if isinstance(cell, str) and cell.strip():
        return cell.strip()
    raise _bad("application.bad_business_id", "Nomor register tidak sah.", "Invalid register id.")


def _read(
    row: int, cells: Mapping[str, Cell], program_id: str, zone: zoneinfo.ZoneInfo
) -> Application | RefusedRow:
    fields = FieldCells(row, cells, _ALIASES)
    business_id = fields.get("business_id", _parse_id)
    applied_at = fields.get("applied_at", lambda c: _parse_moment(c, zone))
    waves = fields.get("waves", _parse_waves) or ()
    tier = fields.get("tier", _parse_tier)
    fields.require(
        {
            "business_id": ("nomor register usaha", "the business's register id"),
            "applied_at": ("waktu pendaftaran", "the application time"),
        }
    )
    if fields.problems or business_id is None or applied_at is None:
        return fields.refused()
    try:
        return Application(
            business_id=business_id,
            program_id=program_id,
            applied_at=applied_at,
            waves=waves,
            tier=tier,
        )
    except ValidationError as exc:
        return RefusedRow(row=row, problems=(RowProblem.from_error(row, None, exc.field, exc),))


def read_applications(
    rows: Iterable[RosterInput], *, program_id: str, time_zone: str = DEFAULT_TIME_ZONE
) -> ApplicationsReport:
    """Read application rows for one programme.

    Headers (any case and punctuation): ``no_registrasi`` / ``business_id``,
    ``waktu_daftar`` / ``applied_at``, optional ``gelombang`` / ``waves`` (``1`` or
    ``2,1``) and ``prioritas`` / ``tier``. Times without a zone are local time in
    ``time_zone``; dates with slashes are day first.

    :param rows: ``(row_number, {header: cell})`` pairs, or rows a reader refused.
    :param program_id: the programme applied to.
    :param time_zone: the zone of times written without one (WIB by default).
    :returns: the applications and the refused rows.
    """
    zone = zoneinfo.ZoneInfo(time_zone)
    applications, refused = sort_rows(rows, lambda row, cells: _read(row, cells, program_id, zone))
    return ApplicationsReport(applications=applications, refused=refused)
