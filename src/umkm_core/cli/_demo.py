"""``umkm demo``: the reference programme of Kota Tangerang, end to end, from any folder."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import click

from umkm_core.cli._app import Session, cli, common_options, pass_session
from umkm_core.cli._commands import print_import, write_register
from umkm_core.cli._seats import RunFolder, print_allocation, print_followup
from umkm_core.errors import UmkmError
from umkm_core.model.program import Program

if TYPE_CHECKING:
    from umkm_core.adapters.record_tables import PlannedStep
    from umkm_core.services import AllocationOutcome
    from umkm_core.services.exports import ExportSummary
    from umkm_core.store import Store

__all__ = ["DEMO_AT", "DEMO_RUN_ID"]

#: The time the demo's records carry: the day registration closed, 09:00 WIB.
DEMO_AT = dt.datetime(2017, 12, 8, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
#: The demo's run id (fixed, so its output is the same every time).
DEMO_RUN_ID = "tng-2017-pud-demo"
_BY = "demo"


@cli.command()
@click.option(
    "--example",
    "example_dir",
    type=click.Path(file_okay=False),
    help="Folder contoh (bawaan: examples/tangerang-2017 bila ada, atau dibuat di OUT).",
)
@click.option(
    "--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False)
)
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    help="Basis data demo (bawaan: sqlite:///OUT/umkm.db, dibuat baru setiap kali).",
)
@common_options
@pass_session
def demo(session: Session, example_dir: str | None, out_dir: str, db_url: str | None) -> None:
    """Program Kota Tangerang 2017 dari awal sampai akhir / the reference programme.

    Imports the roster into the office's record, allocates the 160 seats with reasons,
    withdraws one participant (the next on the waitlist is promoted), plans the 2018
    follow-up, shows one participant's history and writes every registered export format
    to OUT.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    example = _example(session, example_dir, out)
    url = db_url or _fresh_database(out)
    _run(session, example, out, url)


def _example(session: Session, example_dir: str | None, out: Path) -> Path:
    from umkm_core.examples import TANGERANG_2017_FILES, write_tangerang_2017  # noqa: PLC0415

    if example_dir is None:
        here = Path("examples/tangerang-2017")
        if all((here / name).is_file() for name in TANGERANG_2017_FILES):
            return here
        folder = out / "example"
        write_tangerang_2017(folder)
        session.tell(f"Berkas contoh ditulis ke {folder}/", f"Example files written to {folder}/")
        return folder
    example = Path(example_dir)
    missing = [str(example / n) for n in TANGERANG_2017_FILES if not (example / n).is_file()]
    if missing:
        raise UmkmError(
            "cli.example_missing",
            field=str(example),
            id=f"Berkas contoh tidak ada: {', '.join(missing)}. Tanpa --example, umkm demo "
            "menulis contohnya sendiri.",
            en=f"Example files missing: {', '.join(missing)}. Without --example, umkm demo "
            "writes its own.",
        )
    return example


def _fresh_database(out: Path) -> str:
    """A new SQLite database in ``out`` (the demo's own output, made anew each run)."""
    database = (out / "umkm.db").resolve()
    for suffix in ("", "-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    return f"sqlite:///{database}"


def _run(session: Session, example: Path, out: Path, url: str) -> None:
    from umkm_core import services  # noqa: PLC0415
    from umkm_core.adapters.record_tables import problems_table  # noqa: PLC0415
    from umkm_core.services.exports import export_everywhere  # noqa: PLC0415

    registry = session.registry
    store = session.store(url)
    t, heading, lang = session.t, session.out.rule, session.lang
    files = {name: example / name for name in ("roster.csv", "applications.csv")}
    programme = example / "program.toml"

    heading(t("1. Impor roster", "1. Roster import"))
    office = services.register_programme(
        store, programme, by=_BY, at=DEMO_AT, registry=registry
    ).office_id
    with session.listener() as listener:
        report = services.import_roster(
            store, files["roster.csv"], by=_BY, at=DEMO_AT, registry=registry,
            office_id=office, listener=listener,
        )  # fmt: skip
    register = out / "register.jsonl"
    write_register(register, list(report.businesses))
    errors_summary = export_everywhere(
        registry, lambda: problems_table(report.problems), out, "import-errors", lang=lang
    )
    print_import(session, report, register, out / "import-errors.csv")

    heading(t("2. Seleksi peserta", "2. Allocation"))
    services.record_applications(
        store, "tng-2017-pud", files["applications.csv"], by=_BY, at=DEMO_AT, registry=registry
    )
    outcome = services.allocate_programme(
        store, "tng-2017-pud", by=_BY, at=DEMO_AT, registry=registry, run_id=DEMO_RUN_ID
    )
    print_allocation(session, outcome)
    _print_what_if_schedule(session, outcome.allocation.program)
    run = outcome.run
    refused = next((d for d in run.decisions if d.status == "refused"), None)
    if refused is not None:
        answer = services.explain(store, refused.business_id, program_id=run.program_id)
        session.out.print(t(f"Penjelasan untuk {refused.business_id}:",
                            f"Explanation for {refused.business_id}:"))  # fmt: skip
        session.out.print(textwrap.indent(answer.format(lang), "  "), markup=False)
    seated = next(d for d in run.decisions if d.status == "accepted")
    change = services.withdraw(
        store, run.program_id, seated.business_id, by="petugas-1",
        at=DEMO_AT + dt.timedelta(days=3), registry=registry,
    )  # fmt: skip
    for event in change.events:
        session.out.print(f"  {event.business_id}: {event.text.get(lang)}", markup=False)

    heading(t("3. Rencana tindak lanjut 2018", "3. The 2018 follow-up plan"))
    overview = services.plan_followup(
        store, run.program_id, plan=example / "followup.toml", registry=registry
    )
    planned = print_followup(session, overview)
    promoted = next((e.business_id for e in change.events if e.what == "promoted"), None)
    if promoted is not None:
        session.out.print(t(f"Riwayat {promoted}:", f"History of {promoted}:"))
        for entry in services.business_history(store, promoted):
            first = entry.text.get(lang).splitlines()[0]
            session.out.print(f"  {entry.at:%Y-%m-%d %H:%M}  {entry.what}: {first}", markup=False)

    heading(t("4. Audit keadilan", "4. Fairness audit"))
    _audit_and_report(session, store, run.program_id, example, out)

    heading(t("5. Ekspor", "5. Exports"))
    _exports(
        session, store, outcome=outcome, planned=planned, errors_summary=errors_summary,
        out=out, url=url,
    )  # fmt: skip


def _exports(
    session: Session,
    store: Store,
    *,
    outcome: AllocationOutcome,
    planned: list[PlannedStep],
    errors_summary: ExportSummary,
    out: Path,
    url: str,
) -> None:
    from umkm_core.adapters.record_tables import plan_table  # noqa: PLC0415
    from umkm_core.adapters.tables import business_register_table  # noqa: PLC0415
    from umkm_core.services.exports import ExportSummary, export_everywhere  # noqa: PLC0415

    registry, lang, run = session.registry, session.lang, outcome.run
    run_files = RunFolder.write(session, out / "run", outcome, store, url)
    with store.unit_of_work(by=_BY) as uow:
        businesses = list(uow.businesses.latest())
    summaries = [
        export_everywhere(registry, lambda: plan_table(planned), out, "followup-plan", lang=lang),
        export_everywhere(
            registry,
            lambda: business_register_table(businesses, on=run.as_of),
            out,
            "business-register",
            lang=lang,
        ),
        errors_summary,
    ]
    decisions = tuple(p for p in run_files if p.name.startswith("decisions"))
    written = list(decisions)
    for summary in summaries:
        written += summary.written
    session.report_exports(
        ExportSummary(
            written=tuple(written[len(decisions) :]),
            failed=tuple(f for s in summaries for f in s.failed),
        )
    )
    session.tell(
        f"{len(written)} berkas ditulis ke {out}/ ({', '.join(sorted(registry.exporters))}); "
        f"catatan kantor: {url}",
        f"{len(written)} files written to {out}/ ({', '.join(sorted(registry.exporters))}); "
        f"the office's record: {url}",
    )


def _audit_and_report(
    session: Session, store: Store, program_id: str, example: Path, out: Path
) -> None:
    from umkm_core import services  # noqa: PLC0415

    registry, lang = session.registry, session.lang
    fairness = services.audit_run(store, program_id=program_id, registry=registry)
    session.out.print(fairness.format(lang), markup=False)
    path = services.write_programme_report(
        out / "report.html", store, program_id=program_id,
        plan=example / "followup.toml", lang=lang, registry=registry,
    )  # fmt: skip
    session.tell(f"Laporan program: {path}", f"Programme report: {path}")


def _print_what_if_schedule(session: Session, program: Program) -> None:
    """Show what the schedule check says when the last wave moves to 25-26 December."""
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
