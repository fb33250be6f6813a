"""Who belongs to a meeting's panel and how each is recorded as attending, for the
attendance screen and for choosing members in declarations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.domain.vocabulary import AttendanceStatus, Role
from panelapp.services.attendance_modes import IN_ROOM
from panelapp.services.meeting_lookup import get_meeting
from panelapp.store.tables import Attendance, AttendanceMode


@dataclass(frozen=True)
class RosterEntry:
    member_id: int
    name: str
    organisation: str
    roles: tuple[Role, ...]
    status: AttendanceStatus | None
    arrived_before_item_id: int | None = None
    left_before_item_id: int | None = None
    #: how a member recorded as present attended: "in_room" or "online" (None: not present)
    mode: str | None = None

    @property
    def roles_label(self) -> str:
        return ", ".join(r.label for r in self.roles)


def roster(session: Session, meeting_id: int) -> list[RosterEntry]:
    meeting = get_meeting(session, meeting_id)
    recorded = {
        a.member_id: a
        for a in session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id))
    }
    modes = {
        attendance_id: mode
        for attendance_id, mode in session.execute(
            select(AttendanceMode.attendance_id, AttendanceMode.mode).where(
                AttendanceMode.attendance_id.in_([a.id for a in recorded.values()])
            )
        )
    }
    return [
        RosterEntry(
            member_id=m.id,
            name=m.name,
            organisation=m.organisation,
            roles=tuple(Role(r) for r in m.roles),
            status=recorded[m.id].status if m.id in recorded else None,
            arrived_before_item_id=recorded[m.id].arrived_before_item_id
            if m.id in recorded
            else None,
            left_before_item_id=recorded[m.id].left_before_item_id if m.id in recorded else None,
            mode=_mode(recorded.get(m.id), modes),
        )
        for m in meeting.panel.members
        if m.active
    ]


def _mode(row: Attendance | None, modes: dict[int, str]) -> str | None:
    if row is None or row.status != AttendanceStatus.PRESENT:
        return None
    return modes.get(row.id, IN_ROOM)
