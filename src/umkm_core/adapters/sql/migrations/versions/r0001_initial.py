"""The first schema: register versions, programmes, applications, runs, rosters, audit.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_GENESIS = "0" * 64
_APPEND_ONLY = ("audit_log", "runs", "run_decisions", "enrollment_events", "step_records")


def upgrade() -> None:
    """Create every table, the append-only triggers and the keyed-hash secret."""
    settings = op.create_table(
        "umkm_settings",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    head = op.create_table(
        "umkm_audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("sequence", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(200), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("previous", sa.String(64), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_log_entity", "audit_log", ["entity"])
    op.create_table(
        "business_versions",
        sa.Column("business_id", sa.String(100), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("latest", sa.Boolean, nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("erased", sa.Boolean, nullable=False),
        sa.Column("region", sa.String(20), nullable=False),
        sa.Column("sector", sa.String(64), nullable=False),
        sa.Column("nib", sa.String(13)),
        sa.Column("nik_hash", sa.String(64)),
        sa.Column("doc", sa.Text, nullable=False),
    )
    for column in ("region", "sector", "nib", "nik_hash"):
        op.create_index(f"ix_business_versions_{column}", "business_versions", [column])
    op.create_table(
        "business_offices",
        sa.Column("office_id", sa.String(100), primary_key=True),
        sa.Column("business_id", sa.String(100), primary_key=True),
    )
    op.create_table(
        "programmes",
        sa.Column("program_id", sa.String(100), primary_key=True),
        sa.Column("office_id", sa.String(100), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
    )
    op.create_index("ix_programmes_office_id", "programmes", ["office_id"])
    op.create_table(
        "applications",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("program_id", sa.String(100), nullable=False),
        sa.Column("business_id", sa.String(100), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.UniqueConstraint("program_id", "digest", name="uq_applications_program_digest"),
    )
    op.create_index("ix_applications_business_id", "applications", ["business_id"])
    op.create_table(
        "runs",
        sa.Column("run_id", sa.String(200), primary_key=True),
        sa.Column("program_id", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
    )
    op.create_index("ix_runs_program_id", "runs", ["program_id"])
    op.create_table(
        "run_decisions",
        sa.Column("run_id", sa.String(200), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("business_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
    )
    op.create_index("ix_run_decisions_business_id", "run_decisions", ["business_id"])
    op.create_table(
        "enrollments",
        sa.Column("program_id", sa.String(100), primary_key=True),
        sa.Column("run_id", sa.String(200), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("entries", sa.Text, nullable=False),
    )
    op.create_table(
        "enrollment_events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("program_id", sa.String(100), nullable=False),
        sa.Column("business_id", sa.String(100), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
    )
    op.create_index("ix_enrollment_events_program_id", "enrollment_events", ["program_id"])
    op.create_index("ix_enrollment_events_business_id", "enrollment_events", ["business_id"])
    op.create_table(
        "step_records",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("business_id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("planned_on", sa.String(10), nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
    )
    op.create_index("ix_step_records_business_id", "step_records", ["business_id"])
    # The key of the NIK's keyed hash: lookups by NIK never send the NIK itself.
    op.bulk_insert(settings, [{"name": "nik_key", "value": secrets.token_hex(32)}])
    op.bulk_insert(head, [{"id": 1, "sequence": 0, "digest": _GENESIS}])
    _append_only_triggers()


def _append_only_triggers() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION umkm_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'umkm_core: % is append-only', TG_TABLE_NAME; END $$"
        )
        for table in _APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION umkm_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION umkm_append_only()"
            )
        return
    for table in _APPEND_ONLY:
        for what in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{what.lower()} BEFORE {what} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'umkm_core: {table} is append-only'); END"
            )


def downgrade() -> None:
    """Drop everything (the record is lost: only for a database created by mistake)."""
    for table in (
        "step_records",
        "enrollment_events",
        "enrollments",
        "run_decisions",
        "runs",
        "applications",
        "programmes",
        "business_offices",
        "business_versions",
        "audit_log",
        "umkm_audit_head",
        "umkm_settings",
    ):
        op.drop_table(table)
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP FUNCTION umkm_append_only()")
