"""The window's queue of redraws runs one job per turn of the event loop, first queued first,
so that no single turn after a change holds the window for all of them."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from panelapp.ui.turns import TurnQueue


def test_one_job_per_turn_in_order_each_key_once(qtbot):
    queue = TurnQueue()
    ran: list[str] = []
    queue.later("screen", lambda: ran.append("screen"))
    queue.later("list", lambda: ran.append("list"))
    queue.later("screen", lambda: ran.append("screen again"))  # keeps its place, newest job
    queue.later("item", lambda: ran.append("item"), first=True)
    queue.later("gone", lambda: ran.append("gone"))
    queue.cancel("gone")
    turns = []
    while not queue.idle:
        QApplication.processEvents()
        turns.append(list(ran))
    assert ran == ["item", "screen again", "list"]
    assert turns[: len(ran)] == [ran[:1], ran[:2], ran[:3]]


def test_a_job_needed_now_runs_now_and_not_again(qtbot):
    queue = TurnQueue()
    ran: list[str] = []
    queue.later("list", lambda: ran.append("list"))
    queue.run_now("list")
    queue.run_now("list")  # nothing waiting: nothing run
    qtbot.wait(20)
    assert ran == ["list"] and queue.idle and not queue.pending("list")
