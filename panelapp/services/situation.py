"""Where the panel stands on one agenda item: who is withdrawn, who chairs, is it quorate,
and how the statutory clock runs. The decision and deferral services and the meeting screen
all read it from here, so they never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from panelapp.domain.deadlines import StatutoryClock
from panelapp.domain.errors import RuleViolation
from panelapp.domain.quorum import Participant, QuorumResult, evaluate_quorum
from panelapp.domain.recusal import ChairChoice, choose_chair, withdrawn_from
from panelapp.domain.vocabulary import NON_VOTING_ROLES, Role
from panelapp.services.attendance_modes import online_member_ids
from panelapp.services.cases import statutory_clock
from panelapp.services.meetings import online_counts_for_quorum
from panelapp.services.panels import quorum_rule, role_holder
from panelapp.services.presence import declarations_for, in_room_for, participants, presences
from panelapp.services.row_lookup import get_row
from panelapp.store.tables import AgendaItem


@dataclass(frozen=True)
class ItemSituation:
    item_id: int
    present: tuple[Participant, ...]
    withdrawn_ids: frozenset[int]
    chair: ChairChoice | None
    chair_problem: str | None
    quorum: QuorumResult
    clock: StatutoryClock | None
    #: members in the room for this item who attended online (a hybrid meeting)
    online_ids: frozenset[int] = frozenset()
    #: the panel counts members attending online towards quorum
    online_counted: bool = True

    def name_of(self, member_id: int) -> str:
        for p in self.present:
            if p.member_id == member_id:
                return p.name
        return f"member {member_id}"


def item_situation(
    session: Session, item_id: int, *, nominated_chair_id: int | None = None
) -> ItemSituation:
    item = get_row(session, AgendaItem, item_id, "agenda item")
    meeting = item.meeting
    panel = meeting.panel
    present = in_room_for(
        item.position, participants(session, meeting.id), presences(session, meeting.id)
    )
    withdrawn = withdrawn_from(
        item.id,
        declarations_for(session, meeting.id),
        allow_declared_remained=panel.allow_declared_remained,
    )
    chair_id, vice_id = (
        holder.id if holder else None
        for holder in (role_holder(panel, Role.CHAIR), role_holder(panel, Role.VICE_CHAIR))
    )
    if nominated_chair_id is None and item.chair_member_id not in (None, chair_id, vice_id):
        nominated_chair_id = item.chair_member_id
    ineligible = [p.member_id for p in present if p.roles and p.roles <= NON_VOTING_ROLES]
    chair: ChairChoice | None
    try:
        chair = choose_chair(
            chair_id=chair_id,
            vice_chair_id=vice_id,
            present_ids=[p.member_id for p in present],
            withdrawn_ids=withdrawn,
            nominated_id=nominated_chair_id,
            ineligible_ids=ineligible,
        )
        problem = None
    except RuleViolation as exc:
        chair, problem = None, str(exc)
    online = online_member_ids(session, meeting.id) & {p.member_id for p in present}
    online_counted = online_counts_for_quorum(meeting)
    quorum = evaluate_quorum(
        present,
        withdrawn,
        quorum_rule(panel),
        acting_chair_id=chair.member_id if chair else None,
        not_counted_ids=() if online_counted else online,
    )
    return ItemSituation(
        item_id=item.id,
        present=present,
        withdrawn_ids=withdrawn,
        chair=chair,
        chair_problem=problem,
        quorum=quorum,
        clock=statutory_clock(item.case),
        online_ids=frozenset(online),
        online_counted=online_counted,
    )
