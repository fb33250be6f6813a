"""Knowing when the first window a person sees has been drawn.

The application shows a light window first (the unlock dialog, or the main window's outline)
and loads the heavy parts only once it is on screen. ``PANELAPP_QUIT_AFTER_FIRST_PAINT=1``
makes the application print ``first window painted <CLOCK_MONOTONIC seconds>`` on standard
output at that moment and quit, so that a start-up can be timed from outside (the benchmarks
do this) without anyone at the keyboard.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QTimer

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

QUIT_AFTER_FIRST_PAINT_VARIABLE = "PANELAPP_QUIT_AFTER_FIRST_PAINT"
#: How long to wait for a first paint that may never come (a window opened minimised).
PAINT_WAIT_MS = 1000


def quit_after_first_paint() -> bool:
    return os.environ.get(QUIT_AFTER_FIRST_PAINT_VARIABLE, "").strip() not in ("", "0")


class FirstPaint(QObject):
    """Calls ``then`` once, from the event loop, just after ``widget`` was first painted."""

    def __init__(self, widget: QWidget, then: Callable[[], object]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then: Callable[[], object] | None = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._widget and event.type() == QEvent.Type.Paint and self._then:
            # The paint itself happens after this filter returns; the call waits for it.
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            self._widget.removeEventFilter(self)
            then()


def report_and_quit() -> None:
    """For ``PANELAPP_QUIT_AFTER_FIRST_PAINT``: say when, then leave every event loop."""
    if sys.stdout is not None:  # a windowed build may have no standard output
        print(f"first window painted {time.monotonic():.6f}", flush=True)
    QCoreApplication.exit(0)


def wait_for_first_paint(widget: QWidget) -> None:
    """Show ``widget`` and run the event loop until it has been painted (or PAINT_WAIT_MS)."""
    loop = QEventLoop()
    FirstPaint(widget, loop.quit)
    QTimer.singleShot(PAINT_WAIT_MS, loop.quit)
    widget.show()
    loop.exec()
