"""A decision record: one case's decision (or deferral) for chief officers, as a Word document.

The terms of reference say the decision "will be signed by the Chair and passed to the relevant
Chief Officers". A chief officer needs one case, not the whole meeting, so each case gets its own
record, signed by whoever chaired that case (R4). It says the same as the minutes about the case
(``item_sections``) and points to the signed minutes it belongs to.

Pure, like the minutes writer: meeting content, context and template bytes in, .docx bytes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from panelapp.documents import item_sections
from panelapp.documents.docx_template import TemplateDocument
from panelapp.documents.minutes_content import ItemContent, MeetingContent
from panelapp.documents.signature_block import SignatureLine, format_moment, signature_block
from panelapp.domain.formatting import format_date
from panelapp.domain.vocabulary import NamingMode

__all__ = ["DecisionRecordContext", "write_decision_record"]


@dataclass(frozen=True)
class DecisionRecordContext:
    generated_at: datetime
    expected_signer: str
    expected_role: str
    signature: SignatureLine | None = None
    #: the signed minutes this decision is recorded in
    minutes_version: int | None = None
    minutes_signed_by: str | None = None
    minutes_signed_at: datetime | None = None


def write_decision_record(
    view: MeetingContent, item: ItemContent, context: DecisionRecordContext, template: bytes
) -> bytes:
    doc = TemplateDocument(template, what="decision record")
    label = f"Decision record, item {item.position}, {format_date(view.meeting_date)}"
    doc.fill_placeholders(
        {
            "council": view.council or view.panel_name,
            "panel": view.panel_name,
            "meeting_date": format_date(view.meeting_date),
            "document": label,
        }
    )
    doc.paragraph("Panel decision record", "Title")
    when = f"{view.panel_name}, meeting of {item_sections.long_date(view.meeting_date)}"
    doc.paragraph(when, "Subtitle")
    naming = {
        NamingMode.FULL: "The child or young person is named in full.",
        NamingMode.INITIALS: "The child or young person is named by initials and reference.",
        NamingMode.REFERENCE: "The child or young person is named by council reference only.",
    }[view.naming]
    doc.runs(
        [
            ("OFFICIAL-SENSITIVE. ", True),
            (
                "Personal data about a child or young person, including special category "
                f"data. {naming} For the chief officers who act on the decision; keep it on "
                "council systems.",
                False,
            ),
        ],
        "Marking",
    )
    if context.minutes_version is not None:
        signed = ""
        if context.minutes_signed_by and context.minutes_signed_at:
            signed = (
                f", signed by {context.minutes_signed_by} on "
                f"{format_moment(context.minutes_signed_at)}"
            )
        doc.paragraph(
            f"Recorded in the minutes of this meeting, version {context.minutes_version}{signed}.",
            "Small Print",
        )

    doc.heading(item_sections.item_heading(item), 1)
    item_sections.item_facts(doc, view, item)
    item_sections.discussion(doc, item, 2)
    item_sections.outcome(doc, item, 2)
    # the block is signed for the decision above it: never alone at the top of a page
    doc.keep_last_with_next(2)
    doc.heading("Signed by the member who chaired this case", 1)
    signature_block(
        doc,
        context.signature,
        expected_signer=context.expected_signer,
        expected_role=context.expected_role,
        what="this record",
    )
    return doc.finish(
        title=f"{view.panel_name}: decision record, item {item.position}",
        subject=f"Meeting of {format_date(view.meeting_date)}",
        moment=context.generated_at,
    )
