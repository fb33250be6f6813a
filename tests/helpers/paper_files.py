"""Real files of every kind a paper can be, made in the tests: PDFs with fpdf2 (including
encrypted ones), Word with python-docx, Excel with openpyxl, images, and broken versions of
them. Everything written here is fictional."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
import openpyxl
from fpdf import FPDF


def pdf(lines: list[str] | None = None, *, pages: int = 1) -> bytes:
    doc = FPDF()
    doc.set_font("Helvetica", size=12)
    for n in range(pages):
        doc.add_page()
        for line in lines or [f"Panel paper, page {n + 1}."]:
            doc.multi_cell(0, 8, line)
    return bytes(doc.output())


def encrypted_pdf(*, user_password: str = "secret") -> bytes:
    doc = FPDF()
    doc.set_encryption(owner_password="owner-pass", user_password=user_password)
    doc.set_font("Helvetica", size=12)
    doc.add_page()
    doc.multi_cell(0, 8, "A report sent with a password.")
    return bytes(doc.output())


def word(paragraphs: list[str] | None = None, *, table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    document.add_heading("Educational psychology advice", level=1)
    for text in paragraphs or ["The child benefits from visual supports."]:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=0, cols=len(table[0]))
        for row in table:
            for cell, value in zip(grid.add_row().cells, row, strict=True):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def excel(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width: int = 4, height: int = 3) -> bytes:
    raw = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(raw))
        + _chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def rezip(data: bytes, *, add: dict[str, bytes] | None = None, replace=None) -> bytes:
    """A copy of an Office file with parts added, or with ``replace(name, bytes)`` applied."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            body = source.read(info)
            if replace:
                body = replace(info.filename, body)
            target.writestr(info.filename, body)
        for name, body in (add or {}).items():
            target.writestr(name, body)
    return out.getvalue()


def word_with_macros() -> bytes:
    """A .docm: the macro-enabled content type and a VBA project."""

    def macro_type(name: str, body: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return body.replace(
                b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
            ).replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
            )
        return body

    return rezip(
        word(), add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake vba"}, replace=macro_type
    )


def word_zip_bomb(megabytes: int = 24) -> bytes:
    """A Word file with a part of zeros that packs a thousandfold."""
    return rezip(word(), add={"word/media/filler.bin": bytes(megabytes * 1024 * 1024)})


def damaged_zip_part(data: bytes) -> bytes:
    """Flip bytes inside the compressed main document part, so its CRC no longer matches."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    broken = bytearray(data)
    for i in range(middle, middle + 8):
        broken[i] ^= 0xFF
    return bytes(broken)


def old_office(*, encrypted: bool = False) -> bytes:
    """The start of a compound file (.doc/.xls, or an encrypted .docx)."""
    body = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))
    if encrypted:
        body += "EncryptedPackage".encode("utf-16-le")
    return bytes(body)


def powerpoint() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/ppt/presentation.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>',
        )
        archive.writestr("ppt/presentation.xml", "<p/>")
    return out.getvalue()


def long_report(pages: int = 200) -> bytes:
    """A typed report of ``pages`` pages (one page made by fpdf2, repeated by pikepdf, as fast
    to make as one page): long enough that reading its words takes a good part of a second."""
    import pikepdf

    typed_page = " ".join(
        ["The educational psychologist observed the child in class and at play. "
         "Attention and listening have improved since the small-group programme began."] * 6
    )  # fmt: skip
    out = pikepdf.new()
    with pikepdf.open(io.BytesIO(pdf([typed_page]))) as typed:
        for _ in range(pages):
            out.pages.append(typed.pages[0])
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
