"""Shared helpers of the screening tests: the interpreted engine's answer, row by row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from umkm_core import Application, Business, PastEnrollment, Program, allocate

WIB = dt.timezone(dt.timedelta(hours=7))

#: Per business id: (eligible, open waves, reasons as (code, wave) pairs).
Verdicts = dict[str, tuple[bool, tuple[int, ...], tuple[tuple[str, int | None], ...]]]


def interpreted(
    program: Program,
    businesses: Sequence[Business],
    *,
    as_of: dt.date,
    history: Iterable[PastEnrollment] = (),
) -> Verdicts:
    """What allocate's judgement says of each business applying to every wave."""
    start = dt.datetime(2017, 1, 1, tzinfo=WIB)
    apps = [
        Application(
            business_id=b.id,
            program_id=program.id,
            applied_at=start + dt.timedelta(seconds=i),
        )
        for i, b in enumerate(businesses)
    ]
    result = allocate(program, apps, businesses, as_of=as_of, history=history)
    return {
        app.business_id: (
            not judgement.refused,
            judgement.eligible_waves,
            tuple((r.code, r.wave) for r in judgement.refusals),
        )
        for app, judgement in zip(result.applications, result.judgements, strict=True)
    }
