from __future__ import annotations

import datetime as dt

import pytest

from umkm_core import PathwayError, ValidationError
from umkm_core.followup import (
    BUILTIN_PATHWAYS,
    BUILTIN_STEP_KINDS,
    FASHION_PATHWAY,
    FOOD_PATHWAY,
    HALAL,
    PACKAGING,
    PIRT,
    PKP,
    TRADEMARK,
    CertificateFormat,
    CertificateRule,
    CriteriaSet,
    ExpectedDuration,
    HasNIB,
    NiceClasses,
    Pathway,
    RenewalWindow,
    StepKind,
    TermStart,
    Validity,
    ValidityBasis,
    ValidityRule,
    add_months,
)
from umkm_core.text import Text


def _kind(code: str, requires: tuple[str, ...] = ()) -> StepKind:
    return StepKind(
        code=code,
        name=Text(id=code, en=code),
        authority=Text(id="Dinas", en="Office"),
        validity=(ValidityRule(validity=Validity.none()),),
        requires=requires,
    )


def test_pirt_is_valid_five_years_from_grant() -> None:
    assert PIRT.validity_on(dt.date(2018, 3, 1)) == Validity.fixed(years=5)
    assert PIRT.validity_on(dt.date(2018, 3, 1)).expires_on(dt.date(2018, 3, 1)) == dt.date(
        2023, 3, 1
    )


def test_pirt_granted_on_leap_day_expires_on_28_february() -> None:
    assert Validity.fixed(years=5).expires_on(dt.date(2024, 2, 29)) == dt.date(2029, 2, 28)


def test_month_terms_clamp_to_the_last_day_of_shorter_months() -> None:
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 1, 31), 1) == dt.date(2023, 2, 28)


def test_halal_validity_follows_the_law_in_force_on_the_grant_date() -> None:
    assert HALAL.validity_on(dt.date(2018, 6, 1)) == Validity.fixed(years=2)
    assert HALAL.validity_on(dt.date(2021, 6, 1)) == Validity.fixed(years=4)
    assert HALAL.validity_on(dt.date(2024, 6, 1)).basis is ValidityBasis.WHILE_UNCHANGED


def test_halal_self_declare_ceiling_changed_from_500_juta_to_15_miliar() -> None:
    route = HALAL.route("self-declare")
    assert route is not None
    sets = {c.code: c for c in route.criteria}
    assert sets["halal-self-declare-2022"].verify
    ceilings = [
        getattr(c, "ceiling", None)
        for s in route.criteria
        for c in s.conditions
        if getattr(c, "ceiling", None) is not None
    ]
    assert ceilings == [500_000_000, 15_000_000_000]
    assert not any(c.in_force_on(dt.date(2018, 6, 1)) for c in route.criteria)


def test_trademark_term_counts_from_filing_and_renewal_runs_six_months_past_expiry() -> None:
    validity = TRADEMARK.validity_on(dt.date(2019, 1, 1))
    assert validity.counted_from is TermStart.FILING
    window = TRADEMARK.renewal
    assert window is not None
    expiry = dt.date(2028, 3, 15)
    assert window.opens(expiry, dt.date(2019, 1, 1)) == dt.date(2027, 9, 15)
    assert window.closes(expiry) == dt.date(2028, 9, 15)
    assert window.fine_after_expiry
    assert window.is_late(expiry, dt.date(2028, 4, 1))
    assert TRADEMARK.nice_classes_for("kuliner") == (29, 30, 32, 43)
    assert TRADEMARK.nice_classes_for("fesyen") == (25, 18, 14, 24)
    assert TRADEMARK.nice_classes_for("kriya") == ()


def test_every_builtin_kind_has_bilingual_name_and_authority() -> None:
    codes = [k.code for k in BUILTIN_STEP_KINDS]
    assert len(codes) == len(set(codes))
    for kind in BUILTIN_STEP_KINDS:
        assert kind.name.id
        assert kind.name.en
        assert kind.authority.id
        assert kind.authority.en


def test_pirt_requires_the_food_safety_training() -> None:
    assert PIRT.requires == (PKP.code,)


def test_food_pathway_runs_packaging_pkp_pirt_halal_trademark() -> None:
    assert [k.code for k in FOOD_PATHWAY.order] == [
        "packaging",
        "pkp",
        "pirt",
        "halal",
        "trademark",
    ]
    assert FOOD_PATHWAY.ancestors("halal") == ("packaging", "pkp", "pirt")
    assert [k.code for k in FASHION_PATHWAY.order] == ["packaging", "trademark"]
    assert {p.code for p in BUILTIN_PATHWAYS} == {"food", "fashion"}


def test_pathway_with_a_cycle_is_refused_naming_the_steps() -> None:
    a, b, c = _kind("a"), _kind("b"), _kind("c")
    with pytest.raises(PathwayError) as info:
        Pathway(
            code="loop",
            name=Text(id="x", en="x"),
            sector="kuliner",
            steps=(a, b, c),
            edges=(("a", "b"), ("b", "c"), ("c", "a")),
        )
    assert info.value.code == "pathway.cycle"
    assert set(info.value.steps) == {"a", "b", "c"}
    assert isinstance(info.value, ValidationError)


def test_pathway_cycle_through_a_requirement_is_refused() -> None:
    a, b = _kind("a", requires=("b",)), _kind("b")
    with pytest.raises(PathwayError) as info:
        Pathway(
            code="loop", name=Text(id="x", en="x"), sector="s", steps=(a, b), edges=(("a", "b"),)
        )
    assert info.value.code == "pathway.cycle"


def test_pathway_naming_an_unknown_step_is_refused_naming_it() -> None:
    with pytest.raises(PathwayError) as info:
        Pathway(
            code="food",
            name=Text(id="x", en="x"),
            sector="kuliner",
            steps=(PACKAGING, HALAL),
            edges=(("packaging", "halal"), ("halal", "export")),
        )
    assert info.value.code == "pathway.unknown_step"
    assert info.value.steps == ("export",)
    assert "export" in info.value.message("en")


def test_pathway_missing_a_required_step_is_refused() -> None:
    with pytest.raises(PathwayError) as info:
        Pathway.chain(code="p", name=Text(id="x", en="x"), sector="kuliner", steps=(PIRT,))
    assert info.value.code == "pathway.unknown_step"
    assert info.value.steps == ("pkp",)


def test_pathway_listing_a_step_twice_is_refused() -> None:
    with pytest.raises(PathwayError) as info:
        Pathway(code="p", name=Text(id="x", en="x"), sector="s", steps=(PACKAGING, PACKAGING))
    assert info.value.code == "pathway.duplicate_step"


def test_step_may_not_require_itself() -> None:
    with pytest.raises(ValidationError) as info:
        _kind("a", requires=("a",))
    assert info.value.code == "stepkind.requires_itself"


def test_overlapping_dated_rules_are_refused() -> None:
    with pytest.raises(ValidationError) as info:
        StepKind(
            code="x",
            name=Text(id="x", en="x"),
            authority=Text(id="x", en="x"),
            validity=(
                ValidityRule(validity=Validity.none(), effective_until=dt.date(2020, 1, 1)),
                ValidityRule(validity=Validity.none(), effective_from=dt.date(2019, 1, 1)),
            ),
        )
    assert info.value.code == "stepkind.overlapping_rules"


def test_a_grant_before_any_validity_rule_is_refused() -> None:
    kind = StepKind(
        code="x",
        name=Text(id="x", en="x"),
        authority=Text(id="x", en="x"),
        validity=(ValidityRule(validity=Validity.none(), effective_from=dt.date(2020, 1, 1)),),
    )
    with pytest.raises(ValidationError) as info:
        kind.validity_on(dt.date(2019, 1, 1))
    assert info.value.code == "step.no_validity_rule"


def test_fixed_validity_needs_a_term_and_others_none() -> None:
    with pytest.raises(ValidationError):
        Validity(basis=ValidityBasis.FIXED)
    with pytest.raises(ValidationError):
        Validity(basis=ValidityBasis.NONE, years=1)
    with pytest.raises(ValidationError):
        Validity.fixed(years=-1)


def test_renewal_window_may_not_close_before_it_opens() -> None:
    with pytest.raises(ValidationError) as info:
        RenewalWindow(opens_months_before=1, closes_months_after=-3)
    assert info.value.code == "renewalwindow.closes_before_opening"


def test_pirt_certificate_number_must_agree_with_the_computed_expiry_year() -> None:
    assert PIRT.certificate.check("P-IRT No. 2053671010001-23", dt.date(2023, 3, 1)) == (
        "205367101000123"
    )
    with pytest.raises(ValidationError) as info:
        PIRT.certificate.check("P-IRT No. 2053671010001-24", dt.date(2023, 3, 1))
    assert info.value.code == "step.pirt_expiry_mismatch"
    with pytest.raises(ValidationError) as bad:
        PIRT.certificate.check("12345", dt.date(2023, 3, 1))
    assert bad.value.code.startswith("pirt.")
    assert bad.value.field == "certificate_number"


def test_steps_without_a_certificate_refuse_a_number() -> None:
    with pytest.raises(ValidationError) as info:
        PACKAGING.certificate.check("123", None)
    assert info.value.code == "step.number_not_issued"
    assert PACKAGING.certificate.check(None, None) is None


def test_trademark_number_has_the_djki_form() -> None:
    assert TRADEMARK.certificate.check("IDM000123456", None) == "IDM000123456"
    with pytest.raises(ValidationError) as info:
        TRADEMARK.certificate.check("merek-1", None)
    assert info.value.code == "step.bad_number"


def test_certificate_rule_with_a_broken_pattern_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        CertificateRule(format=CertificateFormat.PATTERN, pattern="(")
    assert info.value.code == "certificaterule.bad_pattern"


def test_unknown_route_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(ValidationError) as info:
        HALAL.route("express")
    assert info.value.code == "step.unknown_route"
    assert "self-declare" in info.value.message("en")


def test_small_records_refuse_bad_values_with_our_errors() -> None:
    with pytest.raises(ValidationError):
        ExpectedDuration(min_days=10, max_days=5)
    with pytest.raises(ValidationError):
        NiceClasses(sector="kuliner", classes=(46,))
    with pytest.raises(ValidationError):
        CriteriaSet(code="c", conditions=("has_nib",))
    with pytest.raises(ValidationError):
        _kind("Not A Code")
    assert CriteriaSet(code="c", conditions=[HasNIB()]).conditions == (HasNIB(),)
