"""Declarations of interest, before or during a meeting, and the withdrawals they cause (R1-R3)."""

from __future__ import annotations

from datetime import time

from sqlalchemy import func, select

from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import AttendanceStatus, ItemStatus, MeetingStatus
from panelapp.services.clock import utc_now
from panelapp.services.meetings import ensure_editable
from panelapp.services.presence import declarations_for, presences
from panelapp.services.reasons import record_reason
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import (
    AgendaItem,
    Attendance,
    DeclarationRow,
    Meeting,
    Member,
    MinutesVersion,
    Panel,
)


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
    correction_reason: str | None = None,
) -> int:
    """Record a declaration; by default it withdraws the member from the item (R1).

    ``item_id`` None declares an interest in every item not yet taken: items already decided,
    deferred or withdrawn are not reached back to. ``remained`` is only allowed where the
    panel's terms of reference have a lesser "declared, remained" kind of interest.

    A declaration on an item already decided or deferred is refused, except as a correction
    while signed minutes are being amended (``correction_reason``): the member took part, so
    it withdraws nobody, and the minutes show it as a correction with its reason.
    """
    meeting = uow.get(Meeting, meeting_id, "meeting")
    ensure_editable(meeting)
    member = uow.get(Member, member_id, "member")
    if member.panel_id != meeting.panel_id:
        raise PanelappError("That person is not a member of this meeting's panel.")
    item = None
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
    correction = _is_correction(uow, meeting, member, item, correction_reason)
    if not before_meeting and not correction:
        _refuse_if_not_in_the_room(uow, meeting, member, item)
    excluded = []
    if item is None:
        excluded = sorted(i.id for i in meeting.items if i.status != ItemStatus.TO_DO)
    row = DeclarationRow(
        meeting_id=meeting_id,
        agenda_item_id=item_id,
        member_id=member_id,
        nature=nature.strip(),
        withdraws=not remained and not correction,
        before_meeting=before_meeting,
        declared_at=utc_now(),
        left_at=None if correction else left_at,
        excluded_item_ids=excluded,
        correction=correction,
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
        excluded_items=excluded,
        correction=correction,
    )
    if correction:
        record_reason(
            uow,
            entity="declaration",
            entity_id=row.id,
            action="interest.declared_as_correction",
            text=correction_reason or "",
        )
    return row.id


def _is_correction(
    uow: UnitOfWork,
    meeting: Meeting,
    member: Member,
    item: AgendaItem | None,
    correction_reason: str | None,
) -> bool:
    """Whether this declaration is a correction to an item already taken; refuses a late
    declaration that is not one, and a correction that cannot be one."""
    taken = item is not None and item.status in (ItemStatus.DECIDED, ItemStatus.DEFERRED)
    if item is not None and item.status == ItemStatus.WITHDRAWN:
        raise PanelappError(
            f"Item {item.position} was withdrawn from the agenda and not heard, so there is "
            "nothing to declare an interest in."
        )
    if not taken:
        if correction_reason is not None:
            raise PanelappError(
                "Only a declaration on an item already decided or deferred is recorded as a "
                "correction. Record this one as an ordinary declaration."
            )
        return False
    assert item is not None
    what = item.status.label.lower()
    if correction_reason is None or not correction_reason.strip():
        raise PanelappError(
            f"Item {item.position} is already {what}: a declaration applies only to items not "
            f"yet taken, and {member.name} is recorded as having taken part. If the interest "
            "came to light afterwards, record it as a correction with its reason while the "
            "signed minutes are being amended."
        )
    if not _minutes_being_amended(uow, meeting):
        raise PanelappError(
            f"Item {item.position} is already {what}. A late declaration on it is recorded as "
            "a correction only while signed minutes are being amended: once the chair has "
            "signed, start an amendment with its reason, then record the correction."
        )
    return True


def _minutes_being_amended(uow: UnitOfWork, meeting: Meeting) -> bool:
    """A version of the minutes was signed and the meeting is open again for an amendment."""
    signed = uow.session.scalar(
        select(func.count())
        .select_from(MinutesVersion)
        .where(MinutesVersion.meeting_id == meeting.id, MinutesVersion.signed_at.is_not(None))
    )
    return bool(signed) and meeting.status != MeetingStatus.SIGNED


def _refuse_if_not_in_the_room(
    uow: UnitOfWork, meeting: Meeting, member: Member, item: AgendaItem | None
) -> None:
    """A declaration at the meeting means the member was there: one who sent apologies, was
    absent or was out of the room for the item cannot leave the meeting for it."""
    presence = presences(uow.session, meeting.id).get(member.id)
    if presence is None:
        if meeting.status == MeetingStatus.SCHEDULED:
            return  # declarations at the start, before attendance is taken
        raise PanelappError(
            f"{member.name} is not recorded as present at this meeting. Record their "
            "attendance first, or record the declaration as made before the meeting."
        )
    if not presence.present:
        recorded = uow.session.scalar(
            select(Attendance.status).where(
                Attendance.meeting_id == meeting.id, Attendance.member_id == member.id
            )
        )
        # presences() above found this member's attendance row, so it has a status
        assert recorded is not None
        status = AttendanceStatus(recorded)
        why = "sent apologies" if status is AttendanceStatus.APOLOGIES else "was absent"
        raise PanelappError(
            f"{member.name} {why}, so cannot declare an interest at this meeting or leave it. "
            "If they declared it in writing before the meeting, record it as made before the "
            "meeting (their pack leaves out that case's papers)."
        )
    if item is not None and not presence.in_room_for(item.position):
        raise PanelappError(
            f"{member.name} was not in the room for item {item.position} "
            f"({presence.describe()}), so cannot declare an interest and leave for it."
        )


def record_return(uow: UnitOfWork, declaration_id: int, *, returned_at: time) -> None:
    """Note when a withdrawn member came back into the meeting (for the minutes, R2)."""
    row = uow.get(DeclarationRow, declaration_id, "declaration")
    ensure_editable(uow.get(Meeting, row.meeting_id, "meeting"))
    row.returned_at = returned_at
    uow.audit("interest.member_returned", "declaration", row.id, returned_at=returned_at)


__all__ = ["declare_interest", "declarations_for", "record_return"]
