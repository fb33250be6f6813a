"""A store with ten years of weekly meetings (500, about 12,000 agenda items) and, last, the
same 20-case meeting in progress as the cold-start store, for measuring the window at scale.

The 499 past meetings are written by bulk inserts through panelapp's own tables in one
transaction (building them through the services, one unit of work per decision, would take
about ten minutes): each closed, its attendance taken, every item decided. The audit trail gets
what the migration that brought record digests in writes for existing records, one
``records.baseline`` event holding the digest of every covered row
(``panelapp.store.audit.append_baseline``), so ``panelapp check`` finds the store clean. The
meeting in progress is then made through the services exactly as ``setup-coldstart`` makes it.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import insert, select

from benchmarks import meetings
from benchmarks.fiction import decision_kwargs, fictional_case
from panelapp.domain.vocabulary import AttendanceStatus, ItemStatus, MeetingStatus
from panelapp.store import audit
from panelapp.store.engine import Store
from panelapp.store.tables import AgendaItem, Attendance, Case, DecisionRow, Meeting

PAST_MEETINGS = 499
ITEMS_PER_PAST_MEETING = 24
FIRST_PAST_CASE = 1_000  # the meeting in progress uses cases 0 to 19


def build_past(store: Store, panel_id: int, members: dict[str, int], n_meetings: int,
               per_meeting: int) -> int:  # fmt: skip
    """``n_meetings`` closed weekly meetings before the first benchmark meeting, each with
    ``per_meeting`` decided items, in one write transaction. Returns the items written."""
    member_ids = sorted(members.values())
    chair_id = members["Margaret Holloway"]
    with store.write() as session, session.begin():
        rows = []
        for k in range(n_meetings):
            day = meetings.meeting_day(k - n_meetings)
            rows.append({
                "panel_id": panel_id, "meeting_date": day, "start_time": time(9, 30),
                "venue": "Committee Room 1, Civic Centre", "status": MeetingStatus.CLOSED.value,
                "started_at": datetime.combine(day, time(9, 30)),
                "closed_at": datetime.combine(day, time(13, 0)),
                "online_counts_for_quorum": False,
            })  # fmt: skip
        session.execute(insert(Meeting), rows)
        ids = list(session.scalars(select(Meeting.id).where(Meeting.panel_id == panel_id)
                                  .order_by(Meeting.meeting_date)))[:n_meetings]  # fmt: skip
        next_case = (session.scalar(select(Case.id).order_by(Case.id.desc()).limit(1)) or 0) + 1
        next_item = (
            session.scalar(select(AgendaItem.id).order_by(AgendaItem.id.desc()).limit(1)) or 0
        ) + 1
        cases, items, decisions, attendance = [], [], [], []
        for k, meeting_id in enumerate(ids):
            day = meetings.meeting_day(k - n_meetings)
            recorded = datetime.combine(day, time(11, 0))
            for member_id in member_ids:
                attendance.append({"meeting_id": meeting_id, "member_id": member_id,
                                   "status": AttendanceStatus.PRESENT.value,
                                   "arrived_at": time(9, 25)})  # fmt: skip
            for p in range(per_meeting):
                n = FIRST_PAST_CASE + k * per_meeting + p
                case = fictional_case(n, day)
                case_id, item_id = next_case, next_item
                next_case, next_item = next_case + 1, next_item + 1
                cases.append({"id": case_id, **case.__dict__, "created_at": recorded})
                items.append({"id": item_id, "meeting_id": meeting_id, "case_id": case_id,
                              "position": p + 1, "minutes_allocated": 10,
                              "presenting_officer": case.case_officer,
                              "status": ItemStatus.DECIDED.value, "discussion": "",
                              "chair_reason": ""})  # fmt: skip
                kwargs = decision_kwargs(n, case.request_type, day)
                decisions.append({
                    "agenda_item_id": item_id, "outcome": kwargs.pop("outcome").value,
                    "rationale": kwargs.pop("rationale"), **kwargs,
                    "chaired_by_member_id": chair_id, "participant_ids": member_ids[:8],
                    "recorded_at": recorded, "recorded_by": meetings.ACTOR,
                })  # fmt: skip
        session.execute(insert(Case), cases)
        session.execute(insert(AgendaItem), items)
        session.execute(insert(DecisionRow), decisions)
        session.execute(insert(Attendance), attendance)
        session.flush()
        audit.append_baseline(session.connection())
    return len(items)


def build(store: Store, cases: int, past_meetings: int = PAST_MEETINGS,
          per_meeting: int = ITEMS_PER_PAST_MEETING) -> dict:  # fmt: skip
    """The whole store: the panel, the past meetings, then the meeting in progress (``cases``
    items, eight of them done). Returns its ids and counts."""
    panel_id, members = meetings.setup_panel(store)
    past = build_past(store, panel_id, members, past_meetings, per_meeting)
    day = meetings.meeting_day(0)
    meeting_id, items = meetings.prepare_meeting(store, panel_id, members, day, cases, 0)
    meetings.hold_meeting(store, items[:8], 0, day, return_date=meetings.meeting_day(8))
    return {"meeting_id": meeting_id, "meetings": past_meetings + 1, "items": past + len(items)}
