"""Who belongs to a meeting's panel and how each is recorded as attending, for the
attendance screen and for choosing members in declarations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.domain.vocabulary import AttendanceStatus, Role
from panelapp.store.tables import Attendance, Meeting


@dataclass(frozen=True)
class RosterEntry:
    member_id: int
    name: str
    organisation: str
    roles: tuple[Role, ...]
    status: AttendanceStatus | None
    arrived_before_item_id: int | None = None
    left_before_item_id: int | None = None

    @property
    def roles_label(self) -> str:
        return ", ".join(r.label for r in self.roles)


def roster(session: Session, meeting_id: int) -> list[RosterEntry]:
    meeting = session.get(Meeting, meeting_id)
    recorded = {
        a.member_id: a
        for a in session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id))
    }
    return [
        RosterEntry(
            member_id=m.id,
            name=m.name,
            organisation=m.organisation,
            roles=tuple(Role(r) for r in m.roles),
            status=AttendanceStatus(recorded[m.id].status) if m.id in recorded else None,
            arrived_before_item_id=recorded[m.id].arrived_before_item_id
            if m.id in recorded
            else None,
            left_before_item_id=recorded[m.id].left_before_item_id if m.id in recorded else None,
        )
        for m in meeting.panel.members
        if m.active
    ]
