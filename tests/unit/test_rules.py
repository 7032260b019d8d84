from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest

from alloc_support import CITY_OFFICE, business, past, program
from umkm_core import (
    NIB,
    Business,
    PastEnrollment,
    Sex,
    ValidationError,
)
from umkm_core.rules import (
    EligibilityRule,
    RuleContext,
    all_of,
    any_of,
    builtin_rule_factories,
    coached_by,
    district_quota,
    has_nib,
    located_in,
    not_,
    not_attended_within,
    rule_from_data,
    rules_from_data,
    sector_matches_wave,
    size_class_in,
    women_owned,
)

AS_OF = dt.date(2017, 12, 1)


def judge(
    rule: EligibilityRule,
    b: Business,
    *,
    wave: int | None = None,
    history: Iterable[PastEnrollment] = (),
) -> list[str]:
    prog = program()
    ctx = RuleContext(business=b, program=prog, as_of=AS_OF, history=tuple(history))
    if wave is not None:
        ctx = ctx.at_wave(prog.wave(wave))
    verdict = rule.check(ctx)
    return [r.code for r in verdict.reasons] if not verdict.passed else []


def test_food_business_fits_the_food_wave_only() -> None:
    b = business(sector="kuliner")
    assert judge(sector_matches_wave(), b, wave=1) == []
    assert judge(sector_matches_wave(), b, wave=2) == ["eligibility.sector"]


def test_binaan_is_judged_on_the_as_of_date() -> None:
    assert judge(coached_by(CITY_OFFICE), business(coached_since=dt.date(2015, 1, 1))) == []
    assert judge(coached_by(CITY_OFFICE), business(coached_since=dt.date(2018, 1, 1))) == [
        "eligibility.coached_by"
    ]
    assert judge(coached_by("dinkopukm-36"), business()) == ["eligibility.coached_by"]


def test_region_rule_accepts_businesses_inside_the_city() -> None:
    assert judge(located_in("36.71"), business(district="36.71.05")) == []
    assert judge(located_in("36.71"), business(district="36.03.01")) == ["eligibility.region"]


def test_size_rule_names_the_law_that_decided() -> None:
    rule = size_class_in(["mikro"])
    assert judge(rule, business(sales=200_000_000)) == []
    big = business(sales=3_000_000_000)
    ctx = RuleContext(business=big, program=program(), as_of=AS_OF)
    verdict = rule.check(ctx)
    assert not verdict.passed
    assert "UU No. 20 Tahun 2008" in verdict.reasons[0].text.en
    assert judge(rule, business(sales=None)) == ["eligibility.size_class"]


def test_nib_rule() -> None:
    assert judge(has_nib(), business(nib=True)) == []
    assert judge(has_nib(), business(nib=False)) == ["eligibility.nib"]


def test_recent_training_blocks_a_second_training_within_the_window() -> None:
    b = business()
    rule = not_attended_within(2)
    assert judge(rule, b, history=[past("B1", dt.date(2016, 6, 1))]) == [
        "eligibility.recent_attendance"
    ]
    assert judge(rule, b, history=[past("B1", dt.date(2014, 6, 1))]) == []


def test_women_owned_uses_the_effective_sex() -> None:
    assert judge(women_owned(), business(sex=Sex.FEMALE)) == []
    assert judge(women_owned(), business(sex=Sex.MALE)) == ["eligibility.women_owned"]
    assert judge(women_owned(), business(sex=None)) == ["eligibility.women_owned"]


def test_all_of_lists_every_failing_rule() -> None:
    rule = all_of(has_nib(), coached_by("other-office"), located_in("36.71"))
    assert judge(rule, business(nib=False)) == ["eligibility.nib", "eligibility.coached_by"]


def test_any_of_passes_on_one_alternative_and_quotes_all_when_none() -> None:
    rule = any_of(has_nib(), size_class_in("mikro"))
    assert judge(rule, business(nib=False)) == []
    codes = judge(rule, business(nib=False, sales=9_000_000_000))
    assert codes == ["eligibility.any_of"]


def test_not_refuses_what_the_inner_rule_accepts() -> None:
    rule = not_(coached_by("dinkopukm-36"))
    assert judge(rule, business()) == []
    assert judge(rule, business(office="dinkopukm-36")) == ["eligibility.not"]


def test_combinators_take_eligibility_rules_only() -> None:
    with pytest.raises(ValidationError) as info:
        all_of(has_nib(), district_quota(3))  # type: ignore[arg-type]
    assert info.value.code == "rule.not_eligibility_rule"
    with pytest.raises(ValidationError) as info:
        any_of()
    assert info.value.code == "rule.empty_combination"


def test_programme_file_names_rules_by_name_and_params() -> None:
    rules = rules_from_data(
        [
            {"rule": "coached_by", "office_id": CITY_OFFICE},
            {
                "rule": "any_of",
                "rules": [{"rule": "has_nib"}, {"rule": "size_class_in", "classes": ["mikro"]}],
            },
            {"rule": "district_quota", "limit": 10, "per": "program"},
            {"rule": "reserved_share", "percent": 30, "group": {"rule": "women_owned"}},
        ]
    )
    assert [r.name for r in rules] == ["coached_by", "any_of", "district_quota", "reserved_share"]
    assert rules_from_data([r.to_data() for r in rules]) == rules


def test_unknown_rule_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(ValidationError) as info:
        rule_from_data({"rule": "bribe_accepted"})
    assert info.value.code == "rule.unknown"
    assert "coached_by" in info.value.message_en


def test_bad_nested_parameter_points_into_the_document() -> None:
    with pytest.raises(ValidationError) as info:
        rules_from_data(
            [
                {"rule": "has_nib"},
                {"rule": "all_of", "rules": [{"rule": "located_in", "region": "1"}]},
            ]
        )
    assert info.value.code.startswith("region.")
    assert info.value.field is not None
    assert info.value.field.startswith("rules[1].rules[0]")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"rule": "has_nib", "colour": "red"}, "rule.unknown_param"),
        ({"rule": "coached_by"}, "rule.missing_param"),
        ({"rule": "district_quota", "limit": 0}, "rule.bad_number"),
        ({"rule": "district_quota", "limit": 2, "per": "year"}, "rule.bad_scope"),
        ({"rule": "size_class_in", "classes": ["huge"]}, "rule.bad_size_class"),
        ({"rule": "coached_by", "office_id": "x", "on": "yesterday"}, "rule.bad_date"),
        ({"rule": "not", "rule_": 1}, "rule.unknown_param"),
        ({"rule": "not"}, "rule.missing_param"),
        ({"rule": "any_of", "rules": "has_nib"}, "rule.not_a_list"),
        ("has_nib", "rule.not_a_table"),
    ],
)
def test_bad_rule_data_gives_our_error(data: object, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        rule_from_data(data)  # type: ignore[arg-type]
    assert info.value.code == code


def test_builtin_factories_are_sorted_documented_and_named_like_their_rules() -> None:
    factories = builtin_rule_factories()
    names = [f.name for f in factories]
    assert names == sorted(set(names))
    for factory in factories:
        assert factory.description.id
        assert factory.description.en
        for param in factory.params:
            assert param.description.id
            assert param.description.en


def test_rule_reasons_never_contain_personal_data() -> None:
    b = business(nib=False, sales=9_000_000_000, sex=Sex.MALE)
    rule = all_of(has_nib(), size_class_in("mikro"), women_owned(), coached_by("x"))
    verdict = rule.check(RuleContext(business=b, program=program(), as_of=AS_OF))
    text = " ".join(r.text.id + r.text.en for r in verdict.reasons)
    assert "Siti" not in text
    assert NIB("1234567890123").value not in text
