"""The demonstration's fictional papers are real files: the hand-written PDF, the Word document
and the text file pass the paper checks and give back their text, brackets and backslashes
included (the PDF escapes them), long lines wrapped onto the page."""

from __future__ import annotations

import io

import docx
import pypdfium2

from panelapp.documents.paper_sniffer import PaperKind, sniff
from panelapp.documents.sample_papers import pdf_file, text_file, word_file
from panelapp.documents.text_extraction import extract_text

LINES = [
    "Recommended: direct therapy (blocks of six weeks) for Leo \\ his class.",
    "A long line " + "about communication-friendly classrooms " * 8,
]


def test_the_hand_written_pdf_opens_and_reads_back():
    data = pdf_file("Speech and language therapy report", LINES)
    assert sniff(data).kind is PaperKind.PDF and sniff(data).pages == 1
    pdf = pypdfium2.PdfDocument(data)
    try:
        page = pdf[0]
        text = page.get_textpage().get_text_range()
        width, height = page.get_size()
    finally:
        pdf.close()
    assert (width, height) == (595, 842)  # A4
    assert "Speech and language therapy report" in text
    assert "(blocks of six weeks) for Leo \\ his class." in text
    words = " ".join(text.split())
    assert words.count("communication-friendly classrooms") == 8  # wrapped, nothing lost
    assert "communication-friendly classrooms" in extract_text(PaperKind.PDF, data).text


def test_the_word_and_text_papers_read_back():
    data = word_file("Costed provision map", LINES[:1], [("Provision", "Cost"), ("TA", "£1.00")])
    assert sniff(data).kind is PaperKind.DOCX
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "Costed provision map"
    assert document.tables[0].rows[1].cells[1].text == "£1.00"
    text = text_file("Parents' views", LINES[:1])
    assert sniff(text).kind is PaperKind.TEXT
    assert text.decode().startswith("Parents' views\r\n==============\r\n")
