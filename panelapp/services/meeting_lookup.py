"""Finding a meeting by the number people type, with one message when there is none."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from panelapp.domain.errors import NextStep, Step
from panelapp.services.unit_of_work import NotFound
from panelapp.store.tables import Meeting


def no_meeting(meeting_id: int) -> NotFound:
    return NotFound(
        f"There is no meeting with id {meeting_id}.", next_steps=(NextStep(Step.LIST_MEETINGS),)
    )


def get_meeting(session: Session, meeting_id: int, *, options: Sequence = ()) -> Meeting:
    """The meeting, or a NotFound saying how to list the meetings."""
    meeting = session.get(Meeting, meeting_id, options=list(options) or None)
    if meeting is None:
        raise no_meeting(meeting_id)
    return meeting
