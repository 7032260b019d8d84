"""The fairness audit against an example worked out by hand, and its statistics."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from alloc_support import CITY_OFFICE, JAKARTA, business, program
from report_support import tangerang_2017
from umkm_core import Allocation, Application, Business, Sex, Text, ValidationError, allocate
from umkm_core.audit import (
    AuditAttribute,
    audit_allocation,
    chi_square_independence,
    chi_square_sf,
    fisher_exact,
)
from umkm_core.rules import coached_by

AS_OF = dt.date(2017, 12, 1)


def _app(business_id: str, minute: int) -> Application:
    return Application(
        business_id=business_id,
        program_id="P2017",
        applied_at=dt.datetime(2017, 11, 20, 8, minute, tzinfo=JAKARTA),
    )


def _hand_example() -> tuple[Allocation, dict[str, Business]]:
    # Three seats. Four applicants from Cipondoh apply first and three get seats; of four
    # from Tangerang, two are not coached by the office (refused) and two wait.
    cipondoh = [business(f"A{i}", district="36.71.05", sex=Sex.FEMALE) for i in range(4)]
    tangerang = [
        business(
            f"B{i}",
            district="36.71.01",
            sex=Sex.MALE,
            coached_since=None if i >= 2 else dt.date(2015, 1, 1),
        )
        for i in range(4)
    ]
    everyone = [*cipondoh, *tangerang]
    apps = [_app(b.id, i) for i, b in enumerate(everyone)]
    allocation = allocate(
        program(coached_by(CITY_OFFICE), seats=(3,)), apps, everyone, as_of=AS_OF
    )
    return allocation, {b.id: b for b in everyone}


def test_audit_matches_the_hand_computed_example() -> None:
    allocation, businesses = _hand_example()
    audit = audit_allocation(allocation, businesses)
    assert (audit.applicants, audit.seated, audit.waitlisted, audit.refused) == (8, 3, 3, 2)
    district = audit.attribute("district")
    cipondoh, tangerang = district.group("36.71.05"), district.group("36.71.01")
    assert cipondoh.label == Text("Cipondoh", "Cipondoh")
    assert (cipondoh.applicants, cipondoh.seated, cipondoh.waitlisted) == (4, 3, 1)
    assert (tangerang.applicants, tangerang.seated, tangerang.refused) == (4, 0, 2)
    assert cipondoh.applicant_share == tangerang.applicant_share == 0.5
    assert (cipondoh.seated_share, tangerang.seated_share) == (1.0, 0.0)
    assert (cipondoh.selection_rate, tangerang.selection_rate) == (0.75, 0.0)
    assert (cipondoh.impact_ratio, tangerang.impact_ratio) == (1.0, 0.0)
    assert district.best == "36.71.05"
    assert tangerang.four_fifths_flag
    assert not cipondoh.four_fifths_flag
    # Hypergeometric: P(k) = C(3,k) C(5,4-k) / C(8,4) = 5, 30, 30, 5 (/70); the observed
    # k=3 and the equally extreme k=0 give 10/70.
    assert cipondoh.p_value == pytest.approx(10 / 70)
    assert tangerang.p_value == pytest.approx(10 / 70)
    # Expected seated 1.5 per group, not seated 2.5: 1.5 + 0.9 + 1.5 + 0.9 = 4.8.
    test = district.chi_square
    assert test is not None
    assert test.statistic == pytest.approx(4.8)
    assert test.df == 1
    assert test.p_value == pytest.approx(math.erfc(math.sqrt(2.4)))
    assert test.min_expected == pytest.approx(1.5)
    assert not test.reliable
    assert [(r.code, r.count) for r in tangerang.refusals] == [("eligibility.coached_by", 2)]
    assert [r.code for r in tangerang.waits] == ["capacity.wave_full"]
    assert "eligibility.coached_by" in audit.reasons
    # The owner's sex follows the districts here.
    assert audit.attribute("owner_sex").group("female").selection_rate == 0.75


def test_the_text_table_is_indonesian_first_and_names_the_reason_codes() -> None:
    allocation, businesses = _hand_example()
    audit = audit_allocation(allocation, businesses)
    text = audit.format()
    assert "Audit keadilan P2017" in text
    assert "Kecamatan: khi-kuadrat = 4,80, db = 1, p = 0,028" in text
    assert "Cipondoh" in text
    assert "Perempuan" in text
    assert "75,0%" in text
    assert "eligibility.coached_by: 2" in text
    english = audit.format("en")
    assert "District: chi-square = 4.80, df = 1, p = 0.028" in english
    assert "Female" in english
    assert "75.0%" in english


def test_the_audit_never_shows_a_nik() -> None:
    run = tangerang_2017()
    audit = audit_allocation(run.allocation, run.businesses)
    text = audit.format() + audit.format("en")
    niks = {str(b.owner.nik) for b in run.businesses.values() if b.owner.nik is not None}
    assert niks
    assert not any(nik in text for nik in niks)
    assert not any(
        ch.isdigit() for ch in "".join(str(g.value) for g in audit.attribute("owner_sex").groups)
    )


def test_a_plugin_attribute_groups_applicants_like_a_built_in_one() -> None:
    allocation, businesses = _hand_example()
    first_letter = AuditAttribute(
        code="id_letter", title=Text("Huruf awal", "First letter"), value_of=lambda b: b.id[0]
    )
    audit = audit_allocation(allocation, businesses, attributes=(first_letter,))
    only = audit.attribute("id_letter")
    assert [g.value for g in only.groups] == ["A", "B"]
    assert only.group("A").seated == 3


def test_two_attributes_with_one_code_are_refused() -> None:
    allocation, businesses = _hand_example()
    twice = AuditAttribute(code="x", title=Text("X", "X"), value_of=lambda b: "1")
    with pytest.raises(ValidationError) as caught:
        audit_allocation(allocation, businesses, attributes=(twice, twice))
    assert caught.value.code == "audit.duplicate_attribute"


def test_an_attribute_that_gives_no_text_is_reported_by_code() -> None:
    allocation, businesses = _hand_example()
    bad = AuditAttribute(code="bad", title=Text("X", "X"), value_of=lambda b: 3)  # type: ignore[arg-type, return-value]
    with pytest.raises(ValidationError) as caught:
        audit_allocation(allocation, businesses, attributes=(bad,))
    assert caught.value.code == "audit.bad_group"


def test_chi_square_tail_agrees_with_closed_forms() -> None:
    # df=2: exp(-x/2); df=1: erfc(sqrt(x/2)); df=4: exp(-x/2) (1 + x/2).
    for x in (0.01, 0.5, 1.0, 3.84, 10.0, 40.0):
        assert chi_square_sf(x, 2) == pytest.approx(math.exp(-x / 2), rel=1e-10)
        assert chi_square_sf(x, 1) == pytest.approx(math.erfc(math.sqrt(x / 2)), rel=1e-9)
        assert chi_square_sf(x, 4) == pytest.approx(math.exp(-x / 2) * (1 + x / 2), rel=1e-9)
    assert chi_square_sf(0.0, 3) == 1.0
    with pytest.raises(ValueError, match="df"):
        chi_square_sf(1.0, 0)


def test_fisher_exact_matches_published_values() -> None:
    # The lady tasting tea: [[3, 1], [1, 3]] -> 0.4857 (Fisher 1935).
    assert fisher_exact(3, 1, 1, 3) == pytest.approx(0.485714, rel=1e-5)
    assert fisher_exact(4, 0, 0, 4) == pytest.approx(2 / 70)
    assert fisher_exact(0, 5, 0, 5) == 1.0
    with pytest.raises(ValueError, match="counts"):
        fisher_exact(-1, 0, 0, 0)


def test_chi_square_is_undefined_without_variation() -> None:
    assert chi_square_independence([(0, 4), (0, 3)]) is None
    assert chi_square_independence([(4, 0), (3, 0)]) is None
    assert chi_square_independence([(2, 2)]) is None
