"""A cold start, timed by the parent: ``python benchmarks/coldstart.py bare|app|first [STORE
[MEETING]]``.

Prints ``SHOWN <CLOCK_MONOTONIC seconds>`` once the main window has been shown and the event
loop has run once, or ``PAINTED <seconds>`` once the first window has been painted (the parent
subtracts the moment it started this process), then closes the window and exits. Deliberately
imports nothing before the work it measures.

* ``bare``: a PySide6 process showing an empty QMainWindow, the floor for any Qt application;
  it prints both moments (shown, then painted).
* ``app``: panelapp as launched (``panelapp --store STORE``): the command line, logging, the
  store unlocked from the keyring and opened (schema checked), the main window built, the
  meeting chosen in the list (as ``build_window`` does for the demonstration meeting) and shown.
* ``first``: panelapp as launched on STORE with ``PANELAPP_QUIT_AFTER_FIRST_PAINT=1``, the
  application's own switch: it prints the moment its first window (the unlock dialog for a
  passphrase store, the main window's outline for a keyring store) was painted, and quits.
"""

import sys
import time


def _shown() -> None:
    print(f"SHOWN {time.monotonic():.6f}", flush=True)


def bare() -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    class Painted(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, painted)  # after the paint, as panelapp's own switch does
            return False

    def painted() -> None:
        print(f"PAINTED {time.monotonic():.6f}", flush=True)
        window.close()

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1280, 760)
    watcher = Painted()
    window.installEventFilter(watcher)
    window.show()
    QTimer.singleShot(0, _shown)
    QTimer.singleShot(5000, window.close)  # never waits for ever
    return app.exec()


def first(store: str) -> int:
    import os

    os.environ["PANELAPP_QUIT_AFTER_FIRST_PAINT"] = "1"
    from panelapp.cli import main

    return main(["--store", store, "--as", "Benchmark Officer"])


def app(store: str, meeting_id: int) -> int:
    import os

    os.environ["PANELAPP_QUIT_AFTER_SHOW_MS"] = "0"
    # In the order ``panelapp`` itself imports them: the command line first, then the window
    # (with the garbage collector paused, as the command line pauses it before that import).
    from panelapp.cli import main  # noqa: I001
    import gc

    gc.disable()
    import panelapp.ui.app as app_module  # noqa: I001 (after the pause)
    from PySide6.QtCore import QTimer

    build_window = app_module.build_window
    close_after_show = app_module._close_after_show_if_asked

    def build_and_choose(*args, **kwargs):
        window = build_window(*args, **kwargs)
        window.meetings.select(meeting_id)
        return window

    def mark_then_close(window) -> None:
        QTimer.singleShot(0, _shown)
        close_after_show(window)

    app_module.build_window = build_and_choose
    app_module._close_after_show_if_asked = mark_then_close
    return main(["--store", store, "--as", "Benchmark Officer"])


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        raise SystemExit(bare())
    if sys.argv[1] == "first":
        raise SystemExit(first(sys.argv[2]))
    raise SystemExit(app(sys.argv[2], int(sys.argv[3])))
