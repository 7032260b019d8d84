"""What every use case shares: the registry, listeners, digests and the replay of a run."""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from umkm_core.adapters.exchange import ImportedRow, read_rows
from umkm_core.adapters.program_file import ProgramFile, parse_program_file
from umkm_core.adapters.roster import RefusedRow, RosterInput, RowProblem
from umkm_core.allocation import Allocation, Enrollments, EnrollmentStatus, allocate
from umkm_core.allocation.policy import policy_from_data
from umkm_core.errors import StateError
from umkm_core.model.business import Business
from umkm_core.model.program import PastEnrollment, Program
from umkm_core.store import EnrollmentState, RecordedDecision, RecordedRun, UnitOfWork
from umkm_core.text import Text

if TYPE_CHECKING:
    from umkm_core._plugins import Registry

__all__ = ["Listener"]


def _ignore_progress(task: Text, done: int, total: int | None) -> None:
    return None


def _ignore_message(text: Text) -> None:
    return None


@attrs.frozen(kw_only=True)
class Listener:
    """Where a use case reports progress and messages; services never print.

    :param progress: called with a task's name, how many items are done and the total
        (``None`` when unknown), as work advances.
    :param message: called with something worth telling the user (bilingual).
    """

    progress: Callable[[Text, int, int | None], None] = _ignore_progress
    message: Callable[[Text], None] = _ignore_message


QUIET = Listener()


def registry_or_default(registry: Registry | None) -> Registry:
    """``registry``, or the registry of the built-ins and installed plugins."""
    if registry is not None:
        return registry
    from umkm_core._plugins import load_registry  # noqa: PLC0415 - import cost

    return load_registry()


def engine_version() -> str:
    """The version of umkm_core that decides."""
    try:
        return importlib.metadata.version("umkm-core")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - source tree
        return "0+unknown"


def digest_text(text: str) -> str:
    """SHA-256 of ``text`` (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest_items(items: Iterable[object]) -> str:
    """SHA-256 over the ``repr`` of each item, in order: a fingerprint of an input."""
    h = hashlib.sha256()
    for item in items:
        h.update(repr(item).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def file_rows(registry: Registry, path: Path) -> Iterator[RosterInput]:
    """The rows of a table file through the importer plugin for its extension."""
    importer = registry.importer_for(path)
    for result in read_rows(path, importer):
        if isinstance(result, ImportedRow):
            yield result.row, result.values
        else:
            yield RefusedRow(
                row=result.row,
                problems=(RowProblem.from_error(result.row, None, None, result.error),),
            )


def read_programme(source: str, name: str, registry: Registry) -> ProgramFile:
    """A programme file's text, read with the registry's rules and sectors."""
    return parse_program_file(
        source,
        source=name,
        factories=registry.rules.values(),
        sectors=registry.sectors,
        steps=registry.steps,
    )


def not_found(what: str, key: str) -> StateError:
    """``<what>.not_found`` for an id the store does not know."""
    texts = {
        "programme": Text("Program tidak terdaftar.", "The programme is not registered."),
        "business": Text("Usaha tidak ada di register.", "The business is not in the register."),
        "run": Text(
            "Belum ada hasil seleksi tercatat untuk program ini.",
            "No allocation run is recorded for this programme.",
        ),
    }
    text = texts[what]
    return StateError(f"{what}.not_found", field=key, id=text.id, en=text.en)


def history_for(
    uow: UnitOfWork, program_id: str, registry: Registry
) -> tuple[PastEnrollment, ...]:
    """Earlier programmes the businesses attended, from the record (for history rules)."""
    past: list[PastEnrollment] = []
    for other in uow.programmes.ids():
        if other == program_id:
            continue
        state = uow.enrollments.get(other)
        record = uow.programmes.get(other)
        if state is None or record is None:
            continue
        program = read_programme(record.source, record.source_name, registry).program
        last_day = max(w.end for w in program.waves)
        for entry in state.entries:
            if entry.attended or entry.status is EnrollmentStatus.COMPLETED:
                ended = max(entry.attended) if entry.attended else last_day
                past.append(
                    PastEnrollment(
                        business_id=entry.business_id,
                        program_id=other,
                        kind=program.kind,
                        ended_on=ended,
                    )
                )
    return tuple(past)


def replay(uow: UnitOfWork, run: RecordedRun, registry: Registry) -> Allocation:
    """Decide a recorded run again from its recorded inputs, checking it decides the same.

    Seat changes need the engine's judgements (who may take a freed seat); they come
    from the run's own inputs in the store, never from today's files.

    :raises StateError: ``run.replay_differs`` when this engine decides otherwise (a new
        umkm_core version or rule plugin changed a rule): the recorded decisions stand,
        and seats cannot be changed automatically.
    """
    parsed = read_programme(run.programme_source, run.program_id, registry)
    businesses: list[Business] = []
    for business_id, version in run.business_versions.items():
        found = uow.businesses.get(business_id, version)
        if found is not None:
            businesses.append(found.business)
    allocation = allocate(
        parsed.program,
        run.applications,
        businesses,
        as_of=run.as_of,
        policy=policy_from_data(run.policy),
        history=run.history,
    )
    again = tuple(RecordedDecision.of(d) for d in allocation.decisions)
    if again != run.decisions:
        raise StateError(
            "run.replay_differs",
            field=run.run_id,
            id="Mesin seleksi ini memutuskan lain dari hasil yang tercatat; kursi tidak "
            "dapat diubah otomatis.",
            en="This engine decides differently from the recorded run; seats cannot be "
            "changed automatically.",
        )
    return allocation


def roster_of(
    uow: UnitOfWork, program_id: str, registry: Registry
) -> tuple[EnrollmentState, Enrollments]:
    """The stored roster of ``program_id`` and the live :class:`Enrollments` over it."""
    state = uow.enrollments.get(program_id)
    if state is None:
        raise not_found("run", program_id)
    run = uow.runs.get(state.run_id)
    if run is None:  # pragma: no cover - the store keeps runs it points at
        raise not_found("run", state.run_id)
    allocation = replay(uow, run, registry)
    return state, Enrollments(allocation=allocation, entries=state.entries)


def applications_zone(program: Program) -> str:
    """The zone of application times written without one: the first session's, else WIB."""
    first = program.waves[0]
    return first.sessions[0].time_zone if first.sessions else "Asia/Jakarta"
