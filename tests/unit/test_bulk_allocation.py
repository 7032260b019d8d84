"""The columnar allocation: large programmes, its frames, and what it refuses."""

from __future__ import annotations

import datetime as dt
import pathlib
import random
from collections.abc import Iterable, Sequence
from typing import ClassVar

import attrs
import polars as pl
import pytest

from alloc_support import CITY_OFFICE, JAKARTA, business, program
from umkm_core import (
    Accepted,
    Allocation,
    Application,
    Business,
    InvalidDocument,
    Program,
    Text,
    UmkmError,
    Waitlisted,
    allocate,
)
from umkm_core.bulk import (
    APPLICATIONS_SCHEMA,
    ColumnarAllocation,
    allocate_columns,
    applications_frame,
    register_frame,
    scan_register,
    write_register_parquet,
)
from umkm_core.model.identifiers import Sex
from umkm_core.rules import (
    PASS,
    CapacityRule,
    Charge,
    EligibilityRule,
    Rule,
    RuleContext,
    Verdict,
    coached_by,
    district_quota,
    reserved_share,
    sector_matches_wave,
    total_seats,
    women_owned,
)

AS_OF = dt.date(2017, 12, 1)
T0 = dt.datetime(2017, 11, 1, 8, tzinfo=JAKARTA)
DISTRICTS = [f"36.71.{d:02d}" for d in range(1, 14)]


def register(n: int, seed: int = 7) -> list[Business]:
    rng = random.Random(seed)
    return [
        business(
            f"B{i:05d}",
            sector=rng.choice(["kuliner", "fesyen", "kriya"]),
            district=rng.choice(DISTRICTS),
            coached_since=dt.date(2015, 1, 1) if rng.random() < 0.9 else None,
            sex=rng.choice([Sex.FEMALE, Sex.MALE]),
        )
        for i in range(n)
    ]


def applications(
    businesses: Sequence[Business], prog: Program, *, twice: bool = False, seed: int = 8
) -> list[Application]:
    rng = random.Random(seed)
    numbers = [w.number for w in prog.waves]
    apps = [
        Application(
            business_id=b.id,
            program_id=prog.id,
            applied_at=T0 + dt.timedelta(seconds=rng.randrange(3 * 86_400)),
            waves=tuple(rng.sample(numbers, rng.randint(0, 3))),
        )
        for b in businesses
    ]
    if twice:
        apps.extend(
            attrs.evolve(a, applied_at=a.applied_at + dt.timedelta(hours=1)) for a in apps[::3]
        )
    return apps


def decided(result: Allocation | ColumnarAllocation) -> list[tuple[object, ...]]:
    """Either engine's decisions as plain rows, reasons as (code, wave) pairs."""
    if isinstance(result, ColumnarAllocation):
        reasons: dict[int, list[tuple[str, int | None]]] = {}
        for row, code, wave in result.reasons.iter_rows():
            reasons.setdefault(row, []).append((code, wave))
        return [
            (
                d["business_id"],
                d["status"],
                d["wave"],
                d["position"],
                tuple(d["eligible"]),
                reasons.get(i, []),
            )
            for i, d in enumerate(result.decisions.iter_rows(named=True))
        ]
    return [
        (
            d.application.business_id,
            d.outcome.status,
            d.outcome.wave if isinstance(d.outcome, Accepted) else None,
            d.outcome.position if isinstance(d.outcome, Waitlisted) else None,
            d.eligible,
            [(r.code, r.wave) for r in getattr(d.outcome, "reasons", ())],
        )
        for d in result.decisions
    ]


def both(prog: Program, businesses: list[Business], apps: list[Application]) -> None:
    interpreted = allocate(prog, apps, businesses, as_of=AS_OF)
    columns = allocate_columns(
        prog, applications_frame(apps), register_frame(businesses), as_of=AS_OF
    )
    assert decided(columns) == decided(interpreted)
    assert columns.seats_taken() == interpreted.seats_taken()


# Eight waves of 20 seats for 3,000 applicants: the seats run out early, so most of the
# loop is the "no seat left" path; each case takes another path through the seat loop.
WAVES = (20,) * 5


@pytest.mark.parametrize(
    "rules",
    [
        pytest.param((sector_matches_wave(), district_quota(3)), id="two-counters"),
        pytest.param((coached_by(CITY_OFFICE),), id="wave-seats-and-one-seat"),
        pytest.param(
            (sector_matches_wave(), district_quota(2), total_seats(70)), id="three-counters"
        ),
        pytest.param((district_quota(4, per="program"),), id="district-per-programme"),
        pytest.param((reserved_share(30, women_owned()), district_quota(5)), id="reserved-share"),
    ],
)
def test_a_large_programme_is_decided_as_the_interpreted_engine_decides(
    rules: tuple[Rule, ...],
) -> None:
    businesses = register(3_000)
    prog = program(*rules, seats=WAVES)
    both(prog, businesses, applications(businesses, prog))


def test_businesses_applying_twice_are_decided_alike() -> None:
    businesses = register(1_500)
    prog = program(sector_matches_wave(), district_quota(3), seats=WAVES)
    both(prog, businesses, applications(businesses, prog, twice=True))
    lifted = attrs.evolve(prog, one_seat_per_business=False)
    both(lifted, businesses, applications(businesses, prog, twice=True))


def test_a_business_listed_twice_in_the_register_counts_as_its_last_row() -> None:
    first = business("B1", sector="fesyen")
    last = business("B1", sector="kuliner")
    prog = program(sector_matches_wave(), seats=(1, 1))
    apps = [Application(business_id="B1", program_id=prog.id, applied_at=T0, waves=(1,))]
    result = allocate_columns(
        prog, applications_frame(apps), register_frame([first, last]), as_of=AS_OF
    )
    assert result.decisions.get_column("status").to_list() == ["accepted"]
    assert decided(result) == decided(allocate(prog, apps, {"B1": last}, as_of=AS_OF))


def test_a_register_read_lazily_from_parquet_gives_the_same_decisions(
    tmp_path: pathlib.Path,
) -> None:
    businesses = register(500)
    prog = program(sector_matches_wave(), district_quota(2), seats=(10, 10, 10))
    apps = applications(businesses, prog)
    write_register_parquet(businesses, tmp_path / "register")
    lazily = allocate_columns(
        prog, applications_frame(apps), scan_register(tmp_path / "register"), as_of=AS_OF
    )
    eagerly = allocate_columns(
        prog, applications_frame(apps), register_frame(businesses), as_of=AS_OF
    )
    assert lazily.decisions.equals(eagerly.decisions)
    assert lazily.reasons.equals(eagerly.reasons)


def test_the_result_counts_seats_statuses_and_reasons() -> None:
    prog = program(sector_matches_wave(), seats=(1, 1))
    businesses = [business("B1"), business("B2"), business("B3", sector="kriya")]
    apps = [
        Application(business_id=b, program_id=prog.id, applied_at=T0 + dt.timedelta(minutes=i))
        for i, b in enumerate(["B1", "B2", "B3", "GHOST"])
    ]
    result = allocate_columns(
        prog, applications_frame(apps), register_frame(businesses), as_of=AS_OF
    )
    assert len(result) == 4
    assert result.status_counts() == {"accepted": 1, "waitlisted": 1, "refused": 2}
    assert result.seats_taken() == {1: 1, 2: 0}
    # B2 waits for wave 1 (full) and may not have wave 2 (fashion).
    assert result.reasons_of(1) == (("capacity.wave_full", 1), ("eligibility.sector", 2))
    assert result.reasons_of(3) == (("application.unknown_business", None),)
    assert result.reason_counts() == {
        "eligibility.sector": 2,  # B2 for wave 2, B3 for both (B1, seated, has none)
        "capacity.wave_full": 1,
        "application.unknown_business": 1,
    }
    table = result.with_reasons()
    assert table.get_column("reasons").to_list()[1] == [
        {"code": "capacity.wave_full", "wave": 1},
        {"code": "eligibility.sector", "wave": 2},
    ]
    assert table.get_column("reasons").to_list()[0] == []


def test_applications_frame_keeps_the_instant_and_the_waves() -> None:
    utc = dt.datetime(2017, 11, 1, 1, 0, tzinfo=dt.UTC)
    apps = [
        Application(business_id="B1", program_id="P", applied_at=T0, waves=(2, 1), tier=3),
        Application(business_id="B2", program_id="P", applied_at=utc),
    ]
    frame = applications_frame(apps)
    assert frame.schema == pl.Schema(APPLICATIONS_SCHEMA)
    assert frame.row(0) == ("B1", "P", T0.astimezone(dt.UTC), [2, 1], 3)
    assert (
        frame.get_column("applied_at").to_list()[0] == frame.get_column("applied_at").to_list()[1]
    )


@attrs.frozen(kw_only=True)
class PerSectorCap(CapacityRule):
    name: ClassVar[str] = "per_sector_cap"
    code: ClassVar[str] = "capacity.per_sector"

    def describe(self) -> Text:
        return Text("batas per sektor", "a cap per sector")

    def charges(self, ctx: RuleContext) -> Iterable[Charge]:
        return (Charge((self.code, ctx.business.sector), 1, self),)

    def explain(self, charge: Charge) -> Text:
        return Text("Kuota sektor penuh.", "The sector's quota is full.")


@attrs.frozen(kw_only=True)
class AppliedEarly(EligibilityRule):
    name: ClassVar[str] = "applied_early"
    code: ClassVar[str] = "eligibility.applied_early"
    reads_application: ClassVar[bool] = True

    def describe(self) -> Text:
        return Text("mendaftar awal", "applied early")

    def check(self, ctx: RuleContext) -> Verdict:
        return PASS


@attrs.frozen(kw_only=True)
class MakesFlagshipProduct(EligibilityRule):
    name: ClassVar[str] = "makes_flagship_product"
    code: ClassVar[str] = "eligibility.makes_flagship_product"

    def describe(self) -> Text:
        return Text("membuat produk unggulan", "makes a flagship product")

    def check(self, ctx: RuleContext) -> Verdict:
        return PASS


@pytest.mark.parametrize(
    ("rule", "name"),
    [
        (PerSectorCap(), "per_sector_cap"),
        (AppliedEarly(), "applied_early"),
        (MakesFlagshipProduct(), "makes_flagship_product"),
        (reserved_share(50, MakesFlagshipProduct()), "makes_flagship_product"),
    ],
)
def test_a_rule_it_cannot_judge_in_columns_is_refused_by_name(rule: Rule, name: str) -> None:
    prog = program(rule)
    with pytest.raises(UmkmError) as caught:
        allocate_columns(prog, applications_frame([]), register_frame([]), as_of=AS_OF)
    assert caught.value.code == "bulk.not_columnar"
    assert caught.value.field == name


def _frame(**changes: pl.Series) -> pl.DataFrame:
    apps = [Application(business_id="B1", program_id="P2017", applied_at=T0)]
    return applications_frame(apps).with_columns(**changes)


@pytest.mark.parametrize(
    ("frame", "field"),
    [
        (applications_frame([]).drop("waves"), "waves"),
        (_frame(waves=pl.Series(["x"])), "applications"),
        (_frame(business_id=pl.Series([None], dtype=pl.String)), "business_id"),
        (_frame(applied_at=pl.Series([None], dtype=pl.Datetime("us", "UTC"))), "applied_at"),
    ],
)
def test_a_bad_applications_frame_is_refused_with_the_column_named(
    frame: pl.DataFrame, field: str
) -> None:
    with pytest.raises(UmkmError) as caught:
        allocate_columns(program(), frame, register_frame([business()]), as_of=AS_OF)
    assert caught.value.code == "bulk.bad_applications"
    assert caught.value.field == field


def test_a_register_without_its_columns_is_refused() -> None:
    with pytest.raises(UmkmError) as caught:
        allocate_columns(
            program(), _frame(), register_frame([business()]).drop("sector"), as_of=AS_OF
        )
    assert (caught.value.code, caught.value.field) == ("bulk.bad_register", "sector")


def test_applications_to_another_programme_are_refused_by_row() -> None:
    frame = pl.concat([_frame(), _frame(program_id=pl.Series(["P-OTHER"]))])
    with pytest.raises(InvalidDocument) as caught:
        allocate_columns(program(), frame, register_frame([business()]), as_of=AS_OF)
    assert [e.field for e in caught.value.errors] == ["applications[1].program_id"]


def test_an_as_of_date_past_the_limit_is_refused() -> None:
    with pytest.raises(UmkmError) as caught:
        allocate_columns(
            program(), _frame(), register_frame([business()]), as_of=dt.date(9999, 12, 31)
        )
    assert caught.value.code == "date.out_of_range"


@pytest.mark.parametrize(
    ("column", "value", "code", "field"),
    [
        ("business_id", pl.Series([" "]), "application.business_id_blank", "business_id"),
        ("waves", pl.Series([[1, 0]]), "application.bad_wave", "waves"),
        (
            "waves",
            pl.Series([[1, None]], dtype=pl.List(pl.Int64)),
            "application.bad_wave",
            "waves",
        ),
        ("waves", pl.Series([[2, 2]]), "application.duplicate_wave", "waves"),
        ("tier", pl.Series([-1]), "application.bad_tier", "tier"),
    ],
)
def test_a_value_an_application_refuses_is_refused_by_row(
    column: str, value: pl.Series, code: str, field: str
) -> None:
    frame = pl.concat([_frame(), _frame(**{column: value})], how="vertical_relaxed")
    with pytest.raises(InvalidDocument) as caught:
        allocate_columns(program(), frame, register_frame([business()]), as_of=AS_OF)
    assert [(e.code, e.field) for e in caught.value.errors] == [(code, f"applications[1].{field}")]
