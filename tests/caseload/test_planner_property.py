"""Property: over generated caseloads and meetings (two panels, their capacities and paper
deadlines, items already booked, cases due in the past or the future, dates unknown, cases
closed), the planner's proposal keeps every meeting within its capacity, proposes 'in time'
only a meeting on or before the due date whose paper deadline has not passed, accounts for
every waiting case, never lets a case go late while a meeting in time has room, and applying
it puts on the agendas exactly the cases the officer accepted.

The expected answers (due dates, paper deadlines, room left) are worked out here from what
was generated, not read from the services.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import count

import holidays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from panelapp.domain.vocabulary import ItemStatus, PanelType, PrimaryNeed, RequestType
from panelapp.services.cases import CaseDetails, add_case, close_case
from panelapp.services.forward_plan import forward_plan
from panelapp.services.meetings import put_on_agenda, schedule_meeting
from panelapp.services.planner import ITEM_MINUTES, apply_plan, plan_meetings
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.lifecycle import create_store
from panelapp.store.tables import AgendaItem, Panel

TODAY = date(2026, 3, 12)
ENGLAND = holidays.country_holidays("GB", subdiv="ENG", years=range(2025, 2028))

PANELS = st.lists(
    st.fixed_dictionaries(
        {
            "paper_days": st.integers(0, 5),
            "working_days": st.booleans(),
            "items": st.none() | st.integers(1, 4),
            "minutes": st.none() | st.integers(10, 90),
        }
    ),
    min_size=1,
    max_size=2,
)
MEETINGS = st.lists(
    st.fixed_dictionaries(
        {
            "panel": st.integers(0, 1),
            "offset": st.integers(-3, 60),  # days after today
            "booked": st.lists(st.integers(5, 45), max_size=3),  # minutes of items on it
        }
    ),
    max_size=6,
)
CASES = st.lists(
    st.tuples(
        st.sampled_from(["assessment", "review", "review, date unknown", "no clock", "closed"]),
        st.integers(-40, 70),  # due date, days after today
    ),
    min_size=1,
    max_size=14,
)


@dataclass
class Built:
    meeting_on: dict[int, date]
    papers_due: dict[int, date]
    booked: dict[int, Counter]  # meeting -> case ids already on its agenda
    booked_minutes: dict[int, int]
    capacity: dict[int, tuple[int | None, int | None]]
    waiting_due: dict[int, date]  # the cases the planner must account for, and their due date
    not_waiting: set[int]


def _papers_due(on: date, days: int, working: bool) -> date:
    if not working:
        return on - timedelta(days=days)
    day, counted = on, 0
    while counted < days:
        day -= timedelta(days=1)
        if day.weekday() < 5 and day not in ENGLAND:
            counted += 1
    return day


def _build(store, panels_, meetings_, cases_) -> Built:
    refs = count(1)
    built = Built({}, {}, {}, {}, {}, {}, set())

    def case(uow, request_type, **dates) -> int:
        return add_case(
            uow,
            CaseDetails(
                reference=f"P-{next(refs)}",
                first_name="Child",
                last_name="Generated",
                date_of_birth=date(2015, 6, 1),
                request_type=request_type,
                primary_need=PrimaryNeed.MLD,
                **dates,
            ),
        )

    with UnitOfWork(store, "ops officer") as uow:
        panel_ids = []
        for n, p in enumerate(panels_):
            pid = create_panel_with(uow, f"Panel {n}", p)
            panel_ids.append((pid, p))
        for m in meetings_:
            pid, p = panel_ids[m["panel"] % len(panel_ids)]
            on = TODAY + timedelta(days=m["offset"])
            mid = schedule_meeting(uow, pid, on=on, start=time(10))
            built.meeting_on[mid] = on
            built.papers_due[mid] = _papers_due(on, p["paper_days"], p["working_days"])
            built.capacity[mid] = (p["items"], p["minutes"])
            built.booked[mid] = Counter()
            built.booked_minutes[mid] = sum(m["booked"])
            for minutes in m["booked"]:
                cid = case(
                    uow,
                    RequestType.ASSESSMENT_REQUEST,
                    request_received=TODAY - timedelta(days=10),
                )
                put_on_agenda(uow, mid, cid, minutes=minutes)
                built.booked[mid][cid] += 1
                built.not_waiting.add(cid)
        for kind, offset in cases_:
            due = TODAY + timedelta(days=offset)
            if kind in ("assessment", "closed"):
                cid = case(
                    uow, RequestType.ASSESSMENT_REQUEST, request_received=due - timedelta(42)
                )
            elif kind == "review":
                cid = case(
                    uow,
                    RequestType.ANNUAL_REVIEW,
                    request_received=due - timedelta(weeks=6),
                    review_meeting_date=due - timedelta(weeks=4),
                )
            elif kind == "review, date unknown":
                cid = case(uow, RequestType.ANNUAL_REVIEW, request_received=TODAY)
            else:
                cid = case(uow, RequestType.TOP_UP, request_received=due)
            if kind == "closed":
                close_case(uow, cid, reason="Moved to another council.")
            if kind in ("assessment", "review"):
                built.waiting_due[cid] = due
            else:
                built.not_waiting.add(cid)
    return built


def create_panel_with(uow, name: str, p: dict) -> int:
    from panelapp.services.panels import create_panel, set_meeting_capacity

    pid = create_panel(uow, name=name, panel_type=PanelType.SEND)
    panel = uow.session.get(Panel, pid)
    panel.paper_deadline_days = p["paper_days"]
    panel.paper_deadline_working_days = p["working_days"]
    set_meeting_capacity(uow, pid, items=p["items"], minutes=p["minutes"])
    return pid


def _agendas(store) -> dict[int, Counter]:
    with store.read() as session:
        rows = session.execute(
            select(AgendaItem.meeting_id, AgendaItem.case_id).where(
                AgendaItem.status != ItemStatus.WITHDRAWN.value
            )
        ).all()
    agendas: dict[int, Counter] = {}
    for meeting_id, case_id in rows:
        agendas.setdefault(meeting_id, Counter())[case_id] += 1
    return agendas


_stores = count(1)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    panels_=PANELS,
    meetings_=MEETINGS,
    cases_=CASES,
    until=st.none() | st.integers(0, 60),
    data=st.data(),
)
def test_the_plan_keeps_capacity_saves_what_it_can_and_applies_only_what_is_accepted(
    tmp_path, panels_, meetings_, cases_, until, data
):
    store = create_store(tmp_path / f"plan-{next(_stores)}.store")
    try:
        _check(store, _build(store, panels_, meetings_, cases_), until, data)
    finally:
        store.close()


def _check(store, built: Built, until_offset: int | None, data) -> None:
    until = None if until_offset is None else TODAY + timedelta(days=until_offset)
    with store.read() as session:
        plan = plan_meetings(session, TODAY, until=until)

    # Every waiting case is proposed or reported as not placed, once; no other case is.
    dated = [p for p in plan if p.due is not None]
    assert Counter(p.case_id for p in dated) == Counter(built.waiting_due.keys())
    for p in dated:
        assert p.due == built.waiting_due[p.case_id]
    # A case without a due date is proposed too, never flagged late.
    assert all(not p.late and p.note for p in plan if p.due is None)

    # A meeting the planner may use: scheduled, not past, papers still in time, within --until.
    usable = {
        mid
        for mid, on in built.meeting_on.items()
        if on >= TODAY and built.papers_due[mid] >= TODAY and (until is None or on <= until)
    }
    proposed = Counter(p.meeting_id for p in plan if p.meeting_id is not None)
    assert set(proposed) <= usable

    def room_left(mid: int) -> bool:
        items, minutes = built.capacity[mid]
        taken = sum(built.booked[mid].values()) + proposed[mid]
        used = built.booked_minutes[mid] + ITEM_MINUTES * proposed[mid]
        return (items is None or taken + 1 <= items) and (
            minutes is None or used + ITEM_MINUTES <= minutes
        )

    # No meeting is given more than its capacity allows.
    for mid, n in proposed.items():
        items, minutes = built.capacity[mid]
        if items is not None:
            assert sum(built.booked[mid].values()) + n <= items
        if minutes is not None:
            assert built.booked_minutes[mid] + ITEM_MINUTES * n <= minutes

    for p in dated:
        if p.meeting_id is None:
            # Not placed only when every usable meeting is full.
            assert p.late and not any(room_left(mid) for mid in usable)
            continue
        on = built.meeting_on[p.meeting_id]
        assert p.meeting_date == on
        assert p.late == (on > p.due)
        if not p.late:  # heard by its due date, and its papers can still reach the meeting
            assert on <= p.due and built.papers_due[p.meeting_id] >= TODAY
        else:  # late only when no meeting in time had room left for it
            in_time = [mid for mid in usable if built.meeting_on[mid] <= p.due]
            assert not any(room_left(mid) for mid in in_time)

    # The officer accepts some proposals; applying puts exactly those on the agendas.
    placed = [p for p in plan if p.meeting_id is not None]
    accepted = [p for p in placed if data.draw(st.booleans(), label=f"accept {p.reference}")]
    before = _agendas(store)
    with UnitOfWork(store, "ops officer") as uow:
        item_ids = apply_plan(uow, [(p.case_id, p.meeting_id) for p in accepted])
    assert len(item_ids) == len(set(item_ids)) == len(accepted)
    after = _agendas(store)
    for mid in set(before) | set(after) | set(built.meeting_on):
        added = after.get(mid, Counter()) - before.get(mid, Counter())
        assert added == Counter(p.case_id for p in accepted if p.meeting_id == mid)
        assert before.get(mid, Counter()) == built.booked[mid]
    with store.read() as session:
        still_waiting = {r.case_id for r in forward_plan(session, TODAY) if r.waiting and r.due}
    assert still_waiting == set(built.waiting_due) - {p.case_id for p in accepted}
