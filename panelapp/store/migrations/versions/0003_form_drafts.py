"""Drafts of the decision and deferral forms, saved as they are typed.

Revision ID: 0003_form_drafts
Revises: 0002_paper_text_search
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_form_drafts"
down_revision = "0002_paper_text_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_drafts",
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["agenda_items.id"]),
        sa.PrimaryKeyConstraint("agenda_item_id", "form"),
    )


def downgrade() -> None:
    raise NotImplementedError("panelapp stores are never downgraded; restore the backup instead")
