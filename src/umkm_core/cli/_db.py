"""``umkm db``: the office's database: its schema and the audit trail; ``umkm erase``."""

from __future__ import annotations

import click

from umkm_core.cli._app import Session, cli, common_options, db_option, pass_session
from umkm_core.errors import UmkmError
from umkm_core.text import Text

__all__: list[str] = []


@cli.group()
def db() -> None:
    """Basis data kantor: skema dan jejak audit / the office's database."""


def _url(db_url: str | None) -> str:
    from umkm_core.adapters.sql import database_url  # noqa: PLC0415

    return database_url(db_url)


@db.command()
@db_option
@common_options
@pass_session
def status(session: Session, db_url: str | None) -> None:
    """Versi skema basis data / the schema version of the database."""
    from umkm_core.adapters.sql import status as schema_status  # noqa: PLC0415

    found = schema_status(_url(db_url))
    session.out.print(found.text, markup=False)
    if found.state != "current":
        raise UmkmError(
            f"store.schema_{found.state}",
            field="db",
            id="Basis data belum siap dipakai versi ini; lihat pesan di atas.",
            en="The database is not ready for this version; see above.",
        )


@db.command()
@db_option
@common_options
@pass_session
def upgrade(session: Session, db_url: str | None) -> None:
    """Bawa skema ke versi ini (buat bila belum ada) / bring the schema up to date."""
    from umkm_core.adapters.sql import upgrade as schema_upgrade  # noqa: PLC0415

    done = schema_upgrade(_url(db_url))
    session.say(Text(f"{done.url}: skema {done.head}.", f"{done.url}: schema {done.head}."))


@db.command()
@db_option
@common_options
@pass_session
def verify(session: Session, db_url: str | None) -> None:
    """Periksa rantai jejak audit / check the audit trail's hash chain.

    Exits with 1 when an entry was edited, removed or relinked.
    """
    from umkm_core.adapters.sql import verify as verify_chain  # noqa: PLC0415

    breaks = verify_chain(_url(db_url))
    if not breaks:
        session.say(Text("Jejak audit utuh.", "The audit trail is intact."))
        return
    for found in breaks:
        session.warn(
            Text(f"  - {found.text.id} [{found.code}]", f"  - {found.text.en} [{found.code}]")
        )
    raise UmkmError(
        "audit.broken",
        field="db",
        id=f"Jejak audit rusak di {len(breaks)} tempat.",
        en=f"The audit trail is broken in {len(breaks)} places.",
    )


@cli.command()
@click.argument("business_id")
@click.option("--by", required=True, help="Siapa yang menghapus (dicatat di jejak audit).")
@db_option
@common_options
@pass_session
def erase(session: Session, business_id: str, by: str, db_url: str | None) -> None:
    """Hapus data pribadi pemilik usaha (UU 27/2022) / erase the owner's personal data.

    Replaces the name, NIK, phone and NPWP in every version by a tombstone; decisions,
    their counts and reasons stay. The erasure is itself an audit event.
    """
    from umkm_core.services import erase_personal_data  # noqa: PLC0415

    changed = erase_personal_data(session.store(db_url), business_id, by=by)
    session.say(
        Text(
            f"{business_id}: data pribadi dihapus dari {changed} versi.",
            f"{business_id}: personal data erased from {changed} versions.",
        )
    )
