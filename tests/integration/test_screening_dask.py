"""The same screening on a two-worker Dask cluster on this machine (loopback only)."""

from __future__ import annotations

import pathlib
from collections.abc import Iterator

import pytest
from dask.distributed import Client, LocalCluster, get_task_stream

from umkm_core.adapters.program_file import load_program_file
from umkm_core.bulk import screen, screen_on_dask, synthetic_register_frames, write_register_frames

EXAMPLE = pathlib.Path(__file__).parents[2] / "examples" / "tangerang-2017" / "program.toml"
ROWS = 300_000


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


def test_dask_screening_equals_the_single_process_screening(
    client: Client, tmp_path: pathlib.Path
) -> None:
    register = write_register_frames(
        synthetic_register_frames(ROWS, seed=5, chunk=100_000),
        tmp_path / "reg",
        batch_size=100_000,
    )
    programme = load_program_file(EXAMPLE)
    alone = screen(programme, register.path, eligible_to=tmp_path / "alone.txt")
    with get_task_stream(client) as stream:
        spread = screen_on_dask(
            programme, register.path, client=client, eligible_to=tmp_path / "dask.txt"
        )
    assert alone.rows == ROWS
    assert 0 < alone.eligible < ROWS
    assert spread == alone
    assert (tmp_path / "dask.txt").read_bytes() == (tmp_path / "alone.txt").read_bytes()
    # Every partition was a task of its own, run by both workers.
    tasks = [t for t in stream.data if "screen_partition" in str(t["key"])]
    assert len(tasks) == alone.partitions == len(register.partitions) > 2
    assert len({t["worker"] for t in tasks}) == 2
