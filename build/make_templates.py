"""Make panelapp's default Word templates: minutes.docx, decision_record.docx, and the letter to
a family in ordinary and large print (family_letter.docx, family_letter_large_print.docx: the
same styles with every size scaled up, so the large print letter is 16 point or more), the
agenda and the cover of a member's pack (agenda.docx, pack_cover.docx), and the terms of
reference and index of an inspection pack (inspection_pack.docx).

Run from the repository root after changing the look of the defaults:

    .venv/bin/python build/make_templates.py

and commit the files it writes to ``panelapp/resources/templates/``. The writers in
``panelapp/documents`` keep a template's styles, page set-up, header and footer and replace its
body, so this script only defines those. A council makes its own template by opening one of
these files in Word, changing the styles, header and footer, and saving it under the same name
in its templates folder (see README, "Minutes and signatures"): no code is involved.

Styles the writers use (anything missing from a council's template falls back to Normal):
paragraph styles Title, Subtitle, Heading 1-3, Normal, List Bullet, Marking, Small Print,
Table Text, Table Label, Signature Block; table styles Panel Table and Facts Table.
The agenda and the pack cover also use two character styles, Alert (a mark such as LATE or
OVERDUE) and Aside (a quiet note beside the text), and carry the marking the agendas always
carried ("OFFICIAL-SENSITIVE: contains personal data about children. Do not forward.") at top
and bottom. Placeholders filled in the header and footer: {{council}}, {{panel}},
{{document}}, {{meeting_date}}.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parent.parent / "panelapp" / "resources" / "templates"

FONT = "Arial"
INK = RGBColor(0x1A, 0x1A, 0x1A)
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)  # dark blue: headings
GREY = RGBColor(0x55, 0x55, 0x55)
ALERT = RGBColor(0x9C, 0x2A, 0x2A)  # dark red: the Marking's border, LATE and OVERDUE
MARKING = "OFFICIAL-SENSITIVE"
#: what a printed agenda or pack cover page says at its top and bottom
AGENDA_MARKING = "OFFICIAL-SENSITIVE: contains personal data about children. Do not forward."
#: the templates of what goes to every member before the meeting
MEMBER_PAPERS = ("agenda.docx", "pack_cover.docx")
FOOTER_NOTICE = (
    "OFFICIAL-SENSITIVE: personal data about children (special category data). Keep on "
    "council systems only; do not forward, print or copy without a need to know."
)


# ------------------------------------------------------------------------------------------
# Styles
# ------------------------------------------------------------------------------------------


#: every font size is multiplied by this while a template is made (large print: 1.6)
_SCALE = 1.0


def _set_font(style, *, size: float | None = None, bold: bool | None = None, color=None) -> None:
    """Set a style's font to FONT outright: theme fonts (Calibri Light...) would win otherwise."""
    if size is not None:
        size = round(size * _SCALE * 2) / 2
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), FONT)
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if color is not None:
        style.font.color.rgb = color


# Children of w:pPr that come after w:pBdr and w:shd (the schema fixes the order, and Word
# calls a file with them out of order damaged).
_AFTER_SHD = (
    "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _put_border(ppr, xml: str) -> None:
    ppr.insert_element_before(parse_xml(xml), "w:shd", *_AFTER_SHD)


def _put_shading(ppr, xml: str) -> None:
    ppr.insert_element_before(parse_xml(xml), *_AFTER_SHD)


def _clear_tabs(style) -> None:
    """Drop a style's inherited tab stops (the default Header's centre tab misplaces text)."""
    ppr = style.element.get_or_add_pPr()
    for tabs in ppr.findall(qn("w:tabs")):
        ppr.remove(tabs)


def _no_border(style) -> None:
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _paragraph_style(document, name: str, base: str = "Normal"):
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    style.quick_style = True
    return style


def _spacing(style, before: float, after: float, line: float | None = None) -> None:
    pf = style.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line


def define_styles(document) -> None:
    styles = document.styles

    normal = styles["Normal"]
    _set_font(normal, size=10.5, color=INK)
    _spacing(normal, 0, 6, 1.1)

    title = styles["Title"]
    _set_font(title, size=20, bold=True, color=ACCENT)
    _no_border(title)
    _spacing(title, 0, 4, 1.0)
    title.element.get_or_add_pPr()  # keep the element tidy for Word
    title.font.all_caps = False

    subtitle = styles["Subtitle"]
    _set_font(subtitle, size=12, bold=False, color=GREY)
    subtitle.font.italic = False
    _spacing(subtitle, 0, 10, 1.1)

    for level, size, before in ((1, 14, 16), (2, 12, 14), (3, 10.5, 8)):
        heading = styles[f"Heading {level}"]
        _set_font(heading, size=size, bold=True, color=ACCENT)
        heading.font.italic = False
        _spacing(heading, before, 4, 1.0)
        heading.paragraph_format.keep_with_next = True

    bullet = styles["List Bullet"]
    _set_font(bullet, size=10.5, color=INK)
    _spacing(bullet, 0, 3, 1.1)

    marking = _paragraph_style(document, "Marking")
    _set_font(marking, size=9.5, bold=False, color=INK)
    _spacing(marking, 4, 10, 1.1)
    _put_border(
        marking.element.get_or_add_pPr(),
        (
            f"<w:pBdr {nsdecls('w')}>"
            '<w:top w:val="single" w:sz="8" w:space="4" w:color="9C2A2A"/>'
            '<w:left w:val="single" w:sz="8" w:space="4" w:color="9C2A2A"/>'
            '<w:bottom w:val="single" w:sz="8" w:space="4" w:color="9C2A2A"/>'
            '<w:right w:val="single" w:sz="8" w:space="4" w:color="9C2A2A"/>'
            "</w:pBdr>"
        ),
    )
    _put_shading(
        marking.element.get_or_add_pPr(),
        f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="FBEFEF"/>',
    )

    small = _paragraph_style(document, "Small Print")
    _set_font(small, size=8.5, color=GREY)
    _spacing(small, 0, 2, 1.0)

    table_text = _paragraph_style(document, "Table Text")
    _set_font(table_text, size=9.5, color=INK)
    _spacing(table_text, 1, 1, 1.0)

    table_label = _paragraph_style(document, "Table Label", base="Table Text")
    _set_font(table_label, size=9.5, bold=True, color=INK)

    signature = _paragraph_style(document, "Signature Block")
    _set_font(signature, size=10.5, color=INK)
    _spacing(signature, 0, 4, 1.1)
    signature.paragraph_format.keep_with_next = True

    header = styles["Header"]
    _set_font(header, size=9, color=GREY)
    _clear_tabs(header)
    footer = styles["Footer"]
    _set_font(footer, size=8.5, color=GREY)
    _clear_tabs(footer)

    header_marking = _paragraph_style(document, "Header Marking", base="Header")
    _set_font(header_marking, size=10, bold=True, color=INK)
    header_marking.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    logo = _paragraph_style(document, "Council Logo", base="Header")
    _set_font(logo, size=11, bold=True, color=ACCENT)

    _table_style(
        document,
        "Panel Table",
        "PanelTable",
        conditional=(
            '<w:tblStylePr w:type="firstRow">'
            "<w:pPr><w:keepNext/></w:pPr><w:rPr><w:b/></w:rPr>"
            '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DCE4EE"/></w:tcPr>'
            "</w:tblStylePr>"
        ),
    )
    _table_style(
        document,
        "Facts Table",
        "FactsTable",
        conditional=(
            '<w:tblStylePr w:type="firstCol">'
            "<w:rPr><w:b/></w:rPr>"
            '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="EEF2F6"/></w:tcPr>'
            "</w:tblStylePr>"
        ),
    )


def define_marks(document) -> None:
    """The character styles of the agenda and the pack cover: Alert for LATE, OVERDUE and
    the like, Aside for the notes beside a line (a paper's kind, pages and arrival)."""
    styles = document.styles
    alert = styles.add_style("Alert", WD_STYLE_TYPE.CHARACTER)
    alert.quick_style = True
    alert.font.bold = True
    alert.font.color.rgb = ALERT
    aside = styles.add_style("Aside", WD_STYLE_TYPE.CHARACTER)
    aside.quick_style = True
    aside.font.color.rgb = GREY


def _table_style(document, name: str, style_id: str, conditional: str) -> None:
    styles_element = document.styles.element
    for existing in styles_element.findall(qn("w:style")):
        if existing.get(qn("w:styleId")) == style_id:
            styles_element.remove(existing)
    border = '"single" w:sz="4" w:space="0" w:color="A6AFBA"'
    xml = (
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        "<w:qFormat/>"
        '<w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'
        '<w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr>'
        "<w:tblPr>"
        '<w:tblInd w:w="0" w:type="dxa"/>'
        "<w:tblBorders>"
        f"<w:top w:val={border}/><w:left w:val={border}/><w:bottom w:val={border}/>"
        f"<w:right w:val={border}/><w:insideH w:val={border}/><w:insideV w:val={border}/>"
        "</w:tblBorders>"
        "<w:tblCellMar>"
        '<w:top w:w="45" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
        '<w:bottom w:w="45" w:type="dxa"/><w:right w:w="100" w:type="dxa"/>'
        "</w:tblCellMar>"
        "</w:tblPr>"
        f"{conditional}"
        "</w:style>"
    )
    styles_element.append(parse_xml(xml))


# ------------------------------------------------------------------------------------------
# Page, header and footer
# ------------------------------------------------------------------------------------------


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out."""
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    run = paragraph.add_run()
    run._r.append(
        parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> {instruction} </w:instrText>')
    )
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
    paragraph.add_run(shown)
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))


FAMILY_NOTICE = (
    "OFFICIAL-SENSITIVE: this letter holds personal information about your child. Please keep "
    "it safe."
)


def set_up_page(document, notice_text: str = FOOTER_NOTICE, marking_text: str = MARKING) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = Cm(2.2)
    section.bottom_margin = Cm(2.0)
    section.header_distance = Cm(0.9)
    section.footer_distance = Cm(0.9)
    text_width = section.page_width - section.left_margin - section.right_margin

    header = section.header
    header.is_linked_to_previous = False
    first = header.paragraphs[0]
    first.style = document.styles["Header Marking"]
    first.text = marking_text
    logo = header.add_paragraph(style=document.styles["Council Logo"])
    logo.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    logo.add_run("{{council}}")
    panel = logo.add_run("\t{{panel}}")
    panel.bold = False
    panel.font.size = Pt(9)
    panel.font.color.rgb = GREY
    logo.paragraph_format.space_after = Pt(6)
    _put_border(
        logo._p.get_or_add_pPr(),
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="3" '
        'w:color="1F3A5F"/></w:pBdr>',
    )

    footer = section.footer
    footer.is_linked_to_previous = False
    notice = footer.paragraphs[0]
    notice.style = document.styles["Footer"]
    notice.text = notice_text
    notice.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _put_border(
        notice._p.get_or_add_pPr(),
        f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="4" w:space="3" '
        'w:color="A6AFBA"/></w:pBdr>',
    )
    pages = footer.add_paragraph(style=document.styles["Footer"])
    pages.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    pages.add_run("{{document}}\tPage ")
    _field(pages, "PAGE", "1")
    pages.add_run(" of ")
    _field(pages, "NUMPAGES", "1")
    marking = footer.add_paragraph(style=document.styles["Header Marking"])
    marking.text = marking_text


# ------------------------------------------------------------------------------------------
# The body: instructions for whoever edits the template (the writers replace it)
# ------------------------------------------------------------------------------------------


def write_instructions(document, what: str, file_name: str) -> None:
    document.add_paragraph(f"panelapp template: {what}", style="Title")
    document.add_paragraph(
        "panelapp keeps this file's styles, page set-up, header and footer, and replaces "
        "everything in the body (including this text) with the document it makes.",
        style="Subtitle",
    )
    document.add_heading("Making it your council's", level=1)
    for line in (
        "Put your logo in the header in place of {{council}} (or keep the placeholder: "
        "panelapp writes the council's name there).",
        "Change the fonts, colours and spacing by modifying the styles listed below "
        "(Home > Styles > Modify). Keep their names: panelapp finds them by name.",
        "Change the header and footer as you wish; keep the OFFICIAL-SENSITIVE marking.",
        f"Save the file as {file_name} in panelapp's templates folder "
        "(~/.config/panelapp/templates on Linux, %LOCALAPPDATA%\\panelapp\\templates on "
        "Windows, or the folder named by PANELAPP_TEMPLATE_DIR).",
    ):
        document.add_paragraph(line, style="List Bullet")
    document.add_heading("Styles panelapp uses", level=1)
    table = document.add_table(rows=1, cols=2)
    table.style = document.styles["Panel Table"]
    table.rows[0].cells[0].text = "Style"
    table.rows[0].cells[1].text = "Used for"
    for style, use in (
        ("Title", "the document's title"),
        ("Subtitle", "the line giving the meeting's date, time and venue"),
        ("Heading 1, Heading 2, Heading 3", "sections, agenda items, parts of an item"),
        ("Normal", "text"),
        ("List Bullet", "lists"),
        ("Marking", "the confidentiality notice at the top of the document"),
        ("Small Print", "notes"),
        ("Table Text, Table Label", "text in tables, and the labels of fact tables"),
        ("Signature Block", "the signature block"),
        ("Panel Table", "tables with a heading row (attendance, actions)"),
        ("Facts Table", "two-column tables of an item's facts (label, value)"),
        *(
            (
                ("Alert (character style)", "marks such as LATE, OVERDUE and PAST DUE"),
                ("Aside (character style)", "quiet notes beside a line"),
            )
            if file_name in MEMBER_PAPERS
            else ()
        ),
    ):
        cells = table.add_row().cells
        cells[0].text = style
        cells[1].text = use
    document.add_heading("Placeholders in the header and footer", level=1)
    document.add_paragraph(
        "{{council}}: the council; {{panel}}: the panel's name; {{meeting_date}}: the date "
        "of the meeting; {{document}}: what the document is (for example 'Minutes, version 1'). "
        "Type a placeholder in one go, so that Word keeps it in one piece."
    )


# ------------------------------------------------------------------------------------------


def make(what: str, file_name: str, title: str, scale: float = 1.0) -> bytes:
    global _SCALE
    _SCALE = scale
    document = docx.Document()
    define_styles(document)
    if file_name in MEMBER_PAPERS:
        define_marks(document)
    set_up_page(
        document,
        FAMILY_NOTICE if "family" in file_name else FOOTER_NOTICE,
        AGENDA_MARKING if file_name in MEMBER_PAPERS else MARKING,
    )
    write_instructions(document, what, file_name)
    properties = document.core_properties
    properties.title = title
    properties.author = "panelapp"
    properties.last_modified_by = "panelapp"
    properties.comments = "Template for panelapp; see the body for how to adapt it."
    properties.revision = 1
    moment = datetime(2026, 1, 1, 0, 0, 0)
    properties.created = moment
    properties.modified = moment
    properties.last_printed = moment
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """Same template, same bytes: fixed entry times, so an unchanged template is not a diff."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for what, file_name, title, scale in (
        ("minutes of a panel meeting", "minutes.docx", "Panel minutes", 1.0),
        ("decision record for one case", "decision_record.docx", "Panel decision record", 1.0),
        ("letter to a family", "family_letter.docx", "Letter to a family", 1.2),
        (
            "large print letter to a family",
            "family_letter_large_print.docx",
            "Letter to a family (large print)",
            1.6,
        ),
        ("agenda of a panel meeting", "agenda.docx", "Panel agenda", 1.0),
        ("cover of a member's paper pack", "pack_cover.docx", "Panel paper pack cover", 1.0),
        ("inspection pack document", "inspection_pack.docx", "Panel inspection pack", 1.0),
    ):
        data = make(what, file_name, title, scale)
        (OUT / file_name).write_bytes(data)
        print(f"wrote {OUT / file_name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
