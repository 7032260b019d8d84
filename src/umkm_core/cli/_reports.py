"""Commands people read from: ``umkm audit``, ``umkm report``, ``umkm screen``, ``umkm seat``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import click

from umkm_core.cli._app import Session, cli, common_options, db_option, pass_session
from umkm_core.cli._commands import check_not_input
from umkm_core.cli._seats import which_run
from umkm_core.text import Text

__all__: list[str] = []


@cli.command()
@click.option("--run", "run_dir", type=click.Path(file_okay=False), help="Folder umkm allocate.")
@click.option("--program", "program_id", help="Id program (hasil seleksi terakhirnya).")
@db_option
@common_options
@pass_session
def audit(
    session: Session, run_dir: str | None, program_id: str | None, db_url: str | None
) -> None:
    """Audit keadilan seleksi / the fairness audit of an allocation.

    Per district, sex, size class, sector and plugin attribute: applicants' and seated
    shares, selection rates, the ratio to the best-served group (four-fifths rule), a
    significance test and the rules that refused each group.
    """
    from umkm_core.services import audit_run  # noqa: PLC0415

    store, program, run_id = which_run(session, run_dir, program_id, db_url)
    result = audit_run(store, program_id=program, run_id=run_id, registry=session.registry)
    session.out.print(result.format(session.lang), markup=False)


@cli.command()
@click.option("--run", "run_dir", type=click.Path(file_okay=False), help="Folder umkm allocate.")
@click.option("--program", "program_id", help="Id program.")
@click.option("--plan", "plan_file", type=click.Path(dir_okay=False), help="Rencana .toml.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Tanggal tindak lanjut.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False))
@click.option(
    "--reveal-personal-data",
    is_flag=True,
    help="Jangan samarkan nama pemilik di daftar tunggu / do not mask owner names.",
)
@db_option
@common_options
@pass_session
def report(
    session: Session,
    *,
    run_dir: str | None,
    program_id: str | None,
    plan_file: str | None,
    as_of: dt.datetime | None,
    out_path: str,
    reveal_personal_data: bool,
    db_url: str | None,
) -> None:
    """Laporan program HTML mandiri / the programme's self-contained HTML report.

    Summary, seats by district and wave, applicants and seated by district, sex and size
    class, refusals and waits by reason, the waitlist, the follow-up funnels, renewals
    due and the fairness audit; charts inline, no network request, A4 print styles.
    """
    from umkm_core.services import write_programme_report  # noqa: PLC0415

    store, program, run_id = which_run(session, run_dir, program_id, db_url)
    target = Path(out_path)
    if plan_file is not None:
        check_not_input(target, Path(plan_file))
    with session.working(Text("Menyusun laporan", "Writing the report")):
        written = write_programme_report(
            target,
            store,
            program_id=program,
            run_id=run_id,
            plan=plan_file,
            on=as_of.date() if as_of else None,
            lang=session.lang,
            registry=session.registry,
            reveal_personal_data=reveal_personal_data,
        )
    session.say(Text(f"Laporan ditulis ke {written}", f"Report written to {written}"))


def _program_and_register(command: Callable[..., None]) -> Callable[..., None]:
    """The PROGRAM.toml argument and the ``--register`` Parquet folder of a bulk command."""
    command = click.option(
        "--register",
        "register_path",
        required=True,
        type=click.Path(file_okay=False),
        help="Register Parquet (folder dari umkm export --format parquet).",
    )(command)
    return click.argument("program_file", metavar="PROGRAM.toml", type=click.Path(dir_okay=False))(
        command
    )


@cli.command()
@_program_and_register
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Tanggal penilaian aturan.")
@click.option(
    "--eligible", "eligible_path", type=click.Path(dir_okay=False), help="Berkas id yang lolos."
)
@common_options
@pass_session
def screen(
    session: Session,
    *,
    program_file: str,
    register_path: str,
    as_of: dt.datetime | None,
    eligible_path: str | None,
) -> None:
    """Saring register besar dengan aturan program / screen a large register.

    Judges every business of a Parquet register against the programme's eligibility
    rules in columns, partition by partition (constant memory), with the same reasons as
    `umkm allocate`: counts by reason, and the eligible ids to --eligible.
    """
    from umkm_core.adapters.program_file import load_program_file  # noqa: PLC0415
    from umkm_core.bulk import screen as screen_register  # noqa: PLC0415

    if eligible_path is not None:
        check_not_input(Path(eligible_path), Path(program_file))
    factories = session.registry.rules.values()
    parsed = load_program_file(program_file, factories=factories)
    from umkm_core.bulk import register_partitions  # noqa: PLC0415

    total = len(register_partitions(register_path))
    task = Text("Penyaringan (bagian register)", "Screening (register parts)")
    with session.listener() as listener:
        done = [0]

        def advance(_ids: object) -> None:
            done[0] += 1
            listener.progress(task, done[0], total)

        result = screen_register(
            parsed,
            register_path,
            as_of=as_of.date() if as_of else None,
            factories=factories,
            eligible_to=eligible_path,
            on_eligible=advance,
        )
    session.tell(
        f"{result.rows} usaha disaring per {result.as_of:%d-%m-%Y} ({result.partitions} "
        f"bagian): {result.eligible} lolos, {result.refused} ditolak.",
        f"{result.rows} businesses screened as of {result.as_of:%Y-%m-%d} "
        f"({result.partitions} partitions): {result.eligible} eligible, "
        f"{result.refused} refused.",
    )
    for code, count in result.refused_by_reason.items():
        session.out.print(f"  {count:>9}  {code}", markup=False)
    if result.row_by_row:
        session.tell(
            "Aturan tanpa bentuk kolom (dinilai per baris): " + ", ".join(result.row_by_row),
            "Rules without a columnar form (judged row by row): " + ", ".join(result.row_by_row),
        )
    if result.eligible_path is not None:
        session.say(Text(f"Id yang lolos: {result.eligible_path}",
                         f"Eligible ids: {result.eligible_path}"))  # fmt: skip


@cli.command()
@_program_and_register
@click.option(
    "--applications",
    "applications_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Pendaftaran: Parquet, atau berkas tabel seperti umkm enroll.",
)
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False),
              help="Berkas Parquet keputusan (dengan alasan).")  # fmt: skip
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Tanggal penilaian aturan.")
@common_options
@pass_session
def seat(
    session: Session,
    *,
    program_file: str,
    register_path: str,
    applications_path: str,
    out_path: str,
    as_of: dt.datetime | None,
) -> None:
    """Bagi kursi dari register besar / allocate seats from a large register.

    Decides every application as `umkm allocate` would, judging a Parquet register in
    columns (for a province or the nation, not the office's own record): the decisions
    with every reason go to --out as Parquet; the counts are printed.
    """
    from umkm_core.services.national import allocate_register  # noqa: PLC0415

    out = Path(out_path)
    check_not_input(out, Path(program_file), Path(applications_path))
    result = allocate_register(
        program_file,
        register_path,
        applications_path,
        as_of=as_of.date() if as_of else None,
        registry=session.registry,
    )
    allocation = result.allocation
    written = allocation.write_parquet(out)
    counts = allocation.status_counts()
    session.tell(
        f"{len(allocation)} pendaftaran per {allocation.as_of:%d-%m-%Y}: "
        f"{counts['accepted']} diterima, {counts['waitlisted']} daftar tunggu, "
        f"{counts['refused']} ditolak.",
        f"{len(allocation)} applications as of {allocation.as_of:%Y-%m-%d}: "
        f"{counts['accepted']} accepted, {counts['waitlisted']} waitlisted, "
        f"{counts['refused']} refused.",
    )
    for code, count in allocation.reason_counts().items():
        session.out.print(f"  {count:>9}  {code}", markup=False)
    if result.refused:
        session.tell(
            f"{len(result.refused)} baris pendaftaran tidak terbaca (dilewati).",
            f"{len(result.refused)} application rows could not be read (left out).",
        )
    session.say(Text(f"Keputusan ditulis ke {written}", f"Decisions written to {written}"))
