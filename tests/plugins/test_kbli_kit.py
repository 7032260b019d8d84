"""The contract kit's KBLI list suite passes a whole list and catches extracts and gaps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from umkm_core import KbliCodeList, hookimpl, load_registry
from umkm_core.model.kbli import KBLI_2020_DIVISIONS
from umkm_core.testing import KbliCodeListContract

SECTOR_CODES = frozenset(
    k.code for sector in load_registry(autoload=False).sectors.values() for k in sector.kbli
)
#: A list with a code in every division and every built-in sector's code, as BPS's has.
WHOLE = SECTOR_CODES | {f"{division}990" for division in KBLI_2020_DIVISIONS}


class ListPlugin:
    def __init__(self, codes: frozenset[str]) -> None:
        self.codes = codes

    @hookimpl
    def umkm_kbli_codes(self) -> Iterator[KbliCodeList]:
        yield KbliCodeList(
            edition=2020,
            codes=self.codes,
            source="Peraturan BPS Nomor 2 Tahun 2020",
            published=dt.date(2020, 6, 26),
        )


class TestAWholeKbli2020List(KbliCodeListContract):
    plugins = (ListPlugin(WHOLE),)
    edition = 2020


class AnExtract(KbliCodeListContract):
    plugins = (ListPlugin(SECTOR_CODES),)
    edition = 2020


class ADeliberateExtract(AnExtract):
    complete = False


class AListWithoutDodol(KbliCodeListContract):
    plugins = (ListPlugin(WHOLE - {"10796"}),)
    edition = 2020


class NoList(KbliCodeListContract):
    edition = 2020


def test_the_kit_catches_an_extract_taken_for_the_whole_list() -> None:
    with pytest.raises(AssertionError, match="divisions without a code"):
        AnExtract().test_a_complete_kbli_2020_list_has_codes_in_every_division()
    ADeliberateExtract().test_a_complete_kbli_2020_list_has_codes_in_every_division()


def test_the_kit_catches_a_list_that_lacks_a_registered_sectors_code() -> None:
    with pytest.raises(AssertionError, match="sectors were left out"):
        AListWithoutDodol().test_every_registered_sector_names_only_listed_codes()


def test_the_kit_catches_a_missing_list() -> None:
    with pytest.raises(AssertionError, match="no KBLI 2020 code list"):
        NoList().test_code_list_is_registered_for_its_edition()
