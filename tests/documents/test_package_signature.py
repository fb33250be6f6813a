"""Signed minutes: the OPC package signature made by panelapp, checked by us, xmlsec1 and LibreOffice."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from lxml import etree

from panelapp.documents.package_signature import SignatureReport, sign_docx, verify_docx
from panelapp.documents.signing_errors import SigningError
from panelapp.documents.signing_identity import (
    SigningIdentity,
    create_identity,
    identity_from_pem,
    identity_to_pem,
    load_pkcs12,
)
from tests.helpers.verifiers import MINUTES_TEXT, make_minutes_docx, require_tool

DSIG = "http://www.w3.org/2000/09/xmldsig#"
MDSSI = "http://schemas.openxmlformats.org/package/2006/digital-signature"
OFFICE = "http://schemas.microsoft.com/office/2006/digsig"
SIG_PART = "_xmlsignatures/sig1.xml"


# ------------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------------


def rezip(
    data: bytes,
    replace: dict[str, bytes] | None = None,
    remove: tuple[str, ...] = (),
    add: dict[str, bytes] | None = None,
) -> bytes:
    """Rewrite a package changing only the named parts; every other part keeps its bytes."""
    replace = replace or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():
            if info.filename in remove:
                continue
            out.writestr(info, replace.get(info.filename, source.read(info.filename)))
        for name, content in (add or {}).items():
            out.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def read_part(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def change_one_letter_in_text(document_xml: bytes) -> bytes:
    """Change one letter inside a run's text (<w:t>), nothing else."""
    needle = b"carry out"
    assert document_xml.count(needle) == 1
    changed = document_xml.replace(needle, b"carry put")
    assert len(changed) == len(document_xml)
    assert sum(a != b for a, b in zip(changed, document_xml, strict=True)) == 1
    return changed


def signature_root(data: bytes) -> etree._Element:
    return etree.fromstring(read_part(data, SIG_PART))


def manifest_references(data: bytes) -> dict[str, etree._Element]:
    root = signature_root(data)
    return {
        reference.get("URI").split("?")[0]: reference
        for reference in root.iterfind(f".//{{{DSIG}}}Manifest/{{{DSIG}}}Reference")
    }


def ec_identity() -> SigningIdentity:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Vice Chair")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return SigningIdentity(certificate=certificate, private_key=key)


# ------------------------------------------------------------------------------------------------
# Signing identity
# ------------------------------------------------------------------------------------------------


def test_created_identity_is_a_signing_certificate_for_the_chair(chair_identity):
    certificate = chair_identity.certificate
    subject = certificate.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Jane Smith"
    assert subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "Panel Chair"
    assert (
        subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
        == "Example Borough Council"
    )
    assert certificate.issuer == subject  # self-signed
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert not usage.key_encipherment and not usage.key_cert_sign
    assert isinstance(chair_identity.private_key, rsa.RSAPrivateKey)
    assert chair_identity.private_key.key_size == 3072
    assert chair_identity.common_name == "Jane Smith"
    assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", chair_identity.fingerprint)
    expected = certificate.fingerprint(hashes.SHA256()).hex().upper()
    assert chair_identity.fingerprint.replace(":", "") == expected
    assert "private_key" not in repr(chair_identity)


def test_create_identity_refuses_an_empty_name():
    with pytest.raises(SigningError, match="name"):
        create_identity("  ", "Panel Chair", "Example Borough Council")


def test_identity_survives_encrypted_pem_round_trip(chair_identity):
    passphrase = b"correct horse battery staple"
    cert_pem, key_pem = identity_to_pem(chair_identity, passphrase)
    assert b"ENCRYPTED PRIVATE KEY" in key_pem
    restored = identity_from_pem(cert_pem, key_pem, passphrase)
    assert restored.fingerprint == chair_identity.fingerprint
    assert restored.private_key.private_numbers() == chair_identity.private_key.private_numbers()

    with pytest.raises(SigningError) as wrong:
        identity_from_pem(cert_pem, key_pem, b"not the passphrase")
    assert "not the passphrase" not in str(wrong.value)
    with pytest.raises(SigningError):
        identity_from_pem(cert_pem, key_pem, None)

    plain_cert, plain_key = identity_to_pem(chair_identity, None)
    assert b"BEGIN PRIVATE KEY" in plain_key
    assert identity_from_pem(plain_cert, plain_key, None).fingerprint == chair_identity.fingerprint


def test_load_pkcs12_from_the_council(chair_identity):
    password = "Council-Secret-42"
    p12 = pkcs12.serialize_key_and_certificates(
        b"chair",
        chair_identity.private_key,
        chair_identity.certificate,
        None,
        serialization.BestAvailableEncryption(password.encode()),
    )
    loaded = load_pkcs12(p12, password)
    assert loaded.fingerprint == chair_identity.fingerprint
    assert loaded.common_name == "Jane Smith"

    with pytest.raises(SigningError) as wrong:
        load_pkcs12(p12, "Wrong-Password-99")
    message = str(wrong.value)
    assert "Wrong-Password-99" not in message and password not in message
    assert "password" in message.lower()

    with pytest.raises(SigningError):
        load_pkcs12(b"this is not a certificate file", "anything")
    with pytest.raises(SigningError):
        load_pkcs12(b"", None)


def test_load_pkcs12_without_a_password(chair_identity):
    p12 = pkcs12.serialize_key_and_certificates(
        None,
        chair_identity.private_key,
        chair_identity.certificate,
        None,
        serialization.NoEncryption(),
    )
    assert load_pkcs12(p12, None).fingerprint == chair_identity.fingerprint


# ------------------------------------------------------------------------------------------------
# Signing and verifying with panelapp
# ------------------------------------------------------------------------------------------------


def test_signed_file_verifies_and_names_signer_time_and_fingerprint(
    signed_docx, chair_identity, signing_moment
):
    report = verify_docx(signed_docx)
    assert report == SignatureReport(
        signed=True,
        valid=True,
        signer="Jane Smith",
        signer_fingerprint=chair_identity.fingerprint,
        signed_at=signing_moment,
        problems=(),
        certificate_der=chair_identity.certificate.public_bytes(serialization.Encoding.DER),
    )


def test_signature_is_an_opc_package_signature(signed_docx, minutes_docx, signing_moment):
    names = zipfile.ZipFile(io.BytesIO(signed_docx)).namelist()
    assert {
        "_xmlsignatures/origin.sigs",
        "_xmlsignatures/_rels/origin.sigs.rels",
        SIG_PART,
    } <= set(names)
    assert read_part(signed_docx, "_xmlsignatures/origin.sigs") == b""

    content_types = read_part(signed_docx, "[Content_Types].xml").decode()
    assert (
        'Extension="sigs" ContentType="application/vnd.openxmlformats-package.'
        'digital-signature-origin"' in content_types
    )
    assert (
        'PartName="/_xmlsignatures/sig1.xml" ContentType="application/vnd.openxmlformats-'
        'package.digital-signature-xmlsignature+xml"' in content_types
    )
    root_rels = read_part(signed_docx, "_rels/.rels").decode()
    assert "relationships/digital-signature/origin" in root_rels
    assert 'Target="_xmlsignatures/origin.sigs"' in root_rels
    origin_rels = read_part(signed_docx, "_xmlsignatures/_rels/origin.sigs.rels").decode()
    assert "relationships/digital-signature/signature" in origin_rels
    assert 'Target="sig1.xml"' in origin_rels

    # Every part of the original package keeps its bytes, except the two we had to extend.
    original = zipfile.ZipFile(io.BytesIO(minutes_docx))
    for name in original.namelist():
        if name not in ("[Content_Types].xml", "_rels/.rels"):
            assert read_part(signed_docx, name) == original.read(name), name

    root = signature_root(signed_docx)
    assert root.get("Id") == "idPackageSignature"
    signed_info = root.find(f"{{{DSIG}}}SignedInfo")
    assert [r.get("URI") for r in signed_info.iterfind(f"{{{DSIG}}}Reference")] == [
        "#idPackageObject",
        "#idOfficeObject",
        "#idSignedProperties",
    ]
    assert signed_info.find(f"{{{DSIG}}}SignatureMethod").get("Algorithm").endswith("rsa-sha256")

    references = manifest_references(signed_docx)
    assert "/word/document.xml" in references
    assert references["/word/document.xml"].get("URI") == (
        "/word/document.xml?ContentType=application/vnd.openxmlformats-officedocument."
        "wordprocessingml.document.main+xml"
    )
    for unsigned in (
        "/[Content_Types].xml",
        "/docProps/core.xml",
        "/docProps/app.xml",
        "/" + SIG_PART,
    ):
        assert unsigned not in references
    # The package relationships are signed, but not those to the document properties.
    source_ids = [
        element.get("SourceId")
        for element in references["/_rels/.rels"].iter(f"{{{MDSSI}}}RelationshipReference")
    ]
    rels = etree.fromstring(read_part(signed_docx, "_rels/.rels"))
    by_id = {element.get("Id"): element.get("Type") for element in rels}
    assert source_ids and all(
        not by_id[i].endswith(("core-properties", "extended-properties", "origin"))
        for i in source_ids
    )
    assert any(by_id[i].endswith("/officeDocument") for i in source_ids)

    time_value = root.find(f".//{{{MDSSI}}}SignatureTime/{{{MDSSI}}}Value").text
    assert time_value == signing_moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    info = root.find(f".//{{{OFFICE}}}SignatureInfoV1")
    assert info.findtext(f"{{{OFFICE}}}SignatureType") == "1"
    assert info.findtext(f"{{{OFFICE}}}SignatureComments") == "Approval of the minutes"


def test_one_changed_letter_in_the_minutes_breaks_the_signature(signed_docx):
    document_xml = read_part(signed_docx, "word/document.xml")
    assert MINUTES_TEXT.encode() in document_xml
    tampered = rezip(
        signed_docx, replace={"word/document.xml": change_one_letter_in_text(document_xml)}
    )
    report = verify_docx(tampered)
    assert report.signed and not report.valid
    assert "word/document.xml was changed after signing." in report.problems
    assert report.signer == "Jane Smith"  # still says who signed what was there before


def test_editing_document_properties_keeps_the_signature_valid(signed_docx):
    core = read_part(signed_docx, "docProps/core.xml")
    assert b"SEND panel minutes" in core
    edited = rezip(
        signed_docx, replace={"docProps/core.xml": core.replace(b"SEND panel minutes", b"Renamed")}
    )
    report = verify_docx(edited)
    assert report.valid, report.problems


def test_a_part_added_after_signing_is_reported(signed_docx):
    added = rezip(signed_docx, add={"customXml/item2.xml": b"<extra>not signed</extra>"})
    report = verify_docx(added)
    assert not report.valid
    assert "customXml/item2.xml was added after signing." in report.problems


def test_a_relationship_added_after_signing_is_reported(signed_docx):
    rels = read_part(signed_docx, "word/_rels/document.xml.rels")
    extra = (
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/hyperlink" Target="https://example.invalid/" TargetMode="External"/>'
    )
    changed = rels.replace(b"</Relationships>", extra + b"</Relationships>")
    report = verify_docx(rezip(signed_docx, replace={"word/_rels/document.xml.rels": changed}))
    assert not report.valid
    assert any("word/_rels/document.xml.rels" in p and "rId99" in p for p in report.problems)


def test_a_removed_part_is_reported(signed_docx):
    report = verify_docx(rezip(signed_docx, remove=("word/settings.xml",)))
    assert not report.valid
    assert "word/settings.xml was removed after signing." in report.problems


def test_an_altered_signature_value_is_reported(signed_docx):
    sig = read_part(signed_docx, SIG_PART)
    value = re.search(rb"<SignatureValue>([^<]+)</SignatureValue>", sig).group(1)
    raw = bytearray(base64.b64decode(value))
    raw[10] ^= 0x01
    altered = sig.replace(value, base64.b64encode(bytes(raw)))
    report = verify_docx(rezip(signed_docx, replace={SIG_PART: altered}))
    assert report.signed and not report.valid
    assert report.problems == ("The signature value does not match the signed information.",)


def test_a_changed_signing_time_is_reported(signed_docx):
    sig = read_part(signed_docx, SIG_PART)
    changed = re.sub(rb"<mdssi:Value>\d{4}", b"<mdssi:Value>1999", sig)
    assert changed != sig
    report = verify_docx(rezip(signed_docx, replace={SIG_PART: changed}))
    assert not report.valid
    assert "The list of signed parts in the signature was changed after signing." in report.problems


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"plain text, not a Word document",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"PK\x03\x04 truncated zip",
    ],
    ids=["empty", "text", "pdf", "truncated-zip"],
)
def test_a_file_that_is_not_a_docx_is_reported_not_signed(data):
    report = verify_docx(data)
    assert not report.signed and not report.valid
    assert report.signer is None and report.signed_at is None
    assert len(report.problems) == 1 and report.problems[0].endswith(".")


def test_a_zip_that_is_not_a_package_is_reported_not_signed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    report = verify_docx(buffer.getvalue())
    assert not report.signed and not report.valid
    assert "not a Word document" in report.problems[0]


@pytest.mark.parametrize("cut", [0, 1, 200, 3000, -200, -1])
def test_a_damaged_signature_part_is_reported_not_raised(signed_docx, cut):
    sig = read_part(signed_docx, SIG_PART)
    damaged = rezip(signed_docx, replace={SIG_PART: sig[:cut] + b"\x00garbage<"})
    report = verify_docx(damaged)
    assert report.signed and not report.valid
    assert report.problems


def test_an_unsigned_docx_is_reported_not_signed(minutes_docx):
    assert verify_docx(minutes_docx) == SignatureReport(
        False, False, None, None, None, ("The package is not signed.",)
    )


def test_signing_twice_is_refused(signed_docx, chair_identity):
    with pytest.raises(SigningError, match="already signed"):
        sign_docx(signed_docx, chair_identity)


def test_signing_something_that_is_not_a_docx_is_refused(chair_identity):
    with pytest.raises(SigningError):
        sign_docx(b"not a docx", chair_identity)


def test_ecdsa_identity_signs_too(minutes_docx):
    identity = ec_identity()
    signed = sign_docx(minutes_docx, identity)
    report = verify_docx(signed)
    assert report.valid and report.signer == "Vice Chair", report.problems
    method = signature_root(signed).find(f".//{{{DSIG}}}SignatureMethod").get("Algorithm")
    assert method.endswith("ecdsa-sha256")


def test_naive_signing_time_is_taken_as_local_time(minutes_docx, chair_identity):
    local = datetime.now().replace(microsecond=0)  # naive, local clock
    report = verify_docx(sign_docx(minutes_docx, chair_identity, signed_at=local))
    assert report.signed_at == local.astimezone().astimezone(UTC)


def test_signing_outside_the_certificate_validity_is_refused(minutes_docx, chair_identity):
    after_expiry = chair_identity.certificate.not_valid_after_utc + timedelta(days=1)
    with pytest.raises(SigningError, match="expired"):
        sign_docx(minutes_docx, chair_identity, signed_at=after_expiry)
    before_issue = chair_identity.certificate.not_valid_before_utc - timedelta(days=1)
    with pytest.raises(SigningError, match="date and time"):
        sign_docx(minutes_docx, chair_identity, signed_at=before_issue)


# ------------------------------------------------------------------------------------------------
# Independent verification: xmlsec1
# ------------------------------------------------------------------------------------------------


@pytest.fixture
def xmlsec1() -> str:
    from tests.helpers import verifiers

    return require_tool(verifiers.find_xmlsec1(), "xmlsec1", "xmlsec1")


@pytest.fixture
def extracted(tmp_path, signed_docx) -> tuple[Path, Path]:
    """The signed package unpacked, and the signer's certificate as PEM (no private key)."""
    from tests.helpers import verifiers

    docx = tmp_path / "signed.docx"
    docx.write_bytes(signed_docx)
    package = verifiers.extract_package(docx, tmp_path / "package")
    pem = tmp_path / "signer.pem"
    pem.write_bytes(verifiers.certificate_pem_from_signature((package / SIG_PART).read_bytes()))
    return package, pem


@pytest.mark.external
def test_xmlsec1_verifies_the_signature_and_every_signed_part(xmlsec1, extracted, signed_docx):
    from tests.helpers import verifiers

    package, pem = extracted
    result = verifiers.xmlsec1_verify(xmlsec1, package, pem)
    assert result.returncode == 0, result.output
    assert (result.signed_info_ok, result.signed_info_all) == (3, 3), result.output
    # libxmlsec recomputed every part digest and every RelationshipTransform with its own code.
    assert result.manifest_all == len(manifest_references(signed_docx))
    assert result.fully_valid, result.output


@pytest.mark.external
def test_xmlsec1_rejects_an_altered_signature_value(xmlsec1, extracted):
    from tests.helpers import verifiers

    package, pem = extracted
    sig = package / SIG_PART
    text = sig.read_bytes()
    value = re.search(rb"<SignatureValue>([^<]+)</SignatureValue>", text).group(1)
    raw = bytearray(base64.b64decode(value))
    raw[0] ^= 0x80
    sig.write_bytes(text.replace(value, base64.b64encode(bytes(raw))))
    result = verifiers.xmlsec1_verify(xmlsec1, package, pem)
    assert result.returncode != 0, result.output
    assert not result.core_valid


@pytest.mark.external
def test_xmlsec1_sees_the_changed_part_but_still_exits_zero(xmlsec1, extracted):
    """Why verify_docx recomputes digests: libxmlsec's verdict ignores the Manifest."""
    from tests.helpers import verifiers

    package, pem = extracted
    document = package / "word/document.xml"
    document.write_bytes(change_one_letter_in_text(document.read_bytes()))
    result = verifiers.xmlsec1_verify(xmlsec1, package, pem)
    assert result.core_valid, result.output  # exit status 0: SignedInfo is still intact ...
    assert result.manifest_ok == result.manifest_all - 1, result.output  # ... one part is not
    assert not result.fully_valid


# ------------------------------------------------------------------------------------------------
# Independent verification: LibreOffice's own signature check
# ------------------------------------------------------------------------------------------------


@pytest.mark.external
@pytest.mark.timeout(900)
def test_libreoffice_reports_signed_intact_and_tampered_broken(
    tmp_path, signed_docx, chair_identity, signing_moment
):
    """LibreOffice (DocumentDigitalSignatures.verifyDocumentContentSignatures) checks our files.

    Status observed with LibreOffice 7.4 (Debian 12):
    * signed, certificate not trusted: SignatureIsValid=True, CertificateStatus=INVALID (NSS's
      answer for a self-signed certificate that is not in its database), so the document state
      is NOTVALIDATED_PARTIAL_OK ("the signature is OK, but the certificate could not be
      validated and the document is only partially signed"). LibreOffice calls every OOXML
      signature partial (PartialDocumentSignature=True) because OOXML leaves the document
      properties unsigned on purpose.
    * the same file once the signer's certificate is trusted in LibreOffice's certificate
      database: CertificateStatus=VALID and state PARTIAL_OK, the best state LibreOffice gives an
      OOXML signature. So the first answer is about trust only, not about the content.
    * one letter of word/document.xml changed: SignatureIsValid=False, state BROKEN.
    * docProps/core.xml edited: still SignatureIsValid=True (as OOXML intends).
    """
    from tests.helpers import verifiers

    soffice = require_tool(
        verifiers.find_soffice(), "LibreOffice (soffice)", "libreoffice-writer-nogui python3-uno"
    )
    uno_python = require_tool(
        verifiers.find_uno_python(), "LibreOffice's Python bridge (uno)", "python3-uno"
    )

    signed = tmp_path / "signed.docx"
    signed.write_bytes(signed_docx)
    tampered = tmp_path / "tampered.docx"
    tampered.write_bytes(
        rezip(
            signed_docx,
            replace={
                "word/document.xml": change_one_letter_in_text(
                    read_part(signed_docx, "word/document.xml")
                )
            },
        )
    )
    core = read_part(signed_docx, "docProps/core.xml")
    retitled = tmp_path / "retitled.docx"
    retitled.write_bytes(
        rezip(signed_docx, replace={"docProps/core.xml": core.replace(b"SEND panel minutes", b"X")})
    )
    certificate = tmp_path / "signer.der"
    certificate.write_bytes(chair_identity.certificate.public_bytes(serialization.Encoding.DER))

    results = verifiers.libreoffice_verify(
        uno_python,
        soffice,
        tmp_path / "lo-profile",
        [signed, tampered, retitled],
        trust=[certificate],
    )

    def only_signature(result: dict) -> dict:
        assert "error" not in result, result
        assert len(result["signatures"]) == 1, result
        return result["signatures"][0]

    intact = results[str(signed)]
    info = only_signature(intact["untrusted"])
    assert info["signature_is_valid"] is True, intact
    assert "CN=Jane Smith" in info["signer"]
    assert info["signature_date"] == int(signing_moment.strftime("%Y%m%d"))
    assert info["signature_time"] // 100 == int(signing_moment.strftime("%H%M%S"))
    assert info["certificate_status"] != 0  # self-signed, not trusted
    assert intact["untrusted"]["state"] == "NOTVALIDATED_PARTIAL_OK", intact

    trusted = only_signature(intact["trusted"])
    assert trusted["signature_is_valid"] is True
    assert trusted["certificate_status"] == 0, intact  # VALID once the certificate is trusted
    assert intact["trusted"]["state"] == "PARTIAL_OK", intact

    broken = results[str(tampered)]
    for phase in ("untrusted", "trusted"):
        assert only_signature(broken[phase])["signature_is_valid"] is False, broken
        assert broken[phase]["state"] == "BROKEN", broken

    properties_edited = results[str(retitled)]
    assert only_signature(properties_edited["trusted"])["signature_is_valid"] is True
    assert properties_edited["trusted"]["state"] == "PARTIAL_OK", properties_edited


def test_fresh_minutes_helper_makes_a_word_document():
    # Guards the fixtures: python-docx output is what panelapp signs.
    names = zipfile.ZipFile(io.BytesIO(make_minutes_docx())).namelist()
    assert "word/document.xml" in names and "docProps/core.xml" in names
