"""The meetings as an iCalendar file, for members' and officers' calendars.

Only the panel's name, the day, the time, the venue and the online link go in: never a case,
a child's name, a reference or a date of birth. Each meeting's UID is derived from the store's
id and the meeting's id, so importing a later export updates the same calendar entries instead
of adding new ones; SEQUENCE goes up each time a meeting moves; a cancelled meeting (deleted
from the store, remembered by its audit event) is exported with STATUS:CANCELLED.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import select

from panelapp.services.clock import utc_now
from panelapp.services.export_files import publish_file, target_path
from panelapp.store.engine import Store
from panelapp.store.tables import AuditEvent, Meeting, Panel, StoreMeta

logger = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")
#: how long a meeting is shown in a calendar when nothing says otherwise
MEETING_HOURS = 3


@dataclass(frozen=True)
class ExportedCalendar:
    path: Path
    sha256: str
    meetings: int
    cancelled: int


def meeting_uid(store_id: str, meeting_id: int) -> str:
    return f"meeting-{meeting_id}-{store_id}@panelapp"


def _cancelled(session, panel_id: int | None) -> list[tuple[int, int, date, int]]:
    """(meeting id, panel id, date, times moved) of the meetings cancelled."""
    # The reason for a move or a cancellation has an event of the same name of its own: only
    # the events that carry the dates count.
    moved: dict[int, int] = {}
    for entity_id, detail in session.execute(
        select(AuditEvent.entity_id, AuditEvent.detail).where(
            AuditEvent.action == "meeting.rescheduled"
        )
    ):
        if "date_to" in json.loads(detail):
            moved[entity_id] = moved.get(entity_id, 0) + 1
    out = []
    for event in session.scalars(
        select(AuditEvent).where(AuditEvent.action == "meeting.cancelled").order_by(AuditEvent.seq)
    ):
        detail = json.loads(event.detail)
        if "date" not in detail:
            continue
        if panel_id is not None and detail.get("panel_id") != panel_id:
            continue
        on = date.fromisoformat(str(detail["date"])[:10])
        out.append((event.entity_id, detail.get("panel_id"), on, moved.get(event.entity_id, 0)))
    return out


def build_calendar(session, *, panel_id: int | None = None) -> tuple[bytes, int, int]:
    meta = session.get(StoreMeta, "store_id")
    store_id = meta.value if meta is not None else "store"
    now = utc_now()
    cal = Calendar()
    cal.add("prodid", "-//panelapp//meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Panel meetings")
    query = select(Meeting).order_by(Meeting.meeting_date, Meeting.id)
    if panel_id is not None:
        query = query.where(Meeting.panel_id == panel_id)
    meetings = list(session.scalars(query))
    for m in meetings:
        start = datetime.combine(m.meeting_date, m.start_time, tzinfo=LONDON)
        ev = Event()
        ev.add("uid", meeting_uid(store_id, m.id))
        ev.add("dtstamp", now)
        ev.add("dtstart", start)
        ev.add("dtend", start + timedelta(hours=MEETING_HOURS))
        ev.add("summary", m.panel.name)
        ev.add("sequence", m.calendar_sequence or 0)
        ev.add("status", "CONFIRMED")
        if m.venue:
            ev.add("location", m.venue)
        if m.online_link:
            ev.add("url", m.online_link)
            ev.add("description", f"Join online: {m.online_link}")
        cal.add_component(ev)
    names = {p.id: p.name for p in session.scalars(select(Panel))}
    cancelled = _cancelled(session, panel_id)
    for meeting_id, pid, on, moved in cancelled:
        ev = Event()
        ev.add("uid", meeting_uid(store_id, meeting_id))
        ev.add("dtstamp", now)
        ev.add("dtstart", on)
        ev.add("summary", f"{names.get(pid, 'Panel')} (cancelled)")
        ev.add("sequence", moved + 1)
        ev.add("status", "CANCELLED")
        cal.add_component(ev)
    return cal.to_ical(), len(meetings), len(cancelled)


def export_calendar(
    store: Store,
    actor: str,
    out: Path,
    *,
    panel_id: int | None = None,
    overwrite: bool = False,
) -> ExportedCalendar:
    with store.read() as session:
        data, meetings, cancelled = build_calendar(session, panel_id=panel_id)
    target = target_path(out, "panel-meetings.ics")

    def record(uow, digest: str) -> None:
        uow.audit(
            "calendar.exported",
            "panel" if panel_id is not None else "meeting",
            panel_id,
            meetings=meetings,
            cancelled=cancelled,
            sha256=digest,
        )

    digest = publish_file(
        store, actor, target, lambda fh: fh.write(data), record, overwrite=overwrite
    )
    logger.info("exported a calendar of %d meetings", meetings)
    return ExportedCalendar(target, digest, meetings, cancelled)
