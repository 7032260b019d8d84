"""Use cases of seats: allocate and record the run, explain from it, change seats.

A run is recorded whole (inputs' digests, policy, seed, as-of date, engine version,
every decision and reason) and never changed; explanations are read from it, so a file
edited afterwards changes nothing that was decided. Seat changes (confirm, withdraw with
automatic promotion, attend, complete, no-show) lock the programme's roster for the
length of their transaction, so two clerks never give the same seat away twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

import attrs

from umkm_core.allocation import Allocation, Change, Enrollments
from umkm_core.errors import StateError
from umkm_core.services._common import (
    digest_items,
    engine_version,
    history_for,
    not_found,
    read_programme,
    registry_or_default,
    roster_of,
)
from umkm_core.store import EnrollmentState, RecordedDecision, RecordedRun, Store
from umkm_core.text import Lang, Text

if TYPE_CHECKING:
    from umkm_core._plugins import Registry

__all__ = [
    "AllocationOutcome",
    "Explanation",
    "SeatChange",
    "allocate_programme",
    "attend",
    "complete",
    "confirm",
    "explain",
    "no_show",
    "withdraw",
]


@attrs.frozen(kw_only=True)
class AllocationOutcome:
    """What :func:`allocate_programme` decided and recorded.

    :param run: the recorded run.
    :param allocation: the engine's allocation (with every decision and reason).
    """

    run: RecordedRun
    allocation: Allocation


def allocate_programme(
    store: Store,
    program_id: str,
    *,
    by: str,
    at: dt.datetime | None = None,
    registry: Registry | None = None,
    as_of: dt.date | None = None,
    run_id: str | None = None,
    replace_roster: bool = False,
) -> AllocationOutcome:
    """Allocate the seats of a registered programme and record the run.

    The applications, the register and the enrolment history (for rules such as
    ``not_attended_within``) come from the store. The date rules are judged on is, in
    order: ``as_of``, the programme file's ``[allocation] as_of``, the first day of the
    first wave. The roster starts from the run: offered seats and the waitlist.

    :param replace_roster: allocate again although seats of the current roster were
        already confirmed, withdrawn or attended (the earlier run stays recorded).
    :returns: the recorded run and the allocation.
    :raises StateError: ``programme.not_found``; ``allocation.roster_in_use`` when the
        roster was already changed and ``replace_roster`` is not set.
    """
    registry = registry_or_default(registry)
    with store.unit_of_work(by=by, at=at) as uow:
        uow.lock_programme(program_id)
        record = uow.programmes.get(program_id)
        if record is None:
            raise not_found("programme", program_id)
        current = uow.enrollments.get(program_id)
        if current is not None and current.revision > 1 and not replace_roster:
            raise StateError(
                "allocation.roster_in_use",
                field=program_id,
                id="Daftar peserta sudah diubah (konfirmasi, pengunduran diri, kehadiran); "
                "seleksi ulang harus diminta secara tegas.",
                en="The roster was already changed (confirmations, withdrawals, "
                "attendance); allocating again must be asked for explicitly.",
            )
        parsed = read_programme(record.source, record.source_name, registry)
        program = parsed.program
        applications = uow.applications.of_programme(program_id)
        wanted = {a.business_id for a in applications}
        versions = {b: v for b in sorted(wanted) if (v := uow.businesses.get(b)) is not None}
        businesses = [v.business for v in versions.values()]
        history = tuple(
            p for p in history_for(uow, program_id, registry) if p.business_id in wanted
        )
        day = as_of or parsed.as_of or min(w.start for w in program.waves)
        from umkm_core.allocation import FirstComeFirstServed, allocate  # noqa: PLC0415

        policy = parsed.policy if parsed.policy is not None else FirstComeFirstServed()
        allocation = allocate(
            program, applications, businesses, as_of=day, policy=policy, history=history
        )
        run = RecordedRun(
            run_id=run_id or f"{program_id}-{uuid.uuid4().hex[:12]}",
            program_id=program_id,
            programme_source=record.source,
            programme_digest=record.digest,
            as_of=day,
            policy=policy.to_data(),
            engine_version=engine_version(),
            inputs={
                "programme": record.digest,
                "applications": digest_items(applications),
                "register": digest_items(sorted((b, v.version) for b, v in versions.items())),
                "history": digest_items(history),
            },
            applications=applications,
            business_versions={b: v.version for b, v in versions.items()},
            history=history,
            decisions=tuple(RecordedDecision.of(d) for d in allocation.decisions),
            recorded_at=uow.now(),
            by=by,
        )
        uow.runs.add(run)
        roster = Enrollments.from_allocation(allocation)
        revision = 1 if current is None else current.revision + 1
        uow.enrollments.put(
            EnrollmentState(
                program_id=program_id, run_id=run.run_id, entries=roster.entries, revision=revision
            )
        )
        uow.commit()
    return AllocationOutcome(run=run, allocation=allocation)


@attrs.frozen(kw_only=True)
class Explanation:
    """Why a business got what it got, read from the recorded run.

    :param run: the run that decided.
    :param decisions: the decisions about the business in that run.
    :param changed_inputs: inputs that differ today from what the run read
        (``"programme"``, ``"business"``): the decision stands as recorded.
    """

    run: RecordedRun
    decisions: tuple[RecordedDecision, ...]
    changed_inputs: tuple[str, ...] = ()

    def format(self, lang: Lang | str = "id") -> str:
        """The explanation in words."""
        lines = [d.explain(lang) for d in self.decisions]
        lines.append(
            Text(
                f"Hasil seleksi {self.run.run_id}; syarat dinilai per "
                f"{self.run.as_of.isoformat()}.",
                f"Allocation run {self.run.run_id}; rules judged on {self.run.as_of.isoformat()}.",
            ).get(lang)
        )
        for name in self.changed_inputs:
            note = {
                "programme": Text(
                    "Catatan: berkas program telah berubah sejak seleksi ini; keputusan "
                    "tetap seperti tercatat.",
                    "Note: the programme file changed since this run; the decision stands "
                    "as recorded.",
                ),
                "business": Text(
                    "Catatan: data usaha telah berubah sejak seleksi ini; keputusan tetap "
                    "seperti tercatat.",
                    "Note: the business's data changed since this run; the decision "
                    "stands as recorded.",
                ),
            }[name]
            lines.append(note.get(lang))
        return "\n".join(lines)


def explain(
    store: Store, business_id: str, *, program_id: str | None = None, run_id: str | None = None
) -> Explanation:
    """Why ``business_id`` was accepted, waitlisted or refused: from the recorded run.

    :param program_id: the programme (its current roster's run), or
    :param run_id: a particular run.
    :raises StateError: ``run.not_found``; ``allocation.no_application`` when the business
        did not apply in that run.
    """
    with store.unit_of_work(by="umkm_core.explain") as uow:
        if run_id is not None:
            run = uow.runs.get(run_id)
        elif program_id is not None:
            state = uow.enrollments.get(program_id)
            run = uow.runs.get(state.run_id) if state is not None else None
        else:
            raise TypeError("explain() needs program_id or run_id")
        if run is None:
            raise not_found("run", run_id or program_id or "")
        decisions = run.decisions_of(business_id)
        if not decisions:
            raise StateError(
                "allocation.no_application",
                field=business_id,
                id="Usaha ini tidak mendaftar pada seleksi ini.",
                en="This business did not apply in this run.",
            )
        changed: list[str] = []
        record = uow.programmes.get(run.program_id)
        if record is not None and record.digest != run.programme_digest:
            changed.append("programme")
        latest = uow.businesses.get(business_id)
        if latest is not None and latest.version != run.business_versions.get(business_id):
            changed.append("business")
    return Explanation(run=run, decisions=decisions, changed_inputs=tuple(changed))


def _change(
    store: Store,
    program_id: str,
    operation: Callable[[Enrollments, dt.datetime], Change],
    *,
    by: str,
    at: dt.datetime | None,
    registry: Registry | None,
) -> Change:
    registry = registry_or_default(registry)
    with store.unit_of_work(by=by, at=at) as uow:
        uow.lock_programme(program_id)
        state, roster = roster_of(uow, program_id, registry)
        change = operation(roster, uow.now())
        uow.enrollments.put(
            attrs.evolve(state, entries=change.state.entries, revision=state.revision + 1),
            change.events,
        )
        uow.commit()
    return change


class SeatChange(Protocol):
    """A seat change of one business: confirm, withdraw, complete or no-show."""

    def __call__(
        self,
        store: Store,
        program_id: str,
        business_id: str,
        *,
        by: str,
        at: dt.datetime | None = None,
        wave: int | None = None,
        registry: Registry | None = None,
    ) -> Change:
        """Change the seat; ``wave`` picks it when the business holds several."""
        ...


def _seat_change(name: str, doc: str) -> SeatChange:
    def change(
        store: Store,
        program_id: str,
        business_id: str,
        *,
        by: str,
        at: dt.datetime | None = None,
        wave: int | None = None,
        registry: Registry | None = None,
    ) -> Change:
        def operation(roster: Enrollments, now: dt.datetime) -> Change:
            method: Callable[..., Change] = getattr(roster, name)
            return method(business_id, at=now, by=by, wave=wave)

        return _change(store, program_id, operation, by=by, at=at, registry=registry)

    change.__name__ = change.__qualname__ = name
    change.__doc__ = doc
    return change


confirm = _seat_change(
    "confirm",
    """The business confirms its offered seat.

    :raises StateError: unless it holds an offered seat (``enrollment.*``), or
        ``run.not_found`` before the programme was allocated.
    """,
)
withdraw = _seat_change(
    "withdraw",
    """The business withdraws; a freed seat goes to the next eligible waiting applicant.

    A business that withdrew is not promoted again in the same programme.

    :returns: the change: the withdrawal event first, then every promotion.
    """,
)
complete = _seat_change(
    "complete",
    """Record that the business completed the programme (every session day attended).""",
)
no_show = _seat_change(
    "no_show",
    """Record that the business confirmed but never came (the seat is not given again).""",
)


def attend(
    store: Store,
    program_id: str,
    business_id: str,
    day: dt.date,
    *,
    by: str,
    at: dt.datetime | None = None,
    wave: int | None = None,
    registry: Registry | None = None,
) -> Change:
    """Record that the business attended on ``day`` (a session day of its wave)."""
    return _change(
        store,
        program_id,
        lambda r, now: r.attend(business_id, day, at=now, by=by, wave=wave),
        by=by,
        at=at,
        registry=registry,
    )
