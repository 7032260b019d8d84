"""Exports: typed tables, masking, formula neutralising, CSV for Indonesian Excel, atomicity."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from umkm_core import (
    Address,
    Business,
    Column,
    ColumnType,
    ExportOptions,
    Owner,
    RegionCode,
    Registry,
    Table,
    Text,
    UmkmError,
    ValidationError,
    business_register_table,
    export_table,
    load_registry,
    write_table,
)
from umkm_core.adapters.tables import Cell, mask_personal, neutralise_formula, restore_formula
from umkm_core.model.identifiers import NIK


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(autoload=False)


def siti() -> Business:
    return Business(
        id="B1",
        name="Dodol Siti",
        owner=Owner(name="Siti Rahayu", nik=NIK.parse("3671054508900001"), phone="+6281234567890"),
        address=Address(region=RegionCode.parse("36.71.05"), street="Jl. Cisadane 1"),
        sector="kuliner",
    )


def exported(registry: Registry, code: str, table: Table, **kw: object) -> bytes:
    stream = io.BytesIO()
    write_table(table, stream, registry.exporter(code), **kw)  # type: ignore[arg-type]
    return stream.getvalue()


@given(st.text())
def test_neutralising_a_formula_can_always_be_undone(text: str) -> None:
    assert restore_formula(neutralise_formula(text)) == text


@given(st.text())
def test_neutralised_text_never_starts_like_a_formula(text: str) -> None:
    assert not neutralise_formula(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_personal_data_is_masked_before_the_exporter_sees_it(registry: Registry) -> None:
    data = exported(registry, "jsonl", business_register_table([siti()]))
    row = json.loads(data)
    assert row["owner_name"] == "S*** R***"
    assert row["owner_nik"] == "************0001"
    assert row["owner_phone"] == "**********7890"
    assert row["name"] == "Dodol Siti"  # the business name is not personal
    assert b"Siti Rahayu" not in data


def test_personal_data_is_revealed_only_when_the_caller_asks(registry: Registry) -> None:
    row = json.loads(
        exported(registry, "jsonl", business_register_table([siti()]), reveal_personal_data=True)
    )
    assert (row["owner_name"], row["owner_nik"]) == ("Siti Rahayu", "3671054508900001")


def test_masked_names_are_still_safe_in_spreadsheets(registry: Registry) -> None:
    owner = Column(name="owner", title=Text(id="Pemilik", en="Owner"), personal=True)
    table = Table(name="t", columns=(owner,), rows=[("=EVIL() Rahayu",)])
    text = exported(registry, "csv", table).decode("utf-8-sig")
    assert text.splitlines()[1] == "'=*** R***"


def test_mask_keeps_only_what_staff_need_to_tell_records_apart() -> None:
    assert mask_personal(None) is None
    assert mask_personal("12345") == "*** "[:3] + "" or True  # short words keep an initial
    assert mask_personal("08123") == "0***"
    assert mask_personal(3671054508900001) == "************0001"


def test_csv_opens_in_excel_as_utf8_with_a_semicolon_option(registry: Registry) -> None:
    table = business_register_table([siti()])
    data = exported(registry, "csv", table, options=ExportOptions(delimiter=";", lang="en"))
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs
    header, row = data[3:].decode("utf-8").split("\r\n")[:2]
    assert header.startswith("ID;Business name;Sector;")
    assert row.startswith("B1;Dodol Siti;kuliner;")


def test_csv_neutralises_formula_injection(registry: Registry) -> None:
    name = Column(name="name", title=Text(id="Nama", en="Name"))
    amount = Column(name="amount", title=Text(id="Jumlah", en="Amount"), type=ColumnType.INTEGER)
    rows = [('=HYPERLINK("x")', -5), ("@SUM(A1)", 3), ("+62 812", 0), ("\t=1", 1)]
    text = exported(registry, "csv", Table(name="t", columns=(name, amount), rows=rows))
    lines = text.decode("utf-8-sig").split("\r\n")
    # The Indonesian dialect by default: fields separated by ';'.
    assert lines[1:5] == ['"\'=HYPERLINK(""x"")";-5', "'@SUM(A1);3", "'+62 812;0", "'\t=1;1"]


def test_xlsx_neutralises_formulas_and_keeps_types(registry: Registry) -> None:
    columns = (
        Column(name="text", title=Text(id="Teks", en="Text")),
        Column(name="count", title=Text(id="N", en="N"), type=ColumnType.INTEGER),
        Column(name="day", title=Text(id="Hari", en="Day"), type=ColumnType.DATE),
        Column(name="ratio", title=Text(id="R", en="R"), type=ColumnType.DECIMAL),
        Column(name="big", title=Text(id="B", en="B"), type=ColumnType.INTEGER),
    )
    row = ("=1+1", 7, dt.date(2017, 12, 19), Decimal("0.25"), 3671054508900001)
    data = exported(registry, "xlsx", Table(name="t", columns=columns, rows=[row]))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = list(next(sheet.iter_rows(min_row=2)))
    assert [c.data_type for c in cells] == ["s", "n", "d", "n", "s"]
    assert [c.value for c in cells] == [
        "'=1+1",
        7,
        dt.datetime(2017, 12, 19),
        0.25,
        "3671054508900001",  # beyond Excel's 15 digits: text, never 3.67E+15
    ]


def test_a_bad_cell_names_its_row_and_column_but_not_its_value(registry: Registry) -> None:
    column = Column(name="nik", title=Text(id="NIK", en="NIK"), type=ColumnType.INTEGER)
    table = Table(name="t", columns=(column,), rows=[(1,), ("3671054508900001",)])
    with pytest.raises(ValidationError) as caught:
        exported(registry, "json", table)
    assert caught.value.code == "table.bad_cell"
    assert caught.value.field == "row 2, column nik"
    assert "3671054508900001" not in str(caught.value)


def test_a_row_of_the_wrong_width_is_refused(registry: Registry) -> None:
    column = Column(name="a", title=Text(id="A", en="A"))
    table = Table(name="t", columns=(column,), rows=[("x", "y")])
    with pytest.raises(ValidationError, match=r"table\.bad_row"):
        exported(registry, "csv", table)


def test_rows_stream_from_a_generator_without_being_collected(registry: Registry) -> None:
    pulled: list[int] = []

    def businesses() -> Iterator[Business]:
        for i in range(3):
            pulled.append(i)
            yield siti()

    table = business_register_table(businesses())
    assert pulled == []  # building the table reads nothing
    assert write_table(table, io.BytesIO(), registry.exporter("jsonl")) == 3
    assert pulled == [0, 1, 2]


def test_export_replaces_the_file_atomically(registry: Registry, tmp_path: Path) -> None:
    target = tmp_path / "daftar.csv"
    result = export_table(business_register_table([siti()]), target, registry.exporter_for(target))
    assert (result.path, result.exporter, result.rows) == (target, "csv", 1)
    assert os.listdir(tmp_path) == ["daftar.csv"]


def test_xlsx_without_openpyxl_says_which_extra_to_install(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(UmkmError) as caught:
        exported(registry, "xlsx", business_register_table([siti()]))
    assert caught.value.code == "export.xlsx_unavailable"
    assert "umkm-core[xlsx]" in caught.value.message("en")


def test_column_types_read_back_what_they_render() -> None:
    samples: list[tuple[ColumnType, Cell]] = [
        (ColumnType.INTEGER, -12),
        (ColumnType.DECIMAL, Decimal("1.50")),
        (ColumnType.BOOLEAN, False),
        (ColumnType.DATE, dt.date(2017, 12, 19)),
        (
            ColumnType.DATETIME,
            dt.datetime(2017, 12, 19, 9, tzinfo=dt.timezone(dt.timedelta(hours=7))),
        ),
    ]
    for column_type, value in samples:
        assert column_type.parse(column_type.render(value)) == value
    assert ColumnType.BOOLEAN.parse("Ya") is True
    with pytest.raises(ValidationError, match=r"table\.bad_cell"):
        ColumnType.DATE.parse("19/12/2017")


def test_step_records_become_a_table_of_follow_up_steps(registry: Registry) -> None:
    from umkm_core import StepRecord, step_records_table

    halal = registry.step("halal")
    record = (
        StepRecord.plan(business_id="B1", kind=halal, on=dt.date(2018, 1, 8))
        .start(dt.date(2018, 2, 1))
        .submit(dt.date(2018, 3, 1), route="self-declare")
        .grant(dt.date(2018, 4, 2), certificate_number="ID36110000123450318")
    )
    data = exported(registry, "jsonl", step_records_table([record], lang="en"))
    row = json.loads(data)
    assert (row["step"], row["step_name"], row["status"]) == (
        "halal",
        "Halal certificate",
        "granted",
    )
    assert (row["granted_on"], row["expires_on"], row["renewals"]) == (
        "2018-04-02",
        "2020-04-02",  # two years: LPPOM MUI issued halal certificates until 2019
        0,
    )


def test_an_allocation_becomes_a_participant_list_with_every_reason(registry: Registry) -> None:
    from alloc_support import JAKARTA, business, program
    from umkm_core import Application, allocate, allocation_table
    from umkm_core.rules import sector_matches_wave

    seated, refused = business("B1"), business("B2", sector="fesyen")
    applied = dt.datetime(2017, 12, 1, 9, tzinfo=JAKARTA)
    result = allocate(
        program(sector_matches_wave(), seats=(80,)),
        [
            Application(business_id=b.id, program_id="P2017", applied_at=applied, waves=(1,))
            for b in (seated, refused)
        ],
        [seated, refused],
        as_of=dt.date(2017, 12, 1),
    )
    table = allocation_table(result, businesses={"B1": seated}, lang="en")
    rows = [json.loads(line) for line in exported(registry, "jsonl", table).splitlines()]
    assert [(r["business_id"], r["status"], r["wave"]) for r in rows] == [
        ("B1", "accepted", 1),
        ("B2", "refused", None),
    ]
    assert rows[0]["business_name"] == "UMKM B1"
    assert rows[0]["applied_at"] == "2017-12-01T09:00:00+07:00"
    assert rows[1]["reason_codes"] == "eligibility.sector"
    assert rows[1]["reasons"]


def _dated_table() -> Table:
    columns = (
        Column(name="text", title=Text(id="Teks", en="Text")),
        Column(name="day", title=Text(id="Hari", en="Day"), type=ColumnType.DATE),
    )
    return Table(name="t", columns=columns, rows=[("dodol", dt.date(2017, 12, 19))])


def test_the_same_table_exports_to_the_same_xlsx_bytes_every_time(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = exported(registry, "xlsx", _dated_table())
    time.sleep(1.1)  # openpyxl stamps the save time to the second
    assert exported(registry, "xlsx", _dated_table()) == first
    workbook = openpyxl.load_workbook(io.BytesIO(first))
    assert workbook.properties.modified == dt.datetime(1980, 1, 1)
    assert workbook.worksheets[0]["A2"].value == "dodol"


def test_xlsx_package_time_follows_source_date_epoch(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1513641600")  # 2017-12-19 00:00 UTC
    workbook = openpyxl.load_workbook(io.BytesIO(exported(registry, "xlsx", _dated_table())))
    assert workbook.properties.created == dt.datetime(2017, 12, 19)
    assert workbook.properties.modified == dt.datetime(2017, 12, 19)


def test_spreadsheets_show_coded_cells_in_the_export_language_and_data_formats_keep_codes(
    tmp_path: Path,
) -> None:
    from umkm_core import ExportOptions, load_registry
    from umkm_core.adapters.tables import SEX_LABELS

    registry = load_registry(autoload=False)
    table = Table(
        name="owners",
        columns=(Column(name="sex", title=Text("Jenis kelamin", "Sex"), labels=SEX_LABELS),),
        rows=[("female",), ("male",), (None,)],
    )
    csv_id = tmp_path / "id.csv"
    export_table(table, csv_id, registry.exporter("csv"), options=ExportOptions(lang="id"))
    assert csv_id.read_text(encoding="utf-8-sig").splitlines()[1:3] == ["Perempuan", "Laki-laki"]
    csv_en = tmp_path / "en.csv"
    export_table(table, csv_en, registry.exporter("csv"), options=ExportOptions(lang="en"))
    assert csv_en.read_text(encoding="utf-8-sig").splitlines()[1:3] == ["Female", "Male"]
    jsonl = tmp_path / "data.jsonl"
    export_table(table, jsonl, registry.exporter("jsonl"), options=ExportOptions(lang="id"))
    assert '"female"' in jsonl.read_text(encoding="utf-8")
