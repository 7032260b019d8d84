"""NIK validation is python-stdnum's, only cached per regency: the two must agree."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from stdnum.id import nik as stdnum_nik

from umkm_core import NIK, ValidationError
from umkm_core.strategies import niks

digits16 = st.text("0123456789", min_size=16, max_size=16)
# Mostly real regency prefixes with random dates and serials, so both verdicts occur.
near_valid = st.builds(
    lambda nik, tail: nik.value[:4] + tail, niks(), st.text("0123456789", min_size=12, max_size=12)
)


def _accepted(value: str) -> bool:
    try:
        NIK(value)
    except ValidationError:
        return False
    return True


@given((digits16 | near_valid).filter(lambda v: int(v[6:8]) < 80))
def test_nik_accepts_exactly_what_python_stdnum_accepts(value: str) -> None:
    assert _accepted(value) == stdnum_nik.is_valid(value)


def test_a_birth_day_of_80_or_more_is_refused_though_python_stdnum_takes_it_modulo_40() -> None:
    # Women's days run 41-71; stdnum reads day 81 as the 1st, which no NIK encodes.
    assert stdnum_nik.is_valid("3671058101900001")
    assert not _accepted("3671058101900001")
