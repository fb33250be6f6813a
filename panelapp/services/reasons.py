"""Reasons people type when they reopen or withdraw something: kept in the store, referred
to (not copied) by the audit trail, so the text can be deleted under retention rules."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.services.clock import utc_now
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import ReasonRow


def record_reason(uow: UnitOfWork, *, entity: str, entity_id: int, action: str, text: str) -> None:
    """Keep the reason and add the audit event that points at it."""
    row = ReasonRow(
        entity=entity,
        entity_id=entity_id,
        action=action,
        text=text.strip(),
        recorded_at=utc_now(),
        recorded_by=uow.actor,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(action, entity, entity_id, reason_id=row.id, characters=len(row.text))


def reasons_for(session: Session, entity: str, entity_id: int) -> list[ReasonRow]:
    return list(
        session.scalars(
            select(ReasonRow)
            .where(ReasonRow.entity == entity, ReasonRow.entity_id == entity_id)
            .order_by(ReasonRow.id)
        )
    )
