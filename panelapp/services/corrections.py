"""Correcting what was typed: a case's details, a meeting's date and venue, a declaration made
in error, a paper attached to the wrong case.

Each correction is audited (by ids and field names only, never the values, which could name a
child) and refused once the meeting's minutes are signed (R9): a signed record is corrected
through an amendment to the minutes, which reopens it.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, time

from sqlalchemy import select

from panelapp.domain.errors import PanelappError, RuleViolation
from panelapp.domain.vocabulary import ItemStatus, MeetingStatus, PrimaryNeed, RequestType
from panelapp.services.cases import (
    CaseDetails,
    apply_case_facts,
    case_vulnerabilities,
    check_final_plan,
)
from panelapp.services.meetings import ensure_editable, relist_deferrals
from panelapp.services.reasons import record_reason
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import (
    AgendaItem,
    Case,
    DeclarationRow,
    Meeting,
    Paper,
    PaperContent,
)

SIGNED_MESSAGE = (
    "The chair has signed the minutes of a meeting that heard this case, so its record is "
    "locked. Start an amendment to those minutes (Minutes and signatures), then correct it."
)


def case_details(session, case_id: int) -> CaseDetails:
    """A case's details as the case form shows them."""
    case = session.get(Case, case_id)
    if case is None:
        raise PanelappError(f"There is no case {case_id}.")
    return CaseDetails(
        reference=case.reference,
        first_name=case.first_name,
        last_name=case.last_name,
        date_of_birth=case.date_of_birth,
        request_type=case.request_type,
        request_received=case.request_received,
        primary_need=case.primary_need,
        setting=case.setting,
        year_group=case.year_group,
        secondary_need=case.secondary_need,
        case_officer=case.case_officer,
        review_meeting_date=case.review_meeting_date,
        transfer_year=case.transfer_year,
        post16_transfer=case.post16_transfer,
        transfer_date=case.transfer_date,
        vulnerabilities=case_vulnerabilities(case),
        placement_type=case.placement_type,
        final_plan_issued=case.final_plan_issued,
    )


def _case_signed(uow: UnitOfWork, case_id: int) -> bool:
    statuses = uow.session.scalars(
        select(Meeting.status)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(AgendaItem.case_id == case_id)
    )
    return MeetingStatus.SIGNED in set(statuses)


def update_case(uow: UnitOfWork, case_id: int, details: CaseDetails) -> list[str]:
    """Correct a case's details; returns the names of the fields that changed."""
    case = uow.get(Case, case_id, "case")
    if _case_signed(uow, case_id):
        raise RuleViolation("R9", SIGNED_MESSAGE)
    for field, label in (
        ("reference", "council reference"),
        ("first_name", "first name"),
        ("last_name", "last name"),
    ):
        if not str(getattr(details, field)).strip():
            raise PanelappError(f"The case needs a {label}.")
    if details.date_of_birth > details.request_received:
        raise PanelappError("The date of birth is after the date the request was received.")
    check_final_plan(details)
    before = case_details(uow.session, case_id)
    changed = [
        f.name for f in fields(CaseDetails) if getattr(before, f.name) != getattr(details, f.name)
    ]
    if not changed:
        return []
    case.reference = details.reference.strip()
    case.first_name = details.first_name.strip()
    case.last_name = details.last_name.strip()
    case.date_of_birth = details.date_of_birth
    case.setting = details.setting
    case.year_group = details.year_group
    case.primary_need = PrimaryNeed(details.primary_need)
    case.secondary_need = PrimaryNeed(details.secondary_need) if details.secondary_need else None
    case.case_officer = details.case_officer
    case.request_type = RequestType(details.request_type)
    case.request_received = details.request_received
    case.review_meeting_date = details.review_meeting_date
    case.transfer_year = details.transfer_year
    case.post16_transfer = details.post16_transfer
    case.transfer_date = details.transfer_date
    apply_case_facts(case, details)
    uow.audit("case.updated", "case", case_id, fields=changed)
    return changed


def update_meeting(uow: UnitOfWork, meeting_id: int, *, on: date, start: time, venue: str) -> None:
    """Correct a meeting's date, start time and venue."""
    meeting = uow.get(Meeting, meeting_id, "meeting")
    ensure_editable(meeting)
    if meeting.status != MeetingStatus.SCHEDULED and on != meeting.meeting_date:
        raise PanelappError(
            "This meeting has started, so the day it was held on cannot change. "
            "Correct the venue or start time, or reopen and amend the minutes."
        )
    moved = on != meeting.meeting_date
    meeting.meeting_date = on
    meeting.start_time = start
    meeting.venue = venue.strip()
    uow.session.flush()
    uow.audit("meeting.updated", "meeting", meeting_id, date=on, start=start.isoformat())
    if moved:  # deferred cases follow: each to the first meeting on or after its return date
        relist_deferrals(uow, meeting.panel_id)


def _items_affected(uow: UnitOfWork, row: DeclarationRow) -> list[AgendaItem]:
    """The items whose record the declaration shaped: none for a correction (it withdrew
    nobody); for an every-item declaration, not the items already taken when it was made."""
    if row.correction:
        return []
    if row.agenda_item_id is not None:
        return [uow.get(AgendaItem, row.agenda_item_id, "agenda item")]
    excluded = set(row.excluded_item_ids or ())
    meeting = uow.get(Meeting, row.meeting_id, "meeting")
    return [item for item in meeting.items if item.id not in excluded]


def withdraw_declaration(uow: UnitOfWork, declaration_id: int, *, reason: str) -> None:
    """Take back a declaration recorded in error (the wrong member or item). Refused once an
    item it applies to is decided or deferred: reopen that item first, since who took part
    was recorded with it."""
    row = uow.get(DeclarationRow, declaration_id, "declaration")
    ensure_editable(uow.get(Meeting, row.meeting_id, "meeting"))
    if not reason.strip():
        raise PanelappError("Say why the declaration is withdrawn (it is kept with the record).")
    heard = [
        i
        for i in _items_affected(uow, row)
        if i.status in (ItemStatus.DECIDED, ItemStatus.DEFERRED)
    ]
    if heard:
        numbers = ", ".join(str(i.position) for i in heard)
        raise PanelappError(
            f"Item {numbers} was already decided or deferred with this declaration in force. "
            "Reopen the item first, then withdraw the declaration."
        )
    uow.session.delete(row)
    record_reason(
        uow,
        entity="declaration",
        entity_id=declaration_id,
        action="declaration.withdrawn",
        text=reason,
    )


def remove_paper(uow: UnitOfWork, paper_id: int, *, reason: str) -> None:
    """Take a paper off its case (attached to the wrong case, or a wrong file). Its bytes
    and its full-text entry go with it."""
    paper = uow.get(Paper, paper_id, "paper")
    if paper.agenda_item_id is not None:
        ensure_editable(uow.get(AgendaItem, paper.agenda_item_id, "agenda item").meeting)
    elif _case_signed(uow, paper.case_id):
        raise RuleViolation("R9", SIGNED_MESSAGE)
    if not reason.strip():
        raise PanelappError("Say why the paper is removed (it is kept with the record).")
    content = uow.session.get(PaperContent, paper_id)
    if content is not None:
        uow.session.delete(content)
    uow.session.flush()
    uow.session.delete(paper)
    record_reason(uow, entity="paper", entity_id=paper_id, action="paper.removed", text=reason)


def case_of_item(session, item_id: int) -> int:
    item = session.get(AgendaItem, item_id)
    if item is None:
        raise PanelappError(f"There is no agenda item {item_id}.")
    return item.case_id
