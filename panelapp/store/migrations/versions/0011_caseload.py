"""The caseload and the calendar: cases open or closed without a meeting, clock exceptions
withdrawn, each panel's meeting capacity, a meeting's online link and calendar sequence, and how
each member attended (a table of its own, so the attendance digests do not change).

Revision ID: 0011_caseload
Revises: 0008_council_details
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_caseload"
down_revision = "0008_council_details"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN throughout: a batch copy would trip the foreign keys pointing at these.
    op.add_column(
        "cases", sa.Column("status", sa.String(16), nullable=False, server_default="open")
    )
    op.add_column("cases", sa.Column("closed_at", sa.DateTime(), nullable=True))
    op.add_column("clock_exceptions", sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
    op.add_column("panels", sa.Column("capacity_items", sa.Integer(), nullable=True))
    op.add_column("panels", sa.Column("capacity_minutes", sa.Integer(), nullable=True))
    op.add_column(
        "panels",
        sa.Column(
            "online_counts_for_quorum", sa.Boolean(), nullable=False, server_default=sa.true()
        ),
    )
    op.add_column(
        "meetings", sa.Column("online_link", sa.String(500), nullable=False, server_default="")
    )
    op.add_column(
        "meetings",
        sa.Column("calendar_sequence", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "attendance_modes",
        sa.Column("attendance_id", sa.Integer(), sa.ForeignKey("attendance.id"), primary_key=True),
        sa.Column("mode", sa.String(16), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("panelapp stores are never downgraded; restore the backup instead")
