"""Paper deadlines in working days, and the transfer date of a post-16 move at another time
of year (regulation 18(2)).

Revision ID: 0006_clock_settings
Revises: 0005_presence
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_clock_settings"
down_revision = "0005_presence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch copy of "panels" would trip the foreign keys that point at it.
    op.add_column(
        "panels",
        sa.Column(
            "paper_deadline_working_days", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    op.add_column("cases", sa.Column("transfer_date", sa.Date(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("panelapp stores are never downgraded; restore the backup instead")
