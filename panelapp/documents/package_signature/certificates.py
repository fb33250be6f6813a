"""The signing certificate: its names, its validity at the signing time, and matching it with
the digest the signer declared in the XAdES signed properties."""

from __future__ import annotations

import hashlib
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from lxml import etree

from panelapp.documents.package_signature.names import NS_XADES
from panelapp.documents.package_signature.xmldsig import expected_digest
from panelapp.documents.signing_errors import SigningError
from panelapp.domain.formatting import format_date


def issuer_name(certificate: x509.Certificate) -> str:
    """The issuer as an RFC 4514 string, with readable names for the usual attributes."""
    return certificate.issuer.rfc4514_string(
        {NameOID.TITLE: "title", NameOID.EMAIL_ADDRESS: "emailAddress"}
    )


def require_certificate_valid_at(certificate: x509.Certificate, moment: datetime) -> None:
    not_before = certificate.not_valid_before_utc
    not_after = certificate.not_valid_after_utc
    if moment > not_after:
        raise SigningError(
            f"The signing certificate expired on {format_date(not_after)}. Create a new signing "
            "certificate (or import the council's renewed one) and sign again."
        )
    if moment < not_before:
        raise SigningError(
            f"The signing certificate is only valid from {format_date(not_before)} {not_before:%H:%M} UTC, after "
            "the signing time. Check the computer's date and time and sign again."
        )


def choose_certificate(
    certificates: list[x509.Certificate], signed_properties: etree._Element | None
) -> x509.Certificate | None:
    if not certificates:
        return None
    if signed_properties is not None:
        for certificate in certificates:
            if certificate_digest_matches(signed_properties, certificate):
                return certificate
    return certificates[0]


def certificate_digest_matches(
    signed_properties: etree._Element, certificate: x509.Certificate
) -> bool:
    der = certificate.public_bytes(serialization.Encoding.DER)
    path = (
        f"{{{NS_XADES}}}SignedSignatureProperties/{{{NS_XADES}}}SigningCertificate/"
        f"{{{NS_XADES}}}Cert/{{{NS_XADES}}}CertDigest"
    )
    for cert_digest in signed_properties.iterfind(path):
        expected, digest_name = expected_digest(cert_digest)
        if expected and digest_name and hashlib.new(digest_name, der).digest() == expected:
            return True
    return False


def common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if names:
        value = names[0].value
        return value if isinstance(value, str) else value.decode("utf-8", "replace")
    return certificate.subject.rfc4514_string()
