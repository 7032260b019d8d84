"""The reference example, shipped with the package: Kota Tangerang, December 2017.

:func:`write_tangerang_2017` writes the programme file, the follow-up plan, the
10,555-business roster and the applications into a folder, byte for byte the files of
the project's ``examples/tangerang-2017/``, so that ``umkm demo`` runs from any folder.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from umkm_core.examples._tangerang import _write_whole, write_files

__all__ = ["TANGERANG_2017_FILES", "write_tangerang_2017"]

#: The files of the example.
TANGERANG_2017_FILES = ("roster.csv", "applications.csv", "program.toml", "followup.toml")


def write_tangerang_2017(folder: str | Path) -> tuple[Path, ...]:
    """Write the example's files into ``folder`` (created when missing).

    :returns: the paths written, in :data:`TANGERANG_2017_FILES` order.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    write_files(target)
    shipped = importlib.resources.files("umkm_core.examples").joinpath("tangerang-2017")
    for name in ("program.toml", "followup.toml"):
        _write_whole(target / name, shipped.joinpath(name).read_bytes())
    return tuple(target / name for name in TANGERANG_2017_FILES)
