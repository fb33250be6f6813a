"""The Word documents of an inspection pack: the panel's terms of reference, generated from
its settings, and the index of what the pack holds. Written through ``TemplateDocument`` into
the council's inspection pack template (inspection_pack.docx), so they look like the panel's
other papers and a council restyles them in Word."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from panelapp.documents.docx_template import TemplateDocument
from panelapp.domain.formatting import format_date

#: the template's file name (bundled, or the council's own: see ``panelapp.resources``)
TEMPLATE = "inspection_pack.docx"


@dataclass(frozen=True)
class TermsOfReference:
    """What the terms of reference say, every line worked out from the panel's settings."""

    council: str
    panel_name: str
    panel_type: str
    #: (role, the members holding it)
    membership: tuple[tuple[str, tuple[str, ...]], ...]
    quorum: str
    required_roles: tuple[str, ...]
    paper_deadline: str
    procedure: tuple[str, ...]
    declarations: tuple[str, ...]
    decisions: tuple[str, ...]
    deferrals: tuple[str, ...]
    signing: tuple[str, ...]


def write_terms_of_reference(terms: TermsOfReference, template: bytes, moment: datetime) -> bytes:
    doc = TemplateDocument(template, what="terms of reference")
    doc.fill_placeholders(
        {
            "council": terms.council or terms.panel_name,
            "panel": terms.panel_name,
            "meeting_date": "",
            "document": f"{terms.panel_name}: terms of reference",
        }
    )
    doc.paragraph(f"{terms.panel_name}: terms of reference", "Title")
    doc.facts([("Council", terms.council or "Not recorded"), ("Panel type", terms.panel_type)])
    doc.heading("Membership", 1)
    doc.grid(
        ("Role", "Members"),
        [(role, list(names) or ["Vacant"]) for role, names in terms.membership],
        (6.0, 10.0),
    )
    doc.heading("Quorum", 1)
    doc.paragraph(terms.quorum)
    if terms.required_roles:
        doc.paragraph("These roles must be present for the panel to decide:")
        doc.bullets(terms.required_roles)
    doc.heading("Papers", 1)
    doc.paragraph(terms.paper_deadline)
    for heading, lines in (
        ("Procedure", terms.procedure),
        ("Declarations of interest and withdrawal", terms.declarations),
        ("Decisions", terms.decisions),
        ("Deferrals", terms.deferrals),
        ("Minutes and signing", terms.signing),
    ):
        doc.heading(heading, 1)
        doc.bullets(lines)
    return doc.finish(
        title=f"{terms.panel_name}: terms of reference",
        subject="Terms of reference",
        moment=moment,
    )


@dataclass(frozen=True)
class PackEntry:
    file_name: str
    what: str
    sha256: str


def write_pack_index(
    title: str, start: date, end: date, entries: Sequence[PackEntry], template: bytes,
    moment: datetime,
) -> bytes:  # fmt: skip
    doc = TemplateDocument(template, what="inspection pack index")
    doc.fill_placeholders(
        {"council": title, "panel": title, "meeting_date": "", "document": "Inspection pack"}
    )
    doc.paragraph("Inspection pack: contents", "Title")
    doc.facts([("Panels", title), ("Period", f"{format_date(start)} to {format_date(end)}")])
    doc.paragraph(
        "Each file is listed with its SHA-256 digest, so that a reader can confirm it is the "
        "file panelapp put in the pack. Signed minutes are exactly as the store keeps them."
    )
    doc.grid(
        ("File", "What it is", "SHA-256"),
        [(e.file_name, e.what, e.sha256) for e in entries],
        (5.0, 6.0, 5.0),
    )
    return doc.finish(title="Inspection pack: contents", subject="Inspection pack", moment=moment)
