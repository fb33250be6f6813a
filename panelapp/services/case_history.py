"""What the panel has already done for a child: earlier hearings, decisions and deferrals,
found by the council reference so that a new request shows the child's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.domain.formatting import format_date
from panelapp.domain.vocabulary import ItemStatus, RequestType
from panelapp.services.decision_followup import item_followup
from panelapp.services.row_lookup import recorded_decision, recorded_deferral
from panelapp.services.unit_of_work import NotFound
from panelapp.store.tables import AgendaItem, Case, Meeting


@dataclass(frozen=True)
class HistoryEntry:
    item_id: int
    meeting_date: date
    request_type: RequestType
    status: ItemStatus
    summary: str
    #: after that meeting: the chief officer's approval, mediation and appeal
    followup: tuple[str, ...] = ()


def history_for(session: Session, item_id: int) -> list[HistoryEntry]:
    """Every other agenda item about the same child, oldest first."""
    item = session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound(f"There is no agenda item with id {item_id}.")
    rows = session.execute(
        select(AgendaItem, Meeting.meeting_date, Case.request_type)
        .join(Case, AgendaItem.case_id == Case.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(Case.reference == item.case.reference, AgendaItem.id != item_id)
        .order_by(Meeting.meeting_date, AgendaItem.id)
    ).all()
    entries = []
    for other, meeting_date, request_type in rows:
        status = other.status
        summary = status.label
        if status is ItemStatus.DECIDED:
            decision = recorded_decision(session, other.id)
            summary = f"Decided: {decision.outcome.label}. {decision.rationale}"
        elif status is ItemStatus.DEFERRED:
            deferral = recorded_deferral(session, other.id)
            summary = (
                f"Deferred to {format_date(deferral.return_date)}: {deferral.reason} "
                f"Needed: {deferral.information_required} (from {deferral.provider})."
            )
        entries.append(
            HistoryEntry(
                other.id,
                meeting_date,
                RequestType(request_type),
                status,
                summary,
                item_followup(session, other.id, lambda text: text or ""),
            )
        )
    return entries
