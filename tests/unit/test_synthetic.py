from __future__ import annotations

import collections
import datetime as dt
import itertools

import pytest

from umkm_core import Business, RegionCode, Sex, SizeClass, ValidationError, classify_size
from umkm_core.adapters.serialization import to_dict
from umkm_core.model.regions import KOTA_TANGERANG, TANGERANG_DISTRICTS
from umkm_core.synthetic import DEFAULT_OFFICE_ID, SECTOR_PROFILES, synthetic_register

AS_OF = dt.date(2017, 12, 19)


@pytest.fixture(scope="module")
def register() -> list[Business]:
    return list(synthetic_register(2_000, seed=11))


def test_same_seed_gives_the_same_register() -> None:
    first = [to_dict(b) for b in synthetic_register(50, seed=3)]
    again = [to_dict(b) for b in synthetic_register(50, seed=3)]
    assert first == again


def test_different_seeds_give_different_registers() -> None:
    a = [to_dict(b) for b in synthetic_register(20, seed=1)]
    b = [to_dict(b) for b in synthetic_register(20, seed=2)]
    assert a != b


def test_a_longer_register_starts_like_a_shorter_one() -> None:
    short = [to_dict(b) for b in synthetic_register(10, seed=5)]
    long = [to_dict(b) for b in itertools.islice(synthetic_register(1_000, seed=5), 10)]
    assert short == long


def test_businesses_get_stable_sequential_ids(register: list[Business]) -> None:
    assert [b.id for b in register[:3]] == ["3671-0000001", "3671-0000002", "3671-0000003"]
    assert len({b.id for b in register}) == len(register)


def test_every_business_is_coached_by_the_office_on_the_reference_day(
    register: list[Business],
) -> None:
    assert all(b.is_coached_by(DEFAULT_OFFICE_ID, AS_OF) for b in register)


def test_businesses_lie_in_kota_tangerangs_thirteen_districts(register: list[Business]) -> None:
    districts = {b.region for b in register}
    assert districts == set(TANGERANG_DISTRICTS)
    assert all(KOTA_TANGERANG.contains(d) for d in districts)


def test_owner_nik_matches_the_owners_sex(register: list[Business]) -> None:
    for business in register:
        owner = business.owner
        assert owner.nik is not None
        if owner.sex is not None:
            assert owner.nik.sex is owner.sex
    women = sum(b.owner.effective_sex is Sex.FEMALE for b in register)
    assert 0.5 < women / len(register) < 0.8


def test_kbli_codes_match_the_sector(register: list[Business]) -> None:
    codes = {p.code: {code for _, code in p.products} for p in SECTOR_PROFILES}
    for business in register:
        assert business.kbli
        assert {k.code for k in business.kbli} <= codes[business.sector]
        assert {p.kbli for p in business.products} == set(business.kbli)


def test_sector_mix_is_led_by_food(register: list[Business]) -> None:
    counts = collections.Counter(b.sector for b in register)
    assert counts.most_common(1)[0][0] == "kuliner"
    assert set(counts) == {p.code for p in SECTOR_PROFILES}


def test_almost_all_businesses_are_micro(register: list[Business]) -> None:
    classes = collections.Counter(
        classify_size(b.latest_financials(AS_OF), on=AS_OF).size_class for b in register
    )
    assert classes[SizeClass.MIKRO] / len(register) > 0.95
    assert classes[SizeClass.KECIL] > 0


def test_latest_financial_record_is_of_the_register_year(register: list[Business]) -> None:
    for business in register:
        latest = business.latest_financials(AS_OF)
        assert latest is not None
        assert latest.year == AS_OF.year


def test_some_businesses_hold_an_nib_and_certificates(register: list[Business]) -> None:
    with_nib = sum(b.nib is not None for b in register) / len(register)
    assert 0.3 < with_nib < 0.5
    kinds = {c.kind for b in register for c in b.certificates}
    assert kinds == {"pirt", "halal", "trademark"}


def test_a_single_district_register_stays_in_that_district() -> None:
    district = RegionCode("367105")
    assert {b.region for b in synthetic_register(30, region=district)} == {district}


def test_other_regencies_get_numbered_districts_and_no_tangerang_postcodes() -> None:
    businesses = list(synthetic_register(30, region=RegionCode("3674")))
    assert all(RegionCode("3674").contains(b.region) for b in businesses)
    assert all(b.address.postal_code is None for b in businesses)


def test_register_of_nothing_is_empty() -> None:
    assert list(synthetic_register(0)) == []


@pytest.mark.parametrize("n", [-1, 1.5, True])
def test_negative_or_odd_counts_are_refused(n: object) -> None:
    with pytest.raises(ValidationError) as info:
        next(synthetic_register(n))  # type: ignore[arg-type]
    assert info.value.code == "synthetic.bad_count"


@pytest.mark.parametrize("region", ["36", "3671051001"])
def test_province_or_village_is_refused(region: str) -> None:
    with pytest.raises(ValidationError) as info:
        next(synthetic_register(1, region=RegionCode(region)))
    assert info.value.code == "synthetic.bad_region"
