"""Members' packs as one AES-256 encrypted PDF each: opened only with the member's password,
with a bookmark per item, page numbers, and without the papers of a case the member declared an
interest in before the meeting (R3)."""

from __future__ import annotations

import json
import re

import pikepdf
import pypdf
import pytest
from sqlalchemy import select

from panelapp.cli import main
from panelapp.services.packs import export_pdf_packs
from panelapp.store.tables import AuditEvent

CHOSEN = ["Helen Whitaker", "David Okafor"]


@pytest.fixture
def packs(store, demo, tmp_path):
    made = export_pdf_packs(store, "Joanne Pike", demo.meeting_id, tmp_path, members=CHOSEN)
    return {p.member_name: p for p in made}


def _text(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_pack_opens_only_with_its_members_password(packs):
    chair, vice = packs["Helen Whitaker"], packs["David Okafor"]
    assert chair.password != vice.password
    assert re.fullmatch(r"([a-z]{2,5}-){5}\d{2}", chair.password)  # words to read out
    assert len(chair.password.encode()) <= 32  # every reader takes the whole password
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(chair.path)
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(chair.path, password=vice.password)
    with pikepdf.open(chair.path, password=chair.password) as pdf:
        assert pdf.is_encrypted and pdf.encryption.R == 6  # AES-256
        assert str(pdf.encryption.stream_method).endswith("aesv3")  # AES-256 streams
    raw = chair.path.read_bytes()
    assert b"Whitaker" not in raw and b"Okafor" not in raw and b"NB-2" not in raw


def test_bookmarks_page_numbers_and_the_withheld_case(packs, demo):
    chair, vice = packs["Helen Whitaker"], packs["David Okafor"]
    with pikepdf.open(chair.path, password=chair.password) as pdf:
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        pages = len(pdf.pages)
    assert titles[:2] == ["Cover", "Agenda"]
    items = [t for t in titles if t.startswith("Item ")]
    # the chair declared an interest in item 10 before the meeting: no bookmark, no papers
    assert [int(t.split(":")[0].split()[1]) for t in items] == [*range(1, 10), 11, 12]
    with pikepdf.open(vice.path, password=vice.password) as pdf:
        with pdf.open_outline() as outline:
            vice_titles = [item.title for item in outline.root]
        assert any(t.startswith("Item 10:") for t in vice_titles)
        assert len(pdf.pages) > pages
    reader = pypdf.PdfReader(chair.path)
    assert reader.decrypt(chair.password)
    text = _text(reader)
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "Papers withheld: items 10." in text
    assert chair.withheld_positions == (10,) and chair.papers == vice.papers - 3


def test_word_papers_are_attached_with_their_text_set_in_the_pack(packs):
    vice = packs["David Okafor"]
    with pikepdf.open(vice.path, password=vice.password) as pdf:
        attached = list(pdf.attachments)
    assert any(name.endswith(".docx") for name in attached)
    reader = pypdf.PdfReader(vice.path)
    reader.decrypt(vice.password)
    assert "is attached to this PDF" in _text(reader)


def test_each_pdf_pack_is_audited_without_its_password(packs, store, demo):
    with store.read() as session:
        events = list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == "pack.exported"))
        )
    assert len(events) == 2
    for event in events:
        detail = json.loads(event.detail)
        assert detail["format"] == "pdf-aes256"
        for pack in packs.values():
            assert pack.password not in event.detail


def test_the_command_makes_encrypted_pdfs_unless_a_plain_zip_is_asked_for(
    store, store_path, demo, tmp_path, capsys
):
    store.close()
    out = tmp_path / "out"
    out.mkdir()
    run = lambda *a: main(["--store", str(store_path), "--as", "Jo", *a])  # noqa: E731
    passwords = tmp_path / "passwords.txt"
    assert (
        run(
            "packs", "export", "1", "--out", str(out), "--member", "Dr Priya Nair",
            "--passwords-out", str(passwords),
        )
        == 0
    )  # fmt: skip
    said = capsys.readouterr().out
    (pack,) = out.glob("Pack - Dr Priya Nair - *.pdf")
    line = passwords.read_text().strip().split("\t")
    assert line[0] == "Dr Priya Nair" and line[2] in said and "AES-256" in said
    assert passwords.stat().st_mode & 0o077 == 0
    with pikepdf.open(pack, password=line[2]):
        pass
    assert run("packs", "export", "1", "--out", str(out), "--member", "4", "--zip") == 0
    assert "NOT encrypted" in capsys.readouterr().out
    assert len(list(out.glob("*.zip"))) == 1
