"""Reasons typed when reopening a meeting, reopening an item or withdrawing an item may name a
child: the permanent audit trail keeps only their length and where the text is kept (a
separate table that retention can clear), never the text."""

from __future__ import annotations

import json

from sqlalchemy import select

from panelapp.services import decisions, meetings
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, AuditEvent

REASONS = {
    "meeting.reopened": "Noah Patel's mother phoned with news",
    "item.reopened": "Oliver Grant's outcome was recorded in error",
    "agenda_item.withdrawn": "Ruby Khan's family has moved away",
}


def test_typed_reasons_are_not_kept_in_the_audit_trail(store, demo):
    with store.read() as session:
        ruby = session.scalar(
            select(AgendaItem.id).where(
                AgendaItem.meeting_id == demo.next_meeting_id, AgendaItem.position == 2
            )
        )
    with UnitOfWork(store, "Joanne Pike") as uow:
        meetings.reopen_meeting(uow, demo.meeting_id, reason=REASONS["meeting.reopened"])
    with UnitOfWork(store, "Helen Whitaker") as uow:
        decisions.reopen_item(uow, demo.item_ids[0], reason=REASONS["item.reopened"])
    with UnitOfWork(store, "Joanne Pike") as uow:
        meetings.withdraw_item(uow, ruby, reason=REASONS["agenda_item.withdrawn"])
    with store.read() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    for event in events:
        for reason in REASONS.values():
            assert reason not in event.detail, event.action
        for name in ("Noah", "Patel", "Oliver", "Grant", "Ruby", "Khan"):
            assert name not in event.detail, event.action
    for action, reason in REASONS.items():
        (event,) = [e for e in events if e.action == action]
        assert json.loads(event.detail)["characters"] == len(reason)


def test_each_typed_reason_is_kept_in_the_store_and_the_audit_points_at_it(store, demo):
    from panelapp.services.reasons import reasons_for

    with UnitOfWork(store, "Joanne Pike") as uow:
        meetings.reopen_meeting(uow, demo.meeting_id, reason=REASONS["meeting.reopened"])
    with store.read() as session:
        (kept,) = reasons_for(session, "meeting", demo.meeting_id)
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "meeting.reopened")
        ).one()
    assert kept.text == REASONS["meeting.reopened"] and kept.recorded_by == "Joanne Pike"
    assert json.loads(event.detail)["reason_id"] == kept.id
