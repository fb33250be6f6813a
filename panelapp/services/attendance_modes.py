"""How each member attended a meeting: in the room or online (hybrid meetings). Kept in a table
of its own beside the attendance record, whose digests it leaves untouched. Whether online
members count for quorum is the panel's setting ``online_counts_for_quorum``."""

from __future__ import annotations

from sqlalchemy import select

from panelapp.domain.errors import PanelappError
from panelapp.services.meetings import ensure_editable
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import Attendance, AttendanceMode, Meeting

IN_ROOM, ONLINE = "in_room", "online"
MODES = (IN_ROOM, ONLINE)


def set_attendance_mode(uow: UnitOfWork, meeting_id: int, member_id: int, mode: str) -> None:
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
    current = uow.session.get(AttendanceMode, row.id)
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
