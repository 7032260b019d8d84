"""Junk in, our error out: no public reader or parser raises outside the UmkmError tree.

Each property runs 10,000 examples under the ``ci`` profile (``make test``) and a few
hundred otherwise. The inputs are what offices and hostile users send: any text, any
bytes, numbers of thousands of digits, dates at the ends of the calendar, cells of every
type a reader hands over, rows under known and unknown headers.

Rows, documents and programme texts are built from one drawn seed: each Hypothesis draw
costs about a third of a millisecond and a row of junk takes dozens, which would make
10,000 examples a matter of minutes. A failure replays from its seed, printed as the
falsifying example; it is not shrunk.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
from collections.abc import Callable, Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from umkm_core import (
    KBLI,
    NIB,
    NIK,
    NPWP,
    Business,
    KbliCodeList,
    PIRTNumber,
    RegionCode,
    normalise_phone,
)
from umkm_core.adapters.application_rows import read_applications
from umkm_core.adapters.followup_plan import followup_plan_from_toml
from umkm_core.adapters.kbli_codes import kbli_code_list_from_bytes
from umkm_core.adapters.program_file import program_from_toml
from umkm_core.adapters.roster import ROSTER_HEADERS, import_roster, parse_rupiah
from umkm_core.adapters.serialization import from_json
from umkm_core.adapters.step_rows import read_step_records
from umkm_core.errors import UmkmError
from umkm_core.plugins.importers import read_csv, read_json, read_jsonl, read_xlsx

EXAMPLES = 10_000 if os.environ.get("HYPOTHESIS_PROFILE") == "ci" else 300
junk = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
seeds = st.randoms(use_true_random=True)


def survives(call: Callable[[], Any]) -> None:
    """Run ``call`` (consuming an iterator it returns); only our errors may escape."""
    try:
        result = call()
        if isinstance(result, Iterator):
            for _ in result:
                pass
    except UmkmError:
        pass


calendar_edges = st.sampled_from(
    [dt.date.min, dt.date.max, dt.datetime.min, dt.datetime.max, dt.date(1900, 2, 28)]
)
# Digit runs past Python's 4,300-digit int-string limit must meet umkm_core's own limits.
many_digits = st.integers(4_000, 6_000).map(lambda n: "9" * n)
cells = (
    st.none()
    | st.booleans()
    | st.text(max_size=16)
    | st.from_regex(r"[Rp0-9.,\s+\-eE']{0,16}")
    | many_digits
    | st.integers(-(10**60), 10**60)
    | st.integers(4_000, 6_000).map(lambda n: 10**n - 1)
    | st.floats()
    | st.dates()
    | st.datetimes()
    | calendar_edges
)


@junk
@given(cells, st.sampled_from([NIK, NIB, NPWP, RegionCode, PIRTNumber, KBLI]))
def test_identifier_parsers_refuse_junk_with_our_errors(cell: object, kind: Any) -> None:
    survives(lambda: kind.parse(cell))


@junk
@given(cells)
def test_rupiah_and_phone_parsers_refuse_junk_with_our_errors(cell: object) -> None:
    survives(lambda: parse_rupiah(cell))
    survives(lambda: normalise_phone(cell))


_WORDS = ("", " ", "0", "-1", "1,2", "Rp1.500.000", "1.500.000,00", "9" * 5_000, "2017",
          "31/12/2017", "9999-12-31", "0001-01-01", "makanan", "Cipondoh", "36.71.05",
          "3671054508900001", "+6281234567890", "L", "P", "granted", "halal", "pirt",
          "\x00", "\ufeff", "é", "=1+1", "nan", "inf", "1e400", "true")  # fmt: skip
_ALPHABETS = ("0123456789.,-+ eE", "abcRpé /:", "\x00\n\r\t'\"", "ꦧ🙂ع")


def rng_text(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(_WORDS)
    alphabet = rng.choice(_ALPHABETS)
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))


def rng_cell(rng: random.Random, *, long_digits: bool) -> object:
    kind = rng.randrange(9)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        huge = (10**5000,) if long_digits else ()
        return rng.choice((0, -1, 2017, 10**15, -(2**63), 2**64, *huge))
    if kind == 3:
        return rng.choice((0.0, -0.5, 1e300, float("nan"), float("inf"), 3.671e15, 2017.0))
    if kind == 4:
        return rng.choice((dt.date.min, dt.date.max, dt.date(2017, 12, 19)))
    if kind == 5:
        return rng.choice((dt.datetime.min, dt.datetime.max, dt.datetime(2017, 12, 19, 9)))
    text = rng_text(rng)
    return text if long_digits else text[:64]


def rng_rows(
    rng: random.Random, headers: tuple[str, ...], *, long_digits: bool = True
) -> list[tuple[int, dict[str, object]]]:
    rows = []
    for number in range(2, 2 + rng.randrange(4)):
        row: dict[str, object] = {}
        for _ in range(rng.randrange(len(headers) + 1)):
            header = rng.choice(headers) if rng.random() < 0.8 else rng_text(rng)
            row[header] = rng_cell(rng, long_digits=long_digits)
        rows.append((number, row))
    return rows


APPLICATION_HEADERS = ("no_registrasi", "waktu_daftar", "gelombang", "prioritas")
STEP_HEADERS = ("no_registrasi", "langkah", "status", "tanggal", "diajukan", "jalur")


@junk
@given(seeds)
def test_roster_import_from_junk_rows_gives_reports_or_our_errors(rng: random.Random) -> None:
    rows = rng_rows(rng, ROSTER_HEADERS)
    survives(lambda: import_roster(rows, office_id="dinkopukm-3671"))


@junk
@given(seeds)
def test_application_rows_from_junk_give_reports_or_our_errors(rng: random.Random) -> None:
    rows = rng_rows(rng, APPLICATION_HEADERS)
    survives(lambda: read_applications(rows, program_id="tng-2017-pud"))


@junk
@given(seeds)
def test_step_rows_from_junk_give_reports_or_our_errors(rng: random.Random) -> None:
    rows = rng_rows(rng, STEP_HEADERS)
    survives(lambda: read_step_records(rows))


PROGRAMME_LINES = (
    'id = "tng-2017"', 'name = "Pelatihan"', 'kind = "training"', "schema = 1",
    "schema = true", "[office]", 'id = "dinkopukm-3671"', "[[waves]]", "number = 1",
    "seats = 80", "seats = 0", 'sector = "kuliner"', "starts = 2017-12-19",
    "ends = 9999-12-31", "starts = 0001-01-01", "[[waves.sessions]]",
    "start = 2017-12-19T09:00:00+07:00", "end = 2017-12-19T15:00:00", "[[rules]]",
    'rule = "coached_by"', 'rule = "not_attended_within"', "years = 3000",
    "[allocation]", 'policy = "lottery"', "seed = 340282366920938463463374607431768211456",
    "[[steps]]", 'kind = "halal"', 'pathway = "food"', "after = 99999",
    "x = [[[[[[[[[[[[1]]]]]]]]]]]]",
)  # fmt: skip


def rng_toml(rng: random.Random) -> str:
    lines = [
        rng.choice(PROGRAMME_LINES) if rng.random() < 0.85 else rng_text(rng)
        for _ in range(rng.randrange(20))
    ]
    return "\n".join(lines)


@junk
@given(seeds)
def test_programme_files_of_junk_give_our_errors(rng: random.Random) -> None:
    text = rng_toml(rng)
    survives(lambda: program_from_toml(text))


@junk
@given(seeds)
def test_followup_plans_of_junk_give_our_errors(rng: random.Random) -> None:
    text = rng_toml(rng)
    survives(lambda: followup_plan_from_toml(text))


def rng_json(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(7 if depth < 3 else 5)
    if kind == 6:
        return {rng_text(rng): rng_json(rng, depth + 1) for _ in range(rng.randrange(4))}
    if kind == 5:
        return [rng_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 4:
        return rng_text(rng)
    if kind == 3:
        return rng.choice((0.5, -1e308, 1e-300))
    return rng.choice((None, True, 0, -1, 2**70, 10**400, "9" * 5000))


def rng_business_document(rng: random.Random) -> str:
    document: dict[str, object] = {"schema": rng.choice((1, 2, True, "1"))}
    for key in ("id", "name", "owner", "address", "sector", "financials", "kbli", "nib"):
        if rng.random() < 0.6:
            document[key] = rng_json(rng)
    if rng.random() < 0.3:
        document[rng_text(rng)] = rng_json(rng)
    return json.dumps(document)


@junk
@given(st.binary(max_size=200), seeds)
def test_from_json_of_junk_gives_our_errors(data: bytes, rng: random.Random) -> None:
    survives(lambda: from_json(data, Business))
    document = rng_business_document(rng)
    survives(lambda: from_json(document, Business))


@junk
@given(st.binary(max_size=400))
def test_csv_reader_of_random_bytes_gives_rows_or_our_errors(data: bytes) -> None:
    survives(lambda: read_csv(io.BytesIO(data)))


@junk
@given(st.binary(max_size=400))
def test_xlsx_reader_of_random_bytes_gives_rows_or_our_errors(data: bytes) -> None:
    survives(lambda: read_xlsx(io.BytesIO(data)))


@junk
@given(st.binary(max_size=400), seeds)
def test_json_readers_of_random_bytes_give_rows_or_our_errors(
    data: bytes, rng: random.Random
) -> None:
    document = json.dumps([rng_json(rng) for _ in range(rng.randrange(4))]).encode()
    for sample in (data, document, document.replace(b", ", b"\n")):
        survives(lambda: read_json(io.BytesIO(sample)))  # noqa: B023
        survives(lambda: read_jsonl(io.BytesIO(sample)))  # noqa: B023


KBLI_LIST_LINES = (
    "# edition: 2020", "# edition: 2025", "# edition: 9999", "# edisi: 2020",
    "# source: Peraturan BPS Nomor 2 Tahun 2020", "# sumber:", "# date: 2020-06-26",
    "# tanggal: 9999-12-31", "# date: 0001-01-01", "# date: 2020-02-30", "#", "",
    "kode,judul", "kode;judul", "code\ttitle", "Kode KBLI", "judul,kode", "A,PERTANIAN",
    "01,PERTANIAN TANAMAN", "011", "0111", "01111,JAGUNG", "1111,JAGUNG", "10796;DODOL",
    "10796,DODOL", "04123,x", "99999", '"10796', '10796,"Kaf"e"', "1.07E+04", "10796.0",
    ",", ";;;", "\ufeffkode", "\x00", "9" * 5000,
)  # fmt: skip


def rng_kbli_list(rng: random.Random) -> bytes:
    lines = [
        rng.choice(KBLI_LIST_LINES) if rng.random() < 0.85 else rng_text(rng)
        for _ in range(rng.randrange(16))
    ]
    text = rng.choice(("\n", "\r\n", "\r")).join(lines)
    data = text.encode("utf-8")
    if rng.random() < 0.1:
        data += b"\xe9\xff"  # a line that is not UTF-8
    return data


@junk
@given(st.binary(max_size=400), seeds)
def test_kbli_code_list_files_of_junk_give_lists_or_our_errors(
    data: bytes, rng: random.Random
) -> None:
    survives(lambda: kbli_code_list_from_bytes(data))
    document = rng_kbli_list(rng)
    given_values: dict[str, Any] = {}
    if rng.random() < 0.5:
        given_values = {
            "edition": rng.choice((2020, 2025, 2019, True, "2020", None)),
            "source": rng.choice(("BPS", "", " ", "x" * 400, None, 7)),
            "published": rng.choice((dt.date(2020, 6, 26), dt.datetime.max, dt.date.max, None)),
        }
    survives(lambda: kbli_code_list_from_bytes(document, **given_values))


JUNK_KBLI_LIST = KbliCodeList(
    edition=2020, codes={"10796", "01111"}, source="BPS", published=dt.date(2020, 6, 26)
)


@junk
@given(cells, st.sampled_from([2020, 2025, 2019, True, None]), st.booleans())
def test_kbli_parse_with_a_code_list_refuses_junk_with_our_errors(
    cell: object, edition: Any, with_list: bool
) -> None:
    survives(lambda: KBLI.parse(cell, edition, codes=JUNK_KBLI_LIST if with_list else None))


@junk
@given(seeds)
def test_roster_import_with_a_kbli_list_from_junk_rows_gives_reports_or_our_errors(
    rng: random.Random,
) -> None:
    rows = rng_rows(rng, ROSTER_HEADERS)
    survives(lambda: import_roster(rows, kbli_codes=JUNK_KBLI_LIST))
