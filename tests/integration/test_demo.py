from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

from umkm_core import SizeClass
from umkm_core.adapters.serialization import to_dict
from umkm_core.demo import (
    REFERENCE_DAY,
    format_size_table,
    main,
    read_register,
    size_table,
    write_register,
)
from umkm_core.model.regions import TANGERANG_DISTRICTS
from umkm_core.synthetic import synthetic_register


def test_register_written_as_json_lines_reads_back_the_same(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "nested" / "register.jsonl"
    businesses = list(synthetic_register(200, seed=1))
    assert write_register(iter(businesses), path) == 200
    assert len(path.read_bytes().splitlines()) == 200
    assert [to_dict(b) for b in read_register(path)] == [to_dict(b) for b in businesses]


def test_size_table_counts_every_business_once_per_district() -> None:
    businesses = list(synthetic_register(500, seed=2))
    table = size_table(businesses, on=REFERENCE_DAY)
    assert set(table) <= set(TANGERANG_DISTRICTS)
    assert sum(sum(c.values()) for c in table.values()) == 500
    assert sum(c[SizeClass.MIKRO] for c in table.values()) > 450


def test_size_table_text_has_a_row_per_district_and_a_total() -> None:
    table = size_table(synthetic_register(300, seed=3), on=REFERENCE_DAY)
    text = format_size_table(table)
    lines = text.splitlines()
    assert lines[0].split()[:2] == ["Kecamatan", "Mikro"]
    assert lines[-1].startswith("Jumlah")
    assert lines[-1].split()[-1] == "300"
    assert "Cipondoh" in text


def test_demo_prints_the_same_table_every_time(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    for run in range(2):
        assert main(["-n", "400", "--out", str(tmp_path / f"r{run}.jsonl")]) == 0
        outputs.append(capsys.readouterr().out.replace(f"r{run}.jsonl", "r.jsonl"))
    assert outputs[0] == outputs[1]
    assert "400 usaha dibaca kembali" in outputs[0]


def test_demo_runs_as_a_module(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "register.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "umkm_core.demo", "-n", "50", "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Jumlah" in result.stdout
    assert out.exists()
