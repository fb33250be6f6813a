"""Presence by agenda item, and declarations that cannot reach back to items already taken.

Revision ID: 0005_presence
Revises: 0004_reasons
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_presence"
down_revision = "0004_reasons"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attendance") as batch:
        batch.add_column(sa.Column("arrived_before_item_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("left_before_item_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_attendance_arrived_before_item", "agenda_items", ["arrived_before_item_id"], ["id"]
        )
        batch.create_foreign_key(
            "fk_attendance_left_before_item", "agenda_items", ["left_before_item_id"], ["id"]
        )
    with op.batch_alter_table("declarations") as batch:
        batch.add_column(
            sa.Column("excluded_item_ids", sa.JSON(), nullable=False, server_default="[]")
        )
        batch.add_column(
            sa.Column("correction", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    raise NotImplementedError("panelapp stores are never downgraded; restore the backup instead")
