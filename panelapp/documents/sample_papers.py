"""Small files made at run time for the demonstration's fictional papers: a Word document
(python-docx), a plain text file, and a one-page PDF written by hand (fpdf2 is a test-only
dependency, and the demo needs no PDF library).

Pure: title and lines in, the file's bytes out. The demonstration (``services.demo_papers``)
decides what the papers say.
"""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt

__all__ = ["pdf_file", "text_file", "word_file"]


def word_file(title: str, lines: list[str], table: list[tuple[str, ...]] | None = None) -> bytes:
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_heading(title, level=1)
    for line in lines:
        doc.add_paragraph(line)
    if table:
        grid = doc.add_table(rows=0, cols=len(table[0]))
        grid.style = "Table Grid"
        for row in table:
            for cell, value in zip(grid.add_row().cells, row, strict=True):
                cell.text = value
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def text_file(title: str, lines: list[str]) -> bytes:
    return ("\r\n".join([title, "=" * len(title), "", *lines]) + "\r\n").encode("utf-8")


def _pdf_text(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_file(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with Helvetica text, written by hand (no PDF library at run time)."""
    body = [f"BT /F1 14 Tf 56 780 Td 18 TL ({_pdf_text(title)}) Tj T* /F1 10.5 Tf 14 TL"]
    for line in lines:
        for chunk in _wrap(line, 95):
            body.append(f"({_pdf_text(chunk)}) Tj T*")
        body.append("T*")
    body.append("ET")
    stream = "\n".join(body).encode("cp1252", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines
