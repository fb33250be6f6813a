"""Everything the meeting screen shows about the current item, read in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from panelapp.domain.deadlines import StatutoryClock, format_date
from panelapp.domain.naming import child_label
from panelapp.domain.vocabulary import (
    OUTCOMES,
    ItemStatus,
    NamingMode,
    Outcome,
    PrimaryNeed,
    RequestType,
)
from panelapp.services.case_history import HistoryEntry, history_for
from panelapp.services.cases import clock_gap_of, statutory_clock
from panelapp.services.decision_followup import item_followup
from panelapp.services.meeting_view import PaperView, item_papers
from panelapp.services.row_lookup import recorded_decision, recorded_deferral
from panelapp.services.situation import ItemSituation, item_situation
from panelapp.services.unit_of_work import NotFound
from panelapp.store.tables import AgendaItem


@dataclass(frozen=True)
class ItemDetail:
    item_id: int
    position: int
    meeting_id: int
    meeting_date: date
    child: str
    reference: str
    date_of_birth: date
    year_group: str
    setting: str
    primary_need: PrimaryNeed
    secondary_need: PrimaryNeed | None
    case_officer: str
    presenting_officer: str
    request_type: RequestType
    request_received: date
    minutes_allocated: int
    status: ItemStatus
    discussion: str
    outcomes: tuple[Outcome, ...]
    situation: ItemSituation
    history: tuple[HistoryEntry, ...]
    recorded: str  # what was decided or deferred, in words; empty while to do
    papers: tuple[PaperView, ...] = ()
    #: the statutory clock with its further dates (draft and final plan, amended plan)
    clock: StatutoryClock | None = None
    #: why the clock the law gives this request cannot be worked out, or None
    clock_gap: str | None = None
    #: after the meeting: the chief officer's approval, mediation and appeal; or why the
    #: case is back when a chief officer returned an earlier decision
    followup: tuple[str, ...] = ()


def item_detail(
    session: Session, item_id: int, naming: NamingMode, *, nominated_chair_id: int | None = None
) -> ItemDetail:
    item = session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound(f"There is no agenda item with id {item_id}.")
    case = item.case
    request_type = case.request_type
    recorded = ""
    if item.status == ItemStatus.DECIDED:
        decision = recorded_decision(session, item_id)
        recorded = f"Decision: {decision.outcome.label}. {decision.rationale}"
    elif item.status == ItemStatus.DEFERRED:
        d = recorded_deferral(session, item_id)
        recorded = (
            f"Deferred to {format_date(d.return_date)}. {d.reason} Needed: {d.information_required} "
            f"(from {d.provider})."
        )
    return ItemDetail(
        item_id=item.id,
        position=item.position,
        meeting_id=item.meeting_id,
        meeting_date=item.meeting.meeting_date,
        child=child_label(case.first_name, case.last_name, case.reference, naming),
        reference=case.reference,
        date_of_birth=case.date_of_birth,
        year_group=case.year_group,
        setting=case.setting,
        primary_need=case.primary_need,
        secondary_need=case.secondary_need,
        case_officer=case.case_officer,
        presenting_officer=item.presenting_officer,
        request_type=request_type,
        request_received=case.request_received,
        minutes_allocated=item.minutes_allocated,
        status=item.status,
        discussion=item.discussion,
        outcomes=OUTCOMES[request_type],
        situation=item_situation(session, item_id, nominated_chair_id=nominated_chair_id),
        history=tuple(history_for(session, item_id)),
        recorded=recorded,
        papers=item_papers(session, item),
        clock=statutory_clock(case, proposals_sent=item.meeting.meeting_date),
        clock_gap=clock_gap_of(case),
        followup=item_followup(session, item_id, lambda text: text or ""),
    )
