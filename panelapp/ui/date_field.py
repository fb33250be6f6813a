"""A date field that takes a date typed in UK order (15/06/2015), or picked from a calendar,
and says plainly when what was typed is not a date.

Qt's own date editor types into fixed sections, so typing a whole date into it can leave a
different date than the one typed. Here the text is the date: what is saved is what the field
shows, and text that is not a real date is marked and kept for the person to correct.
"""

from __future__ import annotations

import datetime
import re
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from panelapp.ui import palette
from panelapp.ui.next_steps import error_text

_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d+)")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS = re.compile(r"(\d{1,2})\s+([a-z]+)\.?,?\s+(\d+)")

HINT = "Type the date as day/month/year, e.g. 15/06/2015, or pick it from the calendar."


class NotADate(ValueError):
    """Raised with a message that says what to type instead."""


def parse_uk_date(text: str) -> date:
    """A date typed in UK order: 15/06/2015, 15-6-2015, 15.06.2015, 15 June 2015 or
    2015-06-15. Anything else, or a day that does not exist, raises NotADate."""
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise NotADate("No date given. " + HINT)
    if m := _ISO.fullmatch(cleaned):
        year, month, day = (int(g) for g in m.groups())
    elif m := _NUMERIC.fullmatch(cleaned):
        day, month, year = (int(g) for g in m.groups())
        if len(m.group(3)) != 4:
            raise NotADate(f"Write the year in full (four digits). {HINT}")
    elif (m := _WORDS.fullmatch(cleaned)) and m.group(2) in _MONTHS:
        day, month, year = int(m.group(1)), _MONTHS[m.group(2)], int(m.group(3))
        if len(m.group(3)) != 4:
            raise NotADate(f"Write the year in full (four digits). {HINT}")
    else:
        raise NotADate(f"That is not a date. {HINT}")
    if not 1 <= month <= 12:
        raise NotADate(f"There is no month {month}. {HINT}")
    try:
        return date(year, month, day)
    except ValueError:
        raise NotADate(f"{day}/{month:02d}/{year} does not exist. {HINT}") from None


def uk_text(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class DateField(QWidget):
    """A typed date with a calendar button. ``value()`` is the date shown, or None while the
    text is not a date (``problem()`` then says why)."""

    dateChanged = Signal(QDate)  # noqa: N815 - the name QDateEdit uses

    def __init__(self, initial: QDate | date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("dd/mm/yyyy")
        self.edit.setToolTip(HINT + " F4 opens the calendar.")
        self.edit.setMaximumWidth(160)
        row.addWidget(self.edit)
        self.calendar_button = QToolButton()
        self.calendar_button.setText("Calendar")
        self.calendar_button.setToolTip("Pick the date from a calendar (F4)")
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # one Tab leaves the field
        self.calendar_button.clicked.connect(self.open_calendar)
        row.addWidget(self.calendar_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.error = QLabel()  # one line, so the form makes room for it
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # says what was typed
        self.error.setStyleSheet(palette.text_style(palette.ERROR_TEXT))
        self.error.hide()
        layout.addWidget(self.error)
        self.setFocusProxy(self.edit)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.calendar: QCalendarWidget | None = None
        self._value: date | None = None
        self._problem = ""
        self.edit.textChanged.connect(self._text_changed)
        self.edit.editingFinished.connect(self._tidy)
        QShortcut(
            QKeySequence("F4"),
            self.edit,
            self.open_calendar,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        if initial is not None:
            self.setDate(initial)

    # The part of QDateEdit's interface the forms use.
    def setDate(self, value: QDate | date) -> None:  # noqa: N802
        if isinstance(value, QDate):
            value = date(value.year(), value.month(), value.day())
        self.edit.setText(uk_text(value))

    def date(self) -> QDate:
        """The date shown (an invalid QDate while the text is not a date)."""
        return _qdate(self._value) if self._value else QDate()

    def setAccessibleName(self, name: str) -> None:  # noqa: N802
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)

    def value(self) -> datetime.date | None:  # (``date`` here is the method above)
        return self._value

    def problem(self) -> str:
        return self._problem

    def text(self) -> str:
        return self.edit.text()

    def _text_changed(self, text: str) -> None:
        before = self._value
        try:
            self._value = parse_uk_date(text)
        except NotADate as exc:
            self._value = None
            self._problem = error_text(exc)
            if self.edit.hasFocus() and not self.error.isVisible():
                return  # still typing: judge it when the person leaves the field
            self._show_problem()
        else:
            self._problem = ""
            self._show_problem()
        if self._value is not None and self._value != before:
            self.dateChanged.emit(_qdate(self._value))

    def _show_problem(self) -> None:
        bad = bool(self._problem)
        self.edit.setStyleSheet(palette.invalid_input_style() if bad else "")
        self.error.setText(
            self._problem.split(". ")[0].rstrip(".") + ": type dd/mm/yyyy." if bad else ""
        )
        self.error.setToolTip(self._problem)
        self.error.setVisible(bad)

    def _tidy(self) -> None:
        """On leaving the field: write a good date out in full, mark a bad one."""
        if self._value is not None:
            if self.edit.text() != uk_text(self._value):
                self.edit.setText(uk_text(self._value))
        else:
            self._show_problem()

    def open_calendar(self) -> QCalendarWidget:
        calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setGridVisible(True)
        if self._value is not None:
            calendar.setSelectedDate(_qdate(self._value))
        calendar.clicked.connect(self._picked)
        calendar.activated.connect(self._picked)
        calendar.move(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        calendar.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        calendar.show()
        calendar.setFocus()
        self.calendar = calendar
        return calendar

    def _picked(self, chosen: QDate) -> None:
        self.setDate(chosen)
        if self.calendar is not None:
            self.calendar.close()
            self.calendar = None
        self.edit.setFocus()


def first_date_problem(fields: dict[str, DateField]) -> str | None:
    """'Date of birth: ...' for the first field whose text is not a date, else None."""
    for label, field in fields.items():
        field._tidy()  # what is saved is what is shown
        if field.isEnabled() and field.value() is None:
            field.edit.setFocus()
            field._show_problem()
            return f"{label}: {field.problem()}"
    return None
