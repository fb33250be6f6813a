"""Dates as people read them, the same whatever the computer's language settings: the month and
day names are written here rather than taken from the operating system's locale (strftime's
%B, %b, %A and %a follow the locale, so a laptop set to Welsh or French would print other
words into an English record)."""

from __future__ import annotations

from datetime import date, datetime

from panelapp.domain.uk_time import uk_time

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def format_date(d: date) -> str:
    """'16 February 2026': the form used in minutes and letters."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def short_date(d: date, *, padded: bool = True) -> str:
    """'06 Feb 2026' ('6 Feb 2026' unless ``padded``): for lists and tables."""
    day = f"{d.day:02d}" if padded else str(d.day)
    return f"{day} {_MONTHS[d.month - 1][:3]} {d.year}"


def weekday_date(d: date) -> str:
    """'Monday 16 February 2026'."""
    return f"{_DAYS[d.weekday()]} {format_date(d)}"


def short_weekday_date(d: date) -> str:
    """'Mon 16 Feb 2026'."""
    return f"{_DAYS[d.weekday()][:3]} {short_date(d)}"


def short_moment(moment: datetime, *, padded: bool = True) -> str:
    """'06 Feb 2026 09:15' (a wall-clock time already in the zone to show)."""
    return f"{short_date(moment, padded=padded)} {moment:%H:%M}"


def uk_moment(moment: datetime | None) -> str:
    """A stored moment as the time in England: '12 March 2026 14:05' ('' for none)."""
    if moment is None:
        return ""
    local = uk_time(moment)
    return f"{format_date(local.date())} {local:%H:%M}"
