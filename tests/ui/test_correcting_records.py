"""Correcting records from the window: a case, the meeting's date and venue, a declaration and
a member, each from a button and the right-click menu; refused with the way forward once the
minutes are signed; a dialog with a missing field keeps what was typed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from panelapp.domain.vocabulary import NamingMode, Role
from panelapp.services.minutes import generate_minutes, sign_minutes
from panelapp.services.signing import create_signing_identity
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, Case, DeclarationRow, Meeting, Member
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow
from panelapp.ui.panels_dialog import MemberDialog


def _window(qtbot, store, store_path, meeting_id) -> MainWindow:
    window = MainWindow(AppContext(store, "Joanne Pike"), store_path)
    qtbot.addWidget(window)
    window.show()
    window.meetings.select(meeting_id)
    return window


def _action(widget, text_start: str):
    return next(a for a in widget.actions() if a.text().startswith(text_start))


def test_a_case_is_corrected_from_the_agenda_right_click_menu(qtbot, store, store_path, demo):
    window = _window(qtbot, store, store_path, demo.next_meeting_id)
    builder = window.meeting_screen.prepare
    window.meeting_screen.tabs.setCurrentWidget(builder)
    builder.table.selectRow(0)
    _action(builder.table, "Correct this case").trigger()
    dialog = QApplication.activeModalWidget()
    assert dialog.windowTitle() == "Correct a case"
    first_name = dialog.first_name.text()
    assert first_name  # the case's own details, ready to correct
    dialog.first_name.setText("Corrected")
    dialog.date_of_birth.setDate(date(2018, 2, 3))
    dialog.add()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text()
    item_id = builder.view.items[0].item_id
    with store.read() as session:
        case = session.get(Case, session.get(AgendaItem, item_id).case_id)
        assert (case.first_name, case.date_of_birth) == ("Corrected", date(2018, 2, 3))
    assert builder.banner.text() == "The case's details are corrected."
    window.close()


def test_the_meetings_date_and_venue_are_corrected(qtbot, store, store_path, demo):
    window = _window(qtbot, store, store_path, demo.next_meeting_id)
    dialog = window.meeting_screen.open_meeting_details()
    assert dialog.venue.text() == "Committee Room 2, Town Hall"
    dialog.venue.setText("Council Chamber")
    dialog.on.setDate(date(2026, 3, 27))
    dialog.schedule()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text()
    with store.read() as session:
        meeting = session.get(Meeting, demo.next_meeting_id)
        assert (meeting.venue, meeting.meeting_date) == ("Council Chamber", date(2026, 3, 27))
    qtbot.waitUntil(lambda: "Council Chamber" in window.meeting_screen.heading.text())
    window.close()


def test_a_declaration_is_withdrawn_from_the_attendance_tab(qtbot, store, store_path, demo):
    window = _window(qtbot, store, store_path, demo.next_meeting_id)
    page = window.meeting_screen.attendance
    declare = page.open_declaration_dialog()
    declare.member.setCurrentIndex(declare.member.findData(demo.member_ids["Tom Ashworth"]))
    declare.item.setCurrentIndex(1)
    declare.nature.setText("Governor of the school")
    declare.record()
    qtbot.waitUntil(lambda: page.declarations.count() == 1)
    assert page.withdraw_declaration_button.isEnabled()
    assert _action(page.declarations, "Withdraw this declaration")
    page.declarations.setCurrentRow(0)
    declaration_id = page.declarations.item(0).data(0x0100)
    page.withdraw_declaration(declaration_id, "Recorded against the wrong member")
    assert page.banner.kind == "ok"
    qtbot.waitUntil(lambda: page.declarations.count() == 0)
    with store.read() as session:
        assert session.get(DeclarationRow, declaration_id) is None
    window.close()


def test_after_signing_a_correction_is_refused_with_the_way_forward(qtbot, store, store_path, demo):
    chair = demo.member_ids["Helen Whitaker"]
    with UnitOfWork(store, "Test") as uow:
        create_signing_identity(uow, chair)
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    with UnitOfWork(store, "Helen Whitaker") as uow:
        sign_minutes(uow, demo.meeting_id, chair)
    window = _window(qtbot, store, store_path, demo.meeting_id)
    assert not window.meeting_screen.edit_button.isEnabled()
    builder = window.meeting_screen.prepare
    builder.table.selectRow(0)
    dialog = builder.open_case_dialog(edit=True)
    before = dialog.first_name.text()
    dialog.first_name.setText("Changed")
    dialog.add()
    assert dialog.isVisible() and dialog.banner.kind == "error"
    assert "amendment" in dialog.banner.text()
    assert dialog.first_name.text() == "Changed"  # kept, not thrown away
    dialog.reject()
    with store.read() as session:
        item = session.get(AgendaItem, builder.view.items[0].item_id)
        assert session.get(Case, item.case_id).first_name == before
    window.close()


def test_add_member_without_a_role_stays_open_and_says_what_is_missing(
    qtbot, store, store_path, demo
):
    window = _window(qtbot, store, store_path, demo.meeting_id)
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
        dialog.name.setText("Fatima Finance")
        dialog.organisation.setText("Finance officer")
        dialog.accept()  # no role ticked
        seen["open"] = dialog.isVisible()
        seen["message"] = dialog.banner.text()
        seen["kept"] = dialog.name.text()
        dialog.roles.boxes[Role.CHAIR].setChecked(True)  # the panel has a chair already
        dialog.accept()
        seen["refused"] = dialog.banner.text() if dialog.isVisible() else ""
        dialog.roles.boxes[Role.CHAIR].setChecked(False)
        dialog.roles.boxes[Role.SEND_MANAGER].setChecked(True)
        dialog.accept()
        if dialog.isVisible():  # never leave the test waiting on an open dialog
            seen["left_open"] = dialog.banner.text()
            dialog.reject()

    QTimer.singleShot(0, fill)
    _action(panels.members, "Add a member").trigger()
    assert seen["open"] and seen["kept"] == "Fatima Finance"
    assert "at least one role" in seen["message"]
    assert "already has a chair" in seen["refused"]
    assert "left_open" not in seen, seen.get("left_open")
    with store.read() as session:
        assert session.scalar(select(Member).where(Member.name == "Fatima Finance")) is not None
    panels.close()
    window.close()
