"""An operations officer prepares a meeting in the window: panel settings, a member, a new
meeting, cases on the agenda in order."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from panelapp.domain.vocabulary import Role
from panelapp.services import panels
from panelapp.services.meeting_view import list_meetings, meeting_view
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow


def _accept_next_dialog(qtbot, fill):
    """Fill and accept the modal dialog that the next action opens."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def act():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog), "a dialog should be open"
        fill(dialog)
        dialog.accept()

    QTimer.singleShot(0, act)


def test_an_officer_sets_up_a_panel_schedules_a_meeting_and_builds_its_agenda(
    qtbot, store, store_path
):
    window = MainWindow(AppContext(store, "Ops Officer"), store_path)
    qtbot.addWidget(window)
    window.show()

    settings = window.open_panels()
    qtbot.mouseClick(settings.new_panel, Qt.MouseButton.LeftButton)
    settings.name.setText("High Needs Funding Panel")
    settings.minimum.setValue(4)
    settings.deadline.setValue(5)

    def choose_ep(dialog):
        dialog.roles.set_chosen([Role.EDUCATIONAL_PSYCHOLOGIST])

    _accept_next_dialog(qtbot, choose_ep)
    settings.add_requirement()
    settings.save_settings()
    assert settings.banner.kind == "ok"

    def new_member(dialog):
        dialog.name.setText("Dr Ada Psych")
        dialog.roles.set_chosen([Role.EDUCATIONAL_PSYCHOLOGIST])

    _accept_next_dialog(qtbot, new_member)
    settings.add_member()
    settings.accept()
    with store.read() as session:
        (panel,) = panels.all_panel_settings(session)
    assert panel.name == "High Needs Funding Panel" and panel.paper_deadline_days == 5
    assert panel.quorum.minimum_members == 4
    assert frozenset({Role.EDUCATIONAL_PSYCHOLOGIST}) in panel.quorum.required_roles
    assert [m.name for m in panel.members] == ["Dr Ada Psych"]

    new_meeting = window.open_new_meeting()
    new_meeting.on.setDate(QDate(2026, 12, 3))
    qtbot.keyClicks(new_meeting.venue, "Room 4")
    new_meeting.schedule()
    assert new_meeting.result() == QDialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: window.meeting_screen.meeting_id == new_meeting.meeting_id)
    builder = window.meeting_screen.prepare
    assert window.meeting_screen.tabs.currentWidget() is builder

    for ref, last in (("NB-1", "First"), ("NB-2", "Second")):
        dialog = builder.open_case_dialog()
        dialog.reference.setText(ref)
        dialog.first_name.setText("Sam")
        dialog.last_name.setText(last)
        dialog.received.setDate(QDate(2026, 11, 20))
        dialog.add()
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.banner.text()
    qtbot.waitUntil(lambda: builder.table.rowCount() == 2)
    builder.table.selectRow(1)
    builder.move_selected(-1)
    with store.read() as session:
        (meeting,) = list_meetings(session)
        view = meeting_view(session, meeting[0], window.ctx.naming)
    assert meeting[2] == date(2026, 12, 3)
    assert [i.reference for i in view.items] == ["NB-2", "NB-1"]
    assert view.items[0].statutory_due == date(2027, 1, 1)  # 6 weeks from 20 Nov
    window.close()
