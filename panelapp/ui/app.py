"""Starting the desktop application: unlock the store, optionally build the demo, show the
main window."""

from __future__ import annotations

import getpass
import logging
import os
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from panelapp import __version__
from panelapp.domain.errors import PanelappError
from panelapp.services.demo_setup import ensure_demo
from panelapp.store.engine import Store
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow
from panelapp.ui.next_steps import error_text
from panelapp.ui.unlock import UnlockDialog, needs_passphrase, open_without_dialog

logger = logging.getLogger(__name__)

#: Milliseconds after showing the main window to close it and quit: the built application's
#: smoke test (build/smoke_test.py) starts it offscreen and needs it to end by itself.
QUIT_AFTER_SHOW_VARIABLE = "PANELAPP_QUIT_AFTER_SHOW_MS"


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("panelapp")
    QCoreApplication.setApplicationName("panelapp")
    QCoreApplication.setApplicationVersion(__version__)
    return app


def unlock_interactively(path: Path) -> Store | None:
    """The store, unlocked from the keyring or with a passphrase dialog; None if cancelled."""
    if needs_passphrase(path):
        dialog = UnlockDialog(path)
        if dialog.exec() != UnlockDialog.DialogCode.Accepted:
            return None
        return dialog.store
    return open_without_dialog(path)


def build_window(store: Store, path: Path, *, demo: bool, actor: str | None = None) -> MainWindow:
    actor = actor or getpass.getuser()
    meeting_id = ensure_demo(store, actor=actor)[0] if demo else None
    window = MainWindow(AppContext(store, actor), path)
    if meeting_id is not None:
        window.meetings.select(meeting_id)
    return window


def install_error_hook(window: MainWindow) -> None:
    """An unexpected error in a button's handler is logged (where, not what: its message could
    quote case data) and shown in the status bar, instead of vanishing."""

    def hook(exc_type, exc, tb) -> None:
        logger.error("unexpected %s\n%s", exc_type.__name__, "".join(traceback.format_tb(tb)))
        window.statusBar().showMessage(
            f"Something went wrong ({exc_type.__name__}). What was already saved is kept; "
            "the log says where it happened, without any case details."
        )

    sys.excepthook = hook


def run(path: Path, *, demo: bool = False, actor: str | None = None) -> int:
    app = application()
    try:
        store = unlock_interactively(path)
    except PanelappError as exc:
        QMessageBox.critical(None, "panelapp", error_text(exc))
        return 2
    if store is None:
        return 0
    from panelapp.services.export_files import recover_exports

    recover_exports(store)  # exports a killed panelapp left half done: finished or removed
    window = build_window(store, path, demo=demo, actor=actor)
    install_error_hook(window)
    window.show()
    _close_after_show_if_asked(window)
    return app.exec()


def _close_after_show_if_asked(window: MainWindow) -> None:
    """Close the main window (as a person would, so the store is closed and the window's
    state saved) a set time after it was shown; the application then quits."""
    value = os.environ.get(QUIT_AFTER_SHOW_VARIABLE, "").strip()
    if not value:
        return
    try:
        delay = max(0, int(value))
    except ValueError:
        logger.warning("%s is not a number of milliseconds; ignored", QUIT_AFTER_SHOW_VARIABLE)
        return
    logger.info("main window shown; closing it in %d ms (%s)", delay, QUIT_AFTER_SHOW_VARIABLE)
    QTimer.singleShot(delay, window.close)
