"""LibreOffice Calc, headless, opening a file the way a person would and saving it as ODS.

ODS is Calc's own format: its ``content.xml`` says for every cell what Calc made of it
(``office:value-type`` string, float, date, boolean) and whether it holds a formula
(``table:formula``). Reading that is reading Calc's mind, not a re-export's.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import attrs

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


#: The CSV import options of Calc's Text Import dialog, as a filter string: field
#: separator, text delimiter ("), UTF-8 (76), first line 1, no column types, the
#: language, quoted fields not forced to text, special numbers (dates) detected.
def csv_filter(separator: str, language: int) -> str:
    """The ``--infilter`` string for a CSV with ``separator`` in ``language`` (an LCID)."""
    return f"CSV:{ord(separator)},34,76,1,,{language},false,true"


INDONESIAN = 1057  # id-ID
ENGLISH = 1033  # en-US


@attrs.frozen
class CalcCell:
    """What Calc made of one cell."""

    type: str | None  # "string", "float", "date", "boolean", ... or None when empty
    value: object
    formula: str | None


def soffice_path() -> str:
    """Debian's LibreOffice (installed by ``make system-deps``)."""
    found = shutil.which("soffice")
    assert found is not None, "LibreOffice is missing: run `make system-deps`"
    return found


def open_in_calc(path: Path, *, infilter: str | None = None) -> list[list[CalcCell]]:
    """Open ``path`` in headless Calc, save it as ODS, and return the first sheet's cells."""
    with tempfile.TemporaryDirectory(prefix="umkm-calc-") as work:
        profile = Path(work) / "profile"
        out = Path(work) / "out"
        command = [
            soffice_path(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "ods",
            "--outdir",
            str(out),
        ]
        if infilter is not None:
            command.append(f"--infilter={infilter}")
        command.append(str(path))
        subprocess.run(command, check=True, capture_output=True, timeout=180)
        converted = out / (path.stem + ".ods")
        with zipfile.ZipFile(converted) as ods:
            content = ET.fromstring(ods.read("content.xml"))
    sheet = content.find(".//table:table", _NS)
    assert sheet is not None
    rows: list[list[CalcCell]] = []
    for row in sheet.iter(_q("table", "table-row")):
        cells: list[CalcCell] = []
        for cell in row:
            if cell.tag not in (_q("table", "table-cell"), _q("table", "covered-table-cell")):
                continue
            repeat = int(cell.get(_q("table", "number-columns-repeated"), "1"))
            cells.extend([_cell(cell)] * min(repeat, 64))
        while cells and cells[-1].type is None and cells[-1].formula is None:
            cells.pop()
        if cells:
            rows.append(cells)
    return rows


def _cell(element: ET.Element) -> CalcCell:
    kind = element.get(_q("office", "value-type"))
    formula = element.get(_q("table", "formula"))
    value: object = None
    if kind == "float":
        value = float(element.get(_q("office", "value"), "nan"))
    elif kind == "date":
        value = dt.date.fromisoformat(element.get(_q("office", "date-value"), "")[:10])
    elif kind == "boolean":
        value = element.get(_q("office", "boolean-value")) == "true"
    elif kind == "string":
        paragraphs = element.findall("text:p", _NS)
        value = "\n".join(_text(p) for p in paragraphs)
    return CalcCell(type=kind, value=value, formula=formula)


def _text(element: ET.Element) -> str:
    # Runs of spaces and tabs are elements in ODS (<text:s text:c="3"/>, <text:tab/>).
    parts = [element.text or ""]
    for child in element:
        if child.tag == _q("text", "s"):
            parts.append(" " * int(child.get(_q("text", "c"), "1")))
        elif child.tag == _q("text", "tab"):
            parts.append("\t")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
