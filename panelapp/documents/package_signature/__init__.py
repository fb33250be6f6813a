"""Sign Word minutes with an OPC package signature, and check such signatures.

The modules: ``package`` (reading and writing the OPC package), ``xmldsig`` (the relationship
transform, canonicalisation and digests), ``certificates`` (the signing certificate), ``signing``
(:func:`sign_docx`), ``verification`` (:func:`verify_docx` and :class:`SignatureReport`) and
``names`` (namespaces, algorithms, part names and types). Callers import from this package.

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

# The format's names stay importable from here, as when this package was one module.
from panelapp.documents.package_signature.names import (
    ALG_C14N,
    ALG_C14N_COMMENTS,
    ALG_ECDSA_SHA256,
    ALG_EXC_C14N,
    ALG_EXC_C14N_COMMENTS,
    ALG_RELATIONSHIP_TRANSFORM,
    ALG_RSA_SHA256,
    ALG_SHA256,
    CONTENT_TYPES_PART,
    CT_ORIGIN,
    CT_RELATIONSHIPS,
    CT_SIGNATURE,
    NS_CONTENT_TYPES,
    NS_DSIG,
    NS_MDSSI,
    NS_OFFICE_DIGSIG,
    NS_RELATIONSHIPS,
    NS_XADES,
    ORIGIN_PART,
    ORIGIN_RELS_PART,
    REL_OFFICE_DOCUMENT,
    REL_ORIGIN,
    REL_SIGNATURE,
    ROOT_RELS_PART,
    SIGNATURE_FOLDER,
    SIGNATURE_PART,
    TYPE_OBJECT,
    TYPE_SIGNED_PROPERTIES,
)
from panelapp.documents.package_signature.signing import sign_docx
from panelapp.documents.package_signature.verification import SignatureReport, verify_docx

__all__ = [
    "SignatureReport",
    "sign_docx",
    "verify_docx",
    "ALG_C14N",
    "ALG_C14N_COMMENTS",
    "ALG_ECDSA_SHA256",
    "ALG_EXC_C14N",
    "ALG_EXC_C14N_COMMENTS",
    "ALG_RELATIONSHIP_TRANSFORM",
    "ALG_RSA_SHA256",
    "ALG_SHA256",
    "CONTENT_TYPES_PART",
    "CT_ORIGIN",
    "CT_RELATIONSHIPS",
    "CT_SIGNATURE",
    "NS_CONTENT_TYPES",
    "NS_DSIG",
    "NS_MDSSI",
    "NS_OFFICE_DIGSIG",
    "NS_RELATIONSHIPS",
    "NS_XADES",
    "ORIGIN_PART",
    "ORIGIN_RELS_PART",
    "REL_OFFICE_DOCUMENT",
    "REL_ORIGIN",
    "REL_SIGNATURE",
    "ROOT_RELS_PART",
    "SIGNATURE_FOLDER",
    "SIGNATURE_PART",
    "TYPE_OBJECT",
    "TYPE_SIGNED_PROPERTIES",
]
