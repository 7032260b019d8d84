"""The built-in plugins pass the same contract suites that plugin authors use."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from typing import ClassVar

import openpyxl
from hypothesis import strategies as st

from umkm_core.testing import (
    ExporterContract,
    ImporterContract,
    PathwayContract,
    RuleContract,
    SectorContract,
    StepContract,
)

# XLSX is XML: it cannot carry most control characters, and XML parsers turn a carriage
# return into a line feed. The XLSX round trip promises the rest of Unicode.
XLSX_TEXT = st.text(
    st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff"
    )
    | st.sampled_from("\n\t")
)


class TestFoodSector(SectorContract):
    sector_code = "kuliner"


class TestFashionSector(SectorContract):
    sector_code = "fesyen"


class TestCsvExporter(ExporterContract):
    exporter_code = "csv"
    round_trip_importer = "csv"


class TestJsonExporter(ExporterContract):
    exporter_code = "json"
    round_trip_importer = "json"


class TestJsonLinesExporter(ExporterContract):
    exporter_code = "jsonl"
    round_trip_importer = "jsonl"


class TestXlsxExporter(ExporterContract):
    exporter_code = "xlsx"
    round_trip_importer = "xlsx"
    lossless_text = XLSX_TEXT
    max_examples = 40  # each example zips a workbook


class TestCsvImporter(ImporterContract):
    importer_code = "csv"

    def sample_with_bad_row(self) -> tuple[bytes, set[int], int]:
        text = "nama;omzet\nToko A;100\nToko B;200;surplus\n\nToko C;300\n"
        return text.encode("utf-8"), {3}, 2


class TestJsonImporter(ImporterContract):
    importer_code = "json"

    def sample_with_bad_row(self) -> tuple[bytes, set[int], int]:
        rows = [{"nama": "Toko A"}, ["not", "an", "object"], {"nama": "Toko C"}]
        return json.dumps(rows).encode(), {2}, 2


class TestJsonLinesImporter(ImporterContract):
    importer_code = "jsonl"

    def sample_with_bad_row(self) -> tuple[bytes, set[int], int]:
        return b'{"nama": "Toko A"}\n{"nama": \n{"nama": "Toko C"}\n', {2}, 2


class TestXlsxImporter(ImporterContract):
    importer_code = "xlsx"
    cell_text: ClassVar[st.SearchStrategy[str] | None] = XLSX_TEXT
    max_examples = 40

    def sample_with_bad_row(self) -> tuple[bytes, set[int], int]:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(["nama", "omzet"])
        sheet.append(["Toko A", 100])
        sheet.append(["Toko B", "=1/0"])
        sheet.append(["Toko C", 300])
        sheet.append(["Toko D", 400, "tanpa judul"])
        sheet["B3"].value = "#DIV/0!"
        sheet["B3"].data_type = "e"
        stream = io.BytesIO()
        workbook.save(stream)
        return stream.getvalue(), {3, 5}, 2


class TestPackagingStep(StepContract):
    step_code = "packaging"


class TestPkpStep(StepContract):
    step_code = "pkp"


class TestPirtStep(StepContract):
    step_code = "pirt"


class TestHalalStep(StepContract):
    step_code = "halal"


class TestTrademarkStep(StepContract):
    step_code = "trademark"


class TestBpomStep(StepContract):
    step_code = "bpom-md"


class TestFoodPathway(PathwayContract):
    pathway_code = "food"


class TestFashionPathway(PathwayContract):
    pathway_code = "fashion"


class TestCoachedByRule(RuleContract):
    rule_name = "coached_by"
    example: ClassVar[Mapping[str, object]] = {"office_id": "dinkopukm-3671"}


class TestSectorMatchesWaveRule(RuleContract):
    rule_name = "sector_matches_wave"


class TestDistrictQuotaRule(RuleContract):
    rule_name = "district_quota"
    example: ClassVar[Mapping[str, object]] = {"limit": 10}


class TestAnyOfRule(RuleContract):
    rule_name = "any_of"
    example: ClassVar[Mapping[str, object]] = {
        "rules": [{"rule": "has_nib"}, {"rule": "women_owned"}]
    }
