"""A table exported twice writes its rows twice, or refuses: never a header-only file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from umkm_core import (
    Address,
    Business,
    Column,
    ColumnType,
    Owner,
    RegionCode,
    Table,
    Text,
    ValidationError,
    business_register_table,
    export_table,
    load_registry,
    step_records_table,
)
from umkm_core.adapters.tables import RowSource
from umkm_core.followup import PIRT, StepRecord


def business(i: int) -> Business:
    return Business(
        id=f"B{i}",
        name=f"Usaha {i}",
        owner=Owner(name="Siti"),
        address=Address(region=RegionCode.parse("36.71.05")),
        sector="kuliner",
    )


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig").splitlines()


def test_a_register_of_a_list_exports_twice_with_every_row(tmp_path: Path) -> None:
    csv = load_registry(autoload=False).exporter("csv")
    table = business_register_table([business(1), business(2)])
    first = export_table(table, tmp_path / "a.csv", csv)
    second = export_table(table, tmp_path / "b.csv", csv)
    assert first.rows == second.rows == 2
    assert lines(tmp_path / "a.csv") == lines(tmp_path / "b.csv")
    assert len(lines(tmp_path / "b.csv")) == 3


def test_a_one_pass_table_refuses_a_second_export_and_keeps_the_old_file(
    tmp_path: Path,
) -> None:
    csv = load_registry(autoload=False).exporter("csv")
    table = business_register_table(business(i) for i in range(3))
    export_table(table, tmp_path / "a.csv", csv)
    (tmp_path / "b.csv").write_text("old")
    with pytest.raises(ValidationError) as caught:
        export_table(table, tmp_path / "b.csv", csv)
    assert caught.value.code == "table.rows_consumed"
    assert (tmp_path / "b.csv").read_text() == "old"
    assert len(lines(tmp_path / "a.csv")) == 4


def test_rows_from_a_function_are_built_afresh_for_every_pass() -> None:
    calls = []

    def rows() -> Iterator[tuple[int]]:
        calls.append(1)
        yield (1,)

    table = Table(
        name="t",
        columns=(Column(name="n", title=Text("N", "N"), type=ColumnType.INTEGER),),
        rows=rows,
    )
    assert list(table.rows) == list(table.rows) == [(1,)]
    assert len(calls) == 2
    assert table.rows.replayable


def test_step_records_of_a_tuple_replay() -> None:
    records = (StepRecord.plan(business_id="B1", kind=PIRT, on=dt.date(2018, 3, 1)),)
    table = step_records_table(records)
    assert len(list(table.rows)) == len(list(table.rows)) == 1


def test_a_row_source_keeps_a_spent_stream_spent() -> None:
    once = RowSource(iter([(1,)]))
    assert list(once) == [(1,)]
    assert not RowSource(once).replayable
    with pytest.raises(ValidationError):
        list(RowSource(once))
