"""Strategies for what plugins register about places and trades: sectors and districts."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from umkm_core.model.identifiers import RegionCode, RegionLevel
from umkm_core.model.regions import District
from umkm_core.model.sectors import Sector
from umkm_core.strategies._internal.identifiers import (
    _check_region,
    kblis,
    region_codes,
)
from umkm_core.text import Text

# --------------------------------------------------------------------------------------
# Plugin layer: sectors and typed tables (issue 5)
# --------------------------------------------------------------------------------------

_UTC_OFFSETS = tuple(dt.timezone(dt.timedelta(hours=h)) for h in (0, 7, 8, 9))


def sector_codes() -> st.SearchStrategy[str]:
    """Codes as plugins register them (``"kuliner"``, ``"batik-tulis"``)."""
    return st.from_regex(r"[a-z][a-z0-9]{0,9}(-[a-z0-9]{1,6})?", fullmatch=True)


def _texts() -> st.SearchStrategy[Text]:
    word = st.text(st.characters(categories=("L", "N", "Zs")), min_size=1, max_size=20).filter(
        lambda s: bool(s.strip())
    )
    return st.builds(Text, id=word, en=word)


def sectors(*, codes: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Sector]:
    """Valid sectors with a few KBLI codes and Nice classes (no default pathways).

    :param codes: a strategy for sector codes.
    """
    return st.builds(
        Sector,
        code=codes if codes is not None else sector_codes(),
        name=_texts(),
        kbli=st.frozensets(kblis(), max_size=5),
        nice_classes=st.frozensets(st.integers(1, 45), max_size=4),
        aliases=st.frozensets(_words(), max_size=3),
    )


def _words() -> st.SearchStrategy[str]:
    return st.text(st.characters(categories=("L", "N", "Zs")), min_size=1, max_size=30).filter(
        lambda s: bool(s.strip())
    )


def districts(*, within: RegionCode | None = None) -> st.SearchStrategy[District]:
    """Valid districts (kecamatan), with a name and a few other spellings.

    :param within: a province or regency the districts lie in.
    """
    _check_region(within, "within")
    return st.builds(
        District,
        region=region_codes(within=within, level=RegionLevel.DISTRICT),
        name=_words(),
        aliases=st.frozensets(_words(), max_size=2),
    )
