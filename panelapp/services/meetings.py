"""Meetings: scheduling, the agenda, attendance, opening and closing."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import func, select

from panelapp.domain.errors import PanelappError, RuleViolation
from panelapp.domain.presence import Presence
from panelapp.domain.vocabulary import AttendanceStatus, ItemStatus, MeetingStatus
from panelapp.services.clock import utc_now
from panelapp.services.presence import check_items_taken, presences
from panelapp.services.reasons import record_reason
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import (
    AgendaItem,
    Attendance,
    Case,
    DeclarationRow,
    DeferralRow,
    Meeting,
    Member,
    Panel,
)


def ensure_editable(meeting: Meeting) -> None:
    """Signed minutes lock a meeting (R9); a closed meeting is reopened before changes."""
    if meeting.status == MeetingStatus.SIGNED:
        raise RuleViolation(
            "R9",
            "The chair has signed this meeting's minutes, so its decisions are locked. "
            "Record a correction as an amendment to the minutes.",
        )
    if meeting.status == MeetingStatus.CLOSED:
        raise PanelappError("This meeting is closed. Reopen it before changing anything.")


def schedule_meeting(
    uow: UnitOfWork, panel_id: int, *, on: date, start: time, venue: str = ""
) -> int:
    uow.get(Panel, panel_id, "panel")
    meeting = Meeting(panel_id=panel_id, meeting_date=on, start_time=start, venue=venue)
    uow.session.add(meeting)
    uow.session.flush()
    uow.audit("meeting.scheduled", "meeting", meeting.id, panel_id=panel_id, date=on)
    relist_waiting_deferrals(uow, meeting)
    return meeting.id


def waiting_deferrals(uow: UnitOfWork, panel_id: int) -> list[DeferralRow]:
    """Deferred cases not yet on a later agenda (the list of cases to re-list, R7)."""
    stmt = (
        select(DeferralRow)
        .join(AgendaItem, DeferralRow.agenda_item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(Meeting.panel_id == panel_id, DeferralRow.relisted_item_id.is_(None))
        .order_by(DeferralRow.return_date, DeferralRow.id)
    )
    return list(uow.session.scalars(stmt))


def relist_waiting_deferrals(uow: UnitOfWork, meeting: Meeting) -> list[int]:
    """Put on this meeting every waiting deferred case whose return date has come (R7)."""
    if meeting.status != MeetingStatus.SCHEDULED:
        return []
    added = []
    for deferral in waiting_deferrals(uow, meeting.panel_id):
        if deferral.return_date <= meeting.meeting_date:
            added.append(carry_forward(uow, deferral, meeting))
    return added


def carry_forward(uow: UnitOfWork, deferral: DeferralRow, meeting: Meeting) -> int:
    earlier = uow.get(AgendaItem, deferral.agenda_item_id, "agenda item")
    item_id = put_on_agenda(
        uow,
        meeting.id,
        earlier.case_id,
        minutes=earlier.minutes_allocated,
        presenting_officer=earlier.presenting_officer,
        carried_from_item_id=earlier.id,
    )
    deferral.relisted_item_id = item_id
    uow.audit("deferral.relisted", "agenda_item", item_id, from_item=earlier.id)
    return item_id


def put_on_agenda(
    uow: UnitOfWork,
    meeting_id: int,
    case_id: int,
    *,
    minutes: int = 15,
    presenting_officer: str = "",
    carried_from_item_id: int | None = None,
) -> int:
    meeting = uow.get(Meeting, meeting_id, "meeting")
    ensure_editable(meeting)
    uow.get(Case, case_id, "case")
    if minutes <= 0:
        raise PanelappError("Give each item a time allocation of at least one minute.")
    last = uow.session.scalar(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting_id)
    )
    item = AgendaItem(
        meeting_id=meeting_id,
        case_id=case_id,
        position=(last or 0) + 1,
        minutes_allocated=minutes,
        presenting_officer=presenting_officer,
        carried_from_item_id=carried_from_item_id,
        status=ItemStatus.TO_DO.value,
    )
    uow.session.add(item)
    uow.session.flush()
    uow.audit(
        "agenda_item.added",
        "agenda_item",
        item.id,
        meeting_id=meeting_id,
        case_id=case_id,
        position=item.position,
        minutes=minutes,
    )
    return item.id


def record_attendance(
    uow: UnitOfWork,
    meeting_id: int,
    member_id: int,
    status: AttendanceStatus,
    *,
    arrived_at: time | None = None,
    left_at: time | None = None,
    arrived_before_item_id: int | None = None,
    left_before_item_id: int | None = None,
) -> None:
    """Record how a member attended. A late arrival or early leaver is recorded by item
    (``arrived_before_item_id``: the first item they were in the room for;
    ``left_before_item_id``: the first item after they left), because quorum and the members
    taking part are judged per item. Refused when it would contradict an item already taken
    or a declaration made in the room."""
    meeting = uow.get(Meeting, meeting_id, "meeting")
    ensure_editable(meeting)
    member = uow.get(Member, member_id, "member")
    if member.panel_id != meeting.panel_id:
        raise PanelappError("That person is not a member of this meeting's panel.")
    status = AttendanceStatus(status)
    positions = {item.id: item.position for item in meeting.items}
    for item_id in (arrived_before_item_id, left_before_item_id):
        if item_id is not None and item_id not in positions:
            raise PanelappError("That item is not on this meeting's agenda.")
    if status is not AttendanceStatus.PRESENT and (arrived_before_item_id or left_before_item_id):
        raise PanelappError(
            f"{member.name} is recorded as {status.label.lower()}: only a member who was present "
            "can arrive late or leave early. Record them as present first."
        )
    Presence(  # refuses leaving before arriving
        member_id,
        present=True,
        arrived_before=positions.get(arrived_before_item_id),
        left_before=positions.get(left_before_item_id),
    )
    row = uow.session.scalar(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.member_id == member_id
        )
    )
    if row is None:
        row = Attendance(meeting_id=meeting_id, member_id=member_id, status=status.value)
        uow.session.add(row)
    row.status = status.value
    row.arrived_at = arrived_at
    row.left_at = left_at
    row.arrived_before_item_id = arrived_before_item_id
    row.left_before_item_id = left_before_item_id
    uow.session.flush()
    _refuse_if_declared_out_of_the_room(uow, meeting, member)
    check_items_taken(
        uow.session, meeting, allow_declared_remained=meeting.panel.allow_declared_remained
    )
    uow.audit(
        "attendance.recorded",
        "meeting",
        meeting_id,
        member_id=member_id,
        status=status.value,
        arrived_before_item=arrived_before_item_id,
        left_before_item=left_before_item_id,
    )


def record_arrival(
    uow: UnitOfWork, meeting_id: int, member_id: int, *, before_item_id: int
) -> None:
    """A member arrived late: present from item ``before_item_id`` on."""
    current = _attendance_row(uow, meeting_id, member_id)
    record_attendance(
        uow,
        meeting_id,
        member_id,
        AttendanceStatus.PRESENT,
        arrived_at=current.arrived_at if current else None,
        left_at=current.left_at if current else None,
        arrived_before_item_id=before_item_id,
        left_before_item_id=current.left_before_item_id if current else None,
    )


def record_departure(
    uow: UnitOfWork, meeting_id: int, member_id: int, *, before_item_id: int | None
) -> None:
    """A member left early: not in the room from item ``before_item_id`` on (None: undo it)."""
    current = _attendance_row(uow, meeting_id, member_id)
    if current is None or current.status != AttendanceStatus.PRESENT.value:
        raise PanelappError("Record the member as present before recording when they left.")
    record_attendance(
        uow,
        meeting_id,
        member_id,
        AttendanceStatus.PRESENT,
        arrived_at=current.arrived_at,
        left_at=current.left_at,
        arrived_before_item_id=current.arrived_before_item_id,
        left_before_item_id=before_item_id,
    )


def _attendance_row(uow: UnitOfWork, meeting_id: int, member_id: int) -> Attendance | None:
    return uow.session.scalar(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.member_id == member_id
        )
    )


def _refuse_if_declared_out_of_the_room(uow: UnitOfWork, meeting: Meeting, member: Member) -> None:
    """A declaration made at the meeting (not in advance, not a later correction) says the
    member was in the room for the item: their attendance cannot then say otherwise."""
    presence = presences(uow.session, meeting.id)[member.id]
    positions = {item.id: item.position for item in meeting.items}
    rows = uow.session.scalars(
        select(DeclarationRow).where(
            DeclarationRow.meeting_id == meeting.id,
            DeclarationRow.member_id == member.id,
            DeclarationRow.before_meeting.is_(False),
            DeclarationRow.correction.is_(False),
        )
    )
    for row in rows:
        position = positions.get(row.agenda_item_id) if row.agenda_item_id else None
        if not presence.present or (position is not None and not presence.in_room_for(position)):
            where = f"item {position}" if position else "this meeting"
            raise PanelappError(
                f"{member.name} declared an interest at the meeting in {where} and left the "
                "room for it, so was there. Correct the declaration (or record it as made "
                "before the meeting) before changing their attendance."
            )


def start_meeting(uow: UnitOfWork, meeting_id: int) -> None:
    meeting = uow.get(Meeting, meeting_id, "meeting")
    ensure_editable(meeting)
    if meeting.status == MeetingStatus.IN_PROGRESS:
        return
    present = uow.session.scalar(
        select(func.count())
        .select_from(Attendance)
        .where(
            Attendance.meeting_id == meeting_id,
            Attendance.status == AttendanceStatus.PRESENT.value,
        )
    )
    if not present:
        raise PanelappError("Record who is present before starting the meeting.")
    meeting.status = MeetingStatus.IN_PROGRESS.value
    meeting.started_at = utc_now()
    uow.audit("meeting.started", "meeting", meeting_id)


def close_meeting(uow: UnitOfWork, meeting_id: int) -> None:
    """End the meeting once every item has been decided, deferred or withdrawn."""
    meeting = uow.get(Meeting, meeting_id, "meeting")
    ensure_editable(meeting)
    open_items = [item.position for item in meeting.items if item.status == ItemStatus.TO_DO]
    if open_items:
        listed = ", ".join(str(p) for p in open_items)
        raise PanelappError(
            f"Items {listed} have no decision or deferral yet. Decide or defer them, or "
            "withdraw them from the agenda, before closing the meeting."
        )
    meeting.status = MeetingStatus.CLOSED.value
    meeting.closed_at = utc_now()
    uow.audit("meeting.closed", "meeting", meeting_id)


def reopen_meeting(uow: UnitOfWork, meeting_id: int, *, reason: str) -> None:
    meeting = uow.get(Meeting, meeting_id, "meeting")
    if meeting.status == MeetingStatus.SIGNED:
        ensure_editable(meeting)
    if not reason.strip():
        raise PanelappError("Say why the meeting is being reopened.")
    meeting.status = MeetingStatus.IN_PROGRESS.value
    meeting.closed_at = None
    record_reason(
        uow, entity="meeting", entity_id=meeting_id, action="meeting.reopened", text=reason
    )


def save_discussion(uow: UnitOfWork, item_id: int, text: str) -> None:
    """Keep the minute taker's summary of discussion as it is typed."""
    item = uow.get(AgendaItem, item_id, "agenda item")
    ensure_editable(item.meeting)
    if item.discussion == text:
        return
    item.discussion = text
    uow.audit("item.discussion_saved", "agenda_item", item_id, characters=len(text))


def renumber(items: list[AgendaItem]) -> None:
    """Number an agenda's items 1, 2, 3... in the order given, leaving no gaps."""
    for n, each in enumerate(items, start=1):
        each.position = n


def move_item(uow: UnitOfWork, item_id: int, new_position: int) -> None:
    """Reorder the agenda: the item takes ``new_position`` (1-based), the others close up."""
    item = uow.get(AgendaItem, item_id, "agenda item")
    ensure_editable(item.meeting)
    items = [i for i in item.meeting.items if i.id != item_id]
    new_position = max(1, min(new_position, len(items) + 1))
    items.insert(new_position - 1, item)
    renumber(items)
    uow.session.flush()
    check_items_taken(
        uow.session,
        item.meeting,
        allow_declared_remained=item.meeting.panel.allow_declared_remained,
    )
    uow.audit("agenda_item.moved", "agenda_item", item_id, position=new_position)


def update_item(uow: UnitOfWork, item_id: int, *, minutes: int, presenting_officer: str) -> None:
    item = uow.get(AgendaItem, item_id, "agenda item")
    ensure_editable(item.meeting)
    if minutes <= 0:
        raise PanelappError("Give each item a time allocation of at least one minute.")
    item.minutes_allocated = minutes
    item.presenting_officer = presenting_officer.strip()
    uow.audit("agenda_item.updated", "agenda_item", item_id, minutes=minutes)


def withdraw_item(uow: UnitOfWork, item_id: int, *, reason: str) -> None:
    """Take an item off the agenda before it is heard (the case stays in the store)."""
    item = uow.get(AgendaItem, item_id, "agenda item")
    ensure_editable(item.meeting)
    if item.status != ItemStatus.TO_DO:
        raise PanelappError("Only an item not yet decided or deferred can be withdrawn.")
    if not reason.strip():
        raise PanelappError("Say why the item is withdrawn from the agenda.")
    item.status = ItemStatus.WITHDRAWN.value
    record_reason(
        uow, entity="agenda_item", entity_id=item_id, action="agenda_item.withdrawn", text=reason
    )
