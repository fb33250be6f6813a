"""An agenda item that is not there (deleted in another window, a stale number) is named as
not found, which the window and the commands show as a plain message, never as a crash."""

from __future__ import annotations

import pytest

from panelapp.domain.vocabulary import ItemStatus, NamingMode
from panelapp.services.appeals import appeal_for_decision
from panelapp.services.case_history import history_for
from panelapp.services.item_detail import item_detail
from panelapp.services.roster import roster
from panelapp.services.situation import item_situation
from panelapp.services.unit_of_work import NotFound, UnitOfWork
from panelapp.store.tables import AgendaItem


def test_the_detail_of_a_missing_item_says_it_is_not_there(store, demo):
    missing = max(demo.item_ids) + 1000
    with store.read() as session, pytest.raises(NotFound) as caught:
        item_detail(session, missing, NamingMode.INITIALS)
    assert str(caught.value) == f"There is no agenda item with id {missing}."


def test_the_history_of_a_missing_item_says_it_is_not_there(store, demo):
    missing = max(demo.item_ids) + 1000
    with store.read() as session, pytest.raises(NotFound) as caught:
        history_for(session, missing)
    assert str(caught.value) == f"There is no agenda item with id {missing}."


def test_the_situation_of_a_missing_item_says_it_is_not_there(store, demo):
    missing = max(demo.item_ids) + 1000
    with store.read() as session, pytest.raises(NotFound) as caught:
        item_situation(session, missing)
    assert str(caught.value) == (
        f"There is no agenda item with id {missing}. Check the number and try again."
    )


def test_the_roster_of_a_missing_meeting_says_it_is_not_there(store, demo):
    missing = demo.next_meeting_id + 1000
    with store.read() as session, pytest.raises(NotFound) as caught:
        roster(session, missing)
    assert str(caught.value).startswith(f"There is no meeting with id {missing}.")


def test_the_appeal_of_a_missing_decision_says_it_is_not_there(store, demo):
    with store.read() as session, pytest.raises(NotFound) as caught:
        appeal_for_decision(session, 999_999)
    assert str(caught.value) == (
        "There is no decision with id 999999. Check the number and try again."
    )


def test_an_item_marked_deferred_without_its_deferral_is_reported_not_crashed(store, demo):
    """A damaged store (the item says deferred, the deferral row is gone) gets a message that
    says what to run."""
    item_id = demo.item_ids[0]
    with UnitOfWork(store, "Joanne Pike") as uow:
        uow.get(AgendaItem, item_id, "agenda item").status = ItemStatus.DEFERRED.value
    with store.read() as session, pytest.raises(NotFound) as caught:
        item_detail(session, item_id, NamingMode.INITIALS)
    assert str(caught.value).startswith(f"Agenda item {item_id} is marked deferred but")
    assert "Run 'panelapp check'" in str(caught.value)
