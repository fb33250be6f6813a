"""Declarations of interest, before or during a meeting, and the withdrawals they cause (R1-R3)."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from panelapp.domain.errors import PanelappError
from panelapp.domain.recusal import Declaration
from panelapp.services.clock import utc_now
from panelapp.services.meetings import ensure_editable
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, DeclarationRow, Meeting, Member, Panel


def declare_interest(
    uow: UnitOfWork,
    meeting_id: int,
    member_id: int,
    *,
    item_id: int | None,
    nature: str,
    before_meeting: bool = False,
    remained: bool = False,
    left_at: time | None = None,
) -> int:
    """Record a declaration; by default it withdraws the member from the item (R1).

    ``item_id`` None declares an interest in every item. ``remained`` is only allowed where
    the panel's terms of reference have a lesser "declared, remained" kind of interest.
    """
    meeting = uow.get(Meeting, meeting_id, "meeting")
    ensure_editable(meeting)
    member = uow.get(Member, member_id, "member")
    if member.panel_id != meeting.panel_id:
        raise PanelappError("That person is not a member of this meeting's panel.")
    if item_id is not None:
        item = uow.get(AgendaItem, item_id, "agenda item")
        if item.meeting_id != meeting_id:
            raise PanelappError("That item is not on this meeting's agenda.")
    if not nature.strip():
        raise PanelappError(
            "Describe the nature of the interest (for example 'governor of the school')."
        )
    panel = uow.get(Panel, meeting.panel_id, "panel")
    if remained and not panel.allow_declared_remained:
        raise PanelappError(
            "This panel's terms of reference say a member who declares an interest leaves for "
            "that item. Record the declaration as a withdrawal."
        )
    row = DeclarationRow(
        meeting_id=meeting_id,
        agenda_item_id=item_id,
        member_id=member_id,
        nature=nature.strip(),
        withdraws=not remained,
        before_meeting=before_meeting,
        declared_at=utc_now(),
        left_at=left_at,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(
        "interest.declared",
        "declaration",
        row.id,
        meeting_id=meeting_id,
        member_id=member_id,
        item_id=item_id,
        withdraws=row.withdraws,
        before_meeting=before_meeting,
    )
    return row.id


def record_return(uow: UnitOfWork, declaration_id: int, *, returned_at: time) -> None:
    """Note when a withdrawn member came back into the meeting (for the minutes, R2)."""
    row = uow.get(DeclarationRow, declaration_id, "declaration")
    ensure_editable(uow.get(Meeting, row.meeting_id, "meeting"))
    row.returned_at = returned_at
    uow.audit("interest.member_returned", "declaration", row.id, returned_at=returned_at)


def declarations_for(uow_or_session, meeting_id: int) -> list[Declaration]:
    session = getattr(uow_or_session, "session", uow_or_session)
    rows = session.scalars(select(DeclarationRow).where(DeclarationRow.meeting_id == meeting_id))
    return [
        Declaration(
            member_id=r.member_id,
            item_id=r.agenda_item_id,
            nature=r.nature,
            withdraws=r.withdraws,
            before_meeting=r.before_meeting,
        )
        for r in rows
    ]
