"""Papers are stored at once and their words read afterwards, in worker processes: each paper
says how far its text has got (``text_state``), so a store closed before the reading finished
picks the waiting papers up again when it is next opened.

A new column on papers only (not one of the digest-covered tables), so no digest baseline.
Papers stored before this revision were read when they were stored: their state stays empty,
which means "read".

Revision ID: 0019_paper_extraction
Revises: 0018_team_checkouts
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_paper_extraction"
down_revision = "0018_team_checkouts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("papers", sa.Column("text_state", sa.String(length=16), nullable=True))
    op.create_index("ix_papers_text_state", "papers", ["text_state"])


def downgrade() -> None:
    raise NotImplementedError("panelapp stores are never downgraded; restore the backup instead")
