"""The meeting the window tests run (five members, three cases) and the window opened on it,
made active so that keyboard focus is real."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from panelapp.domain.quorum import QuorumRule
from panelapp.domain.vocabulary import PrimaryNeed, Role
from panelapp.services.roster import roster
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow
from tests.helpers.meetings import MORNING, all_present, case_on_agenda, panel_with_members

MEMBERS = {
    "chair": ("Helen Chair", [Role.CHAIR]),
    "vice": ("David Vice", [Role.VICE_CHAIR]),
    "ep": ("Priya Psychologist", [Role.EDUCATIONAL_PSYCHOLOGIST]),
    "school": ("Tom Head", [Role.SCHOOLS_REP]),
    "minutes": ("Jo Minutes", [Role.MINUTE_TAKER]),
}


def window_meeting(store, day: date, *, start: bool = True) -> int:
    """A meeting on ``day`` with three assessment requests received ten days before; with
    ``start``, everyone present and the meeting started. Its id."""
    from panelapp.services import meetings

    with UnitOfWork(store, "ops officer") as uow:
        panel_id, _ = panel_with_members(
            uow, MEMBERS, quorum=QuorumRule(3, (frozenset({Role.CHAIR, Role.VICE_CHAIR}),))
        )
        meeting_id = meetings.schedule_meeting(uow, panel_id, on=day, start=MORNING)
        for n in (1, 2, 3):
            case_on_agenda(
                uow,
                meeting_id,
                f"NB-W-{n}",
                first_name="Child",
                last_name=f"Number{n}",
                date_of_birth=date(2016, 1, n),
                received=day - timedelta(days=10),
                primary_need=PrimaryNeed.SEMH,
                presenting_officer="Officer",
            )
        if start:
            all_present(uow, meeting_id, [e.member_id for e in roster(uow.session, meeting_id)])
    return meeting_id


def activate(qtbot, window) -> None:
    """Make ``window`` the active one, as a click on it would, so keyboard focus is real."""
    window.activateWindow()
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)


def open_window(qtbot, store, store_path, meeting_id: int) -> MainWindow:
    """The window at 1366x768, active, on ``meeting_id``, working as the minute taker."""
    window = MainWindow(AppContext(store, "Jo Minutes"), store_path)
    qtbot.addWidget(window)
    window.setWindowState(Qt.WindowState.WindowNoState)  # the offscreen screen is small
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    activate(qtbot, window)
    window.meetings.select(meeting_id)
    return window
