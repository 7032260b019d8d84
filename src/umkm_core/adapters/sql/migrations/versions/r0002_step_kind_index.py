"""Index step records by kind, for follow-up queries over one step kind.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the index."""
    op.create_index("ix_step_records_kind", "step_records", ["kind"])


def downgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_step_records_kind", "step_records")
