"""The look shared by the Word documents panelapp hands out (agendas, pack covers).

Every page carries the confidentiality marking at top and bottom, because a page printed on its
own must still say what it is (R17). The documents start from python-docx's built-in template
and are styled here, so they need no resource files and look the same in Word and LibreOffice.
"""

from __future__ import annotations

import io
import logging

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

logger = logging.getLogger(__name__)

MARKING = "OFFICIAL-SENSITIVE: contains personal data about children. Do not forward."
FONT = "Arial"
DARK_RED = RGBColor(0x9C, 0x00, 0x06)
GREY = RGBColor(0x59, 0x59, 0x59)
HEADER_FILL = "D9E2F3"


def new_document(*, footer_text: str, marking: str = MARKING) -> DocumentType:
    """An A4 portrait document with the house font, the marking and page numbers."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)
    section.header_distance, section.footer_distance = Cm(0.8), Cm(0.8)
    _base_styles(doc)

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _marking_run(header, marking)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _marking_run(footer, marking)
    line = section.footer.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = line.add_run(f"{footer_text}  ·  page ")
    _small(run)
    add_field(line, "PAGE")
    _small(line.add_run(" of "))
    add_field(line, "NUMPAGES")
    return doc


def _marking_run(paragraph, marking: str) -> None:
    run = paragraph.add_run(marking)
    run.bold = True
    run.font.size = Pt(8.5)
    run.font.color.rgb = DARK_RED


def _small(run) -> None:
    run.font.size = Pt(8)
    run.font.color.rgb = GREY


def style(doc: DocumentType, name: str):
    """A style object by name. python-docx scans every style on each lookup by name, which
    made documents slow to build; the map is made once per document."""
    found = getattr(doc, "_panelapp_styles", None)
    if found is None:
        found = {s.name: s for s in doc.styles}
        doc._panelapp_styles = found  # type: ignore[attr-defined]
    return found[name]


def styled(doc: DocumentType, text: str, name: str):
    """A paragraph in a named style, set by its id: python-docx's own style setter searches
    the styles part each time, which dominated the time to build a pack."""
    paragraph = doc.add_paragraph(text)
    paragraph._p.style = style(doc, name).style_id
    return paragraph


def heading(doc: DocumentType, text: str, level: int = 1):
    return styled(doc, text, f"Heading {level}")


def bullet(doc: DocumentType, text: str = ""):
    return styled(doc, text, "List Bullet")


def _base_styles(doc: DocumentType) -> None:
    styles = {name: style(doc, name) for name in ("Normal", "Title", "Heading 1", "Heading 2")}
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(3)
    for name, size in (("Title", 20), ("Heading 1", 13), ("Heading 2", 11)):
        chosen = styles[name]
        chosen.font.name = FONT
        chosen.font.size = Pt(size)
        chosen.font.color.rgb = RGBColor(0x1F, 0x38, 0x64)
        # Theme fonts win over a named font in Word; drop them so Arial is used.
        fonts = chosen.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        chosen.paragraph_format.space_before = Pt(10 if name != "Title" else 0)
        chosen.paragraph_format.space_after = Pt(4)
    title = styles["Title"]
    # The default Title style draws a rule under itself; keep it plain.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def add_field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader's program fills in."""
    run = paragraph.add_run()
    _small(run)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = code
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, placeholder, end):
        run._r.append(element)


def shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def repeat_as_header(row) -> None:
    """The table's header row is printed again at the top of each page."""
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def keep_row_whole(row) -> None:
    """A row is never split across two pages."""
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def keep_with_next(row) -> None:
    """A row's paragraphs stay on the page of the row after it (an item with its papers)."""
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def set_widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths, set on the table's grid (read by LibreOffice) and on each cell
    (read by Word)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def cell_text(target, text: str, *, bold: bool = False, size: float | None = None, color=None):
    """Write a run of text into a table cell (its first paragraph) or into a paragraph;
    returns the run for further styling."""
    paragraph = target.paragraphs[0] if hasattr(target, "paragraphs") else target
    paragraph.paragraph_format.space_after = Pt(1)
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    return run


def to_bytes(doc: DocumentType) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
