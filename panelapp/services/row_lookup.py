"""Loading one row (by its id, or an item's decision or deferral) with a plain message when it
is not there, never ``None``."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.domain.errors import NextStep, PanelappError, Step
from panelapp.services.unit_of_work import NotFound
from panelapp.store.tables import AgendaItem, DecisionRow, DeferralRow

T = TypeVar("T")


def get_row(session: Session, table: type[T], ident: int, what: str) -> T:
    """The row of ``table`` with id ``ident``, or a NotFound naming ``what`` was looked for."""
    row = session.get(table, ident)
    if row is None:
        raise NotFound(f"There is no {what} with id {ident}. Check the number and try again.")
    return row


def _missing_record(what: str, item_id: int) -> NotFound:
    return NotFound(
        f"Agenda item {item_id} is marked {what} but the store holds no record of it.",
        next_steps=(NextStep(Step.CHECK_STORE),),
    )


def recorded_decision(session: Session, item_id: int) -> DecisionRow:
    """The decision recorded for a decided item."""
    row = session.scalar(select(DecisionRow).where(DecisionRow.agenda_item_id == item_id))
    if row is None:
        raise _missing_record("decided", item_id)
    return row


def recorded_deferral(session: Session, item_id: int) -> DeferralRow:
    """The deferral recorded for a deferred item."""
    row = session.scalar(select(DeferralRow).where(DeferralRow.agenda_item_id == item_id))
    if row is None:
        raise _missing_record("deferred", item_id)
    return row


def decision_at(session: Session, meeting_id: int, position: int, *, for_what: str) -> DecisionRow:
    """The decision on item ``position`` of a meeting, or a message saying there is none
    ``for_what`` needs one ("to approve", "to mediate or appeal")."""
    decision = session.scalar(
        select(DecisionRow)
        .join(AgendaItem, AgendaItem.id == DecisionRow.agenda_item_id)
        .where(AgendaItem.meeting_id == meeting_id, AgendaItem.position == position)
    )
    if decision is None:
        raise PanelappError(
            f"Item {position} of meeting {meeting_id} has no decision {for_what} (it was "
            "deferred, withdrawn or not heard). Check the item number."
        )
    return decision
