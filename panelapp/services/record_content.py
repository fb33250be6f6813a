"""The meeting view as the content of the minutes and decision records
(``documents.minutes_content``). The view's attendees, declarations, papers, decisions,
deferrals and actions are the documents' own types (with fields for the screens added), so
they go in as they are; only the meeting and its items are copied into the documents' types.

The view has already named each child by the chosen mode and, for documents leaving the store,
masked typed text (R18); nothing is reworded here.
"""

from __future__ import annotations

from panelapp.documents.minutes_content import (
    ItemContent,
    MeetingContent,
)
from panelapp.services.meeting_view import ItemView, MeetingView

__all__ = ["item_content", "meeting_content"]


def meeting_content(view: MeetingView) -> MeetingContent:
    return MeetingContent(
        panel_name=view.panel_name,
        meeting_date=view.meeting_date,
        start_time=view.start_time,
        venue=view.venue,
        # the views are the documents' values with more fields: they go in as they are
        attendees=view.attendees,
        declarations=view.declarations,
        items=tuple(item_content(item) for item in view.items),
        council=view.council,
        naming=view.naming,
        chair_id=view.chair_id,
        vice_chair_id=view.vice_chair_id,
        action_items=view.action_items,
    )


def item_content(item: ItemView) -> ItemContent:
    return ItemContent(
        position=item.position,
        child=item.child,
        reference=item.reference,
        request_type=item.request_type,
        status=item.status,
        presenting_officer=item.presenting_officer,
        chaired_by=item.chaired_by,
        chair_reason=item.chair_reason,
        withdrawn=item.withdrawn,
        child_name=item.child_name,
        chaired_by_id=item.chaired_by_id,
        discussion=item.discussion,
        papers=item.papers,
        decision=item.decision,
        deferral=item.deferral,
        clock=item.clock,
        clock_gap=item.clock_gap,
        carried_from=item.carried_from,
    )
