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

import datetime as dt
import json
import sys
import textwrap
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table as RichTable

from umkm_core.adapters.roster import (
    ImportedBusiness,
    ImportReport,
    RefusedRow,
    RosterInput,
    RowProblem,
    is_roster_header,
    iter_roster,
)
from umkm_core.allocation import Accepted, Allocation, Decision, Refused, Waitlisted
from umkm_core.errors import InvalidDocument, UmkmError
from umkm_core.model.business import Business
from umkm_core.model.program import Program
from umkm_core.text import Lang, Text

if TYPE_CHECKING:
    from umkm_core._plugins import Registry
    from umkm_core.adapters.exchange import Exporter
    from umkm_core.adapters.followup_plan import FollowupPlan
    from umkm_core.adapters.tables import Cell, Table
    from umkm_core.followup import Pathway, StepRecord

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

    def tell(self, id: str, en: str) -> None:
        """Print the Indonesian or English text on standard output, as written."""
        self.out.print(self.t(id, en), markup=False)


pass_session = click.make_pass_decorator(Session)

# Options several commands take, written once so their names and help stay the same.
_office_option = click.option(
    "--office", "office_id", metavar="ID", help="Untuk roster .csv/.xlsx."
)
_run_option = click.option(
    "--run",
    "run_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder hasil umkm allocate (berisi run.json).",
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


@cli.command(name="import")
@click.argument("roster", metavar="ROSTER.csv|xlsx", type=click.Path(dir_okay=False))
@click.option(
    "--office",
    "office_id",
    metavar="ID",
    help="Kantor pembina (binaan) / the coaching office of this register.",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    help="Register JSON Lines (bawaan: ROSTER.jsonl) / the register written.",
)
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False),
    help="Laporan baris ditolak, .csv/.json/.xlsx (bawaan: ROSTER.errors.csv).",
)
@click.option("--kbli-edition", type=click.Choice(["2020", "2025"]), default="2020")
@pass_session
def import_(
    session: Session,
    *,
    roster: str,
    office_id: str | None,
    out_path: str | None,
    errors_path: str | None,
    kbli_edition: str,
) -> None:
    """Impor roster binaan ke register JSON Lines / import a roster into a register.

    Every row is imported or refused with every problem (row, column, code, message);
    refused rows go to the error report. Imported + refused = rows read.
    """
    source = Path(roster)
    out = Path(out_path) if out_path else source.with_suffix(".jsonl")
    errors = Path(errors_path) if errors_path else source.with_suffix(".errors.csv")
    _import_and_report(
        session,
        _registry(),
        source,
        office_id=office_id,
        out=out,
        errors=errors,
        kbli_edition=int(kbli_edition),
    )


@cli.command()
@click.argument("program_file", metavar="PROGRAM.toml", type=click.Path(dir_okay=False))
@click.option(
    "--register",
    "register_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Register .jsonl (dari umkm import) atau roster .csv/.xlsx.",
)
@click.option(
    "--applications",
    "applications_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Pendaftaran .csv/.xlsx: no_registrasi, waktu_daftar, gelombang.",
)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False))
@_office_option
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Tanggal penilaian aturan (bawaan: [allocation] as_of, atau hari pertama).",
)
@pass_session
def allocate(
    session: Session,
    *,
    program_file: str,
    register_path: str,
    applications_path: str,
    out_dir: str,
    office_id: str | None,
    as_of: dt.datetime | None,
) -> None:
    """Tentukan peserta tiap gelombang, dengan alasan / allocate seats with reasons.

    Writes the decisions (every application: accepted with its wave, waitlisted with its
    position, or refused with every rule it fails) to OUT in every registered format,
    and run.json to replay the run with `umkm explain`.
    """
    manifest = _Manifest(
        program=str(Path(program_file).resolve()),
        register=str(Path(register_path).resolve()),
        applications=str(Path(applications_path).resolve()),
        office_id=office_id,
        as_of=as_of.date().isoformat() if as_of else None,
    )
    run = _run_allocation(session, manifest)
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    manifest.save(target)
    written = _export_decisions(_registry(), run, target, session.lang)
    _print_allocation(session, run)
    session.out.print(
        session.t("Keputusan ditulis ke: ", "Decisions written to: ")
        + ", ".join(str(p) for p in written),
        markup=False,
    )


@cli.command()
@click.argument("business_id")
@_run_option
@pass_session
def explain(session: Session, business_id: str, run_dir: str) -> None:
    """Jelaskan keputusan untuk satu usaha / explain the decision for one business."""
    run = _run_allocation(session, _Manifest.load(Path(run_dir)), quiet=True)
    session.out.print(run.allocation.explain(business_id, session.lang), markup=False)


@cli.command()
@_run_option
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(dir_okay=False),
    help="Rencana tindak lanjut .toml (bawaan: jalur bawaan tiap sektor).",
)
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Tanggal (bawaan: plan.starts, atau hari setelah gelombang terakhir).",
)
@click.option(
    "--records",
    "records_file",
    type=click.Path(dir_okay=False),
    help="Kemajuan sertifikasi .csv/.xlsx: no_registrasi, langkah, status, tanggal...",
)
@click.option("--business", "business_id", help="Rincian langkah satu usaha.")
@pass_session
def followup(
    session: Session,
    *,
    run_dir: str,
    plan_file: str | None,
    as_of: dt.datetime | None,
    records_file: str | None,
    business_id: str | None,
) -> None:
    """Langkah lanjutan peserta: yang bisa dimulai, yang tertahan, funnel / follow-up.

    For every seated participant: the steps of its sector's pathway it can start now and
    why the others are blocked, certificates due for renewal within 180 days, and the
    cohort funnel, taking the progress in RECORDS into account. The plan (one planned
    step per participant that can start now) is written to RUN/followup-plan.csv.
    """
    registry = _registry()
    run = _run_allocation(session, _Manifest.load(Path(run_dir)), quiet=True)
    plan = _load_plan(registry, plan_file)
    day = as_of.date() if as_of else _plan_day(run, plan)
    records = _load_records(session, registry, records_file)
    rows = _print_followup(
        session, registry, run, plan, day, business_id=business_id, records=records
    )
    if business_id is None:
        path = Path(run_dir) / "followup-plan.csv"
        _export(registry, _plan_table(rows), path, session.lang)
        session.out.print(session.t(f"Rencana ditulis ke {path}", f"Plan written to {path}"))


@cli.command()
@click.option(
    "--format",
    "format_code",
    required=True,
    help="Kode format ekspor terdaftar (lihat umkm plugins) / a registered export format.",
)
@click.option(
    "--register",
    "register_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Register .jsonl atau roster .csv/.xlsx.",
)
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False))
@_office_option
@click.option(
    "--reveal-personal-data",
    is_flag=True,
    help="Jangan samarkan NIK, telepon, nama pemilik / do not mask personal data.",
)
@pass_session
def export(
    session: Session,
    *,
    format_code: str,
    register_path: str,
    out_path: str,
    office_id: str | None,
    reveal_personal_data: bool,
) -> None:
    """Ekspor register dengan format terdaftar mana pun / export the register."""
    from umkm_core.adapters.exchange import ExportOptions, export_table  # noqa: PLC0415
    from umkm_core.adapters.tables import business_register_table  # noqa: PLC0415

    registry = _registry()
    exporter = registry.exporter(format_code)
    businesses = _load_register(session, registry, Path(register_path), office_id)
    result = export_table(
        business_register_table(businesses),
        out_path,
        exporter,
        reveal_personal_data=reveal_personal_data,
        options=ExportOptions(lang=session.lang, delimiter=";"),
    )
    session.tell(
        f"{result.rows} usaha ditulis ke {result.path} ({result.exporter}).",
        f"{result.rows} businesses written to {result.path} ({result.exporter}).",
    )


@cli.command()
@pass_session
def plugins(session: Session) -> None:
    """Plugin yang dimuat, dari paket mana, dan yang gagal / loaded plugins."""
    registry = _registry()
    table = RichTable(box=None, pad_edge=False)
    for header in session.t(
        "Plugin,Sumber,Status,Paket,Mendaftarkan", "Plugin,Source,Status,Package,Registers"
    ).split(","):
        table.add_column(header)
    for info in registry.plugins:
        package = f"{info.distribution} {info.version}" if info.distribution else "-"
        registered = "; ".join(
            f"{hook.removeprefix('umkm_')}: {', '.join(codes)}"
            for hook, codes in sorted(info.registered.items())
            if codes
        )
        table.add_row(info.name, info.source, info.status, package, registered or "-")
    session.out.print(table)
    if registry.problems:
        session.out.print(session.t("Masalah plugin:", "Plugin problems:"))
        for problem in registry.problems:
            session.out.print(
                f"  - {problem.plugin} [{problem.code}, {problem.stage}]: {problem.reason}",
                markup=False,
            )
    else:
        session.out.print(session.t("Tidak ada masalah plugin.", "No plugin problems."))


@cli.command()
@click.option(
    "--example",
    "example_dir",
    default="examples/tangerang-2017",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder contoh (roster.csv, applications.csv, program.toml).",
)
@click.option(
    "--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False)
)
@pass_session
def demo(session: Session, example_dir: str, out_dir: str) -> None:
    """Program Kota Tangerang 2017 dari awal sampai akhir / the reference programme.

    Imports the roster, allocates the 160 seats with reasons, plans the 2018 follow-up,
    writes every registered export format to OUT and prints a summary.
    """
    _demo(session, Path(example_dir), Path(out_dir))


# --- the work behind the commands ---------------------------------------------------------


def _registry() -> Registry:
    from umkm_core._plugins import load_registry  # noqa: PLC0415 - keeps --help fast

    return load_registry()


def _progress(session: Session) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=session.err,
        transient=True,
        disable=not session.err.is_terminal,
    )


def _roster_rows(registry: Registry, path: Path) -> Iterator[RosterInput]:
    """Rows of a roster file through the importer plugin for its extension."""
    from umkm_core.adapters.exchange import ImportedRow, read_rows  # noqa: PLC0415

    importer = registry.importer_for(path)
    for result in read_rows(path, importer):
        if isinstance(result, ImportedRow):
            yield result.row, result.values
        else:
            error = result.error
            yield RefusedRow(
                row=result.row,
                problems=(RowProblem.from_error(result.row, None, None, error),),
            )


def _count_lines(path: Path) -> int | None:
    if path.suffix.lower() not in (".csv", ".txt", ".jsonl"):
        return None
    with path.open("rb") as f:
        return max(sum(1 for _ in f) - 1, 0)


def _import_roster(
    session: Session,
    registry: Registry,
    source: Path,
    *,
    office_id: str | None,
    out: Path | None,
    kbli_edition: int = 2020,
) -> ImportReport:
    """Import ``source``; write the businesses to ``out`` (JSON Lines) as they come."""
    from umkm_core.adapters.serialization import dump_jsonl  # noqa: PLC0415

    if not source.is_file():
        raise FileNotFoundError(2, "No such file", str(source))
    imported: list[ImportedBusiness] = []
    refused: list[RefusedRow] = []
    headers: dict[str, None] = {}

    def rows() -> Iterator[RosterInput]:
        for item in _roster_rows(registry, source):
            if not isinstance(item, RefusedRow):
                headers.update(dict.fromkeys(map(str, item[1])))
            yield item

    with _progress(session) as progress:
        task = progress.add_task(
            session.t("Impor roster", "Importing roster"), total=_count_lines(source)
        )

        def businesses() -> Iterator[Business]:
            for result in iter_roster(rows(), office_id=office_id, kbli_edition=kbli_edition):
                progress.advance(task)
                if isinstance(result, ImportedBusiness):
                    imported.append(result)
                    yield result.business
                else:
                    refused.append(result)

        if out is None:
            for _ in businesses():
                pass
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            with out.open("wb") as fp:
                dump_jsonl(businesses(), fp)
    ignored = tuple(h for h in headers if not is_roster_header(h))
    return ImportReport(
        imported_rows=tuple(imported), refused=tuple(refused), ignored_columns=ignored
    )


def _problems_table(problems: Sequence[RowProblem]) -> Table:
    from umkm_core.adapters.tables import Column, ColumnType, Table  # noqa: PLC0415

    columns = (
        Column(name="row", title=Text("Baris", "Row"), type=ColumnType.INTEGER, nullable=False),
        Column(name="column", title=Text("Kolom", "Column")),
        Column(name="field", title=Text("Isian", "Field")),
        Column(name="code", title=Text("Kode", "Code"), nullable=False),
        Column(name="message_id", title=Text("Pesan", "Message (Indonesian)"), nullable=False),
        Column(name="message_en", title=Text("Pesan (Inggris)", "Message"), nullable=False),
    )
    return Table(
        name="import_problems",
        columns=columns,
        rows=[(p.row, p.column, p.field, p.code, p.message.id, p.message.en) for p in problems],
        title=Text("Baris roster yang ditolak", "Refused roster rows"),
    )


def _export(
    registry: Registry, table: Table, path: Path, lang: Lang, exporter: Exporter | None = None
) -> Path:
    """Write ``table`` to ``path`` with the exporter for its extension (or ``exporter``).

    Text formats use ``;``: Excel with Indonesian regional settings splits on it.
    """
    from umkm_core.adapters.exchange import ExportOptions, export_table  # noqa: PLC0415

    path.parent.mkdir(parents=True, exist_ok=True)
    chosen = exporter if exporter is not None else registry.exporter_for(path)
    export_table(table, path, chosen, options=ExportOptions(lang=lang, delimiter=";"))
    return path


def _import_and_report(
    session: Session,
    registry: Registry,
    source: Path,
    *,
    office_id: str | None,
    out: Path,
    errors: Path,
    kbli_edition: int = 2020,
) -> ImportReport:
    """Import ``source`` to ``out``, write the refused rows to ``errors`` and say so."""
    report = _import_roster(
        session, registry, source, office_id=office_id, out=out, kbli_edition=kbli_edition
    )
    _export(registry, _problems_table(report.problems), errors, session.lang)
    _print_import(session, report, out, errors)
    return report


def _print_import(session: Session, report: ImportReport, out: Path, errors: Path) -> None:
    session.tell(
        f"Roster: {report.rows_read} baris dibaca, {report.imported} diimpor, "
        f"{report.refused_count} ditolak.",
        f"Roster: {report.rows_read} rows read, {report.imported} imported, "
        f"{report.refused_count} refused.",
    )
    for code, count in report.problem_counts().items():
        session.out.print(f"  {count:>5}  {code}", markup=False)
    if report.ignored_columns:
        session.out.print(
            session.t("Kolom diabaikan: ", "Columns ignored: ")
            + ", ".join(report.ignored_columns),
            markup=False,
        )
    session.tell(
        f"Register: {out}; laporan penolakan: {errors}",
        f"Register: {out}; refusal report: {errors}",
    )


def _load_register(
    session: Session, registry: Registry, path: Path, office_id: str | None
) -> list[Business]:
    """A register from JSON Lines (``umkm import``'s output) or straight from a roster."""
    from umkm_core.adapters.serialization import load_jsonl  # noqa: PLC0415

    if path.suffix.lower() == ".jsonl":
        with path.open("rb") as fp:
            return list(load_jsonl(fp, Business))
    return list(_import_roster(session, registry, path, office_id=office_id, out=None).businesses)


@attrs.frozen(kw_only=True)
class _Manifest:
    """What ``umkm allocate`` was given, so ``explain`` and ``followup`` replay it."""

    program: str
    register: str
    applications: str
    office_id: str | None = None
    as_of: str | None = None

    def save(self, folder: Path) -> None:
        (folder / "run.json").write_text(
            json.dumps(attrs.asdict(self), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )

    @classmethod
    def load(cls, folder: Path) -> _Manifest:
        path = folder / "run.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                **{k: data[k] for k in ("program", "register", "applications")},
                office_id=data.get("office_id"),
                as_of=data.get("as_of"),
            )
        except (KeyError, TypeError, ValueError):
            raise UmkmError(
                "cli.bad_run",
                field=str(path),
                id="run.json rusak; jalankan umkm allocate lagi.",
                en="run.json is damaged; run umkm allocate again.",
            ) from None


@attrs.frozen(kw_only=True)
class _Run:
    program: Program
    allocation: Allocation
    businesses: Mapping[str, Business]
    as_of: dt.date
    refused_applications: tuple[RefusedRow, ...]


def _run_allocation(session: Session, manifest: _Manifest, *, quiet: bool = False) -> _Run:
    from umkm_core.adapters.application_rows import read_applications  # noqa: PLC0415
    from umkm_core.adapters.program_file import load_program_file  # noqa: PLC0415
    from umkm_core.allocation import allocate  # noqa: PLC0415

    registry = _registry()
    parsed = load_program_file(manifest.program, factories=registry.rules.values())
    program = parsed.program
    register = _load_register(session, registry, Path(manifest.register), manifest.office_id)
    zone = program.waves[0].sessions[0].time_zone if program.waves[0].sessions else "Asia/Jakarta"
    applications = read_applications(
        _roster_rows(registry, Path(manifest.applications)),
        program_id=program.id,
        time_zone=zone,
    )
    if manifest.as_of:
        as_of = dt.date.fromisoformat(manifest.as_of)
    else:
        as_of = parsed.as_of or min(w.start for w in program.waves)
    result = allocate(
        program, applications.applications, register, as_of=as_of, policy=parsed.policy
    )
    if applications.refused and not quiet:
        session.err.print(
            session.t(
                f"{len(applications.refused)} baris pendaftaran tidak terbaca (lihat kode):",
                f"{len(applications.refused)} application rows could not be read:",
            ),
            markup=False,
        )
        for refused in applications.refused:
            session.err.print(f"  row {refused.row}: {', '.join(refused.codes)}", markup=False)
    return _Run(
        program=program,
        allocation=result,
        businesses={b.id: b for b in register},
        as_of=as_of,
        refused_applications=applications.refused,
    )


def _decisions_table(run: _Run) -> Table:
    from umkm_core.adapters.tables import Column, ColumnType, Table  # noqa: PLC0415

    columns = (
        Column(name="business_id", title=Text("No registrasi", "Business id"), nullable=False),
        Column(name="business_name", title=Text("Nama usaha", "Business name")),
        Column(
            name="applied_at",
            title=Text("Waktu daftar", "Applied at"),
            type=ColumnType.DATETIME,
            nullable=False,
        ),
        Column(name="status", title=Text("Keputusan", "Decision"), nullable=False),
        Column(name="wave", title=Text("Gelombang", "Wave"), type=ColumnType.INTEGER),
        Column(
            name="waitlist_position",
            title=Text("Urutan tunggu", "Waitlist position"),
            type=ColumnType.INTEGER,
        ),
        Column(name="reason_codes", title=Text("Kode alasan", "Reason codes")),
        Column(name="reasons_id", title=Text("Alasan", "Reasons (Indonesian)")),
        Column(name="reasons_en", title=Text("Alasan (Inggris)", "Reasons")),
    )

    def rows() -> Iterator[tuple[Cell, ...]]:
        for decision in run.allocation.decisions:
            outcome = decision.outcome
            app = decision.application
            business = run.businesses.get(app.business_id)
            wave = outcome.wave if isinstance(outcome, Accepted) else None
            position = outcome.position if isinstance(outcome, Waitlisted) else None
            reasons = () if isinstance(outcome, Accepted) else outcome.reasons
            yield (
                app.business_id,
                business.name if business else None,
                app.applied_at,
                outcome.status,
                wave,
                position,
                " ".join(sorted({r.code for r in reasons})) or None,
                " | ".join(r.get("id") for r in reasons) or None,
                " | ".join(r.get("en") for r in reasons) or None,
            )

    return Table(
        name="decisions",
        columns=columns,
        rows=rows(),
        title=Text("Keputusan seleksi peserta", "Allocation decisions"),
    )


def _export_everywhere(
    registry: Registry, make_table: Callable[[], Table], folder: Path, stem: str, lang: Lang
) -> list[Path]:
    """Write a table once per registered export format: ``folder/stem.<extension>``."""
    written: list[Path] = []
    for code, exporter in sorted(registry.exporters.items()):
        path = folder / f"{stem}{exporter.extension}"
        if path in written:  # two formats share an extension: keep both apart
            path = folder / f"{stem}.{code}{exporter.extension}"
        written.append(_export(registry, make_table(), path, lang, exporter))
    return written


def _export_decisions(registry: Registry, run: _Run, folder: Path, lang: Lang) -> list[Path]:
    return _export_everywhere(registry, lambda: _decisions_table(run), folder, "decisions", lang)


def _reason_summary(decisions: Iterable[Decision]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for decision in decisions:
        outcome = decision.outcome
        if isinstance(outcome, Refused | Waitlisted):
            for code in sorted({r.code for r in outcome.reasons}):
                counts[code] = counts.get(code, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _print_allocation(session: Session, run: _Run) -> None:
    out, t = session.out, session.t
    allocation = run.allocation
    decisions = allocation.decisions
    taken = allocation.seats_taken()
    session.tell(
        f"{run.program.title}: {len(decisions)} pendaftaran, dinilai per "
        f"{run.as_of:%d-%m-%Y}, kebijakan: {allocation.policy.describe().id}",
        f"{run.program.title}: {len(decisions)} applications, judged as of "
        f"{run.as_of:%Y-%m-%d}, policy: {allocation.policy.describe().en}",
    )
    for wave in run.program.waves:
        session.tell(
            f"  Gelombang {wave.number} ({wave.sector}): {taken.get(wave.number, 0)} dari "
            f"{wave.seats} kursi terisi",
            f"  Wave {wave.number} ({wave.sector}): {taken.get(wave.number, 0)} of "
            f"{wave.seats} seats taken",
        )
    waitlist = allocation.waitlist
    refused = allocation.refused
    session.tell(
        f"  Daftar tunggu: {len(waitlist)}; ditolak: {len(refused)}",
        f"  Waitlist: {len(waitlist)}; refused: {len(refused)}",
    )
    summary = _reason_summary(decisions)
    if summary:
        out.print(t("  Alasan (jumlah pendaftaran):", "  Reasons (applications):"))
        for code, count in summary.items():
            out.print(f"    {count:>4}  {code}", markup=False)
    _print_schedule_warnings(session, run.program, indent="  ")


def _print_schedule_warnings(session: Session, program: Program, *, indent: str = "") -> None:
    warnings = program.schedule_warnings()
    if warnings:
        session.out.print(indent + session.t("Peringatan jadwal:", "Schedule warnings:"))
        for warning in warnings:
            session.out.print(f"{indent}  - {warning.text.get(session.lang)}", markup=False)
    else:
        session.out.print(
            indent + session.t("Jadwal: tidak ada peringatan.", "Schedule: no warnings.")
        )


def _load_plan(registry: Registry, plan_file: str | None) -> FollowupPlan | None:
    from umkm_core.adapters.followup_plan import load_followup_plan  # noqa: PLC0415

    if plan_file is None:
        return None
    return load_followup_plan(plan_file, steps=registry.steps.values())


def _load_records(
    session: Session, registry: Registry, records_file: str | None
) -> tuple[StepRecord, ...]:
    from umkm_core.adapters.step_rows import read_step_records  # noqa: PLC0415

    if records_file is None:
        return ()
    report = read_step_records(
        _roster_rows(registry, Path(records_file)), steps=registry.steps.values()
    )
    for refused in report.refused:
        session.err.print(
            session.t(f"Baris {refused.row} ditolak: ", f"Row {refused.row} refused: ")
            + ", ".join(refused.codes),
            markup=False,
        )
    return report.records


def _plan_day(run: _Run, plan: FollowupPlan | None) -> dt.date:
    if plan is not None:
        return plan.starts
    return max(w.end for w in run.program.waves) + dt.timedelta(days=1)


def _pathway_of(registry: Registry, plan: FollowupPlan | None, sector: str) -> Pathway | None:
    if plan is not None:
        return plan.pathway_for(sector)
    if sector in registry.sectors:
        defaults = registry.default_pathways(sector)
        return defaults[0] if defaults else None
    return None


_PlanRow = tuple[str, str | None, str, str, str, dt.date]


def _plan_table(rows: Sequence[_PlanRow]) -> Table:
    from umkm_core.adapters.tables import Column, ColumnType, Table  # noqa: PLC0415

    columns = (
        Column(name="business_id", title=Text("No registrasi", "Business id"), nullable=False),
        Column(name="business_name", title=Text("Nama usaha", "Business name")),
        Column(name="sector", title=Text("Sektor", "Sector"), nullable=False),
        Column(name="pathway", title=Text("Jalur", "Pathway"), nullable=False),
        Column(name="step", title=Text("Langkah", "Step"), nullable=False),
        Column(
            name="planned_on",
            title=Text("Direncanakan", "Planned on"),
            type=ColumnType.DATE,
            nullable=False,
        ),
    )
    return Table(
        name="followup_plan",
        columns=columns,
        rows=list(rows),
        title=Text("Rencana tindak lanjut", "Follow-up plan"),
    )


def _print_followup(
    session: Session,
    registry: Registry,
    run: _Run,
    plan: FollowupPlan | None,
    day: dt.date,
    *,
    business_id: str | None = None,
    records: Sequence[StepRecord] = (),
) -> list[_PlanRow]:
    from umkm_core.followup import expiring, funnel, next_steps  # noqa: PLC0415

    out, t = session.out, session.t
    seated = [run.businesses[b] for b in run.allocation.seated() if b in run.businesses]
    if business_id is not None:
        business = run.businesses.get(business_id)
        if business is None or business not in seated:
            raise UmkmError(
                "cli.not_a_participant",
                field=business_id,
                id="Usaha ini bukan peserta program.",
                en="This business is not a participant of the programme.",
            )
        pathway = _pathway_of(registry, plan, business.sector)
        if pathway is not None:
            answer = next_steps(business, pathway, records, day)
            out.print(answer.explain(session.lang), markup=False)
        return []
    session.tell(
        f"Tindak lanjut {len(seated)} peserta per {day:%d-%m-%Y}:",
        f"Follow-up of {len(seated)} participants as of {day:%Y-%m-%d}:",
    )
    by_sector: dict[str, list[Business]] = {}
    for business in seated:
        by_sector.setdefault(business.sector, []).append(business)
    planned: list[_PlanRow] = []
    for sector, members in sorted(by_sector.items()):
        pathway = _pathway_of(registry, plan, sector)
        if pathway is None:
            out.print(t(f"  {sector}: tidak ada jalur.", f"  {sector}: no pathway."))
            continue
        can_start: dict[str, int] = {}
        blocked: dict[str, int] = {}
        for business in members:
            answer = next_steps(business, pathway, records, day)
            for option in answer.available:
                can_start[option.kind.code] = can_start.get(option.kind.code, 0) + 1
                planned.append(
                    (business.id, business.name, sector, pathway.code, option.kind.code, day)
                )
            for waiting in answer.blocked:
                blocked[waiting.kind.code] = blocked.get(waiting.kind.code, 0) + 1
        steps = " -> ".join(kind.code for kind in pathway.steps)
        session.tell(
            f"  {sector} ({len(members)} usaha), jalur {pathway.code}: {steps}",
            f"  {sector} ({len(members)} businesses), pathway {pathway.code}: {steps}",
        )
        for step, count in sorted(can_start.items()):
            session.tell(f"    bisa mulai sekarang: {step} ({count})",
                         f"    can start now: {step} ({count})")  # fmt: skip
        for step, count in sorted(blocked.items()):
            session.tell(f"    menunggu langkah sebelumnya: {step} ({count})",
                         f"    waiting for earlier steps: {step} ({count})")  # fmt: skip
        ended = (
            max(w.end for w in run.program.waves if w.sector == sector)
            if any(w.sector == sector for w in run.program.waves)
            else None
        )
        cohort = funnel([b.id for b in members], pathway, records, day, start=ended)
        out.print(textwrap.indent(cohort.format(session.lang), "    "), markup=False)
    participants = {b.id for b in seated}
    due = [e for e in expiring(records, dt.timedelta(days=180), day)
           if e.record.business_id in participants]  # fmt: skip
    session.tell(f"Sertifikat yang perlu diperpanjang dalam 180 hari: {len(due)}",
                 f"Certificates due for renewal within 180 days: {len(due)}")  # fmt: skip
    for entry in due:
        record = entry.record
        out.print(
            f"  {record.business_id}  {record.kind.code}  {entry.expires_on:%Y-%m-%d}",
            markup=False,
        )
    return planned


def _demo(session: Session, example: Path, out: Path) -> None:
    """The reference programme end to end; every file goes to ``out``."""
    from umkm_core.adapters.tables import business_register_table  # noqa: PLC0415

    names = ("roster.csv", "applications.csv", "program.toml", "followup.toml")
    files = {name: example / name for name in names}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise UmkmError(
            "cli.example_missing",
            field=str(example),
            id=f"Berkas contoh tidak ada: {', '.join(missing)}. Jalankan dari folder proyek "
            "atau beri --example.",
            en=f"Example files missing: {', '.join(missing)}. Run from the project folder "
            "or pass --example.",
        )
    out.mkdir(parents=True, exist_ok=True)
    registry = _registry()
    t = session.t
    heading = session.out.rule
    office = _office_of(files["program.toml"])

    heading(t("1. Impor roster", "1. Roster import"))
    register = out / "register.jsonl"
    errors = out / "import-errors.csv"
    report = _import_and_report(
        session, registry, files["roster.csv"], office_id=office, out=register, errors=errors
    )

    heading(t("2. Seleksi peserta", "2. Allocation"))
    manifest = _Manifest(
        program=str(files["program.toml"].resolve()),
        register=str(register.resolve()),
        applications=str(files["applications.csv"].resolve()),
    )
    run = _run_allocation(session, manifest)
    manifest.save(out)
    _print_allocation(session, run)
    _print_what_if_schedule(session, run.program)
    refused = run.allocation.refused
    if refused:
        first = refused[0].application.business_id
        session.out.print(t(f"Penjelasan untuk {first}:", f"Explanation for {first}:"))
        session.out.print(
            textwrap.indent(run.allocation.explain(first, session.lang), "  "), markup=False
        )

    heading(t("3. Rencana tindak lanjut 2018", "3. The 2018 follow-up plan"))
    plan = _load_plan(registry, str(files["followup.toml"]))
    planned = _print_followup(session, registry, run, plan, _plan_day(run, plan))

    heading(t("4. Ekspor", "4. Exports"))
    lang = session.lang
    written = _export_decisions(registry, run, out, lang)
    written += _export_everywhere(
        registry, lambda: _plan_table(planned), out, "followup-plan", lang
    )
    written += _export_everywhere(
        registry,
        lambda: business_register_table(run.businesses.values(), on=run.as_of),
        out,
        "business-register",
        lang,
    )
    written += _export_everywhere(
        registry, lambda: _problems_table(report.problems), out, "import-errors", lang
    )
    for path in written:
        session.out.print(f"  {path}", markup=False)
    session.tell(
        f"{len(written)} berkas ditulis ke {out}/ ({', '.join(sorted(registry.exporters))}).",
        f"{len(written)} files written to {out}/ ({', '.join(sorted(registry.exporters))}).",
    )


def _print_what_if_schedule(session: Session, program: Program) -> None:
    """Show what the schedule check says when the fashion wave moves to 25-26 December."""
    last = program.waves[-1]
    shift = dt.date(last.start.year, 12, 25) - last.start
    if shift.days <= 0:
        return
    moved = attrs.evolve(
        last,
        start=last.start + shift,
        end=last.end + shift,
        sessions=tuple(attrs.evolve(s, day=s.day + shift) for s in last.sessions),
    )
    alternative = attrs.evolve(program, waves=(*program.waves[:-1], moved))
    session.tell(
        f"  Andai gelombang {moved.number} pada {moved.start:%d-%m-%Y} s.d. {moved.end:%d-%m-%Y}:",
        f"  If wave {moved.number} ran {moved.start:%Y-%m-%d} to {moved.end:%Y-%m-%d}:",
    )
    for warning in alternative.schedule_warnings():
        session.out.print(f"    - {warning.text.get(session.lang)}", markup=False)


def _office_of(program_file: Path) -> str:
    from umkm_core.adapters.program_file import load_program  # noqa: PLC0415

    return load_program(program_file).office_id


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
    _print_schedule_warnings(session, program)
    session.out.print(session.t("Berkas program sah.", "The programme file is valid."))


def _load_program(path: str) -> Program:
    from umkm_core.adapters.program_file import load_program  # noqa: PLC0415 - keeps start-up light

    return load_program(path, factories=_registry().rules.values())


def _print_program(session: Session, program: Program) -> None:
    out = session.out
    out.print(f"{program.title} ({program.id}, {program.year})", markup=False)
    session.tell(
        f"Jenis: {program.kind.label.id}; kantor: {program.office_id}; kursi: {program.seats}",
        f"Kind: {program.kind.label.en}; office: {program.office_id}; seats: {program.seats}",
    )
    for wave in program.waves:
        times = ""
        if wave.sessions:
            first = wave.sessions[0]
            times = f", {first.start:%H:%M}-{first.end:%H:%M} {first.time_zone}"
        session.tell(
            f"  Gelombang {wave.number}: {wave.sector}, {wave.start:%d-%m-%Y} s.d. "
            f"{wave.end:%d-%m-%Y}, {wave.seats} kursi{times}",
            f"  Wave {wave.number}: {wave.sector}, {wave.start:%Y-%m-%d} to "
            f"{wave.end:%Y-%m-%d}, {wave.seats} seats{times}",
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
