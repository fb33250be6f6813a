"""A case's clock exceptions: the ones recorded (withdrawn ones marked), a form to record one
(kind, first and last days, evidence) and withdrawing one with a reason. A refusal says why
and what to do, and nothing typed is lost."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from panelapp.domain.deadlines import ClockException
from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import ExceptionKind
from panelapp.services.cases import add_clock_exception, withdraw_clock_exception
from panelapp.store.tables import Case
from panelapp.ui.context import AppContext
from panelapp.ui.next_steps import error_text


def _exceptions(session, case_id: int):
    case = session.get(Case, case_id)
    return [
        (r.id, ClockException(r.kind, r.start_date, r.end_date).describe(),
         r.withdrawn_at is not None)
        for r in case.exceptions
    ]  # fmt: skip


class ExceptionsDialog(QDialog):
    def __init__(self, ctx: AppContext, case_id: int, reference: str, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id = case_id
        self.setWindowTitle(f"Clock exceptions: case {reference}")
        self.list = QListWidget()
        self.kind = QComboBox()
        for k in ExceptionKind:
            self.kind.addItem(k.label, k.value)
        self.start = QDateEdit(QDate.currentDate())
        self.end = QDateEdit(QDate.currentDate().addDays(27))
        for d in (self.start, self.end):
            d.setCalendarPopup(True)
        self.evidence = QLineEdit()
        self.evidence.setPlaceholderText("what shows the exception applies")
        self.add_button = QPushButton("Record the exception")
        self.withdraw_button = QPushButton("Withdraw the selected exception...")
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote what was typed
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Kind", self.kind)
        form.addRow("First day", self.start)
        form.addRow("Last day", self.end)
        form.addRow("Evidence", self.evidence)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.withdraw_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("The due date never moves; an exception is reported beside it."))
        layout.addWidget(self.list)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self.record)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for ident, text, withdrawn in self.ctx.read(_exceptions, self.case_id):
            item = QListWidgetItem(f"{text} (withdrawn)" if withdrawn else text)
            item.setData(256, None if withdrawn else ident)
            self.list.addItem(item)

    def record(self) -> None:
        try:
            self.ctx.do(
                add_clock_exception,
                self.case_id,
                kind=ExceptionKind(self.kind.currentData()),
                start=self.start.date().toPython(),
                end=self.end.date().toPython(),
                note=self.evidence.text().strip(),
            )
        except PanelappError as exc:
            self.message.setText(error_text(exc))  # the form keeps what was typed
            return
        self.message.setText("Exception recorded.")
        self.evidence.clear()
        self.refresh()

    def withdraw(self, *, reason: str | None = None) -> None:
        item = self.list.currentItem()
        ident = item.data(256) if item else None
        if ident is None:
            self.message.setText("Select an exception that is not withdrawn first.")
            return
        if reason is None:
            reason, ok = QInputDialog.getText(self, "Withdraw the exception", "Why?")
            if not ok:
                return
        try:
            self.ctx.do(withdraw_clock_exception, ident, reason=reason)
        except PanelappError as exc:
            self.message.setText(error_text(exc))
            return
        self.message.setText("Exception withdrawn: it no longer excuses the time limit.")
        self.refresh()
