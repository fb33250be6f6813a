"""The meeting's header on a small laptop screen: on one line, and showing names as typed."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from panelapp.services.corrections import update_meeting
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import Meeting
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow


def test_at_1280_wide_the_header_is_one_line_and_shows_the_venue_as_typed(
    qtbot, store, store_path, demo
):
    with UnitOfWork(store, "Joanne Pike") as uow:
        meeting = uow.session.get(Meeting, demo.next_meeting_id)
        update_meeting(
            uow,
            demo.next_meeting_id,
            on=meeting.meeting_date,
            start=time(9, 30),
            venue="Room <B> & Annex",
        )
    window = MainWindow(AppContext(store, "Joanne Pike"), store_path)
    qtbot.addWidget(window)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.setGeometry(0, 0, 1280, 720 - 30)
    window.show()
    window.meetings.select(demo.next_meeting_id)
    QApplication.processEvents()
    heading = window.meeting_screen.heading
    assert "Room &lt;B&gt; &amp; Annex" in heading.text()  # shown literally, not as markup
    one_line = heading.heightForWidth(10_000)
    assert heading.heightForWidth(heading.width()) == one_line  # nothing wraps at 1280
    for button in (window.meeting_screen.minutes_button, window.meeting_screen.close_button):
        right = button.mapTo(window, button.rect().topRight()).x()
        assert button.isVisible() and right <= window.width()
    window.close()
