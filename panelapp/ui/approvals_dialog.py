"""Chief officers' approval: the signed decisions and where each stands, and recording an
approval or a return (who, role, date, comment). A return puts the case back on the panel's
next agenda, which the banner says."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date
from panelapp.domain.uk_time import uk_day
from panelapp.services.approvals import (
    AWAITING,
    DEFAULT_ROLE,
    ApprovalListing,
    approval_for_item,
    list_approvals,
    record_approval,
)
from panelapp.services.clock import utc_now
from panelapp.services.papers import item_id_at
from panelapp.ui.context import AppContext
from panelapp.ui.feedback import Banner
from panelapp.ui.next_steps import error_text

COLUMNS = ("Meeting", "Item", "Child", "Reference", "Decision", "Approval")


class ApprovalsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent=None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or uk_day(utc_now())
        self.rows: list[ApprovalListing] = []
        self.setWindowTitle("Chief officers' approval")
        self.resize(1000, 560)
        self.pending_only = QCheckBox("Only decisions &awaiting approval")
        self.pending_only.setChecked(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.setAccessibleName("Signed decisions and their approval")
        self.table.verticalHeader().hide()
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.officer = QLineEdit()
        self.officer.setAccessibleName("Chief officer's name")
        self.role = QLineEdit(DEFAULT_ROLE)
        self.role.setAccessibleName("Chief officer's role")
        self.on = QDateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("d MMMM yyyy")
        self.on.setMaximumDate(QDate(self.today.year, self.today.month, self.today.day))
        self.on.setAccessibleName("Date of the approval or return")
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(
            "The chief officer's comment (for a return: what to look at)"
        )
        self.comment.setAccessibleName("Comment")
        self.comment.setFixedHeight(70)
        form = QFormLayout()
        form.addRow("Chief &officer", self.officer)
        form.addRow("&Role", self.role)
        form.addRow("&Date", self.on)
        form.addRow("&Comment", self.comment)
        self.approve_button = QPushButton("A&pprove")
        self.return_button = QPushButton("Re&turn to the panel")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.return_button)
        self.banner = Banner("Approvals message", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pending_only)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.banner)
        self.pending_only.toggled.connect(lambda _: self.refresh())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.approve_button.clicked.connect(lambda: self.record(approved=True))
        self.return_button.clicked.connect(lambda: self.record(approved=False))
        self.refresh()

    def refresh(self) -> None:
        self.rows = self.ctx.read(list_approvals, pending_only=self.pending_only.isChecked())
        self.table.setRowCount(len(self.rows))
        for row, listing in enumerate(self.rows):
            values = (
                format_date(listing.meeting_date),
                str(listing.item_position),
                listing.child,
                listing.reference,
                listing.outcome,
                listing.words,
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeRowsToContents()
        if self.rows:
            self.empty.setText("")
        elif self.pending_only.isChecked():
            self.empty.setText(
                "No decision is awaiting a chief officer's approval. Decisions appear here once "
                "the chair has signed their meeting's minutes."
            )
        else:
            self.empty.setText(
                "No meeting's minutes are signed yet, so there is nothing to approve."
            )
        if self.rows:
            self.table.selectRow(0)
        self._selection_changed()

    def selected(self) -> ApprovalListing | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _selection_changed(self) -> None:
        listing = self.selected()
        open_ = listing is not None and listing.status == AWAITING
        self.approve_button.setEnabled(open_)
        self.return_button.setEnabled(open_)

    def record(self, *, approved: bool) -> None:
        listing = self.selected()
        if listing is None:
            self.banner.show_message("warning", "Select a decision in the list first.")
            return
        when = self.on.date()
        try:
            self.ctx.run(
                record_approval,
                listing.meeting_id,
                item=listing.item_position,
                officer=self.officer.text(),
                role=self.role.text(),
                approved=approved,
                comment=self.comment.toPlainText(),
                on=date(when.year(), when.month(), when.day()),
            )
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        now = self.ctx.read(
            lambda session: approval_for_item(
                session, item_id_at(session, listing.meeting_id, listing.item_position)
            )
        )
        self.comment.clear()
        where = f": {now.words}" if now is not None else " is recorded"
        self.banner.show_message("ok", f"{listing.child}, item {listing.item_position}{where}.")
        self.refresh()
