"""Schedule a series of meetings: every N weeks on a weekday, from a date, until a date or for
a number of meetings, with a bank holiday moved to the next working day or skipped. The days
are shown before anything is scheduled."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date
from panelapp.domain.meeting_series import MOVE, SKIP, WEEKDAYS
from panelapp.services.meeting_series import plan_series, schedule_series
from panelapp.services.panels import list_panels
from panelapp.ui.context import AppContext
from panelapp.ui.next_steps import error_text


class SeriesDialog(QDialog):
    def __init__(self, ctx: AppContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Schedule a series of meetings")
        self.panel = QComboBox()
        for p in ctx.read(list_panels):
            self.panel.addItem(p.name, p.id)
        self.every = QSpinBox()
        self.every.setRange(1, 12)
        self.every.setValue(2)
        self.every.setSuffix(" week(s)")
        self.weekday = QComboBox()
        for n, name in enumerate(WEEKDAYS[:5]):
            self.weekday.addItem(name.capitalize(), n)
        self.start = QDateEdit(QDate.currentDate())
        self.start.setCalendarPopup(True)
        self.ends_on = QRadioButton("Until")
        self.ends_after = QRadioButton("Number of meetings")
        self.ends_after.setChecked(True)
        self.until = QDateEdit(QDate.currentDate().addMonths(3))
        self.count = QSpinBox()
        self.count.setRange(1, 200)
        self.count.setValue(6)
        self.time = QTimeEdit(QTime(10, 0))
        self.venue = QLineEdit()
        self.link = QLineEdit()
        self.link.setPlaceholderText("online meeting link, for hybrid meetings")
        self.holidays = QComboBox()
        self.holidays.addItem("Move to the next working day", MOVE)
        self.holidays.addItem("Skip that meeting", SKIP)
        self.days = QListWidget()
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote what was typed
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Panel", self.panel)
        form.addRow("Every", self.every)
        form.addRow("On", self.weekday)
        form.addRow("From", self.start)
        form.addRow(self.ends_after, self.count)
        form.addRow(self.ends_on, self.until)
        form.addRow("Time", self.time)
        form.addRow("Venue", self.venue)
        form.addRow("Online link", self.link)
        form.addRow("On a bank holiday", self.holidays)
        buttons = QDialogButtonBox()
        self.schedule_button = buttons.addButton("Schedule", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.schedule)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Meetings to be scheduled:"))
        layout.addWidget(self.days)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        for spin in (self.every, self.count):
            spin.valueChanged.connect(self.preview)
        for field in (self.start, self.until):
            field.dateChanged.connect(self.preview)
        for choice in (self.weekday, self.holidays):
            choice.currentIndexChanged.connect(self.preview)
        self.ends_on.toggled.connect(self.preview)
        self.scheduled: list[int] = []
        self.preview()

    def series(self):
        return plan_series(
            every_weeks=self.every.value(),
            weekday=self.weekday.currentData(),
            start=self.start.date().toPython(),
            until=self.until.date().toPython() if self.ends_on.isChecked() else None,
            count=None if self.ends_on.isChecked() else self.count.value(),
            on_holiday=self.holidays.currentData(),
        )

    def preview(self) -> None:
        self.days.clear()
        try:
            days = self.series()
        except PanelappError as exc:
            self.message.setText(error_text(exc))
            return
        self.message.setText("")
        for d in days:
            moved = (
                f" (moved from {format_date(d.moved_from)}, a bank holiday)" if d.moved_from else ""
            )
            self.days.addItem(f"{format_date(d.on)}{moved}")

    def schedule(self) -> None:
        if self.panel.currentData() is None:
            self.message.setText("Add a panel first (Panels and members).")
            return
        try:
            days = self.series()
            t = self.time.time()
            self.scheduled = self.ctx.do(
                schedule_series,
                self.panel.currentData(),
                days,
                start_time=time(t.hour(), t.minute()),
                venue=self.venue.text().strip(),
                online_link=self.link.text().strip(),
            )
        except PanelappError as exc:
            self.message.setText(error_text(exc))
            return
        self.accept()
