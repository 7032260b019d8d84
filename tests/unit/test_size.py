from __future__ import annotations

import datetime as dt

import pytest

from umkm_core import Criterion, FinancialRecord, SizeClass, classify_size

DEC_2017 = dt.date(2017, 12, 19)
MAR_2021 = dt.date(2021, 3, 1)


@pytest.mark.parametrize(
    ("sales", "expected"),
    [
        (300_000_000, SizeClass.MIKRO),
        (300_000_001, SizeClass.KECIL),
        (2_500_000_000, SizeClass.KECIL),
        (2_500_000_001, SizeClass.MENENGAH),
        (50_000_000_000, SizeClass.MENENGAH),
        (50_000_000_001, SizeClass.BESAR),
    ],
)
def test_uu_20_2008_sales_boundaries_are_inclusive_at_most(
    sales: int, expected: SizeClass
) -> None:
    a = classify_size(FinancialRecord(year=2017, annual_sales=sales), on=DEC_2017)
    assert a.size_class is expected
    assert a.regime.code == "uu-20-2008"


def test_under_uu_20_2008_either_criterion_suffices_so_the_smaller_class_wins() -> None:
    record = FinancialRecord(year=2017, annual_sales=1_000_000_000, net_assets=40_000_000)
    a = classify_size(record, on=DEC_2017)
    assert a.size_class is SizeClass.MIKRO
    assert a.criteria == (Criterion.NET_ASSETS,)


def test_pp_7_2021_applies_from_2_february_2021_and_capital_decides() -> None:
    record = FinancialRecord(year=2021, annual_sales=100_000_000, business_capital=2_000_000_000)
    assert classify_size(record, on=dt.date(2021, 2, 1)).regime.code == "uu-20-2008"
    a = classify_size(record, on=dt.date(2021, 2, 2))
    assert a.regime.code == "pp-7-2021"
    assert a.size_class is SizeClass.KECIL
    assert a.criteria == (Criterion.BUSINESS_CAPITAL,)


def test_pp_7_2021_uses_sales_when_asked_or_when_capital_is_missing() -> None:
    record = FinancialRecord(year=2021, annual_sales=2_000_000_001)
    a = classify_size(record, on=MAR_2021)
    assert a.size_class is SizeClass.KECIL
    assert a.criteria == (Criterion.ANNUAL_SALES,)


def test_missing_figures_give_an_unknown_assessment_with_a_reason() -> None:
    a = classify_size(FinancialRecord(year=2017), on=DEC_2017)
    assert not a.is_known
    assert a.size_class is None
    assert "annual_sales" in a.explain("en")
    assert classify_size(None, on=DEC_2017).size_class is None
