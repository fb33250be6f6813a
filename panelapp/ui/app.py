"""Starting the desktop application: the first window on screen at once, then the rest.

What a person sees first is drawn before anything heavy is loaded: the unlock dialog for a
store locked with a passphrase, or the main window's outline (``StartingWindow``) for a store
the OS keyring unlocks. SQLAlchemy, the services, the screens' code, the demonstration builder,
python-docx and the certificate code are imported only after that first paint (the last three
only when a screen needs them), and while a person types their passphrase the database code is
loaded in the background.
"""

from __future__ import annotations

import gc
import getpass
import importlib
import logging
import os
import sys
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from panelapp import __version__
from panelapp.domain.errors import PanelappError
from panelapp.ui.first_paint import (
    FirstPaint,
    quit_after_first_paint,
    report_and_quit,
    wait_for_first_paint,
)
from panelapp.ui.module_sources import answer_source_question_quickly, forget_module_sources
from panelapp.ui.starting_window import StartingWindow
from panelapp.ui.unlock import UnlockDialog, needs_passphrase, open_without_dialog

if TYPE_CHECKING:
    from panelapp.store.engine import Store
    from panelapp.ui.main_window import MainWindow

logger = logging.getLogger(__name__)

#: Milliseconds after showing the main window to close it and quit: the built application's
#: smoke test (build/smoke_test.py) starts it offscreen and needs it to end by itself.
QUIT_AFTER_SHOW_VARIABLE = "PANELAPP_QUIT_AFTER_SHOW_MS"

#: Libraries the store needs, loaded in the background while the unlock dialog waits for the
#: passphrase (third-party only: none of them imports panelapp, so no import can wait on the
#: other thread's half-loaded module of ours).
PRELOADED_WHILE_TYPING = (
    "sqlcipher3",
    "sqlalchemy.orm",
    "cryptography.hazmat.primitives.kdf.argon2",
    "cryptography.hazmat.primitives.ciphers.aead",
)


def application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("panelapp")
    QCoreApplication.setApplicationName("panelapp")
    QCoreApplication.setApplicationVersion(__version__)
    return app


def pause_collector() -> None:
    """Start-up makes some 170,000 objects that live as long as the application (modules,
    the database mappings, the window) and next to no garbage (about a thousand objects). The
    garbage collector walked them again and again while they were being made, a tenth of a
    second before the meeting was shown; it is paused until ``freeze_startup_objects``."""
    gc.disable()


def freeze_startup_objects() -> None:
    """Keep what exists once the window is built out of the garbage collector's full
    collections (``gc.freeze``): each such collection otherwise went through all of it on the
    GUI thread, about 65 ms, at whatever action came next. Then collect as usual again."""
    gc.freeze()
    gc.enable()


def unlock_interactively(path: Path) -> Store | None:
    """The store, unlocked from the keyring or with a passphrase dialog; None if cancelled."""
    if needs_passphrase(path):
        dialog = UnlockDialog(path)
        if dialog.exec() != UnlockDialog.DialogCode.Accepted:
            return None
        return dialog.store
    return open_without_dialog(path)


def preload_in_background(modules: tuple[str, ...] = PRELOADED_WHILE_TYPING) -> threading.Thread:
    """Import ``modules`` on another thread (the GUI thread stays free for typing); an import
    the GUI thread then needs waits for this one instead of starting again."""

    def load() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception as exc:  # the GUI thread's own import will report it
                logger.debug("preloading %s failed (%s)", name, type(exc).__name__)

    thread = threading.Thread(target=load, name="panelapp-preload", daemon=True)
    thread.start()
    return thread


def build_window(store: Store, path: Path, *, demo: bool, actor: str | None = None) -> MainWindow:
    # The store's imports (SQLAlchemy) are done: their source text goes before the window's
    # imports, which then reuse that memory instead of adding to it.
    forget_module_sources()
    from panelapp.ui.context import AppContext
    from panelapp.ui.main_window import MainWindow

    actor = actor or getpass.getuser()
    if demo:
        from panelapp.services.demo_setup import ensure_demo

        meeting_id = ensure_demo(store, actor=actor)[0]
    else:
        meeting_id = None
    window = MainWindow(AppContext(store, actor), path)
    if meeting_id is not None:
        window.meetings.select(meeting_id)
    forget_module_sources()  # the window's imports are done: their source text can go
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
    """The first window (unlock dialog or main window outline) at once, then the store opened
    and the main window built in its place."""
    pause_collector()  # (the command line paused it already, before importing this module)
    answer_source_question_quickly()  # before SQLAlchemy and the screens are imported
    try:
        return _run(path, demo=demo, actor=actor)
    finally:
        gc.enable()  # whichever way start-up ended


def _run(path: Path, *, demo: bool, actor: str | None) -> int:
    app = application()
    first_window_only = quit_after_first_paint()
    store: Store | None = None
    if needs_passphrase(path):
        dialog = UnlockDialog(path)
        FirstPaint(dialog, report_and_quit if first_window_only else preload_in_background)
        if dialog.exec() != UnlockDialog.DialogCode.Accepted:
            return 0
        store = dialog.store
    starting = StartingWindow(path)
    if first_window_only:  # the keyring path: this outline is the first window
        FirstPaint(starting, report_and_quit)
        starting.show()
        return app.exec()
    wait_for_first_paint(starting)
    try:
        if store is None:
            store = open_without_dialog(path)
    except PanelappError as exc:
        from PySide6.QtWidgets import QMessageBox

        from panelapp.ui.next_steps import error_text

        QMessageBox.critical(starting, "panelapp", error_text(exc))
        return 2
    from panelapp.services.export_files import recover_exports

    recover_exports(store)  # exports a killed panelapp left half done: finished or removed
    window = build_window(store, path, demo=demo, actor=actor)
    install_error_hook(window)
    window.show()
    starting.close()
    freeze_startup_objects()
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
