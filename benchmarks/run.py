"""Run every benchmark in this folder (``make bench``), one subprocess each, in name order.

Each benchmark is a script that prints its own table of figures.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys


def main() -> int:
    here = pathlib.Path(__file__).parent
    scripts = sorted(p for p in here.glob("*.py") if p.name not in {"run.py", "__init__.py"})
    if not scripts:
        print("no benchmarks found")
        return 1
    failed = 0
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        failed += subprocess.call([sys.executable, str(script), *sys.argv[1:]]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
