"""Screening a Parquet register: the same answers as the interpreted engine, in columns."""

from __future__ import annotations

import datetime as dt
import pathlib
import stat
from collections import Counter
from collections.abc import Sequence
from typing import Any, ClassVar

import attrs
import polars as pl
import pytest

from screening_support import interpreted
from umkm_core import Business, PastEnrollment, Program, ProgramKind, Text, UmkmError
from umkm_core.adapters.program_file import load_program_file
from umkm_core.adapters.serialization import to_json
from umkm_core.bulk import (
    ColumnarContext,
    business_from_row,
    compile_rules,
    iter_register,
    register_frame,
    register_partitions,
    scan_register,
    screen,
    write_register_parquet,
)
from umkm_core.errors import PluginError, ValidationError
from umkm_core.rules import (
    PASS,
    EligibilityRule,
    RuleContext,
    RuleFactory,
    Verdict,
    all_of,
    any_of,
    has_nib,
    not_,
    not_attended_within,
    sector_matches_wave,
)
from umkm_core.synthetic import synthetic_register

EXAMPLE = pathlib.Path(__file__).parents[2] / "examples" / "tangerang-2017" / "program.toml"
AS_OF = dt.date(2017, 12, 8)


@attrs.frozen(kw_only=True)
class MakesFlagshipProduct(EligibilityRule):
    """A plugin's rule that reads products, which the register's columns do not hold."""

    name: ClassVar[str] = "makes_flagship_product"
    code: ClassVar[str] = "eligibility.makes_flagship_product"

    def describe(self) -> Text:
        return Text("membuat produk unggulan", "makes a flagship product")

    def check(self, ctx: RuleContext) -> Verdict:
        if any(p.flagship for p in ctx.business.products):
            return PASS
        return self.fail(Text("Belum ada produk unggulan.", "No flagship product yet."))


@attrs.frozen(kw_only=True)
class OwnedByWoman(EligibilityRule):
    """A plugin's rule with a columnar form."""

    name: ClassVar[str] = "owned_by_woman"
    code: ClassVar[str] = "eligibility.owned_by_woman"

    def describe(self) -> Text:
        return Text("milik perempuan", "owned by a woman")

    def check(self, ctx: RuleContext) -> Verdict:
        if (
            ctx.business.owner.effective_sex is not None
            and ctx.business.owner.effective_sex.value == "female"
        ):
            return PASS
        return self.fail(Text("Bukan milik perempuan.", "Not owned by a woman."))


def _woman_columnar(rule: OwnedByWoman, ctx: ColumnarContext) -> pl.Expr:
    return (pl.col("owner_sex") == "female").fill_null(False)


WOMAN = RuleFactory(
    name="owned_by_woman",
    factory=OwnedByWoman,
    description=Text("milik perempuan", "owned by a woman"),
    columnar=_woman_columnar,
)


@pytest.fixture(scope="module")
def register() -> list[Business]:
    return list(synthetic_register(400, seed=11))


@pytest.fixture(scope="module")
def program() -> Program:
    return load_program_file(EXAMPLE).program


def _expected(
    program: Program, businesses: Sequence[Business], **kw: Any
) -> tuple[set[str], Counter[str]]:
    verdicts = interpreted(program, businesses, as_of=AS_OF, **kw)
    eligible = {i for i, (ok, _, _) in verdicts.items() if ok}
    counts: Counter[str] = Counter()
    for ok, _, reasons in verdicts.values():
        if not ok:
            counts.update({code for code, _ in reasons})
    return eligible, counts


def test_the_register_is_written_by_regency_and_holds_the_rules_fields(
    register: list[Business], tmp_path: pathlib.Path
) -> None:
    written = write_register_parquet(register, tmp_path / "reg", batch_size=64)
    partitions = register_partitions(written.path)
    assert written.rows == len(register)
    assert [p.region for p in partitions] == list(written.partitions)
    assert all((written.path / f"region={p.region}").is_dir() for p in partitions)
    by_region = Counter(str(b.region)[:5] for b in register)
    assert {p.region: sum(pl.read_parquet(f).height for f in p.files) for p in partitions} == dict(
        by_region
    )
    assert scan_register(written.path).select(pl.len()).collect().item() == len(register)
    ids = [i for frame in iter_register(written.path, columns=["id"]) for i in frame["id"]]
    assert sorted(ids) == sorted(b.id for b in register)
    # No personal data in the columns: the owner is only a sex.
    assert not {"name", "nik", "phone", "npwp", "owner"} & set(
        scan_register(written.path).collect_schema()
    )


def test_a_register_with_records_gives_each_business_back_whole_and_is_private(
    register: list[Business], tmp_path: pathlib.Path
) -> None:
    written = write_register_parquet(register[:50], tmp_path / "reg", records=True)
    files = [f for p in register_partitions(written.path) for f in p.files]
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    back = {
        b.id: b
        for f in files
        for b in map(business_from_row, pl.read_parquet(f).iter_rows(named=True))
    }
    assert {i: to_json(b) for i, b in back.items()} == {b.id: to_json(b) for b in register[:50]}


def test_a_row_without_records_keeps_what_the_rules_read(register: list[Business]) -> None:
    frame = register_frame(register[:40])
    for business, row in zip(register[:40], frame.iter_rows(named=True), strict=True):
        back = business_from_row(row)
        assert (back.id, back.region, back.sector, back.nib) == (
            business.id,
            business.region,
            business.sector,
            business.nib,
        )
        assert back.owner.effective_sex is business.owner.effective_sex
        assert sorted(back.financials, key=lambda f: f.year) == sorted(
            business.financials, key=lambda f: f.year
        )
        assert back.coached_by == business.coached_by
        assert [(c.kind, c.issued_on, c.expires_on) for c in back.certificates] == [
            (c.kind, c.issued_on, c.expires_on) for c in business.certificates
        ]


def test_screening_the_tangerang_programme_finds_who_the_engine_finds(
    register: list[Business], program: Program, tmp_path: pathlib.Path
) -> None:
    path = write_register_parquet(register, tmp_path / "reg", batch_size=100).path
    seen: list[str] = []
    report = screen(
        load_program_file(EXAMPLE),
        path,
        eligible_to=tmp_path / "eligible.txt",
        on_eligible=seen.extend,
    )
    eligible, counts = _expected(program, register)
    assert 0 < report.eligible < report.rows == len(register)
    assert report.eligible == len(eligible)
    assert dict(report.refused_by_reason) == dict(counts)
    assert list(report.refused_by_reason) == [
        c for c in compile_rules(program, as_of=AS_OF).codes if c in counts
    ]
    assert (tmp_path / "eligible.txt").read_text().splitlines() == seen
    assert set(seen) == eligible
    assert report.row_by_row == ()


def test_a_rule_without_a_columnar_form_runs_row_by_row_with_the_same_result(
    register: list[Business], program: Program, tmp_path: pathlib.Path
) -> None:
    path = write_register_parquet(register, tmp_path / "reg", records=True).path
    rules = (
        sector_matches_wave(),
        all_of(MakesFlagshipProduct(), has_nib()),
        any_of(MakesFlagshipProduct(), OwnedByWoman()),
        not_(not_attended_within(2)),
    )
    custom = attrs.evolve(program, rules=rules)
    history = [
        PastEnrollment(
            business_id=b.id,
            program_id="P-2016",
            kind=ProgramKind.TRAINING,
            ended_on=dt.date(2016, 6, 1),
        )
        for b in register[::3]
    ]
    report = screen(custom, path, as_of=AS_OF, history=history, factories=[WOMAN])
    eligible, counts = _expected(custom, register, history=history)
    assert report.row_by_row == ("makes_flagship_product",)
    assert (report.eligible, dict(report.refused_by_reason)) == (len(eligible), dict(counts))
    plan = compile_rules(custom, as_of=AS_OF, history=history, factories=[WOMAN])
    frame = plan.with_fallbacks(register_frame(register, records=True))
    rows = plan.judge(frame).collect().iter_rows(named=True)
    verdicts = interpreted(custom, register, as_of=AS_OF, history=history)
    assert {
        r["id"]: (r["eligible"], plan.open_waves(r), plan.reasons(r)) for r in rows
    } == verdicts


def test_without_a_columnar_form_of_its_own_a_plugin_rule_is_named_in_the_report(
    register: list[Business], program: Program, tmp_path: pathlib.Path
) -> None:
    path = write_register_parquet(register, tmp_path / "reg").path
    custom = attrs.evolve(program, rules=(OwnedByWoman(),))
    assert screen(custom, path, as_of=AS_OF).row_by_row == ("owned_by_woman",)
    assert screen(custom, path, as_of=AS_OF, factories=[WOMAN]).row_by_row == ()


def test_screening_needs_a_register_a_date_and_for_wave_rules_a_programme(
    tmp_path: pathlib.Path,
) -> None:
    with pytest.raises(UmkmError) as missing:
        screen([has_nib()], tmp_path / "nowhere", as_of=AS_OF)
    assert missing.value.code == "bulk.not_a_register"
    with pytest.raises(UmkmError) as undated:
        screen([has_nib()], tmp_path)
    assert undated.value.code == "bulk.no_as_of"
    with pytest.raises(ValidationError) as waves:
        compile_rules([sector_matches_wave()], as_of=AS_OF)
    assert waves.value.code == "bulk.needs_program"


def test_bare_rules_screen_without_waves(register: list[Business], tmp_path: pathlib.Path) -> None:
    path = write_register_parquet(register, tmp_path / "reg").path
    report = screen([has_nib()], path, as_of=AS_OF)
    assert report.eligible == sum(b.nib is not None for b in register)
    assert dict(report.refused_by_reason) == {
        "eligibility.nib": sum(b.nib is None for b in register)
    }


def test_a_failed_screening_leaves_no_eligible_file(
    register: list[Business], tmp_path: pathlib.Path
) -> None:
    path = write_register_parquet(register, tmp_path / "reg").path

    def stop(ids: Sequence[str]) -> None:
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        screen([has_nib()], path, as_of=AS_OF, eligible_to=tmp_path / "out.txt", on_eligible=stop)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reg"]


def test_a_columnar_form_that_is_no_expression_is_a_plugin_error(program: Program) -> None:
    broken = attrs.evolve(WOMAN, columnar=lambda rule, ctx: "female")
    custom = attrs.evolve(program, rules=(OwnedByWoman(),))
    with pytest.raises(PluginError) as err:
        compile_rules(custom, as_of=AS_OF, factories=[broken])
    assert (err.value.code, err.value.field) == ("bulk.bad_columnar", "owned_by_woman")


def test_a_damaged_part_file_is_reported_by_name(
    register: list[Business], tmp_path: pathlib.Path
) -> None:
    path = write_register_parquet(register, tmp_path / "reg", batch_size=50).path
    last = register_partitions(path)[-1]
    last.files[-1].write_bytes(b"PAR1 not really parquet")
    with pytest.raises(UmkmError) as err:
        screen([has_nib()], path, as_of=AS_OF)
    assert err.value.code == "bulk.unreadable"
    assert err.value.field == f"region={last.region}/{last.files[-1].name}"


def test_a_folder_of_other_parquet_files_is_not_a_register(tmp_path: pathlib.Path) -> None:
    (tmp_path / "region=36.71").mkdir()
    pl.DataFrame({"id": ["x"]}).write_parquet(tmp_path / "region=36.71" / "a.parquet")
    with pytest.raises(UmkmError) as err:
        register_partitions(tmp_path)
    assert err.value.code == "bulk.not_a_register"
