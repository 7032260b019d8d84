"""Commands about the register and the plugins: import, validate, export, plugins."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table as RichTable

from umkm_core.cli._app import Session, cli, common_options, db_option, pass_session
from umkm_core.errors import UmkmError
from umkm_core.model.business import Business
from umkm_core.model.program import Program
from umkm_core.text import Text

__all__ = ["check_not_input", "load_register", "print_schedule_warnings", "write_register"]


def check_not_input(output: Path, *inputs: Path) -> None:
    """Refuse to write ``output`` over one of the command's inputs (``cli.overwrites_input``)."""
    for source in inputs:
        if output.exists() and source.exists() and output.resolve() == source.resolve():
            raise UmkmError(
                "cli.overwrites_input",
                field=str(output),
                id="Berkas keluaran sama dengan berkas masukan; pilih nama lain dengan --out.",
                en="The output file is the input file; choose another name with --out.",
            )


def write_register(path: Path, businesses: list[Business]) -> None:
    """Write businesses as JSON Lines, whole or not at all, readable by the owner only."""
    from umkm_core.adapters.serialization import dump_jsonl  # noqa: PLC0415
    from umkm_core.files import atomic_write  # noqa: PLC0415

    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path, private=True) as stream:
        dump_jsonl(businesses, stream)


def load_register(session: Session, path: Path, office_id: str | None) -> list[Business]:
    """A register from JSON Lines (``umkm import``'s output) or straight from a roster."""
    from umkm_core.adapters.serialization import load_jsonl  # noqa: PLC0415
    from umkm_core.services import InMemoryStore, import_roster  # noqa: PLC0415

    if path.suffix.lower() == ".jsonl":
        with path.open("rb") as fp:
            return list(load_jsonl(fp, Business))
    store = InMemoryStore()
    import_roster(store, path, by="umkm", registry=session.registry, office_id=office_id)
    with store.unit_of_work(by="umkm") as uow:
        return list(uow.businesses.latest())


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
@click.option(
    "--figures-year",
    type=click.IntRange(1945, 2100),
    help="Tahun angka omzet/aset, bila roster tanpa kolom tahun / year of the figures.",
)
@click.option("--by", "by", default="umkm", show_default=True, help="Siapa yang mengimpor.")
@db_option
@common_options
@pass_session
def import_(
    session: Session,
    *,
    roster: str,
    office_id: str | None,
    out_path: str | None,
    errors_path: str | None,
    kbli_edition: str,
    figures_year: int | None,
    by: str,
    db_url: str | None,
) -> None:
    """Impor roster binaan ke register / import a roster into the register.

    Every row is imported into the office's record (--db) or refused with every problem
    (row, column, code, message); refused rows go to the error report; the register is
    also written as JSON Lines. Imported + refused = rows read. No output is ever written
    over the roster itself.
    """
    from umkm_core.services import import_roster  # noqa: PLC0415

    source = Path(roster)
    if out_path:
        out = Path(out_path)
    elif source.suffix.lower() == ".jsonl":
        out = source.with_name(f"{source.stem}.register.jsonl")
    else:
        out = source.with_suffix(".jsonl")
    errors = Path(errors_path) if errors_path else source.with_suffix(".errors.csv")
    check_not_input(out, source)
    check_not_input(errors, source)
    store = session.store(db_url)
    with session.listener() as listener:
        report = import_roster(
            store,
            source,
            by=by,
            registry=session.registry,
            office_id=office_id,
            kbli_edition=int(kbli_edition),
            figures_year=figures_year,
            listener=listener,
        )
    write_register(out, list(report.businesses))
    _export_problems(session, report.problems, errors)
    print_import(session, report, out, errors)


def _export_problems(session: Session, problems: object, path: Path) -> None:
    from umkm_core.adapters.exchange import ExportOptions, export_table  # noqa: PLC0415
    from umkm_core.adapters.record_tables import problems_table  # noqa: PLC0415

    path.parent.mkdir(parents=True, exist_ok=True)
    export_table(
        problems_table(problems),  # type: ignore[arg-type]
        path,
        session.registry.exporter_for(path),
        options=ExportOptions(lang=session.lang, delimiter=";"),
    )


def print_import(session: Session, report: object, out: Path, errors: Path) -> None:
    """The import's counts, problems by code, and where the files went."""
    from umkm_core.adapters.roster import ImportReport  # noqa: PLC0415

    assert isinstance(report, ImportReport)
    session.tell(
        f"Roster: {report.rows_read} baris dibaca, {report.imported} diimpor, "
        f"{report.refused_count} ditolak.",
        f"Roster: {report.rows_read} rows read, {report.imported} imported, "
        f"{report.refused_count} refused.",
    )
    for code, count in report.problem_counts().items():
        session.out.print(f"  {count:>5}  {code}", markup=False)
    if report.ignored_columns:
        session.tell(
            f"Kolom diabaikan: {len(report.ignored_columns)} (bukan kolom roster).",
            f"Columns ignored: {len(report.ignored_columns)} (not known as roster columns).",
        )
    session.tell(
        f"Register: {out}; laporan penolakan: {errors}",
        f"Register: {out}; refusal report: {errors}",
    )


@cli.command()
@click.argument("program_file", metavar="PROGRAM.toml", type=click.Path(dir_okay=False))
@common_options
@pass_session
def validate(session: Session, program_file: str) -> None:
    """Periksa berkas program / check a programme file.

    Prints the programme, its waves and rules, and schedule warnings (weekends, public
    holidays, cuti bersama, venue clashes). Exits with 1 when the file has problems.
    """
    from umkm_core.adapters.program_file import load_program  # noqa: PLC0415

    registry = session.registry
    program = load_program(
        program_file,
        factories=registry.rules.values(),
        sectors=registry.sectors,
        steps=registry.steps,
    )
    print_program(session, program)
    print_schedule_warnings(session, program)
    session.out.print(session.t("Berkas program sah.", "The programme file is valid."))


def print_program(session: Session, program: Program) -> None:
    """A programme's waves and rules."""
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


def print_schedule_warnings(session: Session, program: Program, *, indent: str = "") -> None:
    """Weekends, holidays, cuti bersama and venue clashes of a programme's sessions."""
    warnings = program.schedule_warnings()
    if warnings:
        session.out.print(indent + session.t("Peringatan jadwal:", "Schedule warnings:"))
        for warning in warnings:
            session.out.print(f"{indent}  - {warning.text.get(session.lang)}", markup=False)
    else:
        session.out.print(
            indent + session.t("Jadwal: tidak ada peringatan.", "Schedule: no warnings.")
        )


@cli.command()
@click.option(
    "--format",
    "format_code",
    required=True,
    help="Kode format ekspor terdaftar (lihat umkm plugins), atau parquet (folder per "
    "wilayah untuk umkm screen) / a registered export format, or parquet.",
)
@click.option(
    "--register",
    "register_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Register .jsonl atau roster .csv/.xlsx.",
)
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False))
@click.option("--office", "office_id", metavar="ID", help="Untuk roster .csv/.xlsx.")
@click.option(
    "--reveal-personal-data",
    is_flag=True,
    help="Jangan samarkan NIK, telepon, nama pemilik / do not mask personal data.",
)
@common_options
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

    source, target = Path(register_path), Path(out_path)
    check_not_input(target, source)
    if format_code == "parquet":
        _export_parquet(session, load_register(session, source, office_id), target)
        return
    exporter = session.registry.exporter(format_code)
    businesses = load_register(session, source, office_id)
    result = export_table(
        business_register_table(businesses),
        target,
        exporter,
        reveal_personal_data=reveal_personal_data,
        options=ExportOptions(lang=session.lang, delimiter=";"),
    )
    session.tell(
        f"{result.rows} usaha ditulis ke {result.path} ({result.exporter}).",
        f"{result.rows} businesses written to {result.path} ({result.exporter}).",
    )


#: How ``umkm plugins`` says a plugin's source and status.
_PLUGIN_WORDS = {
    "builtin": Text("bawaan", "built-in"),
    "entry point": Text("paket terpasang", "installed package"),
    "explicit": Text("eksplisit", "explicit"),
    "active": Text("aktif", "active"),
    "blocked": Text("diblokir", "blocked"),
    "failed": Text("gagal", "failed"),
}


def _export_parquet(session: Session, businesses: list[Business], target: Path) -> None:
    """The register as partitioned Parquet columns (a folder), for ``umkm screen``."""
    from umkm_core.bulk import write_register_parquet  # noqa: PLC0415 - the bulk extra

    written = write_register_parquet(businesses, target)
    parts = len(written.partitions)
    session.tell(
        f"{written.rows} usaha ditulis ke {target}/ ({parts} bagian per wilayah).",
        f"{written.rows} businesses written to {target}/ ({parts} region parts).",
    )


@cli.command()
@common_options
@pass_session
def plugins(session: Session) -> None:
    """Plugin yang dimuat, dari paket mana, dan yang gagal / loaded plugins.

    Lists every plugin even when two of them register the same code: each clash is
    marked and reported (and the command exits with 1, as every other command refuses
    to run until one of the two is blocked).
    """
    from umkm_core._plugins import load_registry  # noqa: PLC0415

    registry = load_registry(strict=False)
    clashing = {p.plugin for p in registry.problems if p.code == "plugin.duplicate_code"}
    table = RichTable(box=None, pad_edge=False, expand=False)
    for header in session.t(
        "Plugin,Sumber,Status,Paket,Mendaftarkan", "Plugin,Source,Status,Package,Registers"
    ).split(","):
        # Names and codes are never cut: the plugin name stays whole, long lists fold.
        table.add_column(header, no_wrap=header == "Plugin", overflow="fold")
    for info in registry.plugins:
        package = f"{info.distribution} {info.version}" if info.distribution else "-"
        registered = "; ".join(
            f"{hook.removeprefix('umkm_')}: {', '.join(codes)}"
            for hook, codes in sorted(info.registered.items())
            if codes
        )
        status = _PLUGIN_WORDS[info.status].get(session.lang) + (
            session.t(" (bentrok)", " (clash)") if info.name in clashing else ""
        )
        source = _PLUGIN_WORDS[info.source].get(session.lang)
        table.add_row(info.name, source, status, package, registered or "-")
    session.out.print(table)
    if registry.problems:
        session.out.print(session.t("Masalah plugin:", "Plugin problems:"))
        for problem in registry.problems:
            session.out.print(
                f"  - {problem.plugin} [{problem.code}, {problem.stage}]: {problem.reason}",
                markup=False,
            )
    else:
        session.say(Text("Tidak ada masalah plugin.", "No plugin problems."))
    if clashing:
        raise UmkmError(
            "plugin.duplicate_code",
            field="plugins",
            id="Dua plugin mendaftarkan kode yang sama; blokir salah satunya "
            "(UMKM_DISABLED_PLUGINS).",
            en="Two plugins register the same code; block one of them (UMKM_DISABLED_PLUGINS).",
        )
