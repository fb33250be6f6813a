"""Plan the next meetings: the planner's proposal for each waiting case, which the officer
accepts, moves to another meeting or leaves. Nothing is put on an agenda until "Put on the
agendas" is pressed, and then only the cases not left."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date
from panelapp.services.forward_plan import open_slots
from panelapp.services.planner import apply_plan, plan_meetings
from panelapp.ui.context import AppContext
from panelapp.ui.next_steps import error_text

LEAVE = "Leave for now"


class PlanDialog(QDialog):
    def __init__(self, ctx: AppContext, parent=None, *, today: date) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Plan the next meetings")
        self.resize(800, 480)
        self.proposals = ctx.read(plan_meetings, today)
        slots = ctx.read(open_slots, today)
        self.table = QTableWidget(len(self.proposals), 4)
        self.table.setHorizontalHeaderLabels(("Case", "Due", "Proposed", "Meeting"))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.choices: list[QComboBox] = []
        for n, p in enumerate(self.proposals):
            self.table.setItem(n, 0, QTableWidgetItem(p.reference))
            self.table.setItem(n, 1, QTableWidgetItem(format_date(p.due) if p.due else p.note))
            word = (
                "No room"
                if p.meeting_id is None
                else "Late"
                if p.late
                else "In time"
                if p.due
                else "No date"
            )
            self.table.setItem(n, 2, QTableWidgetItem(word))
            combo = QComboBox()
            combo.addItem(LEAVE, None)
            for s in slots:
                late = " (after the due date)" if p.due and s.on > p.due else ""
                combo.addItem(f"{s.panel_name}, {format_date(s.on)}{late}", s.meeting_id)
                if s.meeting_id == p.meeting_id:
                    combo.setCurrentIndex(combo.count() - 1)
            self.choices.append(combo)
            self.table.setCellWidget(n, 3, combo)
        self.message = QLabel(
            "Nothing is on an agenda yet. Choose a meeting for each case, or leave it."
            if self.proposals
            else "No case is waiting for a meeting."
        )
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote what was typed
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton(
            "Put on the agendas", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.applied: list[int] = []

    def accepted_pairs(self) -> list[tuple[int, int]]:
        return [
            (p.case_id, combo.currentData())
            for p, combo in zip(self.proposals, self.choices, strict=True)
            if combo.currentData() is not None
        ]

    def apply(self) -> None:
        try:
            self.applied = self.ctx.do(apply_plan, self.accepted_pairs())
        except PanelappError as exc:
            self.message.setText(error_text(exc))
            return
        self.accept()
