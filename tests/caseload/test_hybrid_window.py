"""Hybrid meetings in the real window and on the command line: the attendance table records
who attended online, the Run page's quorum line follows the panel's setting, the minutes name
who attended online, and every change is in the audit trail."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from panelapp.cli import main
from panelapp.domain.errors import PanelappError
from panelapp.domain.quorum import QuorumRule
from panelapp.domain.vocabulary import (
    AttendanceStatus,
    PrimaryNeed,
    Role,
)
from panelapp.services import meetings, panels
from panelapp.services.attendance_modes import IN_ROOM, ONLINE, online_member_ids
from panelapp.services.attendance_modes import set_attendance_mode as set_mode
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, AuditEvent, MinutesVersion
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow
from tests.helpers.meetings import MORNING, case_on_agenda, panel_with_members
from tests.helpers.minutes_docx import docx_text

DAY = date.today()
MEMBERS = [
    ("Helen Chair", Role.CHAIR),
    ("David Vice", Role.VICE_CHAIR),
    ("Priya Psychologist", Role.EDUCATIONAL_PSYCHOLOGIST),
    ("Tom Head", Role.SCHOOLS_REP),
    ("Jo Minutes", Role.MINUTE_TAKER),
]


def _meeting(store) -> tuple[int, int, dict[str, int]]:
    """A panel needing 3 members (chair or vice-chair among them) and a two-item meeting."""
    with UnitOfWork(store, "ops officer") as uow:
        panel_id, keyed = panel_with_members(
            uow,
            {name: (name, [role]) for name, role in MEMBERS},
            quorum=QuorumRule(3, (frozenset({Role.CHAIR, Role.VICE_CHAIR}),)),
        )
        meeting_id = meetings.schedule_meeting(uow, panel_id, on=DAY, start=MORNING)
        for n in (1, 2):
            case_on_agenda(
                uow,
                meeting_id,
                f"NB-H-{n}",
                first_name="Child",
                last_name=f"Number{n}",
                date_of_birth=date(2016, 1, n),
                received=DAY - timedelta(days=10),
                primary_need=PrimaryNeed.SEMH,
                presenting_officer="Officer",
            )
    return panel_id, meeting_id, keyed


def _window(qtbot, store, store_path, meeting_id) -> MainWindow:
    window = MainWindow(AppContext(store, "Jo Minutes"), store_path)
    qtbot.addWidget(window)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.meetings.select(meeting_id)
    return window


def _wheel(widget, notches: int) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(widget.rect().center())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def _mode_events(session, meeting_id) -> list[dict]:
    return [
        json.loads(e.detail)
        for e in session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "attendance.mode_set", AuditEvent.entity_id == meeting_id)
            .order_by(AuditEvent.seq)
        )
    ]


def test_marking_members_online_in_the_window_reaches_quorum_and_the_minutes(
    qtbot, store, store_path
):
    panel_id, meeting_id, ids = _meeting(store)
    window = _window(qtbot, store, store_path, meeting_id)
    page = window.meeting_screen.attendance
    window.meeting_screen.tabs.setCurrentWidget(page)
    # Before anyone is recorded as present there is nothing to say about how they attended.
    assert not page.mode_combo("Priya Psychologist").isEnabled()
    qtbot.mouseClick(page.all_present, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.mode_combo("Priya Psychologist").isEnabled())
    assert page.mode_combo("Priya Psychologist").currentText() == "In the room"

    # The wheel passing over the field does not change it.
    page.table.setFocus()
    _wheel(page.mode_combo("Tom Head"), -1)
    assert page.mode_combo("Tom Head").currentText() == "In the room"

    for name in ("Priya Psychologist", "Tom Head"):
        combo = page.mode_combo(name)
        combo.setCurrentIndex(combo.findText("Online"))
    qtbot.waitUntil(lambda: page.mode_combo("Tom Head").currentText() == "Online")
    with store.read() as session:
        assert online_member_ids(session, meeting_id) == {
            ids["Priya Psychologist"],
            ids["Tom Head"],
        }
        assert [(e["member_id"], e["mode"]) for e in _mode_events(session, meeting_id)] == [
            (ids["Priya Psychologist"], ONLINE),
            (ids["Tom Head"], ONLINE),
        ]
    assert page.mode_combo("Helen Chair").currentText() == "In the room"

    run = window.meeting_screen.run
    window.meeting_screen.tabs.setCurrentWidget(run)
    run.select_item(1)
    qtbot.waitUntil(lambda: "Priya Psychologist (online)" in run.panel_state.text())
    assert "Quorate for this item" in run.panel_state.text()

    # The panel's terms now count only members in the room: Helen and David are not enough.
    # The meeting takes the setting when it starts.
    window.meeting_screen.ctx.do(
        panels.set_meeting_capacity,
        panel_id,
        items=None,
        minutes=None,
        online_counts_for_quorum=False,
    )
    window.meeting_screen.tabs.setCurrentWidget(page)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    window.meeting_screen.tabs.setCurrentWidget(run)
    run.select_item(1)
    qtbot.waitUntil(lambda: "Not quorate for this item" in run.panel_state.text())
    state = run.panel_state.text()
    assert "not counted towards quorum" in state
    assert "Priya Psychologist, Tom Head" in state.split("not counted towards quorum")[1]
    assert "Taking part:</b> Helen Chair, David Vice<" in state

    # Back in the room, Tom makes the item quorate again.
    window.meeting_screen.tabs.setCurrentWidget(page)
    tom = page.mode_combo("Tom Head")
    tom.setCurrentIndex(tom.findText("In the room"))
    window.meeting_screen.tabs.setCurrentWidget(run)
    qtbot.waitUntil(lambda: "Quorate for this item" in run.panel_state.text())

    from panelapp.services.minutes import generate_minutes

    info = window.meeting_screen.ctx.do(generate_minutes, meeting_id)
    with store.read() as session:
        text = docx_text(session.get(MinutesVersion, info.version_id).document)
    assert "Attended online: Priya Psychologist." in text
    window.close()


def test_how_a_member_attended_is_refused_when_it_cannot_be_true(store):
    panel_id, meeting_id, ids = _meeting(store)
    with UnitOfWork(store, "Jo Minutes") as uow:
        meetings.record_attendance(uow, meeting_id, ids["Tom Head"], AttendanceStatus.APOLOGIES)
    with UnitOfWork(store, "Jo Minutes") as uow, pytest.raises(PanelappError, match="present"):
        set_mode(uow, meeting_id, ids["Tom Head"], ONLINE)

    with UnitOfWork(store, "Jo Minutes") as uow:
        for name in ("Helen Chair", "David Vice", "Priya Psychologist"):
            meetings.record_attendance(uow, meeting_id, ids[name], AttendanceStatus.PRESENT)
        panels.set_meeting_capacity(
            uow, panel_id, items=None, minutes=None, online_counts_for_quorum=False
        )
        meetings.start_meeting(uow, meeting_id)
        first = uow.session.scalar(
            select(AgendaItem.id).where(
                AgendaItem.meeting_id == meeting_id, AgendaItem.position == 1
            )
        )
        from panelapp.services import decisions

        decisions.defer_item(
            uow,
            first,
            reason="Report missing.",
            information_required="Report",
            provider="Case officer",
            return_date=DAY + timedelta(days=14),
            past_due_reason="The report cannot come sooner.",
        )
    # Item 1 was judged quorate with Priya in the room: she cannot now have been online.
    with UnitOfWork(store, "Jo Minutes") as uow, pytest.raises(PanelappError, match="Reopen"):
        set_mode(uow, meeting_id, ids["Priya Psychologist"], ONLINE)
    with store.read() as session:
        assert online_member_ids(session, meeting_id) == frozenset()
        assert _mode_events(session, meeting_id) == []
    # Saying again what is already recorded changes nothing and records nothing.
    with UnitOfWork(store, "Jo Minutes") as uow:
        set_mode(uow, meeting_id, ids["Priya Psychologist"], IN_ROOM)
    with UnitOfWork(store, "Jo Minutes") as uow:
        set_mode(uow, meeting_id, ids["Priya Psychologist"], IN_ROOM)
    with store.read() as session:
        assert len(_mode_events(session, meeting_id)) == 1


def test_attendance_mode_on_the_command_line(store, store_path, capsys):
    _panel_id, meeting_id, ids = _meeting(store)
    with UnitOfWork(store, "Jo Minutes") as uow:
        for name, _ in MEMBERS:
            meetings.record_attendance(uow, meeting_id, ids[name], AttendanceStatus.PRESENT)
    store.close()
    run = lambda *a: main(["--store", str(store_path), "--as", "Jo Minutes", *a])  # noqa: E731
    assert run("attendance", "mode", str(meeting_id), "--member", "tom head", "--online") == 0
    assert "Recorded Tom Head as attending" in capsys.readouterr().out
    assert run("show", str(meeting_id)) == 0
    assert "Tom Head (online)" in capsys.readouterr().out
    assert run("attendance", "mode", str(meeting_id), "--member", "Nobody", "--online") == 2
    err = capsys.readouterr().err
    assert "not an active member" in err and "Tom Head" in err
    assert run("attendance", "mode", str(meeting_id), "--member", "Tom Head", "--in-room") == 0
    assert run("show", str(meeting_id)) == 0
    assert "(online)" not in capsys.readouterr().out
