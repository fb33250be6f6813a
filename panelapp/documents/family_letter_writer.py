"""The letter to a child's family (or to the young person) telling them what the panel decided,
written into the council's letter template (family_letter.docx, or its large print twin) through
the same template path as the minutes.

Pure: the content is plain values the services fill in; nothing here reads the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from panelapp.documents.docx_template import TemplateDocument
from panelapp.domain.formatting import format_date


@dataclass(frozen=True)
class FamilyLetter:
    council: str
    council_address: str
    council_contact: str
    panel_name: str
    letter_date: date
    meeting_date: date
    #: "the parent or carer of Oliver Grant", or the young person's own name
    addressee: str
    greeting: str  # "Dear parent or carer", "Dear Amelia"
    child_full_name: str
    reference: str
    request: str  # what was asked, in words: "a request for an EHC needs assessment"
    decision: str  # "The panel decided to ..."
    details: tuple[str, ...]  # amount, setting, dates that follow from the decision
    reasons: str  # the panel's reasons, as recorded (required for a refusal)
    next_steps: tuple[str, ...]
    appeal: tuple[str, ...]  # empty when the decision cannot be appealed to the Tribunal
    mediation_contact: str
    sendiass_contact: str
    case_officer: str
    generated_at: datetime  # kept in the document's properties


def write_family_letter(letter: FamilyLetter, template: bytes) -> bytes:
    doc = TemplateDocument(template, what="letter")
    doc.fill_placeholders(
        {
            "council": letter.council or letter.panel_name,
            "panel": letter.panel_name,
            "meeting_date": format_date(letter.meeting_date),
            "document": f"Letter about the panel's decision, {format_date(letter.letter_date)}",
        }
    )
    sender = [line for line in (letter.council, *letter.council_address.splitlines()) if line]
    if sender:
        doc.paragraph(", ".join(sender), "Small Print")
    doc.paragraph(format_date(letter.letter_date))
    doc.paragraph(f"To {letter.addressee}")
    doc.paragraph(f"Our reference: {letter.reference}", "Small Print")
    doc.paragraph(f"{letter.greeting},")
    doc.heading(f"The panel's decision about {letter.child_full_name}", 1)
    doc.paragraph(
        f"On {format_date(letter.meeting_date)} the {letter.panel_name} looked at "
        f"{letter.request}. The panel is a group of people from education, health and social "
        "care who make these decisions together."
    )
    doc.paragraph(letter.decision, bold=True)
    for line in letter.details:
        doc.paragraph(line, "List Bullet")
    if letter.reasons:
        doc.heading("Why the panel decided this", 2)
        doc.text_block(letter.reasons)
    if letter.next_steps:
        doc.heading("What happens next", 2)
        for line in letter.next_steps:
            doc.paragraph(line, "List Bullet")
    if letter.appeal:
        doc.heading("If you disagree", 2)
        for line in letter.appeal:
            doc.paragraph(line)
        if letter.mediation_contact:
            doc.paragraph(f"Mediation adviser: {letter.mediation_contact}")
    doc.heading("Free, independent advice", 2)
    doc.paragraph(
        "The SEND Information, Advice and Support Service (SENDIASS) gives free, confidential "
        "advice to parents, carers and young people, and is independent of the council's "
        "decisions." + (f" Contact: {letter.sendiass_contact}." if letter.sendiass_contact else "")
    )
    closing = "If you have any questions about this letter, please contact"
    if letter.case_officer:
        closing += f" {letter.case_officer}, your case officer"
    else:
        closing += " the SEN team"
    if letter.council_contact:
        closing += f", on {'; '.join(letter.council_contact.splitlines())}"
    doc.paragraph(closing + ".")
    doc.paragraph("Yours sincerely,")
    doc.keep_last_with_next(2)  # the last words, the closing and the name stay together
    doc.paragraph(letter.case_officer or "The SEN team")
    doc.paragraph(f"On behalf of the {letter.panel_name}", "Small Print")
    return doc.finish(
        title="Letter about the panel's decision",
        subject=letter.reference,
        moment=letter.generated_at,
    )
