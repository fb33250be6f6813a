"""A High Needs panel's finance officer can be added with that role and required for quorum."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from panelapp.domain.vocabulary import Role
from panelapp.store.tables import Member
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow
from panelapp.ui.panels_dialog import MemberDialog


def test_a_finance_officer_is_added_with_the_finance_role(qtbot, store, store_path, demo):
    window = MainWindow(AppContext(store, "Joanne Pike"), store_path)
    qtbot.addWidget(window)
    window.show()
    panels = window.open_panels()
    seen = {}

    def fill():
        dialogs = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MemberDialog) and w.isVisible()
        ]
        if not dialogs:
            QTimer.singleShot(50, fill)
            return
        dialog = dialogs[0]
        seen["offered"] = dialog.roles.boxes[Role.FINANCE_OFFICER].text()
        dialog.name.setText("Priya Shah")
        dialog.organisation.setText("High Needs finance")
        dialog.roles.boxes[Role.FINANCE_OFFICER].setChecked(True)
        dialog.accept()
        if dialog.isVisible():
            seen["left_open"] = dialog.banner.text()
            dialog.reject()

    QTimer.singleShot(0, fill)
    next(a for a in panels.members.actions() if a.text().startswith("Add a member")).trigger()
    assert "left_open" not in seen, seen.get("left_open")
    assert seen["offered"] == "Finance officer (High Needs)"
    with store.read() as session:
        member = session.scalar(select(Member).where(Member.name == "Priya Shah"))
        assert member is not None and member.roles == [Role.FINANCE_OFFICER.value]
    shown = [
        panels.members.item(row, 1).text()
        for row in range(panels.members.rowCount())
        if panels.members.item(row, 0).text() == "Priya Shah"
    ]
    assert shown == ["Finance officer (High Needs)"]
    panels.close()
    window.close()


def test_the_councils_details_are_set_in_the_panel_settings(qtbot, store, store_path, demo):
    from panelapp.services.panels import panel_settings

    window = MainWindow(AppContext(store, "Joanne Pike"), store_path)
    qtbot.addWidget(window)
    window.show()
    panels = window.open_panels()
    panels.council.setText("Northbridge Council")
    panels.council_address.setText("Town Hall;; Market Street  ; NB1 1AA")
    panels.council_contact.setText("01234 567890")
    panels.save_settings()
    assert panels.banner.text() == "Settings saved."
    with store.read() as session:
        settings = panel_settings(session, panels.current_panel_id())
    assert settings.council == "Northbridge Council"
    assert settings.council_address == "Town Hall\nMarket Street\nNB1 1AA"  # blank lines go
    assert settings.council_contact == "01234 567890"
    panels.council_address.setText("")
    panels._load_panel()  # what the dialog shows is what was saved
    assert panels.council_address.text() == "Town Hall; Market Street; NB1 1AA"
    panels.close()
    window.close()
