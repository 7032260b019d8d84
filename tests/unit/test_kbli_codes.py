"""KBLI codes must exist: a KBLI 2020 division always, the whole code when a list is given.

The lists are the office's (BPS publishes them; umkm_core ships none): read from CSV
with ``read_kbli_code_list`` and passed to ``KBLI.parse`` and the roster reader.
"""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import os
from pathlib import Path

import pytest

from umkm_core import KBLI, InvalidDocument, KbliCodeList, KBLIEdition, ValidationError
from umkm_core.adapters.kbli_codes import (
    MAX_KBLI_FILE_BYTES,
    kbli_code_list_from_bytes,
    read_kbli_code_list,
)
from umkm_core.adapters.roster import business_from_row, import_roster
from umkm_core.model.kbli import KBLI_2020_DIVISIONS, check_kbli, known_divisions

BPS_2020 = "Peraturan BPS Nomor 2 Tahun 2020"
LIST_2020 = KbliCodeList(
    edition=2020,
    codes={"01111", "10796", "10799", "56102"},
    source=BPS_2020,
    published=dt.date(2020, 6, 26),
)
HEADER = f"# edition: 2020\n# source: {BPS_2020}\n# date: 2020-06-26\n"


def codes_of(text: str, **given: object) -> KbliCodeList:
    return kbli_code_list_from_bytes(text.encode("utf-8"), **given)  # type: ignore[arg-type]


def problems_of(text: str | bytes, **given: object) -> list[tuple[str, str | None]]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(InvalidDocument) as caught:
        kbli_code_list_from_bytes(data, **given)  # type: ignore[arg-type]
    return [(e.code, e.field) for e in caught.value.errors]


# ------------------------------------------------------------------ divisions


def test_kbli_2020_has_the_88_divisions_of_isic_rev4() -> None:
    assert len(KBLI_2020_DIVISIONS) == 88
    gaps = {"00", "04", "34", "40", "44", "48", "54", "57", "67", "76", "83", "89"}
    assert not gaps & KBLI_2020_DIVISIONS
    assert {"01", "10", "14", "47", "56", "96", "99"} <= KBLI_2020_DIVISIONS
    assert known_divisions(2020) == KBLI_2020_DIVISIONS


def test_a_kbli_2020_code_outside_every_division_is_refused_naming_the_code() -> None:
    with pytest.raises(ValidationError) as caught:
        KBLI.parse("04123")
    assert caught.value.code == "kbli.unknown_division"
    assert caught.value.field == "kbli"
    assert "04123" in caught.value.message("id")
    assert "division 04" in caught.value.message("en")


def test_kbli_2025_divisions_are_not_checked_until_a_source_gives_them() -> None:
    assert known_divisions(2025) is None
    assert KBLI.parse("04123", 2025) == KBLI("04123", KBLIEdition.KBLI_2025)


def test_without_a_list_a_code_of_a_real_division_passes_on_its_shape() -> None:
    # 99 is a division (extraterritorial organisations): only a list can refuse 99999.
    assert KBLI.parse("99999") == KBLI("99999")
    assert KBLI.parse("10 797") == KBLI("10797")


def test_the_strict_constructor_checks_the_shape_only_so_stored_documents_load() -> None:
    assert KBLI("04123").division == "04"


# ------------------------------------------------------------------ lists


def test_with_a_list_an_unknown_code_is_refused_naming_code_and_source() -> None:
    assert KBLI.parse("10796", codes=LIST_2020) == KBLI("10796")
    with pytest.raises(ValidationError) as caught:
        KBLI.parse("99999", codes=LIST_2020)
    assert caught.value.code == "kbli.unknown_code"
    assert caught.value.field == "kbli"
    assert "99999" in caught.value.message("en")
    assert BPS_2020 in caught.value.message("id")
    assert "2020-06-26" in caught.value.message("en")


def test_a_list_of_another_edition_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        KBLI.parse("10796", 2025, codes=LIST_2020)
    assert caught.value.code == "kbli.edition_mismatch"


def test_the_division_is_checked_before_the_list() -> None:
    with pytest.raises(ValidationError) as caught:
        check_kbli(KBLI("04123"), codes=LIST_2020)
    assert caught.value.code == "kbli.unknown_division"


def test_contains_needs_the_same_edition_and_code() -> None:
    assert LIST_2020.contains(KBLI("10796"))
    assert not LIST_2020.contains(KBLI("10796", KBLIEdition.KBLI_2025))
    assert not LIST_2020.contains(KBLI("10797"))
    assert LIST_2020.code == "2020"
    assert len(LIST_2020) == 4


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"codes": frozenset()}, "kbli_list.empty"),
        ({"codes": {"1079"}}, "kbli_list.bad_code"),
        ({"codes": {"1079x"}}, "kbli_list.bad_code"),
        ({"codes": {"10796", 10797}}, "kbli_list.bad_code"),
        ({"codes": {"04123"}}, "kbli.unknown_division"),
        ({"source": " "}, "kbli_list.source_missing"),
        ({"source": "x" * 301}, "kbli_list.source_missing"),
        ({"published": dt.datetime(2020, 6, 26)}, "kbli_list.date_missing"),
        ({"published": "2020-06-26"}, "kbli_list.date_missing"),
        ({"edition": 2019}, "kbli.unknown_edition"),
        ({"edition": True}, "kbli.unknown_edition"),
        ({"titles": {"12345": "Not in the list"}}, "kbli_list.bad_titles"),
        ({"titles": {"10796": "x" * 501}}, "kbli_list.bad_titles"),
    ],
)
def test_a_code_list_refuses_what_is_not_a_list_of_known_codes(
    changes: dict[str, object], code: str
) -> None:
    fields: dict[str, object] = {
        "edition": 2020,
        "codes": {"10796"},
        "source": BPS_2020,
        "published": dt.date(2020, 6, 26),
        **changes,
    }
    with pytest.raises(ValidationError) as caught:
        KbliCodeList(**fields)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_a_kbli_2025_list_may_hold_codes_of_any_division() -> None:
    codes = KbliCodeList(
        edition=2025, codes={"04123"}, source="x", published=dt.date(2025, 12, 24)
    )
    assert KBLI.parse("04123", 2025, codes=codes) == KBLI("04123", KBLIEdition.KBLI_2025)


# ------------------------------------------------------------------ reading the CSV file


def test_the_csv_export_of_the_bps_list_reads_with_its_headings_skipped() -> None:
    text = HEADER + (
        "kode;judul\n"
        "A;PERTANIAN, KEHUTANAN DAN PERIKANAN\n"
        "01;PERTANIAN TANAMAN, PETERNAKAN, PERBURUAN DAN KEGIATAN YBDI\n"
        "011;PERTANIAN TANAMAN SEMUSIM\n"
        "0111;PERTANIAN SEREALIA\n"
        "01111;PERTANIAN JAGUNG\n"
        "C;INDUSTRI PENGOLAHAN\n"
        ";\n"
        "10796;INDUSTRI DODOL\n"
    )
    codes = codes_of(text)
    assert codes.codes == {"01111", "10796"}
    assert (codes.edition, codes.source, codes.published) == (
        KBLIEdition.KBLI_2020,
        BPS_2020,
        dt.date(2020, 6, 26),
    )
    assert codes.title(KBLI("10796")) == "INDUSTRI DODOL"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_commas_semicolons_and_tabs_all_separate_columns(delimiter: str) -> None:
    text = f"Code{delimiter}Title\n10796{delimiter}Dodol\n"
    codes = codes_of(text, edition=2020, source=BPS_2020, published=dt.date(2020, 6, 26))
    assert codes.titles == {"10796": "Dodol"}


@pytest.mark.parametrize("header", ["kode", "Kode KBLI", "CODE", "kbli_2020"])
def test_the_usual_code_headers_are_understood(header: str) -> None:
    assert codes_of(f"{HEADER}{header}\n10796\n").codes == {"10796"}


def test_a_utf8_bom_and_windows_line_ends_are_tolerated() -> None:
    data = ("\ufeff" + HEADER + "kode,judul\n10796,Dodol\n").replace("\n", "\r\n")
    assert kbli_code_list_from_bytes(data.encode("utf-8")).codes == {"10796"}


def test_the_callers_values_stand_in_for_missing_comments() -> None:
    codes = codes_of("kode\n10796\n", edition=2025, source="KBLI 2025", published=dt.date.today())
    assert codes.edition is KBLIEdition.KBLI_2025


def test_a_value_given_twice_must_agree() -> None:
    assert problems_of(HEADER + "kode\n10796\n", edition=2025) == [
        ("kbli_list.header_conflict", "row 1")
    ]


def test_without_edition_source_and_date_the_file_is_refused_with_all_three() -> None:
    assert [code for code, _ in problems_of("kode\n10796\n")] == [
        "kbli_list.edition_missing",
        "kbli_list.source_missing",
        "kbli_list.date_missing",
    ]


def test_bad_header_comments_name_their_line() -> None:
    text = "# edition: 2021\n# date: 26/06/2020\n# source: BPS\nkode\n10796\n"
    assert problems_of(text) == [
        ("kbli_list.bad_header_comment", "row 1"),
        ("kbli_list.bad_header_comment", "row 2"),
        ("kbli_list.edition_missing", None),
        ("kbli_list.date_missing", None),
    ]


def test_a_code_that_lost_its_leading_zero_is_reported_not_skipped_as_a_heading() -> None:
    # Excel turned 01111 into 1111: it begins no code of the file, so it is no heading.
    text = HEADER + "kode,judul\n1111,PERTANIAN JAGUNG\n10796,INDUSTRI DODOL\n"
    with pytest.raises(InvalidDocument) as caught:
        codes_of(text)
    (error,) = caught.value.errors
    assert (error.code, error.field) == ("kbli_list.bad_code", "row 5")
    assert "leading zero" in error.message("en")


def test_every_bad_row_is_reported_at_once_with_its_row_number() -> None:
    text = HEADER + (
        "kode,judul\n"
        "10796,Dodol\n"
        "1.07E+04,Scientific\n"
        "04123,No such division\n"
        "10796,Dodol again\n"
        f"10799,{'x' * 501}\n"
    )
    assert problems_of(text) == [
        ("kbli_list.bad_code", "row 6"),
        ("kbli.unknown_division", "row 7"),
        ("kbli_list.duplicate_code", "row 8"),
        ("kbli_list.title_too_long", "row 9"),
    ]


def test_a_duplicate_names_the_row_of_the_first() -> None:
    with pytest.raises(InvalidDocument) as caught:
        codes_of(HEADER + "kode\n10796\n10796\n")
    assert "row 5" in caught.value.errors[0].message("en")


def test_a_line_that_is_not_utf8_is_named_and_the_rest_still_checked() -> None:
    data = HEADER.encode() + b"kode,judul\n10796,Kaf\xe9\n04123,x\n"
    assert problems_of(data) == [
        ("kbli_list.not_utf8", "row 5"),
        ("kbli.unknown_division", "row 6"),
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "kbli_list.edition_missing"),
        (HEADER, "kbli_list.empty"),
        (HEADER + "kode\n", "kbli_list.empty"),
        (HEADER + "kode\nA\n01\n", "kbli_list.bad_code"),
        (HEADER + "judul,uraian\nDodol,x\n", "kbli_list.header_missing"),
        (HEADER + "10796,Dodol\n", "kbli_list.header_missing"),
        (HEADER + 'kode\n"10796\n10799\n', "kbli_list.bad_code"),
    ],
)
def test_a_file_without_codes_or_header_is_refused(text: str, code: str) -> None:
    assert code in [found for found, _ in problems_of(text)]


def test_a_file_larger_than_the_limit_is_refused_before_reading() -> None:
    assert problems_of(b"#" * (MAX_KBLI_FILE_BYTES + 1)) == [("kbli_list.too_large", None)]


def test_reading_a_file_names_it_in_the_error(tmp_path: Path) -> None:
    good = tmp_path / "kbli-2020.csv"
    good.write_text(HEADER + "kode,judul\n10796,Dodol\n", encoding="utf-8")
    assert read_kbli_code_list(good) == KbliCodeList(
        edition=2020,
        codes={"10796"},
        source=BPS_2020,
        published=dt.date(2020, 6, 26),
        titles={"10796": "Dodol"},
    )
    bad = tmp_path / "kbli-typo.csv"
    bad.write_text(HEADER + "kode\n04123\n", encoding="utf-8")
    with pytest.raises(InvalidDocument) as caught:
        read_kbli_code_list(os.fspath(bad))
    assert caught.value.field == str(bad)


# ------------------------------------------------------------------ the roster


def roster_row(kbli: str) -> dict[str, object]:
    return {
        "Nama Usaha": "Dodol Ibu Sari",
        "Nama Pemilik": "Sari",
        "Sektor": "kuliner",
        "Kecamatan": "Cipondoh",
        "KBLI": kbli,
    }


def test_a_roster_row_with_a_code_the_list_lacks_is_refused_naming_its_column() -> None:
    report = import_roster(
        [(2, roster_row("10796, 10799")), (3, roster_row("10796; 10797"))], kbli_codes=LIST_2020
    )
    assert [r.row for r in report.imported_rows] == [2]
    (refused,) = report.refused
    (problem,) = refused.problems
    assert (problem.code, problem.column, problem.row) == ("kbli.unknown_code", "KBLI", 3)


def test_a_roster_row_with_a_code_of_no_division_is_refused_even_without_a_list() -> None:
    result = business_from_row(2, roster_row("04123"))
    assert [p.code for p in result.problems] == ["kbli.unknown_division"]  # type: ignore[union-attr]


def test_a_roster_given_the_list_of_another_edition_is_refused_before_any_row() -> None:
    with pytest.raises(ValidationError) as caught:
        import_roster([(2, roster_row("10796"))], kbli_edition=2025, kbli_codes=LIST_2020)
    assert caught.value.code == "kbli.edition_mismatch"


@pytest.mark.parametrize(
    "name", ["umkm_core.model.kbli", "umkm_core.adapters.kbli_codes", "umkm_core._plugins"]
)
def test_the_examples_in_the_kbli_modules_run_as_written(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
