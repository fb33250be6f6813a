"""The approvals window: the officer sees each signed decision awaiting approval, records a
return with the chief officer's comment, and the case is then on the panel's next agenda."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from panelapp.domain.vocabulary import NamingMode
from panelapp.store.tables import Meeting
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow


def test_return_a_decision_from_the_window(qtbot, store, store_path, demo, signed_minutes):
    ctx = AppContext(store, "Joanne Pike", naming=NamingMode.FULL)
    window = MainWindow(ctx, store_path)
    qtbot.addWidget(window)
    window.show()
    window.approvals_action.trigger()
    dialog = window.approvals
    awaiting = dialog.table.rowCount()
    assert awaiting > 1 and dialog.return_button.isEnabled()
    first = dialog.selected()
    assert dialog.table.item(0, 2).text() == first.child and first.child
    dialog.record(approved=False)  # no officer given yet
    assert "Say who approved or returned" in dialog.banner.text()
    assert dialog.table.rowCount() == awaiting

    dialog.officer.setText("Dana Fox")
    dialog.role.setText("Director of Children's Services")
    dialog.on.setDate(QDate(2026, 3, 13))
    dialog.comment.setPlainText("Check the costs")
    dialog.return_button.click()
    assert "Returned by Dana Fox" in dialog.banner.text()
    assert "Back on the agenda of" in dialog.banner.text()
    assert dialog.table.rowCount() == awaiting - 1
    with store.read() as session:
        later = session.get(Meeting, demo.next_meeting_id)
        assert later.meeting_date >= date(2026, 3, 13)
        assert any(i.case.reference == first.reference for i in later.items)
    dialog.pending_only.setChecked(False)
    statuses = [dialog.table.item(r, 5).text() for r in range(dialog.table.rowCount())]
    assert any(s.startswith("Returned by Dana Fox") for s in statuses)
    assert not dialog.return_button.isEnabled() or dialog.selected().status == "awaiting approval"
    window.close()


def test_locking_closes_it_and_disables_its_menu_entry(qtbot, store, store_path, demo):
    ctx = AppContext(store, "Joanne Pike", naming=NamingMode.FULL)
    window = MainWindow(ctx, store_path)
    qtbot.addWidget(window)
    window.show()
    window.approvals_action.trigger()
    assert window.approvals.isVisible()
    window.lock()
    assert not window.approvals.isVisible()
    assert not window.approvals_action.isEnabled()
    window.close()


def test_before_any_minutes_are_signed_it_says_why_the_list_is_empty(
    qtbot, store, store_path, demo
):
    ctx = AppContext(store, "Joanne Pike", naming=NamingMode.FULL)
    window = MainWindow(ctx, store_path)
    qtbot.addWidget(window)
    window.approvals_action.trigger()
    dialog = window.approvals
    assert dialog.table.rowCount() == 0
    assert "once the chair has signed their meeting's minutes" in dialog.empty.text()
    window.close()
