"""The days of a series of meetings: every N weeks on a weekday, from a date, until a date or
for a number of meetings. A day that falls on a bank holiday is either moved to the next
working day or skipped, as the officer chooses."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, timedelta

from panelapp.domain.errors import PanelappError
from panelapp.domain.late_papers import is_working_day

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MOVE, SKIP = "move", "skip"
#: no series runs on for ever
MAX_MEETINGS = 200


@dataclass(frozen=True)
class SeriesDay:
    on: date
    #: the day the pattern gave, when a bank holiday moved the meeting
    moved_from: date | None = None


def series_days(
    *,
    every_weeks: int,
    weekday: int,
    start: date,
    until: date | None = None,
    count: int | None = None,
    bank_holidays: Container[date] = frozenset(),
    on_holiday: str = MOVE,
) -> list[SeriesDay]:
    if every_weeks < 1:
        raise PanelappError("Give the series an interval of at least one week.")
    if (until is None) == (count is None):
        raise PanelappError("Say when the series ends: an end date or a number of meetings.")
    if count is not None and not 1 <= count <= MAX_MEETINGS:
        raise PanelappError(f"Give a number of meetings from 1 to {MAX_MEETINGS}.")
    if until is not None and until < start:
        raise PanelappError("The series ends before it starts. Check the dates.")
    if on_holiday not in (MOVE, SKIP):
        raise PanelappError("Say whether a meeting on a bank holiday moves or is skipped.")
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    out: list[SeriesDay] = []
    while (count is None or len(out) < count) and (until is None or day <= until):
        if len(out) >= MAX_MEETINGS:
            raise PanelappError(f"A series holds at most {MAX_MEETINGS} meetings.")
        if day not in bank_holidays:
            out.append(SeriesDay(day))
        elif on_holiday == MOVE:
            moved = day + timedelta(days=1)
            while not is_working_day(moved, bank_holidays):
                moved += timedelta(days=1)
            out.append(SeriesDay(moved, day))
        day += timedelta(weeks=every_weeks)
    return out
