"""A paper's type is read from its content, and every kind of file that must not enter the
store is refused with a reason and what to do."""

from __future__ import annotations

import pytest

from panelapp.documents import paper_sniffer
from panelapp.documents.paper_sniffer import PaperKind, PaperRefused, Refusal, sniff
from panelapp.documents.text_extraction import extract_text
from tests.helpers import paper_files as files


@pytest.mark.parametrize(
    "make, kind",
    [
        (lambda: files.pdf(pages=3), PaperKind.PDF),
        (files.word, PaperKind.DOCX),
        (lambda: files.excel([["Provision", "Hours"], ["TA support", 20]]), PaperKind.XLSX),
        (files.png, PaperKind.PNG),
        (files.jpeg, PaperKind.JPEG),
        (lambda: b"Parents' views: we would like a smaller class.\n", PaperKind.TEXT),
        (lambda: "Café visit notes – Windows text\r\n".encode("cp1252"), PaperKind.TEXT),
        (lambda: "UTF-16 notes\n".encode("utf-16"), PaperKind.TEXT),
    ],
)
def test_each_accepted_kind_is_recognised_from_its_content(make, kind):
    assert sniff(make()).kind is kind


def test_a_pdf_has_its_page_count_and_the_name_of_a_file_plays_no_part():
    sniffed = sniff(files.pdf(pages=4))  # no name is ever given to the sniffer
    assert sniffed == paper_sniffer.Sniffed(PaperKind.PDF, pages=4)


def _refusal(data: bytes, **kw) -> PaperRefused:
    with pytest.raises(PaperRefused) as caught:
        sniff(data, **kw)
    return caught.value


@pytest.mark.parametrize(
    "make, reason, says",
    [
        (lambda: b"", Refusal.EMPTY, "is empty (0 bytes)"),
        (lambda: b"MZ\x90\x00" + bytes(200), Refusal.EXECUTABLE, "is a program or script"),
        (lambda: b"\x7fELF\x02\x01\x01" + bytes(200), Refusal.EXECUTABLE, "is a program or script"),
        (lambda: b"#!/bin/sh\nrm -rf ~\n", Refusal.EXECUTABLE, "is a program or script"),
        (lambda: b"@echo off\r\ndel *.*\r\n", Refusal.EXECUTABLE, "is a program or script"),
        (lambda: bytes(range(256)) * 8, Refusal.UNKNOWN, "Save or export it as PDF"),
        (lambda: files.encrypted_pdf(), Refusal.ENCRYPTED, "password-protected PDF"),
        (lambda: files.encrypted_pdf(user_password=""), Refusal.ENCRYPTED, "encrypted"),
        (lambda: files.pdf(pages=3)[:-700], Refusal.CORRUPT, "damaged or incomplete PDF"),
        (lambda: files.pdf()[:400] + b"\n%%EOF\n", Refusal.CORRUPT, "damaged or incomplete PDF"),
        (lambda: files.word()[:5000], Refusal.CORRUPT, "damaged or incomplete Word"),
        (lambda: files.damaged_zip_part(files.word()), Refusal.CORRUPT, "damaged or incomplete"),
        (files.word_with_macros, Refusal.MACROS, "macro-enabled"),
        (files.word_zip_bomb, Refusal.ZIP_BOMB, "zip bomb"),
        (files.old_office, Refusal.OLD_OFFICE, "save it as Word Document (.docx)"),
        (lambda: files.old_office(encrypted=True), Refusal.ENCRYPTED, "password-protected Word"),
        (files.powerpoint, Refusal.UNKNOWN, "PowerPoint presentation. Save it as PDF"),
        (lambda: files.png()[:-12], Refusal.CORRUPT, "damaged or incomplete PNG"),
        (lambda: files.jpeg()[:-40], Refusal.CORRUPT, "damaged or incomplete JPEG"),
        (lambda: b"{\\rtf1\\ansi hello}", Refusal.UNKNOWN, "Rich Text"),
    ],
)
def test_each_malformed_kind_is_refused_with_why_and_what_to_do(make, reason, says):
    refused = _refusal(make())
    assert refused.reason is reason
    assert says in refused.message
    # Every message says what to do next.
    advice = ("Ask", "ask", "Open it", "Save", "Check", "Do not", "Download")
    assert any(word in refused.message for word in advice)


def test_a_file_over_the_size_limit_is_refused_before_it_is_looked_at():
    refused = _refusal(files.pdf(pages=30), max_bytes=4096)
    assert refused.reason is Refusal.TOO_LARGE
    assert "over the 4 KB limit" in refused.message and "--max-size-mb" in refused.message
    assert "limit for one paper" in _refusal(b"x" * (51 * 1024 * 1024)).message


def test_an_office_file_that_unpacks_past_the_total_budget_is_a_zip_bomb(monkeypatch):
    # Incompressible content so the ratio check does not fire: only the total size does.
    import os

    monkeypatch.setattr(paper_sniffer, "MAX_UNPACKED_BYTES", 1024 * 1024)
    data = files.rezip(files.word(), add={"word/media/photo.bin": os.urandom(2 * 1024 * 1024)})
    assert _refusal(data).reason is Refusal.ZIP_BOMB


def test_a_plain_zip_archive_is_not_a_paper():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    refused = _refusal(buffer.getvalue())
    assert refused.reason is Refusal.UNKNOWN and "add the files inside it" in refused.message


def test_text_is_extracted_from_pdf_word_excel_and_text_within_limits():
    assert "zebracorn" in extract_text(PaperKind.PDF, files.pdf(["A rare zebracorn word."])).text
    doc = files.word(["Working memory is weak."], table=[["Provision", "Nurture group"]])
    text = extract_text(PaperKind.DOCX, doc).text
    assert "Working memory is weak." in text and "Nurture group" in text
    assert "TA support" in extract_text(PaperKind.XLSX, files.excel([["TA support", 20]])).text
    assert extract_text(PaperKind.PNG, files.png()).text == ""


def test_extraction_of_a_damaged_file_returns_what_it_can_and_never_raises():
    result = extract_text(PaperKind.PDF, b"%PDF-1.4 nothing useful %%EOF")
    assert result.text == "" and not result.complete
    assert extract_text(PaperKind.DOCX, b"PK\x03\x04 junk").complete is False
