"""Saving and loading step records: kinds travel as codes, bad lines do not sink a file."""

from __future__ import annotations

import datetime as dt
import io
import json

import attrs
import pytest

from umkm_core import InvalidDocument, StepRecord, ValidationError, load_registry
from umkm_core.adapters.followup_io import (
    StepRecordsRead,
    step_records_from_jsonl,
    step_records_to_jsonl,
)
from umkm_core.adapters.serialization import from_json, to_json
from umkm_core.followup import HALAL, PIRT, PKP, StepKind
from umkm_core.text import Text

D = dt.date


def _granted_pirt() -> StepRecord:
    record = StepRecord.plan(business_id="B1", kind=PIRT, on=D(2018, 1, 8))
    record = record.start(D(2018, 1, 9)).submit(D(2018, 1, 20), evidence=["arsip/pirt/3"])
    return record.grant(D(2018, 2, 1), certificate_number="P-IRT No. 2053671010001-23")


def _halal_self_declare() -> StepRecord:
    record = StepRecord.plan(business_id="B2", kind=HALAL, on=D(2023, 5, 2))
    return record.start(D(2023, 5, 3)).submit(D(2023, 5, 20), route="self-declare")


def _lines(*records: StepRecord) -> list[bytes]:
    out = io.BytesIO()
    step_records_to_jsonl(records, out)
    return out.getvalue().splitlines(keepends=True)


def test_a_saved_record_keeps_only_the_code_of_its_step_kind() -> None:
    (line,) = _lines(_granted_pirt())
    document = json.loads(line)
    assert document["schema"] == 1
    assert document["kind"] == "pirt"
    assert document["terms"] == [
        {
            "issued_on": "2018-02-01",
            "valid_from": "2018-02-01",
            "certificate_number": "205367101000123",
        }
    ]


def test_saved_records_load_back_equal_with_the_builtin_kinds() -> None:
    records = (_granted_pirt(), _halal_self_declare())
    read = step_records_from_jsonl(_lines(*records))
    assert read == StepRecordsRead(records=records, errors=())


def test_text_files_work_as_well_as_binary_ones() -> None:
    out = io.StringIO()
    assert step_records_to_jsonl([_granted_pirt()], out) == 1
    read = step_records_from_jsonl(io.StringIO(out.getvalue()))
    assert read.records == (_granted_pirt(),)


def test_an_unknown_step_kind_is_reported_with_its_line_and_the_other_lines_are_kept() -> None:
    good, other = _lines(_granted_pirt(), _halal_self_declare())
    unknown = good.replace(b'"kind":"pirt"', b'"kind":"sni"')
    read = step_records_from_jsonl([good, unknown, b"\n", other])
    assert read.records == (_granted_pirt(), _halal_self_declare())
    (error,) = read.errors
    assert isinstance(error, InvalidDocument)
    assert error.field == "line 2"
    (problem,) = error.errors
    assert (problem.code, problem.field) == ("step.unknown", "$.kind")
    assert "sni" in problem.message("en")
    assert "tidak dikenal" in problem.message("id")


def test_broken_json_and_bad_records_are_each_reported_by_line() -> None:
    (good,) = _lines(_granted_pirt())
    out_of_order = good.replace(b'"started_on":"2018-01-09"', b'"started_on":"2017-01-09"')
    read = step_records_from_jsonl([b"{not json\n", good, out_of_order])
    assert read.records == (_granted_pirt(),)
    assert [(e.field, [p.code for p in e.errors]) for e in read.errors] == [
        ("line 1", ["document.bad_json"]),
        ("line 3", ["steprecord.started_on_before_planned_on"]),
    ]


def test_a_certificate_number_the_kind_refuses_is_reported_at_load() -> None:
    (good,) = _lines(_granted_pirt())
    wrong_year = good.replace(b"205367101000123", b"205367101000125")
    (error,) = step_records_from_jsonl([wrong_year]).errors
    assert [p.code for p in error.errors] == ["step.pirt_expiry_mismatch"]


def test_kinds_from_a_plugin_catalogue_are_found_by_code() -> None:
    batik = StepKind(
        code="sni-batik",
        name=Text(id="SNI batik", en="Batik SNI mark"),
        authority=Text(id="BSN", en="BSN"),
        validity=PKP.validity,
    )
    record = StepRecord.plan(business_id="B3", kind=batik, on=D(2024, 1, 2))
    lines = _lines(record)
    with_plugin = step_records_from_jsonl(lines, kinds={"sni-batik": batik, "pkp": PKP})
    assert with_plugin.records == (record,)
    (error,) = step_records_from_jsonl(lines).errors
    assert [p.code for p in error.errors] == ["step.unknown"]


def test_a_catalogue_must_map_each_code_to_its_own_kind() -> None:
    with pytest.raises(ValidationError) as info:
        step_records_from_jsonl([], kinds={"halal": PIRT})
    assert (info.value.code, info.value.field) == ("step.bad_catalogue", "kinds['halal']")


def test_a_custom_catalogue_applies_only_during_its_own_read() -> None:
    renamed = attrs.evolve(PIRT, name=Text(id="PIRT (lokal)", en="PIRT (local)"))
    (line,) = _lines(_granted_pirt())
    (local,) = step_records_from_jsonl([line], kinds={"pirt": renamed}).records
    assert local.kind is renamed
    assert from_json(line, StepRecord, registry=load_registry(autoload=False)).kind is PIRT


def test_a_step_record_read_without_a_registry_is_refused_not_guessed() -> None:
    (line,) = _lines(_granted_pirt())
    with pytest.raises(InvalidDocument) as info:
        from_json(line, StepRecord)
    assert [(e.field, e.code) for e in info.value.errors] == [
        ("$.kind", "document.registry_required")
    ]


def test_serialization_writes_and_reads_a_step_record_as_one_document() -> None:
    record = _halal_self_declare()
    registry = load_registry(autoload=False)
    assert from_json(to_json(record), StepRecord, registry=registry) == record


def test_only_step_records_are_saved() -> None:
    with pytest.raises(ValidationError) as info:
        step_records_to_jsonl([_granted_pirt(), "B1"], io.BytesIO())  # type: ignore[list-item]
    assert (info.value.code, info.value.field) == ("query.bad_record", "records[1]")
