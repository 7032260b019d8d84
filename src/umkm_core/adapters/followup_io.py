"""Saving and loading step records as JSON Lines, one record per line.

A :class:`~umkm_core.followup.records.StepRecord` holds its whole
:class:`~umkm_core.followup.kinds.StepKind`, but a file keeps only the kind's ``code``
(``"pirt"``); reading looks the code up in a catalogue: the built-in kinds by default,
or the caller's mapping (for example ``registry.steps`` of the plugin registry). The
rest of the record travels in :mod:`umkm_core.adapters.serialization`'s document format, so
dates are ISO text, every line carries ``"schema"`` and unknown keys are refused.

The document format itself writes every step kind as its code, whatever was imported
(``to_json(record)``), and ``from_json(line, StepRecord, registry=registry)`` reads it
back from the registry given; nothing is registered when this module is imported.

>>> import datetime as dt, io
>>> from umkm_core.followup import PIRT, StepRecord
>>> record = StepRecord.plan(business_id="B1", kind=PIRT, on=dt.date(2018, 3, 1))
>>> out = io.BytesIO()
>>> step_records_to_jsonl([record], out)
1
>>> out.getvalue()[:45]
b'{"schema":1,"business_id":"B1","kind":"pirt",'
>>> read = step_records_from_jsonl(io.BytesIO(out.getvalue()))
>>> read.records == (record,), read.errors
(True, ())
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import IO

import attrs

from umkm_core.adapters.serialization import dump_jsonl, make_serializer
from umkm_core.errors import InvalidDocument, ValidationError
from umkm_core.followup.catalogue import BUILTIN_STEP_KINDS
from umkm_core.followup.kinds import StepKind
from umkm_core.followup.records import StepRecord, checked_records
from umkm_core.rules.base import RuleFactory

__all__ = ["StepRecordsRead", "step_records_from_jsonl", "step_records_to_jsonl"]


@functools.cache
def _builtin_kinds() -> Mapping[str, StepKind]:
    return {kind.code: kind for kind in BUILTIN_STEP_KINDS}


@attrs.frozen
class _Steps:
    """A catalogue of step kinds only (what reading step records looks codes up in)."""

    steps: Mapping[str, StepKind]
    rules: Mapping[str, RuleFactory] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class StepRecordsRead:
    """What :func:`step_records_from_jsonl` read: the good records and the bad lines.

    :param records: the records of the good lines, in file order.
    :param errors: one :class:`~umkm_core.InvalidDocument` per bad line, its ``field``
        ``"line N"`` and its ``errors`` every problem of that line with its JSON path
        (``$.kind`` for an unknown step kind).
    """

    records: tuple[StepRecord, ...] = ()
    errors: tuple[InvalidDocument, ...] = ()


def step_records_to_jsonl(records: Iterable[StepRecord], fp: IO[bytes] | IO[str]) -> int:
    """Write step records as JSON Lines, each kind as its code.

    :param records: the records (any iterable).
    :param fp: a file opened for writing, binary (preferred) or text.
    :returns: the number of records written.
    :raises ValidationError: ``query.bad_record`` for an item that is not a StepRecord
        (the records before it are written).
    """
    return dump_jsonl(checked_records(records), fp)


def _catalogue(kinds: Mapping[str, StepKind]) -> Mapping[str, StepKind]:
    for code, kind in kinds.items():
        if not isinstance(kind, StepKind) or kind.code != code:
            raise ValidationError(
                "step.bad_catalogue",
                field=f"kinds[{code!r}]",
                value=kind,
                id="Katalog harus memetakan kode ke jenis langkah dengan kode yang sama.",
                en="The catalogue must map each code to the step kind with that code.",
            )
    return dict(kinds)


def step_records_from_jsonl(
    fp: Iterable[bytes | str], *, kinds: Mapping[str, StepKind] | None = None
) -> StepRecordsRead:
    """Read step records written by :func:`step_records_to_jsonl`, keeping the good lines.

    A bad line (broken JSON, an unknown step kind, dates out of order, a certificate
    number the kind refuses) is reported with its line number; the other lines are
    still read. Blank lines are skipped.

    :param fp: a file opened for reading (binary or text), or any iterable of lines.
    :param kinds: the step kinds by code (``registry.steps``); the built-in kinds when
        ``None``.
    :returns: the records and the errors, in file order.
    :raises ValidationError: ``step.bad_catalogue`` when ``kinds`` maps a code to
        something other than the step kind with that code.
    """
    catalogue = _builtin_kinds() if kinds is None else _catalogue(kinds)
    read = make_serializer(_Steps(catalogue)).from_json
    records: list[StepRecord] = []
    errors: list[InvalidDocument] = []
    for number, line in enumerate(fp, start=1):
        if not line.strip():
            continue
        try:
            records.append(read(line, StepRecord))
        except InvalidDocument as err:
            errors.append(InvalidDocument(err.errors, field=f"line {number}"))
    return StepRecordsRead(records=tuple(records), errors=tuple(errors))
