"""The command group, what every command shares, and how errors end a command."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

from umkm_core.cli import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_REFUSED
from umkm_core.errors import InvalidDocument, UmkmError
from umkm_core.services import Listener
from umkm_core.text import Lang, Text

if TYPE_CHECKING:
    from umkm_core._plugins import Registry
    from umkm_core.services.exports import ExportSummary
    from umkm_core.store import Store

__all__ = ["Session", "cli", "common_options", "db_option", "pass_session", "run"]

F = TypeVar("F", bound=Callable[..., Any])


@attrs.define
class Session:
    """What every command shares: the language, the debug switch and the consoles."""

    lang: Lang = "id"
    debug: bool = False
    out: Console = attrs.field(factory=lambda: Console(highlight=False, soft_wrap=True))
    err: Console = attrs.field(
        factory=lambda: Console(stderr=True, highlight=False, soft_wrap=True)
    )
    _registry: Registry | None = None

    def say(self, text: Text) -> None:
        """Print ``text`` in the session's language on standard output."""
        self.out.print(text.get(self.lang), markup=False)

    def warn(self, text: Text) -> None:
        """Print ``text`` in the session's language on standard error."""
        self.err.print(text.get(self.lang), markup=False)

    def t(self, id: str, en: str) -> str:
        """Pick the Indonesian or English text."""
        return en if self.lang == "en" else id

    def tell(self, id: str, en: str) -> None:
        """Print the Indonesian or English text on standard output, as written."""
        self.out.print(self.t(id, en), markup=False)

    @property
    def registry(self) -> Registry:
        """The plugin registry, loaded once per command."""
        if self._registry is None:
            from umkm_core._plugins import load_registry  # noqa: PLC0415 - keeps --help fast

            self._registry = load_registry()
        return self._registry

    def store(self, url: str | None) -> Store:
        """The record at ``url`` (``--db``)."""
        from umkm_core.services.store_url import open_store  # noqa: PLC0415

        return open_store(url, registry=self.registry)

    @contextmanager
    def listener(self) -> Iterator[Listener]:
        """A listener that shows progress on a terminal and stays silent otherwise."""
        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TransferSpeedColumn(),
            TimeElapsedColumn(),
            console=self.err,
            transient=True,
            disable=not self.err.is_terminal,
        )
        tasks: dict[str, TaskID] = {}

        def advance(task: Text, done: int, total: int | None) -> None:
            name = task.get(self.lang)
            if name not in tasks:
                tasks[name] = progress.add_task(name, total=total)
            progress.update(tasks[name], completed=done, total=total)

        with progress:
            yield Listener(progress=advance, message=self.warn)

    @contextmanager
    def working(self, task: Text) -> Iterator[None]:
        """A spinner with the elapsed time while ``task`` runs, on a terminal only."""
        with self.listener() as listener:
            listener.progress(task, 0, None)
            yield

    def report_exports(self, summary: ExportSummary) -> None:
        """Name every file written and every format that failed, with its plugin."""
        for path in summary.written:
            self.out.print(f"  {path}", markup=False)
        for failure in summary.failed:
            self.warn(
                Text(
                    f"Format {failure.format} (plugin {failure.plugin}) gagal menulis "
                    f"{failure.path}: {failure.text.id} [{failure.code}]",
                    f"Format {failure.format} (plugin {failure.plugin}) could not write "
                    f"{failure.path}: {failure.text.en} [{failure.code}]",
                )
            )
        if summary.failed:
            raise _Failed()


class _Failed(Exception):
    """Something was refused and already reported: exit 1 without another message."""


pass_session = click.make_pass_decorator(Session)


def _set_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(Session).lang = "en" if value == "en" else "id"


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(Session).debug = True


def common_options(f: F) -> F:
    """``--lang`` and ``--debug``, accepted after the subcommand as before it."""
    f = click.option(
        "--lang",
        type=click.Choice(["id", "en"]),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_set_lang,
        help="Bahasa pesan / language of messages.",
    )(f)
    return click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_set_debug,
        help="Tampilkan traceback saat gagal / show tracebacks on errors.",
    )(f)


db_option = click.option(
    "--db",
    "db_url",
    metavar="URL",
    help="Basis data catatan kantor (bawaan: UMKM_DATABASE_URL atau sqlite:///umkm.db).",
)


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
    callback=_set_lang,
    expose_value=False,
    is_eager=True,
    help="Bahasa pesan / language of messages.",
)
@click.option(
    "--debug",
    is_flag=True,
    envvar="UMKM_DEBUG",
    callback=_set_debug,
    expose_value=False,
    is_eager=True,
    help="Tampilkan traceback saat gagal / show tracebacks on errors.",
)
@click.version_option(package_name="umkm-core", prog_name="umkm")
def cli() -> None:
    """umkm_core: data binaan, program, seleksi peserta dan sertifikasi lanjutan.

    umkm_core: coached businesses, programmes, allocation and follow-up certification.
    """


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


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command group; see :func:`umkm_core.cli.main`."""
    from umkm_core.cli import _commands, _db, _demo, _reports, _seats  # noqa: F401, PLC0415

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
    except _Failed:
        return EXIT_REFUSED
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
