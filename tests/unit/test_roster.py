"""Roster import: rows as offices keep them become businesses, or are refused with reasons."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from umkm_core import NIB, RegionCode, Sex, Text, ValidationError
from umkm_core.adapters.roster import (
    ImportedBusiness,
    RefusedRow,
    RowProblem,
    business_from_row,
    import_roster,
    normalise_header,
    parse_rupiah,
)

OFFICE = "dinkop-kota-tangerang"
NIK_WOMAN = "3671054508900001"  # born 5 Aug 1990, female, registered in Cipondoh
NIK_MAN = "3671050508900002"


def good_row(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "No Registrasi": "TNG-0001",
        "Nama Usaha": "Dodol Ibu Sari",
        "Nama Pemilik": "Sari Wulandari",
        "NIK": NIK_WOMAN,
        "NIB": "9120001234567",
        "No. HP": "0812-3456-7890",
        "Jenis Kelamin": "P",
        "Kecamatan": "Cipondoh",
        "Alamat": "Jl. Raya Cipondoh No. 5",
        "Sektor": "Makanan",
        "KBLI": "10796",
        "Omzet": "Rp150.000.000",
        "Aset": "45.000.000,00",
        "Tahun": "2017",
        "Binaan Sejak": "01/03/2015",
    }
    row.update(overrides)
    return row


def read(row: dict[str, object], n: int = 2) -> ImportedBusiness | RefusedRow:
    return business_from_row(n, row, office_id=OFFICE)


def test_indonesian_roster_row_becomes_a_coached_business() -> None:
    result = read(good_row())
    assert isinstance(result, ImportedBusiness)
    b = result.business
    assert b.id == "TNG-0001"
    assert b.name == "Dodol Ibu Sari"
    assert b.owner.sex is Sex.FEMALE
    assert b.owner.phone == "+6281234567890"
    assert b.region == RegionCode.parse("36.71.05")
    assert b.sector == "kuliner"
    assert b.nib == NIB.parse("9120001234567")
    assert b.kbli[0].code == "10796"
    record = b.financials[0]
    assert (record.year, record.annual_sales, record.net_assets) == (2017, 150_000_000, 45_000_000)
    assert b.is_coached_by(OFFICE, dt.date(2017, 12, 19))
    assert not b.is_coached_by(OFFICE, dt.date(2015, 2, 28))


def test_english_headers_in_any_case_and_punctuation_are_understood() -> None:
    row = {
        "Business Name": "Batik Cisadane",
        "OWNER-NAME": "Budi",
        "region": "36.71.07",
        "SECTOR": "fashion",
        "annual sales": "1,500,000",
        "Year": 2017,
        "phone": "+62 812 1111 2222",
    }
    result = read(row)
    assert isinstance(result, ImportedBusiness)
    assert result.business.sector == "fesyen"
    assert result.business.financials[0].annual_sales == 1_500_000


def test_row_without_id_column_gets_an_id_from_its_row_number() -> None:
    row = good_row()
    del row["No Registrasi"]
    result = read(row, n=42)
    assert isinstance(result, ImportedBusiness)
    assert result.business.id == "R000042"


def test_refused_row_lists_every_problem_with_its_column() -> None:
    row = good_row(NIK="3.67105E+15", NIB="912000123456", Omzet="banyak", Kecamatan="Atlantis")
    result = read(row, n=7)
    assert isinstance(result, RefusedRow)
    by_column = {p.column: p.code for p in result.problems}
    assert by_column == {
        "NIK": "nik.scientific_notation",
        "NIB": "nib.lost_leading_zero",
        "Omzet": "money.bad_format",
        "Kecamatan": "roster.region_unknown",
    }
    assert all(p.row == 7 for p in result.problems)
    assert all(p.message.id and p.message.en for p in result.problems)


def test_problem_messages_never_contain_the_personal_data_of_the_cell() -> None:
    result = read(good_row(NIK="367105450890000"), n=3)
    assert isinstance(result, RefusedRow)
    for p in result.problems:
        assert "367105450890000" not in p.message.id + p.message.en


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("3.67105E+15", "nik.scientific_notation"),
        ("3671054508900001.0", "nik.spreadsheet_decimal"),
        (3.671054508900001e15, "nik.scientific_notation"),
        ("36710545089", "nik.bad_length"),
    ],
)
def test_nik_mangled_by_excel_is_refused_with_its_own_code(cell: object, code: str) -> None:
    result = read(good_row(NIK=cell))
    assert isinstance(result, RefusedRow)
    assert result.codes == (code,)


def test_nib_that_lost_its_leading_zero_is_refused_as_such() -> None:
    result = read(good_row(NIB="123456789012"))
    assert isinstance(result, RefusedRow)
    assert result.codes == ("nib.lost_leading_zero",)


def test_missing_required_columns_are_each_reported() -> None:
    result = read({"Nama Usaha": "Warung Bu Ani", "Kecamatan": "Benda"})
    assert isinstance(result, RefusedRow)
    assert sorted(result.codes) == ["roster.required", "roster.required"]
    assert {p.field for p in result.problems} == {"owner_name", "sector"}


def test_sex_that_contradicts_the_nik_is_refused() -> None:
    result = read(good_row(**{"Jenis Kelamin": "L"}))
    assert isinstance(result, RefusedRow)
    assert result.codes == ("owner.sex_mismatch",)


def test_district_must_agree_with_region_code() -> None:
    result = read(good_row(**{"Kode Wilayah": "36.71.13"}))
    assert isinstance(result, RefusedRow)
    assert result.codes == ("roster.region_mismatch",)


def test_village_code_within_the_named_district_is_kept() -> None:
    result = read(good_row(**{"Kode Wilayah": "36.71.05.1001"}))
    assert isinstance(result, ImportedBusiness)
    assert str(result.business.region) == "36.71.05.1001"


def test_figures_with_a_blank_year_are_refused() -> None:
    result = read(good_row(Tahun=""))
    assert isinstance(result, RefusedRow)
    assert result.codes == ("roster.year_missing",)


def test_a_roster_without_a_year_column_is_reported_once_for_the_whole_file() -> None:
    rows = []
    for n in range(2, 6):
        row = good_row(**{"No Registrasi": f"TNG-{n:04d}", "NIK": None, "NIB": None})
        del row["Tahun"]
        rows.append((n, row))
    with pytest.raises(ValidationError) as info:
        import_roster(rows, office_id=OFFICE)
    assert info.value.code == "roster.year_missing"
    assert "figures_year" in info.value.message("en")
    assert "--figures-year" in info.value.message("en")


def test_figures_year_gives_the_year_of_a_roster_without_a_year_column() -> None:
    row = good_row()
    del row["Tahun"]
    result = business_from_row(2, row, office_id=OFFICE, figures_year=2017)
    assert isinstance(result, ImportedBusiness)
    assert [r.year for r in result.business.financials] == [2017]
    with_year = business_from_row(2, good_row(), office_id=OFFICE, figures_year=2016)
    assert isinstance(with_year, ImportedBusiness)
    assert [r.year for r in with_year.business.financials] != [2016], "the row's year wins"


@pytest.mark.parametrize("year", [1800, True, "2017"])
def test_figures_year_must_be_a_plausible_year(year: object) -> None:
    with pytest.raises(ValidationError) as info:
        business_from_row(2, good_row(), office_id=OFFICE, figures_year=year)  # type: ignore[arg-type]
    assert info.value.code == "roster.bad_figures_year"


def test_coaching_date_without_an_office_is_refused() -> None:
    result = business_from_row(2, good_row())
    assert isinstance(result, RefusedRow)
    assert result.codes == ("roster.office_missing",)


def test_two_columns_for_the_same_field_are_refused_when_both_filled() -> None:
    result = read(good_row(Telepon="0813-0000-1111"))
    assert isinstance(result, RefusedRow)
    assert result.codes == ("roster.duplicate_column",)


def test_unknown_sector_is_refused_when_the_sectors_are_known() -> None:
    result = business_from_row(2, good_row(Sektor="Pertambangan"), office_id=OFFICE,
                               sectors={"kuliner", "fesyen"})  # fmt: skip
    assert isinstance(result, RefusedRow)
    assert result.codes == ("roster.sector_unknown",)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Rp1.500.000", 1_500_000),
        ("Rp 1.500.000,00", 1_500_000),
        ("1.500.000,-", 1_500_000),
        ("IDR 2.000.000", 2_000_000),
        ("1500000", 1_500_000),
        ("1500000,00", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1,500,000.00", 1_500_000),
        ("Rp. 750.000", 750_000),
        (300_000_000, 300_000_000),
        (300_000_000.0, 300_000_000),
    ],
)
def test_rupiah_in_indonesian_and_english_notation(text: object, amount: int) -> None:
    assert parse_rupiah(text) == amount


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("-Rp5.000", "money.negative"),
        ("1.500,50", "money.fraction"),
        ("1,5 juta", "money.bad_format"),
        ("lima juta", "money.bad_format"),
        (1500.5, "money.fraction"),
        (float("nan"), "money.bad_format"),
        (True, "money.bad_format"),
    ],
)
def test_unreadable_rupiah_is_refused_with_a_code(text: object, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_rupiah(text)
    assert info.value.code == code


def test_headers_compare_without_case_spaces_punctuation_or_bom() -> None:
    assert normalise_header("\ufeffNama  Usaha") == normalise_header("nama_usaha")
    assert normalise_header("NO. HP") == normalise_header("no_hp")


def test_duplicate_nib_or_nik_is_refused_naming_the_first_row() -> None:
    rows = [
        (2, good_row()),
        (3, good_row(**{"No Registrasi": "TNG-0002", "NIK": NIK_MAN, "Jenis Kelamin": "L"})),
        (4, good_row(**{"No Registrasi": "TNG-0003", "NIB": "9120001234568"})),
    ]
    report = import_roster(rows, office_id=OFFICE)
    assert report.imported == 1
    assert [r.row for r in report.refused] == [3, 4]
    assert report.refused[0].codes == ("roster.duplicate_nib",)
    assert report.refused[1].codes == ("roster.duplicate_nik",)
    assert "baris 2" in report.refused[0].problems[0].message.id
    assert "row 2" in report.refused[0].problems[0].message.en


def test_refused_row_does_not_block_a_later_row_with_the_same_nib() -> None:
    rows = [(2, good_row(Omzet="??")), (3, good_row())]
    report = import_roster(rows, office_id=OFFICE)
    assert report.imported == 1
    assert report.imported_rows[0].row == 3


def test_blank_rows_are_counted_and_refused() -> None:
    report = import_roster([(2, {"Nama Usaha": "", "Sektor": None})], office_id=OFFICE)
    assert report.rows_read == 1
    assert report.refused[0].codes == ("roster.blank_row",)


def test_unknown_headers_are_named_in_the_report() -> None:
    report = import_roster([(2, good_row(Catatan="ok"))], office_id=OFFICE)
    assert report.imported == 1
    assert report.ignored_columns == ("Catatan",)


def test_excel_csv_with_semicolons_imports_every_good_row_and_counts_every_row() -> None:
    text = (
        "\ufeffNama Usaha;Nama Pemilik;NIK;Kecamatan;Sektor;Omzet;Tahun\r\n"
        "Dodol Sari;Sari;3671054508900001;Cipondoh;makanan;Rp150.000.000;2017\r\n"
        "Batik Budi;Budi;3.67105E+15;Karawaci;fesyen;Rp90.000.000;2017\r\n"
        ";;;;;;\r\n"
        "Kue Ani;Ani;3671054508900001;Benda;makanan;1.000.000;2017\r\n"
        "Kaos Dedi;Dedi;;Larangan;fashion;2.500.000;2017\r\n"
    )
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    rows = list(enumerate(reader, start=2))
    report = import_roster(rows, office_id=OFFICE)
    assert report.rows_read == len(rows) == 5
    assert report.imported == 2
    assert report.imported + report.refused_count == report.rows_read
    assert report.problem_counts() == {
        "nik.scientific_notation": 1,
        "roster.blank_row": 1,
        "roster.duplicate_nik": 1,
    }


def test_rows_the_file_reader_refused_are_counted_and_reported() -> None:
    unreadable = RefusedRow(
        row=3,
        problems=(
            RowProblem(
                row=3,
                column=None,
                field=None,
                code="csv.bad_row",
                message=Text(id="Baris rusak.", en="Broken row."),
            ),
        ),
    )
    report = import_roster([(2, good_row()), unreadable], office_id=OFFICE)
    assert (report.imported, report.refused_count, report.rows_read) == (1, 1, 2)
    assert report.refused[0].codes == ("csv.bad_row",)


def test_identifier_stored_as_a_spreadsheet_number_is_refused_even_as_an_int() -> None:
    # Excel keeps 15 significant digits: 3671050508900002 comes back as ...900000.
    result = read(good_row(NIK=3671054508900000, NIB=9120001234567))
    assert isinstance(result, RefusedRow)
    assert result.codes == ("nik.scientific_notation", "nib.scientific_notation")


def test_a_region_code_not_in_the_kemendagri_list_is_refused() -> None:
    result = read(good_row(**{"Kode Wilayah": "36.71.14"}, Kecamatan=None))
    assert isinstance(result, RefusedRow)
    assert "region.unknown_region" in result.codes


def test_districts_given_to_the_import_are_known_region_codes() -> None:
    # A plugin's district table (here: one more district of Kota Tangerang) counts as
    # part of the region list.
    districts = {"kecamatan baru": RegionCode.parse_shape("36.71.14")}
    row = good_row(**{"Kode Wilayah": "36.71.14"}, Kecamatan=None)
    result = business_from_row(2, row, office_id=OFFICE, districts=districts)
    assert isinstance(result, ImportedBusiness)
    assert str(result.business.region) == "36.71.14"


def test_a_year_of_five_thousand_digits_is_refused_with_our_error() -> None:
    from umkm_core.adapters.roster import business_from_row

    row = {"nama_usaha": "Dodol", "nama_pemilik": "Sari", "kecamatan": "Cipondoh",
           "sektor": "kuliner", "omzet": "Rp1.000.000", "tahun": "9" * 5000}  # fmt: skip
    result = business_from_row(2, row, office_id=OFFICE)
    assert isinstance(result, RefusedRow)
    assert "roster.bad_year" in {p.code for p in result.problems}
