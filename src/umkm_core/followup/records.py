"""Step records: where one business stands on one step, and how that changes.

A :class:`StepRecord` moves planned -> in progress -> submitted -> granted or rejected;
a step that is not needed is waived. Each move is a method that returns a new record
(records are frozen) and raises :class:`~umkm_core.StateError` when the current status
does not allow it. A granted record holds one :class:`Term` per grant or renewal; the
expiry of a term is computed from the step kind's validity rule in force on the day it
was issued, never typed in. A rejected record is closed: a new attempt is a new record,
so the history of attempts stays visible.

>>> import datetime as dt
>>> from umkm_core.followup.catalogue import PKP, PIRT
>>> r = StepRecord.plan(business_id="B1", kind=PIRT, on=dt.date(2018, 1, 8))
>>> r = r.start(dt.date(2018, 1, 10)).submit(dt.date(2018, 2, 1))
>>> r = r.grant(dt.date(2018, 3, 1), certificate_number="P-IRT No. 2053671010001-23")
>>> r.status.value, r.expires_on
('granted', datetime.date(2023, 3, 1))
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from umkm_core.errors import StateError, ValidationError
from umkm_core.followup.kinds import CertificateFormat, StepKind, TermStart
from umkm_core.model._validators import (
    as_tuple,
    instance_of,
    non_blank,
    optional_instance_of,
    tuple_of,
)
from umkm_core.model.business import Business, HeldCertificate
from umkm_core.text import Text

__all__ = ["StepRecord", "StepStatus", "Term", "with_certifications"]


class StepStatus(enum.Enum):
    """Where a business stands on a step."""

    PLANNED = "planned"  #: agreed with the business, not started
    IN_PROGRESS = "in_progress"  #: preparing documents, training, inspection
    SUBMITTED = "submitted"  #: filed with the issuing authority
    GRANTED = "granted"  #: certificate issued (or coaching step completed)
    REJECTED = "rejected"  #: refused by the authority; a new attempt is a new record
    WAIVED = "waived"  #: not needed for this business (decided by the office)

    @property
    def is_open(self) -> bool:
        """Whether work on the step can still go on (planned, in progress, submitted)."""
        return self in (StepStatus.PLANNED, StepStatus.IN_PROGRESS, StepStatus.SUBMITTED)


_NAMES = {
    StepStatus.PLANNED: Text(id="direncanakan", en="planned"),
    StepStatus.IN_PROGRESS: Text(id="sedang berjalan", en="in progress"),
    StepStatus.SUBMITTED: Text(id="diajukan", en="submitted"),
    StepStatus.GRANTED: Text(id="terbit", en="granted"),
    StepStatus.REJECTED: Text(id="ditolak", en="rejected"),
    StepStatus.WAIVED: Text(id="dibebaskan", en="waived"),
}


@attrs.frozen(kw_only=True)
class Term:
    """One grant or renewal of a certificate.

    :param issued_on: the day the certificate (or renewal) was issued.
    :param valid_from: the first day of the term (the filing date for trademarks, the
        previous expiry for a trademark renewal, else the issue date).
    :param certificate_number: the number printed on the certificate, if known.
    """

    issued_on: dt.date = attrs.field(validator=instance_of(dt.date))
    valid_from: dt.date = attrs.field(validator=instance_of(dt.date))
    certificate_number: str | None = attrs.field(default=None, validator=optional_instance_of(str))


def _illegal(record: StepRecord, action: str, allowed: Iterable[StepStatus]) -> StateError:
    now = _NAMES[record.status]
    ok_id = ", ".join(_NAMES[s].id for s in allowed)
    ok_en = ", ".join(_NAMES[s].en for s in allowed)
    return StateError(
        "step.illegal_transition",
        field="status",
        id=(
            f"Langkah '{record.kind.code}' berstatus {now.id}; '{action}' hanya boleh "
            f"dari status: {ok_id}."
        ),
        en=(f"Step '{record.kind.code}' is {now.en}; '{action}' is only allowed from: {ok_en}."),
    )


def _date_order(record: StepRecord) -> None:
    steps: list[tuple[str, dt.date | None]] = [
        ("started_on", record.started_on),
        ("submitted_on", record.submitted_on),
        ("rejected_on", record.rejected_on),
    ]
    if record.terms:
        steps.append(("granted_on", record.terms[0].issued_on))
    last_name, last = "planned_on", record.planned_on
    for name, day in steps:
        if day is None:
            continue
        if day < last:
            raise ValidationError(
                f"steprecord.{name}_before_{last_name}",
                field=name,
                value=day,
                id=f"'{name}' tidak boleh sebelum '{last_name}'.",
                en=f"'{name}' may not be before '{last_name}'.",
            )
        if name != "rejected_on":
            last_name, last = name, day
    if record.waived_on is not None and record.waived_on < record.planned_on:
        raise ValidationError(
            "steprecord.waived_on_before_planned_on",
            field="waived_on",
            value=record.waived_on,
            id="'waived_on' tidak boleh sebelum 'planned_on'.",
            en="'waived_on' may not be before 'planned_on'.",
        )


_REQUIRED = {
    StepStatus.PLANNED: (),
    StepStatus.IN_PROGRESS: ("started_on",),
    StepStatus.SUBMITTED: ("started_on", "submitted_on"),
    StepStatus.GRANTED: ("terms",),
    StepStatus.REJECTED: ("submitted_on", "rejected_on"),
    StepStatus.WAIVED: ("waived_on",),
}
_FORBIDDEN = {
    StepStatus.PLANNED: ("started_on", "submitted_on", "rejected_on", "waived_on", "terms"),
    StepStatus.IN_PROGRESS: ("submitted_on", "rejected_on", "waived_on", "terms"),
    StepStatus.SUBMITTED: ("rejected_on", "waived_on", "terms"),
    StepStatus.GRANTED: ("rejected_on", "waived_on"),
    StepStatus.REJECTED: ("waived_on", "terms"),
    StepStatus.WAIVED: ("rejected_on", "terms"),
}


@attrs.frozen(kw_only=True)
class StepRecord:
    """One business's progress on one step kind.

    Build one with :meth:`plan` (or, for data imported from elsewhere, the constructor,
    which checks that the status agrees with the dates), then move it with
    :meth:`start`, :meth:`submit`, :meth:`grant`, :meth:`reject`, :meth:`waive` and
    :meth:`renew`.

    :param business_id: the :class:`~umkm_core.Business` id.
    :param kind: the step kind.
    :param status: the current status.
    :param route: the route taken (``"regular"``, ``"self-declare"``), for kinds with routes.
    :param planned_on: the day the step was agreed.
    :param started_on: the day work started.
    :param submitted_on: the day it was filed (for trademarks: the filing date).
    :param rejected_on: the day it was refused.
    :param waived_on: the day the office waived it.
    :param terms: the grant and each renewal, oldest first.
    :param evidence: references to evidence documents (file ids, archive numbers).
    :param note: a short remark (a reason for a rejection or waiver); no personal data.
    :raises ValidationError: for dates out of order, a status that disagrees with the
        dates, an unknown route or a certificate number the kind refuses.
    """

    business_id: str = attrs.field(validator=non_blank)
    kind: StepKind = attrs.field(validator=instance_of(StepKind))
    status: StepStatus = attrs.field(default=StepStatus.PLANNED, validator=instance_of(StepStatus))
    route: str | None = attrs.field(default=None, validator=optional_instance_of(str))
    planned_on: dt.date = attrs.field(validator=instance_of(dt.date))
    started_on: dt.date | None = attrs.field(default=None, validator=optional_instance_of(dt.date))
    submitted_on: dt.date | None = attrs.field(
        default=None, validator=optional_instance_of(dt.date)
    )
    rejected_on: dt.date | None = attrs.field(
        default=None, validator=optional_instance_of(dt.date)
    )
    waived_on: dt.date | None = attrs.field(default=None, validator=optional_instance_of(dt.date))
    terms: tuple[Term, ...] = attrs.field(default=(), converter=as_tuple, validator=tuple_of(Term))
    evidence: tuple[str, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(str)
    )
    note: Text | None = attrs.field(default=None, validator=optional_instance_of(Text))

    @route.validator
    def _check_route(self, _attribute: attrs.Attribute[str | None], value: str | None) -> None:
        if value is not None:
            self.kind.route(value)

    @note.validator
    def _check_consistency(self, _attribute: attrs.Attribute[Any], _value: object) -> None:
        for name in _REQUIRED[self.status]:
            if not getattr(self, name):
                raise ValidationError(
                    "steprecord.missing_date",
                    field=name,
                    value=self.status.value,
                    id=f"Status '{self.status.value}' memerlukan '{name}'.",
                    en=f"Status '{self.status.value}' needs '{name}'.",
                )
        for name in _FORBIDDEN[self.status]:
            if getattr(self, name):
                raise ValidationError(
                    "steprecord.status_mismatch",
                    field=name,
                    value=self.status.value,
                    id=f"'{name}' tidak cocok dengan status '{self.status.value}'.",
                    en=f"'{name}' does not fit status '{self.status.value}'.",
                )
        _date_order(self)
        self._check_terms()

    def _check_terms(self) -> None:
        previous: Term | None = None
        for i, term in enumerate(self.terms):
            where = f"terms[{i}]"
            if previous is not None and term.issued_on < previous.issued_on:
                raise ValidationError(
                    "steprecord.terms_out_of_order",
                    field=f"{where}.issued_on",
                    value=term.issued_on,
                    id="Perpanjangan harus urut menurut tanggal terbit.",
                    en="Renewals must be in order of issue date.",
                )
            expires = self._expiry(term)
            try:
                self.kind.certificate.check(term.certificate_number, expires)
            except ValidationError as exc:
                raise exc.at(where) from None
            previous = term

    def _expiry(self, term: Term) -> dt.date | None:
        try:
            validity = self.kind.validity_on(term.issued_on)
        except ValidationError as exc:
            raise exc.at("terms") from None
        return validity.expires_on(term.valid_from)

    # -- named constructor -------------------------------------------------------------

    @classmethod
    def plan(
        cls, *, business_id: str, kind: StepKind, on: dt.date, route: str | None = None
    ) -> StepRecord:
        """A new planned step.

        :param business_id: the business.
        :param kind: the step kind.
        :param on: the day it was agreed.
        :param route: the route, when already chosen.
        :returns: a planned record.
        """
        return cls(business_id=business_id, kind=kind, planned_on=on, route=route)

    # -- derived values ----------------------------------------------------------------

    @property
    def granted_on(self) -> dt.date | None:
        """The day of the first grant."""
        return self.terms[0].issued_on if self.terms else None

    @property
    def reached_on(self) -> dt.date | None:
        """The day the step stopped blocking the pathway: granted or waived."""
        return self.granted_on if self.granted_on is not None else self.waived_on

    @property
    def certificate_number(self) -> str | None:
        """The number of the current term's certificate."""
        return self.terms[-1].certificate_number if self.terms else None

    @property
    def expires_on(self) -> dt.date | None:
        """The last valid day of the current term; ``None`` when not granted or no end."""
        return self._expiry(self.terms[-1]) if self.terms else None

    def term_on(self, day: dt.date) -> Term | None:
        """The latest term issued on or before ``day``."""
        found = None
        for term in self.terms:
            if term.issued_on <= day:
                found = term
        return found

    def expires_on_as_of(self, day: dt.date) -> dt.date | None:
        """The expiry of the term in force as known on ``day`` (ignores later renewals)."""
        term = self.term_on(day)
        return self._expiry(term) if term is not None else None

    def status_on(self, day: dt.date) -> StepStatus | None:
        """The status the record had on ``day``; ``None`` before it was planned.

        Queries for past dates use this so that later events do not leak into them.
        """
        if self.waived_on is not None and self.waived_on <= day:
            return StepStatus.WAIVED
        if self.terms and self.terms[0].issued_on <= day:
            return StepStatus.GRANTED
        if self.rejected_on is not None and self.rejected_on <= day:
            return StepStatus.REJECTED
        if self.submitted_on is not None and self.submitted_on <= day:
            return StepStatus.SUBMITTED
        if self.started_on is not None and self.started_on <= day:
            return StepStatus.IN_PROGRESS
        if self.planned_on <= day:
            return StepStatus.PLANNED
        return None

    def valid_on(self, day: dt.date) -> bool:
        """Whether the step was granted by ``day`` and its certificate is in force on it."""
        term = self.term_on(day)
        if term is None:
            return False
        expires = self._expiry(term)
        return expires is None or day <= expires

    def renewal_window(self) -> tuple[dt.date, dt.date] | None:
        """First and last day a renewal of the current term may be filed, if renewable."""
        expires = self.expires_on
        window = self.kind.renewal_on(expires) if expires is not None else None
        if expires is None or window is None or not self.terms:
            return None
        return window.opens(expires, self.terms[-1].issued_on), window.closes(expires)

    def held_certificates(self) -> tuple[HeldCertificate, ...]:
        """The certificates this record stands for: one per granted term.

        Steps that issue no certificate (packaging) give none. A term without a recorded
        number carries a reference to the step record instead
        (``"step:pirt:B1:2018-03-01"``), so the certificate still counts. A term that
        had already ended when it was issued (never in force) is left out.
        """
        if self.kind.certificate.format is CertificateFormat.NONE:
            return ()
        held: list[HeldCertificate] = []
        for term in self.terms:
            expires = self._expiry(term)
            if expires is not None and expires < term.issued_on:
                continue
            reference = f"step:{self.kind.code}:{self.business_id}:{term.issued_on.isoformat()}"
            held.append(
                HeldCertificate(
                    kind=self.kind.code,
                    number=term.certificate_number or reference,
                    issued_on=term.issued_on,
                    expires_on=expires,
                    issuer=self.kind.authority.id,
                )
            )
        return tuple(held)

    # -- transitions -------------------------------------------------------------------

    def start(self, on: dt.date) -> StepRecord:
        """Planned -> in progress.

        :raises StateError: from any other status.
        """
        if self.status is not StepStatus.PLANNED:
            raise _illegal(self, "start", [StepStatus.PLANNED])
        return attrs.evolve(self, status=StepStatus.IN_PROGRESS, started_on=on)

    def submit(
        self, on: dt.date, *, evidence: Iterable[str] = (), route: str | None = None
    ) -> StepRecord:
        """In progress -> submitted (filed with the authority).

        :param on: the filing date.
        :param evidence: references to the documents filed.
        :param route: the route taken, when not chosen before.
        :raises StateError: from any other status.
        :raises ValidationError: ``step.route_required`` when the kind has routes and
            none is chosen.
        """
        if self.status is not StepStatus.IN_PROGRESS:
            raise _illegal(self, "submit", [StepStatus.IN_PROGRESS])
        chosen = route if route is not None else self.route
        if self.kind.routes and chosen is None:
            codes = ", ".join(r.code for r in self.kind.routes)
            raise ValidationError(
                "step.route_required",
                field="route",
                id=f"Pilih jalur untuk '{self.kind.code}': {codes}.",
                en=f"Choose a route for '{self.kind.code}': {codes}.",
            )
        return attrs.evolve(
            self,
            status=StepStatus.SUBMITTED,
            submitted_on=on,
            route=chosen,
            evidence=(*self.evidence, *evidence),
        )

    def grant(self, on: dt.date, *, certificate_number: str | None = None) -> StepRecord:
        """Submitted -> granted.

        :param on: the issue date.
        :param certificate_number: the certificate number; checked against the kind (a
            P-IRT number must parse and its expiry year agree with the computed expiry).
        :raises StateError: from any other status.
        :raises ValidationError: for a number the kind refuses.
        """
        if self.status is not StepStatus.SUBMITTED:
            raise _illegal(self, "grant", [StepStatus.SUBMITTED])
        assert self.submitted_on is not None
        validity = self.kind.validity_on(on)
        start = self.submitted_on if validity.counted_from is TermStart.FILING else on
        number = self.kind.certificate.check(certificate_number, validity.expires_on(start))
        term = Term(issued_on=on, valid_from=start, certificate_number=number)
        return attrs.evolve(self, status=StepStatus.GRANTED, terms=(term,))

    def reject(self, on: dt.date, *, note: Text | None = None) -> StepRecord:
        """Submitted -> rejected (closed; a new attempt is a new record).

        :raises StateError: from any other status.
        """
        if self.status is not StepStatus.SUBMITTED:
            raise _illegal(self, "reject", [StepStatus.SUBMITTED])
        return attrs.evolve(self, status=StepStatus.REJECTED, rejected_on=on, note=note)

    def waive(self, on: dt.date, *, note: Text | None = None) -> StepRecord:
        """Planned, in progress or submitted -> waived (the office decides it is not needed).

        :raises StateError: from a granted, rejected or waived record.
        """
        allowed = [StepStatus.PLANNED, StepStatus.IN_PROGRESS, StepStatus.SUBMITTED]
        if self.status not in allowed:
            raise _illegal(self, "waive", allowed)
        return attrs.evolve(self, status=StepStatus.WAIVED, waived_on=on, note=note)

    def attach(self, *references: str) -> StepRecord:
        """Add evidence references to an open record.

        :raises StateError: on a granted, rejected or waived record.
        """
        if not self.status.is_open:
            allowed = [StepStatus.PLANNED, StepStatus.IN_PROGRESS, StepStatus.SUBMITTED]
            raise _illegal(self, "attach", allowed)
        return attrs.evolve(self, evidence=(*self.evidence, *references))

    def renew(self, on: dt.date, *, certificate_number: str | None = None) -> StepRecord:
        """Renew a granted certificate inside its renewal window.

        The new term starts on ``on`` or continues from the previous expiry
        (trademarks), as the kind's :class:`~umkm_core.RenewalWindow` says, and lasts as
        the validity rule in force on ``on`` says.

        :param on: the renewal date.
        :param certificate_number: the renewed certificate's number (checked like a grant).
        :raises StateError: ``step.illegal_transition`` unless granted;
            ``step.not_renewable`` for kinds without a renewal window or expiry;
            ``step.renewal_window_closed`` outside the window.
        """
        if self.status is not StepStatus.GRANTED:
            raise _illegal(self, "renew", [StepStatus.GRANTED])
        window = self.renewal_window()
        expires = self.expires_on
        rule = self.kind.renewal_on(expires) if expires is not None else None
        if window is None or expires is None or rule is None:
            raise StateError(
                "step.not_renewable",
                field="status",
                id=f"'{self.kind.code}' tidak diperpanjang (tanpa masa berlaku atau jendela).",
                en=f"'{self.kind.code}' is not renewed (no expiry or renewal window).",
            )
        opens, closes = window
        if not opens <= on <= closes:
            raise StateError(
                "step.renewal_window_closed",
                field="renewed_on",
                id=(
                    f"Perpanjangan '{self.kind.code}' hanya {opens.isoformat()} s.d. "
                    f"{closes.isoformat()}."
                ),
                en=(
                    f"'{self.kind.code}' can only be renewed from {opens.isoformat()} to "
                    f"{closes.isoformat()}."
                ),
            )
        continues = rule.new_term_from is TermStart.PREVIOUS_EXPIRY
        start = expires if continues else on
        new_expiry = self.kind.validity_on(on).expires_on(start)
        number = self.kind.certificate.check(certificate_number, new_expiry)
        term = Term(issued_on=on, valid_from=start, certificate_number=number)
        return attrs.evolve(self, terms=(*self.terms, term))


def checked_records(records: Iterable[object]) -> Iterator[StepRecord]:
    """The items of ``records``, refusing the first one that is not a :class:`StepRecord`.

    The queries take records from callers' own lists; this keeps their check and its
    error in one place.

    :param records: what the caller passed as step records.
    :returns: the records, lazily, in their order.
    :raises ValidationError: ``query.bad_record`` naming ``records[i]``.
    """
    for i, record in enumerate(records):
        if not isinstance(record, StepRecord):
            raise ValidationError(
                "query.bad_record",
                field=f"records[{i}]",
                value=record,
                id="Setiap catatan harus berupa StepRecord.",
                en="Every record must be a StepRecord.",
            )
        yield record


def with_certifications(business: Business, records: Iterable[StepRecord]) -> Business:
    """``business`` with the certificates of its granted step records added.

    Eligibility rules such as ``holds_certificate("pirt")`` read
    ``Business.certificates``; pass the result to :func:`umkm_core.allocate` so that
    they see what the follow-up steps achieved. Certificates the business already lists
    (same kind, number and issue date) are not repeated; records of other businesses are
    ignored.

    :param business: the business.
    :param records: step records of any businesses.
    :returns: a new :class:`~umkm_core.Business` (the same one if nothing is added).
    :raises ValidationError: ``query.bad_record`` for an item that is not a StepRecord.
    """
    # A renewal can keep the certificate number (a trademark's registration number
    # does), so the issue date is part of what makes a certificate the same one.
    known = {(c.kind, c.number, c.issued_on) for c in business.certificates}
    added: list[HeldCertificate] = []
    for record in checked_records(records):
        if record.business_id != business.id:
            continue
        for cert in record.held_certificates():
            key = (cert.kind, cert.number, cert.issued_on)
            if key not in known:
                known.add(key)
                added.append(cert)
    if not added:
        return business
    return attrs.evolve(business, certificates=(*business.certificates, *added))
