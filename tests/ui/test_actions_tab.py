"""The Actions tab: an action is added, completed and carried to the next meeting in the real
window, with its buttons and right-click menu."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QApplication

from panelapp.services import actions
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow


def _window(qtbot, store, store_path, meeting_id) -> MainWindow:
    window = MainWindow(AppContext(store, "Joanne Pike"), store_path)
    qtbot.addWidget(window)
    window.show()
    window.meetings.select(meeting_id)
    return window


def _row_of(table, text: str) -> int:
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == text)


def test_an_action_is_added_completed_and_carried(qtbot, store, store_path, demo):
    window = _window(qtbot, store, store_path, demo.meeting_id)
    page = window.meeting_screen.actions_page
    window.meeting_screen.tabs.setCurrentWidget(page)
    page.add_button.click()
    dialog = QApplication.activeModalWidget()
    assert dialog.windowTitle() == "Add an action"
    dialog.description.setText("Ask the school for the annual review")
    dialog.owner.setText("Claire Doyle")
    dialog.due.setDate(date(2026, 3, 20))
    dialog.item.setCurrentIndex(1)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text()
    assert page.banner.text() == "The action is added."
    row = _row_of(page.table, "Ask the school for the annual review")
    assert page.table.item(row, 3).text() == "Item 1"
    with store.read() as session:
        added = [
            a
            for a in actions.list_actions(session, meeting_id=demo.meeting_id)
            if a.description == "Ask the school for the annual review"
        ]
    assert added and added[0].owner == "Claire Doyle"

    # carried to the next meeting, overdue by now (due in March 2026)
    window.meetings.select(demo.next_meeting_id)
    qtbot.waitUntil(lambda: page.meeting_id == demo.next_meeting_id)
    carried = _row_of(page.arising_table, "Ask the school for the annual review")
    assert "overdue" in page.arising_table.item(carried, 4).text()
    assert page.arising_table.item(carried, 4).foreground().color().name() == "#8a1c12"
    run = window.meeting_screen.run.matters_arising
    shown = [run.item(r) for r in range(run.count())]
    entry = next(e for e in shown if "Ask the school for the annual review" in e.text())
    assert entry.text().startswith("Overdue: ")
    assert entry.foreground().color().name() == "#8a1c12"

    # completed from the right-click menu of the matters arising
    page.arising_table.selectRow(carried)
    menu = next(a for a in page.arising_table.actions() if a.text().startswith("Complete"))
    menu.trigger()
    done = QApplication.activeModalWidget()
    assert done.windowTitle() == "Complete an action"
    done.note.setPlainText("Received and circulated")
    done.save()
    assert done.result() == done.DialogCode.Accepted, done.banner.text()
    assert "Ask the school for the annual review" not in [
        page.arising_table.item(r, 0).text() for r in range(page.arising_table.rowCount())
    ]

    # reopened with the button on its own meeting
    window.meetings.select(demo.meeting_id)
    qtbot.waitUntil(lambda: page.meeting_id == demo.meeting_id)
    row = _row_of(page.table, "Ask the school for the annual review")
    assert page.table.item(row, 4).text().startswith("Done")
    page.table.selectRow(row)
    assert page.reopen_button.isEnabled() and not page.complete_button.isEnabled()
    page.reopen_button.click()
    assert page.banner.text() == "The action is open again."
    with store.read() as session:
        arising = actions.matters_arising(session, demo.next_meeting_id)
    assert "Ask the school for the annual review" in [a.description for a in arising]
    window.close()
