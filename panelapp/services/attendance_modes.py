"""How each member attended a meeting: in the room or online (hybrid meetings). Kept in a table
of its own beside the attendance record, whose digests it leaves untouched. Whether online
members count for quorum is the panel's setting ``online_counts_for_quorum``, fixed on each
meeting when it starts."""

from __future__ import annotations

from sqlalchemy import select

from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import AttendanceStatus
from panelapp.services.meetings import ensure_editable, online_counts_for_quorum
from panelapp.services.presence import rooms_of_items_taken
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import Attendance, AttendanceMode, Meeting, Member

IN_ROOM, ONLINE = "in_room", "online"
MODES = (IN_ROOM, ONLINE)
#: the words people read for each mode
MODE_LABELS = {IN_ROOM: "In the room", ONLINE: "Online"}


def set_attendance_mode(uow: UnitOfWork, meeting_id: int, member_id: int, mode: str) -> None:
    """Record whether a member who was present attended in the room or online. Refused for a
    member not recorded as present, and, where online members do not count for quorum, for a
    member who was there for an item already decided or deferred (its quorum was judged on
    how they attended)."""
    meeting = uow.get(Meeting, meeting_id, "meeting")
    ensure_editable(meeting)
    if mode not in MODES:
        raise PanelappError("Say how the member attended: in the room or online.")
    row = uow.session.scalar(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.member_id == member_id
        )
    )
    if row is None:
        raise PanelappError("Record the member's attendance first, then how they attended.")
    name = uow.get(Member, member_id, "member").name
    if row.status != AttendanceStatus.PRESENT:
        raise PanelappError(
            f"{name} is not recorded as present. Record them as present first, then how "
            "they attended."
        )
    current = uow.session.get(AttendanceMode, row.id)
    before = current.mode if current is not None else IN_ROOM
    if current is not None and current.mode == mode:
        return  # nothing changes, so nothing to record
    if before != mode and not online_counts_for_quorum(meeting):
        rooms = rooms_of_items_taken(uow.session, meeting)
        taken = sorted(i.position for i in meeting.items if member_id in rooms.get(i.id, ()))
        if taken:
            raise PanelappError(
                f"Item {taken[0]} is already taken and its quorum was judged with {name} "
                f"{MODE_LABELS[before].lower()}; this panel counts only members in the room. "
                f"Reopen item {taken[0]} first if how they attended is wrong."
            )
    if current is None:
        uow.session.add(AttendanceMode(attendance_id=row.id, mode=mode))
    else:
        current.mode = mode
    uow.session.flush()
    uow.audit("attendance.mode_set", "meeting", meeting_id, member_id=member_id, mode=mode)


def online_member_ids(session, meeting_id: int) -> frozenset[int]:
    return frozenset(
        session.scalars(
            select(Attendance.member_id)
            .join(AttendanceMode, AttendanceMode.attendance_id == Attendance.id)
            .where(Attendance.meeting_id == meeting_id, AttendanceMode.mode == ONLINE)
        )
    )
