"""Strategies for programmes: waves, sessions, venues, rules, applications and policies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from umkm_core.allocation import (
    Application,
    FirstComeFirstServed,
    Lottery,
    Policy,
    PriorityTiers,
)
from umkm_core.model.program import (
    Program,
    ProgramKind,
    Session,
    Venue,
    Wave,
)
from umkm_core.model.size import SizeClass
from umkm_core.rules import (
    CapacityRule,
    EligibilityRule,
    Rule,
    all_of,
    any_of,
    coached_by,
    district_quota,
    has_nib,
    located_in,
    not_,
    not_attended_within,
    one_seat_per_business,
    reserved_share,
    sector_matches_wave,
    size_class_in,
    total_seats,
    women_owned,
)
from umkm_core.strategies._internal.followup import (
    certification_rules,
)
from umkm_core.strategies._internal.identifiers import (
    _SECTORS,
)

# --- Programmes, waves and rules (issue 3) ------------------------------------------------

_INDONESIAN_ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
_INSTRUCTORS = ("Kementerian Koperasi dan UKM", "BPOM", "Dinas Kesehatan")
_TITLES = ("Pengembangan Produk Unggulan Daerah", "Pelatihan Kemasan", "Pendampingan Halal")


def venues() -> st.SearchStrategy[Venue]:
    """A few venues, so that generated waves sometimes share one."""
    return st.builds(
        Venue,
        name=st.sampled_from(["Opp Room, Gedung Cisadane", "Aula Kecamatan", "Balai Latihan"]),
        address=st.just(""),
    )


def waves(
    *,
    numbers: st.SearchStrategy[int] = st.integers(1, 20),
    sectors: st.SearchStrategy[str] = st.sampled_from(_SECTORS),
    seats: st.SearchStrategy[int] = st.integers(1, 100),
    start_dates: st.SearchStrategy[dt.date] = st.dates(dt.date(2015, 1, 1), dt.date(2027, 12, 31)),
    max_days: int = 5,
) -> st.SearchStrategy[Wave]:
    """Valid waves with one session a day (09:00-15:00 local time by default).

    :param numbers: the wave number.
    :param sectors: the sector code.
    :param seats: the number of seats (values below 1 are refused by :class:`Wave`).
    :param start_dates: the first day.
    :param max_days: the longest wave, in days (at least 1).
    """
    if max_days < 1:
        raise InvalidArgument(f"max_days={max_days!r} must be >= 1")

    @st.composite
    def build(draw: st.DrawFn) -> Wave:
        start = draw(start_dates)
        length = draw(st.integers(0, max_days - 1))
        begin = draw(st.integers(7, 12))
        finish = draw(st.integers(begin + 1, 18))
        return Wave.with_daily_sessions(
            number=draw(numbers),
            sector=draw(sectors),
            start=start,
            end=start + dt.timedelta(days=length),
            seats=draw(seats),
            from_time=dt.time(begin),
            to_time=dt.time(finish),
            time_zone=draw(st.sampled_from(_INDONESIAN_ZONES)),
            venue=draw(st.none() | venues()),
            instructors=tuple(draw(st.lists(st.sampled_from(_INSTRUCTORS), max_size=2))),
        )

    return build()


def sessions() -> st.SearchStrategy[Session]:
    """Daily sessions, as generated waves hold them."""
    return waves().flatmap(lambda w: st.sampled_from(w.sessions))


def eligibility_rules(
    *, office_ids: st.SearchStrategy[str] = st.sampled_from(["dinkopukm-3671", "dinkopukm-36"])
) -> st.SearchStrategy[EligibilityRule]:
    """Built-in eligibility rules, sometimes combined with ``all_of`` / ``any_of`` / ``not_``."""
    base: st.SearchStrategy[EligibilityRule] = st.one_of(
        st.just(sector_matches_wave()),
        st.just(has_nib()),
        st.just(women_owned()),
        office_ids.map(coached_by),
        st.sampled_from(["36", "36.71", "36.71.05"]).map(located_in),
        st.sets(st.sampled_from(SizeClass), min_size=1).map(size_class_in),
        st.integers(1, 5).map(not_attended_within),
        certification_rules(),
    )
    return st.recursive(
        base,
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=3).map(lambda rs: all_of(*rs)),
            st.lists(inner, min_size=1, max_size=3).map(lambda rs: any_of(*rs)),
            inner.map(not_),
        ),
        max_leaves=4,
    )


def capacity_rules() -> st.SearchStrategy[CapacityRule]:
    """Built-in capacity rules: district quotas, reserved shares, caps."""
    return st.one_of(
        st.builds(district_quota, st.integers(1, 10), st.sampled_from(["wave", "program"])),
        st.builds(reserved_share, st.integers(1, 100), st.just(women_owned())),
        st.just(one_seat_per_business()),
        st.integers(1, 300).map(total_seats),
    )


def rules() -> st.SearchStrategy[Rule]:
    """Any built-in rule."""
    return st.one_of(eligibility_rules(), capacity_rules())


def programs(
    *,
    ids: st.SearchStrategy[str] | None = None,
    office_ids: st.SearchStrategy[str] = st.sampled_from(["dinkopukm-3671", "dinkopukm-36"]),
    kinds: st.SearchStrategy[ProgramKind] = st.sampled_from(ProgramKind),
    wave_sectors: st.SearchStrategy[str] = st.sampled_from(_SECTORS),
    seats: st.SearchStrategy[int] = st.integers(1, 100),
    max_waves: int = 4,
    rule_sets: st.SearchStrategy[Sequence[Rule]] | None = None,
) -> st.SearchStrategy[Program]:
    """Valid programmes with waves numbered 1..n.

    :param ids: programme ids; by default ``"P"`` followed by digits.
    :param office_ids: the office that runs it.
    :param kinds: the programme kind.
    :param wave_sectors: the sector of each wave.
    :param seats: the seats of each wave.
    :param max_waves: the most waves (at least 1).
    :param rule_sets: the programme's rules; by default up to three built-in rules.
    """
    if max_waves < 1:
        raise InvalidArgument(f"max_waves={max_waves!r} must be >= 1")
    id_strategy = ids if ids is not None else st.integers(1, 10**6).map(lambda n: f"P{n:06d}")
    rule_strategy = (
        rule_sets if rule_sets is not None else st.lists(rules(), max_size=3).map(tuple)
    )

    @st.composite
    def build(draw: st.DrawFn) -> Program:
        n = draw(st.integers(1, max_waves))
        generated = [
            draw(waves(numbers=st.just(i), sectors=wave_sectors, seats=seats))
            for i in range(1, n + 1)
        ]
        return Program(
            id=draw(id_strategy),
            title=draw(st.sampled_from(_TITLES)),
            office_id=draw(office_ids),
            year=generated[0].start.year,
            kind=draw(kinds),
            waves=tuple(generated),
            rules=tuple(draw(rule_strategy)),
        )

    return build()


_WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


def applications(
    *,
    business_ids: st.SearchStrategy[str] = st.integers(1, 50).map(lambda n: f"B{n:09d}"),
    program_ids: st.SearchStrategy[str] = st.just("P000001"),
    wave_numbers: Sequence[int] = (1, 2, 3),
    applied_between: tuple[dt.datetime, dt.datetime] = (
        dt.datetime(2017, 11, 1, tzinfo=_WIB),
        dt.datetime(2017, 11, 3, tzinfo=_WIB),
    ),
    tiers: st.SearchStrategy[int | None] = st.none() | st.integers(0, 3),
) -> st.SearchStrategy[Application]:
    """Applications with ordered wave preferences drawn from ``wave_numbers``.

    Application times fall on whole minutes within ``applied_between`` (aware datetimes),
    so ties happen and tie-breaking gets exercised.

    :param business_ids: the applicants.
    :param program_ids: the programme applied to.
    :param wave_numbers: the waves an applicant may list (possibly none: any wave).
    :param applied_between: the first and last possible application time.
    :param tiers: the priority tier.
    """
    first, last = applied_between
    if first.tzinfo is None or last.tzinfo is None or first > last:
        raise InvalidArgument("applied_between must be two aware datetimes, earliest first")
    minutes = int((last - first).total_seconds() // 60)
    return st.builds(
        Application,
        business_id=business_ids,
        program_id=program_ids,
        applied_at=st.integers(0, minutes).map(lambda m: first + dt.timedelta(minutes=m)),
        waves=st.lists(st.sampled_from(tuple(wave_numbers)), unique=True, max_size=3).map(tuple)
        if wave_numbers
        else st.just(()),
        tier=tiers,
    )


def policies() -> st.SearchStrategy[Policy]:
    """First come first served, priority tiers, and seeded lotteries."""
    lotteries = st.integers(0, 2**32).map(lambda seed: Lottery(seed=seed))
    return st.one_of(
        st.just(FirstComeFirstServed()),
        lotteries,
        st.builds(PriorityTiers, within=st.just(FirstComeFirstServed()) | lotteries),
    )
