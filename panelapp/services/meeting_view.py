"""A read-only picture of a meeting for screens, summaries and minutes.

Everything a reader needs about each item in one pass, with the child named by the naming mode
the reader asked for, so no caller composes names or labels on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.domain.naming import child_label
from panelapp.domain.vocabulary import (
    AttendanceStatus,
    ItemStatus,
    MeetingStatus,
    NamingMode,
    Outcome,
    RequestType,
    Role,
)
from panelapp.services.cases import statutory_clock
from panelapp.services.unit_of_work import NotFound
from panelapp.store.tables import (
    ActionRow,
    Attendance,
    DecisionRow,
    DeclarationRow,
    DeferralRow,
    Meeting,
)


@dataclass(frozen=True)
class AttendeeView:
    member_id: int
    name: str
    roles: tuple[Role, ...]
    status: AttendanceStatus


@dataclass(frozen=True)
class DeclarationView:
    member_name: str
    item_position: int | None
    nature: str
    withdrew: bool
    before_meeting: bool
    left_at: time | None
    returned_at: time | None


@dataclass(frozen=True)
class ItemView:
    item_id: int
    position: int
    child: str
    reference: str
    request_type: RequestType
    status: ItemStatus
    minutes_allocated: int
    presenting_officer: str
    statutory_due: date | None
    outcome: Outcome | None
    rationale: str
    amount_pence: int | None
    band: str | None
    setting: str | None
    deferred_to: date | None
    timescale_risk: bool
    chaired_by: str | None
    chair_reason: str
    withdrawn: tuple[str, ...]


@dataclass(frozen=True)
class MeetingView:
    meeting_id: int
    panel_name: str
    meeting_date: date
    start_time: time
    venue: str
    status: MeetingStatus
    attendees: tuple[AttendeeView, ...]
    declarations: tuple[DeclarationView, ...]
    items: tuple[ItemView, ...]
    actions: tuple[tuple[str, str, date | None], ...]


def meeting_view(session: Session, meeting_id: int, naming: NamingMode) -> MeetingView:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"There is no meeting with id {meeting_id}.")
    members = {m.id: m for m in meeting.panel.members}
    attendance = session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id))
    attendees = tuple(
        AttendeeView(
            a.member_id,
            members[a.member_id].name,
            tuple(Role(r) for r in members[a.member_id].roles),
            AttendanceStatus(a.status),
        )
        for a in sorted(attendance, key=lambda a: a.member_id)
    )
    position_of = {item.id: item.position for item in meeting.items}
    decl_rows = list(
        session.scalars(
            select(DeclarationRow)
            .where(DeclarationRow.meeting_id == meeting_id)
            .order_by(DeclarationRow.id)
        )
    )
    declarations = tuple(
        DeclarationView(
            member_name=members[d.member_id].name,
            item_position=position_of.get(d.agenda_item_id) if d.agenda_item_id else None,
            nature=d.nature,
            withdrew=d.withdraws,
            before_meeting=d.before_meeting,
            left_at=d.left_at,
            returned_at=d.returned_at,
        )
        for d in decl_rows
    )
    item_ids = list(position_of)
    decisions = {
        d.agenda_item_id: d
        for d in session.scalars(
            select(DecisionRow).where(DecisionRow.agenda_item_id.in_(item_ids))
        )
    }
    deferrals = {
        d.agenda_item_id: d
        for d in session.scalars(
            select(DeferralRow).where(DeferralRow.agenda_item_id.in_(item_ids))
        )
    }
    items = []
    for item in meeting.items:
        case = item.case
        decision = decisions.get(item.id)
        deferral = deferrals.get(item.id)
        clock = statutory_clock(case)
        withdrawn = tuple(
            members[d.member_id].name
            for d in decl_rows
            if d.withdraws and d.agenda_item_id in (None, item.id)
        )
        items.append(
            ItemView(
                item_id=item.id,
                position=item.position,
                child=child_label(case.first_name, case.last_name, case.reference, naming),
                reference=case.reference,
                request_type=RequestType(case.request_type),
                status=ItemStatus(item.status),
                minutes_allocated=item.minutes_allocated,
                presenting_officer=item.presenting_officer,
                statutory_due=clock.extended_due if clock else None,
                outcome=Outcome(decision.outcome) if decision else None,
                rationale=(decision.rationale if decision else deferral.reason if deferral else ""),
                amount_pence=decision.amount_pence if decision else None,
                band=decision.band if decision else None,
                setting=decision.setting if decision else None,
                deferred_to=deferral.return_date if deferral else None,
                timescale_risk=bool(deferral and deferral.timescale_risk),
                chaired_by=members[item.chair_member_id].name if item.chair_member_id else None,
                chair_reason=item.chair_reason,
                withdrawn=withdrawn,
            )
        )
    actions = tuple(
        (a.description, a.owner, a.due_date)
        for a in session.scalars(
            select(ActionRow).where(ActionRow.meeting_id == meeting_id).order_by(ActionRow.id)
        )
    )
    return MeetingView(
        meeting_id=meeting.id,
        panel_name=meeting.panel.name,
        meeting_date=meeting.meeting_date,
        start_time=meeting.start_time,
        venue=meeting.venue,
        status=MeetingStatus(meeting.status),
        attendees=attendees,
        declarations=declarations,
        items=tuple(items),
        actions=actions,
    )


def list_meetings(session: Session) -> list[tuple[int, str, date, MeetingStatus, int]]:
    """(id, panel name, date, status, number of items) for every meeting, newest first."""
    rows = session.scalars(select(Meeting).order_by(Meeting.meeting_date.desc(), Meeting.id))
    return [
        (m.id, m.panel.name, m.meeting_date, MeetingStatus(m.status), len(m.items)) for m in rows
    ]
