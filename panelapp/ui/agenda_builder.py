"""Preparing the agenda (operations officer): cases in order, time allocations, presenting
officers, and the papers and exports that go with them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import ItemStatus, MeetingStatus
from panelapp.services import meetings
from panelapp.services.meeting_view import MeetingView, meeting_view
from panelapp.ui.case_dialog import CaseDialog
from panelapp.ui.context import AppContext
from panelapp.ui.feedback import Banner

COLUMNS = ["#", "Child", "Request", "Statutory due", "Minutes", "Presenting officer", "Status"]


class AgendaBuilder(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: int | None = None
        self.view: MeetingView | None = None
        layout = QVBoxLayout(self)
        self.banner = Banner("Agenda preparation message")
        layout.addWidget(self.banner)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Agenda items in order")
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.buttons = QHBoxLayout()
        self.add_button = self._button("&Add a case...", self.open_case_dialog)
        self.up_button = self._button("Move &up", lambda: self.move(-1))
        self.down_button = self._button("Move do&wn", lambda: self.move(1))
        self.withdraw_button = self._button("&Withdraw from agenda...", self.withdraw)
        self.buttons.addStretch(1)
        layout.addLayout(self.buttons)
        self.total = QPushButton()
        self.total.setFlat(True)
        self.total.setEnabled(False)
        layout.addWidget(self.total, 0, Qt.AlignmentFlag.AlignRight)

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda: slot())
        self.buttons.addWidget(button)
        return button

    def show_meeting(self, meeting_id: int) -> None:
        self.meeting_id = meeting_id
        self.refresh()

    def refresh(self) -> None:
        if self.meeting_id is None:
            return
        self.view = self.ctx.read(meeting_view, self.meeting_id, self.ctx.naming)
        editable = self.view.status in (MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS)
        row_before = self.table.currentRow()
        self.table.setRowCount(len(self.view.items))
        for row, item in enumerate(self.view.items):
            due = f"{item.statutory_due:%d %b %Y}" if item.statutory_due else "—"
            for col, text in enumerate(
                [str(item.position), item.child, item.request_type.label, due]
            ):
                self.table.setItem(row, col, QTableWidgetItem(text))
            minutes = QSpinBox()
            minutes.setRange(1, 120)
            minutes.setValue(item.minutes_allocated)
            minutes.setAccessibleName(f"Minutes for item {item.position}")
            minutes.setEnabled(editable and item.status is ItemStatus.TO_DO)
            presenter = QLineEdit(item.presenting_officer)
            presenter.setAccessibleName(f"Presenting officer for item {item.position}")
            presenter.setEnabled(editable and item.status is ItemStatus.TO_DO)
            save = lambda _=None, i=item.item_id, m=minutes, p=presenter: self.save_item(i, m, p)  # noqa: E731
            minutes.editingFinished.connect(save)
            presenter.editingFinished.connect(save)
            self.table.setCellWidget(row, 4, minutes)
            self.table.setCellWidget(row, 5, presenter)
            self.table.setItem(row, 6, QTableWidgetItem(item.status.label))
        if 0 <= row_before < self.table.rowCount():
            self.table.selectRow(row_before)
        for button in (self.add_button, self.up_button, self.down_button, self.withdraw_button):
            button.setEnabled(editable)
        total = sum(
            i.minutes_allocated for i in self.view.items if i.status is not ItemStatus.WITHDRAWN
        )
        start = self.view.start_time
        end_minutes = start.hour * 60 + start.minute + total
        self.total.setText(
            f"{len(self.view.items)} items, {total} minutes: {start:%H:%M} to "
            f"{end_minutes // 60 % 24:02d}:{end_minutes % 60:02d}"
        )

    def selected_item_id(self) -> int | None:
        row = self.table.currentRow()
        if self.view is None or not 0 <= row < len(self.view.items):
            return None
        return self.view.items[row].item_id

    def save_item(self, item_id: int, minutes: QSpinBox, presenter: QLineEdit) -> None:
        current = next(i for i in self.view.items if i.item_id == item_id)
        if (minutes.value(), presenter.text()) == (
            current.minutes_allocated,
            current.presenting_officer,
        ):
            return
        try:
            self.ctx.do(
                meetings.update_item,
                item_id,
                minutes=minutes.value(),
                presenting_officer=presenter.text(),
            )
        except PanelappError as exc:
            self.banner.show_message("error", str(exc))

    def move(self, delta: int) -> None:
        item_id = self.selected_item_id()
        if item_id is None:
            self.banner.show_message("warning", "Choose an item in the list first.")
            return
        row = self.table.currentRow()
        try:
            self.ctx.do(meetings.move_item, item_id, row + 1 + delta)
        except PanelappError as exc:
            self.banner.show_message("error", str(exc))
            return
        self.refresh()
        self.table.selectRow(max(0, min(row + delta, self.table.rowCount() - 1)))

    def withdraw(self) -> None:
        item_id = self.selected_item_id()
        if item_id is None:
            self.banner.show_message("warning", "Choose an item in the list first.")
            return
        reason, ok = QInputDialog.getText(
            self, "Withdraw from agenda", "Why is the item withdrawn?"
        )
        if not ok:
            return
        try:
            self.ctx.do(meetings.withdraw_item, item_id, reason=reason)
        except PanelappError as exc:
            self.banner.show_message("error", str(exc))

    def open_case_dialog(self) -> CaseDialog:
        dialog = CaseDialog(self.ctx, self.meeting_id, self)
        dialog.open()
        return dialog
