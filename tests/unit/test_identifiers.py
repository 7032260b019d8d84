from __future__ import annotations

import datetime as dt

import pytest

from umkm_core import KBLI, NIB, NIK, NPWP, PIRTNumber, RegionCode, RegionLevel, Sex
from umkm_core.errors import ValidationError


def test_nik_decodes_birth_date_sex_and_district_of_a_woman() -> None:
    nik = NIK.parse("3671 0545 0890 0001")
    assert nik.birth_date == dt.date(1990, 8, 5)
    assert nik.sex is Sex.FEMALE
    assert nik.region == RegionCode.parse("36.71.05")


def test_nik_of_a_man_keeps_the_plain_day() -> None:
    nik = NIK.parse("3671051708450001")
    assert nik.birth_date == dt.date(1945, 8, 17)
    assert nik.sex is Sex.MALE


@pytest.mark.parametrize("text", ["3671054508900001", "013000666091000", "0013000666091000"])
def test_npwp_repr_masks_the_number_like_nik(text: str) -> None:
    npwp = NPWP.parse(text)
    assert text[6:] not in repr(npwp)
    assert repr(npwp).startswith(f"NPWP('{text[:6]}")
    assert str(npwp) == text


def test_nik_repr_never_shows_the_whole_number() -> None:
    assert "0001" not in repr(NIK.parse("3671054508900001"))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("3.67101E+15", "nik.scientific_notation"),
        ("3671054508900001.0", "nik.spreadsheet_decimal"),
        (3.671054508900001e15, "nik.scientific_notation"),
        ("367105450890000", "nik.bad_length"),
        ("36710545089000AB", "nik.bad_characters"),
        ("3671053208900001", "nik.bad_birth_date"),
        ("9971054508900001", "nik.unknown_region"),
        ("", "nik.empty"),
        (None, "nik.empty"),
        ([], "nik.not_text"),
    ],
)
def test_damaged_niks_are_refused_with_their_own_code(text: object, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        NIK.parse(text)
    assert info.value.code == code


def test_nib_that_lost_its_leading_zero_is_refused_not_repaired() -> None:
    with pytest.raises(ValidationError) as info:
        NIB.parse(220104321234)
    assert info.value.code == "nib.lost_leading_zero"


def test_npwp_formats_15_digits_with_dots_and_16_digits_plain() -> None:
    assert NPWP.parse("013000666091000").formatted == "01.300.066.6-091.000"
    assert NPWP.parse("0013000666091000").formatted == "0013000666091000"
    assert str(NPWP.parse("01.300.066.6-091.000")) == "013000666091000"


def test_npwp_with_a_wrong_check_digit_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        NPWP.parse("013000667091000")
    assert info.value.code == "npwp.bad_checksum"


def test_sixteen_digit_npwp_of_a_person_is_their_nik() -> None:
    npwp = NPWP.parse("3671054508900001")
    assert npwp.is_nik


def test_region_code_levels_parents_and_containment() -> None:
    district = RegionCode.parse("36.71.05")
    assert district.level is RegionLevel.DISTRICT
    assert str(district.parent) == "36.71"
    assert RegionCode.parse("36").contains(district)
    assert not RegionCode.parse("36.74").contains(district)
    assert str(RegionCode.parse("3671051001")) == "36.71.05.1001"


def test_kbli_keeps_its_edition() -> None:
    kbli = KBLI.parse("13133", edition=2025)
    assert kbli.edition == 2025
    assert kbli != KBLI.parse("13133")


def test_kbli_that_lost_its_leading_zero_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        KBLI.parse("1111")
    assert info.value.code == "kbli.lost_leading_zero"


def test_pirt_number_decodes_its_parts() -> None:
    pirt = PIRTNumber.parse("P-IRT No. 2053671010203-28")
    assert pirt.packaging_code == "2"
    assert pirt.food_type_code == "05"
    assert pirt.region == RegionCode.parse("36.71")
    assert pirt.product_number == "01"
    assert pirt.firm_number == "0203"
    assert pirt.expiry_year == 2028
    assert pirt.formatted == "P-IRT No. 2053671010203-28"


@pytest.mark.parametrize("text", ["99.99", "99", "36.99", "36.71.14", "36.71.99.1001"])
def test_region_codes_that_kemendagri_does_not_list_are_refused(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        RegionCode.parse(text)
    assert info.value.code == "region.unknown_region"


@pytest.mark.parametrize("text", ["36", "36.71", "36.71.13", "36.03", "92", "96.01", "11.01"])
def test_every_province_and_regency_and_the_tangerang_districts_are_known(text: str) -> None:
    assert str(RegionCode.parse(text)) == text


def test_a_region_list_can_be_extended_with_the_districts_of_another_regency() -> None:
    from umkm_core.model.regions import RegionList

    extended = RegionList.builtin().extended(["36.03.01"])
    assert str(RegionCode.parse("36.03.01", regions=extended)) == "36.03.01"
    with pytest.raises(ValidationError):
        RegionCode.parse("36.03.02", regions=extended)
    assert str(RegionCode.parse("36.03.02")) == "36.03.02", "built-in: districts unchecked"
    assert RegionCode.parse_shape("99.99").value == "9999"
