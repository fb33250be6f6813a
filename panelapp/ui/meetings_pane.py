"""The list of meetings: upcoming first, then past ones."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from panelapp.domain.formatting import short_weekday_date
from panelapp.services.meeting_view import list_meetings
from panelapp.services.team_checkout import checkouts
from panelapp.ui.context import AppContext


class MeetingsPane(QWidget):
    meeting_chosen = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.setMinimumWidth(210)
        layout.addWidget(QLabel("<b>Meetings</b>"))
        self.list = QListWidget()
        self.list.setAccessibleName("Meetings")
        self.list.currentItemChanged.connect(lambda current, _previous: self._chosen(current))
        layout.addWidget(self.list)

    def refresh(self) -> None:
        current = self.list.currentItem()
        selected = current.data(Qt.ItemDataRole.UserRole) if current else None
        rows = self.ctx.read(list_meetings)
        out = self.ctx.read(checkouts)
        self.list.blockSignals(True)  # rebuilding the list is not a new choice
        today = date.today()
        upcoming = sorted((r for r in rows if r[2] >= today), key=lambda r: r[2])
        past = [r for r in rows if r[2] < today]
        self.list.clear()
        for heading, group in (("Upcoming and today", upcoming), ("Past", past)):
            if not group:
                continue
            header = QListWidgetItem(heading)
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(header)
            for mid, panel, on, status, count in group:
                text = f"{short_weekday_date(on)}\n{panel}\n{count} items · {status.label}"
                if mid in out:  # run offline on a laptop until it is checked in
                    text += f"\nchecked out to {out[mid].to} ({out[mid].machine})"
                entry = QListWidgetItem(text)
                entry.setData(Qt.ItemDataRole.UserRole, mid)
                self.list.addItem(entry)
                if mid == selected:
                    self.list.setCurrentItem(entry)
        self.list.blockSignals(False)

    def select(self, meeting_id: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == meeting_id:
                if self.list.currentRow() == row:
                    self.meeting_chosen.emit(meeting_id)
                else:
                    self.list.setCurrentRow(row)  # announces the choice itself
                return

    def _chosen(self, entry: QListWidgetItem | None) -> None:
        if entry is None:
            return
        mid = entry.data(Qt.ItemDataRole.UserRole)
        if mid is not None:
            self.meeting_chosen.emit(mid)
