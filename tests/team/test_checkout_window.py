"""The desktop window's meeting list says which meeting is checked out, to whom and where."""

from __future__ import annotations

import pytest

from panelapp.services import team_checkout
from panelapp.store.lifecycle import create_team_store
from panelapp.ui.context import AppContext
from panelapp.ui.meetings_pane import MeetingsPane
from tests.helpers import team_meeting


@pytest.fixture
def team(team_url):
    store = create_team_store(team_url)
    yield store
    store.close()


def _entries(pane: MeetingsPane) -> list[str]:
    return [pane.list.item(row).text() for row in range(pane.list.count())]


def test_the_meeting_list_shows_the_meeting_checked_out_to_whom_and_where(qtbot, team, store):
    prepared = team_meeting.prepare(team, cases=1)
    pane = MeetingsPane(AppContext(store, "Helen Whitaker"))
    qtbot.addWidget(pane)
    team_checkout.checkout(
        team, store, prepared.meeting_id, actor="Helen Whitaker", machine="CHAIR-LAPTOP"
    )
    pane.refresh()
    assert any("checked out to Helen Whitaker (CHAIR-LAPTOP)" in text for text in _entries(pane))
    team_meeting.run_offline(store, prepared)
    team_checkout.checkin(team, store, prepared.meeting_id, actor="Helen Whitaker")
    pane.refresh()
    assert not any("checked out" in text for text in _entries(pane))
