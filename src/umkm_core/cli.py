"""The ``umkm`` command: the library for an office's data officer, from a terminal.

A thin layer: every decision is the library's; this module reads files, calls it, and
prints. Messages are in Bahasa Indonesia unless ``--lang en`` (or ``UMKM_LANG=en``) is
given. A mistake in the user's input (a file that does not exist, a damaged programme
file) ends with one clear message and a non-zero exit code, never a traceback;
``--debug`` shows the traceback.

Exit codes: 0 done, 1 the input was refused, 2 wrong usage (unknown option, missing
argument), 70 an internal error (a bug: please report it with ``--debug``), 130
interrupted.

Needs the ``cli`` extra (click and rich).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence
from typing import Any, NoReturn

import attrs
import click
from rich.console import Console

from umkm_core.errors import InvalidDocument, UmkmError
from umkm_core.model.program import Program
from umkm_core.text import Lang, Text

__all__ = ["EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_REFUSED", "EXIT_USAGE", "cli", "main"]

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


@attrs.define
class Session:
    """What every command shares: the language, the debug switch and the consoles."""

    lang: Lang = "id"
    debug: bool = False
    out: Console = attrs.field(factory=lambda: Console(highlight=False, soft_wrap=True))
    err: Console = attrs.field(
        factory=lambda: Console(stderr=True, highlight=False, soft_wrap=True)
    )

    def say(self, text: Text, **values: object) -> None:
        """Print ``text`` in the session's language on standard output."""
        self.out.print(text.format(**values).get(self.lang), markup=False)

    def t(self, id: str, en: str) -> str:
        """Pick the Indonesian or English text."""
        return en if self.lang == "en" else id


def _fail(id: str, en: str, *, code: str = "cli.error") -> NoReturn:
    raise UmkmError(code, id=id, en=en)


pass_session = click.make_pass_decorator(Session)


@click.group(
    name="umkm",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--lang",
    type=click.Choice(["id", "en"]),
    default="id",
    envvar="UMKM_LANG",
    show_default=True,
    help="Bahasa pesan / language of messages.",
)
@click.option(
    "--debug",
    is_flag=True,
    envvar="UMKM_DEBUG",
    help="Tampilkan traceback saat gagal / show tracebacks on errors.",
)
@click.version_option(package_name="umkm-core", prog_name="umkm")
@pass_session
def cli(session: Session, lang: Lang, debug: bool) -> None:
    """umkm_core: data binaan, program, seleksi peserta dan sertifikasi lanjutan.

    umkm_core: coached businesses, programmes, allocation and follow-up certification.
    """
    session.lang = lang
    session.debug = debug


@cli.command()
@pass_session
def demo(session: Session) -> None:
    """Tur singkat model pada kisah Kota Tangerang 2017 / a short tour of the model."""
    from umkm_core import demo as demo_module  # noqa: PLC0415 - only this command needs it

    demo_module.main()


@cli.command()
@click.argument("program_file", metavar="PROGRAM.toml", type=click.Path(dir_okay=False))
@pass_session
def validate(session: Session, program_file: str) -> None:
    """Periksa berkas program / check a programme file.

    Prints the programme, its waves and rules, and schedule warnings (weekends, public
    holidays, cuti bersama, venue clashes). Exits with 1 when the file has problems.
    """
    program = _load_program(program_file)
    _print_program(session, program)
    warnings = program.schedule_warnings()
    if warnings:
        session.out.print(session.t("Peringatan jadwal:", "Schedule warnings:"))
        for warning in warnings:
            session.out.print(f"  - {warning.text.get(session.lang)}", markup=False)
    else:
        session.out.print(session.t("Jadwal: tidak ada peringatan.", "Schedule: no warnings."))
    session.out.print(session.t("Berkas program sah.", "The programme file is valid."))


def _load_program(path: str) -> Program:
    from umkm_core.program_file import load_program  # noqa: PLC0415 - keeps start-up light

    return load_program(path)


def _print_program(session: Session, program: Program) -> None:
    out = session.out
    out.print(f"{program.title} ({program.id}, {program.year})", markup=False)
    out.print(
        session.t(
            f"Jenis: {program.kind.label.id}; kantor: {program.office_id}; kursi: {program.seats}",
            f"Kind: {program.kind.label.en}; office: {program.office_id}; seats: {program.seats}",
        ),
        markup=False,
    )
    for wave in program.waves:
        times = ""
        if wave.sessions:
            first = wave.sessions[0]
            times = f", {first.start:%H:%M}-{first.end:%H:%M} {first.time_zone}"
        out.print(
            session.t(
                f"  Gelombang {wave.number}: {wave.sector}, {wave.start:%d-%m-%Y} s.d. "
                f"{wave.end:%d-%m-%Y}, {wave.seats} kursi{times}",
                f"  Wave {wave.number}: {wave.sector}, {wave.start:%Y-%m-%d} to "
                f"{wave.end:%Y-%m-%d}, {wave.seats} seats{times}",
            ),
            markup=False,
        )
    out.print(session.t("Aturan:", "Rules:"))
    for rule in program.rules:
        out.print(f"  - {rule.describe().get(session.lang)}", markup=False)


def _report_error(session: Session, error: UmkmError) -> None:
    lines = [session.t("Gagal", "Failed") + f" [{error.code}]"]
    if isinstance(error, InvalidDocument) and error.errors:
        if error.field:
            lines[0] += f" {error.field}"
        lines[0] += ":"
        lines += [f"  - {e.field}: {e.message(session.lang)} [{e.code}]" for e in error.errors]
    else:
        where = f" {error.field}" if error.field else ""
        lines[0] += f"{where}: {error.message(session.lang)}"
    session.err.print("\n".join(lines), markup=False)


def _report_os_error(session: Session, error: OSError) -> None:
    name = f" '{error.filename}'" if error.filename else ""
    if isinstance(error, FileNotFoundError):
        text = session.t(f"Berkas{name} tidak ditemukan.", f"File{name} not found.")
    elif isinstance(error, PermissionError):
        text = session.t(f"Tidak ada izin membuka{name}.", f"No permission to open{name}.")
    elif isinstance(error, IsADirectoryError):
        text = session.t(f"{name.strip()} adalah folder.", f"{name.strip()} is a folder.")
    else:
        text = session.t(f"Gagal membaca/menulis{name}", f"Cannot read/write{name}") + (
            f": {error.strerror}" if error.strerror else ""
        )
    session.err.print(session.t("Gagal: ", "Failed: ") + text, markup=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``umkm`` command and return its exit code (the console script's entry).

    :param argv: the arguments (without the program name); ``sys.argv[1:]`` by default.
    :returns: 0 when done, :data:`EXIT_REFUSED`, :data:`EXIT_USAGE`,
        :data:`EXIT_INTERNAL` or :data:`EXIT_INTERRUPTED` otherwise.
    """
    session = Session()
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result: Any = cli.main(args=args, prog_name="umkm", standalone_mode=False, obj=session)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        session.err.print(session.t("Dibatalkan.", "Interrupted."))
        return EXIT_INTERRUPTED
    except UmkmError as exc:
        if session.debug:
            traceback.print_exc()
        _report_error(session, exc)
        return EXIT_REFUSED
    except OSError as exc:
        if session.debug:
            traceback.print_exc()
        _report_os_error(session, exc)
        return EXIT_REFUSED
    except Exception:
        if session.debug:
            raise
        session.err.print(
            session.t(
                "Kesalahan internal umkm_core. Jalankan lagi dengan --debug dan laporkan "
                "traceback-nya.",
                "Internal error in umkm_core. Run again with --debug and report the traceback.",
            ),
            markup=False,
        )
        return EXIT_INTERNAL
    # With standalone_mode off, click returns an exit code for --help/--version.
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover - `python -m umkm_core.cli`
    sys.exit(main())
