"""The tables of the SQL store, as SQLAlchemy Core metadata.

The migrations (``migrations/versions``) create exactly these tables; a test compares
the two. Each record travels in a ``doc`` column as a JSON document of
:mod:`umkm_core.adapters.serialization` (so it carries its schema version); the other
columns are what queries filter and sort on.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = ["HEAD", "METADATA", "VERSION_TABLE"]

#: The Alembic revision this version of umkm_core reads and writes.
HEAD = "0002"
#: Alembic's version table, named so that it cannot clash in a shared database.
VERSION_TABLE = "umkm_schema_version"

METADATA = sa.MetaData()

settings = sa.Table(
    "umkm_settings",
    METADATA,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

audit_head = sa.Table(
    "umkm_audit_head",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("sequence", sa.Integer, nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    METADATA,
    sa.Column("sequence", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("entity", sa.String(200), nullable=False, index=True),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("previous", sa.String(64), nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),
)

business_versions = sa.Table(
    "business_versions",
    METADATA,
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
    sa.Index("ix_business_versions_region", "region"),
    sa.Index("ix_business_versions_sector", "sector"),
    sa.Index("ix_business_versions_nib", "nib"),
    sa.Index("ix_business_versions_nik_hash", "nik_hash"),
)

business_offices = sa.Table(
    "business_offices",
    METADATA,
    sa.Column("office_id", sa.String(100), primary_key=True),
    sa.Column("business_id", sa.String(100), primary_key=True),
)

programmes = sa.Table(
    "programmes",
    METADATA,
    sa.Column("program_id", sa.String(100), primary_key=True),
    sa.Column("office_id", sa.String(100), nullable=False, index=True),
    sa.Column("doc", sa.Text, nullable=False),
)

applications = sa.Table(
    "applications",
    METADATA,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("program_id", sa.String(100), nullable=False),
    sa.Column("business_id", sa.String(100), nullable=False, index=True),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
    sa.UniqueConstraint("program_id", "digest", name="uq_applications_program_digest"),
)

runs = sa.Table(
    "runs",
    METADATA,
    sa.Column("run_id", sa.String(200), primary_key=True),
    sa.Column("program_id", sa.String(100), nullable=False, index=True),
    sa.Column("recorded_at", sa.String(40), nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
)

run_decisions = sa.Table(
    "run_decisions",
    METADATA,
    sa.Column("run_id", sa.String(200), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("business_id", sa.String(100), nullable=False, index=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
)

enrollments = sa.Table(
    "enrollments",
    METADATA,
    sa.Column("program_id", sa.String(100), primary_key=True),
    sa.Column("run_id", sa.String(200), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("entries", sa.Text, nullable=False),
)

enrollment_events = sa.Table(
    "enrollment_events",
    METADATA,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("program_id", sa.String(100), nullable=False, index=True),
    sa.Column("business_id", sa.String(100), nullable=False, index=True),
    sa.Column("doc", sa.Text, nullable=False),
)

step_records = sa.Table(
    "step_records",
    METADATA,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("business_id", sa.String(100), nullable=False, index=True),
    sa.Column("kind", sa.String(64), nullable=False, index=True),
    sa.Column("planned_on", sa.String(10), nullable=False),
    sa.Column("doc", sa.Text, nullable=False),
)

#: Tables whose rows are never updated or deleted (database triggers refuse it).
APPEND_ONLY = ("audit_log", "runs", "run_decisions", "enrollment_events", "step_records")
