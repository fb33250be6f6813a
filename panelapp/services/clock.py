"""The time now, as the store keeps it: UTC without a time zone (SQLite has none)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now(*, whole_seconds: bool = False) -> datetime:
    """Now in UTC, naive; ``whole_seconds`` drops the microseconds (for times that appear in
    signed documents and must read back exactly)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    return now.replace(microsecond=0) if whole_seconds else now
