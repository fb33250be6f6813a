"""The vocabulary of an OPC package signature: XML namespaces, algorithm identifiers, the names
of the signature parts, relationship and content types, and the Ids of the signed objects."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes

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
C14N_ALGORITHMS = {ALG_C14N, ALG_C14N_COMMENTS, ALG_EXC_C14N, ALG_EXC_C14N_COMMENTS}
ALG_RELATIONSHIP_TRANSFORM = "http://schemas.openxmlformats.org/package/2006/RelationshipTransform"
ALG_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
DIGESTS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    ALG_SHA256: "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
ALG_RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
ALG_ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
SIGNATURE_METHODS: dict[str, tuple[str, hashes.HashAlgorithm]] = {
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
UNSIGNED_RELATIONSHIP_TYPES = frozenset(
    {
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
        REL_ORIGIN,
    }
)
# Parts that a package signature leaves out (compared case-insensitively, as OPC part names are).
UNSIGNED_PARTS = frozenset({CONTENT_TYPES_PART.lower(), "docprops/core.xml", "docprops/app.xml"})

CT_RELATIONSHIPS = "application/vnd.openxmlformats-package.relationships+xml"
CT_ORIGIN = "application/vnd.openxmlformats-package.digital-signature-origin"
CT_SIGNATURE = "application/vnd.openxmlformats-package.digital-signature-xmlsignature+xml"


SIGNATURE_ID = "idPackageSignature"
PACKAGE_OBJECT_ID = "idPackageObject"
OFFICE_OBJECT_ID = "idOfficeObject"
SIGNED_PROPERTIES_ID = "idSignedProperties"
