"""Making sure a store holds the demonstration panel, without building it twice."""

from __future__ import annotations

from sqlalchemy import select

from panelapp.services.demo import DEMO_PANEL_NAME, build_demo
from panelapp.store.engine import Store
from panelapp.store.tables import Meeting, Panel


def ensure_demo(store: Store, *, actor: str) -> tuple[int, bool]:
    """(id of the demo's held meeting, whether it was built now)."""
    with store.read() as session:
        meeting_id = session.scalar(
            select(Meeting.id)
            .join(Panel, Meeting.panel_id == Panel.id)
            .where(Panel.name == DEMO_PANEL_NAME)
            .order_by(Meeting.meeting_date, Meeting.id)
        )
    if meeting_id is not None:
        return meeting_id, False
    return build_demo(store, actor=actor).meeting_id, True
