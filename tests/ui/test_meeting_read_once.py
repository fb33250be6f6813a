"""A change redraws every page of the meeting from one read of it, not one read per page (the
read is most of what a redraw costs, and it runs on the GUI thread)."""

from __future__ import annotations

from datetime import date

import pytest

import panelapp.services.meeting_view as meeting_view_module
from tests.helpers.window import open_window, window_meeting

PAGES = ("agenda_builder", "attendance_page", "run_page", "meeting_screen")


@pytest.fixture
def reads(monkeypatch):
    counted = []
    real = meeting_view_module.meeting_view

    def counting(*args, **kwargs):
        counted.append(args[1])
        return real(*args, **kwargs)

    for page in PAGES:
        monkeypatch.setattr(f"panelapp.ui.{page}.meeting_view", counting)
    return counted


def test_showing_and_refreshing_read_the_meeting_once(qtbot, store, store_path, reads):
    meeting_id = window_meeting(store, date(2026, 3, 12))
    window = open_window(qtbot, store, store_path, meeting_id)
    reads.clear()
    window.meeting_screen.show_meeting(meeting_id)
    assert reads == [meeting_id]
    reads.clear()
    window.meeting_screen.refresh()
    assert reads == [meeting_id]
    window.close()
