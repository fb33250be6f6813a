"""What ``AppContext.changed`` tells the screens: which service changed the store, and for
which meeting or agenda item, so that a screen can tell what it has to draw again."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StoreChanged:
    """One service ran and its work is stored.

    ``meeting_id`` and ``item_id`` are the meeting and agenda item the service was called for
    (None when the call did not name one: then anything may have changed). A change to one
    meeting can reach another (a deferral carries the case to a later agenda), so a screen
    that filters on them still redraws on an event that names no meeting.
    ``quiet`` work keeps what someone is typing (notes, form drafts) or only writes audit
    events (exports): nothing another screen shows has changed.
    """

    service: str
    meeting_id: int | None = None
    item_id: int | None = None
    quiet: bool = False

    @classmethod
    def coerce(cls, event: StoreChanged | str) -> StoreChanged:
        """The event as sent; a bare service name (the signal's older form) is an event that
        names no meeting."""
        return event if isinstance(event, StoreChanged) else cls(service=str(event))
