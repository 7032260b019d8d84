"""Run the installed ``umkm`` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import attrs

UMKM = Path(sys.executable).with_name("umkm")


@attrs.frozen
class Run:
    """What one run of the command did."""

    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        """Standard output and standard error together."""
        return self.out + self.err


def umkm(*args: str | os.PathLike[str], cwd: Path | None = None) -> Run:
    """Run ``umkm ARGS...`` and capture what it printed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("UMKM_")}
    env["COLUMNS"] = "120"
    done = subprocess.run(
        [str(UMKM), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=300,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def assert_no_traceback(run: Run) -> None:
    """A user error ends with a message, never a Python traceback."""
    assert "Traceback" not in run.output, run.output
