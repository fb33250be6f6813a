"""The council's postal address and contact on each panel, for the head of every document.

Revision ID: 0008_council_details
Revises: 0007_signer_keys
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_council_details"
down_revision = "0007_signer_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch copy of "panels" would trip the foreign keys that point at it.
    op.add_column(
        "panels", sa.Column("council_address", sa.Text(), nullable=False, server_default="")
    )
    op.add_column(
        "panels", sa.Column("council_contact", sa.Text(), nullable=False, server_default="")
    )


def downgrade() -> None:
    raise NotImplementedError("panelapp stores are never downgraded; restore the backup instead")
