"""Importing rosters: encodings and delimiters offices produce, bad rows next to good ones."""

from __future__ import annotations

import io

import pytest

from umkm_core import ImportedRow, RowError, ValidationError, read_rows
from umkm_core.plugins.importers import read_csv, read_json, read_xlsx


def rows_of(data: bytes) -> list[ImportedRow | RowError]:
    return list(read_csv(io.BytesIO(data)))


def test_csv_from_excel_on_windows_in_cp1252_is_read() -> None:
    data = "nama;kota\nCaf\xe9 Bu Ani;Tangerang\n".encode("cp1252")
    (row,) = rows_of(data)
    assert isinstance(row, ImportedRow)
    assert row.values == {"nama": "Caf\xe9 Bu Ani", "kota": "Tangerang"}


def test_csv_in_utf8_with_a_byte_order_mark_is_read() -> None:
    data = "\ufeffnama,kota\nKue Lapis \u2013 Bu Ani,Tangerang\n".encode()
    (row,) = rows_of(data)
    assert isinstance(row, ImportedRow)
    assert row.values["nama"] == "Kue Lapis \u2013 Bu Ani"


def test_the_delimiter_is_detected_from_the_header() -> None:
    assert rows_of(b"a;b\n1;2\n")[0] == ImportedRow(row=2, values={"a": "1", "b": "2"})
    assert rows_of(b"a,b\n1,2\n")[0] == ImportedRow(row=2, values={"a": "1", "b": "2"})
    assert rows_of(b'"omzet; Rp",b\n1,2\n')[0] == ImportedRow(
        row=2, values={"omzet; Rp": "1", "b": "2"}
    )


def test_bad_rows_are_reported_with_their_row_and_good_rows_kept() -> None:
    data = b"nama,omzet\nToko A,100\nToko B,200,lebih\n,\nToko C,\n"
    results = rows_of(data)
    assert [type(r).__name__ for r in results] == ["ImportedRow", "RowError", "ImportedRow"]
    error = results[1]
    assert isinstance(error, RowError)
    assert (error.row, error.error.code, error.error.field) == (
        3,
        "import.value_without_header",
        "row 3, column 3",
    )
    last = results[2]
    assert isinstance(last, ImportedRow)
    assert (last.row, last.values) == (5, {"nama": "Toko C", "omzet": None})


def test_short_rows_are_padded_with_empty_cells() -> None:
    (row,) = rows_of(b"a,b,c\n1\n")
    assert isinstance(row, ImportedRow)
    assert row.values == {"a": "1", "b": None, "c": None}


def test_duplicate_headers_are_a_problem_of_the_whole_file() -> None:
    with pytest.raises(ValidationError) as caught:
        rows_of(b"nama,nama\n1,2\n")
    assert caught.value.code == "import.duplicate_header"


def test_neutralised_cells_come_back_as_they_were() -> None:
    (row,) = rows_of(b"rumus\n'=1+1\n")
    assert isinstance(row, ImportedRow)
    assert row.values == {"rumus": "=1+1"}


def test_imported_rows_keep_personal_values_out_of_their_repr() -> None:
    (row,) = rows_of(b"nik\n3671054508900001\n")
    assert "3671054508900001" not in repr(row)


def test_a_file_that_is_not_a_workbook_raises_our_error() -> None:
    with pytest.raises(ValidationError) as caught:
        list(read_xlsx(io.BytesIO(b"PK\x03\x04 not really")))
    assert caught.value.code == "import.not_xlsx"


def test_json_must_be_an_array_of_objects() -> None:
    with pytest.raises(ValidationError, match=r"import\.bad_json"):
        list(read_json(io.BytesIO(b'{"nama": "Toko"}')))


def test_read_rows_opens_the_file(tmp_path: object) -> None:
    from pathlib import Path

    from umkm_core import load_registry

    path = Path(str(tmp_path)) / "daftar.csv"
    path.write_bytes(b"nama\nToko A\n")
    importer = load_registry(autoload=False).importer_for(path)
    assert [r.row for r in read_rows(path, importer)] == [2]
