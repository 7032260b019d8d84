"""Readers never lose a row silently, never quote a personal cell, never crash on damage."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import openpyxl
import pytest

from umkm_core import ImportedRow, RowError, ValidationError
from umkm_core.adapters.roster import import_roster
from umkm_core.plugins import importers
from umkm_core.plugins.importers import (
    detect_encoding,
    read_csv,
    read_json,
    read_jsonl,
    read_xlsx,
)

MAX_CELL_LENGTH = 32_767  # Excel's own limit per cell
NIK = "3671054508900001"
PHONE = "+6281234567890"


def rows(results: list[ImportedRow | RowError]) -> dict[int, object]:
    return {r.row: (r.values if isinstance(r, ImportedRow) else r.error.code) for r in results}


# --- encodings ------------------------------------------------------------------------


def test_a_utf8_roster_with_one_cp1252_row_keeps_utf8_and_reports_that_row() -> None:
    data = (
        b"nama_usaha;kota\r\n"
        + "Kafé Siti;Tangerang\r\n".encode()
        + "Kafé Budi;Cipondoh\r\n".encode("cp1252")
        + "Bakso Café;Benda\r\n".encode()
    )
    found = rows(list(read_csv(io.BytesIO(data))))
    assert found == {
        2: {"nama_usaha": "Kafé Siti", "kota": "Tangerang"},
        3: "import.not_utf8",
        4: {"nama_usaha": "Bakso Café", "kota": "Benda"},
    }


def test_a_row_not_in_utf8_is_reported_by_its_number_even_across_quoted_lines() -> None:
    data = (
        'nama,catatan\n"Toko A","baris\nkedua é"\n'.encode()
        + 'Toko B,"é\nlagi"\n'.encode("cp1252")
        + b"Toko C,ok\n"
    )
    found = rows(list(read_csv(io.BytesIO(data))))
    assert found[2] == {"nama": "Toko A", "catatan": "baris\nkedua é"}
    assert found[3] == "import.not_utf8"
    assert found[4] == {"nama": "Toko C", "catatan": "ok"}


def test_a_file_wholly_in_cp1252_is_still_read_as_cp1252() -> None:
    data = "nama;kota\r\nKafé Siti;Tangerang\r\n".encode("cp1252")
    assert detect_encoding(io.BytesIO(data)) == "cp1252"
    assert rows(list(read_csv(io.BytesIO(data)))) == {
        2: {"nama": "Kafé Siti", "kota": "Tangerang"}
    }


# --- headers --------------------------------------------------------------------------


def test_a_roster_without_a_header_is_refused_without_quoting_its_first_row() -> None:
    data = f"Dodol Siti;Siti Rahayu;{NIK};{PHONE};Cipondoh\r\n".encode()
    with pytest.raises(ValidationError) as caught:
        list(read_csv(io.BytesIO(data)))
    assert caught.value.code == "import.header_missing"
    for secret in (NIK, PHONE, "Siti"):
        assert secret not in str(caught.value)
    assert "3, 4" in caught.value.message("en")


def test_rows_whose_headers_are_data_are_refused_by_the_roster_import() -> None:
    first = {"Dodol Siti": "Bakso Budi", "Siti Rahayu": "Budi", "Cipondoh": "Benda"}
    with pytest.raises(ValidationError) as caught:
        import_roster([(2, first)])
    assert caught.value.code == "roster.header_missing"
    assert "Siti" not in str(caught.value)


def test_a_duplicate_header_is_named_by_its_positions_not_its_text() -> None:
    data = b"nama;Siti Rahayu;kota;Siti Rahayu\r\nA;B;C;D\r\n"
    with pytest.raises(ValidationError) as caught:
        list(read_csv(io.BytesIO(data)))
    assert caught.value.code == "import.duplicate_header"
    assert "Siti" not in str(caught.value)
    assert "2" in caught.value.message("en")
    assert "4" in caught.value.message("en")


# --- limits ---------------------------------------------------------------------------


def test_a_cell_longer_than_the_limit_is_a_row_error_and_the_others_are_kept() -> None:
    assert getattr(importers, "MAX_CELL_LENGTH", None) == MAX_CELL_LENGTH
    long = "x" * (MAX_CELL_LENGTH + 1)
    data = f'nama,catatan\nToko A,ok\nToko B,"{long}"\nToko C,ok\n'.encode()
    found = rows(list(read_csv(io.BytesIO(data))))
    assert found == {
        2: {"nama": "Toko A", "catatan": "ok"},
        3: "import.cell_too_long",
        4: {"nama": "Toko C", "catatan": "ok"},
    }
    jsonl = b'{"nama": "' + long.encode() + b'"}\n{"nama": "ok"}\n'
    assert rows(list(read_jsonl(io.BytesIO(jsonl))))[1] == "import.cell_too_long"
    assert rows(list(read_json(io.BytesIO(b"[" + jsonl.replace(b"\n", b",")[:-1] + b"]"))))[1] == (
        "import.cell_too_long"
    )


# --- XLSX -----------------------------------------------------------------------------


def workbook(*rows: list[object]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_member(data: bytes, name: str, change: object) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == name:
                content = change(content)  # type: ignore[operator]
            target.writestr(info.filename, content)
    return out.getvalue()


def test_a_formula_without_a_saved_result_is_reported_not_read_as_empty() -> None:
    data = workbook(["nama", "omzet"], ["Toko A", 100], ["Toko B", "=A1*2"], ["Toko C", 300])
    found = rows(list(read_xlsx(io.BytesIO(data))))
    assert found == {
        2: {"nama": "Toko A", "omzet": 100},
        3: "roster.formula_without_value",
        4: {"nama": "Toko C", "omzet": 300},
    }


def test_a_formula_with_its_saved_result_gives_the_result() -> None:
    data = workbook(["nama", "omzet"], ["Toko B", "=1+1"], ["Toko C", '=IF(1,"","x")'])
    data = with_member(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>").replace(
            b'<c r="B3">', b'<c r="B3" t="str">'
        ),
    )
    found = rows(list(read_xlsx(io.BytesIO(data))))
    assert found == {2: {"nama": "Toko B", "omzet": 2}, 3: {"nama": "Toko C", "omzet": None}}


def test_a_truncated_sheet_gives_a_typed_error() -> None:
    data = workbook(["nama", "omzet"], *[[f"Toko {i}", i] for i in range(200)])
    cut = with_member(data, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])
    with pytest.raises(ValidationError) as caught:
        list(read_xlsx(io.BytesIO(cut)))
    assert caught.value.code == "import.damaged_xlsx"


def test_an_xlsx_header_row_of_data_is_refused() -> None:
    data = workbook(["Dodol Siti", NIK, 6281234567890], ["Bakso", "x", 1])
    with pytest.raises(ValidationError) as caught:
        list(read_xlsx(io.BytesIO(data)))
    assert caught.value.code == "import.header_missing"
    assert NIK not in str(caught.value)


def handmade_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of raw-deflated members ``(name, deflated, crc, size)``."""
    out = io.BytesIO()
    central = b""
    for name, deflated, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 33, crc,
                              len(deflated), size, len(encoded), 0))  # fmt: skip
        out.write(encoded + deflated)
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 33, crc,
                               len(deflated), size, len(encoded), 0, 0, 0, 0, 0,
                               offset)  # fmt: skip
        central += encoded
    start = out.tell()
    out.write(central)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
                          len(central), start, 0))  # fmt: skip
    return out.getvalue()


def deflated(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def bomb_workbook(spaces_mb: int) -> bytes:
    """A real workbook whose sheet is ``spaces_mb`` MB of blanks inside <sheetData>."""
    members = []
    source = zipfile.ZipFile(io.BytesIO(workbook(["nama"], ["Toko A"])))
    for info in source.infolist():
        if info.filename != "xl/worksheets/sheet1.xml":
            members.append((info.filename, *deflated(source.read(info))))
    head = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    tail = b"</sheetData></worksheet>"
    block = b" " * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH) == again
    body = first + again * (spaces_mb - 1) + packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(spaces_mb):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + spaces_mb * len(block) + len(tail)
    members.append(("xl/worksheets/sheet1.xml", body, crc, size))
    return handmade_zip(members)


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_before_unpacking() -> None:
    bomb = bomb_workbook(2100)  # about 2.1 GB of sheet XML
    assert len(bomb) < 3 << 20
    with pytest.raises(ValidationError) as caught:
        list(read_xlsx(io.BytesIO(bomb)))
    assert caught.value.code == "import.xlsx_too_large"


def test_a_workbook_compressed_like_a_zip_bomb_is_refused() -> None:
    bomb = bomb_workbook(40)  # 40 MB of blanks in a few dozen kilobytes
    with pytest.raises(ValidationError) as caught:
        list(read_xlsx(io.BytesIO(bomb)))
    assert caught.value.code == "import.xlsx_too_large"


def test_an_ordinary_workbook_passes_the_size_checks() -> None:
    data = workbook(["nama", "omzet"], *[[f"Toko {i}", i] for i in range(2000)])
    assert len(list(read_xlsx(io.BytesIO(data)))) == 2000
