"""The meeting room never changes the record behind the user's back: the wheel scrolls pages
without changing values, typed dates are the dates saved, Tab moves between fields, and after
a decision the cursor goes to the next item rather than to some other control."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QDate, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox
from sqlalchemy import select

from panelapp.domain.vocabulary import (
    AttendanceStatus,
    ItemStatus,
    Outcome,
)
from panelapp.services import meetings
from panelapp.services.roster import roster
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, Case, DeferralRow
from panelapp.ui.case_dialog import CaseDialog
from panelapp.ui.context import AppContext
from panelapp.ui.date_field import NotADate, parse_uk_date, uk_text
from panelapp.ui.main_window import MainWindow
from tests.helpers.window import activate, open_window, window_meeting


def _wheel(widget, notches: int = -1) -> None:
    """One turn of the mouse wheel with the pointer over the middle of ``widget``."""
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


def test_the_wheel_over_a_field_without_focus_changes_nothing(qtbot, store, store_path, today):
    meeting_id = window_meeting(store, today)
    window = open_window(qtbot, store, store_path, meeting_id)
    run = window.meeting_screen.run
    window.meeting_screen.tabs.setCurrentWidget(run)
    run.agenda.setFocus()
    form = run.form
    form.choose(Outcome.AGREE_TO_ASSESS)
    form.amount.setValue(100)
    form.has_start.setChecked(True)
    before = form.values()
    for field in (form.outcome, form.amount, form.hours):
        assert not field.hasFocus()
        for _ in range(3):
            _wheel(field)
            _wheel(field, +1)
            _wheel(field)
    assert form.values() == before

    # The attendance table's editors too: scrolling the table turns nobody "Present".
    page = window.meeting_screen.attendance
    window.meeting_screen.tabs.setCurrentWidget(page)
    page.table.setFocus()
    combo = page.status_combo("Tom Head")
    was = combo.currentIndex()
    _wheel(combo)
    _wheel(combo, -2)
    assert combo.currentIndex() == was
    with store.read() as session:
        assert [e.status for e in roster(session, meeting_id)].count(AttendanceStatus.PRESENT) == 5

    # With keyboard focus (clicked or tabbed into), the wheel still works as people expect.
    form_outcome = run.form.outcome
    window.meeting_screen.tabs.setCurrentWidget(run)
    form_outcome.setFocus()
    qtbot.waitUntil(form_outcome.hasFocus)
    index = form_outcome.currentIndex()
    _wheel(form_outcome, +1)
    assert form_outcome.currentIndex() == index - 1
    window.close()


def test_wheel_focus_is_never_given_by_the_wheel(qtbot, store, store_path, today):
    """Qt would otherwise give a combo box focus when the wheel turns over it, and then let
    the next notch change it."""
    meeting_id = window_meeting(store, today)
    window = open_window(qtbot, store, store_path, meeting_id)
    for combo in window.findChildren(QComboBox):
        assert combo.focusPolicy() != Qt.FocusPolicy.WheelFocus, combo.accessibleName()
    window.close()


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("15/06/2015", date(2015, 6, 15)),
        ("1/6/2015", date(2015, 6, 1)),
        ("15-06-2015", date(2015, 6, 15)),
        ("15 June 2015", date(2015, 6, 15)),
        ("2015-06-15", date(2015, 6, 15)),
    ],
)
def test_a_typed_date_of_birth_is_the_date_saved(qtbot, store, store_path, typed, saved, today):
    meeting_id = window_meeting(store, today, start=False)
    dialog = CaseDialog(AppContext(store, "ops"), meeting_id)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    qtbot.keyClicks(dialog.reference, "NB-DOB-1")
    qtbot.keyClicks(dialog.first_name, "Ada")
    qtbot.keyClicks(dialog.last_name, "Lovelace")
    dialog.date_of_birth.edit.setFocus()
    dialog.date_of_birth.edit.selectAll()
    qtbot.keyClicks(dialog.date_of_birth.edit, typed)
    qtbot.keyClick(dialog.date_of_birth.edit, Qt.Key.Key_Tab)
    dialog.add()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text()
    assert dialog.date_of_birth.edit.text() == uk_text(saved)  # shown as it was saved
    with store.read() as session:
        case = session.scalar(select(Case).where(Case.reference == "NB-DOB-1"))
        assert case.date_of_birth == saved


@pytest.mark.parametrize("typed", ["31/02/2015", "15/13/2015", "15/06/15", "yesterday", ""])
def test_an_impossible_date_is_refused_visibly_and_nothing_is_saved(
    qtbot, store, store_path, typed, today
):
    meeting_id = window_meeting(store, today, start=False)
    dialog = CaseDialog(AppContext(store, "ops"), meeting_id)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    qtbot.keyClicks(dialog.reference, "NB-DOB-2")
    qtbot.keyClicks(dialog.first_name, "Ada")
    qtbot.keyClicks(dialog.last_name, "Lovelace")
    dialog.date_of_birth.edit.setFocus()
    dialog.date_of_birth.edit.selectAll()
    qtbot.keyClicks(dialog.date_of_birth.edit, typed)
    if not typed:
        qtbot.keyClick(dialog.date_of_birth.edit, Qt.Key.Key_Delete)
    qtbot.keyClick(dialog.date_of_birth.edit, Qt.Key.Key_Tab)
    assert dialog.date_of_birth.error.isVisible()
    assert dialog.date_of_birth.edit.text() == typed  # kept for the person to correct
    dialog.add()
    assert dialog.isVisible() and dialog.banner.kind == "error"
    assert dialog.banner.text().startswith("Date of birth:")
    assert "day/month/year" in dialog.banner.text()
    with store.read() as session:
        assert session.scalar(select(Case).where(Case.reference == "NB-DOB-2")) is None


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_every_date_reads_back_as_written(day):
    assert parse_uk_date(uk_text(day)) == day
    assert parse_uk_date(f"{day.day}/{day.month}/{day.year:04d}") == day
    assert parse_uk_date(day.isoformat()) == day


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_text_is_either_a_date_or_refused_with_what_to_type(text):
    try:
        parse_uk_date(text)
    except NotADate as exc:
        assert "day/month/year" in str(exc)


@pytest.mark.qt_log_ignore("does not support")  # the offscreen test platform has no popups
def test_the_calendar_sets_the_date_shown(qtbot, store, store_path, today):
    meeting_id = window_meeting(store, today, start=False)
    dialog = CaseDialog(AppContext(store, "ops"), meeting_id)
    qtbot.addWidget(dialog)
    dialog.show()
    calendar = dialog.received.open_calendar()
    calendar.clicked.emit(QDate(2026, 2, 3))
    assert dialog.received.edit.text() == "03/02/2026"
    assert dialog.received.value() == date(2026, 2, 3)


def test_after_ctrl_enter_the_cursor_is_in_the_next_items_summary(qtbot, store, store_path, today):
    meeting_id = window_meeting(store, today)
    window = open_window(qtbot, store, store_path, meeting_id)
    run = window.meeting_screen.run
    window.meeting_screen.tabs.setCurrentWidget(run)
    run.select_item(1)
    run.focus_outcome()
    run.form.choose(Outcome.AGREE_TO_ASSESS)
    run.form.rationale.setFocus()
    qtbot.keyClicks(run.form.rationale, "Threshold met.")
    qtbot.keyClick(run.form.rationale, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: run.agenda.item(0).text().startswith("✔"))
    QApplication.processEvents()
    assert run.current_item_id() is not None and run.detail.position == 2
    assert QApplication.focusWidget() is run.notes
    # Typing "2" goes into the summary, not into the idle-lock minutes.
    lock_minutes = window.idle_minutes.value()
    qtbot.keyClicks(QApplication.focusWidget(), "2 parents attended")
    assert window.idle_minutes.value() == lock_minutes
    assert run.notes.toPlainText() == "2 parents attended"

    # A deferral likewise moves on to item 3.
    deferral = run.open_deferral_dialog()
    activate(qtbot, deferral)
    qtbot.keyClicks(deferral.reason, "Awaiting EP advice")
    qtbot.keyClicks(deferral.information, "EP advice")
    qtbot.keyClicks(deferral.provider, "EP service")
    deferral.return_date.setDate(today + timedelta(days=7))
    deferral.record()
    assert deferral.result() == deferral.DialogCode.Accepted, deferral.banner.text()
    activate(qtbot, window)  # as the window manager does when the dialog closes
    QApplication.processEvents()
    assert run.detail.position == 3
    assert QApplication.focusWidget() is run.notes
    with store.read() as session:
        statuses = session.scalars(
            select(AgendaItem.status)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position)
        ).all()
        assert statuses == [ItemStatus.DECIDED, ItemStatus.DEFERRED, ItemStatus.TO_DO]
        assert session.scalar(select(DeferralRow)).reason == "Awaiting EP advice"
    window.close()


def test_tab_moves_out_of_every_multi_line_field(qtbot, store, store_path, today):
    meeting_id = window_meeting(store, today)
    window = open_window(qtbot, store, store_path, meeting_id)
    run = window.meeting_screen.run
    window.meeting_screen.tabs.setCurrentWidget(run)
    run.select_item(1)
    qtbot.keyClick(run, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)  # jump to the summary
    assert QApplication.focusWidget() is run.notes
    qtbot.keyClicks(run.notes, "Views heard")
    qtbot.keyClick(run.notes, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not run.notes
    assert "\t" not in run.notes.toPlainText()
    run.form.rationale.setFocus()
    qtbot.keyClick(run.form.rationale, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not run.form.rationale
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is run.form.rationale
    assert "\t" not in run.form.rationale.toPlainText()

    deferral = run.open_deferral_dialog()
    activate(qtbot, deferral)
    deferral.reason.setFocus()
    qtbot.keyClick(deferral.reason, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is deferral.information
    # A date field is left with one Tab.
    deferral.return_date.setDate(today + timedelta(days=90))  # past due: a reason is asked for
    deferral.return_date.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is deferral.past_due_reason
    deferral.reject()
    window.close()


def test_each_item_opens_at_its_top(qtbot, store, store_path, today):
    meeting_id = window_meeting(store, today)
    window = open_window(qtbot, store, store_path, meeting_id)
    run = window.meeting_screen.run
    window.meeting_screen.tabs.setCurrentWidget(run)
    run.select_item(1)
    bar = run.item_scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.keyClick(run.agenda, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert run.detail.position == 2
    assert bar.value() == 0
    window.close()


@pytest.mark.parametrize(
    ("width", "height"), [(1366, 768 - 40), (1280, 720 - 30)]
)  # less a task bar
def test_on_a_laptop_screen_the_header_quorum_and_first_decision_field_show(
    qtbot, store, store_path, width, height, today
):
    meeting_id = window_meeting(store, today)
    window = open_window(qtbot, store, store_path, meeting_id)
    window.setGeometry(0, 0, width, height)
    QApplication.processEvents()
    assert (window.width(), window.height()) == (width, height)
    run = window.meeting_screen.run
    window.meeting_screen.tabs.setCurrentWidget(run)
    run.select_item(1)
    QApplication.processEvents()
    viewport = run.item_scroll.viewport()

    def shown(widget) -> bool:
        top = widget.mapTo(viewport, QPoint(0, 0)).y()
        return top >= 0 and top + widget.height() <= viewport.height()

    for widget in (run.title, run.timer_label, run.panel_state, run.form.outcome):
        assert widget.isVisible() and shown(widget), widget.accessibleName()
    window.close()


def test_messages_say_how_things_are_now(qtbot, store, store_path, today):
    meeting_id = window_meeting(store, today, start=False)
    window = open_window(qtbot, store, store_path, meeting_id)
    screen, run = window.meeting_screen, window.meeting_screen.run
    screen.tabs.setCurrentWidget(run)
    run.select_item(1)
    assert run.banner.isVisible() and "Attendance and declarations tab" in run.banner.text()

    page = screen.attendance
    page.mark_rest_present()
    page.start_meeting()
    assert "Run the meeting tab" in page.banner.text()
    qtbot.waitUntil(lambda: run.form.isEnabled())
    assert not run.banner.isVisible()  # "once the meeting has started" is gone once it has

    for n in (1, 2, 3):
        run.select_item(n)
        run.form.choose(Outcome.AGREE_TO_ASSESS)
        run.form.rationale.setPlainText("Threshold met.")
        run.record_decision()
    screen.close_meeting()
    qtbot.waitUntil(lambda: screen.status.text().startswith("Closed"))
    assert screen.banner.isVisible() and "closed" in screen.banner.text()
    screen.reopen("A rationale was incomplete")
    qtbot.waitUntil(lambda: screen.status.text().startswith("In progress"))
    assert "open again" in screen.banner.text()
    screen.close_meeting()
    qtbot.waitUntil(lambda: screen.status.text().startswith("Closed"))
    with UnitOfWork(store, "ops") as uow:  # the state changes elsewhere (another window)
        meetings.reopen_meeting(uow, meeting_id, reason="Second look")
    window.ctx.changed.emit("reopen_meeting")
    qtbot.waitUntil(lambda: screen.status.text().startswith("In progress"))
    assert not screen.banner.isVisible()  # "The meeting is closed" no longer true
    window.close()


def test_the_confirmation_repeats_what_was_saved_and_the_deferral_date_is_in_time(
    qtbot, store, store_path, today
):
    from dataclasses import replace

    from panelapp.services import corrections

    meeting_id = window_meeting(store, today)
    with store.read() as session:
        item_id = session.scalars(
            select(AgendaItem.id).where(
                AgendaItem.meeting_id == meeting_id, AgendaItem.position == 2
            )
        ).one()
        case_id = corrections.case_of_item(session, item_id)
        details = corrections.case_details(session, case_id)
    with UnitOfWork(store, "ops") as uow:  # due in 7 days: 6 weeks from a request 35 days ago
        corrections.update_case(
            uow, case_id, replace(details, request_received=today - timedelta(days=35))
        )
    window = open_window(qtbot, store, store_path, meeting_id)
    run = window.meeting_screen.run
    run.select_item(1)
    run.form.choose(Outcome.AGREE_TO_ASSESS)
    run.form.rationale.setPlainText("Threshold met.")
    run.form.has_review.setChecked(True)
    run.form.review.setDate(date(2027, 1, 5))
    run.record_decision()
    assert (
        run.banner.text() == "Decision recorded for item 1: Agree to assess, review 5 January 2027."
    )

    deferral = run.open_deferral_dialog()  # item 2, due in 7 days
    assert deferral.return_date.value() == today + timedelta(days=7)
    assert not deferral.warning.isVisible()
    deferral.reject()
    window.close()


def test_the_window_opens_maximised_on_a_screen_smaller_than_it_wants(qtbot, store, store_path):
    from panelapp.ui.main_window import PREFERRED_SIZE

    screen = QApplication.primaryScreen().availableGeometry()
    assert screen.width() < PREFERRED_SIZE[0] or screen.height() < PREFERRED_SIZE[1]
    from PySide6.QtCore import QSettings

    QSettings().remove("main/geometry")  # the first time the application is opened
    window = MainWindow(AppContext(store, "Jo Minutes"), store_path)
    qtbot.addWidget(window)
    window.show()
    assert window.isMaximized()
    assert window.height() <= screen.height()  # the status bar is on the screen
    window.close()


def test_the_attendance_tab_shows_every_member_of_the_demo_panel_at_1366_by_768(
    qtbot, store, store_path, demo
):
    window = open_window(qtbot, store, store_path, demo.meeting_id)
    window.setGeometry(0, 0, 1366, 768 - 40)
    page = window.meeting_screen.attendance
    window.meeting_screen.tabs.setCurrentWidget(page)
    QApplication.processEvents()
    rows = page.table.rowCount()
    assert rows >= 10
    last = page.table.visualItemRect(page.table.item(rows - 1, 0))
    assert last.bottom() <= page.table.viewport().height(), "members hidden below the fold"
    window.close()


def test_an_empty_store_shows_the_way_to_the_first_meeting(qtbot, store, store_path, today):
    window = MainWindow(AppContext(store, "ops"), store_path)
    qtbot.addWidget(window)
    window.show()
    assert "No meetings yet" in window.welcome_text.text()
    assert window.first_panel_button.isVisible() and window.first_meeting_button.isVisible()
    from panelapp.ui.panels_dialog import PanelsDialog

    window.first_panel_button.click()
    panels_dialog = window.findChild(PanelsDialog)
    assert panels_dialog is not None and panels_dialog.isVisible()
    panels_dialog.close()
    window_meeting(store, today, start=False)
    window.ctx.changed.emit("schedule_meeting")
    assert window.welcome_text.text() == "Choose a meeting on the left."
    assert not window.first_meeting_button.isVisible()
    window.close()
