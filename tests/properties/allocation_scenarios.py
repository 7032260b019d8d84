"""Random programmes, registers and applications for the allocation properties."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

import attrs
from hypothesis import strategies as st

from alloc_support import CITY_OFFICE, business
from umkm_core import (
    Accepted,
    Allocation,
    Application,
    Business,
    Policy,
    Program,
    ProgramKind,
    Sex,
    Waitlisted,
)
from umkm_core import strategies as ust
from umkm_core.rules import (
    DistrictQuota,
    OneSeatPerBusiness,
    ReservedShare,
    Rule,
    TotalSeats,
    allocation_rules,
    coached_by,
    district_quota,
    one_seat_per_business,
    reserved_share,
    sector_matches_wave,
    total_seats,
    women_owned,
)

AS_OF = dt.date(2017, 12, 1)
DISTRICTS = ("36.71.01", "36.71.05", "36.71.13")
SECTORS = ("kuliner", "fesyen")


# Built once: strategies are cheap to draw from but not to build.
_WAVES = {
    i: ust.waves(numbers=st.just(i), sectors=st.sampled_from(SECTORS), seats=st.integers(1, 4))
    for i in (1, 2, 3)
}
_POLICIES = ust.policies()
_SECTOR = st.sampled_from(SECTORS)
_DISTRICT = st.sampled_from(DISTRICTS)
_SEX = st.sampled_from([Sex.FEMALE, Sex.MALE, None])
_SINCE = st.sampled_from([dt.date(2015, 1, 1), None])
_SIZES = {14: st.integers(0, 14)}
_FLAG = st.booleans()
_SCOPE = st.sampled_from(["wave", "program"])
_SMALL = st.integers(1, 3)
_TOTAL = st.integers(1, 8)
_PERCENT = st.integers(1, 100)
_APPLICATIONS = {
    n: ust.applications(
        business_ids=st.sampled_from([f"B{i:02d}" for i in range(14)] + ["GHOST"]),
        wave_numbers=(*range(1, n + 1), 9),
    )
    for n in (1, 2, 3)
}
_APPLICATION_LISTS = {n: st.lists(a, max_size=20) for n, a in _APPLICATIONS.items()}


@attrs.frozen
class Scenario:
    program: Program
    businesses: tuple[Business, ...]
    applications: tuple[Application, ...]
    policy: Policy


@st.composite
def registers(draw: st.DrawFn, max_size: int = 14) -> tuple[Business, ...]:
    n = draw(_SIZES[max_size])
    return tuple(
        business(
            f"B{i:02d}",
            sector=draw(_SECTOR),
            district=draw(_DISTRICT),
            sex=draw(_SEX),
            coached_since=draw(_SINCE),
        )
        for i in range(n)
    )


@st.composite
def capacity(draw: st.DrawFn) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    if draw(_FLAG):
        rules.append(
            district_quota(draw(st.integers(1, 3)), draw(st.sampled_from(["wave", "program"])))
        )
    if draw(_FLAG):
        rules.append(total_seats(draw(_TOTAL)))
    if draw(_FLAG):
        rules.append(one_seat_per_business())
    if draw(_FLAG):
        rules.append(reserved_share(draw(_PERCENT), women_owned()))
    return tuple(rules)


@st.composite
def scenarios(draw: st.DrawFn, *, require: Sequence[Rule] = ()) -> Scenario:
    waves = draw(_SMALL)
    eligibility: list[Rule] = []
    if draw(_FLAG):
        eligibility.append(sector_matches_wave())
    if draw(_FLAG):
        eligibility.append(coached_by(CITY_OFFICE))
    program = Program(
        id="P000001",
        title="Pelatihan",
        office_id=CITY_OFFICE,
        year=2017,
        kind=ProgramKind.TRAINING,
        waves=tuple(
            draw(
                ust.waves(
                    numbers=st.just(i), sectors=st.sampled_from(SECTORS), seats=st.integers(1, 4)
                )
            )
            for i in range(1, waves + 1)
        ),
        rules=(*eligibility, *draw(capacity()), *require),
    )
    register = draw(registers())
    apps = draw(_APPLICATION_LISTS[waves])
    return Scenario(program, register, tuple(apps), draw(_POLICIES))


def run(s: Scenario, applications: Sequence[Application] | None = None) -> Allocation:
    from umkm_core import allocate

    apps = s.applications if applications is None else applications
    return allocate(s.program, apps, s.businesses, as_of=AS_OF, policy=s.policy)


def seats_held(allocation: Allocation) -> list[tuple[str, int]]:
    return [
        (a.business_id, o.wave)
        for a, o in zip(allocation.applications, allocation.outcomes, strict=True)
        if isinstance(o, Accepted)
    ]


def check_capacity(
    program: Program, held: Sequence[tuple[str, int]], by_id: dict[str, Business]
) -> None:
    """Every limit of the programme holds for the seats ``held`` (after release)."""
    per_wave = Counter(w for _, w in held)
    for wave in program.waves:
        assert per_wave[wave.number] <= wave.seats
    assert len(set(held)) == len(held), "a business seated twice in one wave"
    for rule in allocation_rules(program):  # one seat per business unless lifted
        if isinstance(rule, OneSeatPerBusiness):
            assert len({b for b, _ in held}) == len(held)
        if isinstance(rule, TotalSeats):
            assert len(held) <= rule.seats
        if isinstance(rule, DistrictQuota):
            keys = Counter(
                (by_id[b].region.value[:6], w if rule.per == "wave" else None) for b, w in held
            )
            assert all(n <= rule.limit for n in keys.values())


def could_take_a_seat(
    program: Program,
    held: Sequence[tuple[str, int]],
    by_id: dict[str, Business],
    business_id: str,
    wave: int,
) -> bool:
    """Whether one more seat for ``business_id`` in ``wave`` would break no limit.

    Written independently of the engine: reserved shares do not count, as they are
    released once everyone had a turn.
    """
    return_value = True
    trial = [*held, (business_id, wave)]
    try:
        check_capacity(program, trial, by_id)
    except AssertionError:
        return_value = False
    return return_value


def reserved_rules(program: Program) -> list[ReservedShare]:
    return [r for r in program.rules if isinstance(r, ReservedShare)]


def waitlisted(allocation: Allocation) -> list[tuple[Application, Waitlisted]]:
    return [
        (a, o)
        for a, o in zip(allocation.applications, allocation.outcomes, strict=True)
        if isinstance(o, Waitlisted)
    ]
