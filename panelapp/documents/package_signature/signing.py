"""Signing a .docx: the Manifest of signed parts and the XML-DSig ``<Signature>`` that covers it."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from lxml import etree

from panelapp.documents.package_signature.certificates import (
    issuer_name,
    require_certificate_valid_at,
)
from panelapp.documents.package_signature.names import (
    ALG_C14N,
    ALG_ECDSA_SHA256,
    ALG_RELATIONSHIP_TRANSFORM,
    ALG_RSA_SHA256,
    ALG_SHA256,
    CONTENT_TYPES_PART,
    NS_DSIG,
    NS_MDSSI,
    NS_OFFICE_DIGSIG,
    NS_XADES,
    OFFICE_OBJECT_ID,
    ORIGIN_PART,
    ORIGIN_RELS_PART,
    PACKAGE_OBJECT_ID,
    ROOT_RELS_PART,
    SIGNATURE_ID,
    SIGNATURE_PART,
    SIGNED_PROPERTIES_ID,
    TYPE_OBJECT,
    TYPE_SIGNED_PROPERTIES,
)
from panelapp.documents.package_signature.package import (
    PARSER,
    ContentTypes,
    Package,
    PackageError,
    add_origin_relationship,
    add_signature_content_types,
    is_relationships_part,
    origin_relationships_part,
    serialise,
    should_sign_part,
    signable_relationship_ids,
    write_package,
)
from panelapp.documents.package_signature.verification import verify_docx
from panelapp.documents.package_signature.xmldsig import (
    canonicalise,
    dsig,
    element_by_id,
    relationship_transform,
)
from panelapp.documents.signing_errors import SigningError
from panelapp.documents.signing_identity import SigningIdentity

_TIME_FORMAT = "YYYY-MM-DDThh:mm:ssTZD"


def sign_docx(
    docx: bytes,
    identity: SigningIdentity,
    *,
    signed_at: datetime | None = None,
    purpose: str = "",
) -> bytes:
    """Return ``docx`` with a package signature by ``identity`` added.

    Sign last: any later change to the document's content (such as saving it again with
    python-docx) breaks the signature. A package that is already signed is refused.
    ``signed_at`` defaults to now; a naive datetime is taken as local time.
    ``purpose`` is stored as the signer's stated purpose ("Purpose for signing this document" in
    Word's signature details).
    """
    try:
        package = Package.read(docx)
        already_signed = package.is_signed()
        if not already_signed:
            package.require_word_document()
    except PackageError as exc:
        raise SigningError(
            f"{exc} Export the minutes again from panelapp and sign that file."
        ) from exc
    if already_signed:
        raise SigningError(
            "This document is already signed. A document is signed once, as the last step: sign "
            "a freshly exported copy of the minutes instead."
        )
    moment = _normalise_time(signed_at)
    require_certificate_valid_at(identity.certificate, moment)

    parts = dict(package.parts)
    try:
        parts[CONTENT_TYPES_PART] = add_signature_content_types(parts[CONTENT_TYPES_PART])
        parts[ROOT_RELS_PART] = add_origin_relationship(parts[ROOT_RELS_PART])
    except PackageError as exc:
        raise SigningError(
            f"{exc} Export the minutes again from panelapp and sign that file."
        ) from exc
    parts[ORIGIN_PART] = b""
    parts[ORIGIN_RELS_PART] = origin_relationships_part()
    content_types = ContentTypes.parse(parts[CONTENT_TYPES_PART])

    manifest: list[_ManifestEntry] = []
    for name in sorted(parts, key=str.lower):
        if not should_sign_part(name):
            continue
        content_type = content_types.lookup(name)
        if content_type is None:
            raise SigningError(
                f"The document part {name} has no content type, so it cannot be signed. "
                "Export the minutes again from panelapp and sign that file."
            )
        if is_relationships_part(name):
            try:
                source_ids = signable_relationship_ids(parts[name])
                data = relationship_transform(parts[name], source_ids)
            except PackageError as exc:
                raise SigningError(
                    f"{exc} Export the minutes again from panelapp and sign that file."
                ) from exc
        else:
            source_ids = None
            data = parts[name]
        digest = base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")
        manifest.append(_ManifestEntry(name, content_type, source_ids, digest))

    parts[SIGNATURE_PART] = _build_signature(manifest, identity, moment, purpose)
    signed = write_package(package, parts, moment)

    # Check our own work with the same rules a reader's software will use.
    report = verify_docx(signed)
    if not report.valid:
        raise SigningError(
            "panelapp could not make a valid signature for this document ("
            + " ".join(report.problems)
            + ") This is a fault in panelapp: please report it, and do not send the file."
        )
    return signed


@dataclass(frozen=True)
class _ManifestEntry:
    part: str
    content_type: str
    source_ids: list[str] | None  # relationship Ids for a .rels part, None for any other part
    digest: str


def _build_signature(
    manifest: list[_ManifestEntry], identity: SigningIdentity, moment: datetime, purpose: str
) -> bytes:
    key = identity.private_key
    certificate = identity.certificate
    if isinstance(key, rsa.RSAPrivateKey):
        signature_method = ALG_RSA_SHA256
    else:
        signature_method = ALG_ECDSA_SHA256
    timestamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    cert_der = certificate.public_bytes(serialization.Encoding.DER)

    signature = etree.Element(dsig("Signature"), nsmap={None: NS_DSIG}, Id=SIGNATURE_ID)
    signed_info = etree.SubElement(signature, dsig("SignedInfo"))
    etree.SubElement(signed_info, dsig("CanonicalizationMethod"), Algorithm=ALG_C14N)
    etree.SubElement(signed_info, dsig("SignatureMethod"), Algorithm=signature_method)
    for uri, type_, transform in (
        (PACKAGE_OBJECT_ID, TYPE_OBJECT, False),
        (OFFICE_OBJECT_ID, TYPE_OBJECT, False),
        (SIGNED_PROPERTIES_ID, TYPE_SIGNED_PROPERTIES, True),
    ):
        reference = etree.SubElement(signed_info, dsig("Reference"), Type=type_, URI=f"#{uri}")
        if transform:
            transforms = etree.SubElement(reference, dsig("Transforms"))
            etree.SubElement(transforms, dsig("Transform"), Algorithm=ALG_C14N)
        etree.SubElement(reference, dsig("DigestMethod"), Algorithm=ALG_SHA256)
        etree.SubElement(reference, dsig("DigestValue"))
    etree.SubElement(signature, dsig("SignatureValue"))
    key_info = etree.SubElement(signature, dsig("KeyInfo"))
    x509_data = etree.SubElement(key_info, dsig("X509Data"))
    etree.SubElement(x509_data, dsig("X509Certificate")).text = base64.b64encode(cert_der).decode(
        "ascii"
    )

    # The package object: the Manifest of signed parts, and the signing time.
    package_object = etree.SubElement(signature, dsig("Object"), Id=PACKAGE_OBJECT_ID)
    manifest_element = etree.SubElement(package_object, dsig("Manifest"))
    for entry in manifest:
        reference = etree.SubElement(
            manifest_element,
            dsig("Reference"),
            URI=f"/{entry.part}?ContentType={entry.content_type}",
        )
        if entry.source_ids is not None:
            transforms = etree.SubElement(reference, dsig("Transforms"))
            transform_element = etree.SubElement(
                transforms, dsig("Transform"), Algorithm=ALG_RELATIONSHIP_TRANSFORM
            )
            for source_id in entry.source_ids:
                etree.SubElement(
                    transform_element,
                    f"{{{NS_MDSSI}}}RelationshipReference",
                    nsmap={"mdssi": NS_MDSSI},
                    SourceId=source_id,
                )
            etree.SubElement(transforms, dsig("Transform"), Algorithm=ALG_C14N)
        etree.SubElement(reference, dsig("DigestMethod"), Algorithm=ALG_SHA256)
        etree.SubElement(reference, dsig("DigestValue")).text = entry.digest
    properties = etree.SubElement(package_object, dsig("SignatureProperties"))
    property_ = etree.SubElement(
        properties, dsig("SignatureProperty"), Id="idSignatureTime", Target=f"#{SIGNATURE_ID}"
    )
    signature_time = etree.SubElement(
        property_, f"{{{NS_MDSSI}}}SignatureTime", nsmap={"mdssi": NS_MDSSI}
    )
    etree.SubElement(signature_time, f"{{{NS_MDSSI}}}Format").text = _TIME_FORMAT
    etree.SubElement(signature_time, f"{{{NS_MDSSI}}}Value").text = timestamp

    # The Office object: SignatureInfoV1 (an invisible signature, with the stated purpose).
    office_object = etree.SubElement(signature, dsig("Object"), Id=OFFICE_OBJECT_ID)
    properties = etree.SubElement(office_object, dsig("SignatureProperties"))
    property_ = etree.SubElement(
        properties, dsig("SignatureProperty"), Id="idOfficeV1Details", Target=f"#{SIGNATURE_ID}"
    )
    info = etree.SubElement(
        property_, f"{{{NS_OFFICE_DIGSIG}}}SignatureInfoV1", nsmap={None: NS_OFFICE_DIGSIG}
    )
    for tag, text in (
        ("SetupID", ""),
        ("SignatureText", ""),
        ("SignatureImage", ""),
        ("SignatureComments", purpose),
        ("WindowsVersion", "10.0"),
        ("OfficeVersion", "16.0"),
        ("ApplicationVersion", "16.0"),
        ("Monitors", "1"),
        ("HorizontalResolution", "1920"),
        ("VerticalResolution", "1080"),
        ("ColorDepth", "32"),
        ("SignatureProviderId", "{00000000-0000-0000-0000-000000000000}"),
        ("SignatureProviderUrl", ""),
        ("SignatureProviderDetails", "9"),
        ("SignatureType", "1"),
    ):
        etree.SubElement(info, f"{{{NS_OFFICE_DIGSIG}}}{tag}").text = text or None

    # XAdES: signing time and the signing certificate, under the signature.
    xades_object = etree.SubElement(signature, dsig("Object"))
    qualifying = etree.SubElement(
        xades_object,
        f"{{{NS_XADES}}}QualifyingProperties",
        nsmap={"xd": NS_XADES},
        Target=f"#{SIGNATURE_ID}",
    )
    signed_properties = etree.SubElement(
        qualifying, f"{{{NS_XADES}}}SignedProperties", Id=SIGNED_PROPERTIES_ID
    )
    signature_properties = etree.SubElement(
        signed_properties, f"{{{NS_XADES}}}SignedSignatureProperties"
    )
    etree.SubElement(signature_properties, f"{{{NS_XADES}}}SigningTime").text = timestamp
    cert = etree.SubElement(
        etree.SubElement(signature_properties, f"{{{NS_XADES}}}SigningCertificate"),
        f"{{{NS_XADES}}}Cert",
    )
    cert_digest = etree.SubElement(cert, f"{{{NS_XADES}}}CertDigest")
    etree.SubElement(cert_digest, dsig("DigestMethod"), Algorithm=ALG_SHA256)
    etree.SubElement(cert_digest, dsig("DigestValue")).text = base64.b64encode(
        hashlib.sha256(cert_der).digest()
    ).decode("ascii")
    issuer_serial = etree.SubElement(cert, f"{{{NS_XADES}}}IssuerSerial")
    etree.SubElement(issuer_serial, dsig("X509IssuerName")).text = issuer_name(certificate)
    etree.SubElement(issuer_serial, dsig("X509SerialNumber")).text = str(certificate.serial_number)

    # Digest the three referenced elements on a parsed copy, then sign the SignedInfo.
    document = etree.fromstring(serialise(signature), parser=PARSER)
    for reference in document.find(dsig("SignedInfo")).iterchildren(dsig("Reference")):
        target = element_by_id(document, reference.get("URI")[1:])
        digest = hashlib.sha256(canonicalise(target, ALG_C14N)).digest()
        reference.find(dsig("DigestValue")).text = base64.b64encode(digest).decode("ascii")
    document = etree.fromstring(serialise(document), parser=PARSER)
    signed_info_bytes = canonicalise(document.find(dsig("SignedInfo")), ALG_C14N)
    if isinstance(key, rsa.RSAPrivateKey):
        value = key.sign(signed_info_bytes, padding.PKCS1v15(), hashes.SHA256())
    else:
        der = key.sign(signed_info_bytes, ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        size = (key.curve.key_size + 7) // 8
        value = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    document.find(dsig("SignatureValue")).text = base64.b64encode(value).decode("ascii")
    return serialise(document)


def _normalise_time(moment: datetime | None) -> datetime:
    if moment is None:
        moment = datetime.now(UTC)
    elif moment.tzinfo is None:
        moment = moment.astimezone()  # naive: local time
    return moment.astimezone(UTC).replace(microsecond=0)
