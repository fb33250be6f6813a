"""Make the README's screenshots from the demonstration panel, in a throwaway store.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py

Everything shown is the fictional demonstration data. Windows are drawn at 1366x768, the
usual small laptop screen, and the Run page also at 1280x720.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import time, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "screenshots"


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="panelapp-shots-"))
    os.environ["HOME"] = str(work)
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")
    os.environ["XDG_STATE_HOME"] = str(work / "state")
    os.environ["PANELAPP_PASSPHRASE"] = "screenshots only, fictional data"
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

    from PySide6.QtCore import QDate, Qt
    from PySide6.QtWidgets import QWidget

    from panelapp.domain.vocabulary import AttendanceStatus
    from panelapp.services import meetings
    from panelapp.services.roster import roster
    from panelapp.services.unit_of_work import UnitOfWork
    from panelapp.store.lifecycle import create_store
    from panelapp.ui.app import application, build_window

    app = application()
    path = work / "demo.store"
    store = create_store(path)
    window = build_window(store, path, demo=True, actor="Joanne Pike")
    window.setWindowState(Qt.WindowState.WindowNoState)  # the offscreen screen is small
    window.resize(1366, 768)
    window.show()
    OUT.mkdir(exist_ok=True)

    def shot(widget: QWidget, name: str) -> None:
        app.processEvents()
        widget.grab().save(str(OUT / f"{name}.png"))
        print(f"wrote docs/screenshots/{name}.png")

    screen = window.meeting_screen
    run = screen.run
    screen.tabs.setCurrentWidget(run)
    run.select_item(10)
    shot(window, "run-the-meeting")
    screen.tabs.setCurrentWidget(screen.attendance)
    shot(window, "attendance-and-declarations")

    # The next meeting: the deferred case returned by itself; prepared, then started.
    next_id = [m for m in window.ctx.read(_meeting_ids) if m != screen.meeting_id][0]
    window.meetings.select(next_id)
    screen.tabs.setCurrentWidget(screen.prepare)
    shot(window, "prepare-the-agenda")
    with UnitOfWork(store, "Joanne Pike") as uow:
        for entry in roster(uow.session, next_id):
            meetings.record_attendance(
                uow, next_id, entry.member_id, AttendanceStatus.PRESENT, arrived_at=time(9, 25)
            )
        meetings.start_meeting(uow, next_id)
    screen.show_meeting(next_id)
    run.select_item(2)
    dialog = run.open_deferral_dialog()
    dialog.reason.setPlainText("The panel needs the speech and language therapy report.")
    dialog.information.setText("Speech and language therapy report")
    dialog.provider.setText("NHS speech and language therapy service")
    dialog.return_date.setDate(QDate(run.detail.meeting_date + timedelta(days=28)))
    shot(dialog, "deferral-with-statutory-warning")
    dialog.reject()

    # A case being heard, on the smallest screen the application works at.
    run.select_item(1)
    window.resize(1280, 720)
    shot(window, "run-the-meeting-1280x720")
    window.resize(1366, 768)

    figures = window.open_panel_data()
    figures.resize(1366, 768)
    shot(figures, "panel-data")
    figures.close()

    window.meetings.select(_first_meeting(window))
    minutes = screen.open_minutes()
    minutes.resize(900, 600)
    done = []
    minutes.task_finished.connect(done.append)
    minutes.generate()
    while not done:
        app.processEvents()
    shot(minutes, "minutes-and-signatures")
    minutes.reject()
    window.close()
    return 0


def _meeting_ids(session) -> list[int]:
    from panelapp.services.meeting_view import list_meetings

    return [row[0] for row in list_meetings(session)]


def _first_meeting(window) -> int:
    rows = window.ctx.read(_meeting_ids)
    return min(rows)


if __name__ == "__main__":
    sys.exit(main())
