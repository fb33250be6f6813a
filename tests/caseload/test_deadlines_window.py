"""The Deadlines view, the planner dialog and the series dialog in a real Qt window, over the
hand-built caseload of conftest.py (today Thursday 12 March 2026)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from sqlalchemy import select

from panelapp.services.forward_plan import forward_plan
from panelapp.store.tables import Meeting
from panelapp.ui.context import AppContext
from panelapp.ui.deadlines_view import DeadlinesView
from panelapp.ui.plan_dialog import LEAVE, PlanDialog
from panelapp.ui.series_dialog import SeriesDialog

TODAY = date(2026, 3, 12)


def _column(view, c):
    return [view.table.item(n, c).text() for n in range(view.table.rowCount())]


def test_the_deadlines_view_puts_overdue_and_at_risk_cases_first_in_words(qtbot, store, caseload):
    view = DeadlinesView(AppContext(store, "Joanne Pike"), today=TODAY)
    qtbot.addWidget(view)
    view.show()
    assert _column(view, 1) == ["H-1", "C-1", "A-1", "E-1", "B-1", "D-1", "F-1"]
    status = _column(view, 0)
    assert status[0] == "Overdue" and status[1] == "Overdue"
    assert status[2].startswith("At risk") and status[3] == "On track"
    assert status[6].startswith("Date unknown: review meeting date missing")
    assert _column(view, 4)[:3] == ["26 overdue", "9 overdue", "12"]
    assert _column(view, 5)[5].endswith("19 March 2026") and _column(view, 5)[4] == "Waiting"
    assert _column(view, 6)[2].endswith("19 March 2026")
    assert "7 open case(s): 2 overdue, 1 at risk." == view.summary.text()
    # Colour only backs up the word.
    assert view.table.item(0, 0).background().color() != view.table.item(3, 0).background().color()
    view.overdue_only.setChecked(True)
    assert _column(view, 1) == ["H-1", "C-1"]


def test_the_plan_dialog_puts_on_agendas_only_what_the_officer_accepts(qtbot, store, caseload):
    ctx = AppContext(store, "Joanne Pike")
    dialog = PlanDialog(ctx, today=TODAY)
    qtbot.addWidget(dialog)
    refs = [dialog.table.item(n, 0).text() for n in range(dialog.table.rowCount())]
    assert dialog.table.item(refs.index("H-1"), 2).text() == "Late"
    # Leave C-1; move B-1 to 16 April.
    dialog.choices[refs.index("C-1")].setCurrentText(LEAVE)
    b = dialog.choices[refs.index("B-1")]
    b.setCurrentIndex(next(i for i in range(b.count()) if "16 April 2026" in b.itemText(i)))
    with store.read() as session:
        assert all(
            r.meeting_id is None for r in forward_plan(session, TODAY) if r.reference != "D-1"
        )
    dialog.apply_button.click()
    with store.read() as session:
        on = {r.reference: r.meeting_date for r in forward_plan(session, TODAY)}
    assert on["B-1"] == date(2026, 4, 16) and on["A-1"] == date(2026, 3, 19)
    assert on["C-1"] is None


def test_the_series_dialog_shows_the_moved_bank_holiday_and_schedules(qtbot, store, caseload):
    ctx = AppContext(store, "Joanne Pike")
    dialog = SeriesDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.weekday.setCurrentIndex(0)  # Monday
    dialog.every.setValue(2)
    dialog.start.setDate(QDate(2026, 3, 23))
    dialog.count.setValue(3)
    shown = [dialog.days.item(n).text() for n in range(dialog.days.count())]
    assert shown == [
        "23 March 2026",
        "7 April 2026 (moved from 6 April 2026, a bank holiday)",
        "20 April 2026",
    ]
    dialog.holidays.setCurrentIndex(1)  # skip
    assert dialog.days.count() == 3 and "moved" not in dialog.days.item(1).text()
    dialog.venue.setText("Room 4")
    dialog.schedule_button.click()
    assert len(dialog.scheduled) == 3
    with store.read() as session:
        days = set(
            session.scalars(select(Meeting.meeting_date).where(Meeting.id.in_(dialog.scheduled)))
        )
    assert days == {date(2026, 3, 23), date(2026, 4, 20), date(2026, 5, 18)}


def test_clock_exceptions_are_recorded_and_withdrawn_from_the_case(qtbot, store, caseload):
    view = DeadlinesView(AppContext(store, "Joanne Pike"), today=TODAY)
    qtbot.addWidget(view)
    view.table.selectRow(_column(view, 1).index("B-1"))  # request 25 February 2026
    dialog = view.open_exceptions()
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("family_away"))
    dialog.start.setDate(QDate(2026, 3, 1))
    dialog.end.setDate(QDate(2026, 3, 10))
    dialog.evidence.setText("school letter")
    dialog.add_button.click()
    assert "at least four weeks" in dialog.message.text()
    assert dialog.evidence.text() == "school letter" and dialog.list.count() == 0
    dialog.end.setDate(QDate(2026, 3, 31))
    dialog.add_button.click()
    assert dialog.list.count() == 1 and "withdrawn" not in dialog.list.item(0).text()
    dialog.list.setCurrentRow(0)
    dialog.withdraw(reason="Recorded against the wrong case")
    assert dialog.list.item(0).text().endswith("(withdrawn)")


def test_the_calendar_is_exported_from_the_window_without_case_data(
    qtbot, store, caseload, tmp_path
):
    from icalendar import Calendar

    view = DeadlinesView(AppContext(store, "Joanne Pike"), today=TODAY)
    qtbot.addWidget(view)
    out = tmp_path / "meetings.ics"
    view.export_calendar(out)
    assert "Wrote 4 meeting(s)" in view.summary.text()
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert {str(e["summary"]) for e in events} == {"SEND Panel"}
    assert not any(ref in out.read_text() for ref in ("A-1", "B-1", "Zara", "Ahmed", "2018"))
