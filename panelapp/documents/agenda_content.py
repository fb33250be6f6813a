"""What an agenda says, as plain values: the services fill it in from the store, the writer
turns it into Word. Keeping the two apart means the writer never touches the database and the
content can be tested without opening a document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True)
class AgendaPaper:
    number: int
    title: str
    kind_label: str
    pages: int | None
    received: datetime  # local wall-clock time
    late: bool
    #: the date of the earlier meeting it was sent for, when the case was carried forward
    carried_from: date | None = None


@dataclass(frozen=True)
class AgendaEntry:
    position: int
    start: time
    end: time
    minutes: int
    child: str
    request_type: str
    presenting_officer: str
    statutory_due: date | None
    statutory_what: str  # e.g. "Decision whether to assess"
    overdue: bool  # the due date is before the meeting
    returning_from: date | None  # the meeting that deferred it
    returning_for: str  # what the panel asked for when it deferred
    chair_note: str  # who chairs, when the chair has declared an interest in advance
    declared_by: tuple[str, ...]  # members who declared an interest in advance
    papers: tuple[AgendaPaper, ...]
    #: in a member's pack: the member declared an interest, so the papers are left out (R3)
    withheld: bool = False
    #: what is missing to work out a clock the law gives this request ('review meeting date
    #: missing'); empty when the clock is known or there is none
    clock_unknown: str = ""
    #: why the case is back when a chief officer returned the panel's decision: who returned
    #: it, when, and their comment ('Dana Fox (Director of Children's Services) on 3 December
    #: 2026: reconsider the band'); empty otherwise
    returned_by: str = ""


@dataclass(frozen=True)
class AgendaMember:
    name: str
    roles: str
    organisation: str


@dataclass(frozen=True)
class PreviousMeeting:
    """The panel's last meeting before this one, whose minutes come first on the agenda."""

    meeting_date: date
    #: the minutes' latest version is signed ("for noting"), or not yet ("to be signed")
    minutes_signed: bool
    #: a draft or signed version exists at all
    minutes_made: bool


@dataclass(frozen=True)
class MatterArising:
    """An action agreed at an earlier meeting of the panel that is not done yet."""

    description: str
    owner: str
    due: date | None
    agreed_on: date  # the meeting that agreed it
    item_position: int | None  # the item it came from, at that meeting
    overdue: bool  # its due date is before this meeting


@dataclass(frozen=True)
class AgendaDocument:
    panel_name: str
    council: str
    meeting_date: date
    start: time
    end: time
    venue: str
    chair: str
    vice_chair: str
    minute_taker: str
    members: tuple[AgendaMember, ...]
    paper_deadline: date
    naming_label: str
    opening_minutes: int
    entries: tuple[AgendaEntry, ...]
    advance_declarations: tuple[str, ...]
    next_meeting: date | None
    produced_on: date
    council_address: str = ""
    council_contact: str = ""
    previous_meeting: PreviousMeeting | None = None
    matters_arising: tuple[MatterArising, ...] = ()

    @property
    def late_papers(self) -> int:
        return sum(p.late for e in self.entries for p in e.papers)
