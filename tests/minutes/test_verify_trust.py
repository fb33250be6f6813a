"""``panelapp verify`` says who is trusted, as an attacker would test it: a copy re-signed with a
brand-new key in the chair's name, bytes added outside the ZIP, stray signature parts."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from panelapp.cli import main
from panelapp.documents.package_signature import sign_docx, verify_docx
from panelapp.documents.signing_identity import SigningIdentity, create_identity
from panelapp.domain.vocabulary import NamingMode
from panelapp.services.minutes import generate_minutes, minutes_document
from panelapp.services.unit_of_work import UnitOfWork


@pytest.fixture
def draft(store, demo, identities) -> bytes:
    """The demo's draft minutes, unsigned, as someone who can open the store could take them."""
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    with store.read() as session:
        return minutes_document(session, demo.meeting_id)[1]


def _verify(store, path, *extra) -> tuple[int, str]:
    store.close()
    code = main(["--store", str(store.path), "verify", str(path), *extra])
    return code, _out()


_captured: list = []


def _out() -> str:
    return _captured[-1].readouterr().out


@pytest.fixture(autouse=True)
def _capture(capsys):
    _captured.append(capsys)
    yield
    _captured.pop()


def test_a_copy_resigned_with_a_fresh_key_in_the_chairs_name_is_not_trusted(store, draft, tmp_path):
    forger = create_identity("Helen Whitaker", "Chair", "Northshire County Council")
    forged = tmp_path / "forged.docx"
    forged.write_bytes(sign_docx(draft, forger))

    code, out = _verify(store, forged)

    assert code == 3, out
    assert out.splitlines()[0].startswith("INTACT BUT NOT TRUSTED")
    assert "Certificate subject: CN=Helen Whitaker" in out
    assert f"Certificate fingerprint (SHA-256): {forger.fingerprint}" in out
    assert "self-signed" in out and "not registered for any member" in out
    assert "document properties" in out


def test_the_chairs_genuine_signature_is_trusted_through_the_store(store, signed_minutes, tmp_path):
    genuine = tmp_path / "minutes.docx"
    genuine.write_bytes(signed_minutes[1])

    code, out = _verify(store, genuine)

    assert code == 0, out
    assert out.splitlines()[0].startswith("VALID")
    assert "TRUSTED: the certificate is the one the panel registered for Helen Whitaker" in out
    assert f"the store {store.path.name}" in out
    assert "Not covered by the signature: the document properties" in out


def test_a_reader_without_the_store_trusts_through_the_councils_trust_file(
    store, signed_minutes, tmp_path
):
    genuine = tmp_path / "minutes.docx"
    genuine.write_bytes(signed_minutes[1])
    trust = tmp_path / "trust.json"
    assert main(["--store", str(store.path), "signing", "export-trust", "--out", str(trust)]) == 0
    _out()

    without, out_without = _verify(store, genuine, "--no-store")
    with_file, out_with = _verify(store, genuine, "--no-store", "--trust", str(trust))

    assert without == 3, out_without
    assert with_file == 0, out_with
    assert "according to the trust file trust.json" in out_with


def test_the_trust_file_does_not_vouch_for_a_forged_copy(store, draft, tmp_path):
    trust = tmp_path / "trust.json"
    assert main(["--store", str(store.path), "signing", "export-trust", "--out", str(trust)]) == 0
    forged = tmp_path / "forged.docx"
    forged.write_bytes(sign_docx(draft, create_identity("Helen Whitaker", "Chair", "Council")))

    code, out = _verify(store, forged, "--no-store", "--trust", str(trust))

    assert code == 3, out


def _authority():
    now = datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Northshire Signing CA")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _issued(ca_key, ca_cert, name: str) -> SigningIdentity:
    now = datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(99)
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return SigningIdentity(certificate, key)


def test_a_certificate_issued_by_the_ca_the_reader_gives_is_trusted(store, draft, tmp_path):
    ca_key, ca_cert = _authority()
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    signed = tmp_path / "ca-signed.docx"
    signed.write_bytes(sign_docx(draft, _issued(ca_key, ca_cert, "Helen Whitaker")))
    _, other_ca = _authority()
    other = tmp_path / "other-ca.pem"
    other.write_bytes(other_ca.public_bytes(serialization.Encoding.PEM))

    trusted, out = _verify(store, signed, "--no-store", "--ca", str(ca_file))
    wrong_ca, _ = _verify(store, signed, "--no-store", "--ca", str(other))
    no_ca, _ = _verify(store, signed, "--no-store")

    assert trusted == 0, out
    assert "issued by the certificate authority CN=Northshire Signing CA" in out
    assert (wrong_ca, no_ca) == (3, 3)


@pytest.mark.parametrize(
    "wrap",
    [
        pytest.param(lambda d: b"<html><body>Approved in full</body></html>\n" + d, id="prepended"),
        pytest.param(lambda d: d + b"\n<html>Approved in full</html>", id="appended"),
    ],
)
def test_bytes_outside_the_zip_are_refused(store, signed_minutes, tmp_path, wrap):
    path = tmp_path / "wrapped.docx"
    path.write_bytes(wrap(signed_minutes[1]))

    code, out = _verify(store, path)

    assert code == 1, out
    assert "NOT SIGNED" in out.splitlines()[0] or "NOT VALID" in out.splitlines()[0]
    assert "data" in out and ("in front of" in out or "after the end" in out)


def test_a_signature_part_that_nothing_references_is_refused(signed_minutes, tmp_path):
    source = zipfile.ZipFile(io.BytesIO(signed_minutes[1]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("_xmlsignatures/sig2.xml", source.read("_xmlsignatures/sig1.xml"))

    report = verify_docx(out.getvalue())

    assert report.signed and not report.valid
    assert any("nothing references" in p and "sig2.xml" in p for p in report.problems)
