"""What an office's record keeps: versions, recorded runs, seat states and an audit trail.

These are the records a :class:`~umkm_core.store.Store` holds, as frozen attrs values with
no I/O. A business is kept as *versions* (a change is a new version, never an
overwrite); an allocation run is kept whole and never changed (its inputs' digests, the
policy, the seed, the date it was judged on, the engine version and every decision with
its reasons); every write adds an :class:`AuditEntry` whose ``digest`` chains it to the one
before, so an edited or deleted entry is detected by :func:`verify_chain`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from attrs.validators import instance_of

from umkm_core.allocation import (
    Accepted,
    Decision,
    Enrollment,
    Refused,
    Waitlisted,
)
from umkm_core.errors import ValidationError
from umkm_core.model.application import Application
from umkm_core.model.business import Business
from umkm_core.model.program import PastEnrollment
from umkm_core.rules import Reason
from umkm_core.text import Text

__all__ = [
    "GENESIS",
    "AuditEntry",
    "BusinessVersion",
    "ChainBreak",
    "EnrollmentState",
    "ProgrammeRecord",
    "RecordedDecision",
    "RecordedRun",
    "chain_digest",
    "check_actor",
    "check_aware",
    "verify_chain",
]

#: The digest the first audit entry chains to.
GENESIS = "0" * 64


def check_aware(value: object, field: str = "at") -> None:
    """Refuse a time without a time zone (``store.naive_datetime``)."""
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValidationError(
            "store.naive_datetime",
            field=field,
            id="Waktu harus memuat zona waktu.",
            en="The time must carry a time zone.",
        )


def check_actor(value: object, field: str = "by") -> None:
    """Refuse a blank actor (``store.blank_actor``): every change names who made it."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            "store.blank_actor",
            field=field,
            id="Pelaku perubahan (by) tidak boleh kosong.",
            en="Who made the change (by) cannot be blank.",
        )


def _aware(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_aware(value, attribute.name)


def _actor(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_actor(value, attribute.name)


@attrs.frozen(kw_only=True)
class BusinessVersion:
    """One version of a business in the register.

    :param business: the business as it stood.
    :param version: 1 for the first, then one more for each change.
    :param recorded_at: when the version was written.
    :param by: who wrote it.
    :param erased: whether the owner's personal data was erased (UU 27/2022).
    """

    business: Business
    version: int = attrs.field(validator=instance_of(int))
    recorded_at: dt.datetime = attrs.field(validator=_aware)
    by: str = attrs.field(validator=_actor)
    erased: bool = False


@attrs.frozen(kw_only=True)
class ProgrammeRecord:
    """A registered programme, kept as the text of its programme file.

    The programme is read again from ``source`` with the registry's rules whenever it is
    needed, so the record never depends on how a rule object serializes.

    :param program_id: the programme's id.
    :param office_id: the office that runs it.
    :param source: the programme file's text (TOML).
    :param source_name: the file name it came from (for messages).
    :param digest: SHA-256 of ``source``.
    :param recorded_at: when it was registered.
    :param by: who registered it.
    """

    program_id: str
    office_id: str
    source: str = attrs.field(repr=False)
    source_name: str
    digest: str
    recorded_at: dt.datetime = attrs.field(validator=_aware)
    by: str = attrs.field(validator=_actor)


@attrs.frozen(kw_only=True)
class RecordedDecision:
    """One decision of a recorded run, as it was made (never recomputed).

    :param business_id: the applicant.
    :param applied_at: when the application arrived.
    :param status: ``"accepted"``, ``"waitlisted"`` or ``"refused"``.
    :param wave: the wave of the seat, when accepted.
    :param position: the waitlist position, when waitlisted.
    :param reasons: every reason, as the engine gave them.
    """

    business_id: str
    applied_at: dt.datetime
    status: str
    wave: int | None = None
    position: int | None = None
    reasons: tuple[Reason, ...] = ()

    @classmethod
    def of(cls, decision: Decision) -> RecordedDecision:
        """The record of an engine decision."""
        outcome = decision.outcome
        app = decision.application
        if isinstance(outcome, Accepted):
            return cls(
                business_id=app.business_id,
                applied_at=app.applied_at,
                status="accepted",
                wave=outcome.wave,
            )
        if isinstance(outcome, Waitlisted):
            return cls(
                business_id=app.business_id,
                applied_at=app.applied_at,
                status="waitlisted",
                position=outcome.position,
                reasons=outcome.reasons,
            )
        assert isinstance(outcome, Refused)
        return cls(
            business_id=app.business_id,
            applied_at=app.applied_at,
            status="refused",
            reasons=outcome.reasons,
        )

    def explain(self, lang: str = "id") -> str:
        """The decision in words, in ``lang``, from the record alone, every reason coded."""
        if self.status == "accepted":
            head = Text(f"Diterima di gelombang {self.wave}.", f"Accepted in wave {self.wave}.")
        elif self.status == "waitlisted":
            head = Text(
                f"Masuk daftar tunggu nomor {self.position}, karena:",
                f"Waitlisted at position {self.position}, because:",
            )
        else:
            head = Text("Ditolak, karena:", "Refused, because:")
        lines = [head.get(lang)]
        for reason in self.reasons:
            where = ""
            if reason.wave is not None:
                where = Text(f" (gelombang {reason.wave})", f" (wave {reason.wave})").get(lang)
            lines.append(f"- {reason.get(lang)}{where} [{reason.code}]")
        return "\n".join(lines)


@attrs.frozen(kw_only=True)
class RecordedRun:
    """An allocation run as it was made: immutable once written.

    :param run_id: the run's id (unique in the store).
    :param program_id: the programme allocated.
    :param programme_source: the programme file's text the run read (replayed from it).
    :param programme_digest: SHA-256 of that text.
    :param as_of: the date the rules were judged on.
    :param policy: the policy's data (``Policy.to_data()``), seed included for a lottery.
    :param engine_version: the umkm_core version that decided.
    :param inputs: the SHA-256 digest of every input (programme, applications,
        register, history), by name.
    :param applications: the applications decided, in input order.
    :param business_versions: the version of each applicant's business that was judged.
    :param history: the earlier enrolments the rules were given.
    :param decisions: every decision, in the engine's order.
    :param recorded_at: when the run was recorded.
    :param by: who ran it.
    """

    run_id: str
    program_id: str
    programme_source: str = attrs.field(repr=False)
    programme_digest: str
    as_of: dt.date
    policy: Mapping[str, object]
    engine_version: str
    inputs: Mapping[str, str]
    applications: tuple[Application, ...] = attrs.field(repr=False)
    business_versions: Mapping[str, int] = attrs.field(repr=False)
    history: tuple[PastEnrollment, ...] = attrs.field(default=(), repr=False)
    decisions: tuple[RecordedDecision, ...] = attrs.field(repr=False)
    recorded_at: dt.datetime = attrs.field(validator=_aware)
    by: str = attrs.field(validator=_actor)

    def decisions_of(self, business_id: str) -> tuple[RecordedDecision, ...]:
        """Every decision about ``business_id`` (one per application)."""
        return tuple(d for d in self.decisions if d.business_id == business_id)

    def counts(self) -> dict[str, int]:
        """How many applications were accepted, waitlisted and refused."""
        counts = {"accepted": 0, "waitlisted": 0, "refused": 0}
        for d in self.decisions:
            counts[d.status] += 1
        return counts


@attrs.frozen(kw_only=True)
class EnrollmentState:
    """The current roster of a programme: the run it grew from and every entry.

    :param program_id: the programme.
    :param run_id: the recorded run the roster started from.
    :param entries: the entries, in the run's policy order.
    :param revision: 1 after allocation, one more after each change.
    """

    program_id: str
    run_id: str
    entries: tuple[Enrollment, ...]
    revision: int = 1


@attrs.frozen(kw_only=True)
class AuditEntry:
    """One write to the record: what, who, when, and a digest that chains it.

    :param sequence: 1 for the first entry, one more each time.
    :param action: what was done (``"business.added"``, ``"run.recorded"``...).
    :param entity: what it concerns (``"business:TNG-00001"``, ``"programme:P-1"``).
    :param by: who did it; never blank.
    :param at: when, with a time zone.
    :param detail: a short, non-personal description (counts, codes, versions).
    :param previous: the digest of the entry before (:data:`GENESIS` for the first).
    :param digest: SHA-256 over ``previous`` and this entry's fields.
    """

    sequence: int
    action: str
    entity: str
    by: str = attrs.field(validator=_actor)
    at: dt.datetime = attrs.field(validator=_aware)
    detail: str = ""
    previous: str = GENESIS
    digest: str = ""

    @classmethod
    def chained(
        cls,
        previous: AuditEntry | None,
        *,
        action: str,
        entity: str,
        by: str,
        at: dt.datetime,
        detail: str = "",
    ) -> AuditEntry:
        """The entry that follows ``previous`` (``None`` for the first), digest computed."""
        sequence = 1 if previous is None else previous.sequence + 1
        prev = GENESIS if previous is None else previous.digest
        entry = cls(
            sequence=sequence,
            action=action,
            entity=entity,
            by=by,
            at=at,
            detail=detail,
            previous=prev,
        )
        return attrs.evolve(entry, digest=chain_digest(entry))


def chain_digest(entry: AuditEntry) -> str:
    """SHA-256 over an entry's fields and the digest of the entry before it."""
    payload = json.dumps(
        [
            entry.sequence,
            entry.action,
            entry.entity,
            entry.by,
            entry.at.astimezone(dt.UTC).isoformat(),
            entry.detail,
            entry.previous,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@attrs.frozen(kw_only=True)
class ChainBreak:
    """Where an audit chain stops verifying.

    :param sequence: the sequence number expected or found there.
    :param code: ``"audit.edited"`` (the digest does not match the fields),
        ``"audit.missing"`` (an entry is gone or out of order) or ``"audit.relinked"``
        (it does not chain to the entry before).
    """

    sequence: int
    code: str

    @property
    def text(self) -> Text:
        """The break in words."""
        texts = {
            "audit.edited": Text(
                f"Entri jejak audit {self.sequence} telah diubah.",
                f"Audit entry {self.sequence} was edited.",
            ),
            "audit.missing": Text(
                f"Entri jejak audit {self.sequence} hilang atau tidak berurutan.",
                f"Audit entry {self.sequence} is missing or out of order.",
            ),
            "audit.relinked": Text(
                f"Entri jejak audit {self.sequence} tidak tersambung ke entri sebelumnya.",
                f"Audit entry {self.sequence} does not chain to the one before.",
            ),
        }
        return texts[self.code]


def verify_chain(entries: Iterable[AuditEntry]) -> tuple[ChainBreak, ...]:
    """Every place where the audit chain does not verify (empty: the chain is intact).

    :param entries: the entries in sequence order.
    :returns: the breaks, in order; an empty tuple when nothing was edited or removed.
    """
    breaks: list[ChainBreak] = []
    previous = GENESIS
    expected = 1
    for entry in entries:
        if entry.sequence != expected:
            breaks.append(ChainBreak(sequence=expected, code="audit.missing"))
        if entry.previous != previous:
            breaks.append(ChainBreak(sequence=entry.sequence, code="audit.relinked"))
        if chain_digest(entry) != entry.digest:
            breaks.append(ChainBreak(sequence=entry.sequence, code="audit.edited"))
        previous = entry.digest
        expected = entry.sequence + 1
    return tuple(breaks)
