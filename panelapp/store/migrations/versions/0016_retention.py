"""Counts kept of cases deleted at the end of retention (R20), for the council's statistics.

A new table; no covered table changes, so no digest baseline.

Revision ID: 0016_retention
Revises: 0015_meeting_quorum_basis
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_retention"
down_revision = "0015_meeting_quorum_basis"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deleted_case_counts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("panel_id", sa.Integer(), sa.ForeignKey("panels.id"), nullable=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("request_type", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.UniqueConstraint("panel_id", "month", "request_type", "outcome"),
    )


def downgrade() -> None:
    op.drop_table("deleted_case_counts")
