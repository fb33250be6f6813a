"""The council's clock: moments shown to people, and in signed documents, are UK local time.

The store keeps moments in UTC (and reads them back aware, in UTC). A laptop's own time zone is not the council's (a chair abroad,
a server set to UTC), so every moment a person reads goes through here, to Europe/London, with
its zone name (GMT or BST) where it matters.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def uk_time(moment: datetime) -> datetime:
    """``moment`` (the store reads moments back aware in UTC; a naive one is taken as UTC) as
    an aware UK local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UK)


def uk_day(moment: datetime) -> date:
    """The council's calendar day on which ``moment`` (naive means UTC) fell."""
    return uk_time(moment).date()
