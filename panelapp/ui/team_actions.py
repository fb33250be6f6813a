"""The window's Team menu: check a meeting out of the team store into the open local store,
to run it offline, and check it back in; each in the background with a progress dialog. The
team store is the one set on this computer (``panelapp team use``), its password from the OS
keyring. The meeting list says which meeting is out (``meetings_pane``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMessageBox

from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import short_weekday_date
from panelapp.ui.context import Background
from panelapp.ui.next_steps import error_text
from panelapp.ui.worker import run_in_background

if TYPE_CHECKING:
    from panelapp.ui.main_window import MainWindow
    from panelapp.ui.team_connection_dialog import TeamConnectionDialog


class TeamActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        #: the last message shown (a box over the window, not waited for)
        self.message: QMessageBox | None = None
        menu = window.menuBar().addMenu("&Team")
        self.connect_action = QAction("&Connect to the team store...", window)
        self.connect_action.setToolTip("Set the council's team store this computer works with")
        self.connect_action.triggered.connect(lambda: self.open_connection())
        menu.addAction(self.connect_action)
        menu.addSeparator()
        self.checkout_action = QAction("Check &out for the meeting...", window)
        self.checkout_action.setToolTip(
            "Copy a meeting from the team store to this computer, to run it offline"
        )
        self.checkout_action.triggered.connect(lambda: self.choose_and_check_out())
        menu.addAction(self.checkout_action)
        self.checkin_action = QAction("Check &in this meeting", window)
        self.checkin_action.setToolTip("Send the meeting back to the team store and release it")
        self.checkin_action.triggered.connect(lambda: self.check_in())
        menu.addAction(self.checkin_action)

    def open_connection(self) -> TeamConnectionDialog:
        from panelapp.ui.team_connection_dialog import TeamConnectionDialog

        dialog = TeamConnectionDialog(self.window)
        dialog.show()
        return dialog

    def choose_and_check_out(self) -> None:
        """Read the team store's meetings in the background (the server may be slow to
        answer), then ask which one to check out."""
        # The team code (and the certificate code it needs) is loaded when first used, not
        # while the window opens.
        from panelapp.services.team_checkout import team_meetings

        run_in_background(
            self.window,
            "Reading the team store's meetings...",
            lambda _progress: team_meetings(),
            self._choose,
            self._failed,
        )

    def _choose(self, rows) -> None:
        if not rows:
            self._tell("The team store has no meetings to check out.", problem=True)
            return
        labels = [
            f"{short_weekday_date(on)}: {panel} ({count} items)"
            for _m, panel, on, _s, count in rows
        ]
        chosen, ok = QInputDialog.getItem(
            self.window, "Check out for the meeting", "Meeting to run offline:", labels, 0, False
        )
        if ok:
            self.check_out(rows[labels.index(chosen)][0])

    def check_out(self, meeting_id: int) -> None:
        from panelapp.services.team_checkout import check_out_here

        def done(result) -> None:
            self.window.meetings.refresh()
            self.window.meetings.select(meeting_id)
            self._tell(
                f"The meeting is checked out to this computer ({result.papers} papers copied). "
                "Run it here, offline if need be; check it in when it is over."
            )

        self.ctx.run(
            check_out_here,
            meeting_id,
            background=Background(self.window, "Checking the meeting out...", done, self._failed),
        )

    def check_in(self, meeting_id: int | None = None) -> None:
        from panelapp.services.team_checkout import check_in_here

        meeting_id = meeting_id if meeting_id is not None else self.window.meeting_screen.meeting_id
        if meeting_id is None:
            self._tell("Choose the meeting to check in, in the list of meetings.", problem=True)
            return

        def done(result) -> None:
            self.window.meetings.refresh()
            self._tell(
                f"The meeting is checked in: {result.rows} records sent to the team store, "
                "and the meeting released."
            )

        self.ctx.run(
            check_in_here,
            meeting_id,
            background=Background(self.window, "Checking the meeting in...", done, self._failed),
        )

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, PanelappError):
            self._tell(error_text(exc), problem=True)
        else:
            self._tell(
                f"That did not finish ({type(exc).__name__}); nothing was changed on the team "
                "store. Check the connection and try again.",
                problem=True,
            )

    def _tell(self, text: str, *, problem: bool = False) -> None:
        icon = QMessageBox.Icon.Warning if problem else QMessageBox.Icon.Information
        self.message = QMessageBox(
            icon, "panelapp", text, QMessageBox.StandardButton.Ok, self.window
        )
        self.message.open()
