"""The Actions tab: the actions agreed at this meeting (add, edit, complete, reopen, with
buttons and a right-click menu), and the matters arising: open actions of the panel's earlier
meetings, overdue ones marked in colour and in words."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date
from panelapp.services import actions
from panelapp.services.meeting_view import meeting_view
from panelapp.ui import palette
from panelapp.ui.context import AppContext
from panelapp.ui.date_field import DateField
from panelapp.ui.feedback import Banner
from panelapp.ui.next_steps import error_text

OVERDUE = palette.brush(palette.ERROR_TEXT)
_HEADERS = ["What", "Owner", "Due", "On", "Status"]


def _status_text(a: actions.ActionListing) -> str:
    if a.done:
        return f"Done {format_date(a.done_on)}" if a.done_on else "Done"
    return "Open, overdue" if a.overdue else "Open"


def _fill(table: QTableWidget, rows: list[actions.ActionListing], *, meeting_column: bool) -> None:
    table.setRowCount(len(rows))
    for r, a in enumerate(rows):
        on = f"Item {a.item_position}" if a.item_position else "The meeting"
        if meeting_column:
            on = f"{on}, {format_date(a.meeting_date)}"
        cells = [
            a.description,
            a.owner,
            format_date(a.due_date) if a.due_date else "",
            on,
            _status_text(a),
        ]
        for c, text in enumerate(cells):
            cell = QTableWidgetItem(text)
            cell.setData(Qt.ItemDataRole.UserRole, a.id)
            cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if a.overdue:
                cell.setForeground(OVERDUE)
            table.setItem(r, c, cell)


class ActionDialog(QDialog):
    """Add an action, or change one (``listing`` given)."""

    def __init__(self, ctx: AppContext, meeting_id: int, listing=None, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.listing = listing
        self.setWindowTitle("Change an action" if listing else "Add an action")
        layout = QVBoxLayout(self)
        self.banner = Banner("Action message")
        layout.addWidget(self.banner)
        form = QFormLayout()
        self.description = QLineEdit(listing.description if listing else "")
        self.description.setAccessibleName("What is to be done")
        form.addRow("&What is to be done", self.description)
        self.owner = QLineEdit(listing.owner if listing else "")
        self.owner.setAccessibleName("Owner")
        self.owner.setPlaceholderText("a member or a named officer")
        form.addRow("&Owner", self.owner)
        self.due = DateField(listing.due_date if listing and listing.due_date else None)
        self.due.setAccessibleName("Due date")
        form.addRow("&Due by", self.due)
        self.item = QComboBox()
        self.item.setAccessibleName("On")
        self.item.addItem("The meeting as a whole", None)
        view = ctx.read(meeting_view, meeting_id, ctx.naming, mask_free_text=False)
        for it in view.items:
            self.item.addItem(f"Item {it.position}", it.item_id)
        self.item.setEnabled(listing is None)
        form.addRow("O&n", self.item)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        if self.due.problem():
            self.banner.show_message("error", self.due.problem())
            return
        due = self.due.value()
        try:
            if self.listing is None:
                if due is None:
                    raise PanelappError("Give the date the action is due by.")
                self.ctx.do(
                    actions.add_action,
                    self.meeting_id,
                    description=self.description.text(),
                    owner=self.owner.text(),
                    due_date=due,
                    item_id=self.item.currentData(),
                )
            else:
                self.ctx.do(
                    actions.edit_action,
                    self.listing.id,
                    description=self.description.text(),
                    owner=self.owner.text(),
                    due_date=due,
                )
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.accept()


class CompleteDialog(QDialog):
    """Mark an action done: when, and a note of what was done."""

    def __init__(self, ctx: AppContext, action_id: int, today: date, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.action_id = action_id
        self.setWindowTitle("Complete an action")
        layout = QVBoxLayout(self)
        self.banner = Banner("Completion message")
        layout.addWidget(self.banner)
        form = QFormLayout()
        self.on = DateField(today)
        self.on.setAccessibleName("Done on")
        form.addRow("Done &on", self.on)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Note")
        self.note.setToolTip("What was done. Kept with the action, not in the audit trail.")
        form.addRow("&Note", self.note)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        if self.on.value() is None:
            self.banner.show_message("error", self.on.problem() or "Give the date it was done.")
            return
        try:
            self.ctx.do(
                actions.complete_action,
                self.action_id,
                note=self.note.toPlainText(),
                on=self.on.value(),
            )
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.accept()


class ActionsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: int | None = None
        self.rows: list[actions.ActionListing] = []
        self.arising: list[actions.ActionListing] = []
        layout = QVBoxLayout(self)
        self.banner = Banner("Actions message")
        layout.addWidget(self.banner)

        arising_box = QGroupBox("Matters arising: open actions from earlier meetings")
        arising_layout = QVBoxLayout(arising_box)
        self.arising_table = self._table("Matters arising")
        arising_layout.addWidget(self.arising_table)
        layout.addWidget(arising_box)

        box = QGroupBox("Actions agreed at this meeting")
        box_layout = QVBoxLayout(box)
        self.table = self._table("Actions")
        box_layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add an action...")
        self.edit_button = QPushButton("&Edit...")
        self.complete_button = QPushButton("Comp&lete...")
        self.reopen_button = QPushButton("Reo&pen")
        for button in (self.add_button, self.edit_button, self.complete_button, self.reopen_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        box_layout.addLayout(buttons)
        layout.addWidget(box, 1)
        self.add_button.clicked.connect(lambda: self.open_add())
        self.edit_button.clicked.connect(lambda: self.open_edit())
        self.complete_button.clicked.connect(lambda: self.open_complete())
        self.reopen_button.clicked.connect(lambda: self.reopen())
        for table in (self.table, self.arising_table):
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            for text, slot in (
                ("Edit this action...", self.open_edit),
                ("Complete this action...", self.open_complete),
                ("Reopen this action", self.reopen),
            ):
                menu_action = QAction(text, table)
                menu_action.triggered.connect(lambda _=False, s=slot, t=table: s(t))
                table.addAction(menu_action)
        self.table.itemSelectionChanged.connect(self._enable)
        self.arising_table.itemSelectionChanged.connect(self._enable)

    def _table(self, name: str) -> QTableWidget:
        table = QTableWidget(0, len(_HEADERS))
        table.setHorizontalHeaderLabels(_HEADERS)
        table.setAccessibleName(name)
        table.verticalHeader().hide()
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return table

    def show_meeting(self, meeting_id: int) -> None:
        self.meeting_id = meeting_id
        self.banner.clear_message()
        self.refresh()

    def refresh(self) -> None:
        if self.meeting_id is None or self.ctx.store is None:
            return
        self.rows = self.ctx.read(actions.list_actions, meeting_id=self.meeting_id)
        self.arising = self.ctx.read(actions.matters_arising, self.meeting_id)
        _fill(self.table, self.rows, meeting_column=False)
        _fill(self.arising_table, self.arising, meeting_column=True)
        self._enable()

    def _selected(self, table: QTableWidget | None = None) -> actions.ActionListing | None:
        tables = [table] if table is not None else [self.table, self.arising_table]
        for t in tables:
            selected = t.selectedItems()
            if selected:
                action_id = selected[0].data(Qt.ItemDataRole.UserRole)
                rows = self.rows if t is self.table else self.arising
                return next((a for a in rows if a.id == action_id), None)
        return None

    def _enable(self) -> None:
        chosen = self._selected()
        self.edit_button.setEnabled(chosen is not None and not chosen.done)
        self.complete_button.setEnabled(chosen is not None and not chosen.done)
        self.reopen_button.setEnabled(chosen is not None and chosen.done)

    def open_add(self) -> ActionDialog | None:
        if self.meeting_id is None:  # the page is shown with a meeting
            return None
        dialog = ActionDialog(self.ctx, self.meeting_id, parent=self)
        dialog.accepted.connect(lambda: self._done("The action is added."))
        dialog.open()
        return dialog

    def open_edit(self, table: QTableWidget | None = None) -> ActionDialog | None:
        chosen = self._selected(table)
        if chosen is None:
            self.banner.show_message("error", "Choose an action first.")
            return None
        dialog = ActionDialog(self.ctx, chosen.meeting_id, chosen, parent=self)
        dialog.accepted.connect(lambda: self._done("The action is changed."))
        dialog.open()
        return dialog

    def open_complete(self, table: QTableWidget | None = None) -> CompleteDialog | None:
        chosen = self._selected(table)
        if chosen is None:
            self.banner.show_message("error", "Choose an action first.")
            return None
        from panelapp.domain.uk_time import uk_day
        from panelapp.services.clock import utc_now

        dialog = CompleteDialog(self.ctx, chosen.id, uk_day(utc_now()), parent=self)
        dialog.accepted.connect(lambda: self._done("The action is marked done."))
        dialog.open()
        return dialog

    def reopen(self, table: QTableWidget | None = None) -> None:
        chosen = self._selected(table)
        if chosen is None:
            self.banner.show_message("error", "Choose an action first.")
            return
        try:
            self.ctx.do(actions.reopen_action, chosen.id)
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self._done("The action is open again.")

    def _done(self, message: str) -> None:
        self.refresh()
        self.banner.show_message("ok", message)
