"""What the minutes and a decision record say about a meeting, as plain values: the services
fill them in (from their meeting view, which has already named each child by the chosen mode
and masked typed text), the writers turn them into Word. documents/ owns these types so that it
never reads the services' own (as ``agenda_content`` does for the agenda).

Only what the writers print is here; the attribute names are the meeting view's, so the view's
values carry over one for one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from panelapp.domain.deadlines import StatutoryClock
from panelapp.domain.outcomes import DecisionDraft
from panelapp.domain.vocabulary import AttendanceStatus, ItemStatus, NamingMode, RequestType, Role

__all__ = [
    "ActionContent",
    "AttendeeContent",
    "DecisionContent",
    "DeclarationContent",
    "DeferralContent",
    "ItemContent",
    "MeetingContent",
    "PaperContent",
]


@dataclass(frozen=True)
class AttendeeContent:
    member_id: int
    name: str
    roles: tuple[Role, ...]
    status: AttendanceStatus
    organisation: str = ""
    #: what a non-member attended as ("Minute taker (SEN operations officer)")
    in_attendance_as: str = ""
    #: a late arrival: the first item they were in the room for
    arrived_before: int | None = None
    #: an early leaver: the first item after they left
    left_before: int | None = None
    online: bool = False


@dataclass(frozen=True)
class DeclarationContent:
    member_name: str
    item_position: int | None  # None: every item
    nature: str
    withdrew: bool
    before_meeting: bool
    left_at: time | None
    returned_at: time | None
    member_id: int | None = None
    #: declared after the item was decided, recorded as a correction in an amendment
    correction: bool = False
    correction_reason: str = ""
    #: False for a declaration made in advance by a member who then did not attend
    attended: bool = True
    #: for an "every item" declaration: the items already taken when it was made
    excluded_positions: tuple[int, ...] = ()


@dataclass(frozen=True)
class PaperContent:
    title: str
    received_on: date
    late: bool
    pages: int | None
    #: the date of the earlier meeting it was sent for, when the case was carried forward
    carried_from: date | None = None


@dataclass(frozen=True)
class DecisionContent(DecisionDraft):
    """A decision as recorded: its fields, and the members who took part."""

    participants: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeferralContent:
    reason: str
    information_required: str
    provider: str
    return_date: date
    statutory_due: date | None
    past_due_reason: str | None
    timescale_risk: bool
    inquorate_reasons: tuple[str, ...]
    participants: tuple[str, ...]
    #: the date of the meeting the case was carried forward to, once it is on that agenda
    relisted_to: date | None


@dataclass(frozen=True)
class ActionContent:
    description: str
    owner: str
    due_date: date | None
    item_position: int | None


@dataclass(frozen=True)
class ItemContent:
    position: int
    #: the child as the naming mode shows them, with the reference ("OG (NB-24-0311)")
    child: str
    reference: str
    request_type: RequestType
    status: ItemStatus
    presenting_officer: str
    chaired_by: str | None
    chair_reason: str
    #: the members who left the room for this item
    withdrawn: tuple[str, ...]
    #: the child's name alone as the naming mode shows it ("Oliver Grant", "OG"; "" by reference)
    child_name: str = ""
    chaired_by_id: int | None = None
    discussion: str = ""
    papers: tuple[PaperContent, ...] = ()
    decision: DecisionContent | None = None
    deferral: DeferralContent | None = None
    clock: StatutoryClock | None = None
    #: why a clock the law gives this request cannot be worked out; None when known or none
    clock_gap: str | None = None
    #: the date of the earlier meeting that deferred this case to this one
    carried_from: date | None = None


@dataclass(frozen=True)
class MeetingContent:
    panel_name: str
    meeting_date: date
    start_time: time
    venue: str
    attendees: tuple[AttendeeContent, ...]
    declarations: tuple[DeclarationContent, ...]
    items: tuple[ItemContent, ...]
    council: str = ""
    naming: NamingMode = NamingMode.INITIALS
    chair_id: int | None = None
    vice_chair_id: int | None = None
    action_items: tuple[ActionContent, ...] = ()

    def member_name(self, member_id: int | None) -> str | None:
        for attendee in self.attendees:
            if attendee.member_id == member_id:
                return attendee.name
        return None
