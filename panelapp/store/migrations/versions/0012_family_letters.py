"""Letters to families: the council's mediation and SENDIASS contacts on each panel, and when
each item's letter was made and sent.

Revision ID: 0012_family_letters
Revises: 0011_caseload
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_family_letters"
down_revision = "0011_caseload"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch copy of "panels" would trip the foreign keys that point at it.
    op.add_column(
        "panels", sa.Column("mediation_contact", sa.Text(), nullable=False, server_default="")
    )
    op.add_column(
        "panels", sa.Column("sendiass_contact", sa.Text(), nullable=False, server_default="")
    )
    op.create_table(
        "family_letters",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "agenda_item_id",
            sa.Integer(),
            sa.ForeignKey("agenda_items.id"),
            nullable=False,
            unique=True,
        ),
        sa.Column("first_made_at", sa.DateTime(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("sent_recorded_by", sa.String(200), nullable=False, server_default=""),
    )


def downgrade() -> None:
    raise NotImplementedError("panelapp stores are never downgraded; restore the backup instead")
