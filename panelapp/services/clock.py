"""The time now, as the store keeps it: an aware moment in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now(*, whole_seconds: bool = False) -> datetime:
    """Now, aware, in UTC; ``whole_seconds`` drops the microseconds (for times that appear in
    signed documents and must read back exactly)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=0) if whole_seconds else now
