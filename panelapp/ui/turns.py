"""Work for the GUI thread done one piece per turn of the event loop.

After a change, the window has several things to draw again (the page in view, the item chosen
next, the meeting list, the pages behind other tabs). Done in one go, or as timers that all
fall due in the same pass of the event loop, they hold the window for their sum; queued here,
each runs on a turn of its own and the window answers input and paints in between.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import QObject, QTimer


class TurnQueue(QObject):
    """Jobs by key, first queued first run, one per turn. Queuing a key already waiting keeps
    its place (the newest job for it runs); a job run or cancelled before its turn is gone."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: dict[Hashable, Callable[[], object]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run_one)

    def later(self, key: Hashable, job: Callable[[], object], *, first: bool = False) -> None:
        """Queue ``job`` under ``key``; ``first``: ahead of everything waiting."""
        if first:
            self._jobs = {key: job, **{k: j for k, j in self._jobs.items() if k != key}}
        else:
            self._jobs[key] = job
        if not self._timer.isActive():
            self._timer.start()

    def pending(self, key: Hashable) -> bool:
        return key in self._jobs

    def cancel(self, key: Hashable) -> None:
        self._jobs.pop(key, None)

    def run_now(self, key: Hashable) -> None:
        """Run ``key``'s job now if it is waiting (something needs what it draws)."""
        job = self._jobs.pop(key, None)
        if job is not None:
            job()

    @property
    def idle(self) -> bool:
        return not self._jobs

    def _run_one(self) -> None:
        if not self._jobs:
            return
        key = next(iter(self._jobs))
        job = self._jobs.pop(key)
        try:
            job()
        finally:
            # The next on a later turn, even if this one failed. Started after the job, so
            # that timers which fell due while it ran (input, painting) come first.
            if self._jobs and not self._timer.isActive():
                self._timer.start()
