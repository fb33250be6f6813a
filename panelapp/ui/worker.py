"""Running slow work (imports, exports, minutes) off the GUI thread.

One helper for every long task: the work runs in Qt's thread pool with a progress dialog,
and success or failure comes back to the GUI thread through signals. The work function never
touches a widget; it may report progress through the callable it is given.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

logger = logging.getLogger(__name__)


class _Signals(QObject):
    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[Callable[[int, int], None]], object]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work(self._progress)
        except Exception as exc:  # reported to the GUI thread, which shows it
            logger.info("background task failed: %s", type(exc).__name__)
            self._emit(self.signals.failed, exc)
        else:
            self._emit(self.signals.succeeded, result)

    def _progress(self, done: int, total: int) -> None:
        self._emit(self.signals.progress, done, total)

    @staticmethod
    def _emit(signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the window went away while the work ran; nobody to tell
            logger.info("background task finished after its window closed")


_running: set[_Task] = set()


def run_in_background(
    parent: QWidget,
    label: str,
    work: Callable[[Callable[[int, int], None]], object],
    on_success: Callable[[object], None],
    on_failure: Callable[[Exception], None],
    *,
    show_progress: bool = True,
) -> QProgressDialog:
    """Start ``work(progress)`` in the thread pool with a progress dialog over ``parent``
    (never shown with ``show_progress=False``: work the person need not wait for)."""
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setWindowTitle("panelapp")
    dialog.setCancelButton(None)
    if show_progress:
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300 if show_progress else 2**31 - 1)
    task = _Task(work)
    _running.add(task)

    def progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    def finish() -> None:
        _running.discard(task)
        dialog.reset()
        dialog.close()

    def succeeded(result: object) -> None:
        finish()
        on_success(result)

    def failed(exc: Exception) -> None:
        finish()
        on_failure(exc)

    if show_progress:
        task.signals.progress.connect(progress)
    task.signals.succeeded.connect(succeeded)
    task.signals.failed.connect(failed)
    task.setAutoDelete(False)
    QThreadPool.globalInstance().start(task)
    return dialog


def wait_for_background_work() -> None:
    """Let running tasks finish (before the store they use is closed)."""
    QThreadPool.globalInstance().waitForDone()
