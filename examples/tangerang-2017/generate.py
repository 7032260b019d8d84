"""Regenerate the synthetic files of the Kota Tangerang 2017 example (deterministic).

    python examples/tangerang-2017/generate.py

Writes ``roster.csv`` (the office's register as Excel keeps it: ``;``-separated, UTF-8
with BOM, Indonesian headers and rupiah) and ``applications.csv`` with the generator the
package ships (:mod:`umkm_core.examples`), so ``umkm demo`` can write the same files
anywhere. The seed fixes every byte, so the files are committed and the demo's figures
never change.
"""

from __future__ import annotations

from pathlib import Path

from umkm_core.examples._tangerang import write_files

if __name__ == "__main__":
    write_files(Path(__file__).resolve().parent)
