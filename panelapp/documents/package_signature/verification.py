"""Checking a package signature: every reference, every part digest and relationship transform,
the signature value and the signing time, reported as plain sentences."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from lxml import etree

from panelapp.documents.package_signature.certificates import (
    certificate_digest_matches,
    choose_certificate,
    common_name,
)
from panelapp.documents.package_signature.names import (
    ALG_C14N,
    ALG_C14N_COMMENTS,
    ALG_RELATIONSHIP_TRANSFORM,
    C14N_ALGORITHMS,
    NS_MDSSI,
    NS_XADES,
    OFFICE_OBJECT_ID,
    PACKAGE_OBJECT_ID,
    SIGNATURE_METHODS,
    SIGNED_PROPERTIES_ID,
)
from panelapp.documents.package_signature.package import (
    Package,
    PackageError,
    parse_xml,
    should_sign_part,
    signable_relationship_ids,
)
from panelapp.documents.package_signature.xmldsig import (
    algorithm_of,
    canonicalise,
    contains,
    dsig,
    element_by_id,
    expected_digest,
    relationship_transform,
    squeeze,
)
from panelapp.documents.signing_identity import certificate_fingerprint


@dataclass(frozen=True)
class SignatureReport:
    """What :func:`verify_docx` found.

    ``signed`` says whether the file carries a package signature at all; ``valid`` is true only when
    it does, the signature value matches, and every part and relationship that should be signed is
    covered and unchanged. ``problems`` are plain sentences for the user (empty when valid).
    Whether the signer's certificate is *trusted* is a separate question that this report does not
    answer: it names the signer and the certificate's fingerprint so that a person can check them.
    """

    signed: bool
    valid: bool
    signer: str | None
    signer_fingerprint: str | None
    signed_at: datetime | None
    problems: tuple[str, ...]
    #: the signer's certificate (DER), and the other certificates the signature carries (a
    #: chain towards the issuer, when there is one), for deciding whether to trust the signer
    certificate_der: bytes | None = None
    other_certificates_der: tuple[bytes, ...] = ()


def verify_docx(docx: bytes) -> SignatureReport:
    """Check the package signature of a .docx and say who signed it, when, and whether it holds.

    Never raises for a bad file: a file that is not a Word package is reported as not signed, with
    a problem sentence saying why.
    """
    try:
        package = Package.read(docx)
    except PackageError as exc:
        return SignatureReport(False, False, None, None, None, (str(exc),))

    try:
        signature_parts = package.signature_parts()
    except PackageError as exc:
        return SignatureReport(False, False, None, None, None, (str(exc),))
    if not signature_parts:
        unsigned = ["The package is not signed."]
        if package.has_signature_folder():
            unsigned.append(
                "It holds signature parts that the package no longer points to, so they do not "
                "sign it."
            )
        return SignatureReport(False, False, None, None, None, tuple(unsigned))

    results = [_verify_signature_part_safely(package, name) for name in signature_parts]
    problems: list[str] = []
    stray = package.unreferenced_signature_parts(signature_parts)
    if stray:
        problems.append(
            "The package holds signature parts that nothing references ("
            + ", ".join(stray)
            + "): they were added outside the signature."
        )
    for result in results:
        for problem in result.problems:
            if len(results) > 1:
                problem = f"{result.part}: {problem}"
            if problem not in problems:
                problems.append(problem)
    first = results[0]
    return SignatureReport(
        signed=True,
        valid=not problems,
        signer=first.signer,
        signer_fingerprint=first.fingerprint,
        signed_at=first.signed_at,
        problems=tuple(problems),
        certificate_der=first.certificate_der,
        other_certificates_der=first.other_certificates_der,
    )


@dataclass
class _PartResult:
    part: str
    signer: str | None = None
    fingerprint: str | None = None
    signed_at: datetime | None = None
    problems: list[str] = field(default_factory=list)
    certificate_der: bytes | None = None
    other_certificates_der: tuple[bytes, ...] = ()


_CHANGED_OBJECT = {
    PACKAGE_OBJECT_ID: "The list of signed parts in the signature was changed after signing.",
    OFFICE_OBJECT_ID: "The signature details (such as the stated purpose) were changed after "
    "signing.",
    SIGNED_PROPERTIES_ID: "The signing time or signing certificate details were changed after "
    "signing.",
}


def _verify_signature_part_safely(package: Package, part: str) -> _PartResult:
    """:func:`_verify_signature_part`, turning any failure on hostile input into a problem."""
    try:
        return _verify_signature_part(package, part)
    except (
        PackageError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        etree.LxmlError,
        UnsupportedAlgorithm,
    ):
        return _PartResult(part, problems=["The signature is damaged and could not be checked."])


def _verify_signature_part(package: Package, part: str) -> _PartResult:
    result = _PartResult(part)
    problems = result.problems
    assert problems is not None
    try:
        root = parse_xml(package.parts[part], part)
    except PackageError as exc:
        problems.append(f"The signature is damaged. {exc}")
        return result
    if root.tag != dsig("Signature"):
        problems.append(f"The signature part {part} does not hold an XML signature.")
        return result

    # --- The certificate -------------------------------------------------------------------
    certificates = []
    for element in root.iterfind(f"{dsig('KeyInfo')}/{dsig('X509Data')}/{dsig('X509Certificate')}"):
        try:
            certificates.append(
                x509.load_der_x509_certificate(base64.b64decode(squeeze(element.text)))
            )
        except (ValueError, TypeError):
            problems.append("The certificate in the signature is damaged.")
    signed_properties = _find_signed_properties(root)
    certificate = choose_certificate(certificates, signed_properties)
    if certificate is None:
        problems.append("The signature does not include the signer's certificate.")
    else:
        result.signer = common_name(certificate)
        result.fingerprint = certificate_fingerprint(certificate)
        result.certificate_der = certificate.public_bytes(serialization.Encoding.DER)
        result.other_certificates_der = tuple(
            c.public_bytes(serialization.Encoding.DER) for c in certificates if c != certificate
        )

    # --- SignedInfo: references and the signature value ----------------------------------------
    signed_info = root.find(dsig("SignedInfo"))
    if signed_info is None:
        problems.append("The signature has no signed information.")
        return result
    referenced: list[etree._Element] = []
    references = list(signed_info.iterchildren(dsig("Reference")))
    if not references:
        problems.append("The signature signs nothing.")
    for reference in references:
        target, problem = _check_same_document_reference(root, reference)
        if problem:
            problems.append(problem)
        if target is not None:
            referenced.append(target)

    canonicalisation = algorithm_of(signed_info.find(dsig("CanonicalizationMethod")))
    method = algorithm_of(signed_info.find(dsig("SignatureMethod")))
    value_element = root.find(dsig("SignatureValue"))
    if canonicalisation not in C14N_ALGORITHMS:
        problems.append("The signature uses a canonicalisation method that is not supported.")
    elif method not in SIGNATURE_METHODS:
        problems.append("The signature uses a signature method that is not supported.")
    elif value_element is None or not squeeze(value_element.text):
        problems.append("The signature has no signature value.")
    elif certificate is not None:
        try:
            value = base64.b64decode(squeeze(value_element.text), validate=True)
        except ValueError:
            value = b""
        data = canonicalise(signed_info, canonicalisation)
        if not _signature_matches(certificate, method, value, data):
            problems.append("The signature value does not match the signed information.")

    # --- XAdES properties ----------------------------------------------------------------
    if signed_properties is not None:
        if not any(contains(element, signed_properties) for element in referenced):
            problems.append(
                "The signing time and signing certificate details are not covered by the signature."
            )
        if certificate is not None and not certificate_digest_matches(
            signed_properties, certificate
        ):
            problems.append(
                "The certificate in the signature is not the one the signer declared when signing."
            )

    # --- The Manifest: every part and relationship -----------------------------------------
    manifests = [manifest for element in referenced for manifest in element.iter(dsig("Manifest"))]
    if not manifests:
        problems.append("The signature does not list the parts of the document it signs.")
    else:
        _check_manifests(package, manifests, problems)

    result.signed_at = _signature_time(referenced, signed_properties)
    if result.signed_at is None:
        problems.append("The signature does not say when it was made.")
    return result


def _check_same_document_reference(
    root: etree._Element, reference: etree._Element
) -> tuple[etree._Element | None, str | None]:
    uri = reference.get("URI") or ""
    if not uri.startswith("#") or len(uri) < 2:
        return (
            None,
            f"The signature refers to {uri or 'the whole signature'}, which is not allowed.",
        )
    identifier = uri[1:]
    try:
        target = element_by_id(root, identifier)
    except PackageError:
        return None, (
            f"The signed element {identifier} is missing from the signature or is not unique."
        )
    algorithm = ALG_C14N
    for transform in reference.iterfind(f"{dsig('Transforms')}/{dsig('Transform')}"):
        transform_algorithm = algorithm_of(transform)
        if transform_algorithm not in C14N_ALGORITHMS:
            return (
                target,
                f"The signed element {identifier} uses a transform that is not supported.",
            )
        algorithm = transform_algorithm
    expected, digest_name = expected_digest(reference)
    if expected is None or digest_name is None:
        return target, f"The digest of the signed element {identifier} is missing or not supported."
    actual = hashlib.new(digest_name, canonicalise(target, algorithm)).digest()
    if actual != expected:
        return target, _CHANGED_OBJECT.get(
            identifier, f"The signed element {identifier} was changed after signing."
        )
    return target, None


def _check_manifests(
    package: Package, manifests: list[etree._Element], problems: list[str]
) -> None:
    covered: set[str] = set()
    for manifest in manifests:
        for reference in manifest.iterchildren(dsig("Reference")):
            problem, part = _check_manifest_reference(package, reference)
            if part is not None:
                covered.add(part.lower())
            if problem and problem not in problems:
                problems.append(problem)
    for name in package.parts:
        if should_sign_part(name) and name.lower() not in covered:
            problems.append(f"{name} was added after signing.")


_URI_PATTERN = re.compile(r"^/(?P<path>[^?#]+)(?:\?ContentType=(?P<type>[^#]*))?$")


def _check_manifest_reference(
    package: Package, reference: etree._Element
) -> tuple[str | None, str | None]:
    uri = reference.get("URI") or ""
    match = _URI_PATTERN.match(uri)
    if match is None:
        return f"The signature refers to {uri!r}, which is not a part of the package.", None
    wanted = unquote(match.group("path"))
    part = package.find(match.group("path")) or package.find(wanted)
    if part is None:
        return f"{wanted} was removed after signing.", None
    declared_type = match.group("type")
    if declared_type is not None and declared_type != (package.content_types.lookup(part) or ""):
        return f"The content type of {part} was changed after signing.", part

    expected, digest_name = expected_digest(reference)
    if expected is None or digest_name is None:
        return f"The digest of {part} in the signature is missing or not supported.", part
    data = package.parts[part]
    transforms = [
        (algorithm_of(t), t)
        for t in reference.iterfind(f"{dsig('Transforms')}/{dsig('Transform')}")
    ]
    if transforms:
        if (
            transforms[0][0] != ALG_RELATIONSHIP_TRANSFORM
            or len(transforms) > 2
            or (len(transforms) == 2 and transforms[1][0] not in (ALG_C14N, ALG_C14N_COMMENTS))
        ):
            return f"The signature of {part} uses transforms that are not supported.", part
        source_ids = [
            element.get("SourceId", "")
            for element in transforms[0][1].iterchildren(f"{{{NS_MDSSI}}}RelationshipReference")
        ]
        if any(
            True
            for _ in transforms[0][1].iterchildren(f"{{{NS_MDSSI}}}RelationshipsGroupReference")
        ):
            return (
                f"The signature of {part} uses relationship groups, which are not supported.",
                part,
            )
        try:
            data = relationship_transform(data, source_ids)
            current = signable_relationship_ids(package.parts[part], part)
        except PackageError:
            return f"{part} is damaged.", part
        if hashlib.new(digest_name, data).digest() != expected:
            return f"{part} was changed after signing.", part
        unsigned = [rid for rid in current if rid not in set(source_ids)]
        if unsigned:
            return (
                f"{part} has a relationship ({', '.join(unsigned)}) that was added after signing.",
                part,
            )
        return None, part
    if hashlib.new(digest_name, data).digest() != expected:
        return f"{part} was changed after signing.", part
    return None, part


def _signature_matches(
    certificate: x509.Certificate, method: str, value: bytes, data: bytes
) -> bool:
    kind, hash_algorithm = SIGNATURE_METHODS[method]
    try:
        public_key = certificate.public_key()
    except (ValueError, UnsupportedAlgorithm):
        return False
    try:
        if kind == "rsa" and isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(value, data, padding.PKCS1v15(), hash_algorithm)
            return True
        if kind == "ecdsa" and isinstance(public_key, ec.EllipticCurvePublicKey):
            size = (public_key.curve.key_size + 7) // 8
            if len(value) != 2 * size:
                return False
            r = int.from_bytes(value[:size], "big")
            s = int.from_bytes(value[size:], "big")
            public_key.verify(encode_dss_signature(r, s), data, ec.ECDSA(hash_algorithm))
            return True
    except (InvalidSignature, ValueError):
        return False
    return False


def _find_signed_properties(root: etree._Element) -> etree._Element | None:
    found = root.findall(
        f"{dsig('Object')}/{{{NS_XADES}}}QualifyingProperties/{{{NS_XADES}}}SignedProperties"
    )
    return found[0] if found else None


def _signature_time(
    referenced: list[etree._Element], signed_properties: etree._Element | None
) -> datetime | None:
    for element in referenced:
        for value in element.iter(f"{{{NS_MDSSI}}}Value"):
            if value.getparent() is not None and value.getparent().tag == (
                f"{{{NS_MDSSI}}}SignatureTime"
            ):
                parsed = _parse_time(value.text)
                if parsed is not None:
                    return parsed
    if signed_properties is not None and any(
        contains(element, signed_properties) for element in referenced
    ):
        for value in signed_properties.iter(f"{{{NS_XADES}}}SigningTime"):
            parsed = _parse_time(value.text)
            if parsed is not None:
                return parsed
    return None


def _parse_time(text: str | None) -> datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
