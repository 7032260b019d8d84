from __future__ import annotations

import datetime as dt
import enum
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import attrs
import cattrs
import pytest

from umkm_core import (
    KBLI,
    NIB,
    NIK,
    Address,
    Business,
    Coaching,
    Column,
    CriteriaSet,
    FinancialRecord,
    HeldCertificate,
    InvalidDocument,
    Owner,
    Product,
    Program,
    RegionCode,
    Route,
    Rule,
    SerializationError,
    Sex,
    Table,
    Text,
    ValidationError,
    load_registry,
)
from umkm_core.adapters import serialization as ser
from umkm_core.adapters.program_file import load_program
from umkm_core.adapters.serialization import (
    SCHEMA_VERSION,
    dump_jsonl,
    from_dict,
    from_json,
    load_jsonl,
    make_converter,
    make_serializer,
    make_type_registry,
    to_dict,
    to_json,
)
from umkm_core.adapters.serialization._errors import collect
from umkm_core.followup import HALAL
from umkm_core.rules import ReservedShare, women_owned

NIK_TEXT = "3671054508900001"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: A serializer of umkm_core's own types, to look at its two engines.
DEFAULT = make_serializer()


def _business(**changes: Any) -> Business:
    values: dict[str, Any] = {
        "id": "3671-0000001",
        "name": "Dodol Bu Siti",
        "owner": Owner(name="Siti Rahayu", nik=NIK(NIK_TEXT), sex=Sex.FEMALE, phone=None),
        "address": Address(region=RegionCode("367105"), street="Jl. Merdeka No. 1"),
        "sector": "kuliner",
        "nib": NIB("0220104321234"),
        "kbli": (KBLI("10796"),),
        "products": (Product(name="Dodol Betawi", kbli=KBLI("10796"), flagship=True),),
        "financials": (
            FinancialRecord(year=2016, annual_sales=120_000_000, net_assets=30_000_000),
            FinancialRecord(year=2017, annual_sales=150_000_000),
        ),
        "coached_by": (Coaching(office_id="dinkopukm-3671", since=dt.date(2015, 3, 1)),),
        "certificates": (
            HeldCertificate(
                kind="pirt",
                number="205367102392216",
                issued_on=dt.date(2016, 6, 18),
                expires_on=dt.date(2021, 6, 17),
            ),
        ),
    }
    values.update(changes)
    return Business(**values)


def _codes(err: InvalidDocument) -> list[tuple[str | None, str]]:
    return [(e.field, e.code) for e in err.errors]


def test_business_round_trips_exactly_through_json() -> None:
    business = _business()
    again = from_json(to_json(business), Business)
    assert attrs.astuple(again) == attrs.astuple(business)
    assert to_dict(again) == to_dict(business)


def test_business_round_trips_exactly_through_dicts() -> None:
    business = _business()
    assert attrs.astuple(from_dict(to_dict(business), Business)) == attrs.astuple(business)


def test_json_document_carries_the_schema_version_first() -> None:
    document = json.loads(to_json(_business()))
    assert next(iter(document)) == "schema"
    assert document["schema"] == SCHEMA_VERSION


def test_identifiers_travel_as_compact_digits_and_kbli_with_its_edition() -> None:
    data = to_dict(_business())
    assert data["owner"]["nik"] == NIK_TEXT
    assert data["address"]["region"] == "367105"
    assert data["nib"] == "0220104321234"
    assert data["kbli"] == [{"code": "10796", "edition": 2020}]


def test_dates_travel_as_iso_text_and_enums_by_value() -> None:
    data = to_dict(_business())
    assert data["coached_by"][0]["since"] == "2015-03-01"
    assert data["owner"]["sex"] == "female"


def test_to_dict_gives_only_json_builtins() -> None:
    data = to_dict(_business())
    assert json.loads(json.dumps(data)) == data


def test_document_without_schema_is_refused() -> None:
    document = json.loads(to_json(_business()))
    del document["schema"]
    with pytest.raises(InvalidDocument) as info:
        from_json(json.dumps(document), Business)
    assert _codes(info.value) == [("$.schema", "document.missing_schema")]


def test_document_of_a_future_schema_is_refused() -> None:
    document = json.loads(to_json(_business()))
    document["schema"] = SCHEMA_VERSION + 1
    with pytest.raises(InvalidDocument) as info:
        from_json(json.dumps(document), Business)
    assert _codes(info.value) == [("$.schema", "document.unsupported_schema")]


def test_broken_json_is_refused_with_its_own_code() -> None:
    with pytest.raises(InvalidDocument) as info:
        from_json(b'{"schema": 1, "id": ', Business)
    assert _codes(info.value) == [("$", "document.bad_json")]


def test_unknown_keys_are_refused_at_every_level() -> None:
    data = to_dict(_business())
    data["colour"] = "red"
    data["owner"]["nickname"] = "Bu Siti"
    data["financials"][1]["profit"] = 1
    with pytest.raises(InvalidDocument) as info:
        from_dict(data, Business)
    assert sorted(_codes(info.value)) == [
        ("$.colour", "document.unknown_key"),
        ("$.financials[1].profit", "document.unknown_key"),
        ("$.owner.nickname", "document.unknown_key"),
    ]


def test_refused_document_lists_every_problem_with_path_code_and_message() -> None:
    data = to_dict(_business())
    data["name"] = "  "
    data["owner"]["nik"] = "3.67105E+15"
    data["financials"][1]["year"] = 1800
    data["financials"][0]["annual_sales"] = -5
    data["coached_by"][0]["since"] = "19-12-2017"
    with pytest.raises(InvalidDocument) as info:
        from_dict(data, Business)
    assert sorted(_codes(info.value)) == [
        ("$.coached_by[0].since", "document.bad_date"),
        ("$.financials[0].annual_sales", "financialrecord.annual_sales_negative"),
        ("$.financials[1].year", "financialrecord.bad_year"),
        ("$.name", "business.name_blank"),
        ("$.owner.nik", "nik.bad_characters"),
    ]
    year = next(e for e in info.value.errors if e.field == "$.financials[1].year")
    assert "1945" in year.message("en")
    assert "1945" in year.message("id")


def test_every_failing_validator_of_one_record_is_reported() -> None:
    # attrs stops at the first failing validator; the document report does not.
    data = to_dict(_business())
    data["id"] = ""
    data["name"] = ""
    data["sector"] = " "
    with pytest.raises(InvalidDocument) as info:
        from_dict(data, Business)
    assert _codes(info.value) == [
        ("$.id", "business.id_blank"),
        ("$.name", "business.name_blank"),
        ("$.sector", "business.sector_blank"),
    ]


def test_cross_field_rule_is_reported_at_its_field() -> None:
    data = to_dict(_business())
    data["owner"]["sex"] = "male"
    data["financials"][1]["year"] = 2016
    with pytest.raises(InvalidDocument) as info:
        from_dict(data, Business)
    assert sorted(_codes(info.value)) == [
        ("$.financials[1].year", "business.duplicate_financial_year"),
        ("$.owner.sex", "owner.sex_mismatch"),
    ]


def test_json_types_are_not_coerced() -> None:
    data = to_dict(_business())
    data["financials"][0]["year"] = "2016"
    data["products"][0]["flagship"] = 1
    data["financials"][1]["annual_sales"] = True
    with pytest.raises(InvalidDocument) as info:
        from_dict(data, Business)
    assert sorted(_codes(info.value)) == [
        ("$.financials[0].year", "document.bad_type"),
        ("$.financials[1].annual_sales", "document.bad_type"),
        ("$.products[0].flagship", "document.bad_type"),
    ]


def test_missing_required_key_and_bad_enum_are_reported() -> None:
    data = to_dict(_business())
    del data["address"]["region"]
    data["owner"]["sex"] = "perempuan"
    data["kbli"][0]["edition"] = 2019
    with pytest.raises(InvalidDocument) as info:
        from_dict(data, Business)
    assert sorted(_codes(info.value)) == [
        ("$.address.region", "document.missing_key"),
        ("$.kbli[0].edition", "document.bad_enum"),
        ("$.owner.sex", "document.bad_enum"),
    ]


def test_a_string_is_not_taken_for_an_array() -> None:
    data = to_dict(_business())
    data["kbli"] = "10796"
    with pytest.raises(InvalidDocument) as info:
        from_dict(data, Business)
    assert _codes(info.value) == [("$.kbli", "document.bad_type")]


def test_error_report_never_contains_the_nik() -> None:
    data = to_dict(_business())
    data["owner"]["sex"] = "male"
    data["owner"]["nik"] = NIK_TEXT[:-1] + "x"
    with pytest.raises(InvalidDocument) as info:
        from_dict(data, Business)
    assert NIK_TEXT[:-1] not in str(info.value)
    assert NIK_TEXT[:-1] not in repr(info.value.errors)


def test_converter_is_private_and_new_each_time() -> None:
    first, second = make_converter(), make_converter()
    assert first is not second
    assert first is not cattrs.global_converter
    assert first.unstructure(RegionCode("3671")) == "3671"


def test_converter_alone_reports_validator_errors_as_our_errors() -> None:
    conv = make_converter()
    with pytest.raises(Exception) as info:  # noqa: PT011 - a cattrs exception group
        conv.structure({"year": 1800}, FinancialRecord)
    errors = collect(info.value, "$")
    assert [(e.field, e.code) for e in errors] == [("$.year", "financialrecord.bad_year")]


def test_register_streams_through_json_lines(tmp_path: Any) -> None:
    businesses = [_business(id=f"B{i}") for i in range(5)]
    path = tmp_path / "register.jsonl"
    with path.open("wb") as fp:
        assert dump_jsonl(iter(businesses), fp) == 5
    lines = path.read_bytes().splitlines()
    assert len(lines) == 5
    assert all(json.loads(line)["schema"] == SCHEMA_VERSION for line in lines)
    with path.open("rb") as fp:
        again = list(load_jsonl(fp, Business))
    assert [to_dict(b) for b in again] == [to_dict(b) for b in businesses]


def test_json_lines_work_on_text_files_and_skip_blank_lines() -> None:
    fp = io.StringIO()
    dump_jsonl([_business()], fp)
    text = "\n" + fp.getvalue() + "\n\n"
    again = list(load_jsonl(io.StringIO(text), Business))
    assert to_dict(again[0]) == to_dict(_business())


def test_bad_json_line_is_reported_with_its_line_number() -> None:
    good = to_json(_business())
    bad = good.replace(b'"sector":"kuliner"', b'"sector":""')
    with pytest.raises(InvalidDocument) as info:
        list(load_jsonl([good + b"\n", bad + b"\n"], Business))
    assert info.value.field == "line 2"
    assert _codes(info.value) == [("$.sector", "business.sector_blank")]


def test_load_jsonl_reads_lazily() -> None:
    consumed: list[int] = []

    def lines() -> Iterator[bytes]:
        for i in range(1_000_000):
            consumed.append(i)
            yield to_json(_business(id=f"B{i}"))

    reader = load_jsonl(lines(), Business)
    assert next(reader).id == "B0"
    assert next(reader).id == "B1"
    assert len(consumed) == 2


def test_kbli_codes_read_from_documents_share_one_instance() -> None:
    a = from_dict(to_dict(_business(id="A")), Business)
    b = from_dict(to_dict(_business(id="B")), Business)
    assert a.kbli[0] is b.kbli[0]
    assert a.address.region is b.address.region


# ---- extension points ----------------------------------------------------------------


class Channel(enum.Enum):
    ONLINE = "online"
    MARKET = "market"


@attrs.frozen(kw_only=True)
class Bazaar:
    __umkm_kind__: ClassVar[str] = "test-bazaar"
    place: str
    day: dt.date


@attrs.frozen(kw_only=True)
class Webinar:
    url: str
    channel: Channel = Channel.ONLINE


@attrs.frozen(kw_only=True)
class Agenda:
    title: str
    events: tuple[Bazaar | Webinar, ...] = ()
    next_event: Bazaar | Webinar | None = None


# The extension's own types: a serializer of its own, built from umkm_core's types.
TYPES = make_type_registry().with_kind(Webinar, "test-webinar")
EXT = make_serializer(types=TYPES)


def test_union_members_carry_their_kind_not_their_class_name() -> None:
    agenda = Agenda(
        title="2018",
        events=(Bazaar(place="Cisadane", day=dt.date(2018, 3, 1)), Webinar(url="https://x.id")),
        next_event=Webinar(url="https://y.id", channel=Channel.MARKET),
    )
    data = EXT.to_dict(agenda)
    assert [e["kind"] for e in data["events"]] == ["test-bazaar", "test-webinar"]
    assert data["next_event"] == {
        "kind": "test-webinar",
        "url": "https://y.id",
        "channel": "market",
    }
    assert EXT.from_json(EXT.to_json(agenda), Agenda) == agenda
    assert EXT.from_dict(data, Agenda) == agenda
    assert EXT.converter.unstructure(agenda) == data


def test_union_member_with_unknown_or_missing_kind_is_refused() -> None:
    data = {
        "title": "2018",
        "events": [{"kind": "concert", "url": "x"}, {"url": "x"}],
        "next_event": None,
    }
    with pytest.raises(InvalidDocument) as info:
        EXT.from_dict(data, Agenda)
    assert _codes(info.value) == [
        ("$.events[0].kind", "document.unknown_kind"),
        ("$.events[1].kind", "document.missing_kind"),
    ]


def test_kind_must_be_unique_and_may_not_clash_with_a_field() -> None:
    with pytest.raises(TypeError, match="already used"):
        TYPES.with_kind(Agenda, "test-webinar")
    with pytest.raises(TypeError, match="field named 'kind'"):
        TYPES.with_kind(HeldCertificate, "held")


@attrs.frozen
class Postcode:
    digits: str

    def __attrs_post_init__(self) -> None:
        if len(self.digits) != 5 or not self.digits.isdigit():
            raise ValidationError(
                "postcode.bad", field="postcode", value=self.digits, id="Kode pos.", en="Postcode."
            )


@attrs.frozen(kw_only=True)
class Shop:
    name: str
    postcode: Postcode
    opened: dt.datetime | None = None


def test_registered_scalar_travels_as_text_and_keeps_its_errors() -> None:
    types = make_type_registry().with_scalar(Postcode, load=Postcode, dump=lambda p: p.digits)
    shops = make_serializer(types=types)
    shop = Shop(
        name="Toko", postcode=Postcode("15141"), opened=dt.datetime(2018, 1, 2, 9, tzinfo=dt.UTC)
    )
    assert shops.to_dict(shop) == {
        "name": "Toko",
        "postcode": "15141",
        "opened": "2018-01-02T09:00:00Z",
    }
    assert shops.from_json(shops.to_json(shop), Shop) == shop
    with pytest.raises(InvalidDocument) as info:
        shops.from_dict({"name": "Toko", "postcode": "151"}, Shop)
    assert _codes(info.value) == [("$.postcode", "postcode.bad")]


@attrs.frozen(kw_only=True)
class Quota:
    seats: dict[RegionCode, int] = attrs.field(factory=dict)
    sectors: frozenset[str] = frozenset()
    owners: frozenset[Sex] = frozenset()


@attrs.frozen(kw_only=True)
class Nested:
    quotas: tuple[Quota, ...]
    by_name: dict[str, Quota]
    since: dt.date


def _nested() -> Nested:
    quota = Quota(
        seats={RegionCode("367105"): 40, RegionCode("367101"): 40},
        sectors=frozenset({"kuliner", "fesyen"}),
        owners=frozenset({Sex.FEMALE}),
    )
    return Nested(quotas=(quota, Quota()), by_name={"wave-1": quota}, since=dt.date(2017, 12, 19))


def test_mappings_and_sets_round_trip_through_both_engines() -> None:
    nested = _nested()
    data = to_dict(nested)
    assert data["quotas"][0] == {
        "seats": {"367105": 40, "367101": 40},
        "sectors": ["fesyen", "kuliner"],
        "owners": ["female"],
    }
    assert DEFAULT.converter.unstructure(nested) == data
    assert DEFAULT.fast.convert_plan(Nested)  # the fast path handles them
    assert from_dict(data, Nested) == nested
    assert DEFAULT.structure_slowly(data, Nested) == nested
    assert from_json(to_json(nested), Nested) == nested


def test_sets_are_written_in_a_stable_order() -> None:
    one = Quota(sectors=frozenset({"kriya", "kuliner", "fesyen", "jasa"}))
    assert to_dict(one)["sectors"] == ["fesyen", "jasa", "kriya", "kuliner"]
    assert json.loads(to_json(one))["sectors"] == ["fesyen", "jasa", "kriya", "kuliner"]


def test_bad_mapping_entries_are_reported_by_key() -> None:
    data = to_dict(_nested())
    data["by_name"]["wave-1"]["seats"]["3671"] = "forty"
    data["by_name"]["wave-1"]["seats"]["36.71.05"] = 1
    data["quotas"][1]["sectors"] = "kuliner"
    with pytest.raises(InvalidDocument) as info:
        from_dict(data, Nested)
    assert sorted(_codes(info.value)) == [
        ("$.by_name['wave-1'].seats['36.71.05']", "region.bad_characters"),
        ("$.by_name['wave-1'].seats['3671']", "document.bad_type"),
        ("$.quotas[1].sectors", "document.bad_type"),
    ]


def test_register_interned_refuses_mutable_classes() -> None:
    @attrs.define
    class Mutable:
        x: int

    with pytest.raises(TypeError):
        make_type_registry().with_interned(Mutable)


def test_a_tuple_of_businesses_reads_with_indexed_paths() -> None:
    data = [to_dict(_business(id="A")), to_dict(_business(id="B"))]
    assert [b.id for b in from_dict(data, tuple[Business, ...])] == ["A", "B"]
    data[1]["owner"]["nik"] = "x"
    with pytest.raises(InvalidDocument) as info:
        from_dict(data, tuple[Business, ...])
    assert _codes(info.value) == [("$[1].owner.nik", "nik.bad_characters")]


def test_a_list_is_not_a_json_object_document() -> None:
    with pytest.raises(TypeError):
        to_json([_business()])


def test_certificate_document_keeps_its_own_kind_field() -> None:
    certificate = HeldCertificate(kind="halal", number="ID3671", issued_on=dt.date(2018, 5, 2))
    assert DEFAULT.fast.doc_decoder(HeldCertificate)  # the fast path reads it
    assert from_json(to_json(certificate), HeldCertificate) == certificate


@attrs.frozen(kw_only=True)
class Survey:
    schema: str
    answers: tuple[int, ...] = ()


def test_record_with_a_schema_field_cannot_be_a_document_but_can_be_a_dict() -> None:
    survey = Survey(schema="2018-A", answers=(1, 2))
    assert from_dict(to_dict(survey), Survey) == survey
    with pytest.raises(TypeError):
        to_json(survey)


def test_msgspec_alone_would_ignore_unknown_keys_of_attrs_classes() -> None:
    # Why the fast path decodes into mirror Structs rather than into attrs classes.
    import msgspec

    record = msgspec.convert({"year": 2017, "profit": 1}, FinancialRecord)
    assert record == FinancialRecord(year=2017)
    with pytest.raises(InvalidDocument):
        from_dict({"year": 2017, "profit": 1}, FinancialRecord)


def test_scalar_wire_type_must_be_a_json_type() -> None:
    with pytest.raises(TypeError):
        make_type_registry().with_scalar(Postcode, load=Postcode, dump="digits", wire=bytes)


@pytest.mark.parametrize("depth", [65, 400, 1_000, 100_000])
def test_json_nested_too_deep_is_refused_with_our_error(depth: int) -> None:
    nested = b'{"schema":1,"name":' + b"[" * depth + b"]" * depth + b"}"
    with pytest.raises(InvalidDocument) as info:
        from_json(nested, Business)
    assert [e.code for e in info.value.errors] == ["document.too_deep"]


@pytest.mark.parametrize("depth", [65, 1_000, 100_000])
def test_a_dict_nested_too_deep_is_refused_with_our_error(depth: int) -> None:
    data: Any = []
    for _ in range(depth):
        data = {"x": data}
    with pytest.raises(InvalidDocument) as info:
        from_dict({"id": "B1", "name": data}, Business)
    assert [e.code for e in info.value.errors] == ["document.too_deep"]


def test_a_json_lines_file_nested_too_deep_names_the_line() -> None:
    deep = b'{"schema":1,"x":' + b"[" * 5_000 + b"]" * 5_000 + b"}\n"
    lines = [to_json(_business()) + b"\n", deep]
    with pytest.raises(InvalidDocument) as info:
        list(load_jsonl(lines, Business))
    assert info.value.field == "line 2"
    assert [e.code for e in info.value.errors] == ["document.too_deep"]


def test_documents_as_deep_as_the_limit_still_read() -> None:
    nested: Any = "kuliner"
    for _ in range(ser.MAX_DEPTH - 1):
        nested = [nested]
    assert ser._document.depth_within({"a": nested})
    assert not ser._document.depth_within({"a": [nested]})


def test_values_that_are_not_records_are_refused_as_documents_with_our_error() -> None:
    with pytest.raises(SerializationError) as info:
        to_json(NIK(NIK_TEXT))
    assert info.value.code == "document.unsupported_type"
    assert "NIK" in info.value.message("en")


REGISTRY = load_registry(autoload=False)


def test_a_reserved_share_keeps_its_group_rule() -> None:
    rule = ReservedShare(percent=30, group=women_owned())
    document = to_json(rule)
    assert json.loads(document)["group"] == {"rule": "women_owned"}
    assert from_json(document, ReservedShare, registry=REGISTRY) == rule
    assert from_json(document, Rule, registry=REGISTRY) == rule  # type: ignore[type-abstract]


def test_criteria_and_routes_keep_their_conditions() -> None:
    (route, *_) = [r for r in HALAL.routes if r.criteria]
    document = to_json(route)
    conditions = json.loads(document)["criteria"][0]["conditions"]
    assert conditions
    assert all(c["kind"] for c in conditions)
    assert from_json(document, Route) == route
    (criteria, *_) = route.criteria
    assert from_json(to_json(criteria), CriteriaSet) == criteria


def test_a_programme_with_rules_is_written_and_read_back_with_the_registry() -> None:
    program = load_program(EXAMPLES / "tangerang-2017" / "program.toml")
    assert program.rules
    again = from_json(to_json(program), Program, registry=REGISTRY)
    assert to_dict(again) == to_dict(program)
    assert again.rules == program.rules


def test_a_rule_only_the_blocked_plugin_knows_is_refused_when_read() -> None:
    without = load_registry(autoload=False, blocklist=["umkm_core.rules"])
    with pytest.raises(InvalidDocument) as info:
        from_json(to_json(ReservedShare(percent=30, group=women_owned())), Rule, registry=without)  # type: ignore[type-abstract]
    assert [e.code for e in info.value.errors] == ["rule.unknown"]


def test_tables_are_refused_by_to_json_before_anything_is_written() -> None:
    table = Table(name="t", columns=(Column(name="a", title=Text("A", "A")),), rows=iter([]))
    with pytest.raises(SerializationError) as info:
        to_json(table)
    assert info.value.code == "document.unsupported_type"
    out = io.BytesIO()
    with pytest.raises(SerializationError):
        dump_jsonl([_business(), table], out)
