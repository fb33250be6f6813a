"""The business a meeting carries over from the panel's earlier meetings: the minutes of the
previous meeting, and the matters arising from it (actions agreed earlier and not yet done).

An agenda opens with both, as councils' committee agendas do. Cancelled meetings do not exist
here (they are removed with their agenda), so "previous" is simply the panel's latest meeting
before this one.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.documents.agenda_content import MatterArising, PreviousMeeting
from panelapp.documents.minutes_writer import EarlierAction
from panelapp.domain.actions import action_overdue
from panelapp.domain.vocabulary import MeetingStatus, NamingMode
from panelapp.services.actions import is_done
from panelapp.services.meeting_view import free_text_masker
from panelapp.store.tables import ActionRow, AgendaItem, Meeting, MinutesVersion


def _meeting_before(session: Session, meeting: Meeting) -> Meeting | None:
    return session.scalar(
        select(Meeting)
        .where(
            Meeting.panel_id == meeting.panel_id,
            Meeting.id != meeting.id,
            (Meeting.meeting_date < meeting.meeting_date)
            | ((Meeting.meeting_date == meeting.meeting_date) & (Meeting.id < meeting.id)),
        )
        .order_by(Meeting.meeting_date.desc(), Meeting.id.desc())
        .limit(1)
    )


def next_meeting_date(session: Session, meeting: Meeting) -> date | None:
    """The date of the panel's next scheduled meeting after ``meeting``, if there is one."""
    return session.scalar(
        select(Meeting.meeting_date)
        .where(
            Meeting.panel_id == meeting.panel_id,
            Meeting.meeting_date > meeting.meeting_date,
            Meeting.status == MeetingStatus.SCHEDULED,
        )
        .order_by(Meeting.meeting_date)
        .limit(1)
    )


def previous_meeting(session: Session, meeting: Meeting) -> PreviousMeeting | None:
    """The panel's meeting before ``meeting`` (by date, then by number), with whether its
    minutes are made and signed; None for a panel's first meeting."""
    earlier = _meeting_before(session, meeting)
    if earlier is None:
        return None
    latest = session.scalar(
        select(MinutesVersion)
        .where(MinutesVersion.meeting_id == earlier.id)
        .order_by(MinutesVersion.version.desc())
        .limit(1)
    )
    return PreviousMeeting(
        meeting_date=earlier.meeting_date,
        minutes_made=latest is not None,
        minutes_signed=latest is not None and latest.signed_at is not None,
    )


def matters_arising(
    session: Session, meeting: Meeting, naming: NamingMode
) -> tuple[MatterArising, ...]:
    """The actions agreed at the panel's earlier meetings that are not done, oldest due first
    (those with no due date last). Typed text is masked for ``naming`` as the meeting that
    agreed the action names its children (R18)."""
    found = session.execute(
        select(ActionRow, Meeting)
        .join(Meeting, Meeting.id == ActionRow.meeting_id)
        .where(
            Meeting.panel_id == meeting.panel_id,
            Meeting.id != meeting.id,
            Meeting.meeting_date <= meeting.meeting_date,
        )
        .order_by(ActionRow.due_date.is_(None), ActionRow.due_date, ActionRow.id)
    ).all()
    rows = [(a, m) for a, m in found if not is_done(session, a)]
    maskers = {}
    # an action agreed outside any item looks up None and gets no position
    positions: dict[int | None, int] = dict(
        session.execute(
            select(AgendaItem.id, AgendaItem.position).where(
                AgendaItem.id.in_([a.agenda_item_id for a, _ in rows if a.agenda_item_id])
            )
        ).all()
    )
    matters = []
    for action, agreed_at in rows:
        if agreed_at.id not in maskers:
            maskers[agreed_at.id] = free_text_masker(agreed_at, naming)
        mask = maskers[agreed_at.id]
        matters.append(
            MatterArising(
                description=mask(action.description),
                owner=mask(action.owner),
                due=action.due_date,
                agreed_on=agreed_at.meeting_date,
                item_position=positions.get(action.agenda_item_id),
                overdue=action_overdue(action.due_date, done=False, on=meeting.meeting_date),
            )
        )
    return tuple(matters)


def previous_meeting_actions(
    session: Session, meeting: Meeting, naming: NamingMode
) -> tuple[EarlierAction, ...]:
    """The actions agreed at the panel's previous meeting, each with whether it is done, for
    the minutes (what became of the matters arising)."""
    earlier = _meeting_before(session, meeting)
    if earlier is None:
        return ()
    mask = free_text_masker(earlier, naming)
    rows = session.scalars(
        select(ActionRow).where(ActionRow.meeting_id == earlier.id).order_by(ActionRow.id)
    )
    return tuple(
        EarlierAction(
            description=mask(a.description),
            owner=mask(a.owner),
            due=a.due_date,
            agreed_on=earlier.meeting_date,
            done=is_done(session, a),
        )
        for a in rows
    )
