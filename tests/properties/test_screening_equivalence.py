"""Compiled screening agrees with the interpreted engine: verdicts, waves and reasons."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from screening_support import interpreted
from umkm_core import (
    Business,
    PastEnrollment,
    Program,
    ProgramKind,
    Wave,
)
from umkm_core.bulk import compile_rules, register_frame
from umkm_core.rules import (
    EligibilityRule,
    all_of,
    any_of,
    coached_by,
    has_nib,
    holds_certificate,
    lacks_certificate,
    located_in,
    not_,
    not_attended_within,
    sector_matches_wave,
    size_class_in,
    women_owned,
)
from umkm_core.strategies import businesses, coachings, financial_records

SWITCH = dt.date(2021, 2, 2)  # UU 20/2008 gives way to PP 7/2021
SECTORS = ["kuliner", "fesyen", "kriya"]
OFFICES = ["dinkopukm-3671", "dinkopukm-36"]
JUTA = 1_000_000
# Figures at and around every size limit of both laws, and anywhere else.
LIMITS = [50, 300, 500, 1_000, 2_000, 2_500, 5_000, 10_000, 15_000, 50_000]
amounts = (
    st.none()
    | st.sampled_from([v * JUTA + d for v in LIMITS for d in (-1, 0, 1)])
    | st.integers(0, 60_000 * JUTA)
)
dates = st.sampled_from([SWITCH - dt.timedelta(days=1), SWITCH, SWITCH + dt.timedelta(days=1)]) | (
    st.dates(dt.date(2019, 1, 1), dt.date(2023, 12, 31))
)

leaves: st.SearchStrategy[EligibilityRule] = st.one_of(
    st.just(sector_matches_wave()),
    st.builds(coached_by, st.sampled_from(OFFICES), st.none() | dates),
    st.builds(located_in, st.sampled_from(["31", "36", "36.71", "36.71.05", "36.03"])),
    st.builds(
        size_class_in,
        st.sets(st.sampled_from(["mikro", "kecil", "menengah", "besar"]), min_size=1),
    ),
    st.just(has_nib()),
    st.builds(
        not_attended_within, st.integers(1, 3), st.none() | st.sampled_from(list(ProgramKind))
    ),
    st.just(women_owned()),
    st.builds(holds_certificate, st.sampled_from(["halal", "pirt"])),
    st.builds(lacks_certificate, st.sampled_from(["halal", "pirt"])),
)
trees: st.SearchStrategy[EligibilityRule] = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda rs: all_of(*rs)),
        st.lists(inner, min_size=1, max_size=3).map(lambda rs: any_of(*rs)),
        inner.map(not_),
    ),
    max_leaves=8,
)


@st.composite
def registers(draw: st.DrawFn) -> list[Business]:
    return draw(
        st.lists(
            businesses(
                sectors=st.sampled_from(SECTORS),
                financials=financial_records(
                    years=st.integers(2016, 2024),
                    annual_sales=amounts,
                    net_assets=amounts,
                    business_capital=amounts,
                ),
                coached_by=coachings(offices=st.sampled_from(OFFICES)),
                max_products=0,
            ),
            max_size=12,
            unique_by=lambda b: b.id,
        )
    )


@st.composite
def histories(draw: st.DrawFn, ids: list[str]) -> list[PastEnrollment]:
    if not ids:
        return []
    return draw(
        st.lists(
            st.builds(
                PastEnrollment,
                business_id=st.sampled_from(ids),
                program_id=st.sampled_from(["P-OLD", "P-NOW"]),
                kind=st.sampled_from(list(ProgramKind)),
                ended_on=st.dates(dt.date(2016, 1, 1), dt.date(2024, 12, 31)),
            ),
            max_size=6,
        )
    )


def program_with(rules: list[EligibilityRule], wave_sectors: list[str]) -> Program:
    waves = tuple(
        Wave(
            number=i + 1,
            sector=sector,
            start=dt.date(2021, 3, 1),
            end=dt.date(2021, 3, 2),
            seats=5,
        )
        for i, sector in enumerate(wave_sectors)
    )
    return Program(
        id="P-NOW",
        title="Pelatihan",
        office_id=OFFICES[0],
        year=2021,
        kind=ProgramKind.TRAINING,
        waves=waves,
        rules=tuple(rules),
    )


@settings(deadline=None)  # Polars' first query of a shape compiles it
@given(
    register=registers(),
    rules=st.lists(trees, min_size=1, max_size=4),
    wave_sectors=st.lists(st.sampled_from(SECTORS), min_size=1, max_size=3),
    as_of=dates,
    data=st.data(),
)
def test_compiled_rules_judge_every_business_as_the_interpreted_engine_does(
    register: list[Business],
    rules: list[EligibilityRule],
    wave_sectors: list[str],
    as_of: dt.date,
    data: st.DataObject,
) -> None:
    history = data.draw(histories([b.id for b in register]))
    program = program_with(rules, wave_sectors)
    expected = interpreted(program, register, as_of=as_of, history=history)
    plan = compile_rules(program, as_of=as_of, history=history)
    judged = plan.judge(register_frame(register)).collect()
    got = {
        row["id"]: (row["eligible"], plan.open_waves(row), plan.reasons(row))
        for row in judged.iter_rows(named=True)
    }
    assert got == expected
