"""Audit checkpoints: the chain's length and head, signed by a member's own key.

The text that is signed names the store, the number of events, the hash of the last one, what
was being signed (minutes or decision records, and the meeting) and when. Whoever holds only
the store key can rewrite the chain and recompute every hash, but cannot sign a new checkpoint
as the chair: ``check`` then finds the chain shorter than, or different from, a checkpoint.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from panelapp.store.tables import AuditCheckpoint

FORMAT = "panelapp audit checkpoint 1"


def checkpoint_text(store_id: str, row: AuditCheckpoint) -> bytes:
    """The exact text a checkpoint's signature covers."""
    return (
        f"{FORMAT}\nstore {store_id}\nevents {row.events}\nhead {row.head_hash}\n"
        f"document {row.document}\nmeeting {_dash(row.meeting_id)}\n"
        f"version {_dash(row.version)}\nrecords {row.records_digest}\n"
        f"signer {row.signer_member_id} {row.fingerprint}\nsigned {row.signed_at}\n"
    ).encode()


def _dash(value: object) -> str:
    return "-" if value is None else str(value)


def sign_text(private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, text: bytes) -> bytes:
    if isinstance(private_key, rsa.RSAPrivateKey):
        return private_key.sign(text, padding.PKCS1v15(), hashes.SHA256())
    return private_key.sign(text, ec.ECDSA(hashes.SHA256()))


def signature_holds(row: AuditCheckpoint, store_id: str) -> bool:
    """Whether the checkpoint's signature matches its fields, by its certificate's key."""
    text = checkpoint_text(store_id, row)
    try:
        public_key = x509.load_pem_x509_certificate(row.certificate_pem).public_key()
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(row.signature, text, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(row.signature, text, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True
