"""Chief officers' approval of the panel's decisions: once the minutes are signed each decision
is "awaiting approval" until an approval or a return is recorded (who, role, date, comment).
A returned decision's case goes back on the panel's next agenda with the comment.

Comments are typed text and go to ``reasons``; the audit trail carries ids and dates only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date
from panelapp.domain.uk_time import uk_day
from panelapp.domain.vocabulary import MeetingStatus
from panelapp.services.clock import utc_now
from panelapp.services.meetings import relist_returned_decisions
from panelapp.services.row_lookup import decision_at, get_row
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, ApprovalRow, DecisionRow, Meeting, ReasonRow

AWAITING = "awaiting approval"
NOT_YET = "minutes not yet signed"
APPROVED, RETURNED = "approved", "returned"
DEFAULT_ROLE = "Chief officer"


@dataclass(frozen=True)
class ApprovalListing:
    meeting_id: int
    meeting_date: date
    item_position: int
    decision_id: int
    status: str
    officer: str = ""
    role: str = ""
    on_date: date | None = None
    comment: str = ""
    #: the date of the meeting a returned decision's case is back on, once it is listed
    relisted_to: date | None = None
    reference: str = ""  # the council's reference for the case
    outcome: str = ""  # the decision, in words
    child: str = ""  # the child's full name, for screens inside the application

    @property
    def words(self) -> str:
        """Where the approval stands, for a person: 'Returned by Dana Fox (Director) on 3
        December 2026: reconsider the band'."""
        return self.worded()

    def worded(self, mask: Callable[[str], str] = str) -> str:
        """``words`` with the typed comment passed through ``mask`` (naming mode, R18)."""
        if self.on_date is None:
            return self.status.capitalize()
        text = f"{self.status.capitalize()} by {self.officer} ({self.role}) on "
        text += format_date(self.on_date)
        if self.comment:
            text += f": {mask(self.comment)}"
        if self.status == RETURNED:
            text += (
                f". Back on the agenda of {format_date(self.relisted_to)}"
                if self.relisted_to
                else ". Waiting for the panel's next meeting to be scheduled"
            )
        return text


def record_approval(
    uow: UnitOfWork,
    meeting_id: int,
    *,
    item: int,
    officer: str,
    role: str = DEFAULT_ROLE,
    approved: bool,
    comment: str = "",
    on: date | None = None,
) -> int:
    """A chief officer's approval or return of the decision on item ``item`` (its position on
    the agenda). A return puts the case on the panel's next scheduled meeting."""
    meeting = uow.get(Meeting, meeting_id, "meeting")
    if meeting.status != MeetingStatus.SIGNED:
        raise PanelappError(
            "The minutes of this meeting are not signed yet, so its decisions cannot go to a "
            "chief officer. Have the chair sign the minutes first, then record the approval."
        )
    if not officer.strip() or not (role or "").strip():
        raise PanelappError("Say who approved or returned the decision and their role.")
    today = uk_day(utc_now())
    on = on or today
    if on > today:
        raise PanelappError("An approval cannot be dated in the future. Give today or earlier.")
    if on < meeting.meeting_date:
        raise PanelappError("An approval cannot be dated before the meeting.")
    decision = decision_at(uow.session, meeting_id, item, for_what="to approve")
    earlier = approval_status(uow.session, decision.id)
    if earlier is not None:
        raise PanelappError(
            f"This decision was already {earlier.result} by {earlier.officer} on "
            f"{format_date(earlier.on_date)}. A returned decision comes back to the panel, "
            "whose new decision then goes for approval."
        )
    row = ApprovalRow(
        decision_id=decision.id,
        result=APPROVED if approved else RETURNED,
        officer=officer.strip(),
        role=role.strip(),
        on_date=on,
        recorded_at=utc_now(),
        recorded_by=uow.actor,
    )
    uow.session.add(row)
    uow.session.flush()
    reason_id = None
    if comment.strip():
        reason = ReasonRow(
            entity="approval",
            entity_id=row.id,
            action=f"approval.{row.result}",
            text=comment.strip(),
            recorded_at=utc_now(),
            recorded_by=uow.actor,
        )
        uow.session.add(reason)
        uow.session.flush()
        reason_id = reason.id
    uow.audit(
        f"approval.{row.result}",
        "decision",
        decision.id,
        approval_id=row.id,
        meeting_id=meeting_id,
        on=on,
        reason_id=reason_id,
    )
    if not approved:
        relist_returned_decisions(uow, meeting.panel_id)
    return row.id


def approval_status(session: Session, decision_id: int) -> ApprovalRow | None:
    return session.scalars(
        select(ApprovalRow)
        .where(ApprovalRow.decision_id == decision_id)
        .order_by(ApprovalRow.id.desc())
        .limit(1)
    ).first()


def _comment(session: Session, approval_id: int) -> str:
    text = session.scalar(
        select(ReasonRow.text).where(
            ReasonRow.entity == "approval", ReasonRow.entity_id == approval_id
        )
    )
    return text or ""


class _About(TypedDict):
    """What a listing says about the case, the same whatever the approval's state."""

    reference: str
    outcome: str
    child: str


def _listing(
    session: Session, decision: DecisionRow, item: AgendaItem, meeting: Meeting
) -> ApprovalListing:
    base = (meeting.id, meeting.meeting_date, item.position, decision.id)
    case = item.case
    about: _About = {
        "reference": case.reference,
        "outcome": decision.outcome.label,
        "child": f"{case.first_name} {case.last_name}".strip(),
    }
    if meeting.status != MeetingStatus.SIGNED:
        return ApprovalListing(*base, NOT_YET, **about)
    latest = approval_status(session, decision.id)
    if latest is None:
        return ApprovalListing(*base, AWAITING, **about)
    relisted = session.get(AgendaItem, latest.relisted_item_id) if latest.relisted_item_id else None
    return ApprovalListing(
        *base,
        latest.result,
        latest.officer,
        latest.role,
        latest.on_date,
        _comment(session, latest.id),
        relisted.meeting.meeting_date if relisted else None,
        **about,
    )


def approval_for_item(session: Session, item_id: int) -> ApprovalListing | None:
    """Where the approval of this item's decision stands; None when it has no decision."""
    decision = session.scalar(select(DecisionRow).where(DecisionRow.agenda_item_id == item_id))
    if decision is None:
        return None
    item = get_row(session, AgendaItem, item_id, "agenda item")
    return _listing(session, decision, item, item.meeting)


def returned_into(session: Session, item_id: int) -> ApprovalListing | None:
    """The return that put this item on its agenda, if a chief officer's return did."""
    row = session.scalar(select(ApprovalRow).where(ApprovalRow.relisted_item_id == item_id))
    if row is None:
        return None
    decision = get_row(session, DecisionRow, row.decision_id, "decision")
    item = get_row(session, AgendaItem, decision.agenda_item_id, "agenda item")
    return _listing(session, decision, item, item.meeting)


def list_approvals(
    session: Session, *, pending_only: bool = False, meeting_id: int | None = None
) -> list[ApprovalListing]:
    """Every decision of a signed meeting and where its approval stands, oldest meeting
    first; ``pending_only`` keeps those still awaiting approval."""
    stmt = (
        select(DecisionRow, AgendaItem, Meeting)
        .join(AgendaItem, AgendaItem.id == DecisionRow.agenda_item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Meeting.status == MeetingStatus.SIGNED)
        .order_by(Meeting.meeting_date, Meeting.id, AgendaItem.position)
    )
    if meeting_id is not None:
        stmt = stmt.where(Meeting.id == meeting_id)
    listed = [_listing(session, d, i, m) for d, i, m in session.execute(stmt).all()]
    if pending_only:
        listed = [a for a in listed if a.status == AWAITING]
    return listed
