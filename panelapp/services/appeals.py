"""Mediation and appeals after a decision, recorded step by step per decision so that the
case history shows them and the panel data can count appeal rates. The audit trail carries
ids, steps and dates; nothing typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.domain.appeals import (
    AppealOutcome,
    AppealStep,
    StepTaken,
    check_step,
    mediation_certificate_date,
)
from panelapp.domain.deadlines import appeal_deadline
from panelapp.domain.uk_time import uk_day
from panelapp.services.clock import utc_now
from panelapp.services.row_lookup import decision_at, get_row
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, AppealStepRow, DecisionRow, FamilyLetterRow, Meeting


@dataclass(frozen=True)
class AppealRecord:
    """A decision's mediation and appeal so far."""

    meeting_id: int
    meeting_date: date
    item_position: int
    decision_id: int
    steps: tuple[StepTaken, ...]
    #: the last day to appeal (R16), once the letter to the family has been sent
    appeal_by: date | None


def _steps(session: Session, decision_id: int) -> tuple[StepTaken, ...]:
    rows = session.scalars(
        select(AppealStepRow)
        .where(AppealStepRow.decision_id == decision_id)
        .order_by(AppealStepRow.on_date, AppealStepRow.id)
    )
    return tuple(StepTaken(r.step, r.on_date, r.outcome) for r in rows)


def record_appeal_step(
    uow: UnitOfWork,
    meeting_id: int,
    *,
    item: int,
    step: AppealStep | str,
    on: date,
    outcome: AppealOutcome | str | None = None,
) -> int:
    """One step a family took after the decision on item ``item`` (its agenda position)."""
    meeting = uow.get(Meeting, meeting_id, "meeting")
    decision = decision_at(uow.session, meeting_id, item, for_what="to mediate or appeal")
    taken = check_step(
        _steps(uow.session, decision.id),
        AppealStep(step),
        on,
        AppealOutcome(outcome) if outcome else None,
        decided_on=meeting.meeting_date,
        today=uk_day(utc_now()),
    )
    row = AppealStepRow(
        decision_id=decision.id,
        step=taken.step,
        outcome=taken.outcome,
        on_date=taken.on,
        recorded_at=utc_now(),
        recorded_by=uow.actor,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(
        "appeal.step",
        "decision",
        decision.id,
        step=taken.step.value,
        outcome=row.outcome,
        on=taken.on,
        meeting_id=meeting_id,
    )
    return row.id


def appeal_for_decision(session: Session, decision_id: int) -> AppealRecord:
    decision = get_row(session, DecisionRow, decision_id, "decision")
    item = get_row(session, AgendaItem, decision.agenda_item_id, "agenda item")
    steps = _steps(session, decision_id)
    sent = session.scalar(
        select(FamilyLetterRow.sent_on).where(FamilyLetterRow.agenda_item_id == item.id)
    )
    appeal_by = appeal_deadline(sent, mediation_certificate_date(steps)) if sent else None
    meeting = item.meeting
    return AppealRecord(
        meeting.id, meeting.meeting_date, item.position, decision_id, steps, appeal_by
    )


def list_appeals(session: Session) -> list[AppealRecord]:
    """Every decision with a mediation or appeal step recorded, oldest meeting first."""
    rows = session.execute(
        select(AppealStepRow.decision_id, Meeting.meeting_date, AgendaItem.position)
        .join(DecisionRow, DecisionRow.id == AppealStepRow.decision_id)
        .join(AgendaItem, AgendaItem.id == DecisionRow.agenda_item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .distinct()
        .order_by(Meeting.meeting_date, AgendaItem.position)
    )
    return [appeal_for_decision(session, row[0]) for row in rows]
