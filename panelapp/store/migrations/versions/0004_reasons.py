"""Typed reasons for reopening and withdrawing, kept outside the audit trail.

Revision ID: 0004_reasons
Revises: 0003_form_drafts
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_reasons"
down_revision = "0003_form_drafts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_reasons_entity_id"), "reasons", ["entity_id"], unique=False)


def downgrade() -> None:
    raise NotImplementedError("panelapp stores are never downgraded; restore the backup instead")
