"""Built-in KBLI code lists: the files an office names, or those the package carries.

umkm_core ships no KBLI list today (docs/decisions/0130-kbli-code-lists-from-the-office.md).
This plugin registers, through ``umkm_kbli_codes()``, the lists read from

- the CSV files named by the environment variable ``UMKM_KBLI_CODES`` (paths separated
  by ``os.pathsep``, ``:`` on Linux), when it is set: an office that holds BPS's file
  points at it, without writing a plugin; or else
- the files ``kbli-*.csv`` in the package's data folder (``umkm_core/model/data``, beside
  the region list), where a list read from BPS's publication is dropped to ship it.

Each file is read with :func:`umkm_core.read_kbli_code_list` (edition, source and date
from its ``#`` comments). A file that cannot be read leaves this plugin's lists out and
is reported in ``registry.problems`` like any plugin's problem; block the plugin
(``umkm_core.kbli``) to ignore the files.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from umkm_core import KbliCodeList, hookimpl, read_kbli_code_list

__all__ = ["KBLI_CODES_ENV", "kbli_list_files", "umkm_kbli_codes"]

#: The environment variable naming an office's KBLI list files.
KBLI_CODES_ENV = "UMKM_KBLI_CODES"


def kbli_list_files(folder: Path | None = None) -> list[Path]:
    """The list files to read: those of ``UMKM_KBLI_CODES``, or the package's own.

    :param folder: where the package's ``kbli-*.csv`` files are (default: its data
        folder); used when the variable is not set.
    :returns: the files, in the order named (the variable) or by name (the folder).
    """
    named = os.environ.get(KBLI_CODES_ENV, "")
    if named.strip():
        return [Path(p) for p in named.split(os.pathsep) if p.strip()]
    if folder is None:
        folder = Path(str(resources.files("umkm_core.model").joinpath("data")))
    return sorted(folder.glob("kbli-*.csv"))


@hookimpl
def umkm_kbli_codes() -> Iterator[KbliCodeList]:
    """The lists of :func:`kbli_list_files`, one per file."""
    for path in kbli_list_files():
        yield read_kbli_code_list(path)
