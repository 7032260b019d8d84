"""Commands about seats and their follow-up: allocate, explain, enroll, history, followup.

The record (``--db``) is where decisions live; ``umkm allocate --out DIR`` also writes
an export of the run to a folder (the decisions in every format and ``run.json``, which
names the run), replaced as one unit.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import click

from umkm_core.cli._app import Session, cli, common_options, db_option, pass_session
from umkm_core.cli._commands import check_not_input, load_register, print_schedule_warnings
from umkm_core.errors import UmkmError
from umkm_core.text import Text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from umkm_core.adapters.record_tables import PlannedStep
    from umkm_core.adapters.roster import RefusedRow
    from umkm_core.services import AllocationOutcome, FollowupOverview
    from umkm_core.store import Store

__all__ = [
    "RunFolder",
    "absolute_url",
    "print_allocation",
    "print_followup",
    "print_refused_rows",
    "which_run",
]


class RunFolder:
    """The export of a run in a folder: ``run.json`` names the database and the run."""

    NAME = "run.json"

    @staticmethod
    def write(
        session: Session, folder: Path, outcome: AllocationOutcome, store: Store, db: str | None
    ) -> tuple[Path, ...]:
        """Write the run's files into a new folder and swap it in as one unit."""
        from umkm_core.adapters.record_tables import decisions_table  # noqa: PLC0415
        from umkm_core.services.exports import export_everywhere  # noqa: PLC0415

        run = outcome.run
        with store.unit_of_work(by="umkm") as uow:
            businesses = {
                b: v.business for b in run.business_versions if (v := uow.businesses.get(b))
            }
        folder = folder.resolve()
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        try:
            summary = export_everywhere(
                session.registry,
                lambda: decisions_table(run, businesses),
                staging,
                "decisions",
                lang=session.lang,
            )
            from umkm_core.adapters.sql import database_url  # noqa: PLC0415

            manifest = {
                "schema": 1,
                "run_id": run.run_id,
                "program_id": run.program_id,
                "db": absolute_url(database_url(db)),
            }
            (staging / RunFolder.NAME).write_text(
                json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            old = folder.with_name(f".{folder.name}.old")
            if folder.exists():
                folder.rename(old)
            staging.rename(folder)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        session.report_exports(
            type(summary)(
                written=tuple(folder / p.name for p in summary.written),
                failed=summary.failed,
            )
        )
        return tuple(folder / p.name for p in summary.written)

    @staticmethod
    def read(folder: Path) -> dict[str, str]:
        """``run.json`` of a run folder."""
        path = folder / RunFolder.NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("run_id"), str):
                raise ValueError(path)
            return {k: v for k, v in data.items() if isinstance(v, str)}
        except (OSError, ValueError):
            raise UmkmError(
                "cli.bad_run",
                field=str(path),
                id="run.json tidak ada atau rusak; jalankan umkm allocate lagi.",
                en="run.json is missing or damaged; run umkm allocate again.",
            ) from None


def print_refused_rows(session: Session, refused: Sequence[RefusedRow]) -> None:
    """Every refused row with each problem in the session's language, and its code."""
    for row in refused:
        for problem in row.problems:
            where = f" ({problem.column})" if problem.column else ""
            session.warn(
                Text(
                    f"  Baris {row.row}{where} ditolak: {problem.message.id} [{problem.code}]",
                    f"  Row {row.row}{where} refused: {problem.message.en} [{problem.code}]",
                )
            )


def absolute_url(url: str) -> str:
    """A SQLite URL with a relative path made absolute (so a run folder finds its record)."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/"):
        return prefix + str(Path(url.removeprefix(prefix)).resolve())
    return url


def which_run(
    session: Session, run_dir: str | None, program: str | None, db: str | None
) -> tuple[Store, str | None, str | None]:
    """The store, program id and run id named by ``--run`` or ``--program``."""
    if run_dir is not None:
        manifest = RunFolder.read(Path(run_dir))
        return session.store(db or manifest.get("db")), manifest.get("program_id"), manifest[
            "run_id"]  # fmt: skip
    if program is None:
        raise click.UsageError(session.t("Beri --run atau --program.", "Give --run or --program."))
    return session.store(db), program, None


@cli.command()
@click.argument("program_file", metavar="PROGRAM.toml", type=click.Path(dir_okay=False))
@click.option(
    "--applications",
    "applications_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Pendaftaran .csv/.xlsx: no_registrasi, waktu_daftar, gelombang.",
)
@click.option(
    "--register",
    "register_path",
    type=click.Path(dir_okay=False),
    help="Register .jsonl (dari umkm import) atau roster .csv/.xlsx, dicatat dulu.",
)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Folder ekspor hasil.")
@click.option("--office", "office_id", metavar="ID", help="Untuk roster .csv/.xlsx.")
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Tanggal penilaian aturan (bawaan: [allocation] as_of, atau hari pertama).",
)
@click.option("--replace", is_flag=True, help="Seleksi ulang walau daftar peserta sudah diubah.")
@click.option("--by", default="umkm", show_default=True, help="Siapa yang menjalankan.")
@db_option
@common_options
@pass_session
def allocate(
    session: Session,
    *,
    program_file: str,
    applications_path: str,
    register_path: str | None,
    out_dir: str | None,
    office_id: str | None,
    as_of: dt.datetime | None,
    replace: bool,
    by: str,
    db_url: str | None,
) -> None:
    """Tentukan peserta tiap gelombang, dengan alasan / allocate seats with reasons.

    Registers the programme, records the applications (and the register, when given),
    allocates and records the run in the office's record (--db): every application
    accepted with its wave, waitlisted with its position, or refused with every rule it
    fails. With --out, writes the decisions in every registered format and run.json.
    """
    from umkm_core.services import (  # noqa: PLC0415
        allocate_programme,
        record_applications,
        register_programme,
    )

    if out_dir is not None:
        for source in (program_file, applications_path, register_path):
            if source is not None:
                check_not_input(Path(out_dir), Path(source))
    store = session.store(db_url)
    registry = session.registry
    if register_path is not None:
        businesses = load_register(session, Path(register_path), office_id)
        with store.unit_of_work(by=by) as uow:
            for business in businesses:
                uow.businesses.add(business)
            uow.commit()
    record = register_programme(store, program_file, by=by, registry=registry)
    recorded = record_applications(
        store, record.program_id, applications_path, by=by, registry=registry
    )
    print_refused_rows(session, recorded.report.refused)
    with session.working(Text("Seleksi peserta", "Allocating seats")):
        outcome = allocate_programme(
            store,
            record.program_id,
            by=by,
            registry=registry,
            as_of=as_of.date() if as_of else None,
            replace_roster=replace,
        )
    print_allocation(session, outcome)
    if out_dir is not None:
        session.out.print(session.t("Keputusan ditulis ke:", "Decisions written to:"))
        RunFolder.write(session, Path(out_dir), outcome, store, db_url)


def _reason_summary(outcome: AllocationOutcome) -> dict[str, int]:
    counts: dict[str, int] = {}
    for decision in outcome.run.decisions:
        for code in sorted({r.code for r in decision.reasons}):
            counts[code] = counts.get(code, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def print_allocation(session: Session, outcome: AllocationOutcome) -> None:
    """Seats per wave, waitlist, refusals and the reasons, and schedule warnings."""
    allocation, run = outcome.allocation, outcome.run
    program = allocation.program
    taken = allocation.seats_taken()
    policy = allocation.policy.describe()
    session.tell(
        f"{program.title}: {len(run.decisions)} pendaftaran, dinilai per "
        f"{run.as_of:%d-%m-%Y}, kebijakan: {policy.id}",
        f"{program.title}: {len(run.decisions)} applications, judged as of "
        f"{run.as_of:%Y-%m-%d}, policy: {policy.en}",
    )
    for wave in program.waves:
        session.tell(
            f"  Gelombang {wave.number} ({wave.sector}): {taken.get(wave.number, 0)} dari "
            f"{wave.seats} kursi terisi",
            f"  Wave {wave.number} ({wave.sector}): {taken.get(wave.number, 0)} of "
            f"{wave.seats} seats taken",
        )
    counts = run.counts()
    session.tell(
        f"  Daftar tunggu: {counts['waitlisted']}; ditolak: {counts['refused']}",
        f"  Waitlist: {counts['waitlisted']}; refused: {counts['refused']}",
    )
    summary = _reason_summary(outcome)
    if summary:
        session.out.print(session.t("  Alasan (jumlah pendaftaran):", "  Reasons (applications):"))
        for code, count in summary.items():
            session.out.print(f"    {count:>4}  {code}", markup=False)
    session.tell(f"  Hasil seleksi tercatat: {run.run_id}", f"  Run recorded: {run.run_id}")
    print_schedule_warnings(session, program, indent="  ")


@cli.command()
@click.argument("business_id")
@click.option("--run", "run_dir", type=click.Path(file_okay=False), help="Folder umkm allocate.")
@click.option("--program", "program_id", help="Id program (hasil seleksi terakhirnya).")
@db_option
@common_options
@pass_session
def explain(
    session: Session,
    business_id: str,
    run_dir: str | None,
    program_id: str | None,
    db_url: str | None,
) -> None:
    """Jelaskan keputusan untuk satu usaha / explain the decision for one business.

    Read from the recorded run: a file changed since then changes nothing decided, and
    is reported.
    """
    from umkm_core.services import explain as explain_decision  # noqa: PLC0415

    store, program, run_id = which_run(session, run_dir, program_id, db_url)
    answer = explain_decision(store, business_id, program_id=program, run_id=run_id)
    session.out.print(answer.format(session.lang), markup=False)


@cli.group()
def enroll() -> None:
    """Ubah kursi peserta / change a participant's seat (confirm, withdraw, ...)."""


def _enroll_command(name: str, help_text: str) -> None:
    @enroll.command(name=name, help=help_text)
    @click.argument("program_id")
    @click.argument("business_id")
    @click.option("--wave", type=int, help="Gelombang, bila usaha memegang beberapa kursi.")
    @click.option("--day", type=click.DateTime(["%Y-%m-%d"]), help="Hari hadir (untuk attend).")
    @click.option("--by", default="umkm", show_default=True, help="Siapa yang mencatat.")
    @db_option
    @common_options
    @pass_session
    def command(
        session: Session,
        *,
        program_id: str,
        business_id: str,
        wave: int | None,
        day: dt.datetime | None,
        by: str,
        db_url: str | None,
    ) -> None:
        from umkm_core import services  # noqa: PLC0415

        store = session.store(db_url)
        common = {"by": by, "wave": wave, "registry": session.registry}
        if name == "attend":
            if day is None:
                raise click.UsageError(session.t("attend perlu --day.", "attend needs --day."))
            change = services.attend(store, program_id, business_id, day.date(), **common)  # type: ignore[arg-type]
        else:
            operation = {
                "confirm": services.confirm,
                "withdraw": services.withdraw,
                "complete": services.complete,
                "no-show": services.no_show,
            }[name]
            change = operation(store, program_id, business_id, **common)  # type: ignore[arg-type]
        for event in change.events:
            session.out.print(f"{event.business_id}: {event.text.get(session.lang)}", markup=False)


for _name, _help in (
    ("confirm", "Usaha mengonfirmasi kursinya / the business confirms its seat."),
    ("withdraw", "Usaha mundur; kursi diberikan ke daftar tunggu / withdraw, promoting the next."),
    ("attend", "Catat kehadiran pada --day / record attendance on --day."),
    ("complete", "Catat usaha menyelesaikan program / record completion."),
    ("no-show", "Usaha terkonfirmasi tidak datang / a confirmed business never came."),
):
    _enroll_command(_name, _help)


@cli.command()
@click.argument("business_id")
@db_option
@common_options
@pass_session
def history(session: Session, business_id: str, db_url: str | None) -> None:
    """Riwayat satu usaha di semua program / a business's history across programmes."""
    from umkm_core.services import business_history  # noqa: PLC0415

    entries = business_history(session.store(db_url), business_id)
    if not entries:
        session.say(Text("Tidak ada catatan untuk usaha ini.", "Nothing is recorded for it."))
    for entry in entries:
        where = f" [{entry.program_id}]" if entry.program_id else ""
        first, *rest = entry.text.get(session.lang).splitlines() or [""]
        session.out.print(
            f"{entry.at:%Y-%m-%d %H:%M %Z}  {entry.what}{where}: {first}", markup=False
        )
        for line in rest:
            session.out.print(f"    {line}", markup=False)


@cli.command()
@click.option("--run", "run_dir", type=click.Path(file_okay=False), help="Folder umkm allocate.")
@click.option("--program", "program_id", help="Id program.")
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
    help="Kemajuan sertifikasi .csv/.xlsx, dicatat dulu: no_registrasi, langkah, status...",
)
@click.option("--business", "business_id", help="Rincian langkah satu usaha.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="Berkas rencana.")
@click.option("--by", default="umkm", show_default=True, help="Siapa yang mencatat.")
@db_option
@common_options
@pass_session
def followup(
    session: Session,
    *,
    run_dir: str | None,
    program_id: str | None,
    plan_file: str | None,
    as_of: dt.datetime | None,
    records_file: str | None,
    business_id: str | None,
    out_path: str | None,
    by: str,
    db_url: str | None,
) -> None:
    """Langkah lanjutan peserta: yang bisa dimulai, yang tertahan, funnel / follow-up.

    For every seated participant: the steps of its sector's pathway it can start now and
    why the others are blocked, certificates due for renewal within 180 days, and the
    cohort funnel, taking the progress recorded (and that in RECORDS) into account. The
    plan is written to --out (default: RUN/followup-plan.csv with --run).
    """
    from umkm_core.adapters.exchange import ExportOptions, export_table  # noqa: PLC0415
    from umkm_core.adapters.record_tables import plan_table  # noqa: PLC0415
    from umkm_core.services import plan_followup, record_progress  # noqa: PLC0415

    store, program, _ = which_run(session, run_dir, program_id, db_url)
    assert program is not None
    registry = session.registry
    if records_file is not None:
        report = record_progress(store, records_file, by=by, registry=registry)
        print_refused_rows(session, report.refused)
    overview = plan_followup(
        store,
        program,
        plan=plan_file,
        on=as_of.date() if as_of else None,
        registry=registry,
    )
    if business_id is not None:
        _print_one(session, overview, business_id)
        return
    rows = print_followup(session, overview)
    target = Path(out_path) if out_path else (Path(run_dir) / "followup-plan.csv" if run_dir
                                               else None)  # fmt: skip
    if target is not None:
        export_table(
            plan_table(rows),
            target,
            registry.exporter_for(target),
            options=ExportOptions(lang=session.lang, delimiter=";"),
        )
        session.tell(f"Rencana ditulis ke {target}", f"Plan written to {target}")


def _print_one(session: Session, overview: FollowupOverview, business_id: str) -> None:
    for plan in overview.sectors:
        for answer in plan.next_steps:
            if answer.business_id == business_id:
                session.out.print(answer.explain(session.lang), markup=False)
                return
    raise UmkmError(
        "cli.not_a_participant",
        field=business_id,
        id="Usaha ini bukan peserta program.",
        en="This business is not a participant of the programme.",
    )


def print_followup(session: Session, overview: FollowupOverview) -> list[PlannedStep]:
    """The follow-up per sector: who can start what, who waits, the funnel, renewals due."""
    out, t, day = session.out, session.t, overview.on
    session.tell(
        f"Tindak lanjut {overview.participants} peserta per {day:%d-%m-%Y}:",
        f"Follow-up of {overview.participants} participants as of {day:%Y-%m-%d}:",
    )
    planned: list[PlannedStep] = []
    for plan in overview.sectors:
        if plan.pathway is None:
            out.print(t(f"  {plan.sector}: tidak ada jalur.", f"  {plan.sector}: no pathway."))
            continue
        can_start: dict[str, int] = {}
        blocked: dict[str, int] = {}
        names = {b.id: b.name for b in plan.participants}
        for answer in plan.next_steps:
            for option in answer.available:
                can_start[option.kind.code] = can_start.get(option.kind.code, 0) + 1
                planned.append((answer.business_id, names.get(answer.business_id), plan.sector,
                                plan.pathway.code, option.kind.code, day))  # fmt: skip
            for waiting in answer.blocked:
                blocked[waiting.kind.code] = blocked.get(waiting.kind.code, 0) + 1
        steps = " -> ".join(kind.code for kind in plan.pathway.steps)
        n = len(plan.participants)
        session.tell(
            f"  {plan.sector} ({n} usaha), jalur {plan.pathway.code}: {steps}",
            f"  {plan.sector} ({n} businesses), pathway {plan.pathway.code}: {steps}",
        )
        for step, count in sorted(can_start.items()):
            session.tell(f"    bisa mulai sekarang: {step} ({count})",
                         f"    can start now: {step} ({count})")  # fmt: skip
        for step, count in sorted(blocked.items()):
            session.tell(f"    menunggu langkah sebelumnya: {step} ({count})",
                         f"    waiting for earlier steps: {step} ({count})")  # fmt: skip
        if plan.funnel is not None:
            out.print(textwrap.indent(plan.funnel.format(session.lang), "    "), markup=False)
    session.tell(f"Sertifikat yang perlu diperpanjang dalam 180 hari: {len(overview.due)}",
                 f"Certificates due for renewal within 180 days: {len(overview.due)}")  # fmt: skip
    for entry in overview.due:
        record = entry.record
        out.print(
            f"  {record.business_id}  {record.kind.code}  {entry.expires_on:%Y-%m-%d}",
            markup=False,
        )
    return planned
