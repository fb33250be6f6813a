"""Each meeting keeps whether members online counted for its quorum, fixed when it started.

Plain ADD COLUMN on ``meetings`` (not one of the digest-covered tables). Meetings already
started take their panel's setting as it is now, which is the one their quorums were judged on.

Revision ID: 0015_meeting_quorum_basis
Revises: 0014_case_facts
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_meeting_quorum_basis"
down_revision = "0014_case_facts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("online_counts_for_quorum", sa.Boolean(), nullable=True))
    op.execute(
        "UPDATE meetings SET online_counts_for_quorum = (SELECT panels.online_counts_for_quorum "
        "FROM panels WHERE panels.id = meetings.panel_id) WHERE status != 'scheduled'"
    )


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("online_counts_for_quorum")
