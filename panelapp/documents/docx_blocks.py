"""Paragraphs, runs and tables as WordprocessingML elements, made by copying small prepared
elements: the same XML python-docx's ``add_paragraph``, ``add_run`` and ``add_table`` make.

Why: minutes of a long meeting hold thousands of elements, and python-docx makes each one
through its element factory and then searches the new element's siblings for where the next
one goes. Copying a prepared ``<w:r><w:rPr><w:b/></w:rPr><w:t/></w:r>`` and setting its text
costs a fraction of that. The prepared elements are fixed skeletons (no content), parsed once
in each thread with python-docx's parser, so the copies are python-docx's own element classes
and the documents read back exactly as before.

Text with a tab or a line break still goes through python-docx (which writes ``<w:tab/>`` and
``<w:br/>``); everything else here writes what python-docx would have written, element for
element and attribute for attribute (tests compare the bytes).
"""

from __future__ import annotations

import re
import threading
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


#: the skeletons, as XML: (styled, keep with next) -> what ``add_paragraph`` then the style and
#: keep_with_next make
_P_XML = {
    (False, False): "<w:p/>",
    (True, False): '<w:p><w:pPr><w:pStyle w:val=""/></w:pPr></w:p>',
    (False, True): "<w:p><w:pPr><w:keepNext/></w:pPr></w:p>",
    (True, True): '<w:p><w:pPr><w:pStyle w:val=""/><w:keepNext/></w:pPr></w:p>',
}
#: bold -> run properties: False writes none, None an empty <w:rPr/> (python-docx's
#: ``run.bold = None``); in a character style, bold only when True
_RUN_PROPERTIES = {False: "", None: "<w:rPr/>", True: "<w:rPr><w:b/></w:rPr>"}
_STYLED_RUN_PROPERTIES = {
    False: '<w:rPr><w:rStyle w:val=""/></w:rPr>',
    True: '<w:rPr><w:rStyle w:val=""/><w:b/></w:rPr>',
}
#: styled -> python-docx's new table's properties with the style set and autofit off (the look
#: is set apart)
_TBL_PR_XML = {
    False: '<w:tblPr><w:tblW w:type="auto" w:w="0"/><w:tblLayout w:type="fixed"/>'
    "<w:tblLook/></w:tblPr>",
    True: '<w:tblPr><w:tblStyle w:val=""/><w:tblW w:type="auto" w:w="0"/>'
    '<w:tblLayout w:type="fixed"/><w:tblLook/></w:tblPr>',
}
#: the row's one property: kept together on one page, or repeated as the heading row
_TR_XML = {
    "cantSplit": "<w:tr><w:trPr><w:cantSplit/></w:trPr></w:tr>",
    "tblHeader": "<w:tr><w:trPr><w:tblHeader/></w:trPr></w:tr>",
}


def _runs(properties: dict) -> dict:
    return {
        (bold, text): _prepared(f"<w:r>{xml}{'<w:t/>' if text else ''}</w:r>")
        for bold, xml in properties.items()
        for text in (False, True)
    }


class _Prepared(threading.local):
    """The skeletons parsed, once in each thread that writes documents. Per thread because a
    copy made by lxml shares the libxml2 dictionary of names of the tree it was copied from,
    and such a dictionary is not safe to add to (a new attribute's name) from two threads at
    once; the window writes documents in background jobs."""

    def __init__(self) -> None:
        self.p = {key: _prepared(xml) for key, xml in _P_XML.items()}
        self.r = _runs(_RUN_PROPERTIES)
        self.r_styled = _runs(_STYLED_RUN_PROPERTIES)
        self.tbl_pr = {key: _prepared(xml) for key, xml in _TBL_PR_XML.items()}
        self.tbl = _prepared("<w:tbl/>")
        self.grid = _prepared("<w:tblGrid/>")
        self.grid_col = _prepared('<w:gridCol w:w=""/>')
        self.tr = {key: _prepared(xml) for key, xml in _TR_XML.items()}
        self.tc = _prepared('<w:tc><w:tcPr><w:tcW w:type="dxa" w:w=""/></w:tcPr></w:tc>')


_PREPARED = _Prepared()


def _copy(prepared):
    """A copy of a prepared element and everything in it (lxml's ``__copy__`` copies the whole
    tree; called directly, it skips ``copy.deepcopy``'s dispatch, a third of the time)."""
    return prepared.__copy__()


def xml_text(text: str) -> str:
    """The text with characters XML cannot hold shown as U+FFFD."""
    return _NOT_XML.sub("\ufffd", text) if text else text


def new_paragraph(style_id: str | None, *, keep_with_next: bool = False):
    """``<w:p>`` in the paragraph style ``style_id`` (None: the default), not yet placed."""
    p = _copy(_PREPARED.p[(style_id is not None, keep_with_next)])
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
        r = _copy(_PREPARED.r[(bold, plain)])
    else:
        r = _copy(_PREPARED.r_styled[(bool(bold), plain)])
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
    prepared = _PREPARED
    tbl = _copy(prepared.tbl)
    properties = _copy(prepared.tbl_pr[style_id is not None])
    if style_id is not None:
        properties[0].set(_VAL, style_id)
    tbl_look = properties[-1]
    for name, value in look.attributes:
        tbl_look.set(name, value)
    tbl.append(properties)
    grid = _copy(prepared.grid)
    for width in widths:
        col = _copy(prepared.grid_col)
        col.set(_W_W, str(width.twips))
        grid.append(col)
    tbl.append(grid)
    return tbl


def new_row(tbl, widths: Sequence[Length], kind: str = "cantSplit") -> list:
    """Append a row of one cell per width to ``tbl``; returns the cells (``<w:tc>``), each
    without a paragraph yet. ``kind``: the row's one property, "cantSplit" (kept on one page)
    or "tblHeader" (repeated at the top of each page)."""
    prepared = _PREPARED
    tr = _copy(prepared.tr[kind])
    cells = []
    for width in widths:
        tc = _copy(prepared.tc)
        tc[0][0].set(_W_W, str(width.twips))
        tr.append(tc)
        cells.append(tc)
    tbl.append(tr)
    return cells
