"""What the window does after a change, in SQL and redraws: the meeting list is one statement
however many meetings there are, it is drawn again only when what it shows changed, and the
meeting is read once for the whole window's refresh. At ten years of meetings each of these,
done per meeting or per page, held the window after every decision."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event

import panelapp.services.meeting_view as meeting_view_module
from panelapp.domain.vocabulary import Outcome
from panelapp.services import meetings
from panelapp.store.tables import Meeting
from tests.helpers.meetings import MORNING
from tests.helpers.window import open_window, window_meeting

DAY = date(2026, 3, 12)
#: every module of the window that reads a whole meeting
READERS = ("agenda_builder", "attendance_page", "run_page", "meeting_screen", "actions_page")


@contextmanager
def statements(engine):
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.strip().upper() != "BEGIN":
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def meeting_reads(monkeypatch):
    read: list[int] = []
    real = meeting_view_module.meeting_view

    def counting(session, meeting_id, *args, **kwargs):
        read.append(meeting_id)
        return real(session, meeting_id, *args, **kwargs)

    for module in READERS:
        monkeypatch.setattr(f"panelapp.ui.{module}.meeting_view", counting)
    return read


def _several_meetings(store) -> int:
    """Five meetings, a week apart (three cases each); the last one started. Its id."""
    for weeks in (4, 3, 2, 1):
        window_meeting(store, DAY - timedelta(weeks=weeks), start=False)
    return window_meeting(store, DAY)


def _settled(qtbot, window) -> None:
    """Let the window finish what a change set off (the page in view, the meeting list, the
    pages behind other tabs, one turn of the event loop each)."""
    qtbot.waitUntil(
        lambda: window.ctx.turns.idle and not window.meeting_screen._stale, timeout=5_000
    )


def test_the_list_is_one_statement_and_a_decision_leaves_it_and_reads_the_meeting_once(
    qtbot, store, store_path, meeting_reads
):
    meeting_id = _several_meetings(store)
    window = open_window(qtbot, store, store_path, meeting_id)
    listed = [window.meetings.list.item(r).text() for r in range(window.meetings.list.count())]
    assert sum("3 items" in text for text in listed) == 5

    window.meetings._shows = None  # as if the list had changed: read and drawn again
    with statements(store.engine) as seen:
        window.meetings.refresh()
    assert len(seen) == 1, seen

    rebuilt: list[None] = []
    window.meetings.rebuilt.connect(lambda: rebuilt.append(None))
    entries = [window.meetings.list.item(r) for r in range(window.meetings.list.count())]
    run = window.meeting_screen.run
    window.meeting_screen.tabs.setCurrentWidget(run)
    run.select_item(1)
    _settled(qtbot, window)
    meeting_reads.clear()
    run.form.choose(Outcome.AGREE_TO_ASSESS)
    run.form.rationale.setPlainText("Threshold met.")
    run.record_decision()
    assert run.banner.kind == "ok", run.banner.text()
    qtbot.waitUntil(lambda: run.agenda.item(0).text().startswith("✔"), timeout=5_000)
    _settled(qtbot, window)
    # the whole window redrawn (every page) from one read of the meeting
    assert meeting_reads == [meeting_id]
    # nothing the list shows changed: the same entries, not drawn again
    assert rebuilt == []
    assert [window.meetings.list.item(r) for r in range(window.meetings.list.count())] == entries
    assert run.current_item_id() == run.view.items[1].item_id  # on to the next item
    window.close()


def test_a_change_the_list_shows_draws_it_again(qtbot, store, store_path):
    meeting_id = _several_meetings(store)
    window = open_window(qtbot, store, store_path, meeting_id)
    with store.read() as session:
        panel_id = session.get(Meeting, meeting_id).panel_id
    rebuilt: list[None] = []
    window.meetings.rebuilt.connect(lambda: rebuilt.append(None))
    window.ctx.run(meetings.schedule_meeting, panel_id, on=DAY + timedelta(days=7), start=MORNING)
    _settled(qtbot, window)
    assert rebuilt == [None]
    listed = [window.meetings.list.item(r).text() for r in range(window.meetings.list.count())]
    assert sum("0 items" in text for text in listed) == 1
    window.close()


def test_locking_before_the_window_has_redrawn_loses_nothing(qtbot, store_path, store):
    meeting_id = _several_meetings(store)
    window = open_window(qtbot, store, store_path, meeting_id)
    run = window.meeting_screen.run
    window.meeting_screen.tabs.setCurrentWidget(run)
    run.select_item(1)
    run.form.choose(Outcome.AGREE_TO_ASSESS)
    run.form.rationale.setPlainText("Threshold met.")
    run.record_decision()
    assert not window.ctx.turns.idle  # the redraw, the next item and the list still to come
    window.lock()  # closes the store before their turn
    qtbot.wait(50)  # their turns come with the store closed: nothing is read, nothing fails
    assert window.is_locked
    window.unlock()
    qtbot.waitUntil(lambda: run.agenda.item(0).text().startswith("✔"), timeout=5_000)
    assert run.detail is not None and run.detail.position == 2
    window.close()
