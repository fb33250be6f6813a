"""The list of meetings: upcoming first, then past ones."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from panelapp.domain.formatting import short_weekday_date
from panelapp.services.meeting_view import meeting_list
from panelapp.ui.context import AppContext


class MeetingsPane(QWidget):
    meeting_chosen = Signal(int)
    #: the list was drawn again (what it shows changed)
    rebuilt = Signal()

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
        #: what the list shows (the rows and the day they were split on), to skip a rebuild
        self._shows: tuple | None = None
        self._refresh_job = ("meetings list", id(self))

    def refresh_soon(self) -> None:
        """Refresh on a turn of the event loop of its own, after the meeting in view is drawn
        (several changes at once, one refresh)."""
        self.ctx.turns.later(self._refresh_job, self.refresh)

    def refresh(self) -> None:
        """Read the list (one statement) and rebuild it only when what it shows has changed:
        most changes (a decision, a declaration, a paper) leave every meeting's date, status
        and number of items as they were, and rebuilding 500 entries held the window."""
        self.ctx.turns.cancel(self._refresh_job)
        if self.ctx.store is None:  # locked or closed since the change: drawn when unlocked
            return
        rows = self.ctx.read(meeting_list)
        today = date.today()
        shows = (tuple(rows), today)
        if shows == self._shows:
            return
        self._shows = shows
        current = self.list.currentItem()
        selected = current.data(Qt.ItemDataRole.UserRole) if current else None
        self.list.blockSignals(True)  # rebuilding the list is not a new choice
        upcoming = sorted(
            (r for r in rows if r.meeting_date >= today), key=lambda r: r.meeting_date
        )
        past = [r for r in rows if r.meeting_date < today]
        self.list.clear()
        for heading, group in (("Upcoming and today", upcoming), ("Past", past)):
            if not group:
                continue
            header = QListWidgetItem(heading)
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(header)
            for row in group:
                text = (
                    f"{short_weekday_date(row.meeting_date)}\n{row.panel_name}\n"
                    f"{row.items} items · {row.status.label}"
                )
                if row.checked_out_to is not None:  # run offline on a laptop until checked in
                    text += f"\nchecked out to {row.checked_out_to} ({row.machine})"
                entry = QListWidgetItem(text)
                entry.setData(Qt.ItemDataRole.UserRole, row.meeting_id)
                self.list.addItem(entry)
                if row.meeting_id == selected:
                    self.list.setCurrentItem(entry)
        self.list.blockSignals(False)
        self.rebuilt.emit()

    def select(self, meeting_id: int) -> None:
        # a meeting just made is listed before it is chosen
        self.ctx.turns.run_now(self._refresh_job)
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
