"""Panels and meetings built through panelapp's own services, as people build them: one unit of
work to prepare a meeting (cases, agenda, attendance, a declaration, start), one per decision
or deferral (as the minute taker records them, each committed on its own), one to close it.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from benchmarks.fiction import DEFER_REASONS, MEMBERS, decision_kwargs, discussion, fictional_case
from panelapp.domain.vocabulary import AttendanceStatus, NamingMode
from panelapp.services import cases, decisions, declarations, meetings
from panelapp.services.demo import create_send_panel
from panelapp.services.meeting_view import MeetingView, meeting_view
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.engine import Store

ACTOR = "Benchmark Officer"
PANEL_NAME = "SEND Panel (benchmark, fictional)"
FIRST_MEETING = date(2026, 1, 8)  # a Thursday
DEFER_EVERY = 5  # every fifth item is deferred: 32 decisions and 8 deferrals per 40 items


def meeting_day(k: int) -> date:
    return FIRST_MEETING + timedelta(days=7 * k)


def setup_panel(store: Store) -> tuple[int, dict[str, int]]:
    with UnitOfWork(store, ACTOR) as uow:
        return create_send_panel(uow, PANEL_NAME, "Benchmark Borough Council (fictional)", MEMBERS)


def prepare_meeting(
    store: Store,
    panel_id: int,
    members: dict[str, int],
    day: date,
    n_items: int,
    first_case: int,
    *,
    start: bool = True,
) -> tuple[int, list[int]]:
    """Schedule a meeting with ``n_items`` new cases on its agenda, attendance taken, one
    interest declared in advance, and (``start``) the meeting started."""
    with UnitOfWork(store, ACTOR) as uow:
        meeting_id = meetings.schedule_meeting(
            uow, panel_id, on=day, start=time(9, 30), venue="Committee Room 1, Civic Centre"
        )
        item_ids = []
        for n in range(first_case, first_case + n_items):
            details = cases.CaseDetails(**fictional_case(n, day).__dict__)
            case_id = cases.add_case(uow, details)
            item_ids.append(
                meetings.put_on_agenda(
                    uow, meeting_id, case_id, minutes=10, presenting_officer=details.case_officer
                )
            )
        if len(item_ids) > 3:
            declarations.declare_interest(
                uow,
                meeting_id,
                members["Peter Graves"],
                item_id=item_ids[3],
                nature="Headteacher of the school making the request",
                before_meeting=True,
            )
        for name, member_id in members.items():
            status = AttendanceStatus.PRESENT
            if name == "Dr Nadia Sayed":
                status = AttendanceStatus.APOLOGIES
            elif name == "Colin Reeves":
                status = AttendanceStatus.ABSENT
            meetings.record_attendance(
                uow,
                meeting_id,
                member_id,
                status,
                arrived_at=time(9, 25) if status is AttendanceStatus.PRESENT else None,
            )
        if start:
            meetings.start_meeting(uow, meeting_id)
    return meeting_id, item_ids


def hold_meeting(
    store: Store,
    item_ids: list[int],
    first_case: int,
    day: date,
    *,
    return_date: date,
    with_discussion: bool = False,
) -> tuple[int, int]:
    """Record a decision on each item, or a deferral on every fifth, each in its own unit of
    work. Returns (decisions, deferrals)."""
    decided = deferred = 0
    for offset, item_id in enumerate(item_ids):
        n = first_case + offset
        if with_discussion:
            with UnitOfWork(store, ACTOR) as uow:
                first_name = fictional_case(n, day).first_name
                meetings.save_discussion(uow, item_id, discussion(n, first_name))
        with UnitOfWork(store, ACTOR) as uow:
            if offset % DEFER_EVERY == DEFER_EVERY - 1:
                decisions.defer_item(
                    uow,
                    item_id,
                    reason=DEFER_REASONS[n % len(DEFER_REASONS)],
                    information_required="Costed provision map; therapy report",
                    provider="School SENCo (provision map); NHS therapy service (report)",
                    return_date=return_date,
                    past_due_reason="The report is booked; the family agreed to wait for it.",
                )
                deferred += 1
            else:
                rtype = fictional_case(n, day).request_type
                decisions.record_decision(uow, item_id, **decision_kwargs(n, rtype, day))
                decided += 1
    return decided, deferred


def close_meeting(store: Store, meeting_id: int) -> None:
    with UnitOfWork(store, ACTOR) as uow:
        meetings.close_meeting(uow, meeting_id)


def load_meeting(store: Store, meeting_id: int) -> MeetingView:
    with store.read() as session:
        return meeting_view(session, meeting_id, NamingMode.INITIALS)


def store_workload(store: Store, n_meetings: int, n_items: int) -> dict:
    """The measured store workload: ``n_meetings`` meetings of ``n_items`` new cases each,
    prepared, every item decided or deferred, closed, and loaded. Deferrals return after the
    last meeting, so none is re-listed and every meeting keeps exactly ``n_items`` items."""
    panel_id, members = setup_panel(store)
    return_date = meeting_day(n_meetings + 4)
    decided = deferred = loaded = 0
    for k in range(n_meetings):
        day = meeting_day(k)
        first = k * n_items
        meeting_id, item_ids = prepare_meeting(store, panel_id, members, day, n_items, first)
        d, f = hold_meeting(store, item_ids, first, day, return_date=return_date)
        decided, deferred = decided + d, deferred + f
        close_meeting(store, meeting_id)
        loaded += len(load_meeting(store, meeting_id).items)
    return {"decisions": decided, "deferrals": deferred, "items_loaded": loaded}
