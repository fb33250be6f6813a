"""When an action agreed at a panel is overdue: one rule for every screen and document.

An action is overdue on a day when it is not done and its due date is before that day. Which
day depends on where it is read: the Actions window and the Run page count from today; an
agenda's matters arising count from the meeting's own date, since that is when the paper is
read (an agenda printed a week early still says what will be overdue at the meeting).
"""

from __future__ import annotations

from datetime import date


def action_overdue(due: date | None, *, done: bool, on: date) -> bool:
    """True when an action due on ``due`` and not ``done`` is late on the day ``on``; an
    action with no due date is never overdue."""
    return not done and due is not None and due < on
