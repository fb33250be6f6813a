"""The signed demonstration minutes and a decision record, checked by software panelapp does not
control: xmlsec1 (libxmlsec1) and LibreOffice's own signature verification.

The helpers are tests/helpers/verifiers.py; see there for how each tool is driven, and
tests/documents/test_package_signature.py for what LibreOffice reports for each state.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from panelapp.domain.vocabulary import NamingMode
from panelapp.services.decision_records import make_decision_records
from tests.helpers.verifiers import (
    SIGNATURE_PART,
    certificate_pem_from_signature,
    extract_package,
    find_soffice,
    find_uno_python,
    find_xmlsec1,
    libreoffice_verify,
    require_tool,
    xmlsec1_verify,
)

pytestmark = pytest.mark.external


def tamper(docx: bytes) -> bytes:
    """One byte of the minutes' text changed; every other part keeps its bytes."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                assert data.count(b"Decline to assess<") == 1
                data = data.replace(b"Decline to assess<", b"Decline to assesz<")
            target.writestr(info, data)
    return out.getvalue()


@pytest.fixture
def signed_files(tmp_path, store, demo, signed_minutes) -> dict[str, Path]:
    _, minutes = signed_minutes
    with store.read() as session:
        records = make_decision_records(store, session, demo.meeting_id, NamingMode.INITIALS)
    vice_chaired = next(r for r in records if r.item_position == 10)
    files = {
        "minutes": tmp_path / "minutes.docx",
        "tampered": tmp_path / "tampered.docx",
        "record": tmp_path / "record-item-10.docx",
    }
    files["minutes"].write_bytes(minutes)
    files["tampered"].write_bytes(tamper(minutes))
    files["record"].write_bytes(vice_chaired.document)
    return files


def _signer_certificate(docx: Path) -> x509.Certificate:
    with zipfile.ZipFile(docx) as archive:
        pem = certificate_pem_from_signature(archive.read(SIGNATURE_PART))
    return x509.load_pem_x509_certificate(pem)


def test_xmlsec1_verifies_the_signed_minutes_and_sees_a_changed_byte(tmp_path, signed_files):
    xmlsec1 = require_tool(find_xmlsec1(), "xmlsec1", "xmlsec1")
    for name, expect_intact in (("minutes", True), ("tampered", False), ("record", True)):
        package = extract_package(signed_files[name], tmp_path / f"unpacked-{name}")
        pem = tmp_path / f"{name}.pem"
        pem.write_bytes(certificate_pem_from_signature((package / SIGNATURE_PART).read_bytes()))
        result = xmlsec1_verify(xmlsec1, package, pem)
        assert result.core_valid, result.output  # the signature value and SignedInfo
        if expect_intact:
            assert result.fully_valid, result.output  # and every part's digest, by libxmlsec
        else:
            assert result.manifest_ok == result.manifest_all - 1, result.output
            assert not result.fully_valid


@pytest.mark.timeout(900)
def test_libreoffice_reports_the_signed_minutes_valid_and_the_changed_copy_broken(
    tmp_path, signed_files
):
    soffice = require_tool(
        find_soffice(), "LibreOffice (soffice)", "libreoffice-writer-nogui python3-uno"
    )
    uno_python = require_tool(find_uno_python(), "LibreOffice's Python bridge (uno)", "python3-uno")
    trust = []
    for name in ("minutes", "record"):
        der = tmp_path / f"{name}-signer.der"
        der.write_bytes(
            _signer_certificate(signed_files[name]).public_bytes(serialization.Encoding.DER)
        )
        trust.append(der)
    files = [signed_files["minutes"], signed_files["tampered"], signed_files["record"]]
    results = libreoffice_verify(uno_python, soffice, tmp_path / "lo-profile", files, trust=trust)

    def only(result: dict) -> dict:
        assert "error" not in result, result
        assert len(result["signatures"]) == 1, result
        return result["signatures"][0]

    minutes = results[str(signed_files["minutes"])]
    assert only(minutes["untrusted"])["signature_is_valid"] is True, minutes
    assert "CN=Helen Whitaker" in only(minutes["untrusted"])["signer"]
    # Intact but self-signed: LibreOffice says the certificate is not validated ...
    assert minutes["untrusted"]["state"] == "NOTVALIDATED_PARTIAL_OK", minutes
    # ... and once the chair's certificate is trusted, the best state an OOXML signature gets.
    assert minutes["trusted"]["state"] == "PARTIAL_OK", minutes

    tampered = results[str(signed_files["tampered"])]
    assert only(tampered["trusted"])["signature_is_valid"] is False, tampered
    assert tampered["trusted"]["state"] == "BROKEN", tampered

    record = results[str(signed_files["record"])]
    assert "CN=David Okafor" in only(record["trusted"])["signer"]
    assert record["trusted"]["state"] == "PARTIAL_OK", record
