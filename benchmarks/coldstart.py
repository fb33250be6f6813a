"""A cold start, timed by the parent: ``python benchmarks/coldstart.py bare|app [STORE MEETING]``.

Prints ``SHOWN <CLOCK_MONOTONIC seconds>`` once the main window has been shown and the event
loop has run once (the parent subtracts the moment it started this process), then closes the
window and exits. Deliberately imports nothing before the work it measures.

* ``bare``: a PySide6 process showing an empty QMainWindow, the floor for any Qt application.
* ``app``: panelapp as launched (``panelapp --store STORE``): the command line, logging, the
  store unlocked from the keyring and opened (schema checked), the main window built, the
  meeting chosen in the list (as ``build_window`` does for the demonstration meeting) and shown.
"""

import sys
import time


def _shown() -> None:
    print(f"SHOWN {time.monotonic():.6f}", flush=True)


def bare() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1280, 760)
    window.show()
    QTimer.singleShot(0, _shown)
    QTimer.singleShot(0, window.close)
    return app.exec()


def app(store: str, meeting_id: int) -> int:
    import os

    os.environ["PANELAPP_QUIT_AFTER_SHOW_MS"] = "0"
    # In the order ``panelapp`` itself imports them: the command line first, then the window.
    from panelapp.cli import main  # noqa: I001

    import panelapp.ui.app as app_module
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
    raise SystemExit(app(sys.argv[2], int(sys.argv[3])))
