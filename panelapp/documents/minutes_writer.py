"""The minutes of a panel meeting as a Word document, from the meeting view and a template.

Pure: it takes the meeting's content (``minutes_content``, already naming children by the
chosen mode), a little context
(version, amendment reason, signature) and the template's bytes, and returns .docx bytes, the
same bytes for the same input. Nothing here reads the store or the disk, so a draft can be
remade at signing time and compared with the one the chair read.

Sections, in the order councils' minutes use: attendance (present, in attendance, apologies,
absent), declarations of interest, the cases one by one (facts, papers, discussion, decision or
deferral), actions, and the signature block.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, replace
from datetime import date, datetime

from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

from panelapp.documents import item_sections
from panelapp.documents.docx_template import TemplateDocument
from panelapp.documents.minutes_content import AttendeeContent, MeetingContent
from panelapp.documents.signature_block import SignatureLine, format_moment, signature_block
from panelapp.domain.formatting import format_date
from panelapp.domain.presence import Presence
from panelapp.domain.vocabulary import NON_VOTING_ROLES, AttendanceStatus, NamingMode, Role

__all__ = ["EarlierAction", "EarlierVersion", "MinutesContext", "sign_draft", "write_minutes"]


@dataclass(frozen=True)
class EarlierVersion:
    version: int
    signed_by: str | None
    signed_at: datetime | None


@dataclass(frozen=True)
class EarlierAction:
    """An action agreed at an earlier meeting of the panel, and where it stands now."""

    description: str
    owner: str
    due: date | None
    agreed_on: date
    done: bool


@dataclass(frozen=True)
class MinutesContext:
    """What the minutes need beyond the meeting itself."""

    version: int
    #: when this version was made; the document's properties carry it (naive UTC or aware)
    generated_at: datetime
    #: who is to sign (for a draft's block) and in what role
    expected_signer: str
    expected_role: str
    #: why that member signs (which rule applied)
    expected_basis: str = ""
    #: why this version replaces the previous one (an amendment); empty for version 1
    reason: str = ""
    earlier: tuple[EarlierVersion, ...] = ()
    signature: SignatureLine | None = None
    #: the council's letterhead lines (panel settings)
    council_address: str = ""
    council_contact: str = ""
    #: when the meeting closed (UK local time), None while it has not
    closed_at: datetime | None = None
    #: the panel's next meeting after this one, if one is scheduled
    next_meeting: date | None = None
    #: the actions of the panel's previous meeting, with whether each is done (matters arising)
    earlier_actions: tuple[EarlierAction, ...] = ()


def write_minutes(
    view: MeetingContent, context: MinutesContext, template: bytes, *, identifier: str | None = None
) -> bytes:
    """``identifier``: kept in the document's core properties (not signed content); the
    service keeps there the digest of what the draft was made from."""
    doc = TemplateDocument(template, what="minutes")
    _placeholders(doc, view, context)
    _opening(doc, view, context)
    _business(doc, view, context)
    _signature(doc, context)
    return _finish(doc, view, context, identifier)


def sign_draft(
    draft: bytes,
    view: MeetingContent,
    context: MinutesContext,
    template: bytes,
    *,
    identifier: str | None = None,
) -> bytes | None:
    """The signed version made from the draft the chair read: its business (attendance to the
    closing lines) taken as it is, with the opening and the signature block written for the
    signed ``context``. The same bytes as ``write_minutes`` of the same inputs, without writing
    the business again.

    ``draft`` must be what ``write_minutes`` made from these inputs with no signature (the
    caller checks its inputs' digest); its opening and draft signature block are written again
    here and compared with the draft's, and None is returned, for the caller to write the
    document in full, when they differ (a draft laid out by another version of this writer)."""
    if context.signature is None:
        raise ValueError("sign_draft needs the signature line")
    try:
        with zipfile.ZipFile(io.BytesIO(draft)) as package:
            body = parse_xml(package.read("word/document.xml")).find(qn("w:body"))
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    if body is None:
        return None
    read = list(body)
    unsigned = replace(context, signature=None)
    doc = TemplateDocument(template, what="minutes")
    target = doc.document.element.body
    end = target[-1]  # the section properties, after which nothing is written

    def written() -> list:
        return list(target)[:-1]

    # The draft's opening, written again: it must be the draft's, block for block.
    _opening(doc, view, unsigned)
    opening = written()
    if not _same(opening, read[: len(opening)]):
        return None
    for block in opening:
        target.remove(block)
    _signature(doc, unsigned)
    closing = written()
    business = read[len(opening) : len(read) - len(closing) - 1]
    if not business or not _same(closing, read[len(read) - len(closing) - 1 : -1]):
        return None
    if not _same([end], read[-1:]):
        return None
    for block in closing:
        target.remove(block)
    _placeholders(doc, view, context)
    _opening(doc, view, context)
    for block in business:
        end.addprevious(block)
    _signature(doc, context)
    return _finish(doc, view, context, identifier)


def _same(written: list, read: list) -> bool:
    return len(written) == len(read) and all(
        etree.tostring(a) == etree.tostring(b) for a, b in zip(written, read, strict=True)
    )


def _placeholders(doc: TemplateDocument, view: MeetingContent, context: MinutesContext) -> None:
    """The header and footer: the document's name says whether it is a draft."""
    label = f"Minutes of {format_date(view.meeting_date)}, version {context.version}"
    doc.fill_placeholders(
        {
            "council": view.council or view.panel_name,
            "panel": view.panel_name,
            "meeting_date": format_date(view.meeting_date),
            "document": label + (" (draft)" if context.signature is None else ""),
        }
    )


def _opening(doc: TemplateDocument, view: MeetingContent, context: MinutesContext) -> None:
    """The title and the notes before the business (the version note says whether the
    version is signed)."""
    doc.paragraph(f"{view.panel_name}: minutes", "Title")
    when = f"{item_sections.long_date(view.meeting_date)}, {view.start_time:%H:%M}"
    doc.paragraph(f"{when}, {view.venue}" if view.venue else when, "Subtitle")
    _letterhead(doc, view, context)
    _confidentiality(doc, view)
    _version_note(doc, context)


def _business(doc: TemplateDocument, view: MeetingContent, context: MinutesContext) -> None:
    """Attendance to the closing lines: the same in a draft and in its signed version."""
    doc.heading("1. Attendance", 1)
    _attendance(doc, view)
    doc.heading("2. Declarations of interest", 1)
    _declarations(doc, view)
    doc.heading("3. Cases considered", 1)
    if not view.items:
        doc.paragraph("There were no cases on the agenda.")
    for item in view.items:
        doc.heading(item_sections.item_heading(item), 2)
        item_sections.item_facts(doc, view, item)
        item_sections.discussion(doc, item, 3)
        item_sections.outcome(doc, item, 3)
    doc.heading("4. Actions", 1)
    _actions(doc, view)
    _earlier_actions(doc, context)
    doc.heading("5. Signature", 1)
    _close(doc, context)


def _signature(doc: TemplateDocument, context: MinutesContext) -> None:
    signature_block(
        doc,
        context.signature,
        expected_signer=context.expected_signer,
        expected_role=context.expected_role,
        what="these minutes",
        expected_basis=context.expected_basis,
    )


def _finish(
    doc: TemplateDocument, view: MeetingContent, context: MinutesContext, identifier: str | None
) -> bytes:
    draft = context.signature is None
    return doc.finish(
        title=f"{view.panel_name}: minutes of {format_date(view.meeting_date)}",
        subject=f"Version {context.version}" + (" (draft)" if draft else ""),
        moment=context.generated_at,
        identifier=identifier,
    )


# -- sections ---------------------------------------------------------------------------------


def _letterhead(doc: TemplateDocument, view: MeetingContent, context: MinutesContext) -> None:
    lines = [line for line in (view.council, *context.council_address.splitlines()) if line]
    if context.council_contact:
        lines.append("Contact: " + "; ".join(context.council_contact.splitlines()))
    if lines:
        doc.paragraph(", ".join(lines), "Small Print")


def _close(doc: TemplateDocument, context: MinutesContext) -> None:
    """The closing lines councils' minutes end with, just above the chair's signature."""
    parts = []
    closed = context.closed_at
    if closed is not None:
        zone = f" {closed.tzname()}" if closed.tzname() else ""
        parts.append(f"The meeting closed at {closed:%H:%M}{zone}.")
    parts.append(
        "Date of the next meeting: "
        + (
            item_sections.long_date(context.next_meeting)
            if context.next_meeting
            else "to be arranged"
        )
        + "."
    )
    doc.paragraph(" ".join(parts))
    doc.keep_last_with_next(1)  # the closing lines and the chair's signature stay together


def _earlier_actions(doc: TemplateDocument, context: MinutesContext) -> None:
    if not context.earlier_actions:
        return
    agreed_on = context.earlier_actions[0].agreed_on
    doc.paragraph(f"Actions from the meeting of {format_date(agreed_on)}:", bold=True)
    doc.grid(
        ["", "Action", "Owner", "Due by", "Status"],
        [
            [
                str(n),
                action.description,
                action.owner,
                format_date(action.due) if action.due else "",
                "Done" if action.done else "Open: carried forward",
            ]
            for n, action in enumerate(context.earlier_actions, start=1)
        ],
        [0.8, 7.4, 3.4, 2.8, 2.6],
    )


def _confidentiality(doc: TemplateDocument, view: MeetingContent) -> None:
    naming = {
        NamingMode.FULL: "Children and young people are named in full.",
        NamingMode.INITIALS: "Children and young people are named by initials and reference.",
        NamingMode.REFERENCE: "Children and young people are named by council reference only.",
    }[view.naming]
    doc.runs(
        [
            ("OFFICIAL-SENSITIVE. ", True),
            (
                "These minutes hold personal data about children and young people, including "
                f"special category data about their health and special educational needs. {naming} "
                "Share them only with people who need them for a child's education, health or "
                "care, and keep them on council systems.",
                False,
            ),
        ],
        "Marking",
    )


def _version_note(doc: TemplateDocument, context: MinutesContext) -> None:
    state = "Draft for the chair's signature." if context.signature is None else "Signed."
    if not context.earlier:
        doc.paragraph(f"Version {context.version}. {state}", "Small Print")
        return
    previous = context.earlier[-1]
    signed = ""
    if previous.signed_by and previous.signed_at:
        signed = f", signed by {previous.signed_by} on {format_moment(previous.signed_at)}"
    doc.runs(
        [
            (f"Version {context.version}: an amendment. ", True),
            (f"It replaces version {previous.version}{signed}, which is kept unchanged. ", False),
            (state, False),
        ],
        "Small Print",
    )
    if context.reason:
        doc.runs([("Reason for the amendment: ", True), (context.reason, False)], "Small Print")


def _role_text(view: MeetingContent, attendee: AttendeeContent) -> str:
    roles = [r.label for r in attendee.roles]
    return ", ".join(roles)


def _is_member(attendee: AttendeeContent) -> bool:
    return not attendee.roles or not set(attendee.roles) <= NON_VOTING_ROLES


def _order(view: MeetingContent, attendee: AttendeeContent) -> tuple[int, int]:
    if attendee.member_id == view.chair_id:
        return (0, 0)
    if attendee.member_id == view.vice_chair_id:
        return (1, 0)
    return (2, attendee.member_id)


def _attendance(doc: TemplateDocument, view: MeetingContent) -> None:
    attendees = sorted(view.attendees, key=lambda a: _order(view, a))
    present = [a for a in attendees if a.status is AttendanceStatus.PRESENT]
    members = [a for a in present if _is_member(a)]
    doc.heading("Present", 3)
    if members:
        doc.grid(
            ["Name", "Role on the panel", "Post or organisation"],
            [[_name_with_presence(a), _role_text(view, a), a.organisation] for a in members],
            [5.0, 6.0, 6.0],
        )
    else:
        doc.paragraph("No panel members were recorded as present.")

    partial = [a for a in members if a.arrived_before is not None or a.left_before is not None]
    if partial:
        doc.paragraph(
            "Members present for part of the meeting: "
            + "; ".join(f"{a.name} {_presence_text(a)}" for a in partial)
            + ". They are counted for quorum, and take part, only in the items they were "
            "present for."
        )
    online = [a.name for a in present if getattr(a, "online", False)]
    if online:
        doc.paragraph(f"Attended online: {item_sections.join_names(online)}.")
    attending = [_attending(view, a) for a in present if not _is_member(a)]
    member_names = {a.name for a in view.attendees}
    presenters: dict[str, list[int]] = {}
    for item in view.items:
        name = item.presenting_officer.strip()
        if name and name not in member_names:
            presenters.setdefault(name, []).append(item.position)
    for name, positions in presenters.items():
        which = item_sections.join_names([str(p) for p in positions])
        noun = "item" if len(positions) == 1 else "items"
        attending.append(f"{name}, presenting {noun} {which}")
    doc.heading("In attendance", 3)
    doc.bullets(attending or ["Nobody else attended."])

    for status, heading in (
        (AttendanceStatus.APOLOGIES, "Apologies"),
        (AttendanceStatus.ABSENT, "Absent"),
    ):
        people = [a for a in attendees if a.status is status]
        if people or status is AttendanceStatus.APOLOGIES:
            doc.heading(heading, 3)
            doc.bullets(
                [f"{a.name} ({_role_text(view, a)})" for a in people]
                or ["No apologies were received."]
            )

    chair = view.member_name(view.chair_id)
    chair_present = any(a.member_id == view.chair_id for a in present)
    vice_present = any(a.member_id == view.vice_chair_id for a in present)
    chaired = {i.chaired_by_id for i in view.items if i.decision or i.deferral}
    if chair and chair_present and (view.chair_id in chaired or not chaired):
        doc.paragraph(f"{chair} ({Role.CHAIR.label}) chaired the meeting.")
    elif view.vice_chair_id and (view.vice_chair_id in chaired or (not chaired and vice_present)):
        why = "in the chair's absence" if not chair_present else "(the chair chaired no item)"
        doc.paragraph(
            f"{view.member_name(view.vice_chair_id)} ({Role.VICE_CHAIR.label}) chaired the "
            f"meeting {why}."
        )


def _presence_text(attendee: AttendeeContent) -> str:
    """'arrived before item 3 and left before item 9', in the domain's words."""
    return Presence(
        attendee.member_id, True, attendee.arrived_before, attendee.left_before
    ).describe()


def _name_with_presence(attendee: AttendeeContent) -> str:
    partial = _presence_text(attendee)
    return f"{attendee.name} ({partial})" if partial else attendee.name


def _attending(view: MeetingContent, attendee: AttendeeContent) -> str:
    """'Joanne Pike, minute taker (SEN operations officer), SEN Operations'."""
    role = attendee.in_attendance_as or _role_text(view, attendee)
    role = role[:1].lower() + role[1:]
    text = f"{attendee.name}, {role}"
    if attendee.organisation and attendee.organisation.lower() not in role.lower():
        text += f", {attendee.organisation}"
    return text


def _declarations(doc: TemplateDocument, view: MeetingContent) -> None:
    if not view.declarations:
        doc.paragraph("No interests were declared.")
        return
    roles = {a.member_id: a for a in view.attendees}
    for declaration in view.declarations:
        attendee = roles.get(declaration.member_id) if declaration.member_id is not None else None
        role = ""
        if attendee is not None and attendee.member_id in (view.chair_id, view.vice_chair_id):
            role = _role_text(view, attendee).split(",")[0]
        doc.paragraph(item_sections.declaration_sentence(declaration, role), "List Bullet")


def _actions(doc: TemplateDocument, view: MeetingContent) -> None:
    if not view.action_items:
        doc.paragraph("No actions were agreed.")
        return
    doc.grid(
        ["", "Action", "Item", "Owner", "Due by"],
        [
            [
                str(n),
                action.description,
                str(action.item_position) if action.item_position else "",
                action.owner,
                format_date(action.due_date) if action.due_date else "",
            ]
            for n, action in enumerate(view.action_items, start=1)
        ],
        [0.8, 8.2, 1.2, 3.6, 3.2],
    )
