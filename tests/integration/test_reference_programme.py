"""The 2017 Kota Tangerang programme (DOMAIN.md section 1), with more applicants than seats."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from alloc_support import CITY_OFFICE, JAKARTA, business
from umkm_core import (
    Accepted,
    Application,
    Business,
    Coaching,
    Program,
    ProgramKind,
    Refused,
    RegionCode,
    Venue,
    Waitlisted,
    Wave,
    allocate,
)
from umkm_core import strategies as ust
from umkm_core.rules import coached_by, located_in, one_seat_per_business, sector_matches_wave

AS_OF = dt.date(2017, 12, 15)
ROOM = Venue(name="Opp Room, lantai 4, Gedung Cisadane", region=RegionCode.parse("36.71.01"))


def tangerang_2017(seats: int = 80) -> Program:
    waves = (
        Wave.with_daily_sessions(
            number=1,
            sector="kuliner",
            start=dt.date(2017, 12, 19),
            end=dt.date(2017, 12, 20),
            seats=seats,
            venue=ROOM,
            instructors=("Kementerian Koperasi dan UKM",),
        ),
        Wave.with_daily_sessions(
            number=2,
            sector="fesyen",
            start=dt.date(2017, 12, 21),
            end=dt.date(2017, 12, 22),
            seats=seats,
            venue=ROOM,
            instructors=("Kementerian Koperasi dan UKM",),
        ),
    )
    return Program(
        id="dinkopukm-3671-2017-pud",
        title="Pengembangan Produk Unggulan Daerah Berbasis Produk",
        office_id=CITY_OFFICE,
        year=2017,
        kind=ProgramKind.TRAINING,
        waves=waves,
        rules=(
            sector_matches_wave(),
            coached_by(CITY_OFFICE),
            located_in("36.71"),
            one_seat_per_business(),
        ),
    )


def register() -> list[Business]:
    rng = random.Random(2017)
    districts = [f"36.71.{n:02d}" for n in range(1, 14)]
    sectors = ["kuliner"] * 11 + ["fesyen"] * 9 + ["kriya"] * 2
    result = []
    for i in range(260):
        coached = rng.random() < 0.85
        result.append(
            business(
                f"TNG{i:04d}",
                sector=rng.choice(sectors),
                district=rng.choice(districts) if rng.random() < 0.95 else "36.03.01",
                coached_since=dt.date(2014, 3, 1) if coached else None,
            )
        )
    return result


def applications(businesses: list[Business]) -> list[Application]:
    start = dt.datetime(2017, 12, 1, 8, tzinfo=JAKARTA)
    return [
        Application(
            business_id=b.id,
            program_id="dinkopukm-3671-2017-pud",
            applied_at=start + dt.timedelta(minutes=7 * i),
        )
        for i, b in enumerate(businesses)
    ]


def test_reference_programme_seats_exactly_80_and_80_sector_matched() -> None:
    prog = tangerang_2017()
    businesses = register()
    by_id = {b.id: b for b in businesses}
    result = allocate(prog, applications(businesses), businesses, as_of=AS_OF)

    assert prog.schedule_warnings() == ()
    assert result.seats_taken() == {1: 80, 2: 80}
    for decision in result:
        outcome = decision.outcome
        applicant = by_id[decision.application.business_id]
        if isinstance(outcome, Accepted):
            assert applicant.sector == prog.wave(outcome.wave).sector
            assert applicant.is_coached_by(CITY_OFFICE, AS_OF)
        elif isinstance(outcome, Refused):
            assert outcome.reasons
            codes = {r.code for r in outcome.reasons}
            if not applicant.is_coached_by(CITY_OFFICE, AS_OF):
                assert "eligibility.coached_by" in codes
            if applicant.sector == "kriya":
                assert "eligibility.sector" in codes
        else:
            assert isinstance(outcome, Waitlisted)
            assert any(r.code == "capacity.wave_full" for r in outcome.reasons)
    positions = [d.outcome.position for d in result.waitlist]  # type: ignore[union-attr]
    assert positions == list(range(1, len(positions) + 1))
    assert result.waitlist, "the register has more eligible applicants than seats"
    assert result.refused
    for decision in result:
        bid = decision.application.business_id
        for lang in ("id", "en"):
            text = result.explain(bid, lang=lang)
            assert len(text.splitlines()) >= 2


def test_refusals_name_every_failing_rule_in_the_reference_programme() -> None:
    prog = tangerang_2017()
    outsider = business("OUT", sector="kriya", district="36.03.01", coached_since=None)
    result = allocate(prog, applications([outsider]), [outsider], as_of=AS_OF)
    outcome = result.outcome("OUT")
    assert isinstance(outcome, Refused)
    assert sorted({r.code for r in outcome.reasons}) == [
        "eligibility.coached_by",
        "eligibility.region",
        "eligibility.sector",
    ]
    english = result.explain("OUT", lang="en")
    assert "Not coached by dinkopukm-3671" in english
    assert "lies outside 36.71" in english


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        ust.businesses(
            within=RegionCode.parse("36.71"),
            sectors=st.sampled_from(["kuliner", "fesyen"]),
            coached_by=st.just(Coaching(office_id=CITY_OFFICE, since=dt.date(2015, 1, 1))),
        ),
        max_size=40,
        unique_by=lambda b: b.id,
    )
)
def test_reference_programme_never_overbooks_generated_registers(
    businesses: list[Business],
) -> None:
    # The same programme scaled to 10 + 10 seats, so that small registers overflow it.
    result = allocate(tangerang_2017(10), applications(businesses), businesses, as_of=AS_OF)
    taken = result.seats_taken()
    eligible = [b for b in businesses if b.is_coached_by(CITY_OFFICE, AS_OF)]
    food = sum(1 for b in eligible if b.sector == "kuliner")
    assert taken[1] == min(10, food)
    assert taken[2] == min(10, len(eligible) - food)
