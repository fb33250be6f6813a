"""Plan the next meetings: propose, for each waiting case (open, not on an agenda), the meeting
that meets its deadline, within each meeting's capacity. Nothing is put on an agenda until the
officer accepts; ``apply_plan`` then adds the accepted cases through the agenda service.

The most urgent case is placed first, on the latest meeting that still hears it by its due
date with room left (keeping earlier meetings free for cases due sooner). Cases no meeting can
hear in time go, after all the others, on the earliest meeting with room, flagged late.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from panelapp.domain.errors import PanelappError
from panelapp.services import meetings
from panelapp.services.forward_plan import forward_plan, open_slots
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import Case

#: the time a proposed item is given on the agenda (the agenda service's own default)
ITEM_MINUTES = 15


@dataclass(frozen=True)
class Proposal:
    case_id: int
    reference: str
    #: the statutory due date, or None for a case without one (no time limit applies, or
    #: the clock cannot be worked out: ``note`` says which)
    due: date | None
    #: the meeting proposed, or None when every meeting is full
    meeting_id: int | None
    meeting_date: date | None
    #: True when the proposed meeting is after the due date (no meeting can hear it in time)
    late: bool
    note: str = ""


def plan_meetings(
    session, today: date, *, until: date | None = None, panel_id: int | None = None
) -> list[Proposal]:
    slots = [
        s for s in open_slots(session, today, panel_id=panel_id) if until is None or s.on <= until
    ]
    items = [s.items for s in slots]
    minutes = [s.minutes for s in slots]

    def has_room(i: int) -> bool:
        s = slots[i]
        if s.capacity_items is not None and items[i] + 1 > s.capacity_items:
            return False
        return not (
            s.capacity_minutes is not None and minutes[i] + ITEM_MINUTES > s.capacity_minutes
        )

    proposals = []
    rows = [r for r in forward_plan(session, today, panel_id=panel_id) if r.waiting]
    waiting = [r for r in rows if r.due is not None]
    # Cases without a due date wait too: they take the earliest room left once every dated
    # case has its place, so they are never forgotten and never delay a statutory deadline.
    undated = [r for r in rows if r.due is None]
    chosen: dict[int, int] = {}

    def take(row, i: int) -> None:
        items[i] += 1
        minutes[i] += ITEM_MINUTES
        chosen[row.case_id] = i

    # First every case that can still be heard in time, so that a case already past saving
    # never takes the place of one that can be saved; then the rest, on the earliest room.
    for row in waiting:  # most urgent first
        due = row.due
        assert due is not None  # waiting holds only the dated cases
        fit = next(
            (i for i in range(len(slots) - 1, -1, -1) if slots[i].on <= due and has_room(i)),
            None,
        )
        if fit is not None:
            take(row, fit)
    for row in waiting:
        if row.case_id not in chosen:
            fit = next((i for i in range(len(slots)) if has_room(i)), None)
            if fit is not None:
                take(row, fit)
    for row in undated:
        fit = next((i for i in range(len(slots)) if has_room(i)), None)
        if fit is not None:
            take(row, fit)
    for row in [*waiting, *undated]:
        i = chosen.get(row.case_id)
        note = row.note or ("" if row.due else "no statutory date")
        if i is None:
            proposals.append(
                Proposal(row.case_id, row.reference, row.due, None, None, row.due is not None, note)
            )
            continue
        slot = slots[i]
        late = row.due is not None and slot.on > row.due
        proposals.append(
            Proposal(row.case_id, row.reference, row.due, slot.meeting_id, slot.on, late, note)
        )
    return proposals


def apply_plan(uow: UnitOfWork, accepted: Iterable[tuple[int, int]]) -> list[int]:
    """Put each accepted (case id, meeting id) on that meeting's agenda, presented by the
    case officer; all or none. Returns the new agenda item ids."""
    item_ids = []
    for case_id, meeting_id in accepted:
        case = uow.get(Case, case_id, "case")
        if case.status != "open":
            raise PanelappError(f"Case {case_id} is closed, so it cannot be put on an agenda.")
        item_ids.append(
            meetings.put_on_agenda(
                uow,
                meeting_id,
                case_id,
                minutes=ITEM_MINUTES,
                presenting_officer=case.case_officer,
            )
        )
    uow.audit("plan.applied", "meeting", None, items=len(item_ids))
    return item_ids
