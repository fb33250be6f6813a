"""Schedule a series of meetings in one go, skipping or moving England's bank holidays."""

from __future__ import annotations

from datetime import date, time

from panelapp.domain.meeting_series import MOVE, SeriesDay, series_days
from panelapp.services.bank_holidays import england_bank_holidays
from panelapp.services.meetings import schedule_meeting
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import Meeting, Panel


def plan_series(
    *,
    every_weeks: int,
    weekday: int,
    start: date,
    until: date | None = None,
    count: int | None = None,
    on_holiday: str = MOVE,
) -> list[SeriesDay]:
    """The days the series would take (nothing is scheduled)."""
    last_year = (until or start).year + (count or 0) * every_weeks // 52 + 1
    bank = england_bank_holidays(range(start.year, last_year + 1))
    return series_days(
        every_weeks=every_weeks,
        weekday=weekday,
        start=start,
        until=until,
        count=count,
        bank_holidays=bank,
        on_holiday=on_holiday,
    )


def schedule_series(
    uow: UnitOfWork,
    panel_id: int,
    days: list[SeriesDay],
    *,
    start_time: time,
    venue: str = "",
    online_link: str = "",
) -> list[int]:
    """Schedule a meeting on each day, all or none."""
    uow.get(Panel, panel_id, "panel")
    ids = []
    for day in days:
        meeting_id = schedule_meeting(uow, panel_id, on=day.on, start=start_time, venue=venue)
        if online_link:
            uow.get(Meeting, meeting_id, "meeting").online_link = online_link
        ids.append(meeting_id)
    uow.audit("meetings.series_scheduled", "panel", panel_id, meetings=len(ids))
    return ids
