"""Properties of roster import: nothing crashes, nothing is lost, good rows round-trip."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umkm_core import Business, RegionCode
from umkm_core import strategies as ust
from umkm_core.adapters.exchange import looks_like_data
from umkm_core.adapters.roster import (
    COLUMNS,
    ImportedBusiness,
    business_from_row,
    import_roster,
    is_roster_header,
    normalise_header,
    roster_row,
)
from umkm_core.errors import ValidationError

OFFICE = "dinkopukm-3671"
_FIGURES = ("annual_sales", "net_assets", "business_capital")
TANGERANG = RegionCode.parse("36.71")


def numbered(rows: list[Mapping[str, object]]) -> list[tuple[int, Mapping[str, object]]]:
    return list(enumerate(rows, start=2))


@settings(max_examples=150)
@given(st.lists(ust.roster_rows(junk=True), max_size=20))
def test_junk_rows_never_crash_and_every_row_is_accounted_for(
    rows: list[Mapping[str, object]],
) -> None:
    first = next((r for r in rows if r), None)
    if first is not None and (
        not any(is_roster_header(h) for h in first) or any(looks_like_data(h) for h in first)
    ):
        # Headers nobody knows, or one that looks like data ("000000"): the file has no
        # header row, a whole-file problem (check_header).
        with pytest.raises(ValidationError, match=r"roster\.header_missing"):
            import_roster(numbered(rows), office_id=OFFICE)
        return
    headers = {normalise_header(h) for h in first} if first is not None else set()
    figures = {normalise_header(a) for c in COLUMNS if c.field in _FIGURES for a in c.aliases}
    years = {normalise_header(a) for c in COLUMNS if c.field == "year" for a in c.aliases}
    if headers & figures and not headers & years:
        # A whole-file fact, told once: the first row's headers hold figures, no year.
        with pytest.raises(ValidationError) as info:
            import_roster(numbered(rows), office_id=OFFICE)
        assert info.value.code == "roster.year_missing"
        return
    report = import_roster(numbered(rows), office_id=OFFICE)
    assert report.imported + report.refused_count == report.rows_read == len(rows)
    assert all(r.problems for r in report.refused)
    assert sorted([r.row for r in report.imported_rows] + [r.row for r in report.refused]) == [
        n for n, _ in numbered(rows)
    ]


coached = ust.businesses(within=TANGERANG, coached_by=ust.coachings(offices=st.just(OFFICE)))


@settings(max_examples=60)
@given(st.lists(ust.roster_rows(from_businesses=coached), max_size=10))
def test_rows_of_valid_businesses_are_imported_unless_duplicated(
    rows: list[Mapping[str, object]],
) -> None:
    report = import_roster(numbered(rows), office_id=OFFICE)
    assert report.rows_read == len(rows)
    for refused in report.refused:
        assert set(refused.codes) <= {
            "roster.duplicate_id",
            "roster.duplicate_nib",
            "roster.duplicate_nik",
        }
    ids = [b.id for b in report.businesses]
    assert len(ids) == len(set(ids))


@settings(max_examples=100)
@given(coached)
def test_a_business_written_as_a_roster_row_reads_back_the_same(business: Business) -> None:
    result = business_from_row(2, roster_row(business, office_id=OFFICE), office_id=OFFICE)
    assert isinstance(result, ImportedBusiness), result
    back = result.business
    assert back == business  # entities compare by id
    assert (back.name, back.sector, back.region, back.nib, back.npwp) == (
        business.name,
        business.sector,
        business.region,
        business.nib,
        business.npwp,
    )
    # A roster holds bare codes; their edition is the one the import is told.
    assert [k.code for k in back.kbli] == [k.code for k in business.kbli]
    assert all(k.edition == 2020 for k in back.kbli)
    assert (back.owner.name, back.owner.nik, back.owner.phone, back.owner.effective_sex) == (
        business.owner.name,
        business.owner.nik,
        business.owner.phone,
        business.owner.effective_sex,
    )
    latest = max(business.financials, key=lambda r: r.year, default=None)
    has_figures = latest is not None and any(
        v is not None for v in (latest.annual_sales, latest.net_assets, latest.business_capital)
    )
    assert back.financials == ((latest,) if has_figures else ())
    first = business.coached_by[0] if business.coached_by else None
    assert [c.since for c in back.coached_by] == ([first.since] if first else [])
