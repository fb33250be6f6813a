"""Meetings checked out of the team store to a laptop and checked back in: who has a meeting,
the ids kept for rows made on the laptop, the laptop's audit events as they became team events,
the checkpoints signed on the laptop, and the papers that arrived while a meeting was out.

New tables only; no covered table changes, so no digest baseline.

Revision ID: 0018_team_checkouts
Revises: 0017_approvals_appeals
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_team_checkouts"
down_revision = "0017_approvals_appeals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_checkouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meetings.id"), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("checked_out_to", sa.String(length=200), nullable=False),
        sa.Column("machine", sa.String(length=200), nullable=False),
        sa.Column("checked_out_at", sa.DateTime(), nullable=False),
        sa.Column("team_store_id", sa.String(length=64), nullable=False),
        sa.Column("team_seq", sa.Integer(), nullable=False),
        sa.Column("team_head", sa.String(length=64), nullable=False),
        sa.Column("local_store_id", sa.String(length=64), nullable=False),
        sa.Column("team_checkout_id", sa.Integer()),
        sa.Column("local_seq", sa.Integer()),
        sa.Column("id_block_start", sa.Integer(), nullable=False),
        sa.Column("id_block_end", sa.Integer(), nullable=False),
        sa.Column("next_id", sa.Integer(), nullable=False),
        sa.Column("released_at", sa.DateTime()),
        sa.Column("released_by", sa.String(length=200)),
        sa.Column("release_kind", sa.String(length=16)),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_team_checkouts_meeting_id", "team_checkouts", ["meeting_id"])
    op.create_table(
        "team_checkin_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkout_id", sa.Integer(), sa.ForeignKey("team_checkouts.id"), nullable=False),
        sa.Column("local_seq", sa.Integer(), nullable=False),
        sa.Column("local_hash", sa.String(length=64), nullable=False),
        sa.Column("team_seq", sa.Integer(), nullable=False),
        sa.Column("team_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("checkout_id", "local_seq"),
    )
    op.create_table(
        "team_checkin_checkpoints",
        sa.Column(
            "checkpoint_id", sa.Integer(), sa.ForeignKey("audit_checkpoints.id"), nullable=False
        ),
        sa.Column("checkout_id", sa.Integer(), sa.ForeignKey("team_checkouts.id"), nullable=False),
        sa.Column("local_store_id", sa.String(length=64), nullable=False),
        sa.Column("team_seq", sa.Integer(), nullable=False),
        sa.Column("team_records_digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("checkpoint_id"),
    )
    op.create_table(
        "team_late_papers",
        sa.Column("paper_id", sa.Integer(), sa.ForeignKey("papers.id"), nullable=False),
        sa.Column("checkout_id", sa.Integer(), sa.ForeignKey("team_checkouts.id"), nullable=False),
        sa.Column("fetched_at", sa.DateTime()),
        sa.PrimaryKeyConstraint("paper_id"),
    )
    op.create_index("ix_team_late_papers_checkout_id", "team_late_papers", ["checkout_id"])


def downgrade() -> None:
    raise NotImplementedError("panelapp stores are never downgraded; restore the backup instead")
