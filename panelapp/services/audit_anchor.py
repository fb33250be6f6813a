"""Anchoring the audit trail when a member signs: a checkpoint in the store and an anchor in
the signed document, both naming the chain's length and head at that moment.

The checkpoint is signed with the signer's own key, which the store key alone does not unlock;
the anchor travels inside the signed part of the .docx to whoever receives it. See
``store.checkpoints`` and ``documents.audit_anchor``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography.hazmat.primitives import serialization
from sqlalchemy.orm import Session

from panelapp.documents.audit_anchor import format_anchor
from panelapp.documents.signing_identity import SigningIdentity
from panelapp.store import audit
from panelapp.store.checkpoints import checkpoint_text, sign_text
from panelapp.store.record_digests import meeting_records_digest
from panelapp.store.tables import AuditCheckpoint, StoreMeta

ANCHOR_FORMAT = "1"


def store_id(session: Session) -> str:
    row = session.get(StoreMeta, "store_id")
    return row.value if row is not None else ""


def prepare_checkpoint(
    session: Session,
    identity: SigningIdentity,
    member_id: int,
    document: str,
    meeting_id: int,
    *,
    version: int | None = None,
) -> tuple[AuditCheckpoint, str]:
    """A signed checkpoint of the chain as it stands (for the caller to add to its unit of
    work) and the anchor text to embed in the document before it is signed."""
    session.flush()
    events, head_hash = audit.head(session)
    sid = store_id(session)
    at = datetime.now(UTC).isoformat(timespec="seconds")
    records = meeting_records_digest(session.connection(), meeting_id)
    row = AuditCheckpoint(
        events=events,
        head_hash=head_hash,
        document=document,
        meeting_id=meeting_id,
        version=version,
        records_digest=records,
        signer_member_id=member_id,
        fingerprint=identity.fingerprint,
        certificate_pem=identity.certificate.public_bytes(serialization.Encoding.PEM),
        signature=b"",
        signed_at=at,
    )
    row.signature = sign_text(identity.private_key, checkpoint_text(sid, row))
    anchor = format_anchor(
        {
            "format": ANCHOR_FORMAT,
            "store": sid,
            "events": events,
            "head": head_hash,
            "document": document,
            "meeting": meeting_id,
            "version": version if version is not None else "-",
            "records": records,
        }
    )
    return row, anchor
