"""The Deadlines view: every open case's next statutory date, days left, its meeting, and the
last meeting that can still hear it in time. Overdue and at-risk cases stand out by a word in
their own column and by colour (never colour alone). From here the officer plans the next
meetings and schedules a series."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date
from panelapp.domain.uk_time import uk_day
from panelapp.services.calendar_export import export_calendar
from panelapp.services.clock import utc_now
from panelapp.services.forward_plan import (
    AT_RISK,
    OVERDUE,
    UNKNOWN,
    CaseDeadline,
    forward_plan,
)
from panelapp.ui import palette
from panelapp.ui.context import AppContext
from panelapp.ui.next_steps import error_text

COLUMNS = ("Status", "Case", "Time limit", "Due", "Days left", "Agenda", "Last meeting in time")
_COLOURS = {
    OVERDUE: palette.ROW_OVERDUE,
    AT_RISK: palette.ROW_AT_RISK,
    UNKNOWN: palette.ROW_UNKNOWN,
}


def _day(d: date | None) -> str:
    return format_date(d) if d else ""


class DeadlinesView(QDialog):
    def __init__(self, ctx: AppContext, parent=None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or uk_day(utc_now())
        self.setWindowTitle("Deadlines")
        self.resize(1000, 520)
        self.overdue_only = QCheckBox("Only overdue cases")
        self.within = QComboBox()
        for label, days in (("Any time", None), ("Within 2 weeks", 14), ("Within 6 weeks", 42)):
            self.within.addItem(label, days)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # a file's name as chosen
        self.plan_button = QPushButton("Plan the next meetings...")
        self.series_button = QPushButton("Schedule a series...")
        self.calendar_button = QPushButton("Export calendar...")
        self.calendar_button.setToolTip("The meetings as an .ics file for calendars (no case data)")
        self.calendar_button.clicked.connect(self.choose_calendar_file)
        self.exceptions_button = QPushButton("Clock exceptions...")
        self.exceptions_button.setToolTip("Record or withdraw exceptions for the selected case")
        self.exceptions_button.clicked.connect(self.open_exceptions)
        self.plan_button.clicked.connect(self.open_planner)
        self.series_button.clicked.connect(self.open_series)
        filters = QHBoxLayout()
        filters.addWidget(self.within)
        filters.addWidget(self.overdue_only)
        filters.addStretch(1)
        filters.addWidget(self.exceptions_button)
        filters.addWidget(self.plan_button)
        filters.addWidget(self.series_button)
        filters.addWidget(self.calendar_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        self.overdue_only.toggled.connect(self.refresh)
        self.within.currentIndexChanged.connect(self.refresh)
        self.rows: list[CaseDeadline] = []
        self.refresh()

    def refresh(self) -> None:
        self.rows = self.ctx.read(
            forward_plan,
            self.today,
            within=self.within.currentData(),
            overdue_only=self.overdue_only.isChecked(),
        )
        self.table.setRowCount(len(self.rows))
        for n, r in enumerate(self.rows):
            if r.due is None or r.days_left is None:
                days = ""
            elif r.days_left < 0:
                days = f"{-r.days_left} overdue"
            else:
                days = str(r.days_left)
            agenda = (
                f"Meeting {r.meeting_id}, {_day(r.meeting_date)}" if r.meeting_id else "Waiting"
            )
            last = (
                f"Meeting {r.last_meeting_id}, {_day(r.last_meeting_date)}"
                if r.last_meeting_id
                else "None scheduled in time"
            )
            state = r.state.capitalize() + (f": {r.note}" if r.note else "")
            cells = (state, r.reference, r.clock_name, _day(r.due), days, agenda, last)
            colour = _COLOURS.get(r.state)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if colour:
                    item.setBackground(palette.brush(colour))
                self.table.setItem(n, c, item)
        overdue = sum(r.state == OVERDUE for r in self.rows)
        risk = sum(r.state == AT_RISK for r in self.rows)
        self.summary.setText(f"{len(self.rows)} open case(s): {overdue} overdue, {risk} at risk.")

    def open_exceptions(self):
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            self.summary.setText("Select a case first, then its clock exceptions.")
            return None
        from panelapp.ui.exceptions_dialog import ExceptionsDialog

        r = self.rows[row]
        dialog = ExceptionsDialog(self.ctx, r.case_id, r.reference, self)
        dialog.finished.connect(lambda _: self.refresh())
        dialog.open()
        return dialog

    def choose_calendar_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(
            self, "Export the meetings' calendar", "panel-meetings.ics", "Calendar (*.ics)"
        )
        if path:
            self.export_calendar(Path(path))

    def export_calendar(self, path: Path) -> None:
        """Write the .ics file (replacing one the officer chose to overwrite), audited."""
        try:
            result = export_calendar(
                self.ctx.require_store(), self.ctx.actor, path, overwrite=path.exists()
            )
        except PanelappError as exc:
            self.summary.setText(error_text(exc))
            return
        self.summary.setText(
            f"Wrote {result.meetings} meeting(s) to {result.path.name}. It holds no case data."
        )

    def open_planner(self) -> None:
        from panelapp.ui.plan_dialog import PlanDialog

        dialog = PlanDialog(self.ctx, self, today=self.today)
        dialog.exec()
        self.refresh()

    def open_series(self) -> None:
        from panelapp.ui.series_dialog import SeriesDialog

        dialog = SeriesDialog(self.ctx, self)
        dialog.exec()
        self.refresh()
