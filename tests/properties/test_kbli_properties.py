"""Properties of KBLI code lists: what an office writes as CSV reads back exactly, and a
list accepts exactly its own codes."""

from __future__ import annotations

import csv
import io
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from umkm_core import KBLI, KbliCodeList, ValidationError
from umkm_core import strategies as ust
from umkm_core.adapters.kbli_codes import kbli_code_list_from_bytes
from umkm_core.model.kbli import KBLI_2020_DIVISIONS

titles = (
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool)
)


def as_csv(codes: KbliCodeList, *, delimiter: str, comments: bool, rng: random.Random) -> bytes:
    """The list as an office's export: headings of the hierarchy among the codes."""
    rows: list[list[str]] = []
    for code in sorted(codes.codes):
        if rng.random() < 0.3:
            rows.append([rng.choice("ACGU"), "KATEGORI"])  # a section heading
        if rng.random() < 0.5:
            rows.append([code[: rng.choice((2, 3, 4))], "JUDUL HIERARKI"])
        rows.append([code, codes.titles.get(code, "")])
        if rng.random() < 0.1:
            rows.append(["", ""])  # a blank row
    out = io.StringIO()
    if comments:
        out.write(f"# edition: {codes.edition.value}\n# source: {codes.source}\n")
        out.write(f"# date: {codes.published.isoformat()}\n")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=rng.choice(("\n", "\r\n")))
    writer.writerow([rng.choice(("kode", "Kode KBLI", "code")), rng.choice(("judul", "title"))])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@given(
    ust.kbli_code_lists(),
    st.dictionaries(st.integers(0, 7), titles, max_size=8),
    st.sampled_from([",", ";", "\t"]),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_a_code_list_written_as_csv_reads_back_equal(
    codes: KbliCodeList,
    new_titles: dict[int, str],
    delimiter: str,
    comments: bool,
    rng: random.Random,
) -> None:
    ordered = sorted(codes.codes)
    codes = KbliCodeList(
        edition=codes.edition,
        codes=codes.codes,
        source=codes.source,
        published=codes.published,
        titles={ordered[i % len(ordered)]: t for i, t in new_titles.items()},
    )
    data = as_csv(codes, delimiter=delimiter, comments=comments, rng=rng)
    given_values: dict[str, object] = (
        {}
        if comments
        else {"edition": codes.edition.value, "source": codes.source, "published": codes.published}
    )
    read = kbli_code_list_from_bytes(data, **given_values)  # type: ignore[arg-type]
    assert read == codes
    assert dict(read.titles) == dict(codes.titles)


@given(ust.kbli_code_lists(), ust.kblis())
def test_a_list_accepts_exactly_its_own_codes_of_its_edition(
    codes: KbliCodeList, kbli: KBLI
) -> None:
    kbli = KBLI(kbli.code, codes.edition)
    if codes.contains(kbli):
        assert KBLI.parse(kbli.code, codes.edition.value, codes=codes) == kbli
    else:
        with pytest.raises(ValidationError, match=r"^kbli\.unknown_code "):
            KBLI.parse(kbli.code, codes.edition.value, codes=codes)


@given(st.text("0123456789", min_size=5, max_size=5))
def test_without_a_list_a_kbli_2020_code_passes_exactly_when_its_division_exists(
    code: str,
) -> None:
    if code[:2] in KBLI_2020_DIVISIONS:
        assert KBLI.parse(code).code == code
    else:
        with pytest.raises(ValidationError, match=r"^kbli\.unknown_division "):
            KBLI.parse(code)
    assert KBLI.parse(code, 2025).code == code
