"""After the meeting: actions followed up (completed, reopened) without touching the signed
record; the ``actions`` rows themselves are unchanged, so no digest baseline is needed.

Revision ID: 0013_after_the_meeting
Revises: 0012_family_letters
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_after_the_meeting"
down_revision = "0012_family_letters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "action_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), sa.ForeignKey("actions.id"), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_action_progress_action_id", "action_progress", ["action_id"])


def downgrade() -> None:
    raise NotImplementedError("panelapp stores are never downgraded; restore the backup instead")
