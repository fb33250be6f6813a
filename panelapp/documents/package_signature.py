"""Sign Word minutes with an OPC package signature, and check such signatures.

The format
----------
A .docx file is an OPC "package": a ZIP of parts tied together by relationship parts (``*.rels``)
and typed by ``[Content_Types].xml``. ECMA-376 Part 2, section 13, defines how a package is signed,
and that is the signature Word and LibreOffice show and check:

* ``_rels/.rels`` gets a ``digital-signature/origin`` relationship to the empty part
  ``_xmlsignatures/origin.sigs``, whose own relationship part points (``digital-signature/signature``)
  at ``_xmlsignatures/sig1.xml``;
* ``sig1.xml`` is an XML-DSig ``<Signature>``. Its ``SignedInfo`` references three ``Object``\\ s by Id
  (``#idPackageObject``, ``#idOfficeObject`` and the XAdES ``#idSignedProperties``) and is signed
  with RSA-SHA256 (or ECDSA-SHA256) by the key of the certificate carried in ``KeyInfo``;
* ``idPackageObject`` holds a ``Manifest`` with one ``Reference`` per signed part: the digest of
  the part's raw bytes, or, for a ``.rels`` part, the digest of the output of the OPC
  RelationshipTransform (only the listed relationships, sorted by Id, with ``TargetMode``
  made explicit) followed by Canonical XML 1.0. It also holds the signing time
  (``mdssi:SignatureTime``);
* ``idOfficeObject`` holds Microsoft's ``SignatureInfoV1`` (signature type 1: invisible, and the
  signer's stated purpose);
* the XAdES ``SignedProperties`` hold the signing time again and the digest, issuer and serial
  number of the signing certificate.

Every part is signed except ``[Content_Types].xml``, ``docProps/core.xml``, ``docProps/app.xml`` and
the signature parts themselves, and every relationship except the core-properties,
extended-properties and signature-origin ones. Document properties are left out on purpose (as
Word and LibreOffice do): editing the title or author keeps the signature valid, editing the text
of the minutes breaks it.

Why the verifier recomputes every digest
----------------------------------------
In XML-DSig, "core validation" checks only the references in ``SignedInfo`` and the signature
value; the references inside a ``Manifest`` are left to the application. libxmlsec (and so
``xmlsec1 --verify``) reports a signature as valid even when a Manifest digest no longer matches
the part it names, that is, after the minutes themselves were changed. :func:`verify_docx`
therefore recomputes every part digest and every relationship-transform digest itself, checks that
each part and relationship that ought to be signed is covered (a part added after signing is
reported), and only then calls the signature valid.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.x509.oid import NameOID
from lxml import etree

from panelapp.documents.signing_errors import SigningError
from panelapp.documents.signing_identity import SigningIdentity, certificate_fingerprint
from panelapp.domain.formatting import format_date

__all__ = ["SignatureReport", "sign_docx", "verify_docx"]

# --- Namespaces --------------------------------------------------------------------------------
NS_DSIG = "http://www.w3.org/2000/09/xmldsig#"
NS_MDSSI = "http://schemas.openxmlformats.org/package/2006/digital-signature"
NS_OFFICE_DIGSIG = "http://schemas.microsoft.com/office/2006/digsig"
NS_XADES = "http://uri.etsi.org/01903/v1.3.2#"
NS_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"

# --- Algorithms --------------------------------------------------------------------------------
ALG_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
ALG_C14N_COMMENTS = ALG_C14N + "#WithComments"
ALG_EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ALG_EXC_C14N_COMMENTS = ALG_EXC_C14N + "WithComments"
_C14N_ALGORITHMS = {ALG_C14N, ALG_C14N_COMMENTS, ALG_EXC_C14N, ALG_EXC_C14N_COMMENTS}
ALG_RELATIONSHIP_TRANSFORM = "http://schemas.openxmlformats.org/package/2006/RelationshipTransform"
ALG_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
_DIGESTS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    ALG_SHA256: "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
ALG_RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
ALG_ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
_SIGNATURE_METHODS: dict[str, tuple[str, hashes.HashAlgorithm]] = {
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1": ("rsa", hashes.SHA1()),
    ALG_RSA_SHA256: ("rsa", hashes.SHA256()),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": ("rsa", hashes.SHA384()),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": ("rsa", hashes.SHA512()),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1": ("ecdsa", hashes.SHA1()),
    ALG_ECDSA_SHA256: ("ecdsa", hashes.SHA256()),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": ("ecdsa", hashes.SHA384()),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512": ("ecdsa", hashes.SHA512()),
}
TYPE_OBJECT = "http://www.w3.org/2000/09/xmldsig#Object"
TYPE_SIGNED_PROPERTIES = "http://uri.etsi.org/01903#SignedProperties"

# --- Package names, relationship types and content types ----------------------------------------
CONTENT_TYPES_PART = "[Content_Types].xml"
ROOT_RELS_PART = "_rels/.rels"
SIGNATURE_FOLDER = "_xmlsignatures/"
ORIGIN_PART = "_xmlsignatures/origin.sigs"
ORIGIN_RELS_PART = "_xmlsignatures/_rels/origin.sigs.rels"
SIGNATURE_PART = "_xmlsignatures/sig1.xml"

REL_ORIGIN = "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin"
REL_SIGNATURE = (
    "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/signature"
)
REL_OFFICE_DOCUMENT = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
}
# Relationships that a package signature leaves out (document properties, and the signature's own).
_UNSIGNED_RELATIONSHIP_TYPES = frozenset(
    {
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
        REL_ORIGIN,
    }
)
# Parts that a package signature leaves out (compared case-insensitively, as OPC part names are).
_UNSIGNED_PARTS = frozenset({CONTENT_TYPES_PART.lower(), "docprops/core.xml", "docprops/app.xml"})

CT_RELATIONSHIPS = "application/vnd.openxmlformats-package.relationships+xml"
CT_ORIGIN = "application/vnd.openxmlformats-package.digital-signature-origin"
CT_SIGNATURE = "application/vnd.openxmlformats-package.digital-signature-xmlsignature+xml"

_MAX_PACKAGE_SIZE = 512 * 1024 * 1024  # uncompressed bytes; minutes are far smaller
_SIGNATURE_ID = "idPackageSignature"
_PACKAGE_OBJECT_ID = "idPackageObject"
_OFFICE_OBJECT_ID = "idOfficeObject"
_SIGNED_PROPERTIES_ID = "idSignedProperties"
_TIME_FORMAT = "YYYY-MM-DDThh:mm:ssTZD"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


# =================================================================================================
# Public API
# =================================================================================================


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
        package = _Package.read(docx)
        already_signed = package.is_signed()
        if not already_signed:
            package.require_word_document()
    except _PackageError as exc:
        raise SigningError(
            f"{exc} Export the minutes again from panelapp and sign that file."
        ) from exc
    if already_signed:
        raise SigningError(
            "This document is already signed. A document is signed once, as the last step: sign "
            "a freshly exported copy of the minutes instead."
        )
    moment = _normalise_time(signed_at)
    _require_certificate_valid_at(identity.certificate, moment)

    parts = dict(package.parts)
    try:
        parts[CONTENT_TYPES_PART] = _add_signature_content_types(parts[CONTENT_TYPES_PART])
        parts[ROOT_RELS_PART] = _add_origin_relationship(parts[ROOT_RELS_PART])
    except _PackageError as exc:
        raise SigningError(
            f"{exc} Export the minutes again from panelapp and sign that file."
        ) from exc
    parts[ORIGIN_PART] = b""
    parts[ORIGIN_RELS_PART] = _origin_relationships_part()
    content_types = _ContentTypes.parse(parts[CONTENT_TYPES_PART])

    manifest: list[_ManifestEntry] = []
    for name in sorted(parts, key=str.lower):
        if not _should_sign_part(name):
            continue
        content_type = content_types.lookup(name)
        if content_type is None:
            raise SigningError(
                f"The document part {name} has no content type, so it cannot be signed. "
                "Export the minutes again from panelapp and sign that file."
            )
        if _is_relationships_part(name):
            try:
                source_ids = _signable_relationship_ids(parts[name])
                data = _relationship_transform(parts[name], source_ids)
            except _PackageError as exc:
                raise SigningError(
                    f"{exc} Export the minutes again from panelapp and sign that file."
                ) from exc
        else:
            source_ids = None
            data = parts[name]
        digest = base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")
        manifest.append(_ManifestEntry(name, content_type, source_ids, digest))

    parts[SIGNATURE_PART] = _build_signature(manifest, identity, moment, purpose)
    signed = _write_package(package, parts, moment)

    # Check our own work with the same rules a reader's software will use.
    report = verify_docx(signed)
    if not report.valid:
        raise SigningError(
            "panelapp could not make a valid signature for this document ("
            + " ".join(report.problems)
            + ") This is a fault in panelapp: please report it, and do not send the file."
        )
    return signed


def verify_docx(docx: bytes) -> SignatureReport:
    """Check the package signature of a .docx and say who signed it, when, and whether it holds.

    Never raises for a bad file: a file that is not a Word package is reported as not signed, with
    a problem sentence saying why.
    """
    try:
        package = _Package.read(docx)
    except _PackageError as exc:
        return SignatureReport(False, False, None, None, None, (str(exc),))

    try:
        signature_parts = package.signature_parts()
    except _PackageError as exc:
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


# =================================================================================================
# The package
# =================================================================================================


class _PackageError(Exception):
    """The bytes are not a usable OPC package; the message is a plain sentence."""


class _Package:
    """The parts of a ZIP package, read fully into memory, in their original order."""

    def __init__(self, infos: list[zipfile.ZipInfo], parts: dict[str, bytes]) -> None:
        self.infos = infos
        self.parts = parts
        self._lower = {name.lower(): name for name in parts}
        self.content_types = _ContentTypes.parse(parts[CONTENT_TYPES_PART])

    @classmethod
    def read(cls, data: bytes) -> _Package:
        not_word = "The file is not a Word document (it is not a ZIP package)."
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError("docx must be bytes")
        data = bytes(data)
        _require_nothing_outside_zip(data)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = [info for info in archive.infolist() if not info.is_dir()]
                if sum(info.file_size for info in infos) > _MAX_PACKAGE_SIZE:
                    raise _PackageError("The file is too large to be a set of minutes.")
                parts: dict[str, bytes] = {}
                seen: set[str] = set()
                for info in infos:
                    key = info.filename.lower()
                    if key in seen:
                        raise _PackageError(
                            f"The file is damaged: the part {info.filename} appears twice."
                        )
                    seen.add(key)
                    parts[info.filename] = archive.read(info)
        except _PackageError:
            raise
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            RuntimeError,
            NotImplementedError,
        ) as exc:
            raise _PackageError(not_word) from exc
        if CONTENT_TYPES_PART not in parts or ROOT_RELS_PART not in parts:
            raise _PackageError(
                "The file is not a Word document (it has no [Content_Types].xml or _rels/.rels)."
            )
        return cls(infos, parts)

    def find(self, name: str) -> str | None:
        """The stored name of part ``name`` (compared case-insensitively), or None."""
        if name in self.parts:
            return name
        return self._lower.get(name.lower())

    def relationships(self, rels_part: str) -> list[_Relationship]:
        return _parse_relationships(self.parts[rels_part], rels_part)

    def has_signature_folder(self) -> bool:
        return any(name.lower().startswith(SIGNATURE_FOLDER) for name in self.parts)

    def is_signed(self) -> bool:
        if self.has_signature_folder():
            return True
        return any(rel.type == REL_ORIGIN for rel in self.relationships(ROOT_RELS_PART))

    def require_word_document(self) -> None:
        for rel in self.relationships(ROOT_RELS_PART):
            if rel.type in REL_OFFICE_DOCUMENT and rel.target_mode != "External":
                target = self.find(_resolve_target("", rel.target))
                if target is not None and "wordprocessingml" in (
                    self.content_types.lookup(target) or ""
                ):
                    return
        raise SigningError(
            "The file is not a Word document (it has no main Word document part). "
            "Export the minutes again from panelapp and sign that file."
        )

    def unreferenced_signature_parts(self, signature_parts: list[str]) -> list[str]:
        """Parts in the signature folder, or typed as signatures, that the origin does not
        reach: a reader's software might show them, but they sign nothing."""
        reached = {name.lower() for name in signature_parts}
        for name in signature_parts:
            rels = self.find(_rels_part_for(name))
            if rels is not None:
                reached.add(rels.lower())
        for rel in self.relationships(ROOT_RELS_PART):
            if rel.type == REL_ORIGIN and rel.target_mode != "External":
                origin = self.find(_resolve_target("", rel.target))
                if origin is not None:
                    reached.add(origin.lower())
                    origin_rels = self.find(_rels_part_for(origin))
                    if origin_rels is not None:
                        reached.add(origin_rels.lower())
        stray = []
        for name in self.parts:
            typed = self.content_types.lookup(name) in (CT_SIGNATURE, CT_ORIGIN)
            if (name.lower().startswith(SIGNATURE_FOLDER) or typed) and name.lower() not in reached:
                stray.append(name)
        return stray

    def signature_parts(self) -> list[str]:
        """The signature parts reached from the package's digital-signature origin."""
        result: list[str] = []
        for rel in self.relationships(ROOT_RELS_PART):
            if rel.type != REL_ORIGIN or rel.target_mode == "External":
                continue
            origin = self.find(_resolve_target("", rel.target))
            if origin is None:
                continue
            origin_rels = self.find(_rels_part_for(origin))
            if origin_rels is None:
                continue
            folder = origin.rsplit("/", 1)[0] if "/" in origin else ""
            for sig_rel in self.relationships(origin_rels):
                if sig_rel.type != REL_SIGNATURE or sig_rel.target_mode == "External":
                    continue
                part = self.find(_resolve_target(folder, sig_rel.target))
                if part is not None and part not in result:
                    result.append(part)
        return result


_LOCAL_HEADER = b"PK\x03\x04"
_END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"


def _require_nothing_outside_zip(data: bytes) -> None:
    """Refuse bytes before the first entry or after the end of the ZIP.

    ZIP readers find the archive from its end, so a file can carry anything in front of it
    (another document that a different program would show instead) or behind it: the signature
    would hold for the ZIP while the file is something else. A package from Word, LibreOffice or
    panelapp starts with its first entry and ends with its end record.
    """
    if len(data) < 22:
        raise _PackageError("The file is not a Word document (it is not a ZIP package).")
    if not data.startswith(_LOCAL_HEADER):
        raise _PackageError(
            "The file has data in front of its Word package, so it is not the file that was "
            "signed (another program could show that data instead). Ask the sender for the "
            "original file."
        )
    end = data.rfind(_END_OF_CENTRAL_DIRECTORY, max(0, len(data) - 22 - 0xFFFF))
    if end < 0:
        raise _PackageError("The file is not a Word document (it is not a ZIP package).")
    comment_length = int.from_bytes(data[end + 20 : end + 22], "little")
    if end + 22 + comment_length != len(data):
        raise _PackageError(
            "The file has data after the end of its Word package, so it is not the file that "
            "was signed. Ask the sender for the original file."
        )
    size = int.from_bytes(data[end + 12 : end + 16], "little")
    offset = int.from_bytes(data[end + 16 : end + 20], "little")
    zip64 = end >= 20 and data[end - 20 : end - 16] == _ZIP64_LOCATOR
    if not zip64 and offset + size != end:
        raise _PackageError(
            "The file has data hidden between the parts of its Word package and their index, so "
            "it is not the file that was signed. Ask the sender for the original file."
        )


@dataclass(frozen=True)
class _Relationship:
    id: str
    type: str
    target: str
    target_mode: str


def _parse_xml(data: bytes, what: str) -> etree._Element:
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise _PackageError(f"The file is damaged: {what} is not well-formed XML.") from exc
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _PackageError(
            f"The file is damaged: {what} contains a document type declaration, which a Word "
            "package must not."
        )
    return root


def _parse_relationships(data: bytes, part: str) -> list[_Relationship]:
    root = _parse_xml(data, part)
    if root.tag != f"{{{NS_RELATIONSHIPS}}}Relationships":
        raise _PackageError(f"The file is damaged: {part} is not a relationships part.")
    result = []
    for element in root.iterchildren(f"{{{NS_RELATIONSHIPS}}}Relationship"):
        result.append(
            _Relationship(
                id=element.get("Id", ""),
                type=element.get("Type", ""),
                target=element.get("Target", ""),
                target_mode=element.get("TargetMode", "Internal"),
            )
        )
    return result


def _is_relationships_part(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(".rels") and (lower.startswith("_rels/") or "/_rels/" in lower)


def _rels_part_for(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def _resolve_target(source_folder: str, target: str) -> str:
    """Resolve a relationship target to a part name (without the leading '/')."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        segments: list[str] = []
        target = target[1:]
    else:
        segments = [s for s in source_folder.split("/") if s]
    for segment in target.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    return "/".join(segments)


def _should_sign_part(name: str) -> bool:
    lower = name.lower()
    return lower not in _UNSIGNED_PARTS and not lower.startswith(SIGNATURE_FOLDER)


def _signable_relationship_ids(rels_data: bytes, part: str = "relationships part") -> list[str]:
    return [
        rel.id
        for rel in _parse_relationships(rels_data, part)
        if rel.type not in _UNSIGNED_RELATIONSHIP_TYPES
    ]


class _ContentTypes:
    def __init__(self, defaults: dict[str, str], overrides: dict[str, str]) -> None:
        self.defaults = defaults
        self.overrides = overrides

    @classmethod
    def parse(cls, data: bytes) -> _ContentTypes:
        root = _parse_xml(data, CONTENT_TYPES_PART)
        if root.tag != f"{{{NS_CONTENT_TYPES}}}Types":
            raise _PackageError(f"The file is damaged: {CONTENT_TYPES_PART} is not valid.")
        defaults = {}
        overrides = {}
        for element in root.iterchildren(f"{{{NS_CONTENT_TYPES}}}Default"):
            defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
        for element in root.iterchildren(f"{{{NS_CONTENT_TYPES}}}Override"):
            overrides[element.get("PartName", "").lower()] = element.get("ContentType", "")
        return cls(defaults, overrides)

    def lookup(self, part: str) -> str | None:
        override = self.overrides.get("/" + part.lower())
        if override is not None:
            return override
        base = part.rsplit("/", 1)[-1]
        if "." not in base:
            return None
        return self.defaults.get(base.rsplit(".", 1)[-1].lower())


# =================================================================================================
# Building the signature
# =================================================================================================


@dataclass(frozen=True)
class _ManifestEntry:
    part: str
    content_type: str
    source_ids: list[str] | None  # relationship Ids for a .rels part, None for any other part
    digest: str


def _dsig(tag: str) -> str:
    return f"{{{NS_DSIG}}}{tag}"


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_signature_content_types(data: bytes) -> bytes:
    root = _parse_xml(data, CONTENT_TYPES_PART)
    defaults = list(root.iterchildren(f"{{{NS_CONTENT_TYPES}}}Default"))
    sigs_default = next((d for d in defaults if d.get("Extension", "").lower() == "sigs"), None)
    if sigs_default is None:
        element = etree.Element(
            f"{{{NS_CONTENT_TYPES}}}Default", Extension="sigs", ContentType=CT_ORIGIN
        )
        if defaults:
            defaults[-1].addnext(element)
        else:
            root.insert(0, element)
    elif sigs_default.get("ContentType") != CT_ORIGIN:
        etree.SubElement(
            root,
            f"{{{NS_CONTENT_TYPES}}}Override",
            PartName="/" + ORIGIN_PART,
            ContentType=CT_ORIGIN,
        )
    etree.SubElement(
        root,
        f"{{{NS_CONTENT_TYPES}}}Override",
        PartName="/" + SIGNATURE_PART,
        ContentType=CT_SIGNATURE,
    )
    return _serialise(root)


def _add_origin_relationship(data: bytes) -> bytes:
    root = _parse_xml(data, ROOT_RELS_PART)
    used = {element.get("Id") for element in root.iter(f"{{{NS_RELATIONSHIPS}}}Relationship")}
    number = len(used) + 1
    while f"rId{number}" in used:
        number += 1
    etree.SubElement(
        root,
        f"{{{NS_RELATIONSHIPS}}}Relationship",
        Id=f"rId{number}",
        Type=REL_ORIGIN,
        Target=ORIGIN_PART,
    )
    return _serialise(root)


def _origin_relationships_part() -> bytes:
    root = etree.Element(f"{{{NS_RELATIONSHIPS}}}Relationships", nsmap={None: NS_RELATIONSHIPS})
    etree.SubElement(
        root,
        f"{{{NS_RELATIONSHIPS}}}Relationship",
        Id="rId1",
        Type=REL_SIGNATURE,
        Target=SIGNATURE_PART.rsplit("/", 1)[1],
    )
    return _serialise(root)


def _relationship_transform(data: bytes, source_ids: Iterable[str]) -> bytes:
    """The OPC RelationshipTransform of a .rels part followed by Canonical XML 1.0.

    Only Relationship elements whose Id is listed are kept, sorted by Id (ordinal comparison),
    with their unprefixed attributes, an explicit ``TargetMode="Internal"`` when it was left to its
    default, and no content, comments or foreign markup.
    """
    wanted = set(source_ids)
    root = _parse_xml(data, "a relationships part")
    if root.tag != f"{{{NS_RELATIONSHIPS}}}Relationships":
        raise _PackageError("The file is damaged: a relationships part is not valid.")
    kept = [
        element
        for element in root.iterchildren(f"{{{NS_RELATIONSHIPS}}}Relationship")
        if element.get("Id") is not None and element.get("Id") in wanted
    ]
    kept.sort(key=lambda element: element.get("Id").encode("utf-8"))
    output = etree.Element(f"{{{NS_RELATIONSHIPS}}}Relationships", nsmap={None: NS_RELATIONSHIPS})
    for element in kept:
        attributes = {
            name: value
            for name, value in element.attrib.items()
            if not name.startswith("{") or name.startswith("{http://www.w3.org/XML/1998/namespace}")
        }
        attributes.setdefault("TargetMode", "Internal")
        child = etree.SubElement(output, f"{{{NS_RELATIONSHIPS}}}Relationship")
        for name, value in attributes.items():
            child.set(name, value)
    return _canonicalise(output, ALG_C14N)


def _canonicalise(element: etree._Element, algorithm: str) -> bytes:
    """Canonical XML of ``element`` and its descendants as a document subset.

    The subtree is serialised (lxml writes every namespace declaration in scope on its top
    element) and parsed again, and the fresh document is canonicalised. Canonicalising a
    sub-element of a tree built in memory directly gave spurious ``xmlns=""`` declarations with
    lxml 6 / libxml2 2.14, and so digests that other verifiers did not reproduce.
    """
    standalone = etree.fromstring(etree.tostring(element, with_tail=False), parser=_PARSER)
    return etree.tostring(
        standalone,
        method="c14n",
        exclusive=algorithm in (ALG_EXC_C14N, ALG_EXC_C14N_COMMENTS),
        with_comments=algorithm in (ALG_C14N_COMMENTS, ALG_EXC_C14N_COMMENTS),
    )


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

    signature = etree.Element(_dsig("Signature"), nsmap={None: NS_DSIG}, Id=_SIGNATURE_ID)
    signed_info = etree.SubElement(signature, _dsig("SignedInfo"))
    etree.SubElement(signed_info, _dsig("CanonicalizationMethod"), Algorithm=ALG_C14N)
    etree.SubElement(signed_info, _dsig("SignatureMethod"), Algorithm=signature_method)
    for uri, type_, transform in (
        (_PACKAGE_OBJECT_ID, TYPE_OBJECT, False),
        (_OFFICE_OBJECT_ID, TYPE_OBJECT, False),
        (_SIGNED_PROPERTIES_ID, TYPE_SIGNED_PROPERTIES, True),
    ):
        reference = etree.SubElement(signed_info, _dsig("Reference"), Type=type_, URI=f"#{uri}")
        if transform:
            transforms = etree.SubElement(reference, _dsig("Transforms"))
            etree.SubElement(transforms, _dsig("Transform"), Algorithm=ALG_C14N)
        etree.SubElement(reference, _dsig("DigestMethod"), Algorithm=ALG_SHA256)
        etree.SubElement(reference, _dsig("DigestValue"))
    etree.SubElement(signature, _dsig("SignatureValue"))
    key_info = etree.SubElement(signature, _dsig("KeyInfo"))
    x509_data = etree.SubElement(key_info, _dsig("X509Data"))
    etree.SubElement(x509_data, _dsig("X509Certificate")).text = base64.b64encode(cert_der).decode(
        "ascii"
    )

    # The package object: the Manifest of signed parts, and the signing time.
    package_object = etree.SubElement(signature, _dsig("Object"), Id=_PACKAGE_OBJECT_ID)
    manifest_element = etree.SubElement(package_object, _dsig("Manifest"))
    for entry in manifest:
        reference = etree.SubElement(
            manifest_element,
            _dsig("Reference"),
            URI=f"/{entry.part}?ContentType={entry.content_type}",
        )
        if entry.source_ids is not None:
            transforms = etree.SubElement(reference, _dsig("Transforms"))
            relationship_transform = etree.SubElement(
                transforms, _dsig("Transform"), Algorithm=ALG_RELATIONSHIP_TRANSFORM
            )
            for source_id in entry.source_ids:
                etree.SubElement(
                    relationship_transform,
                    f"{{{NS_MDSSI}}}RelationshipReference",
                    nsmap={"mdssi": NS_MDSSI},
                    SourceId=source_id,
                )
            etree.SubElement(transforms, _dsig("Transform"), Algorithm=ALG_C14N)
        etree.SubElement(reference, _dsig("DigestMethod"), Algorithm=ALG_SHA256)
        etree.SubElement(reference, _dsig("DigestValue")).text = entry.digest
    properties = etree.SubElement(package_object, _dsig("SignatureProperties"))
    property_ = etree.SubElement(
        properties, _dsig("SignatureProperty"), Id="idSignatureTime", Target=f"#{_SIGNATURE_ID}"
    )
    signature_time = etree.SubElement(
        property_, f"{{{NS_MDSSI}}}SignatureTime", nsmap={"mdssi": NS_MDSSI}
    )
    etree.SubElement(signature_time, f"{{{NS_MDSSI}}}Format").text = _TIME_FORMAT
    etree.SubElement(signature_time, f"{{{NS_MDSSI}}}Value").text = timestamp

    # The Office object: SignatureInfoV1 (an invisible signature, with the stated purpose).
    office_object = etree.SubElement(signature, _dsig("Object"), Id=_OFFICE_OBJECT_ID)
    properties = etree.SubElement(office_object, _dsig("SignatureProperties"))
    property_ = etree.SubElement(
        properties, _dsig("SignatureProperty"), Id="idOfficeV1Details", Target=f"#{_SIGNATURE_ID}"
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
    xades_object = etree.SubElement(signature, _dsig("Object"))
    qualifying = etree.SubElement(
        xades_object,
        f"{{{NS_XADES}}}QualifyingProperties",
        nsmap={"xd": NS_XADES},
        Target=f"#{_SIGNATURE_ID}",
    )
    signed_properties = etree.SubElement(
        qualifying, f"{{{NS_XADES}}}SignedProperties", Id=_SIGNED_PROPERTIES_ID
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
    etree.SubElement(cert_digest, _dsig("DigestMethod"), Algorithm=ALG_SHA256)
    etree.SubElement(cert_digest, _dsig("DigestValue")).text = base64.b64encode(
        hashlib.sha256(cert_der).digest()
    ).decode("ascii")
    issuer_serial = etree.SubElement(cert, f"{{{NS_XADES}}}IssuerSerial")
    etree.SubElement(issuer_serial, _dsig("X509IssuerName")).text = _issuer_name(certificate)
    etree.SubElement(issuer_serial, _dsig("X509SerialNumber")).text = str(certificate.serial_number)

    # Digest the three referenced elements on a parsed copy, then sign the SignedInfo.
    document = etree.fromstring(_serialise(signature), parser=_PARSER)
    for reference in document.find(_dsig("SignedInfo")).iterchildren(_dsig("Reference")):
        target = _element_by_id(document, reference.get("URI")[1:])
        digest = hashlib.sha256(_canonicalise(target, ALG_C14N)).digest()
        reference.find(_dsig("DigestValue")).text = base64.b64encode(digest).decode("ascii")
    document = etree.fromstring(_serialise(document), parser=_PARSER)
    signed_info_bytes = _canonicalise(document.find(_dsig("SignedInfo")), ALG_C14N)
    if isinstance(key, rsa.RSAPrivateKey):
        value = key.sign(signed_info_bytes, padding.PKCS1v15(), hashes.SHA256())
    else:
        der = key.sign(signed_info_bytes, ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        size = (key.curve.key_size + 7) // 8
        value = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    document.find(_dsig("SignatureValue")).text = base64.b64encode(value).decode("ascii")
    return _serialise(document)


def _issuer_name(certificate: x509.Certificate) -> str:
    """The issuer as an RFC 4514 string, with readable names for the usual attributes."""
    return certificate.issuer.rfc4514_string(
        {NameOID.TITLE: "title", NameOID.EMAIL_ADDRESS: "emailAddress"}
    )


def _element_by_id(root: etree._Element, identifier: str) -> etree._Element:
    matches = root.xpath("//*[@Id=$id]", id=identifier)
    if len(matches) != 1:
        raise _PackageError(f"The signature has {len(matches)} elements with the Id {identifier}.")
    return matches[0]


def _require_certificate_valid_at(certificate: x509.Certificate, moment: datetime) -> None:
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


def _normalise_time(moment: datetime | None) -> datetime:
    if moment is None:
        moment = datetime.now(UTC)
    elif moment.tzinfo is None:
        moment = moment.astimezone()  # naive: local time
    return moment.astimezone(UTC).replace(microsecond=0)


def _write_package(package: _Package, parts: Mapping[str, bytes], moment: datetime) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        written: set[str] = set()
        for original in package.infos:
            info = zipfile.ZipInfo(original.filename, date_time=original.date_time)
            info.compress_type = (
                original.compress_type
                if original.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
                else zipfile.ZIP_DEFLATED
            )
            info.external_attr = original.external_attr
            archive.writestr(info, parts[original.filename])
            written.add(original.filename)
        stamp = max(moment.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
        for name, data in parts.items():
            if name in written:
                continue
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


# =================================================================================================
# Checking a signature
# =================================================================================================


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
    _PACKAGE_OBJECT_ID: "The list of signed parts in the signature was changed after signing.",
    _OFFICE_OBJECT_ID: "The signature details (such as the stated purpose) were changed after "
    "signing.",
    _SIGNED_PROPERTIES_ID: "The signing time or signing certificate details were changed after "
    "signing.",
}


def _verify_signature_part_safely(package: _Package, part: str) -> _PartResult:
    """:func:`_verify_signature_part`, turning any failure on hostile input into a problem."""
    try:
        return _verify_signature_part(package, part)
    except (
        _PackageError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        etree.LxmlError,
        UnsupportedAlgorithm,
    ):
        return _PartResult(part, problems=["The signature is damaged and could not be checked."])


def _verify_signature_part(package: _Package, part: str) -> _PartResult:
    result = _PartResult(part)
    problems = result.problems
    assert problems is not None
    try:
        root = _parse_xml(package.parts[part], part)
    except _PackageError as exc:
        problems.append(f"The signature is damaged. {exc}")
        return result
    if root.tag != _dsig("Signature"):
        problems.append(f"The signature part {part} does not hold an XML signature.")
        return result

    # --- The certificate -------------------------------------------------------------------
    certificates = []
    for element in root.iterfind(
        f"{_dsig('KeyInfo')}/{_dsig('X509Data')}/{_dsig('X509Certificate')}"
    ):
        try:
            certificates.append(
                x509.load_der_x509_certificate(base64.b64decode(_squeeze(element.text)))
            )
        except (ValueError, TypeError):
            problems.append("The certificate in the signature is damaged.")
    signed_properties = _find_signed_properties(root)
    certificate = _choose_certificate(certificates, signed_properties)
    if certificate is None:
        problems.append("The signature does not include the signer's certificate.")
    else:
        result.signer = _common_name(certificate)
        result.fingerprint = certificate_fingerprint(certificate)
        result.certificate_der = certificate.public_bytes(serialization.Encoding.DER)
        result.other_certificates_der = tuple(
            c.public_bytes(serialization.Encoding.DER) for c in certificates if c != certificate
        )

    # --- SignedInfo: references and the signature value ----------------------------------------
    signed_info = root.find(_dsig("SignedInfo"))
    if signed_info is None:
        problems.append("The signature has no signed information.")
        return result
    referenced: list[etree._Element] = []
    references = list(signed_info.iterchildren(_dsig("Reference")))
    if not references:
        problems.append("The signature signs nothing.")
    for reference in references:
        target, problem = _check_same_document_reference(root, reference)
        if problem:
            problems.append(problem)
        if target is not None:
            referenced.append(target)

    canonicalisation = _algorithm(signed_info.find(_dsig("CanonicalizationMethod")))
    method = _algorithm(signed_info.find(_dsig("SignatureMethod")))
    value_element = root.find(_dsig("SignatureValue"))
    if canonicalisation not in _C14N_ALGORITHMS:
        problems.append("The signature uses a canonicalisation method that is not supported.")
    elif method not in _SIGNATURE_METHODS:
        problems.append("The signature uses a signature method that is not supported.")
    elif value_element is None or not _squeeze(value_element.text):
        problems.append("The signature has no signature value.")
    elif certificate is not None:
        try:
            value = base64.b64decode(_squeeze(value_element.text), validate=True)
        except ValueError:
            value = b""
        data = _canonicalise(signed_info, canonicalisation)
        if not _signature_matches(certificate, method, value, data):
            problems.append("The signature value does not match the signed information.")

    # --- XAdES properties ----------------------------------------------------------------
    if signed_properties is not None:
        if not any(_contains(element, signed_properties) for element in referenced):
            problems.append(
                "The signing time and signing certificate details are not covered by the signature."
            )
        if certificate is not None and not _certificate_digest_matches(
            signed_properties, certificate
        ):
            problems.append(
                "The certificate in the signature is not the one the signer declared when signing."
            )

    # --- The Manifest: every part and relationship -----------------------------------------
    manifests = [manifest for element in referenced for manifest in element.iter(_dsig("Manifest"))]
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
        target = _element_by_id(root, identifier)
    except _PackageError:
        return None, (
            f"The signed element {identifier} is missing from the signature or is not unique."
        )
    algorithm = ALG_C14N
    for transform in reference.iterfind(f"{_dsig('Transforms')}/{_dsig('Transform')}"):
        transform_algorithm = _algorithm(transform)
        if transform_algorithm not in _C14N_ALGORITHMS:
            return (
                target,
                f"The signed element {identifier} uses a transform that is not supported.",
            )
        algorithm = transform_algorithm
    expected, digest_name = _expected_digest(reference)
    if expected is None or digest_name is None:
        return target, f"The digest of the signed element {identifier} is missing or not supported."
    actual = hashlib.new(digest_name, _canonicalise(target, algorithm)).digest()
    if actual != expected:
        return target, _CHANGED_OBJECT.get(
            identifier, f"The signed element {identifier} was changed after signing."
        )
    return target, None


def _check_manifests(
    package: _Package, manifests: list[etree._Element], problems: list[str]
) -> None:
    covered: set[str] = set()
    for manifest in manifests:
        for reference in manifest.iterchildren(_dsig("Reference")):
            problem, part = _check_manifest_reference(package, reference)
            if part is not None:
                covered.add(part.lower())
            if problem and problem not in problems:
                problems.append(problem)
    for name in package.parts:
        if _should_sign_part(name) and name.lower() not in covered:
            problems.append(f"{name} was added after signing.")


_URI_PATTERN = re.compile(r"^/(?P<path>[^?#]+)(?:\?ContentType=(?P<type>[^#]*))?$")


def _check_manifest_reference(
    package: _Package, reference: etree._Element
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

    expected, digest_name = _expected_digest(reference)
    if expected is None or digest_name is None:
        return f"The digest of {part} in the signature is missing or not supported.", part
    data = package.parts[part]
    transforms = [
        (_algorithm(t), t)
        for t in reference.iterfind(f"{_dsig('Transforms')}/{_dsig('Transform')}")
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
            data = _relationship_transform(data, source_ids)
            current = _signable_relationship_ids(package.parts[part], part)
        except _PackageError:
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


def _expected_digest(reference: etree._Element) -> tuple[bytes | None, str | None]:
    digest_name = _DIGESTS.get(_algorithm(reference.find(_dsig("DigestMethod"))) or "")
    value = reference.find(_dsig("DigestValue"))
    if value is None or not _squeeze(value.text):
        return None, digest_name
    try:
        return base64.b64decode(_squeeze(value.text), validate=True), digest_name
    except ValueError:
        return None, digest_name


def _signature_matches(
    certificate: x509.Certificate, method: str, value: bytes, data: bytes
) -> bool:
    kind, hash_algorithm = _SIGNATURE_METHODS[method]
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
        f"{_dsig('Object')}/{{{NS_XADES}}}QualifyingProperties/{{{NS_XADES}}}SignedProperties"
    )
    return found[0] if found else None


def _choose_certificate(
    certificates: list[x509.Certificate], signed_properties: etree._Element | None
) -> x509.Certificate | None:
    if not certificates:
        return None
    if signed_properties is not None:
        for certificate in certificates:
            if _certificate_digest_matches(signed_properties, certificate):
                return certificate
    return certificates[0]


def _certificate_digest_matches(
    signed_properties: etree._Element, certificate: x509.Certificate
) -> bool:
    der = certificate.public_bytes(serialization.Encoding.DER)
    path = (
        f"{{{NS_XADES}}}SignedSignatureProperties/{{{NS_XADES}}}SigningCertificate/"
        f"{{{NS_XADES}}}Cert/{{{NS_XADES}}}CertDigest"
    )
    for cert_digest in signed_properties.iterfind(path):
        expected, digest_name = _expected_digest(cert_digest)
        if expected and digest_name and hashlib.new(digest_name, der).digest() == expected:
            return True
    return False


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
        _contains(element, signed_properties) for element in referenced
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


def _common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if names:
        value = names[0].value
        return value if isinstance(value, str) else value.decode("utf-8", "replace")
    return certificate.subject.rfc4514_string()


def _contains(ancestor: etree._Element, element: etree._Element) -> bool:
    node: etree._Element | None = element
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _algorithm(element: etree._Element | None) -> str | None:
    return None if element is None else element.get("Algorithm")


def _squeeze(text: str | None) -> str:
    return "".join((text or "").split())
