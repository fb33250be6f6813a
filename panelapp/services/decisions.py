"""Recording what the panel decided on an item, or its deferral, and the actions that follow."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import func, select

from panelapp.domain.deferrals import DeferralDraft, relist_date, validate_deferral
from panelapp.domain.errors import PanelappError, RuleViolation
from panelapp.domain.formatting import format_date
from panelapp.domain.outcomes import DecisionDraft, validate_decision
from panelapp.domain.quorum import require_quorum
from panelapp.domain.vocabulary import ItemStatus, MeetingStatus
from panelapp.services.clock import utc_now
from panelapp.services.drafts import discard_drafts
from panelapp.services.meetings import carry_forward, ensure_editable, renumber
from panelapp.services.reasons import record_reason
from panelapp.services.situation import ItemSituation, item_situation
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import (
    ActionRow,
    AgendaItem,
    DecisionRow,
    DeclarationRow,
    DeferralRow,
    Meeting,
    Paper,
)


def _open_item(uow: UnitOfWork, item_id: int) -> AgendaItem:
    item = uow.get(AgendaItem, item_id, "agenda item")
    ensure_editable(item.meeting)
    if item.meeting.status != MeetingStatus.IN_PROGRESS:
        raise PanelappError(
            "Start the meeting (after recording who is present) before recording decisions."
        )
    if item.status != ItemStatus.TO_DO:
        raise PanelappError(
            f"Item {item.position} is already {item.status.label.lower()}. "
            "Reopen it to change what was recorded."
        )
    return item


def _participants(situation: ItemSituation, requested: Collection[int] | None) -> list[int]:
    """Who takes part in the decision: by default every counted member (R2)."""
    counted = situation.quorum.counted_ids
    if requested is None:
        return sorted(counted)
    requested = set(requested)
    withdrawn = requested & situation.withdrawn_ids
    if withdrawn:
        names = ", ".join(sorted(situation.name_of(m) for m in withdrawn))
        raise RuleViolation(
            "R2",
            f"{names} declared an interest in this item and left the meeting for it, so "
            "cannot take part in the decision. Remove them from the participants.",
        )
    absent = requested - counted
    if absent:
        raise PanelappError(
            "Only members present and counted for this item can take part in its decision; "
            f"{len(absent)} of those chosen are not."
        )
    return sorted(requested)


def _chair_for(item: AgendaItem, situation: ItemSituation) -> int:
    if situation.chair is None:
        raise RuleViolation(
            "R4",
            situation.chair_problem
            or "Nobody present and without an interest can chair this item. Choose a member "
            "to chair it first.",
        )
    item.chair_member_id = situation.chair.member_id
    item.chair_reason = situation.chair.reason if situation.chair.substitute else ""
    return situation.chair.member_id


def _close_item(uow: UnitOfWork, item: AgendaItem, row, status: ItemStatus) -> None:
    """Store what was recorded, close the item, and drop the form's draft."""
    uow.session.add(row)
    discard_drafts(uow, item.id)
    item.status = status
    item.closed_at = row.recorded_at
    uow.session.flush()


def record_decision(
    uow: UnitOfWork,
    item_id: int,
    draft: DecisionDraft | None = None,
    *,
    participant_ids: Collection[int] | None = None,
    nominated_chair_id: int | None = None,
    **decision_fields: object,
) -> int:
    """Record the panel's decision, refused with the reason when the rules forbid it.

    The decision is ``draft`` (as the decision form builds it) or, in the older calling form,
    its fields as keywords (``outcome=``, ``rationale=``, ``amount_pence=``... every name in
    ``DECISION_FIELDS``). Either way it is judged against the request type the item's case has
    now, whatever request type the draft was made for.
    """
    item = _open_item(uow, item_id)
    request_type = item.case.request_type
    if draft is None:
        draft = DecisionDraft.from_fields(request_type, decision_fields)
    elif decision_fields:
        raise TypeError("give the decision as a draft or as keywords, not both")
    draft = draft.for_request_type(request_type)
    situation = item_situation(uow.session, item_id, nominated_chair_id=nominated_chair_id)
    chair_id = _chair_for(item, situation)
    require_quorum(situation.quorum)
    participants = _participants(situation, participant_ids)
    validate_decision(draft)
    row = DecisionRow.from_draft(
        draft,
        agenda_item_id=item.id,
        chaired_by_member_id=chair_id,
        participant_ids=participants,
        recorded_at=utc_now(),
        recorded_by=uow.actor,
    )
    _close_item(uow, item, row, ItemStatus.DECIDED)
    uow.audit(
        "decision.recorded",
        "agenda_item",
        item.id,
        decision_id=row.id,
        outcome=row.outcome,
        amount_pence=draft.amount_pence,
        band=draft.band,
        chaired_by=chair_id,
        participants=participants,
    )
    return row.id


def defer_item(
    uow: UnitOfWork,
    item_id: int,
    *,
    reason: str,
    information_required: str,
    provider: str,
    return_date: date,
    past_due_reason: str | None = None,
    nominated_chair_id: int | None = None,
) -> int:
    """Defer an item with agreed timescales (R7); past the statutory due date only with a
    recorded reason (R8). An inquorate panel can still defer (R5), and says why; but someone
    present and not conflicted chairs every item, deferred or decided (R4)."""
    item = _open_item(uow, item_id)
    meeting = item.meeting
    situation = item_situation(uow.session, item_id, nominated_chair_id=nominated_chair_id)
    chair_id = _chair_for(item, situation)  # a deferral, like a decision, has its chair (R4)
    statutory_due = situation.clock.due if situation.clock else None
    assessment = validate_deferral(
        DeferralDraft(
            reason=reason,
            information_required=information_required,
            provider=provider,
            return_date=return_date,
            deferred_on=meeting.meeting_date,
            statutory_due=statutory_due,
            past_due_reason=past_due_reason,
        )
    )
    row = DeferralRow(
        agenda_item_id=item.id,
        reason=reason.strip(),
        information_required=information_required.strip(),
        provider=provider.strip(),
        return_date=return_date,
        statutory_due=statutory_due,
        past_due_reason=(past_due_reason or "").strip() or None,
        timescale_risk=assessment.timescale_risk,
        inquorate_reasons=list(situation.quorum.reasons),
        chaired_by_member_id=chair_id,
        participant_ids=sorted(situation.quorum.counted_ids),
        recorded_at=utc_now(),
        recorded_by=uow.actor,
    )
    _close_item(uow, item, row, ItemStatus.DEFERRED)
    uow.audit(
        "deferral.recorded",
        "agenda_item",
        item.id,
        deferral_id=row.id,
        return_date=return_date,
        timescale_risk=assessment.timescale_risk,
        inquorate=not situation.quorum.quorate,
    )
    _relist(uow, row, meeting)
    return row.id


def _relist(uow: UnitOfWork, deferral: DeferralRow, meeting: Meeting) -> None:
    """Carry the case to the panel's first meeting on or after the return date, if one is
    scheduled; otherwise it waits on the list of cases to re-list."""
    later = list(
        uow.session.scalars(
            select(Meeting).where(
                Meeting.panel_id == meeting.panel_id,
                Meeting.id != meeting.id,
                Meeting.meeting_date > meeting.meeting_date,
                Meeting.status == MeetingStatus.SCHEDULED,
            )
        )
    )
    target_date = relist_date(deferral.return_date, [m.meeting_date for m in later])
    if target_date is None:
        return
    target = min(
        (m for m in later if m.meeting_date == target_date), key=lambda m: (m.start_time, m.id)
    )
    carry_forward(uow, deferral, target)


def add_action(
    uow: UnitOfWork,
    meeting_id: int,
    *,
    description: str,
    owner: str,
    due_date: date | None = None,
    item_id: int | None = None,
) -> int:
    """An action agreed during the meeting or after it, until the minutes are signed."""
    meeting = uow.get(Meeting, meeting_id, "meeting")
    if meeting.status != MeetingStatus.CLOSED:
        ensure_editable(meeting)
    if not description.strip() or not owner.strip():
        raise PanelappError("An action needs a description and an owner.")
    if item_id is not None and uow.get(AgendaItem, item_id, "agenda item").meeting_id != meeting_id:
        raise PanelappError("That item is not on this meeting's agenda.")
    row = ActionRow(
        meeting_id=meeting_id,
        agenda_item_id=item_id,
        description=description.strip(),
        owner=owner.strip(),
        due_date=due_date,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(
        "action.added", "action", row.id, meeting_id=meeting_id, item_id=item_id, due=due_date
    )
    return row.id


def reopen_item(uow: UnitOfWork, item_id: int, *, reason: str) -> None:
    """Undo a decision or deferral before the minutes are signed; the audit keeps both.

    Reopening a deferral also takes the case off the later agenda it was carried to, and
    closes up that agenda's numbering. That is refused while the later item has anything of
    its own (papers, declarations, actions): those would be lost or left pointing nowhere, so
    the officer withdraws the later item (or deals with it) first.
    """
    item = uow.get(AgendaItem, item_id, "agenda item")
    ensure_editable(item.meeting)
    if not reason.strip():
        raise PanelappError("Say why the item is being reopened.")
    if item.status == ItemStatus.TO_DO:
        return
    decision = uow.session.scalar(select(DecisionRow).where(DecisionRow.agenda_item_id == item_id))
    deferral = uow.session.scalar(select(DeferralRow).where(DeferralRow.agenda_item_id == item_id))
    removed_item_id = None
    if deferral is not None and deferral.relisted_item_id is not None:
        relisted = uow.get(AgendaItem, deferral.relisted_item_id, "agenda item")
        later: AgendaItem | None = relisted
        if relisted.status == ItemStatus.WITHDRAWN:
            later = None  # already off the later agenda: it stays there, withdrawn
        elif relisted.status != ItemStatus.TO_DO:
            raise PanelappError(
                "This deferral was already heard at a later meeting, so it cannot be reopened here."
            )
        else:
            ensure_editable(relisted.meeting)
            _refuse_if_relisted_item_is_in_use(uow, relisted)
        deferral.relisted_item_id = None
        uow.session.flush()
        if later is not None:
            removed_item_id = later.id
            _remove_relisted_item(uow, later)
    for row in (decision, deferral):
        if row is not None:
            uow.session.delete(row)
    item.status = ItemStatus.TO_DO
    item.closed_at = None
    record_reason(uow, entity="agenda_item", entity_id=item.id, action="item.reopened", text=reason)
    if removed_item_id is not None:
        uow.audit("item.reopened.later_item_removed", "agenda_item", removed_item_id)


def _refuse_if_relisted_item_is_in_use(uow: UnitOfWork, later: AgendaItem) -> None:
    """Refuse, saying why and what to do, when the later item has papers, declarations or
    actions of its own: deleting it would break them (and lose the papers)."""
    in_use = [
        label
        for table, label in (
            (Paper, "papers"),
            (DeclarationRow, "declarations of interest"),
            (ActionRow, "actions"),
        )
        if uow.session.scalar(
            select(func.count()).select_from(table).where(table.agenda_item_id == later.id)
        )
    ]
    if in_use:
        meeting = later.meeting
        raise PanelappError(
            f"The case is already on the agenda for {format_date(meeting.meeting_date)} as item "
            f"{later.position}, which already has {' and '.join(in_use)}. Reopening this deferral would "
            "remove that item. Withdraw item "
            f"{later.position} from that meeting's agenda first, then reopen this item."
        )


def _remove_relisted_item(uow: UnitOfWork, later: AgendaItem) -> None:
    """Delete the unheard later item (and its form drafts) and close up the later agenda."""
    meeting, later_id, position = later.meeting, later.id, later.position
    remaining = [i for i in meeting.items if i.id != later_id]
    discard_drafts(uow, later_id)
    uow.session.delete(later)
    uow.session.flush()
    renumber(remaining)
    uow.audit(
        "agenda_item.removed",
        "agenda_item",
        later_id,
        meeting_id=meeting.id,
        position=position,
        because="deferral_reopened",
    )
