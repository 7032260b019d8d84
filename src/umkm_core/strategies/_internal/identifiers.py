"""Strategies for identifiers and codes: NIB, NIK, NPWP, KBLI, region codes, PIRT numbers."""

from __future__ import annotations

import datetime as dt
import operator

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from umkm_core.model.identifiers import (
    KBLI,
    NIB,
    NIK,
    NPWP,
    KBLIEdition,
    PIRTNumber,
    RegionCode,
    RegionLevel,
    Sex,
)
from umkm_core.model.kbli import KBLI_2020_DIVISIONS, KbliCodeList
from umkm_core.model.regions import RegionList, regencies
from umkm_core.model.size import SizeClass

#: KBLI 2020 codes that UMKM offices meet most (see docs/glossary).
COMMON_KBLI_2020 = (
    "10710", "10750", "10792", "10794", "10796", "10799", "11040", "56101", "56102",
    "56210", "14111", "14120", "14302", "13134", "15121", "15201", "16291", "16293", "32903",
)  # fmt: skip

_FIRST_NAMES = (
    "Siti", "Dewi", "Sri", "Nur", "Rina", "Ani", "Budi", "Agus", "Ahmad", "Andi",
    "Dedi", "Eko", "Hendra", "Joko", "Rudi", "Wahyu", "Yanti", "Lestari", "Putri", "Rizky",
)  # fmt: skip
_LAST_NAMES = (
    "Rahayu", "Wati", "Susanti", "Hidayat", "Saputra", "Santoso", "Setiawan", "Pratama",
    "Kurniawan", "Nugroho", "Lubis", "Siregar", "Hasibuan", "Wijaya", "Halim", "",
)  # fmt: skip
_PRODUCT_WORDS = (
    "Dodol", "Keripik", "Kue", "Sambal", "Batik", "Kaos", "Tas", "Sepatu", "Kerajinan",
    "Roti", "Kopi", "Sirup", "Bordir", "Anyaman", "Rendang", "Abon",
)  # fmt: skip
#: The built-in sector codes (a plugin's sectors come from its own registry).
_SECTORS = ("kuliner", "fesyen", "perdagangan", "jasa")


def _regency_codes() -> list[str]:
    return sorted(code.value for code in regencies())


def _check_region(within: RegionCode | None, name: str) -> None:
    if within is not None and not isinstance(within, RegionCode):
        raise InvalidArgument(f"{name}={within!r} must be a RegionCode or None")


@st.composite
def _digits(draw: st.DrawFn, n: int) -> str:
    return draw(st.text("0123456789", min_size=n, max_size=n))


def nibs() -> st.SearchStrategy[NIB]:
    """Valid NIBs (13 digits)."""
    return st.text("0123456789", min_size=13, max_size=13).map(NIB)


def region_codes(
    *, within: RegionCode | None = None, level: RegionLevel | None = None
) -> st.SearchStrategy[RegionCode]:
    """Valid Kemendagri region codes, optionally ``within`` a region and at ``level``.

    Regencies are drawn from the regencies python-stdnum knows, so a generated code can
    also stand in a NIK.
    """
    _check_region(within, "within")
    if level is not None and not isinstance(level, RegionLevel):
        raise InvalidArgument(f"level={level!r} must be a RegionLevel")
    if within is not None and level is not None and level < within.level:
        raise InvalidArgument(f"level={level!r} is above within={within}")
    sizes = {RegionLevel.PROVINCE: 2, RegionLevel.REGENCY: 4, RegionLevel.DISTRICT: 6}
    sizes[RegionLevel.VILLAGE] = 10
    target = sizes[level] if level is not None else None

    regency_pool = [c for c in _regency_codes() if within is None or c.startswith(within.value)]
    if within is not None and not regency_pool:
        regency_pool = [within.value[:4]] if len(within.value) >= 4 else []
    if not regency_pool:
        raise InvalidArgument(f"within={within} holds no regency known to python-stdnum")

    @st.composite
    def build(draw: st.DrawFn) -> RegionCode:
        code = draw(st.sampled_from(regency_pool))
        size = target or draw(st.sampled_from([2, 4, 6, 10]))
        if within is not None:
            size = max(size, len(within.value))
            code = within.value if len(within.value) > 4 else code
        if size > len(code) >= 4 and len(code) < 6:
            # Where the shipped list knows the districts (Kota Tangerang), use them.
            known = sorted(c for c in RegionList.builtin().codes if len(c) == 6 and c[:4] == code)
            code = (
                draw(st.sampled_from(known)) if known else code + f"{draw(st.integers(1, 30)):02d}"
            )
        if size > len(code) >= 6:
            code += f"{draw(st.sampled_from([1, 2]))}{draw(st.integers(1, 999)):03d}"
        return RegionCode(code[:size])

    return build()


def niks(
    *,
    within: RegionCode | None = None,
    sex: Sex | None = None,
    born_after: dt.date = dt.date(1945, 1, 1),
    born_before: dt.date = dt.date(2007, 12, 31),
) -> st.SearchStrategy[NIK]:
    """Valid NIKs, with a birth date between the bounds and optionally a fixed sex.

    Birth dates are limited to a window that the two-digit year decodes without doubt.
    """
    _check_region(within, "within")
    if born_after > born_before:
        raise InvalidArgument("born_after must not be later than born_before")
    if born_after.year < 1928 or born_before.year > 2025:
        raise InvalidArgument("birth dates must lie within 1928-2025 to decode unambiguously")

    @st.composite
    def build(draw: st.DrawFn) -> NIK:
        district = draw(region_codes(within=within, level=RegionLevel.DISTRICT))
        born = draw(st.dates(min_value=born_after, max_value=born_before))
        chosen = sex if sex is not None else draw(st.sampled_from(Sex))
        day = born.day + (40 if chosen is Sex.FEMALE else 0)
        serial = draw(st.integers(1, 9999))
        return NIK(f"{district.value}{day:02d}{born:%m%y}{serial:04d}")

    return build()


def _luhn_check_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return str((10 - total % 10) % 10)


def npwps(*, length: int | None = None) -> st.SearchStrategy[NPWP]:
    """Valid NPWPs: 15-digit, 16-digit with a leading 0, or 16-digit NIK-based."""
    if length not in (None, 15, 16):
        raise InvalidArgument(f"length={length!r} must be 15, 16 or None")

    @st.composite
    def legacy(draw: st.DrawFn) -> str:
        base = draw(_digits(8))
        return base + _luhn_check_digit(base) + draw(_digits(6))

    fifteen = legacy().map(NPWP)
    sixteen = legacy().map(lambda v: NPWP("0" + v)) | niks().map(lambda n: NPWP(n.value))
    if length == 15:
        return fifteen
    if length == 16:
        return sixteen
    return fifteen | sixteen


def kblis(*, edition: int | None = None) -> st.SearchStrategy[KBLI]:
    """Valid KBLI codes: mostly the common UMKM ones, sometimes any code of a division.

    Every code lies in one of the 88 divisions of KBLI 2020 (which
    :meth:`KBLI.parse <umkm_core.KBLI.parse>` checks for that edition), whatever the
    edition drawn.
    """
    if edition is not None and edition not in {e.value for e in KBLIEdition}:
        raise InvalidArgument(f"edition={edition!r} is not a KBLI edition")
    editions = st.just(KBLIEdition(edition)) if edition else st.sampled_from(KBLIEdition)
    any_code = st.builds(operator.add, st.sampled_from(sorted(KBLI_2020_DIVISIONS)), _digits(3))
    codes = st.sampled_from(COMMON_KBLI_2020) | any_code
    return st.builds(KBLI, codes, editions)


def kbli_code_lists(*, edition: int | None = None) -> st.SearchStrategy[KbliCodeList]:
    """Valid lists of known KBLI codes: a few codes of one edition, a source and a date."""
    if edition is not None and edition not in {e.value for e in KBLIEdition}:
        raise InvalidArgument(f"edition={edition!r} is not a KBLI edition")

    @st.composite
    def build(draw: st.DrawFn) -> KbliCodeList:
        chosen = draw(st.just(KBLIEdition(edition)) if edition else st.sampled_from(KBLIEdition))
        codes = draw(st.frozensets(kblis().map(lambda k: k.code), min_size=1, max_size=8))
        titled = draw(st.sets(st.sampled_from(sorted(codes))))
        return KbliCodeList(
            edition=chosen,
            codes=codes,
            source=draw(st.sampled_from(_KBLI_SOURCES)),
            published=draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))),
            titles={code: f"Kelompok {code}" for code in titled},
        )

    return build()


_KBLI_SOURCES = (
    "Peraturan BPS Nomor 2 Tahun 2020, lampiran",
    "KBLI 2025, BPS (salinan dinas)",
)


def pirt_numbers(*, within: RegionCode | None = None) -> st.SearchStrategy[PIRTNumber]:
    """Valid P-IRT numbers, optionally issued by a regency ``within`` a region."""

    @st.composite
    def build(draw: st.DrawFn) -> PIRTNumber:
        regency = draw(region_codes(within=within, level=RegionLevel.REGENCY))
        head = f"{draw(st.integers(1, 9))}{draw(_digits(2))}"
        tail = f"{draw(_digits(2))}{draw(_digits(4))}{draw(st.integers(15, 40)):02d}"
        return PIRTNumber(head + regency.value + tail)

    return build()


def phone_numbers() -> st.SearchStrategy[str]:
    """Indonesian mobile numbers in E.164 form (+628...)."""
    return st.builds(lambda rest: "+628" + rest, st.text("0123456789", min_size=8, max_size=11))


def size_classes() -> st.SearchStrategy[SizeClass]:
    """Any size class."""
    return st.sampled_from(SizeClass)
