"""The example the package ships is byte for byte the project's examples/tangerang-2017."""

from __future__ import annotations

from pathlib import Path

import pytest

from umkm_core.examples import TANGERANG_2017_FILES, write_tangerang_2017

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tangerang-2017"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("example")
    paths = write_tangerang_2017(folder)
    assert [p.name for p in paths] == list(TANGERANG_2017_FILES)
    return folder


@pytest.mark.parametrize("name", TANGERANG_2017_FILES)
def test_the_shipped_example_equals_the_committed_file(written: Path, name: str) -> None:
    assert (written / name).read_bytes() == (EXAMPLE / name).read_bytes()


def test_writing_the_example_again_leaves_no_temporary_file(written: Path) -> None:
    write_tangerang_2017(written)
    assert sorted(p.name for p in written.iterdir()) == sorted(TANGERANG_2017_FILES)
