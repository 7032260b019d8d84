"""The ``umkm`` command: the library for an office's data officer, from a terminal.

A thin layer: it parses the command line, calls a service
(:mod:`umkm_core.services`) and prints. Messages are in Bahasa Indonesia unless
``--lang en`` (or ``UMKM_LANG=en``) is given, before or after the subcommand. A mistake
in the user's input ends with one clear message and a non-zero exit code, never a
traceback; ``--debug`` shows the traceback.

Exit codes: 0 done, 1 the input was refused, 2 wrong usage (unknown option, missing
argument), 70 an internal error (a bug: please report it with ``--debug``), 130
interrupted.

Needs the ``cli`` extra (click and rich); without it, ``umkm`` says so in one line.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_REFUSED", "EXIT_USAGE", "main"]

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

_MISSING_EXTRA = (
    "umkm: perintah ini memerlukan paket tambahan 'cli' / this command needs the 'cli' "
    "extra: pip install 'umkm-core[cli]'"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``umkm`` command and return its exit code (the console script's entry).

    :param argv: the arguments (without the program name); ``sys.argv[1:]`` by default.
    :returns: 0 when done, :data:`EXIT_REFUSED`, :data:`EXIT_USAGE`,
        :data:`EXIT_INTERNAL` or :data:`EXIT_INTERRUPTED` otherwise.
    """
    try:
        import click  # noqa: F401, PLC0415
        import rich  # noqa: F401, PLC0415
    except ImportError:
        print(_MISSING_EXTRA, file=sys.stderr)
        return EXIT_REFUSED
    from umkm_core.cli._app import run  # noqa: PLC0415

    return run(argv)
