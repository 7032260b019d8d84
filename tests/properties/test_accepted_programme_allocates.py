"""What the programme-file loader accepts, allocate can run: validation catches every
value that would make an allocation (or the schedule check) fail with an untyped error.

Documents are built from plausible keys with hostile values (extreme dates, huge
numbers, wrong types, deep rules); whatever the loader accepts is allocated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alloc_support import JAKARTA, business, past
from umkm_core import Application, Enrollments, InvalidDocument, UmkmError, allocate
from umkm_core.adapters.program_file import program_file_from_data
from umkm_core.rules import builtin_rule_factories

_HUGE = [0, -1, 1, 3, 80, 3000, 2**63, 2**128, 10**30]
_DATES = st.one_of(
    st.dates(dt.date(2017, 1, 1), dt.date(2018, 12, 31)),
    st.sampled_from([dt.date.min, dt.date.max, dt.date(2200, 12, 31), dt.date(1945, 1, 1)]),
    st.dates(),
)
_JUNK: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(_HUGE),
    _DATES,
    st.sampled_from(["kuliner", "36.71", "36.71.05", "mikro", "wave", "pirt", "", "x"]),
    st.booleans(),
    st.floats(allow_nan=True),
    st.lists(st.sampled_from(["mikro", "kecil", "kuliner", "36.71"]), max_size=3),
    st.datetimes(timezones=st.just(JAKARTA)),
)
_TIMES = st.one_of(
    st.times(), st.sampled_from(["09:00:00", "15:00", "09:00:00+07:00", "25:00", ""])
)
_PARAMS = {f.name: [(p.name, p.required) for p in f.params] for f in builtin_rule_factories()}


def _mostly(draw: st.DrawFn, good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> Any:
    """A good value nine times in ten, so that most documents pass with one odd value."""
    return draw(bad) if draw(st.integers(0, 9)) == 0 else draw(good)


_GOOD_PARAMS: dict[str, st.SearchStrategy[Any]] = {
    "office_id": st.just("dinkopukm-3671"),
    "region": st.sampled_from(["36.71", "36.71.05", "36"]),
    "classes": st.sampled_from([["mikro"], ["mikro", "kecil"]]),
    "limit": st.integers(1, 3),
    "per": st.sampled_from(["wave", "program"]),
    "percent": st.integers(1, 100),
    "seats": st.integers(1, 5),
    "years": st.integers(1, 100),
    "kind": st.sampled_from(["pirt", "halal", "training"]),
    "on": st.dates(dt.date(2015, 1, 1), dt.date(2018, 1, 1)),
    "sectors": st.sampled_from([["kuliner"], ["kuliner", "fesyen"]]),
}


def _rules(depth: int) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        name = draw(st.sampled_from(sorted(_PARAMS)))
        rule: dict[str, Any] = {"rule": name}
        for param, required in _PARAMS[name]:
            if not (required or draw(st.booleans())):
                continue
            if param in ("rules",):
                rule[param] = (
                    draw(st.lists(_rules(depth - 1), min_size=1, max_size=2))
                    if depth
                    else [{"rule": "has_nib"}]
                )
            elif param in ("rule", "group", "negated"):
                rule[param] = draw(_rules(depth - 1)) if depth else {"rule": "has_nib"}
            else:
                rule[param] = _mostly(draw, _GOOD_PARAMS.get(param, _JUNK), _JUNK)
        return rule

    return build()


@st.composite
def _waves(draw: st.DrawFn, number: int) -> dict[str, Any]:
    start = _mostly(draw, st.dates(dt.date(2017, 12, 1), dt.date(2017, 12, 31)), _DATES)
    length = _mostly(draw, st.integers(0, 3), st.integers(-3, 10**6))
    try:
        end = start + dt.timedelta(days=length)
    except OverflowError:
        end = dt.date.max
    wave: dict[str, Any] = {
        "number": _mostly(draw, st.just(number), st.sampled_from([0, -1, 1, 2**70])),
        "sector": _mostly(draw, st.sampled_from(["kuliner", "fesyen"]), st.just("kulinerr")),
        "start": start,
        "end": end,
        "seats": _mostly(draw, st.integers(1, 3), st.sampled_from([0, 80, 10**20, -5])),
    }
    if draw(st.booleans()):
        wave["daily"] = {
            "from": _mostly(draw, st.just("09:00:00"), _TIMES),
            "to": _mostly(draw, st.just("15:00:00"), _TIMES),
            "time_zone": _mostly(
                draw, st.sampled_from(["Asia/Jakarta", "Asia/Jayapura"]), st.just("Mars/Base")
            ),
        }
    return wave


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schema": _mostly(draw, st.just(1), st.sampled_from([True, 2, 1.0])),
        "program": {
            "id": "p",
            "title": "Pelatihan",
            "office_id": "dinkopukm-3671",
            "year": _mostly(draw, st.just(2017), st.sampled_from([1800, 2101, 10**9])),
            "kind": _mostly(draw, st.sampled_from(["training", "pembinaan"]), st.just("x")),
        },
        "waves": [draw(_waves(i + 1)) for i in range(draw(st.integers(1, 3)))],
        "rules": draw(st.lists(_rules(2), max_size=3)),
    }
    if draw(st.booleans()):
        doc["program"]["one_seat_per_business"] = draw(st.booleans())
    allocation: dict[str, Any] = {}
    if draw(st.booleans()):
        allocation["policy"] = draw(st.sampled_from(["fcfs", "lottery", "priority_tiers"]))
        if allocation["policy"] == "lottery" or draw(st.integers(0, 9)) == 0:
            allocation["seed"] = _mostly(draw, st.integers(0, 2**128 - 1), st.sampled_from(_HUGE))
    if draw(st.booleans()):
        allocation["as_of"] = _mostly(draw, st.dates(dt.date(2017, 1, 1), dt.date(2018, 1, 1)),
                                      _DATES)  # fmt: skip
    if allocation:
        doc["allocation"] = allocation
    return doc


BUSINESSES = [business("B1"), business("B2", sector="fesyen"), business("B3", nib=False)]
HISTORY = [past("B1", dt.date(2016, 12, 20)), past("B2", dt.date(1, 1, 2))]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents(), st.lists(st.sampled_from(["B1", "B2", "B3"]), max_size=5))
def test_a_programme_the_loader_accepts_never_makes_allocate_fail_untyped(
    doc: dict[str, Any], applicants: list[str]
) -> None:
    try:
        parsed = program_file_from_data(doc)
    except InvalidDocument:
        return
    program = parsed.program
    apps = [
        Application(
            business_id=b,
            program_id=program.id,
            applied_at=dt.datetime(2017, 11, 1, 8, tzinfo=JAKARTA) + dt.timedelta(minutes=i),
            waves=program.wave_numbers[: 1 + i % len(program.wave_numbers)],
        )
        for i, b in enumerate(applicants)
    ]
    as_of = parsed.as_of or dt.date(2017, 12, 8)
    try:
        program.schedule_warnings()
        result = allocate(
            program, apps, BUSINESSES, as_of=as_of, policy=parsed.policy, history=HISTORY
        )
        roster = Enrollments.from_allocation(result)
        for business_id in set(applicants):
            result.explain(business_id, "en")
        for entry in roster.entries:
            if entry.status.holds_seat:
                roster.withdraw(
                    entry.business_id,
                    at=dt.datetime(2017, 12, 10, tzinfo=JAKARTA),
                    by="petugas",
                    wave=entry.wave,
                )
                break
    except UmkmError:
        pass
