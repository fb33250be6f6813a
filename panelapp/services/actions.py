"""Actions agreed at a meeting and their follow-up: add, edit, complete (with a note and the
date), reopen, and the open ones carried to the panel's next meeting as matters arising.

An action row is part of the record the signed minutes rest on, so once the minutes are signed
its wording, owner and due date are fixed; completing and reopening are kept in
``action_progress`` and never change it. Completion notes are typed text and go to ``reasons``;
the audit trail carries only ids, dates and counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.domain.actions import action_overdue
from panelapp.domain.errors import NextStep, PanelappError, Step
from panelapp.domain.uk_time import uk_day
from panelapp.domain.vocabulary import MeetingStatus
from panelapp.services.clock import utc_now
from panelapp.services.decisions import add_action
from panelapp.services.meetings import ensure_editable
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import ActionProgress, ActionRow, AgendaItem, Meeting, ReasonRow

__all__ = [
    "ActionListing",
    "add_action",
    "complete_action",
    "edit_action",
    "is_done",
    "list_actions",
    "matters_arising",
    "reopen_action",
]

_DONE, _OPEN = "done", "open"


@dataclass(frozen=True)
class ActionListing:
    id: int
    meeting_id: int
    meeting_date: date
    item_position: int | None
    description: str
    owner: str
    due_date: date | None
    done: bool
    done_on: date | None
    note: str
    overdue: bool

    @property
    def status(self) -> str:
        """What a person reads: "done", "open" or "overdue"."""
        if self.done:
            return "done"
        return "overdue" if self.overdue else "open"


def _today() -> date:
    return uk_day(utc_now())


def _latest(session: Session, action_id: int) -> ActionProgress | None:
    return session.scalars(
        select(ActionProgress)
        .where(ActionProgress.action_id == action_id)
        .order_by(ActionProgress.id.desc())
        .limit(1)
    ).first()


def is_done(session: Session, action: ActionRow) -> bool:
    """Whether an action is done now: its latest completion or reopening, else as agreed."""
    latest = _latest(session, action.id)
    return action.done if latest is None else latest.state == _DONE


def edit_action(
    uow: UnitOfWork,
    action_id: int,
    *,
    description: str | None = None,
    owner: str | None = None,
    due_date: date | None = None,
) -> None:
    """Change what an action says, who owns it or when it is due (before the minutes are
    signed: after that the signed minutes record it as agreed)."""
    action = uow.get(ActionRow, action_id, "action")
    meeting = uow.get(Meeting, action.meeting_id, "meeting")
    if meeting.status == MeetingStatus.SIGNED:
        raise PanelappError(
            "This action is in the meeting's signed minutes as agreed, so it cannot be changed "
            "now. Complete it with a note, or add a new action at the next meeting."
        )
    if meeting.status != MeetingStatus.CLOSED:
        ensure_editable(meeting)
    changed = []
    if description is not None:
        if not description.strip():
            raise PanelappError("An action needs a description. Type what is to be done.")
        if description.strip() != action.description:
            action.description = description.strip()
            changed.append("description")
    if owner is not None:
        if not owner.strip():
            raise PanelappError("An action needs an owner: a member or a named officer.")
        if owner.strip() != action.owner:
            action.owner = owner.strip()
            changed.append("owner")
    if due_date is not None and due_date != action.due_date:
        action.due_date = due_date
        changed.append("due date")
    if not changed:
        raise PanelappError("Nothing to change: give a new description, owner or due date.")
    uow.audit("action.edited", "action", action.id, fields=changed, due=action.due_date)


def complete_action(
    uow: UnitOfWork, action_id: int, *, note: str = "", on: date | None = None
) -> None:
    """Mark an action done on ``on`` (today by default), with an optional note."""
    action = uow.get(ActionRow, action_id, "action")
    if is_done(uow.session, action):
        raise PanelappError(
            f"Action {action_id} is already done. Reopen it first if it needs more work."
        )
    on = on or _today()
    if on > _today():
        raise PanelappError(
            "An action cannot be completed on a future date. Give today or earlier."
        )
    progress = ActionProgress(
        action_id=action.id,
        state=_DONE,
        on_date=on,
        recorded_at=utc_now(),
        recorded_by=uow.actor,
    )
    uow.session.add(progress)
    reason_id = None
    if note.strip():
        reason = ReasonRow(
            entity="action",
            entity_id=action.id,
            action="action.completed",
            text=note.strip(),
            recorded_at=utc_now(),
            recorded_by=uow.actor,
        )
        uow.session.add(reason)
        uow.session.flush()
        reason_id = reason.id
    uow.session.flush()
    uow.audit(
        "action.completed",
        "action",
        action.id,
        progress_id=progress.id,
        on=on,
        reason_id=reason_id,
        characters=len(note.strip()),
    )


def reopen_action(uow: UnitOfWork, action_id: int) -> None:
    """Put a completed action back on the open list."""
    action = uow.get(ActionRow, action_id, "action")
    if not is_done(uow.session, action):
        raise PanelappError(f"Action {action_id} is still open, so there is nothing to reopen.")
    progress = ActionProgress(
        action_id=action.id,
        state=_OPEN,
        on_date=_today(),
        recorded_at=utc_now(),
        recorded_by=uow.actor,
    )
    uow.session.add(progress)
    uow.session.flush()
    uow.audit("action.reopened", "action", action.id, progress_id=progress.id)


def _listing(session: Session, action: ActionRow, meeting: Meeting, today: date) -> ActionListing:
    latest = _latest(session, action.id)
    done = action.done if latest is None else latest.state == _DONE
    note = ""
    if done and latest is not None:
        reason = session.scalars(
            select(ReasonRow)
            .where(
                ReasonRow.entity == "action",
                ReasonRow.entity_id == action.id,
                ReasonRow.action == "action.completed",
            )
            .order_by(ReasonRow.id.desc())
            .limit(1)
        ).first()
        note = reason.text if reason is not None else ""
    position = None
    if action.agenda_item_id is not None:
        item = session.get(AgendaItem, action.agenda_item_id)
        position = item.position if item is not None else None
    return ActionListing(
        id=action.id,
        meeting_id=meeting.id,
        meeting_date=meeting.meeting_date,
        item_position=position,
        description=action.description,
        owner=action.owner,
        due_date=action.due_date,
        done=done,
        done_on=latest.on_date if done and latest is not None else None,
        note=note,
        overdue=action_overdue(action.due_date, done=done, on=today),
    )


def list_actions(
    session: Session,
    *,
    meeting_id: int | None = None,
    open_only: bool = False,
    overdue_only: bool = False,
    today: date | None = None,
) -> list[ActionListing]:
    """Actions, oldest meeting first; ``open_only``/``overdue_only`` filter them."""
    today = today or _today()
    query = select(ActionRow, Meeting).join(Meeting, Meeting.id == ActionRow.meeting_id)
    if meeting_id is not None:
        if session.get(Meeting, meeting_id) is None:
            raise PanelappError(
                f"There is no meeting {meeting_id}.", next_steps=(NextStep(Step.LIST_MEETINGS),)
            )
        query = query.where(ActionRow.meeting_id == meeting_id)
    rows = session.execute(query.order_by(Meeting.meeting_date, ActionRow.id)).all()
    listed = [_listing(session, action, meeting, today) for action, meeting in rows]
    if open_only or overdue_only:
        listed = [a for a in listed if not a.done]
    if overdue_only:
        listed = [a for a in listed if a.overdue]
    return listed


def matters_arising(
    session: Session, meeting_id: int, *, today: date | None = None
) -> list[ActionListing]:
    """The open actions of the same panel's earlier meetings, for this meeting."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        return []
    today = today or _today()
    rows = session.execute(
        select(ActionRow, Meeting)
        .join(Meeting, Meeting.id == ActionRow.meeting_id)
        .where(Meeting.panel_id == meeting.panel_id, Meeting.meeting_date < meeting.meeting_date)
        .order_by(Meeting.meeting_date, ActionRow.id)
    ).all()
    listed = [_listing(session, action, earlier, today) for action, earlier in rows]
    return [a for a in listed if not a.done]


def previous_meeting_actions(
    session: Session, meeting_id: int, *, today: date | None = None
) -> list[ActionListing]:
    """Every action of the panel's meeting just before this one, with its status now."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        return []
    earlier = session.scalars(
        select(Meeting)
        .where(Meeting.panel_id == meeting.panel_id, Meeting.meeting_date < meeting.meeting_date)
        .order_by(Meeting.meeting_date.desc(), Meeting.id.desc())
        .limit(1)
    ).first()
    if earlier is None:
        return []
    return list_actions(session, meeting_id=earlier.id, today=today)
