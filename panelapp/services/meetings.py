"""Meetings: scheduling, the agenda, attendance, opening and closing."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import func, select

from panelapp.domain.deferrals import relist_date
from panelapp.domain.errors import PanelappError, RuleViolation
from panelapp.domain.presence import Presence
from panelapp.domain.vocabulary import AttendanceStatus, ItemStatus, MeetingStatus
from panelapp.services.clock import utc_now
from panelapp.services.presence import (
    check_items_taken,
    presences,
    refuse_if_rooms_changed,
    rooms_of_items_taken,
)
from panelapp.services.reasons import record_reason
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import (
    ActionRow,
    AgendaItem,
    ApprovalRow,
    Attendance,
    Case,
    DecisionRow,
    DeclarationRow,
    DeferralRow,
    FormDraft,
    Meeting,
    Member,
    Panel,
    Paper,
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
    relist_deferrals(uow, panel_id)
    return meeting.id


def reschedule_meeting(
    uow: UnitOfWork, meeting_id: int, *, on: date, start: time | None = None, reason: str
) -> None:
    """Move a meeting not yet held to another day; deferred cases are re-listed afterwards so
    each sits on the panel's first meeting on or after its return date (R7)."""
    meeting = uow.get(Meeting, meeting_id, "meeting")
    _refuse_unless_scheduled(meeting, "moved")
    if not reason.strip():
        raise PanelappError("Say why the meeting is moved.")
    before = meeting.meeting_date
    meeting.meeting_date = on
    if start is not None:
        meeting.start_time = start
    meeting.calendar_sequence = (meeting.calendar_sequence or 0) + 1  # calendars take the move
    uow.session.flush()
    record_reason(
        uow, entity="meeting", entity_id=meeting_id, action="meeting.rescheduled", text=reason
    )
    uow.audit("meeting.rescheduled", "meeting", meeting_id, date_from=before, date_to=on)
    relist_deferrals(uow, meeting.panel_id)


def cancel_meeting(uow: UnitOfWork, meeting_id: int, *, reason: str) -> None:
    """Remove a meeting not yet held. Deferred cases carried to it go to the panel's next
    meeting on or after their return date, or back to the list of cases to re-list (R7).
    Refused while it has business of its own (new cases, declarations, actions): move or
    withdraw those first, so nothing is lost."""
    meeting = uow.get(Meeting, meeting_id, "meeting")
    _refuse_unless_scheduled(meeting, "cancelled")
    if not reason.strip():
        raise PanelappError("Say why the meeting is cancelled.")
    own = [
        i.position
        for i in meeting.items
        if i.carried_from_item_id is None or i.status != ItemStatus.TO_DO
    ]
    if own:
        listed = ", ".join(str(p) for p in own)
        raise PanelappError(
            f"Items {listed} of this meeting are not deferred cases waiting to be heard (new "
            "cases, or items withdrawn, which stay on the record). Only a meeting whose agenda "
            "holds nothing but deferred cases can be cancelled; the cases go to the next "
            "meeting on or after their return dates."
        )
    for table, what in ((DeclarationRow, "declarations of interest"), (ActionRow, "actions")):
        if uow.session.scalar(
            select(func.count()).select_from(table).where(table.meeting_id == meeting_id)
        ):
            raise PanelappError(
                f"This meeting already has {what}. Remove them before cancelling the meeting."
            )
    panel_id, on = meeting.panel_id, meeting.meeting_date
    record_reason(
        uow, entity="meeting", entity_id=meeting_id, action="meeting.cancelled", text=reason
    )
    relist_deferrals(uow, panel_id, leaving=meeting_id)
    for row in uow.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id)):
        uow.session.delete(row)
    uow.session.expire(meeting, ["items"])
    if meeting.items:  # carried cases with papers and no later meeting to go to
        raise PanelappError(
            f"Item {meeting.items[0].position} has papers and no later meeting to go to. "
            "Schedule the next meeting first, then cancel this one."
        )
    uow.session.flush()
    uow.session.delete(meeting)
    uow.session.flush()
    uow.audit("meeting.cancelled", "meeting", meeting_id, panel_id=panel_id, date=on)


def _refuse_unless_scheduled(meeting: Meeting, done: str) -> None:
    ensure_editable(meeting)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise PanelappError(f"Only a meeting not yet started can be {done}; this one has started.")


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
    """Re-list the panel's deferred cases (R7) now that ``meeting`` is scheduled; returns the
    ids of the items now on this meeting because of it."""
    before = {i.id for i in meeting.items}
    relist_deferrals(uow, meeting.panel_id)
    uow.session.refresh(meeting)
    return [i.id for i in meeting.items if i.id not in before and i.carried_from_item_id]


def relist_deferrals(uow: UnitOfWork, panel_id: int, *, leaving: int | None = None) -> None:
    """Put every deferred case of the panel on the panel's first meeting (not yet started) on
    or after its return date, whatever order the meetings were scheduled in (R7). Run when a
    meeting is scheduled, moved or cancelled (``leaving``: the meeting going away).

    A case already carried to a later agenda moves when an earlier suitable meeting appears,
    or when its meeting moves before the return date or is cancelled; with no suitable
    meeting it goes back to the list of cases to re-list. A carried item already heard,
    withdrawn, on a meeting that has started, or with declarations or actions of its own is
    left where it is.
    """
    candidates = _meetings_to_come(uow, panel_id, leaving)
    stmt = (
        select(DeferralRow)
        .join(AgendaItem, DeferralRow.agenda_item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(Meeting.panel_id == panel_id)
        .order_by(DeferralRow.return_date, DeferralRow.id)
    )
    for deferral in list(uow.session.scalars(stmt)):
        target_date = relist_date(deferral.return_date, [m.meeting_date for m in candidates])
        target = None
        if target_date is not None:
            target = min(
                (m for m in candidates if m.meeting_date == target_date),
                key=lambda m: (m.start_time, m.id),
            )
        if deferral.relisted_item_id is None:
            if target is not None:
                carry_forward(uow, deferral, target)
            continue
        current = uow.session.get(AgendaItem, deferral.relisted_item_id)
        if current is None or (target is not None and current.meeting_id == target.id):
            continue
        if not _can_move(uow, current) and current.meeting_id != leaving:
            continue
        if current.meeting_id == leaving and not _can_move(uow, current):
            raise PanelappError(
                f"Item {current.position} of the meeting being cancelled is a deferred case "
                "that already has declarations or actions of its own. Remove them first."
            )
        _move_relisted_item(uow, deferral, current, target)
    relist_returned_decisions(uow, panel_id, leaving=leaving)


def relist_returned_decisions(
    uow: UnitOfWork, panel_id: int, *, leaving: int | None = None
) -> None:
    """Put the case of each decision a chief officer returned on the panel's first meeting not
    yet started on or after the day of the return; with none scheduled it waits for the next
    one. A returned case on a meeting being cancelled (``leaving``) moves to the next one."""
    candidates = _meetings_to_come(uow, panel_id, leaving)
    returns = uow.session.scalars(
        select(ApprovalRow)
        .join(DecisionRow, DecisionRow.id == ApprovalRow.decision_id)
        .join(AgendaItem, AgendaItem.id == DecisionRow.agenda_item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Meeting.panel_id == panel_id, ApprovalRow.result == "returned")
        .order_by(ApprovalRow.on_date, ApprovalRow.id)
    )
    for approval in list(returns):
        later = [m for m in candidates if m.meeting_date >= approval.on_date]
        target = min(later, key=lambda m: (m.meeting_date, m.start_time, m.id), default=None)
        if approval.relisted_item_id is None:
            if target is None:
                continue
            decision = uow.get(DecisionRow, approval.decision_id, "decision")
            earlier = uow.get(AgendaItem, decision.agenda_item_id, "agenda item")
            approval.relisted_item_id = put_on_agenda(
                uow,
                target.id,
                earlier.case_id,
                minutes=earlier.minutes_allocated,
                presenting_officer=earlier.presenting_officer,
                carried_from_item_id=earlier.id,
            )
            uow.session.flush()
            uow.audit(
                "approval.relisted", "agenda_item", approval.relisted_item_id, from_item=earlier.id
            )
            continue
        current = uow.session.get(AgendaItem, approval.relisted_item_id)
        if current is None or current.meeting_id != leaving or target is None:
            continue
        if not _can_move(uow, current):
            raise PanelappError(
                f"Item {current.position} of the meeting being cancelled is a returned decision "
                "that already has declarations or actions of its own. Remove them first."
            )
        _move_to_end_of(uow, current, target)
        uow.audit("approval.relisted", "agenda_item", current.id, meeting_id=target.id)


def _meetings_to_come(uow: UnitOfWork, panel_id: int, leaving: int | None) -> list[Meeting]:
    """The panel's meetings not yet started, less the one being cancelled."""
    scheduled = uow.session.scalars(
        select(Meeting).where(
            Meeting.panel_id == panel_id, Meeting.status == MeetingStatus.SCHEDULED
        )
    )
    return [m for m in scheduled if m.id != leaving]


def _move_to_end_of(uow: UnitOfWork, item: AgendaItem, target: Meeting) -> None:
    """Move a carried item (with its papers) to the end of ``target``'s agenda; the meeting it
    leaves is numbered again."""
    source = item.meeting
    last = uow.session.scalar(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == target.id)
    )
    item.meeting_id = target.id
    item.position = (last or 0) + 1
    uow.session.flush()
    uow.session.expire(source, ["items"])
    uow.session.expire(target, ["items"])
    renumber(list(source.items))


def _can_move(uow: UnitOfWork, item: AgendaItem) -> bool:
    if item.status != ItemStatus.TO_DO or item.meeting.status != MeetingStatus.SCHEDULED:
        return False
    for table in (DeclarationRow, ActionRow):
        if uow.session.scalar(
            select(func.count()).select_from(table).where(table.agenda_item_id == item.id)
        ):
            return False
    return True


def _move_relisted_item(
    uow: UnitOfWork, deferral: DeferralRow, item: AgendaItem, target: Meeting | None
) -> None:
    """Move a carried-forward item (with its papers) to ``target``, or take it off its agenda
    back to the list of cases to re-list when there is no suitable meeting."""
    source = item.meeting
    from_meeting, from_position = source.id, item.position
    if target is None:
        if uow.session.scalar(
            select(func.count()).select_from(Paper).where(Paper.agenda_item_id == item.id)
        ):
            return  # its papers stay with it; the officer moves it by hand
        deferral.relisted_item_id = None
        uow.session.flush()
        item_id = item.id
        for draft in uow.session.scalars(
            select(FormDraft).where(FormDraft.agenda_item_id == item_id)
        ):
            uow.session.delete(draft)
        uow.session.delete(item)
        uow.session.flush()
        uow.session.expire(source, ["items"])
        renumber(list(source.items))
        uow.audit("deferral.unlisted", "agenda_item", item_id, from_meeting=from_meeting)
        return
    _move_to_end_of(uow, item, target)
    uow.audit(
        "deferral.relisted",
        "agenda_item",
        item.id,
        from_item=deferral.agenda_item_id,
        moved_from_meeting=from_meeting,
        moved_from_position=from_position,
        meeting_id=target.id,
    )


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
        status=ItemStatus.TO_DO,
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
    # no arrival/leaving item (None) looks up None: present throughout
    positions: dict[int | None, int] = {item.id: item.position for item in meeting.items}
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
    rooms = rooms_of_items_taken(uow.session, meeting)
    row = uow.session.scalar(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.member_id == member_id
        )
    )
    if row is None:
        row = Attendance(meeting_id=meeting_id, member_id=member_id, status=status)
        uow.session.add(row)
    row.status = status
    row.arrived_at = arrived_at
    row.left_at = left_at
    row.arrived_before_item_id = arrived_before_item_id
    row.left_before_item_id = left_before_item_id
    uow.session.flush()
    _refuse_if_declared_out_of_the_room(uow, meeting, member)
    check_items_taken(
        uow.session, meeting, allow_declared_remained=meeting.panel.allow_declared_remained
    )
    refuse_if_rooms_changed(uow.session, meeting, rooms)
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
    if current is None or current.status != AttendanceStatus.PRESENT:
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
            Attendance.status == AttendanceStatus.PRESENT,
        )
    )
    if not present:
        raise PanelappError("Record who is present before starting the meeting.")
    meeting.status = MeetingStatus.IN_PROGRESS
    meeting.started_at = utc_now()
    meeting.online_counts_for_quorum = meeting.panel.online_counts_for_quorum
    uow.audit("meeting.started", "meeting", meeting_id)


def online_counts_for_quorum(meeting: Meeting) -> bool:
    """Whether members attending ``meeting`` online count for its quorum: fixed when it started;
    before then, the panel's setting as it is now."""
    fixed = meeting.online_counts_for_quorum
    return meeting.panel.online_counts_for_quorum if fixed is None else fixed


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
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = utc_now()
    uow.audit("meeting.closed", "meeting", meeting_id)


def reopen_meeting(uow: UnitOfWork, meeting_id: int, *, reason: str) -> None:
    meeting = uow.get(Meeting, meeting_id, "meeting")
    if meeting.status == MeetingStatus.SIGNED:
        ensure_editable(meeting)
    if not reason.strip():
        raise PanelappError("Say why the meeting is being reopened.")
    meeting.status = MeetingStatus.IN_PROGRESS
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
    rooms = rooms_of_items_taken(uow.session, item.meeting)
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
    refuse_if_rooms_changed(uow.session, item.meeting, rooms)
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
    item.status = ItemStatus.WITHDRAWN
    record_reason(
        uow, entity="agenda_item", entity_id=item_id, action="agenda_item.withdrawn", text=reason
    )
