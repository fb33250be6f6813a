"""The cover of a member's paper pack: who it is for, what is in it, and which items' papers
were left out because the member declared an interest before the meeting (R3). Written into
the council's pack cover template (pack_cover.docx) through the same template path as the
minutes and the agenda.

The cover names withheld items by number, time and request type only, never by child: the
member stepped away from that case and the cover may be the page left on a desk.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time

from panelapp.documents.docx_template import Part, TemplateDocument
from panelapp.domain.formatting import format_date, weekday_date

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
    #: the council's name, for the template's header ({{council}}); the panel's name if empty
    council: str = ""


#: the template's file name (bundled, or the council's own: see ``panelapp.resources``)
TEMPLATE = "pack_cover.docx"


def write_cover(cover: PackCover, template: bytes) -> bytes:
    """The cover as the bytes of a .docx file, in ``template``'s look."""
    when = weekday_date(cover.meeting_date)
    doc = TemplateDocument(template, what="pack cover")
    doc.fill_placeholders(
        {
            "council": cover.council or cover.panel_name,
            "panel": cover.panel_name,
            "meeting_date": format_date(cover.meeting_date),
            "document": f"{cover.panel_name}: papers for {format_date(cover.meeting_date)}",
        }
    )
    doc.paragraph(cover.panel_name, "Title")
    doc.paragraph(f"Papers for the meeting on {when} at {cover.start:%H:%M}", "Subtitle")
    if cover.venue:
        doc.paragraph(cover.venue)
    doc.runs([("Prepared for: ", True), (cover.recipient, False)])

    doc.heading("Papers withheld from this pack", 1)
    if cover.withheld:
        doc.paragraph(
            "You declared an interest in the following items before the meeting, so their "
            "papers are not in your pack. You will leave the meeting while they are discussed "
            "and take no part in their decisions."
        )
        for item in cover.withheld:
            doc.runs(
                [
                    Part(
                        f"Item {item.position} ({item.start:%H:%M}, {item.request_type})",
                        bold=True,
                        style="Alert",
                    )
                ],
                "List Bullet",
            )
    else:
        doc.paragraph(
            "None. You have not declared an interest in any item in advance. If you find you "
            "have an interest in a case, tell the minute taker before the meeting and declare "
            "it when the item comes up."
        )

    doc.heading("In this pack", 1)
    doc.bullets(cover.contents)
    if cover.late_papers:
        doc.paragraph(
            f"{cover.late_papers} paper(s) arrived after the deadline and are marked LATE on "
            "the agenda."
        )

    doc.heading("Keeping these papers safe", 1)
    doc.bullets(
        (
            "These papers hold personal and special-category data about children and "
            "families. Read them only to prepare for this panel.",
            "Do not forward, print or copy them beyond what you need. Keep them on a council "
            "device or encrypted storage.",
            "Delete or securely destroy your copies after the meeting, as your council's "
            "records policy says.",
        )
    )
    doc.paragraph(f"Produced by panelapp on {format_date(cover.produced_on)}.", "Small Print")
    return doc.finish(
        title=f"{cover.panel_name}: papers for {format_date(cover.meeting_date)}",
        subject=f"Pack cover for {cover.recipient}",
        moment=datetime.combine(cover.produced_on, time(0)),
    )
