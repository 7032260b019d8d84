"""Everything the strategies generate is valid; classification is monotone; junk is refused."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

import umkm_core
from umkm_core import (
    KBLI,
    NIB,
    NIK,
    NPWP,
    SIZE_REGIMES,
    Criterion,
    FinancialRecord,
    PIRTNumber,
    RegionCode,
    ValidationError,
    classify_size,
    normalise_phone,
)
from umkm_core import strategies as ust

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.text("0123456789 .-/eE+,"),
    st.binary(),
    st.lists(st.integers() | st.text(), max_size=3),
    st.dictionaries(st.text(), st.integers(), max_size=3),
    st.dates(),
    st.builds(object),
)


def _outcome(call: Callable[[], object]) -> object:
    """What ``call`` returns, or the ValidationError it raises; anything else escapes."""
    try:
        return call()
    except ValidationError as err:
        return err


def _assert_ours_if_refused(outcome: object, prefix: str = "") -> None:
    if isinstance(outcome, ValidationError):
        assert outcome.code.startswith(prefix)
        assert outcome.message("id")
        assert outcome.message("en")


def _validate_deep(value: Any) -> None:
    """Re-run every attrs validator of ``value`` and of everything inside it."""
    if attrs.has(type(value)):
        attrs.validate(value)
        for field in attrs.fields(type(value)):
            _validate_deep(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            _validate_deep(item)


@given(
    st.one_of(
        ust.owners(),
        ust.addresses(),
        ust.products(),
        ust.financial_records(),
        ust.coachings(),
        ust.held_certificates(),
        ust.businesses(),
    )
)
def test_generated_records_pass_their_own_validators(record: Any) -> None:
    _validate_deep(record)


@given(st.from_type(umkm_core.Business))
def test_from_type_gives_valid_businesses_through_the_entry_point(business: Any) -> None:
    assert isinstance(business, umkm_core.Business)
    _validate_deep(business)


@given(ust.niks())
def test_generated_niks_parse_back_and_decode(nik: NIK) -> None:
    assert NIK.parse(nik.value) == nik
    assert nik.birth_date <= dt.date.today()
    assert nik.region.parent is not None


@given(ust.nibs() | ust.npwps() | ust.pirt_numbers() | ust.region_codes())
def test_generated_identifiers_parse_back_from_their_printed_form(identifier: Any) -> None:
    printed = getattr(identifier, "formatted", str(identifier))
    assert type(identifier).parse(printed) == identifier
    assert type(identifier).parse(identifier.value) == identifier


@given(ust.kblis())
def test_generated_kbli_codes_parse_back(kbli: KBLI) -> None:
    assert KBLI.parse(kbli.code, edition=kbli.edition) == kbli


@given(ust.niks(sex=umkm_core.Sex.FEMALE), ust.niks(sex=umkm_core.Sex.MALE))
def test_generated_niks_encode_the_sex_asked_for(woman: NIK, man: NIK) -> None:
    assert woman.sex is umkm_core.Sex.FEMALE
    assert man.sex is umkm_core.Sex.MALE


@given(
    st.sampled_from(SIZE_REGIMES),
    st.integers(0, 80_000_000_000),
    st.integers(0, 80_000_000_000),
    st.none() | st.integers(0, 20_000_000_000),
    st.none() | st.integers(0, 20_000_000_000),
    st.sampled_from([None, Criterion.ANNUAL_SALES]),
)
def test_more_sales_never_means_a_smaller_class_within_one_regime(
    regime: Any,
    sales_a: int,
    sales_b: int,
    net_assets: int | None,
    capital: int | None,
    basis: Criterion | None,
) -> None:
    low, high = sorted((sales_a, sales_b))
    on = regime.effective_from + dt.timedelta(days=30)

    def rank(sales: int) -> int:
        record = FinancialRecord(
            year=on.year, annual_sales=sales, net_assets=net_assets, business_capital=capital
        )
        assessment = classify_size(record, on=on, basis=basis)
        assert assessment.regime is regime
        assert assessment.size_class is not None
        return assessment.size_class.rank

    assert rank(low) <= rank(high)


@given(junk)
def test_junk_to_every_identifier_parse_raises_only_our_error(value: object) -> None:
    for parse in (
        NIB.parse,
        NIK.parse,
        NPWP.parse,
        KBLI.parse,
        RegionCode.parse,
        PIRTNumber.parse,
        normalise_phone,
    ):
        _assert_ours_if_refused(_outcome(functools.partial(parse, value)))


@given(junk, junk)
def test_junk_kbli_edition_raises_only_our_error(code: object, edition: object) -> None:
    outcome = _outcome(lambda: KBLI.parse(code, edition=edition))  # type: ignore[arg-type]
    _assert_ours_if_refused(outcome, "kbli.")


@given(junk)
def test_junk_to_strict_identifier_constructors_raises_only_our_error(value: Any) -> None:
    for cls in (NIB, NIK, NPWP, RegionCode, PIRTNumber):
        _assert_ours_if_refused(_outcome(functools.partial(cls, value)))
