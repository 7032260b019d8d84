"""classify_size against a plain reading of the law's tables (an independent oracle)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from umkm_core import Criterion, FinancialRecord, SizeClass, classify_size

ORDER = [SizeClass.MIKRO, SizeClass.KECIL, SizeClass.MENENGAH, SizeClass.BESAR]
JUTA = 1_000_000
UU_20_2008 = {
    Criterion.NET_ASSETS: (50 * JUTA, 500 * JUTA, 10_000 * JUTA),
    Criterion.ANNUAL_SALES: (300 * JUTA, 2_500 * JUTA, 50_000 * JUTA),
}
# Amounts near every boundary, and anywhere else.
amounts = (
    st.none()
    | st.sampled_from(
        [v + d for limits in UU_20_2008.values() for v in limits for d in (-1, 0, 1)]
    )
    | st.integers(0, 10**11)
)


def oracle_class(amount: int, limits: tuple[int, int, int]) -> SizeClass:
    return next((c for c, upper in zip(ORDER, limits, strict=False) if amount <= upper), ORDER[3])


@given(net_assets=amounts, annual_sales=amounts)
def test_under_uu_20_2008_the_smallest_class_of_any_known_figure_decides(
    net_assets: int | None, annual_sales: int | None
) -> None:
    record = FinancialRecord(year=2017, net_assets=net_assets, annual_sales=annual_sales)
    result = classify_size(record, on=dt.date(2017, 12, 19))
    figures = {Criterion.NET_ASSETS: net_assets, Criterion.ANNUAL_SALES: annual_sales}
    classes = {c: oracle_class(v, UU_20_2008[c]) for c, v in figures.items() if v is not None}
    if not classes:
        assert result.size_class is None
        return
    best = min(classes.values(), key=ORDER.index)
    assert result.size_class is best
    assert result.criteria == tuple(c for c in UU_20_2008 if classes.get(c) is best)
    assert result.figures == tuple((c, figures[c]) for c in result.criteria)
