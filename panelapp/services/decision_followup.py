"""What happened to a meeting's decisions after it, as lines a person reads beside each item:
the chief officer's approval or return, and the family's mediation and appeal steps; and, on
an item a return put on the agenda, why the case is back. Shown by ``panelapp show``, the Run
page and the case history. Typed comments are masked for the naming mode unless asked not
to be (inside the application, where the names are shown anyway)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.domain.formatting import format_date
from panelapp.domain.vocabulary import NamingMode
from panelapp.services.appeals import appeal_for_decision
from panelapp.services.approvals import (
    NOT_YET,
    ApprovalListing,
    approval_for_item,
    returned_into,
)
from panelapp.services.meeting_lookup import get_meeting
from panelapp.services.meeting_view import free_text_masker
from panelapp.store.tables import DecisionRow

Mask = Callable[[str | None], str]


def approval_words(listing: ApprovalListing, mask: Mask) -> str:
    """'Chief officer's approval: awaiting approval', or who approved or returned it."""
    words = listing.worded(mask) if listing.on_date else listing.status
    return f"Chief officer's approval: {words}"


def item_followup(session: Session, item_id: int, mask: Mask) -> tuple[str, ...]:
    """The follow-up lines of one agenda item, oldest first."""
    lines = []
    back = returned_into(session, item_id)
    if back is not None:
        # returned_into lists a recorded approval (of a signed meeting), which has its date
        assert back.on_date is not None
        comment = f": {mask(back.comment)}" if back.comment else ""
        lines.append(
            f"Back before the panel: {back.officer} ({back.role}) returned the decision of "
            f"{format_date(back.meeting_date)} on {format_date(back.on_date)}{comment}"
        )
    listing = approval_for_item(session, item_id)
    if listing is None:
        return tuple(lines)
    if listing.status != NOT_YET:  # while the meeting runs, there is nothing to say yet
        lines.append(approval_words(listing, mask))
    record = appeal_for_decision(session, listing.decision_id)
    for step in record.steps:
        lines.append(f"{step.label}: {format_date(step.on)}")
    if record.appeal_by is not None and record.steps:
        lines.append(f"Last day to appeal: {format_date(record.appeal_by)}")
    return tuple(lines)


def meeting_followup(
    session: Session,
    meeting_id: int,
    naming: NamingMode = NamingMode.INITIALS,
    *,
    mask_free_text: bool = True,
) -> dict[int, tuple[str, ...]]:
    """Item id -> its follow-up lines, for every item of the meeting that has any."""
    meeting = get_meeting(session, meeting_id)
    mask = free_text_masker(meeting, naming) if mask_free_text else (lambda t: t or "")
    decided = set(
        session.scalars(
            select(DecisionRow.agenda_item_id).where(
                DecisionRow.agenda_item_id.in_([i.id for i in meeting.items])
            )
        )
    )
    found = {}
    for item in meeting.items:
        if item.id in decided or item.carried_from_item_id:
            lines = item_followup(session, item.id, mask)
            if lines:
                found[item.id] = lines
    return found
