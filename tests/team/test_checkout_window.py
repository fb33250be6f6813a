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


def test_the_window_checks_a_meeting_out_and_in_with_the_team_menu(
    qtbot, team, team_url, store, store_path, monkeypatch
):
    from panelapp.store.integrity import check_store
    from panelapp.ui.main_window import MainWindow
    from panelapp.ui.worker import wait_for_background_work

    prepared = team_meeting.prepare(team, cases=1)
    monkeypatch.setenv("PANELAPP_TEAM_URL", team_url)
    window = MainWindow(AppContext(store, "Helen Whitaker"), store_path)
    qtbot.addWidget(window)
    window.team.check_out(prepared.meeting_id)
    qtbot.waitUntil(lambda: window.team.message is not None, timeout=20_000)
    assert "checked out to this computer" in window.team.message.text()
    assert any("checked out to Helen Whitaker" in t for t in _entries(window.meetings))
    window.team.message.close()
    window.team.message = None
    team_meeting.run_offline(store, prepared)
    window.team.check_in(prepared.meeting_id)
    qtbot.waitUntil(lambda: window.team.message is not None, timeout=20_000)
    wait_for_background_work()
    assert "is checked in" in window.team.message.text()
    assert not any("checked out" in t for t in _entries(window.meetings))
    with team.read() as session:
        assert team_checkout.checkouts(session) == {}
    assert check_store(team).ok
    window.team.message.close()
    # a second check-in of a meeting no longer out says so, in words
    window.team.message = None
    window.team.check_in(prepared.meeting_id)
    qtbot.waitUntil(lambda: window.team.message is not None, timeout=20_000)
    assert "is not checked out" in window.team.message.text()
    window.team.message.close()
