"""The list of meetings: upcoming first, then past ones."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from panelapp.domain.formatting import short_weekday_date
from panelapp.services.meeting_view import list_meetings
from panelapp.services.team_checkout import CheckoutInfo, checkouts
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
        #: the meetings checked out, as read from the store in ``_out_of`` (a team action, or
        #: another store, reads them again); not read after every change, which never moves them
        self._out: dict[int, CheckoutInfo] = {}
        self._out_of: object | None = None

    def forget_checkouts(self) -> None:
        """A meeting was checked out or in: read which are out again at the next refresh."""
        self._out_of = None

    def _checkouts(self) -> dict[int, CheckoutInfo]:
        if self._out_of is not self.ctx.store:
            self._out = self.ctx.read(checkouts)
            self._out_of = self.ctx.store
        return self._out

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
        rows = self.ctx.read(list_meetings)
        out = self._checkouts()
        today = date.today()
        shows = (tuple(rows), tuple(out.items()), today)
        if shows == self._shows:
            return
        self._shows = shows
        current = self.list.currentItem()
        selected = current.data(Qt.ItemDataRole.UserRole) if current else None
        self.list.blockSignals(True)  # rebuilding the list is not a new choice
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
