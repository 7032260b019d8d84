"""Use cases that bring data into the record: rosters, programmes, applications, progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from umkm_core.adapters.application_rows import ApplicationsReport, read_applications
from umkm_core.adapters.program_file import read_program_text
from umkm_core.adapters.roster import (
    ImportedBusiness,
    ImportReport,
    RefusedRow,
    RosterInput,
    is_roster_header,
    iter_roster,
)
from umkm_core.adapters.step_rows import StepRowsReport, read_step_records
from umkm_core.services._common import (
    QUIET,
    Listener,
    applications_zone,
    digest_text,
    file_rows,
    not_found,
    read_programme,
    registry_or_default,
)
from umkm_core.store import ProgrammeRecord, Store
from umkm_core.text import Text

if TYPE_CHECKING:
    from umkm_core._plugins import Registry

__all__ = [
    "RecordedApplications",
    "erase_personal_data",
    "import_roster",
    "record_applications",
    "record_progress",
    "register_programme",
]


def _count_lines(path: Path) -> int | None:
    if path.suffix.lower() not in (".csv", ".txt", ".jsonl"):
        return None
    with path.open("rb") as f:
        return max(sum(1 for _ in f) - 1, 0)


def import_roster(
    store: Store,
    source: str | Path,
    *,
    by: str,
    at: dt.datetime | None = None,
    registry: Registry | None = None,
    office_id: str | None = None,
    kbli_edition: int = 2020,
    figures_year: int | None = None,
    listener: Listener = QUIET,
) -> ImportReport:
    """Import a roster file into the register: all of it in one transaction.

    The file is read with the importer plugin for its extension; every registered sector
    (and its aliases) and district table applies, so a sector no plugin registered is
    refused with ``roster.sector_unknown`` and a district no plugin names with
    ``roster.region_unknown``; with a KBLI code list of ``kbli_edition`` registered
    (``umkm_kbli_codes()``), a code it lacks is refused with ``kbli.unknown_code``. Each
    imported business becomes a new version in the register (an unchanged business is
    not written again).

    :param store: the record.
    :param source: the roster file (CSV, XLSX, JSON, JSON Lines, or a plugin's format).
    :param by: who imports (recorded in the audit trail).
    :param at: when (default: now).
    :param registry: the plugin registry (default: built-ins and installed plugins).
    :param office_id: the office the businesses are coached by, when the file omits it.
    :param kbli_edition: the KBLI edition of the file's codes (2020 or 2025).
    :param figures_year: the year the sales and asset figures refer to, for a roster
        without a year column (told once, ``roster.year_missing``, when it is needed).
    :param listener: receives progress.
    :returns: the report: ``imported + refused == rows read``, every bad row with its
        problems.
    :raises ValidationError: problems with the whole file (``importer.*``).
    :raises OSError: the file cannot be read.
    """
    registry = registry_or_default(registry)
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(2, "No such file", str(path))
    total = _count_lines(path)
    task = Text("Impor roster", "Importing roster")
    imported: list[ImportedBusiness] = []
    refused: list[RefusedRow] = []
    headers: dict[str, None] = {}

    def rows() -> Iterator[RosterInput]:
        for item in file_rows(registry, path):
            if not isinstance(item, RefusedRow):
                headers.update(dict.fromkeys(map(str, item[1])))
            yield item

    with store.unit_of_work(by=by, at=at) as uow:
        for i, result in enumerate(
            iter_roster(
                rows(),
                office_id=office_id,
                districts=registry.district_names(),
                sector_aliases=registry.sector_aliases(),
                sectors=registry.sectors,
                kbli_edition=kbli_edition,
                figures_year=figures_year,
                kbli_codes=registry.kbli_code_list(kbli_edition),
            ),
            start=1,
        ):
            if isinstance(result, ImportedBusiness):
                imported.append(result)
            else:
                refused.append(result)
            if i % 500 == 0:
                listener.progress(task, i, total)
        uow.businesses.add_many(b.business for b in imported)
        report = ImportReport(
            imported_rows=tuple(imported),
            refused=tuple(refused),
            ignored_columns=tuple(h for h in headers if not is_roster_header(h)),
        )
        uow.audit.append(
            "roster.imported",
            f"file:{path.name}",
            f"{report.rows_read} rows, {report.imported} imported, {report.refused_count} refused",
        )
        uow.commit()
    listener.progress(task, report.rows_read, report.rows_read)
    return report


def register_programme(
    store: Store,
    source: str | Path,
    *,
    by: str,
    at: dt.datetime | None = None,
    registry: Registry | None = None,
    text: str | None = None,
) -> ProgrammeRecord:
    """Register a programme from its file (TOML), after checking it with the registry.

    :param store: the record.
    :param source: the programme file (or, with ``text``, the name to use in messages).
    :param by: who registers it.
    :param at: when (default: now).
    :param registry: the plugin registry.
    :param text: the file's text, when it is not read from ``source``.
    :returns: the record kept: the file's text and its digest.
    :raises InvalidDocument: every problem of the file, with its key path.
    """
    registry = registry_or_default(registry)
    name = str(source)
    if text is None:
        text = read_program_text(source)
    parsed = read_programme(text, name, registry)
    with store.unit_of_work(by=by, at=at) as uow:
        record = ProgrammeRecord(
            program_id=parsed.program.id,
            office_id=parsed.program.office_id,
            source=text,
            source_name=Path(name).name,
            digest=digest_text(text),
            recorded_at=uow.now(),
            by=by,
        )
        uow.programmes.add(record)
        uow.commit()
    return record


@attrs.frozen(kw_only=True)
class RecordedApplications:
    """What :func:`record_applications` did.

    :param report: the applications read and the refused rows.
    :param added: how many applications were new to the record.
    """

    report: ApplicationsReport
    added: int


def record_applications(
    store: Store,
    program_id: str,
    source: str | Path,
    *,
    by: str,
    at: dt.datetime | None = None,
    registry: Registry | None = None,
) -> RecordedApplications:
    """Record the applications of a file (one row per application) for a programme.

    Times without a zone are read in the zone of the programme's first session (or
    ``Asia/Jakarta``). An application already recorded is not recorded twice.

    :raises StateError: ``programme.not_found``.
    """
    registry = registry_or_default(registry)
    with store.unit_of_work(by=by, at=at) as uow:
        record = uow.programmes.get(program_id)
        if record is None:
            raise not_found("programme", program_id)
        program = read_programme(record.source, record.source_name, registry).program
        zone = applications_zone(program)
        report = read_applications(
            file_rows(registry, Path(source)), program_id=program_id, time_zone=zone
        )
        added = uow.applications.add_many(report.applications)
        uow.commit()
    return RecordedApplications(report=report, added=added)


def record_progress(
    store: Store,
    source: str | Path | Iterable[RosterInput],
    *,
    by: str,
    at: dt.datetime | None = None,
    registry: Registry | None = None,
) -> StepRowsReport:
    """Record follow-up progress rows (step, status, date); bad rows are reported.

    :param source: a progress file, or rows already read.
    :returns: the records recorded and the refused rows with their problems.
    """
    registry = registry_or_default(registry)
    rows = file_rows(registry, Path(source)) if isinstance(source, str | Path) else source
    report = read_step_records(rows, steps=registry.steps.values())
    with store.unit_of_work(by=by, at=at) as uow:
        for record in report.records:
            uow.steps.put(record)
        uow.commit()
    return report


def erase_personal_data(
    store: Store, business_id: str, *, by: str, at: dt.datetime | None = None
) -> int:
    """Erase the owner's personal data from every version of a business (UU 27/2022).

    The name, NIK, phone number and NPWP are replaced by a tombstone; decisions and
    their reasons stay as recorded. The erasure is an audit event.

    :returns: how many versions were changed.
    :raises StateError: ``business.not_found``.
    """
    with store.unit_of_work(by=by, at=at) as uow:
        if uow.businesses.get(business_id) is None:
            raise not_found("business", business_id)
        changed = uow.businesses.erase_personal_data(business_id)
        uow.commit()
    return changed
