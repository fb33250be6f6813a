"""The keyboard: every shortcut and access key is in Help > Keyboard (and the README), and a
minute taker records a whole meeting with key presses alone."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from panelapp.domain.vocabulary import AttendanceStatus, ItemStatus, MeetingStatus
from panelapp.services.roster import roster
from panelapp.store.tables import AgendaItem, DecisionRow, DeferralRow, Meeting
from panelapp.ui.keyboard_help import SHORTCUTS, listed_sequences, window_sequences
from tests.helpers.window import activate, open_window, window_meeting

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
README = Path(__file__).parents[2] / "README.md"


def test_help_keyboard_lists_every_shortcut_and_access_key(qtbot, store, store_path, today):
    meeting_id = window_meeting(store, today)
    window = open_window(qtbot, store, store_path, meeting_id)
    missing = window_sequences(window) - listed_sequences()
    assert not missing, f"shortcuts not in Help > Keyboard: {missing}"

    qtbot.keyClick(window, Qt.Key.Key_F1)
    help_window = next(w for w in QApplication.topLevelWidgets() if w.windowTitle() == "Keyboard")
    listed = help_window.listed_text()
    for keys, _ in SHORTCUTS:
        assert keys in listed
    screen = window.meeting_screen
    for page in (screen.prepare, screen.attendance, screen.run):
        for button in page.findChildren(type(screen.close_button)):
            match = re.search(r"&(\w)", button.text())
            if match:
                assert (
                    f"Alt+{match.group(1).upper()} | {button.text().replace('&', '').strip(': .')}"
                    in listed
                )
    help_window.close()
    window.close()


def test_the_readme_lists_the_same_shortcuts():
    text = README.read_text(encoding="utf-8")
    for keys, does in SHORTCUTS:
        assert f"| {keys} | {does} |" in text


def _type(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def _key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def test_a_whole_meeting_recorded_with_the_keyboard_alone(qtbot, store, store_path, today):
    meeting_id = window_meeting(store, today, start=False)
    window = open_window(qtbot, store, store_path, meeting_id)
    screen = window.meeting_screen
    window.meeting_screen.prepare.table.setFocus()  # where the window opens a scheduled meeting

    # Attendance: everyone present, then start (Alt+P, Alt+S on the attendance tab).
    _key(qtbot, Qt.Key.Key_2, CTRL)
    assert screen.tabs.currentWidget() is screen.attendance
    _key(qtbot, Qt.Key.Key_P, ALT)
    _key(qtbot, Qt.Key.Key_S, ALT)
    qtbot.waitUntil(lambda: screen.run.form.isEnabled())

    # Item 1: summary, outcome, rationale, Ctrl+Enter.
    _key(qtbot, Qt.Key.Key_3, CTRL)
    assert screen.tabs.currentWidget() is screen.run
    run = screen.run
    run.select_item(1)
    _key(qtbot, Qt.Key.Key_M, CTRL)
    _type(qtbot, "The officer presented the request.")
    _key(qtbot, Qt.Key.Key_O, CTRL)
    _key(qtbot, Qt.Key.Key_Down)  # the first outcome: agree to assess
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "Threshold met.")
    _key(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: run.agenda.item(0).text().startswith("✔"))

    # Item 2 opens with the cursor in its summary: type, then defer with Ctrl+D.
    assert QApplication.focusWidget() is run.notes
    _type(qtbot, "Advice is missing.")
    _key(qtbot, Qt.Key.Key_D, CTRL)
    deferral = QApplication.activeModalWidget()
    activate(qtbot, deferral)
    deferral.reason.setFocus()  # the dialog's first field (as a window manager focuses it)
    _type(qtbot, "Awaiting EP advice")
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "EP advice")
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "EP service")
    _key(qtbot, Qt.Key.Key_Return)
    assert deferral.result() == deferral.DialogCode.Accepted, deferral.banner.text()
    activate(qtbot, window)

    # Item 3 likewise, then close the meeting with Alt+C.
    assert run.detail.position == 3
    assert QApplication.focusWidget() is run.notes
    _key(qtbot, Qt.Key.Key_O, CTRL)
    _key(qtbot, Qt.Key.Key_Down)
    _key(qtbot, Qt.Key.Key_Down)  # the second outcome: decline to assess
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "Needs met at SEN support.")
    _key(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: run.agenda.item(2).text().startswith("✔"))
    _key(qtbot, Qt.Key.Key_C, ALT)
    qtbot.waitUntil(lambda: screen.banner.kind == "ok")

    with store.read() as session:
        assert session.get(Meeting, meeting_id).status == MeetingStatus.CLOSED.value
        items = session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position)
        ).all()
        assert [i.status for i in items] == [
            ItemStatus.DECIDED,
            ItemStatus.DEFERRED,
            ItemStatus.DECIDED,
        ]
        assert items[0].discussion == "The officer presented the request."
        assert items[1].discussion == "Advice is missing."
        decisions = {d.agenda_item_id: d for d in session.scalars(select(DecisionRow))}
        assert decisions[items[0].id].rationale == "Threshold met."
        assert decisions[items[2].id].rationale == "Needs met at SEN support."
        assert session.scalar(select(DeferralRow)).provider == "EP service"
        assert {e.status for e in roster(session, meeting_id)} == {AttendanceStatus.PRESENT}
    window.close()
