"""Chief officers' approvals of the panel's decisions (a returned decision goes back on the
panel's next agenda), and the mediation and appeal steps families take after a decision.

New tables only; no covered table changes, so no digest baseline.

Revision ID: 0017_approvals_appeals
Revises: 0016_retention
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_approvals_appeals"
down_revision = "0016_retention"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), sa.ForeignKey("decisions.id"), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("officer", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("relisted_item_id", sa.Integer(), sa.ForeignKey("agenda_items.id")),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_approvals_decision_id", "approvals", ["decision_id"])
    op.create_table(
        "appeal_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), sa.ForeignKey("decisions.id"), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=32)),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_appeal_steps_decision_id", "appeal_steps", ["decision_id"])


def downgrade() -> None:
    raise NotImplementedError("panelapp stores are never downgraded; restore the backup instead")
