"""Case facts that reporting needs: vulnerability flags, placement type, final plan issued.

Plain ADD COLUMN on ``cases`` (not one of the digest-covered tables, so no re-baselining).

Revision ID: 0014_case_facts
Revises: 0013_after_the_meeting
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_case_facts"
down_revision = "0013_after_the_meeting"
branch_labels = None
depends_on = None

#: the codes of panelapp.domain.case_facts.Vulnerability, as they were at this revision
_FLAGS = (
    "looked_after",
    "child_in_need",
    "child_protection_plan",
    "care_leaver",
    "electively_home_educated",
    "known_to_youth_justice",
    "free_school_meals",
)


def upgrade() -> None:
    for flag in _FLAGS:
        op.add_column(
            "cases", sa.Column(flag, sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.add_column("cases", sa.Column("placement_type", sa.String(32), nullable=True))
    op.add_column("cases", sa.Column("final_plan_issued", sa.Date(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("panelapp stores are never downgraded; restore the backup instead")
