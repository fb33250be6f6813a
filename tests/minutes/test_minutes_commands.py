"""The minutes, signing, decisions and verify commands, end to end on the demonstration store."""

from __future__ import annotations

import zipfile

import pytest

from panelapp.cli import main
from tests.helpers.minutes_docx import docx_text


@pytest.fixture
def run(store_path, demo, capsys):
    """Run a panelapp command on the test's store; returns (exit status, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        status = main(["--store", str(store_path), "--as", "Joanne Pike", *argv])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_generate_sign_verify_and_export_from_the_command_line(run, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    status, printed, _ = run("signing", "create", "Helen Whitaker")
    assert status == 0 and "fingerprint (SHA-256):" in printed

    status, printed, _ = run("minutes", "generate", "1", "--naming", "reference", "--out", str(out))
    assert status == 0, printed
    draft = out / "minutes-2026-03-12-v1-draft.docx"
    assert draft.is_file()
    assert "OFFICIAL-SENSITIVE" in printed and "reference only" in printed
    assert "Item 1. NB-24-0311: EHC needs assessment request" in docx_text(draft.read_bytes())

    status, _, err = run("minutes", "sign", "1", "--signer", "David Okafor")
    assert status == 2 and "signed by Helen Whitaker (Chair)" in err
    status, printed, _ = run(
        "minutes", "sign", "1", "--signer", "Helen Whitaker", "--out", str(out)
    )
    assert status == 0, printed
    signed = out / "minutes-2026-03-12-v1.docx"
    assert "decisions are now locked" in printed

    status, printed, _ = run("verify", str(signed))
    assert status == 0
    assert printed.startswith("VALID")
    assert "Signed by: Helen Whitaker" in printed and "Certificate fingerprint" in printed

    tampered = tmp_path / "tampered.docx"
    with zipfile.ZipFile(signed) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"Agree to assess<", b"Agree to assesz<", 1)
            target.writestr(info, data)
    status, printed, _ = run("verify", str(tampered))
    assert status == 1 and printed.startswith("NOT VALID")
    assert "word/document.xml was changed after signing." in printed

    status, printed, _ = run("verify", str(draft))
    assert status == 1 and printed.startswith("NOT SIGNED")

    status, printed, _ = run("minutes", "versions", "1")
    assert status == 0 and "version 1: signed by Helen Whitaker" in printed

    # Writing again where a file exists needs --overwrite; the copy is byte for byte the kept one.
    status, _, err = run("minutes", "export", "1", "--out", str(signed))
    assert status == 2 and "--overwrite" in err
    again = tmp_path / "again.docx"
    status, _, _ = run("minutes", "export", "1", "--version", "1", "--out", str(again))
    assert status == 0 and again.read_bytes() == signed.read_bytes()


def test_amend_and_decision_records_from_the_command_line(run, tmp_path):
    for member in ("1", "David Okafor"):
        assert run("signing", "create", member)[0] == 0
    assert run("minutes", "generate", "1")[0] == 0
    status, _, err = run("decisions", "export", "1", "--out", str(tmp_path))
    assert status == 2 and "Sign the minutes first" in err
    assert run("minutes", "sign", "1", "--signer", "1")[0] == 0

    status, printed, _ = run("decisions", "export", "1", "--out", str(tmp_path), "--naming", "full")
    assert status == 0, printed
    assert "Wrote 12 signed decision records" in printed and "OFFICIAL-SENSITIVE" in printed
    folder = tmp_path / "decision-records-2026-03-12-meeting-1"
    record = (folder / "decision-record-item-10-NB-21-0610.docx").read_bytes()
    assert "Child or young person | Ella Roberts" in docx_text(record)
    status, printed, _ = run("verify", str(folder / "decision-record-item-10-NB-21-0610.docx"))
    assert status == 0 and "Signed by: David Okafor" in printed

    status, printed, _ = run("minutes", "amend", "1", "--reason", "Attendance corrected")
    assert status == 0 and "Started version 2" in printed
    status, printed, _ = run("minutes", "versions", "1")
    assert "version 2: draft" in printed and "amendment: Attendance corrected" in printed

    status, printed, _ = run("signing", "list")
    assert status == 0 and "Helen Whitaker" in printed and "David Okafor" in printed


def test_signing_import_reads_the_password_from_the_environment(run, tmp_path, monkeypatch):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from panelapp.documents.signing_identity import create_identity

    council = create_identity("Helen Whitaker", "Chair", "Northfield Borough Council")
    p12 = tmp_path / "chair.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"chair",
            council.private_key,
            council.certificate,
            None,
            serialization.BestAvailableEncryption(b"from-IT"),
        )
    )
    monkeypatch.setenv("PANELAPP_P12_PASSWORD", "wrong")
    status, _, err = run("signing", "import", "Helen Whitaker", str(p12))
    assert status == 2 and "password is wrong" in err
    monkeypatch.setenv("PANELAPP_P12_PASSWORD", "from-IT")
    status, printed, err = run("signing", "import", "Helen Whitaker", str(p12))
    assert status == 0, err
    assert council.fingerprint in printed


def test_verify_a_file_that_is_not_a_word_document(run, tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"not a zip")
    status, printed, _ = run("verify", str(path))
    assert status == 1 and printed.startswith("NOT SIGNED")
    status, printed, _ = run("verify", str(tmp_path / "missing.docx"))
    assert status == 1 and "not found" in printed
