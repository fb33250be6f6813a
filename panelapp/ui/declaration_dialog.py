"""Declaring an interest: who, in which item (or all), its nature, and when they left."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import ItemStatus
from panelapp.services import declarations
from panelapp.services.meeting_view import MeetingView
from panelapp.services.roster import RosterEntry
from panelapp.ui.context import AppContext
from panelapp.ui.feedback import Banner, ok_cancel
from panelapp.ui.next_steps import error_text


class DeclarationDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        view: MeetingView,
        members: list[RosterEntry],
        parent: QWidget | None = None,
        *,
        item_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view = view
        self.setWindowTitle("Declare an interest")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.member = QComboBox()
        self.member.setAccessibleName("Member declaring")
        for m in members:
            self.member.addItem(f"{m.name} ({m.roles_label})", m.member_id)
        form.addRow("&Member:", self.member)
        self.item = QComboBox()
        self.item.setAccessibleName("Item the interest is in")
        self.item.addItem("All items", None)
        for it in view.items:
            self.item.addItem(f"{it.position}. {it.child}: {it.request_type.label}", it.item_id)
        if item_id is not None:
            self.item.setCurrentIndex(self.item.findData(item_id))
        form.addRow("&Item:", self.item)
        self.nature = QLineEdit()
        self.nature.setAccessibleName("Nature of the interest")
        self.nature.setPlaceholderText("e.g. governor of the proposed school")
        form.addRow("&Nature of interest:", self.nature)
        self.remained = QCheckBox(
            "Remained in the meeting (only where the terms of reference allow 'declared, remained')"
        )
        form.addRow("", self.remained)
        self.before = QCheckBox("Declared before the meeting (their pack leaves this item out)")
        self.before.setChecked(view.status.value == "scheduled")
        form.addRow("", self.before)
        self.left_at = QTimeEdit(QTime.currentTime())
        self.left_at.setAccessibleName("Left the meeting at")
        form.addRow("&Left the meeting at:", self.left_at)
        self.correction = QLineEdit()
        self.correction.setAccessibleName("Reason for the correction")
        self.correction.setPlaceholderText(
            "This item is already taken: only as a correction while amending signed minutes"
        )
        self.correction_label = QLabel("&Correction, because:")
        self.correction_label.setBuddy(self.correction)
        form.addRow(self.correction_label, self.correction)
        self.item.currentIndexChanged.connect(self._show_correction)
        self._show_correction()
        layout.addLayout(form)
        self.banner = Banner("Declaration problem")
        layout.addWidget(self.banner)
        layout.addWidget(ok_cancel(self, "Record declaration", self.record))

    def _taken(self) -> bool:
        item_id = self.item.currentData()
        return any(
            i.item_id == item_id and i.status in (ItemStatus.DECIDED, ItemStatus.DEFERRED)
            for i in self.view.items
        )

    def _show_correction(self) -> None:
        """A declaration on an item already decided is only ever a correction, with a reason."""
        taken = self._taken()
        self.correction.setVisible(taken)
        self.correction_label.setVisible(taken)
        self.left_at.setEnabled(not taken)

    def record(self) -> None:
        left = self.left_at.time()
        correction = self.correction.text() if self._taken() else None
        try:
            self.ctx.do(
                declarations.declare_interest,
                self.view.meeting_id,
                self.member.currentData(),
                item_id=self.item.currentData(),
                nature=self.nature.text(),
                before_meeting=self.before.isChecked(),
                remained=self.remained.isChecked(),
                left_at=None if self.before.isChecked() else time(left.hour(), left.minute()),
                correction_reason=correction,
            )
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.accept()
