from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from umkm_core import (
    KBLI,
    NIK,
    Address,
    Business,
    Coaching,
    FinancialRecord,
    HeldCertificate,
    Owner,
    Product,
    RegionCode,
    Sex,
    ValidationError,
    normalise_phone,
)

WOMAN = NIK("3671054508900001")
DAY = dt.date(2017, 12, 19)


def _business(**changes: Any) -> Business:
    values: dict[str, Any] = {
        "id": "B1",
        "name": "Dodol Bu Siti",
        "owner": Owner(name="Siti", nik=WOMAN),
        "address": Address(region=RegionCode("367105")),
        "sector": "kuliner",
    }
    values.update(changes)
    return Business(**values)


def _code(info: pytest.ExceptionInfo[ValidationError]) -> tuple[str, str | None]:
    return info.value.code, info.value.field


def test_owner_sex_must_agree_with_the_nik() -> None:
    with pytest.raises(ValidationError) as info:
        Owner(name="Siti", nik=WOMAN, sex=Sex.MALE)
    assert _code(info) == ("owner.sex_mismatch", "sex")


def test_owner_sex_falls_back_to_the_nik() -> None:
    assert Owner(name="Siti", nik=WOMAN).effective_sex is Sex.FEMALE
    assert Owner(name="Siti").effective_sex is None
    assert Owner(name="Budi", sex=Sex.MALE).effective_sex is Sex.MALE


def test_owner_needs_a_name() -> None:
    with pytest.raises(ValidationError) as info:
        Owner(name="   ")
    assert _code(info) == ("owner.name_blank", "name")


def test_owner_personal_data_stays_out_of_the_repr() -> None:
    text = repr(Owner(name="Siti Rahayu", nik=WOMAN, phone="+6281234567890"))
    assert "Siti" not in text
    assert "0001" not in text
    assert "+6281234567890" not in text


def test_owner_phone_must_be_normalised_first() -> None:
    with pytest.raises(ValidationError) as info:
        Owner(name="Siti", phone="0812-3456-7890")
    assert _code(info) == ("phone.invalid", "phone")
    assert Owner(name="Siti", phone=normalise_phone("0812-3456-7890")).phone == "+6281234567890"


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("62812.3456.7890", "+6281234567890"),
        ("0062 21 555 1234", "+62215551234"),
    ],
)
def test_phone_numbers_are_normalised_to_e164(text: str, normalised: str) -> None:
    assert normalise_phone(text) == normalised


@pytest.mark.parametrize("text", ["", "99", "0899-ABCD-1111", None, 899111222])
def test_bad_phone_numbers_are_refused_without_showing_them(text: object) -> None:
    with pytest.raises(ValidationError) as info:
        normalise_phone(text)
    assert info.value.code == "phone.invalid"
    if text:
        assert str(text) not in str(info.value)


def test_financial_figures_are_whole_non_negative_rupiah() -> None:
    with pytest.raises(ValidationError) as info:
        FinancialRecord(year=2017, annual_sales=-1)
    assert _code(info) == ("financialrecord.annual_sales_negative", "annual_sales")
    with pytest.raises(ValidationError):
        FinancialRecord(year=2017, net_assets=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        FinancialRecord(year=2017, business_capital=True)


def test_financial_year_must_be_plausible() -> None:
    with pytest.raises(ValidationError) as info:
        FinancialRecord(year=1800)
    assert _code(info) == ("financialrecord.bad_year", "year")


def test_unknown_figures_are_none_not_zero() -> None:
    record = FinancialRecord(year=2017)
    assert record.annual_sales is None
    assert record.net_assets is None


def test_business_may_not_report_one_year_twice() -> None:
    with pytest.raises(ValidationError) as info:
        _business(
            financials=(FinancialRecord(year=2016), FinancialRecord(year=2016, annual_sales=1))
        )
    assert _code(info) == ("business.duplicate_financial_year", "financials[1].year")


def test_business_needs_id_name_and_sector() -> None:
    for field in ("id", "name", "sector"):
        with pytest.raises(ValidationError) as info:
            _business(**{field: ""})
        assert _code(info) == (f"business.{field}_blank", field)


def test_business_lists_only_their_own_types() -> None:
    with pytest.raises(ValidationError) as info:
        _business(kbli=("10796",))
    assert _code(info) == ("business.bad_type", "kbli[0]")


def test_business_turns_lists_into_tuples() -> None:
    business = _business(kbli=[KBLI("10796")])
    assert business.kbli == (KBLI("10796"),)


def test_businesses_compare_and_hash_by_id_only() -> None:
    before = _business(name="Dodol Bu Siti")
    after = attrs.evolve(before, name="Dodol Siti Jaya")
    assert before == after
    assert hash(before) == hash(after)
    assert before != attrs.evolve(before, id="B2")


def test_evolve_re_runs_validators() -> None:
    with pytest.raises(ValidationError):
        attrs.evolve(_business(), name=" ")


def test_coaching_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationError) as info:
        Coaching(office_id="dinkopukm-3671", since=DAY, until=DAY - dt.timedelta(days=1))
    assert _code(info) == ("coaching.until_before_since", "until")


def test_business_is_binaan_only_while_coached() -> None:
    business = _business(
        coached_by=(
            Coaching(office_id="dinkopukm-3671", since=dt.date(2015, 1, 1)),
            Coaching(
                office_id="dinkopukm-36", since=dt.date(2012, 1, 1), until=dt.date(2014, 12, 31)
            ),
        )
    )
    assert business.is_coached_by("dinkopukm-3671", DAY)
    assert not business.is_coached_by("dinkopukm-3671", dt.date(2014, 12, 31))
    assert business.is_coached_by("dinkopukm-36", dt.date(2014, 12, 31))
    assert not business.is_coached_by("dinkopukm-36", DAY)


def test_latest_financials_ignores_years_not_yet_begun() -> None:
    business = _business(
        financials=(FinancialRecord(year=2016), FinancialRecord(year=2018)),
    )
    latest = business.latest_financials(DAY)
    assert latest is not None
    assert latest.year == 2016
    assert _business().latest_financials(DAY) is None
    assert business.financials_for(2018) == FinancialRecord(year=2018)


def test_certificate_is_held_only_while_valid() -> None:
    pirt = HeldCertificate(
        kind="pirt",
        number="205367102392216",
        issued_on=dt.date(2016, 6, 18),
        expires_on=dt.date(2021, 6, 17),
    )
    business = _business(certificates=(pirt,))
    assert business.holds("pirt", DAY)
    assert not business.holds("pirt", dt.date(2021, 6, 18))
    assert not business.holds("halal", DAY)


def test_certificate_cannot_expire_before_it_is_issued() -> None:
    with pytest.raises(ValidationError) as info:
        HeldCertificate(
            kind="halal", number="X1", issued_on=DAY, expires_on=DAY - dt.timedelta(days=1)
        )
    assert _code(info) == ("heldcertificate.expires_on_before_issued_on", "expires_on")


def test_product_needs_a_name_and_a_real_flag() -> None:
    with pytest.raises(ValidationError):
        Product(name="")
    with pytest.raises(ValidationError) as info:
        Product(name="Dodol", flagship="yes")  # type: ignore[arg-type]
    assert _code(info) == ("product.bad_type", "flagship")


def test_address_region_is_a_region_code() -> None:
    with pytest.raises(ValidationError) as info:
        Address(region="36.71.05")  # type: ignore[arg-type]
    assert _code(info) == ("address.bad_type", "region")
    assert _business().region == RegionCode("367105")
