"""When a paper is late (DOMAIN.md, procedure step 1).

The terms of reference say papers reach the SEN operations officer "at least N days before the
panel". We read that as a calendar-day boundary in the council's local time: with a meeting on
Thursday 12 March and N = 2, the deadline day is Tuesday 10 March and a paper received at any
time on that Tuesday is on time; one received on Wednesday 11 March (or on the day) is late.
Weekends and bank holidays count as days, like every other clock in DOMAIN.md. A whole day is
used, not a time of day, because officers read "two days before" as a date, not an hour.
"""

from __future__ import annotations

from datetime import date, timedelta


def paper_deadline(meeting_date: date, deadline_days: int) -> date:
    """The last day on which a paper for this meeting is on time."""
    return meeting_date - timedelta(days=max(0, deadline_days))


def is_late_paper(received_on: date, meeting_date: date, deadline_days: int) -> bool:
    """True when a paper received on ``received_on`` (a local calendar date) is late."""
    return received_on > paper_deadline(meeting_date, deadline_days)
