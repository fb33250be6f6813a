"""Form drafts: the decision form as typed, kept until the decision is recorded."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete
from sqlalchemy.orm import Session

from panelapp.services.clock import utc_now
from panelapp.services.meetings import ensure_editable
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, FormDraft

DECISION_FORM = "decision"


def _jsonable(values: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def save_draft(uow: UnitOfWork, item_id: int, form: str, values: dict) -> None:
    item = uow.get(AgendaItem, item_id, "agenda item")
    ensure_editable(item.meeting)
    payload = _jsonable(values)
    row = uow.session.get(FormDraft, (item_id, form))
    if row is None:
        row = FormDraft(agenda_item_id=item_id, form=form, payload=payload)
        uow.session.add(row)
    elif row.payload == payload:
        return
    row.payload = payload
    row.updated_at = utc_now()
    uow.audit("draft.saved", "agenda_item", item_id, form=form)


def load_draft(session: Session, item_id: int, form: str) -> dict | None:
    row = session.get(FormDraft, (item_id, form))
    return dict(row.payload) if row else None


def discard_drafts(uow: UnitOfWork, item_id: int) -> None:
    uow.session.execute(delete(FormDraft).where(FormDraft.agenda_item_id == item_id))
