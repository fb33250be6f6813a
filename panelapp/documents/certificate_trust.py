"""Whose certificate may be trusted: the panel's trust file and a council's certificate authority.

A document signature proves that the holder of a key signed; whether that key is the chair's
is a separate question, answered here in one of three ways:

* the certificate is one the panel registered for that member: listed in the store, or in a
  *trust file* the council publishes (``panelapp signing export-trust``), a JSON document that
  names each member and their certificate (fingerprint and PEM);
* the certificate chains to a certificate authority the reader trusts (the council's CA,
  given as PEM), checked with ``cryptography``'s X.509 path validation at the signing time;
* neither: the certificate is self-signed or issued by someone the reader does not know, and a
  name in it ("Helen Whitaker") proves nothing, since anyone can make such a certificate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.verification import (
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from panelapp.documents.signing_errors import SigningError
from panelapp.documents.signing_identity import certificate_fingerprint

__all__ = [
    "TRUST_FILE_FORMAT",
    "TrustEntry",
    "chain_to_authority",
    "load_authorities",
    "read_trust_file",
    "subject_text",
    "write_trust_file",
]

TRUST_FILE_FORMAT = "panelapp-trust-1"
_MAX_TRUST_FILE = 16 * 1024 * 1024


@dataclass(frozen=True)
class TrustEntry:
    """One certificate the panel registered for one member."""

    member: str
    panel: str
    fingerprint: str
    certificate_pem: str
    valid_from: str
    valid_until: str
    retired_at: str | None = None


def write_trust_file(council: str, exported_at: datetime, entries: list[TrustEntry]) -> bytes:
    body = {
        "format": TRUST_FILE_FORMAT,
        "council": council,
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "about": (
            "Certificates that the panel registered for its members. A signed minutes or "
            "decision record is trusted when its certificate is listed here for the signer."
        ),
        "signers": [entry.__dict__ for entry in entries],
    }
    return (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def read_trust_file(data: bytes) -> list[TrustEntry]:
    """The entries of a trust file; a plain SigningError when it is not one."""
    bad = (
        "The trust file is not one panelapp wrote ('panelapp signing export-trust'). Ask the "
        "council for its current trust file."
    )
    if len(data) > _MAX_TRUST_FILE:
        raise SigningError(bad)
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise SigningError(bad) from None
    if not isinstance(body, dict) or body.get("format") != TRUST_FILE_FORMAT:
        raise SigningError(bad)
    signers = body.get("signers")
    if not isinstance(signers, list):
        raise SigningError(bad)
    entries = []
    for item in signers:
        if not isinstance(item, dict):
            raise SigningError(bad)
        try:
            certificate = x509.load_pem_x509_certificate(str(item["certificate_pem"]).encode())
        except (KeyError, ValueError, TypeError):
            raise SigningError(bad) from None
        # The fingerprint is recomputed from the certificate: the listed one is only a label.
        entries.append(
            TrustEntry(
                member=str(item.get("member", "")),
                panel=str(item.get("panel", "")),
                fingerprint=certificate_fingerprint(certificate),
                certificate_pem=str(item["certificate_pem"]),
                valid_from=str(item.get("valid_from", "")),
                valid_until=str(item.get("valid_until", "")),
                retired_at=item.get("retired_at") or None,
            )
        )
    return entries


def load_authorities(data: bytes) -> list[x509.Certificate]:
    """The CA certificates in a PEM (or single DER) file."""
    try:
        if b"-----BEGIN" in data:
            found = x509.load_pem_x509_certificates(data)
        else:
            found = [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise SigningError(
            "The certificate authority file holds no certificate panelapp can read. Give the "
            "council's CA certificate as a .pem or .cer file."
        ) from None
    return found


def chain_to_authority(
    certificate_der: bytes,
    others_der: tuple[bytes, ...],
    authorities: list[x509.Certificate],
    at: datetime,
) -> tuple[bool, str]:
    """Whether the certificate chains to one of ``authorities`` at the moment ``at``; with the
    issuing authority's name, or why not."""
    if not authorities:
        return False, "no certificate authority was given"
    leaf = x509.load_der_x509_certificate(certificate_der)
    intermediates = []
    for der in others_der:
        try:
            intermediates.append(x509.load_der_x509_certificate(der))
        except ValueError:
            continue
    verifier = (
        PolicyBuilder()
        .store(Store(authorities))
        .time(at)
        .extension_policies(
            ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=ExtensionPolicy.permit_all()
        )
        .build_client_verifier()
    )
    try:
        verified = verifier.verify(leaf, intermediates)
    except VerificationError as exc:
        return False, f"it does not chain to the certificate authority given ({exc})"
    root = verified.chain[-1]
    return True, subject_text(root.subject)


def subject_text(name: x509.Name) -> str:
    """A certificate name as people read it, most general part last: 'CN=..., title=..., O=...'."""
    parts = []
    for rdn in name.rdns:
        for attribute in rdn:
            label = attribute.rfc4514_attribute_name
            if label[:1].isdigit():
                label = getattr(attribute.oid, "_name", label)
            value = attribute.value
            if isinstance(value, bytes):
                value = value.decode("utf-8", "replace")
            parts.append(f"{label}={value}")
    return ", ".join(parts)


def certificate_pem(certificate_der: bytes) -> str:
    certificate = x509.load_der_x509_certificate(certificate_der)
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
