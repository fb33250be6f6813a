"""Signers hold their own keys; the audit trail covers records and is anchored by checkpoints.

* ``signing_identities.key_protection``: existing keys are marked "store" (protected only by a
  key derived from the store key); each is re-wrapped with the member's own signing passphrase
  at their next signing.
* ``audit_checkpoints``: the chain's length and head, signed by the signer's own key.
* A baseline audit event with the digest of every covered record already in the store, so that
  ``check`` can tell later changes made outside panelapp.

Revision ID: 0007_signer_keys
Revises: 0006_clock_settings
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_signer_keys"
down_revision = "0006_clock_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signing_identities") as batch:
        batch.add_column(
            sa.Column(
                "key_protection", sa.String(length=16), nullable=False, server_default="store"
            )
        )
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("document", sa.String(length=64), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("records_digest", sa.String(length=64), nullable=False),
        sa.Column("signer_member_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=100), nullable=False),
        sa.Column("certificate_pem", sa.LargeBinary(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("signed_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    from panelapp.store.audit import append_baseline

    append_baseline(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("panelapp stores are never downgraded; restore the backup instead")
