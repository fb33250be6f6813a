"""Paragraphs, runs and tables as WordprocessingML elements, made by copying small prepared
elements: the same XML python-docx's ``add_paragraph``, ``add_run`` and ``add_table`` make.

Why: minutes of a long meeting hold thousands of elements, and python-docx makes each one
through its element factory and then searches the new element's siblings for where the next
one goes. Copying a prepared ``<w:r><w:rPr><w:b/></w:rPr><w:t/></w:r>`` and setting its text
costs a fraction of that. The prepared elements are fixed skeletons (no content), parsed once
with python-docx's parser, so the copies are python-docx's own element classes and the
documents read back exactly as before.

Text with a tab or a line break still goes through python-docx (which writes ``<w:tab/>`` and
``<w:br/>``); everything else here writes what python-docx would have written, element for
element and attribute for attribute (tests compare the bytes).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Length
from docx.text.run import Run
from lxml import etree

__all__ = ["TableLook", "add_run", "new_paragraph", "new_row", "new_table", "xml_text"]

_W = nsdecls("w")
_VAL = qn("w:val")
_W_W = qn("w:w")
_SPACE = qn("xml:space")
_SPECIAL_CHARACTERS = re.compile(r"[\t\n\r]")
#: characters XML cannot hold (a NUL typed, or extracted from a paper): shown as U+FFFD
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _prepared(xml: str) -> etree._Element:
    """A skeleton element, parsed by python-docx (so its copies are python-docx's classes)."""
    head, _, rest = xml.partition(">")
    if head.endswith("/"):
        return parse_xml(f"{head[:-1]} {_W}/>{rest}")
    return parse_xml(f"{head} {_W}>{rest}")


_P = {
    # (styled, keep with next): what ``add_paragraph`` then the style and keep_with_next make
    (False, False): _prepared("<w:p/>"),
    (True, False): _prepared('<w:p><w:pPr><w:pStyle w:val=""/></w:pPr></w:p>'),
    (False, True): _prepared("<w:p><w:pPr><w:keepNext/></w:pPr></w:p>"),
    (True, True): _prepared('<w:p><w:pPr><w:pStyle w:val=""/><w:keepNext/></w:pPr></w:p>'),
}
_PROPERTIES = {
    # bold: False writes no run properties, None an empty <w:rPr/> (python-docx's run.bold = None)
    False: "",
    None: "<w:rPr/>",
    True: "<w:rPr><w:b/></w:rPr>",
}
_STYLED_PROPERTIES = {
    False: '<w:rPr><w:rStyle w:val=""/></w:rPr>',
    True: '<w:rPr><w:rStyle w:val=""/><w:b/></w:rPr>',
}
_R = {
    (bold, text): _prepared(f"<w:r>{properties}{'<w:t/>' if text else ''}</w:r>")
    for bold, properties in _PROPERTIES.items()
    for text in (False, True)
}
_R_STYLED = {
    (bold, text): _prepared(f"<w:r>{properties}{'<w:t/>' if text else ''}</w:r>")
    for bold, properties in _STYLED_PROPERTIES.items()
    for text in (False, True)
}
_TBL_PR = {
    # styled: python-docx's new table with its style set and autofit off (the look is set apart)
    False: _prepared(
        '<w:tblPr><w:tblW w:type="auto" w:w="0"/><w:tblLayout w:type="fixed"/>'
        "<w:tblLook/></w:tblPr>"
    ),
    True: _prepared(
        '<w:tblPr><w:tblStyle w:val=""/><w:tblW w:type="auto" w:w="0"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook/></w:tblPr>'
    ),
}
_TBL = _prepared("<w:tbl/>")
_GRID = _prepared("<w:tblGrid/>")
_GRID_COL = _prepared('<w:gridCol w:w=""/>')
_TR = {
    # the row's one property: kept together on one page, or repeated as the heading row
    "cantSplit": _prepared("<w:tr><w:trPr><w:cantSplit/></w:trPr></w:tr>"),
    "tblHeader": _prepared("<w:tr><w:trPr><w:tblHeader/></w:trPr></w:tr>"),
}
_TC = _prepared('<w:tc><w:tcPr><w:tcW w:type="dxa" w:w=""/></w:tcPr></w:tc>')


def _copy(prepared):
    """A copy of a prepared element and everything in it (lxml's ``__copy__`` copies the whole
    tree; called directly, it skips ``copy.deepcopy``'s dispatch, a third of the time)."""
    return prepared.__copy__()


def xml_text(text: str) -> str:
    """The text with characters XML cannot hold shown as U+FFFD."""
    return _NOT_XML.sub("\ufffd", text) if text else text


def new_paragraph(style_id: str | None, *, keep_with_next: bool = False):
    """``<w:p>`` in the paragraph style ``style_id`` (None: the default), not yet placed."""
    p = _copy(_P[(style_id is not None, keep_with_next)])
    if style_id is not None:
        p[0][0].set(_VAL, style_id)
    return p


def add_run(p, text: str, bold: bool | None, style_id: str | None = None) -> None:
    """Append ``paragraph.add_run(text)`` to ``p``, then ``run.bold = bold`` unless ``bold`` is
    False (None still leaves an empty ``<w:rPr/>``, as python-docx's setter does), in the
    character style ``style_id`` when given (bold then only when True)."""
    text = xml_text(text)
    special = bool(text) and _SPECIAL_CHARACTERS.search(text) is not None
    plain = bool(text) and not special
    if style_id is None:
        r = _copy(_R[(bold, plain)])
    else:
        r = _copy(_R_STYLED[(bool(bold), plain)])
        r[0][0].set(_VAL, style_id)
    p.append(r)
    if plain:
        t = r[-1]
        t.text = text
        if len(text.strip()) < len(text):
            t.set(_SPACE, "preserve")
    elif special:
        Run(r, None).text = text  # type: ignore[arg-type]  # python-docx's tabs and breaks


class TableLook:
    """The ``w:tblLook`` attributes: whether the first row or column is set apart."""

    def __init__(self, *, first_row: bool, first_column: bool) -> None:
        self.attributes = (
            (qn("w:firstRow"), "1" if first_row else "0"),
            (qn("w:lastRow"), "0"),
            (qn("w:firstColumn"), "1" if first_column else "0"),
            (qn("w:lastColumn"), "0"),
            (qn("w:noHBand"), "1"),
            (qn("w:noVBand"), "1"),
            (_VAL, f"{(0x20 if first_row else 0) | (0x80 if first_column else 0) | 0x600:04X}"),
        )


def new_table(style_id: str | None, look: TableLook, widths: Sequence[Length]):
    """``<w:tbl>`` with its properties and column grid, and no rows yet: what python-docx's
    ``add_table`` makes, with the style, the look and fixed column widths set."""
    tbl = _copy(_TBL)
    properties = _copy(_TBL_PR[style_id is not None])
    if style_id is not None:
        properties[0].set(_VAL, style_id)
    tbl_look = properties[-1]
    for name, value in look.attributes:
        tbl_look.set(name, value)
    tbl.append(properties)
    grid = _copy(_GRID)
    for width in widths:
        col = _copy(_GRID_COL)
        col.set(_W_W, str(width.twips))
        grid.append(col)
    tbl.append(grid)
    return tbl


def new_row(tbl, widths: Sequence[Length], kind: str = "cantSplit") -> list:
    """Append a row of one cell per width to ``tbl``; returns the cells (``<w:tc>``), each
    without a paragraph yet. ``kind``: the row's one property, "cantSplit" (kept on one page)
    or "tblHeader" (repeated at the top of each page)."""
    tr = _copy(_TR[kind])
    cells = []
    for width in widths:
        tc = _copy(_TC)
        tc[0][0].set(_W_W, str(width.twips))
        tr.append(tc)
        cells.append(tc)
    tbl.append(tr)
    return cells
