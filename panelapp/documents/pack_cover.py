"""The cover of a member's paper pack: who it is for, what is in it, and which items' papers
were left out because the member declared an interest before the meeting (R3).

The cover names withheld items by number, time and request type only, never by child: the
member stepped away from that case and the cover may be the page left on a desk.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, time

from docx.shared import Pt

from panelapp.documents.docx_style import (
    DARK_RED,
    GREY,
    bullet,
    heading,
    new_document,
    styled,
    to_bytes,
)
from panelapp.domain.deadlines import format_date

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WithheldItem:
    position: int
    start: time
    request_type: str


@dataclass(frozen=True)
class PackCover:
    panel_name: str
    meeting_date: date
    start: time
    venue: str
    recipient: str
    contents: tuple[str, ...]
    withheld: tuple[WithheldItem, ...]
    late_papers: int
    produced_on: date


def write_cover(cover: PackCover) -> bytes:
    when = f"{cover.meeting_date:%A} {format_date(cover.meeting_date)}"
    doc = new_document(
        footer_text=f"{cover.panel_name}: papers for {format_date(cover.meeting_date)}"
    )
    styled(doc, cover.panel_name, "Title")
    para = doc.add_paragraph()
    run = para.add_run(f"Papers for the meeting on {when} at {cover.start:%H:%M}")
    run.bold = True
    run.font.size = Pt(13)
    if cover.venue:
        doc.add_paragraph(cover.venue)
    para = doc.add_paragraph()
    para.add_run("Prepared for: ").bold = True
    para.add_run(cover.recipient)

    heading(doc, "Papers withheld from this pack")
    if cover.withheld:
        doc.add_paragraph(
            "You declared an interest in the following items before the meeting, so their "
            "papers are not in your pack. You will leave the meeting while they are discussed "
            "and take no part in their decisions."
        )
        for item in cover.withheld:
            para = bullet(doc)
            run = para.add_run(f"Item {item.position} ({item.start:%H:%M}, {item.request_type})")
            run.bold = True
            run.font.color.rgb = DARK_RED
    else:
        doc.add_paragraph(
            "None. You have not declared an interest in any item in advance. If you find you "
            "have an interest in a case, tell the minute taker before the meeting and declare "
            "it when the item comes up."
        )

    heading(doc, "In this pack")
    for name in cover.contents:
        bullet(doc, name)
    if cover.late_papers:
        doc.add_paragraph(
            f"{cover.late_papers} paper(s) arrived after the deadline and are marked LATE on "
            "the agenda."
        )

    heading(doc, "Keeping these papers safe")
    for line in (
        "These papers hold personal and special-category data about children and families. "
        "Read them only to prepare for this panel.",
        "Do not forward, print or copy them beyond what you need. Keep them on a council device "
        "or encrypted storage.",
        "Delete or securely destroy your copies after the meeting, as your council's records "
        "policy says.",
    ):
        bullet(doc, line)
    note = doc.add_paragraph()
    note.paragraph_format.space_before = Pt(10)
    run = note.add_run(f"Produced by panelapp on {format_date(cover.produced_on)}.")
    run.italic = True
    run.font.size = Pt(8)
    run.font.color.rgb = GREY
    return to_bytes(doc)
