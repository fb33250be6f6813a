"""The part of a meeting's minutes about one agenda item, as text, for a subject access
request: the family is given what the minutes say about their child and nothing about any
other child on the same agenda.

The minutes panelapp writes give each case a level-2 heading "Item N. ..." under "Cases
considered"; an item's part runs to the next heading of level 1 or 2. Tables (the decision's
details) are read row by row, cells joined by " | ".
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

_ITEM = re.compile(r"Item (\d+)\.")


def _level(paragraph: Paragraph) -> int | None:
    name = paragraph.style.name if paragraph.style is not None else ""
    if name.startswith("Heading "):
        tail = name.removeprefix("Heading ")
        return int(tail) if tail.isdigit() else None
    return None


def item_extract(document: bytes, position: int) -> list[str]:
    """The lines of the minutes about item ``position`` (heading first); empty when the
    minutes have no such item."""
    doc = Document(io.BytesIO(document))
    lines: list[str] = []
    inside = False
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            level = _level(block)
            text = block.text.strip()
            if level is not None and level <= 2:
                match = _ITEM.match(text)
                inside = level == 2 and match is not None and int(match.group(1)) == position
            if inside and text:
                lines.append(text)
        elif inside and isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = cell.text.strip()
                    if value and (not cells or cells[-1] != value):  # merged cells repeat
                        cells.append(value)
                if cells:
                    lines.append(" | ".join(cells))
    return lines
