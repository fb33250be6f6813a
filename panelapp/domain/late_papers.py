"""When a paper is late (DOMAIN.md, procedure step 1).

The terms of reference say papers reach the SEN operations officer "at least N days before the
panel". The number of days and whether they are calendar days (the Rutland ToR's "2 days", the
default) or working days is a panel setting. The deadline is a whole day in the council's local
time: with a meeting on Thursday 12 March and 2 calendar days, the deadline day is Tuesday 10
March and a paper received at any time on that Tuesday is on time; one received on Wednesday 11
March (or on the day) is late. Counted in working days, weekends and bank holidays are skipped:
with a meeting on Tuesday 29 December 2026, 2 working days before is Wednesday 23 December
(Christmas Day, the weekend and the Boxing Day holiday on Monday 28 December do not count).

The domain takes the bank holidays as a set of dates; the services supply England's.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class PaperDeadlineRule:
    """A panel's paper deadline: ``days`` before the meeting, calendar or working days."""

    days: int = 2
    working_days: bool = False
    bank_holidays: Container[date] = field(default_factory=frozenset, compare=False)

    def describe(self) -> str:
        unit = "working day" if self.working_days else "day"
        return f"{self.days} {unit}{'' if self.days == 1 else 's'} before the meeting"


def is_working_day(day: date, bank_holidays: Container[date]) -> bool:
    return day.weekday() < 5 and day not in bank_holidays


def paper_deadline(meeting_date: date, rule: PaperDeadlineRule | int) -> date:
    """The last day on which a paper for this meeting is on time. A bare number of days is
    read as calendar days."""
    if isinstance(rule, int):
        rule = PaperDeadlineRule(days=rule)
    days = max(0, rule.days)
    if not rule.working_days:
        return meeting_date - timedelta(days=days)
    day = meeting_date
    counted = 0
    while counted < days:
        day -= timedelta(days=1)
        if is_working_day(day, rule.bank_holidays):
            counted += 1
    return day


def is_late_paper(received_on: date, meeting_date: date, rule: PaperDeadlineRule | int) -> bool:
    """True when a paper received on ``received_on`` (a local calendar date) is late."""
    return received_on > paper_deadline(meeting_date, rule)
