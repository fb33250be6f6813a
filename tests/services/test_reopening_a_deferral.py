"""Reopening a deferred item takes its case off the later agenda it was carried to, and closes up
that agenda's numbering; while the later item has papers, declarations or actions of its own,
reopening is refused with what to do instead."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from panelapp.domain.errors import PanelappError
from panelapp.domain.quorum import QuorumRule
from panelapp.domain.vocabulary import (
    ItemStatus,
    Role,
)
from panelapp.services import decisions, drafts, meetings
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, DeferralRow, FormDraft, Paper
from tests.helpers.meetings import MORNING, all_present, new_case, panel_with_members

DAY = date(2026, 3, 12)


def _case(uow, reference: str) -> int:
    return new_case(uow, reference, received=DAY - timedelta(days=5))


@pytest.fixture
def deferred(store):
    """A case deferred at today's meeting and carried to the next one, where it is item 1 of
    3: (deferred item id, later meeting id, later item id)."""
    with UnitOfWork(store, "ops officer") as uow:
        panel_id, members = panel_with_members(
            uow,
            {
                "chair": ("Chair Person", [Role.CHAIR]),
                "ep": ("EP Person", [Role.EDUCATIONAL_PSYCHOLOGIST]),
            },
            quorum=QuorumRule(
                minimum_members=2,
                required_roles=(
                    frozenset({Role.CHAIR}),
                    frozenset({Role.EDUCATIONAL_PSYCHOLOGIST}),
                ),
            ),
        )
        meeting_id = meetings.schedule_meeting(uow, panel_id, on=DAY, start=MORNING)
        later_meeting = meetings.schedule_meeting(
            uow, panel_id, on=DAY + timedelta(days=14), start=MORNING
        )
        item = meetings.put_on_agenda(uow, meeting_id, _case(uow, "NB-1"))
        all_present(uow, meeting_id, members.values())
    with UnitOfWork(store, "minute taker") as uow:
        decisions.defer_item(
            uow,
            item,
            reason="Needs the therapy report.",
            information_required="SALT report",
            provider="NHS SALT service",
            return_date=DAY + timedelta(days=10),
        )
    with UnitOfWork(store, "ops officer") as uow:
        for reference in ("NB-2", "NB-3"):
            meetings.put_on_agenda(uow, later_meeting, _case(uow, reference))
        later = uow.session.scalar(select(DeferralRow.relisted_item_id))
    return item, later_meeting, later


def _positions(store, meeting_id):
    with store.read() as session:
        return [
            (i.id, i.position)
            for i in session.scalars(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == meeting_id)
                .order_by(AgendaItem.position)
            )
        ]


def test_reopening_a_deferral_removes_the_unheard_later_item_and_closes_up_its_agenda(
    store, deferred
):
    item, later_meeting, later = deferred
    before = _positions(store, later_meeting)
    assert before[0] == (later, 1) and [p for _, p in before] == [1, 2, 3]
    with UnitOfWork(store, "minute taker") as uow:  # a half-typed decision form on the item
        drafts.save_draft(uow, later, drafts.DECISION_FORM, {"rationale": "So far"})
    with UnitOfWork(store, "chair") as uow:
        decisions.reopen_item(uow, item, reason="Deferred in error")
    assert _positions(store, later_meeting) == [(i, n) for n, (i, _) in enumerate(before[1:], 1)]
    with store.read() as session:
        assert session.get(AgendaItem, later) is None
        assert session.get(AgendaItem, item).status == ItemStatus.TO_DO
        assert session.scalar(select(func.count()).select_from(DeferralRow)) == 0
        assert session.scalar(select(func.count()).select_from(FormDraft)) == 0


def test_reopening_is_refused_while_the_later_item_has_papers_and_withdrawing_it_first_works(
    store, demo
):
    """The demo's deferred case is item 1 of the next meeting, with papers already sent."""
    deferred_item = demo.item_ids[2]
    with store.read() as session:
        later = session.scalar(
            select(DeferralRow.relisted_item_id).where(DeferralRow.agenda_item_id == deferred_item)
        )
        assert session.scalar(select(func.count()).where(Paper.agenda_item_id == later))
    with UnitOfWork(store, "Joanne Pike") as uow:
        meetings.reopen_meeting(uow, demo.meeting_id, reason="Deferral recorded in error")
    with UnitOfWork(store, "Helen Whitaker") as uow, pytest.raises(PanelappError) as refused:
        decisions.reopen_item(uow, deferred_item, reason="Deferred in error")
    message = str(refused.value)
    assert "already on the agenda" in message and "item 1" in message and "papers" in message
    assert "Withdraw item 1" in message
    with store.read() as session:  # nothing changed
        assert session.get(AgendaItem, deferred_item).status == ItemStatus.DEFERRED
        assert session.get(AgendaItem, later).status == ItemStatus.TO_DO
    # As the message says: withdraw the later item, then reopen. The later item stays on its
    # agenda, withdrawn, with its papers.
    with UnitOfWork(store, "Joanne Pike") as uow:
        meetings.withdraw_item(uow, later, reason="The deferral is being reopened")
    with UnitOfWork(store, "Helen Whitaker") as uow:
        decisions.reopen_item(uow, deferred_item, reason="Deferred in error")
    with store.read() as session:
        assert session.get(AgendaItem, deferred_item).status == ItemStatus.TO_DO
        assert session.get(AgendaItem, later).status == ItemStatus.WITHDRAWN
        assert (
            session.scalar(select(func.count()).where(DeferralRow.agenda_item_id == deferred_item))
            == 0
        )
