"""An agenda item that is not there (deleted in another window, a stale number) is named as
not found, which the window and the commands show as a plain message, never as a crash."""

from __future__ import annotations

import pytest

from panelapp.domain.vocabulary import NamingMode
from panelapp.services.case_history import history_for
from panelapp.services.item_detail import item_detail
from panelapp.services.unit_of_work import NotFound


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
