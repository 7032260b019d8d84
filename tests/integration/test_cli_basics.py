"""The ``umkm`` command's conventions: languages, exit codes, no tracebacks for users."""

from __future__ import annotations

from cli_support import assert_no_traceback, umkm


def test_help_lists_the_commands_and_exits_cleanly() -> None:
    run = umkm("--help")
    assert run.code == 0
    assert "demo" in run.out


def test_unknown_command_is_a_usage_error_with_exit_code_2() -> None:
    run = umkm("no-such-command")
    assert run.code == 2
    assert_no_traceback(run)


def test_unknown_language_is_refused_as_usage() -> None:
    run = umkm("--lang", "fr", "demo")
    assert run.code == 2
    assert_no_traceback(run)


def test_version_is_printed() -> None:
    run = umkm("--version")
    assert run.code == 0
    assert run.out.startswith("umkm, version")
