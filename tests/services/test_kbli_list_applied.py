"""The roster import applies the KBLI code list a plugin registered for the file's edition."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from umkm_core import KBLI, KbliCodeList, hookimpl, load_registry
from umkm_core.services import InMemoryStore, import_roster

HEADER = "No Registrasi;Nama Usaha;Nama Pemilik;Kecamatan;Sektor;KBLI\n"
ROWS = (
    "TNG-1;Dodol Sari;Sari;Cipondoh;kuliner;10796\nTNG-2;Dodol Typo;Sari;Cipondoh;kuliner;10797\n"
)


class OfficeKbliList:
    @hookimpl
    def umkm_kbli_codes(self) -> Iterator[KbliCodeList]:
        builtin = load_registry(autoload=False).sectors.values()
        yield KbliCodeList(
            edition=2020,
            codes={k.code for sector in builtin for k in sector.kbli},
            source="Peraturan BPS Nomor 2 Tahun 2020 (extract)",
            published=dt.date(2020, 6, 26),
        )


def test_an_import_with_the_offices_kbli_list_refuses_a_code_bps_does_not_list(
    tmp_path: Path,
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(HEADER + ROWS, encoding="utf-8")
    registry = load_registry(plugins=[OfficeKbliList()], autoload=False)
    store = InMemoryStore()
    report = import_roster(store, roster, by="test", registry=registry)
    assert [r.business.kbli for r in report.imported_rows] == [(KBLI("10796"),)]
    (refused,) = report.refused
    assert [p.code for p in refused.problems] == ["kbli.unknown_code"]


def test_an_import_of_another_edition_is_not_checked_against_the_2020_list(
    tmp_path: Path,
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(HEADER + ROWS, encoding="utf-8")
    registry = load_registry(plugins=[OfficeKbliList()], autoload=False)
    report = import_roster(
        InMemoryStore(), roster, by="test", registry=registry, kbli_edition=2025
    )
    assert report.refused == ()
