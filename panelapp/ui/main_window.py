"""The main window: meetings on the left, the chosen meeting beside them, and a lock that
hides everything and closes the store after a spell without use."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from panelapp.domain.errors import PanelappError
from panelapp.services import words_ahead
from panelapp.ui.case_dialog import NewMeetingDialog
from panelapp.ui.context import AppContext
from panelapp.ui.idle_lock import DEFAULT_IDLE_MINUTES, IdleWatcher
from panelapp.ui.input_guards import install_input_guard
from panelapp.ui.keyboard_help import KeyboardHelp
from panelapp.ui.meeting_screen import MeetingScreen
from panelapp.ui.meetings_pane import MeetingsPane
from panelapp.ui.next_steps import error_text
from panelapp.ui.panels_dialog import PanelsDialog
from panelapp.ui.search_dialog import SearchDialog
from panelapp.ui.store_events import StoreChanged
from panelapp.ui.team_actions import TeamActions
from panelapp.ui.unlock import UnlockDialog, needs_passphrase, open_without_dialog
from panelapp.ui.window_size import GEOMETRY_SETTING, first_size, place_main_window
from panelapp.ui.window_size import PREFERRED_SIZE as PREFERRED_SIZE  # where it was defined
from panelapp.ui.worker import wait_for_background_work

if TYPE_CHECKING:
    from panelapp.ui.verify_dialog import VerifyDialog

logger = logging.getLogger(__name__)


#: how long after the window opens the papers' reading processes are started
WARM_READERS_AFTER_MS = 5_000


class MainWindow(QMainWindow):
    # The name it had before it was renamed, kept for code written against it. It hides Qt's
    # method of the same name, which nothing in panelapp calls on this widget.
    @property
    def screen(self) -> MeetingScreen:  # type: ignore[override]  # the old name, see above
        return self.meeting_screen

    def __init__(self, ctx: AppContext, store_path: Path, *, idle_minutes: float | None = None):
        super().__init__()
        self.ctx = ctx
        self.store_path = store_path
        self.setWindowTitle("panelapp")
        self.setMinimumSize(1000, 640)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)

        content = QSplitter(Qt.Orientation.Horizontal)
        self.meetings = MeetingsPane(ctx)
        self.meeting_screen = MeetingScreen(ctx)
        self.welcome = QWidget()
        welcome_layout = QVBoxLayout(self.welcome)
        welcome_layout.addStretch(1)
        self.welcome_text = QLabel("Choose a meeting on the left.")
        self.welcome_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome_text.setWordWrap(True)
        welcome_layout.addWidget(self.welcome_text)
        self.first_panel_button = QPushButton("Set up the &panel and its members...")
        self.first_panel_button.clicked.connect(lambda: self.open_panels())
        welcome_layout.addWidget(self.first_panel_button, 0, Qt.AlignmentFlag.AlignCenter)
        self.first_meeting_button = QPushButton("&Schedule the first meeting...")
        self.first_meeting_button.clicked.connect(lambda: self.open_new_meeting())
        welcome_layout.addWidget(self.first_meeting_button, 0, Qt.AlignmentFlag.AlignCenter)
        welcome_layout.addStretch(2)
        self.right = QStackedWidget()
        self.right.addWidget(self.welcome)
        self.right.addWidget(self.meeting_screen)
        content.addWidget(self.meetings)
        content.addWidget(self.right)
        content.setStretchFactor(1, 4)
        content.setSizes([230, 1100])
        self.stack.addWidget(content)

        self.locked_page = QWidget()
        locked_layout = QVBoxLayout(self.locked_page)
        locked_layout.addStretch(1)
        message = QLabel("panelapp is locked. Nothing from the store is shown or held open.")
        message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        locked_layout.addWidget(message)
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.clicked.connect(self.unlock)
        locked_layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignCenter)
        locked_layout.addStretch(1)
        self.stack.addWidget(self.locked_page)

        toolbar = QToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.panels_action = QAction("&Panels and members...", self)
        self.panels_action.triggered.connect(self.open_panels)
        toolbar.addAction(self.panels_action)
        self.new_meeting_action = QAction("New meeting...", self)
        self.new_meeting_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_meeting_action.triggered.connect(self.open_new_meeting)
        toolbar.addAction(self.new_meeting_action)
        self.search_action = QAction("Search...", self)
        self.search_action.setShortcut(QKeySequence.StandardKey.Find)
        self.search_action.setToolTip("Search cases, papers and decisions (Ctrl+F)")
        self.search_action.triggered.connect(self.open_search)
        toolbar.addAction(self.search_action)
        self.deadlines_action = QAction("Deadlines...", self)
        self.deadlines_action.setToolTip("Every open case's statutory date and planning")
        self.deadlines_action.triggered.connect(self.open_deadlines)
        toolbar.addAction(self.deadlines_action)
        self.verify_action = QAction("Check a signed file...", self)
        self.verify_action.setToolTip(
            "Check that signed minutes or a decision record are unchanged"
        )
        self.verify_action.triggered.connect(self.open_verify)
        toolbar.addAction(self.verify_action)
        toolbar.addSeparator()
        self.lock_action = QAction("Lock", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setToolTip("Lock panelapp now (Ctrl+L)")
        self.lock_action.triggered.connect(self.lock)
        toolbar.addAction(self.lock_action)
        records_menu = self.menuBar().addMenu("&Records")
        self.records_action = QAction("&Retention and subject access...", self)
        self.records_action.triggered.connect(lambda: self.open_records())
        records_menu.addAction(self.records_action)
        self.approvals_action = QAction("Chief officers' &approval...", self)
        self.approvals_action.triggered.connect(lambda: self.open_approvals())
        records_menu.addAction(self.approvals_action)
        self.panel_data_action = QAction("Panel &data...", self)
        self.panel_data_action.setToolTip(
            "The panel's figures for a period: outcomes, timeliness, deferrals and funding"
        )
        self.panel_data_action.triggered.connect(lambda: self.open_panel_data())
        records_menu.addAction(self.panel_data_action)
        self.team = TeamActions(self)
        help_menu = self.menuBar().addMenu("&Help")
        self.keyboard_action = QAction("&Keyboard...", self)
        self.keyboard_action.setShortcut(QKeySequence("F1"))
        self.keyboard_action.triggered.connect(lambda: self.open_keyboard_help())
        help_menu.addAction(self.keyboard_action)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self.statusBar().showMessage(f"Store: {store_path}")

        self.meetings.meeting_chosen.connect(self.open_meeting)
        self.meetings.rebuilt.connect(self._update_welcome)
        ctx.changed.connect(self._store_changed)
        if idle_minutes is None:
            stored = QSettings().value("lock/idle_minutes", DEFAULT_IDLE_MINUTES)
            idle_minutes = (
                float(stored) if isinstance(stored, int | float | str) else DEFAULT_IDLE_MINUTES
            )
        self.idle = IdleWatcher(idle_minutes, self)
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(1, 120)
        self.idle_minutes.setValue(max(1, round(idle_minutes)))
        self.idle_minutes.setPrefix("Lock after ")
        self.idle_minutes.setSuffix(" min idle")
        self.idle_minutes.setAccessibleName("Minutes without use before panelapp locks")
        self.idle_minutes.valueChanged.connect(self._set_idle_minutes)
        toolbar.addWidget(self.idle_minutes)
        self.idle.idle.connect(self.lock)
        app = QApplication.instance()
        if app is not None:  # a window exists only inside an application
            app.installEventFilter(self.idle)
        install_input_guard()
        self.meetings.refresh()
        self._update_welcome()
        place_main_window(self)
        # Papers whose words were still being read when panelapp last closed: read them now,
        # once the window is up.
        QTimer.singleShot(0, self, self._read_waiting_words)

    def _read_waiting_words(self) -> None:
        from panelapp.documents.reading_pool import shared_pool
        from panelapp.ui.paper_reading import read_waiting_words

        if not read_waiting_words(self.ctx, self):
            # So the first papers attached do not wait for the reading processes to start; a
            # few seconds on, not while the window is still opening its meeting (starting them
            # takes the CPU the first screens need).
            QTimer.singleShot(WARM_READERS_AFTER_MS, self, lambda: shared_pool().warm())

    def _first_size(self) -> None:
        first_size(self)

    def _store_changed(self, event: StoreChanged | str) -> None:
        if self.ctx.store is not None and not StoreChanged.coerce(event).quiet:
            # The list is read on a turn of its own, after the screen in view is drawn; while
            # it is empty (the first meeting on its way) at once, so the welcome page follows.
            if self.meetings.list.count():
                self.meetings.refresh_soon()
            else:
                self.meetings.refresh()

    def _update_welcome(self) -> None:
        """With no meeting yet, the way to the first one instead of 'choose a meeting'."""
        first_run = self.meetings.list.count() == 0
        self.first_panel_button.setVisible(first_run)
        self.first_meeting_button.setVisible(first_run)
        self.welcome_text.setText(
            "No meetings yet. First set up the panel: its name, quorum and members with their "
            "roles (chair, vice-chair, educational psychologist, the finance or SEND manager). "
            "Then schedule the first meeting and build its agenda."
            if first_run
            else "Choose a meeting on the left."
        )

    def open_panels(self) -> PanelsDialog:
        dialog = PanelsDialog(self.ctx, self)
        dialog.open()
        return dialog

    def _select_scheduled(self, dialog: NewMeetingDialog) -> None:
        if dialog.meeting_id is not None:  # set when the meeting was saved
            self.meetings.select(dialog.meeting_id)

    def open_new_meeting(self) -> NewMeetingDialog:
        dialog = NewMeetingDialog(self.ctx, self)
        dialog.accepted.connect(lambda: self._select_scheduled(dialog))
        dialog.open()
        return dialog

    def open_deadlines(self) -> None:
        from panelapp.ui.deadlines_view import DeadlinesView

        self.deadlines = DeadlinesView(self.ctx, self)
        self.deadlines.show()

    def open_approvals(self):
        from panelapp.ui.approvals_dialog import ApprovalsDialog

        self.approvals = ApprovalsDialog(self.ctx, self)
        self.approvals.show()
        return self.approvals

    def open_records(self):
        from panelapp.ui.records_dialog import RecordsDialog

        self.records = RecordsDialog(self.ctx, self)
        self.records.show()
        return self.records

    def open_panel_data(self):
        from panelapp.ui.panel_data_window import PanelDataWindow  # QtCharts: on demand

        self.panel_data = PanelDataWindow(self.ctx, self)
        self.panel_data.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.panel_data.show()
        return self.panel_data

    def open_search(self) -> SearchDialog:
        dialog = SearchDialog(self.ctx, self)
        dialog.open_item.connect(self.open_item)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        dialog.words.setFocus()
        return dialog

    def open_keyboard_help(self) -> KeyboardHelp:
        dialog = KeyboardHelp(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_verify(self) -> VerifyDialog:
        from panelapp.ui.verify_dialog import VerifyDialog  # certificates and Word: on demand

        dialog = VerifyDialog(self, registered=self._registered_signers)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _registered_signers(self):
        from panelapp.services.verification import TrustSources, registered_in_store

        if self.ctx.store is None:
            return TrustSources()
        entries = self.ctx.read(registered_in_store)
        return TrustSources(tuple(entries), (), (f"the store {self.ctx.store.path.name}",))

    def open_item(self, meeting_id: int, position: int) -> None:
        self.meetings.select(meeting_id)
        self.meeting_screen.tabs.setCurrentWidget(self.meeting_screen.run)
        self.meeting_screen.run.select_item(position)

    def open_meeting(self, meeting_id: int) -> None:
        if self.ctx.store is None:  # locked or closing: the list may still announce a choice
            return
        if (
            self.meeting_screen.meeting_id == meeting_id
            and self.right.currentWidget() is self.meeting_screen
        ):
            return  # already open: keep the item the chair is on
        self.right.setCurrentWidget(self.meeting_screen)
        self.meeting_screen.show_meeting(meeting_id)

    def _set_idle_minutes(self, minutes: int) -> None:
        self.idle.set_minutes(minutes)
        QSettings().setValue("lock/idle_minutes", minutes)

    def _store_actions(self) -> list[QAction]:
        return [
            self.lock_action,
            self.panels_action,
            self.new_meeting_action,
            self.search_action,
            self.deadlines_action,
            self.records_action,
            self.approvals_action,
            self.panel_data_action,
            self.team.checkout_action,
            self.team.checkin_action,
        ]

    @property
    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.locked_page

    def lock(self) -> None:
        if self.is_locked:
            return
        self.meeting_screen.run.save_notes()
        self.meeting_screen.run.save_draft()
        for window in self.findChildren(QDialog):  # search results, papers, forms: all hidden
            window.close()
        wait_for_background_work()
        self.stack.setCurrentWidget(self.locked_page)
        for action in self._store_actions():
            action.setEnabled(False)
        self.idle.pause()
        if self.ctx.store is not None:
            words_ahead.forget(self.ctx.store)  # no paper's words kept while locked
            self.ctx.store.close()
            self.ctx.store = None
        logger.info("locked")

    def unlock(self) -> QDialog | None:
        """Reopen the store; returns the (open) dialog when a secret is asked for: the
        passphrase of a passphrase store, or, for a store the keyring unlocks, a member's own
        signing passphrase once any member has one."""
        if needs_passphrase(self.store_path):
            dialog = UnlockDialog(self.store_path, self, locked_again=True)
            dialog.accepted.connect(lambda: self._unlocked(dialog.store))
            dialog.open()
            return dialog
        from panelapp.services.signing import members_with_own_secret  # certificates: later

        try:
            store = open_without_dialog(self.store_path)
            with store.read() as session:
                members = members_with_own_secret(session)
        except PanelappError as exc:
            self.statusBar().showMessage(error_text(exc))
            return None
        if not members:  # nobody has a secret of their own yet: the keyring's key is all there is
            self._unlocked(store)
            return None
        from panelapp.ui.member_unlock import MemberUnlockDialog

        member_dialog = MemberUnlockDialog(store, members, self)
        member_dialog.accepted.connect(lambda: self._unlocked(store))
        member_dialog.rejected.connect(store.close)
        member_dialog.open()
        return member_dialog

    def _unlocked(self, store) -> None:
        self.ctx.store = store
        self.stack.setCurrentIndex(0)
        for action in self._store_actions():
            action.setEnabled(True)
        self.idle.resume()
        self.meetings.refresh()
        if self.meeting_screen.meeting_id is not None:
            self.meeting_screen.refresh()
        self._read_waiting_words()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        wait_for_background_work()
        if self.ctx.store is not None:
            self.meeting_screen.run.save_notes()
            self.meeting_screen.run.save_draft()
        QSettings().setValue(GEOMETRY_SETTING, self.saveGeometry())
        if self.ctx.store is not None:
            words_ahead.forget(self.ctx.store)  # nothing left to read on the way out
            self.ctx.store.close()
            self.ctx.store = None
        super().closeEvent(event)
