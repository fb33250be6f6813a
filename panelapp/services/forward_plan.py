"""The forward plan: every open case's next statutory date, how many days are left, whether it
is on an agenda, and the last scheduled meeting that can still hear it in time.

A meeting can still hear a case in time when it falls on or before the case's due date and its
paper deadline (the panel's own rule, calendar or working days) has not passed, so the papers
can still reach it. The clocks themselves come from ``domain.deadlines`` through
``services.cases.statutory_clock``; nothing here re-derives the law.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from panelapp.domain.late_papers import paper_deadline
from panelapp.domain.vocabulary import ItemStatus, MeetingStatus
from panelapp.services.bank_holidays import paper_deadline_rule
from panelapp.services.cases import CASE_CLOSED, clock_gap_of, statutory_clock
from panelapp.store.tables import AgendaItem, Case, Meeting

#: a case not on an agenda whose due date is this close is at risk
AT_RISK_DAYS = 14

ON_TRACK, AT_RISK, OVERDUE, UNKNOWN = "on track", "at risk", "overdue", "date unknown"


@dataclass(frozen=True)
class MeetingSlot:
    """A scheduled meeting that can still take cases: its date and paper deadline."""

    meeting_id: int
    panel_id: int
    panel_name: str
    on: date
    papers_due: date
    items: int
    minutes: int
    capacity_items: int | None
    capacity_minutes: int | None


@dataclass(frozen=True)
class CaseDeadline:
    case_id: int
    reference: str
    request_type: str
    clock_name: str
    due: date | None
    days_left: int | None
    #: the meeting whose agenda the case is on (not yet heard), or None when it is waiting
    meeting_id: int | None
    meeting_date: date | None
    #: the last scheduled meeting that can still hear it by its due date, papers in time
    last_meeting_id: int | None
    last_meeting_date: date | None
    state: str
    #: a plain note for the officer ('review meeting date missing', 'on the agenda after the
    #: due date')
    note: str = ""
    exceptions: int = 0

    @property
    def waiting(self) -> bool:
        return self.meeting_id is None


def open_slots(session, today: date, *, panel_id: int | None = None) -> list[MeetingSlot]:
    """Scheduled meetings whose paper deadline has not passed, by date."""
    query = (
        select(Meeting)
        .options(selectinload(Meeting.panel), selectinload(Meeting.items))
        .where(Meeting.status == MeetingStatus.SCHEDULED, Meeting.meeting_date >= today)
        .order_by(Meeting.meeting_date, Meeting.start_time, Meeting.id)
    )
    if panel_id is not None:
        query = query.where(Meeting.panel_id == panel_id)
    slots = []
    for m in session.scalars(query):
        papers_due = paper_deadline(m.meeting_date, paper_deadline_rule(m.panel, m.meeting_date))
        if papers_due < today:
            continue
        live = [i for i in m.items if i.status != ItemStatus.WITHDRAWN]
        slots.append(
            MeetingSlot(
                m.id,
                m.panel_id,
                m.panel.name,
                m.meeting_date,
                papers_due,
                len(live),
                sum(i.minutes_allocated for i in live),
                m.panel.capacity_items,
                m.panel.capacity_minutes,
            )
        )
    return slots


def _agenda_of_open_cases(session) -> tuple[dict[int, tuple[int, date, int]], set[int]]:
    """For each case, the meeting (id, date, panel) of its item still to be heard; and the cases
    already decided (which leave the forward plan)."""
    rows = session.execute(
        select(
            AgendaItem.case_id,
            AgendaItem.status,
            Meeting.id,
            Meeting.meeting_date,
            Meeting.panel_id,
        )
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .order_by(Meeting.meeting_date, AgendaItem.id)
    ).all()
    listed: dict[int, tuple[int, date, int]] = {}
    decided: set[int] = set()
    for case_id, status, meeting_id, on, panel_id in rows:
        if status == ItemStatus.TO_DO:
            listed[case_id] = (meeting_id, on, panel_id)
        elif status == ItemStatus.DECIDED:
            decided.add(case_id)
            listed.pop(case_id, None)
    return listed, decided


def _last_in_time(slots: Sequence[MeetingSlot], dates: Sequence[date], due: date):
    i = bisect_right(dates, due)
    return slots[i - 1] if i else None


def forward_plan(
    session,
    today: date,
    *,
    within: int | None = None,
    overdue_only: bool = False,
    panel_id: int | None = None,
) -> list[CaseDeadline]:
    """Every open case, most urgent first (cases whose date is unknown last)."""
    slots = open_slots(session, today, panel_id=panel_id)
    dates = [s.on for s in slots]
    listed, decided = _agenda_of_open_cases(session)
    cases = session.scalars(
        select(Case).options(selectinload(Case.exceptions)).where(Case.status != CASE_CLOSED)
    )
    result = []
    for case in cases:
        if case.id in decided and case.id not in listed:
            continue
        on_agenda = listed.get(case.id)
        if panel_id is not None and on_agenda is not None and on_agenda[2] != panel_id:
            continue
        clock = statutory_clock(case)
        meeting_id, meeting_date = (on_agenda[0], on_agenda[1]) if on_agenda else (None, None)
        if clock is None:
            gap = clock_gap_of(case)
            if gap is None:
                continue  # no statutory clock applies to this request
            if overdue_only or within is not None:
                continue
            result.append(
                CaseDeadline(
                    case.id,
                    case.reference,
                    case.request_type,
                    "",
                    None,
                    None,
                    meeting_id,
                    meeting_date,
                    None,
                    None,
                    UNKNOWN,
                    gap,
                )
            )
            continue
        days_left = clock.days_left(today)
        if overdue_only and days_left >= 0:
            continue
        if within is not None and days_left > within:
            continue
        last = _last_in_time(slots, dates, clock.due)
        note = ""
        if days_left < 0:
            state = OVERDUE
        elif meeting_date is not None and meeting_date > clock.due:
            state, note = AT_RISK, "on the agenda of a meeting after the due date"
        elif meeting_date is None and last is None:
            state, note = AT_RISK, "no scheduled meeting can hear it in time"
        elif meeting_date is None and days_left <= AT_RISK_DAYS:
            state, note = AT_RISK, "not yet on an agenda"
        else:
            state = ON_TRACK
        result.append(
            CaseDeadline(
                case.id,
                case.reference,
                case.request_type,
                clock.name,
                clock.due,
                days_left,
                meeting_id,
                meeting_date,
                last.meeting_id if last else None,
                last.on if last else None,
                state,
                note,
                len(clock.applying_exceptions),
            )
        )
    result.sort(key=lambda r: (r.due is None, r.due or today, r.reference))
    return result
