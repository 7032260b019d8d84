"""What granted step records add to a business's certificates."""

from __future__ import annotations

import datetime as dt

from umkm_core import Address, Business, Owner, StepRecord
from umkm_core.followup import TRADEMARK
from umkm_core.followup.records import with_certifications
from umkm_core.model.identifiers import RegionCode

D = dt.date

BUSINESS = Business(
    id="B1",
    name="Dodol",
    owner=Owner(name="Siti"),
    address=Address(region=RegionCode.parse("36.71.05")),
    sector="kuliner",
)


def test_a_renewed_trademark_that_keeps_its_number_counts_after_the_first_term() -> None:
    mark = StepRecord.plan(business_id="B1", kind=TRADEMARK, on=D(2016, 1, 1))
    mark = mark.start(D(2016, 1, 1)).submit(D(2016, 1, 1))
    mark = mark.grant(D(2016, 1, 1), certificate_number="IDM000000000")
    mark = mark.renew(D(2025, 7, 1), certificate_number="IDM000000000")
    certified = with_certifications(BUSINESS, [mark])
    assert [c.expires_on for c in certified.certificates] == [D(2026, 1, 1), D(2036, 1, 1)]
    assert certified.holds("trademark", D(2026, 1, 2))
    assert with_certifications(certified, [mark]) is certified
