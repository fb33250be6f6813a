"""A member's pack as one encrypted PDF: cover, agenda, then every paper the member may see, in
agenda order, with a bookmark per item and page numbers on every page.

PDF papers are merged as they are; PNG and JPEG papers become pages; plain text is set in type.
Word and Excel papers are not laid out by panelapp (that needs a word processor): their text is
set in type under a note saying so, and the original file is attached to the PDF, where Acrobat,
Edge and Preview list it. The whole file is encrypted with AES-256 (PDF 2.0, revision 6) under
the member's password, so nothing in it can be read without that password; it is built in
memory and written only encrypted.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Dictionary, Name, OutlineItem, Pdf

PAGE = (595.0, 842.0)  # A4 in points
MARGIN = 56.0
LINE = 14.0
WRAP = 92  # characters a line of 10-point Helvetica holds between the margins


@dataclass(frozen=True)
class PackPaper:
    title: str
    kind: str  # "pdf", "image", "text", "office"
    content: bytes
    file_name: str
    #: the paper's words, for a Word or Excel paper (set in type under the note)
    text: str = ""


@dataclass(frozen=True)
class PackSection:
    """One bookmark: the cover, the agenda, or one item with its papers."""

    title: str
    lines: tuple[str, ...] = ()  # pages of text opening the section
    papers: tuple[PackPaper, ...] = field(default_factory=tuple)


def _latin(text: str) -> str:
    """The standard Helvetica font knows Latin-1; anything else shows as '?'."""
    replaced = (
        text.replace("\u2013", "-")
        .replace("\u2014", "-")
        .replace("\u2018", "'")
        .replace("\u2019", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u00a3", "\u00a3")
    )
    return replaced.encode("latin-1", "replace").decode("latin-1")


def _escape(text: str) -> bytes:
    raw = _latin(text).encode("latin-1")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _font(pdf: Pdf, bold: bool = False):
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type1,
            BaseFont=Name("/Helvetica-Bold" if bold else "/Helvetica"),
            Encoding=Name.WinAnsiEncoding,
        )
    )


def _wrapped(lines: Iterable[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if not line.strip():
            out.append("")
            continue
        out.extend(textwrap.wrap(line, WRAP, break_long_words=True) or [""])
    return out


def _text_pages(pdf: Pdf, heading: str, lines: Sequence[str]) -> int:
    """Set ``heading`` and ``lines`` in type on as many pages as they need; the page count."""
    regular, bold = _font(pdf), _font(pdf, bold=True)
    per_page = int((PAGE[1] - 2 * MARGIN - 2 * LINE) // LINE)
    body = _wrapped(lines) or [""]
    pages = [body[i : i + per_page] for i in range(0, len(body), per_page)]
    for page_lines in pages:
        ops = [b"BT", b"/F2 13 Tf", f"{MARGIN} {PAGE[1] - MARGIN} Td".encode()]
        ops.append(b"(" + _escape(heading) + b") Tj")
        ops += [b"/F1 10 Tf", f"0 {-2 * LINE} Td".encode()]
        for line in page_lines:
            ops.append(b"(" + _escape(line) + b") Tj")
            ops.append(f"0 {-LINE} Td".encode())
        ops.append(b"ET")
        page = pdf.add_blank_page(page_size=PAGE)
        page.obj.Resources = Dictionary(Font=Dictionary(F1=regular, F2=bold))
        page.obj.Contents = pdf.make_stream(b"\n".join(ops))
    return len(pages)


def _image_pdf(content: bytes) -> Pdf:
    from PIL import Image

    with Image.open(io.BytesIO(content)) as image:
        image.load()
        rgb = image.convert("RGB")
    buffer = io.BytesIO()
    rgb.save(buffer, "PDF", resolution=150.0)
    return Pdf.open(io.BytesIO(buffer.getvalue()))


def _number_pages(pdf: Pdf, footer: str) -> None:
    total = len(pdf.pages)
    font = _font(pdf)
    for n, page in enumerate(pdf.pages, start=1):
        stamp = Pdf.new()
        box = page.mediabox
        width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
        blank = stamp.add_blank_page(page_size=(width, height))
        words = f"{footer}   Page {n} of {total}"
        blank.obj.Resources = Dictionary(Font=Dictionary(F1=stamp.copy_foreign(font)))
        blank.obj.Contents = stamp.make_stream(
            b"BT /F1 8 Tf "
            + f"{MARGIN / 2} {MARGIN / 3} Td".encode()
            + b" ("
            + _escape(words)
            + b") Tj ET"
        )
        page.add_overlay(blank, pikepdf.Rectangle(0, 0, width, height))


def build_pack_pdf(sections: Sequence[PackSection], password: str, *, footer: str) -> bytes:
    """The pack, encrypted under ``password``, as bytes."""
    pdf = Pdf.new()
    marks: list[tuple[str, int, list[tuple[str, int]]]] = []
    for section in sections:
        start = len(pdf.pages)
        if section.lines:
            _text_pages(pdf, section.title, section.lines)
        children: list[tuple[str, int]] = []
        for paper in section.papers:
            children.append((paper.title, len(pdf.pages)))
            _add_paper(pdf, paper)
        if len(pdf.pages) == start:  # an item without papers still has its page
            _text_pages(pdf, section.title, ["No papers for this item."])
        marks.append((section.title, start, children))
    _number_pages(pdf, footer)
    with pdf.open_outline() as outline:
        for title, page, children in marks:
            item = OutlineItem(_latin(title), page)
            item.children.extend(OutlineItem(_latin(t), p) for t, p in children)
            outline.root.append(item)
    pdf.docinfo["/Title"] = _latin(footer)
    buffer = io.BytesIO()
    pdf.save(
        buffer,
        encryption=pikepdf.Encryption(user=password, owner=password, R=6, aes=True, metadata=True),
    )
    return buffer.getvalue()


def _add_paper(pdf: Pdf, paper: PackPaper) -> None:
    if paper.kind == "pdf":
        with Pdf.open(io.BytesIO(paper.content)) as source:
            pdf.pages.extend(source.pages)
        return
    if paper.kind == "image":
        with _image_pdf(paper.content) as source:
            pdf.pages.extend(source.pages)
        return
    if paper.kind == "text":
        _text_pages(pdf, paper.title, paper.content.decode("utf-8", "replace").splitlines())
        return
    note = [
        f"The original file, {paper.file_name}, is attached to this PDF: open it from the "
        "attachments (paper clip) panel of your PDF reader to see its layout, tables and "
        "pictures.",
        "Its text follows, so that it can be read here too.",
        "",
        *paper.text.splitlines(),
    ]
    _text_pages(pdf, paper.title, note)
    pdf.attachments[_latin(paper.file_name)] = pikepdf.AttachedFileSpec(
        pdf, paper.content, filename=_latin(paper.file_name)
    )
