"""Run the installed ``umkm`` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import attrs

UMKM = Path(sys.executable).with_name("umkm")
#: The office's record the commands of one test session share (never the project folder).
DATABASE = Path(tempfile.mkdtemp(prefix="umkm-cli-")) / "umkm.db"


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


def umkm(
    *args: str | os.PathLike[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Run:
    """Run ``umkm ARGS...`` and capture what it printed.

    :param env: variables to add (``UMKM_*`` of the caller's environment are dropped;
        ``UMKM_DATABASE_URL`` is the session's :data:`DATABASE` unless given).
    """
    full = {k: v for k, v in os.environ.items() if not k.startswith("UMKM_")}
    full["COLUMNS"] = "120"
    full["UMKM_DATABASE_URL"] = f"sqlite:///{DATABASE}"
    full.update(env or {})
    done = subprocess.run(
        [str(UMKM), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=full,
        timeout=300,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def assert_no_traceback(run: Run) -> None:
    """A user error ends with a message, never a Python traceback."""
    assert "Traceback" not in run.output, run.output
