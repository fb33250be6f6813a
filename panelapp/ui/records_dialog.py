"""Records: the council's retention setting, the children whose records have passed it, and
deleting one child's records once the officer confirms by typing the reference; and gathering
everything held about a child for a subject access request. Both run in the background (the
deletion rebuilds the store file)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date
from panelapp.domain.retention import MAX_YEARS, MIN_YEARS, MinutesRetention
from panelapp.domain.uk_time import uk_day
from panelapp.services.clock import utc_now
from panelapp.services.retention import (
    delete_child_records,
    due_for_deletion,
    retention_policy,
    set_retention_policy,
)
from panelapp.services.subject_access import export_subject_access
from panelapp.ui.context import AppContext, Background
from panelapp.ui.feedback import Banner
from panelapp.ui.next_steps import error_text

COLUMNS = ("Reference", "Cases", "Hearings", "Papers", "Last heard", "Due for deletion since")
_MINUTES = {
    MinutesRetention.KEEP: "Keep signed minutes that name the child",
    MinutesRetention.DELETE_WHEN_NO_CHILD_REMAINS: "Delete them once no child they name remains",
}


class RecordsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent=None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or uk_day(utc_now())
        self.setWindowTitle("Records: retention and subject access")
        self.resize(900, 480)
        self.years = QSpinBox()
        self.years.setRange(MIN_YEARS, MAX_YEARS)
        self.years.setSuffix(" years after the date of birth")
        self.years.setAccessibleName("Keep a child's records for")
        self.minutes = QComboBox()
        for value, label in _MINUTES.items():
            self.minutes.addItem(label, value.value)
        self.minutes.setAccessibleName("Signed minutes naming a deleted child")
        self.save_button = QPushButton("&Save the setting")
        setting = QHBoxLayout()
        setting.addWidget(QLabel("Keep a child's records for"))
        setting.addWidget(self.years)
        setting.addWidget(self.minutes, 1)
        setting.addWidget(self.save_button)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Children whose records have passed retention")
        self.empty = QLabel()
        self.delete_button = QPushButton("&Delete the selected child's records...")
        self.export_button = QPushButton("&Export for a subject access request...")
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        self.banner = Banner("Records message", self)
        layout = QVBoxLayout(self)
        layout.addLayout(setting)
        layout.addWidget(QLabel("Past retention:"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(self.banner)
        self.save_button.clicked.connect(self.save_setting)
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.export_button.clicked.connect(lambda: self.export())
        self.refresh()

    def refresh(self) -> None:
        policy = self.ctx.read(retention_policy)
        self.years.setValue(policy.years)
        self.minutes.setCurrentIndex(self.minutes.findData(policy.minutes.value))
        due = self.ctx.read(due_for_deletion, self.today)
        self.table.setRowCount(len(due))
        for row, child in enumerate(due):
            values = (
                child.reference,
                str(child.cases),
                str(child.hearings),
                str(child.papers),
                format_date(child.last_heard) if child.last_heard else "never heard",
                format_date(child.delete_on),
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        if due:
            self.table.selectRow(0)
        self.empty.setText("" if due else "No child's records have passed retention.")
        self.delete_button.setEnabled(bool(due))

    def selected_reference(self) -> str | None:
        row = self.table.currentRow()
        cell = self.table.item(row, 0) if row >= 0 else None
        return cell.text() if cell else None

    def save_setting(self) -> None:
        try:
            policy = self.ctx.run(
                set_retention_policy,
                years=self.years.value(),
                minutes=MinutesRetention(self.minutes.currentData()),
            )
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.banner.show_message("ok", f"Saved: a child's records are kept {policy.describe()}.")
        self.refresh()

    def delete_selected(self, *, typed: str | None = None) -> None:
        reference = self.selected_reference()
        if reference is None:
            self.banner.show_message("warning", "Select a child in the list first.")
            return
        if typed is None:
            typed, ok = QInputDialog.getText(
                self,
                "Delete a child's records",
                f"This deletes every record of {reference} for good; it cannot be undone.\n"
                "Type the reference to confirm:",
            )
            if not ok:
                return
        if typed.strip() != reference:
            self.banner.show_message(
                "warning", "The reference typed does not match; nothing was deleted."
            )
            return
        self.delete_button.setEnabled(False)
        self.ctx.run(
            delete_child_records,
            reference,
            today=self.today,
            background=Background(
                self,
                f"Deleting the records of {reference} and rebuilding the store file...",
                lambda report: self._deleted(reference, report),
                self._failed,
            ),
        )

    def _deleted(self, reference: str, report) -> None:
        kept = (
            f" The signed minutes of meetings {', '.join(map(str, report.minutes_kept))} still "
            "name this child and are kept, as the setting says."
            if report.minutes_kept
            else ""
        )
        self.banner.show_message(
            "ok",
            f"Deleted the records of {reference} ({report.deleted.get('cases', 0)} cases, "
            f"{report.deleted.get('agenda_items', 0)} hearings, "
            f"{report.deleted.get('papers', 0)} papers); counts are kept for the statistics."
            + kept,
        )
        self.refresh()

    def _failed(self, exc: Exception) -> None:
        message = (
            error_text(exc) if isinstance(exc, PanelappError) else "The work could not be done."
        )
        self.banner.show_message("error", message)
        self.refresh()

    def export(self, *, reference: str | None = None, folder: Path | None = None) -> None:
        if reference is None:
            reference, ok = QInputDialog.getText(
                self,
                "Subject access request",
                "The child's council reference:",
                text=self.selected_reference() or "",
            )
            if not ok or not reference.strip():
                return
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, "Where the new folder goes")
            if not chosen:
                return
            folder = Path(chosen)
        self.ctx.run(
            export_subject_access,
            reference.strip(),
            folder,
            background=Background(
                self,
                "Gathering everything held about the child...",
                self._exported,
                self._failed,
            ),
        )

    def _exported(self, result) -> None:
        self.banner.show_message(
            "ok",
            f"Wrote {len(result.files)} files to {result.folder}, with an index (index.txt). "
            "It names the child in full: check it, then give it only to the person entitled "
            "to it, by a secure route.",
        )
