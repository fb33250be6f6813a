"""One meeting: its header, then tabs for attendance and declarations, the agenda as it is
run, and the actions agreed."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import weekday_date
from panelapp.domain.vocabulary import MeetingStatus
from panelapp.services import meetings
from panelapp.services.meeting_view import MeetingView, meeting_view
from panelapp.ui.actions_page import ActionsPage
from panelapp.ui.agenda_builder import AgendaBuilder
from panelapp.ui.attendance_page import AttendancePage
from panelapp.ui.case_dialog import NewMeetingDialog
from panelapp.ui.context import AppContext
from panelapp.ui.feedback import Banner
from panelapp.ui.next_steps import error_text
from panelapp.ui.run_page import RunPage
from panelapp.ui.store_events import StoreChanged

if TYPE_CHECKING:
    from panelapp.ui.minutes_dialog import MinutesDialog


#: Services whose effect the other tabs need not redraw for.
class MeetingScreen(QWidget):
    # The name it had before it was renamed, kept for code written against it. It hides Qt's
    # method of the same name, which nothing in panelapp calls on this widget.
    @property
    def actions(self) -> ActionsPage:  # type: ignore[override]  # the old name, see above
        return self.actions_page

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: int | None = None
        layout = QVBoxLayout(self)
        # Two rows so that nothing wraps or clips at 1280 pixels wide (or 1920 at 150%): the
        # meeting on one line, its state and the buttons on the next.
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Meeting")
        layout.addWidget(self.heading)
        head = QHBoxLayout()
        self.status = QLabel()
        self.status.setAccessibleName("Meeting status")
        head.addWidget(self.status, 1)
        self.edit_button = QPushButton("Date and venue...")
        self.edit_button.setToolTip("Correct the meeting's date, start time or venue")
        self.edit_button.clicked.connect(lambda: self.open_meeting_details())
        head.addWidget(self.edit_button)
        self.close_button = QPushButton("&Close the meeting")
        self.close_button.clicked.connect(self.close_meeting)
        head.addWidget(self.close_button)
        self.reopen_button = QPushButton("Reopen the meeting...")
        self.reopen_button.setToolTip("Reopen a closed meeting to correct what was recorded")
        self.reopen_button.clicked.connect(self.ask_to_reopen)
        head.addWidget(self.reopen_button)
        self.minutes_button = QPushButton("&Minutes and signatures...")
        self.minutes_button.clicked.connect(lambda: self.open_minutes())
        head.addWidget(self.minutes_button)
        layout.addLayout(head)
        self.banner = Banner("Meeting message")
        layout.addWidget(self.banner)
        self.tabs = QTabWidget()
        self.prepare = AgendaBuilder(ctx)
        self.attendance = AttendancePage(ctx)
        self.run = RunPage(ctx)
        self.actions_page = ActionsPage(ctx)
        self.tabs.addTab(self.prepare, "&1 Prepare the agenda")
        self.tabs.addTab(self.attendance, "&2 Attendance and declarations")
        self.tabs.addTab(self.run, "&3 Run the meeting")
        self.tabs.addTab(self.actions_page, "&4 Actions")
        layout.addWidget(self.tabs)
        self.run.declare_button.clicked.connect(
            lambda: self._fresh(self.attendance).open_declaration_dialog(self.run.current_item_id())
        )
        #: pages hidden behind another tab when the store changed: redrawn when shown
        self._stale: set[QWidget] = set()
        self.tabs.currentChanged.connect(lambda _: self._fresh(self.tabs.currentWidget()))
        for n in range(self.tabs.count()):
            QShortcut(QKeySequence(f"Ctrl+{n + 1}"), self, lambda n=n: self.tabs.setCurrentIndex(n))
        # What is drawn after a change, one piece per turn of the event loop (ctx.turns).
        self._refresh_job = ("meeting screen", id(self))
        self._pages_job = ("meeting screen pages", id(self))
        self._pending_view: MeetingView | None = None
        ctx.changed.connect(self._store_changed)

    def _store_changed(self, event: StoreChanged | str) -> None:
        self._pending_view = None  # read before this change: hidden pages read afresh
        # Redraw after the signal handler that caused the change has returned.
        if not StoreChanged.coerce(event).quiet and self.meeting_id is not None:
            self.ctx.turns.later(self._refresh_job, self.refresh)

    def show_meeting(self, meeting_id: int) -> None:
        self.meeting_id = meeting_id
        self.banner.clear_message()
        self.__dict__.pop("_banner_status", None)
        view = self.ctx.read(meeting_view, meeting_id, self.ctx.naming, mask_free_text=False)
        self._stale.clear()
        self.prepare.show_meeting(meeting_id, view)
        self.attendance.show_meeting(meeting_id, view)
        self.run.show_meeting(meeting_id, view)
        self.actions_page.show_meeting(meeting_id)
        self._refresh_header(view)
        started = view.status is not MeetingStatus.SCHEDULED
        self.tabs.setCurrentWidget(self.run if started else self.prepare)

    def refresh(self) -> None:
        self.ctx.turns.cancel(self._refresh_job)
        if self.meeting_id is None or self.ctx.store is None:
            return
        # The meeting read once for every page (each would otherwise read it itself). The page
        # in view is redrawn now, the others one at a time on the next turns of the event loop,
        # so the window keeps answering in between (all of them at once held it for a fifth of
        # a second after each decision); a page chosen before its turn is redrawn at once.
        view = self.ctx.read(meeting_view, self.meeting_id, self.ctx.naming, mask_free_text=False)
        self._pending_view = view
        current = self.tabs.currentWidget()
        for page in (self.prepare, self.attendance, self.run, self.actions_page):
            if page is current:
                self._redraw(page, view)
            else:
                self._stale.add(page)
        self._refresh_header(view)
        if self._stale:
            self.ctx.turns.later(self._pages_job, self._redraw_next_page)

    def _redraw_next_page(self) -> None:
        if not self._stale or self.meeting_id is None or self.ctx.store is None:
            return
        page = next(p for p in (self.prepare, self.attendance, self.run, self.actions_page)
                    if p in self._stale)  # fmt: skip
        self._redraw(page, self._pending_view)
        if self._stale:  # the next one on a later turn, after whatever else is waiting
            self.ctx.turns.later(self._pages_job, self._redraw_next_page)

    def _redraw(self, page: QWidget, view: MeetingView | None = None) -> None:
        self._stale.discard(page)
        if isinstance(page, ActionsPage):
            page.refresh()
        elif isinstance(page, AgendaBuilder | AttendancePage | RunPage):
            page.refresh(view)

    def _fresh(self, page):
        """``page``, redrawn first if the store changed while it was hidden."""
        if page in self._stale and self.meeting_id is not None and self.ctx.store is not None:
            self._redraw(page, self._pending_view)
        return page

    def _refresh_header(self, view: MeetingView | None = None) -> None:
        if view is None:
            view = self.ctx.read(
                meeting_view, self.meeting_id, self.ctx.naming, mask_free_text=False
            )
        when = f"{weekday_date(view.meeting_date)}, {view.start_time:%H:%M}"
        self.heading.setText(
            f"<span style='font-size:14pt; font-weight:600'>{html.escape(view.panel_name)}</span>"
            f"<span style='font-size:11pt'>&nbsp;&nbsp;{html.escape(when)}"
            + (f", {html.escape(view.venue)}" if view.venue else "")
            + "</span>"
        )
        if self.banner.kind and getattr(self, "_banner_status", view.status) is not view.status:
            self.banner.clear_message()  # said of an earlier state (closed, before signing...)
        self._banner_status = view.status
        done = sum(1 for i in view.items if i.status.value != "to_do")
        self.status.setText(f"{view.status.label} · {done} of {len(view.items)} items done")
        self.close_button.setEnabled(view.status is MeetingStatus.IN_PROGRESS)
        self.edit_button.setEnabled(
            view.status in (MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS)
        )
        self.reopen_button.setEnabled(view.status is MeetingStatus.CLOSED)
        self.minutes_button.setEnabled(view.status in (MeetingStatus.CLOSED, MeetingStatus.SIGNED))

    def close_meeting(self) -> None:
        try:
            self.ctx.do(meetings.close_meeting, self.meeting_id)
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.banner.show_message("ok", "The meeting is closed. The minutes can now be prepared.")
        self._banner_status = MeetingStatus.CLOSED

    def ask_to_reopen(self) -> None:
        reason, ok = QInputDialog.getText(
            self,
            "Reopen the meeting",
            "Why is the meeting reopened? (kept with the meeting's record)",
        )
        if ok:
            self.reopen(reason)

    def reopen(self, reason: str) -> None:
        try:
            self.ctx.do(meetings.reopen_meeting, self.meeting_id, reason=reason)
        except PanelappError as exc:
            self.banner.show_message("error", error_text(exc))
            return
        self.banner.show_message(
            "ok", "The meeting is open again: reopen an item to correct it, then close the meeting."
        )
        self._banner_status = MeetingStatus.IN_PROGRESS

    def open_meeting_details(self) -> NewMeetingDialog:
        dialog = NewMeetingDialog(self.ctx, self, meeting_id=self.meeting_id)
        dialog.accepted.connect(
            lambda: self.banner.show_message("ok", "The meeting's date and venue are saved.")
        )
        dialog.open()
        return dialog

    def open_minutes(self) -> MinutesDialog:
        # The minutes window brings python-docx and the signing code: loaded when first opened.
        from panelapp.ui.minutes_dialog import MinutesDialog

        assert self.meeting_id is not None, "the minutes button is shown with a meeting"
        dialog = MinutesDialog(self.ctx, self.meeting_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
