"""A read-only picture of a meeting for screens, summaries and minutes.

Everything a reader needs about each item in one pass, with the child named by the naming mode
the reader asked for, so no caller composes names or labels on its own. Typed text (discussion,
reasons, declarations, actions, paper titles) has the meeting's children's names replaced the
same way by default, because an officer's notes name the child far more often than they should
(R18): a new document or command that forgets to ask is masked. Only the screens that show an
officer their own typed text opt out (``mask_free_text=False``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from panelapp.documents.minutes_content import (
    ActionContent,
    AttendeeContent,
    DecisionContent,
    DeclarationContent,
    DeferralContent,
    PaperContent,
)
from panelapp.domain.deadlines import StatutoryClock
from panelapp.domain.name_masking import children_masker
from panelapp.domain.naming import child_label, initials
from panelapp.domain.recusal import withdrawn_from
from panelapp.domain.vocabulary import (
    ItemStatus,
    MeetingStatus,
    NamingMode,
    Outcome,
    RequestType,
    Role,
)
from panelapp.services.attendance_modes import online_member_ids
from panelapp.services.cases import clock_gap_of, statutory_clock
from panelapp.services.meeting_lookup import no_meeting
from panelapp.services.panels import role_holder
from panelapp.services.papers import (
    PaperInfo,
    is_late_for,
    local_day,
    papers_for_item,
    papers_for_items,
)
from panelapp.services.presence import declarations_for, presences
from panelapp.services.reasons import reasons_for
from panelapp.services.row_lookup import get_row
from panelapp.store.tables import (
    ActionRow,
    AgendaItem,
    Attendance,
    Case,
    DecisionRow,
    DeclarationRow,
    DeferralRow,
    Meeting,
    Panel,
    TeamCheckout,
)

#: what the documents print of attendees and actions is all the views hold of them
AttendeeView = AttendeeContent
ActionView = ActionContent


@dataclass(frozen=True)
class DeclarationView(DeclarationContent):
    """A declaration as the documents print it, plus its row's id for the screens."""

    declaration_id: int = 0


@dataclass(frozen=True)
class PaperView(PaperContent):
    """A paper the panel had for an item; ``late`` against this meeting's deadline."""

    paper_id: int = 0
    media_type: str = ""
    #: stored, its words still being read for search
    text_pending: bool = False


@dataclass(frozen=True)
class DecisionView(DecisionContent):
    """A decision as recorded: its fields (``DecisionDraft``'s, with children's names masked
    by the naming mode) and who took part, as the documents print it, plus who chaired and
    when."""

    chaired_by_id: int = 0
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class DeferralView(DeferralContent):
    """A deferral as the documents print it, plus who chaired and when."""

    chaired_by_id: int | None
    recorded_at: datetime


@dataclass(frozen=True)
class ItemView:
    item_id: int
    position: int
    child: str
    reference: str
    request_type: RequestType
    status: ItemStatus
    minutes_allocated: int
    presenting_officer: str
    statutory_due: date | None
    outcome: Outcome | None
    rationale: str
    amount_pence: int | None
    band: str | None
    setting: str | None
    deferred_to: date | None
    timescale_risk: bool
    chaired_by: str | None
    chair_reason: str
    withdrawn: tuple[str, ...]
    #: the child's name alone as the naming mode shows it ("Oliver Grant", "OG"; "" by reference)
    child_name: str = ""
    chaired_by_id: int | None = None
    discussion: str = ""
    papers: tuple[PaperView, ...] = ()
    decision: DecisionView | None = None
    deferral: DeferralView | None = None
    clock: StatutoryClock | None = None
    #: why a clock the law gives this request cannot be worked out ('review meeting date
    #: missing'); None when the clock is known or the request has none
    clock_gap: str | None = None
    #: the date of the earlier meeting that deferred this case to this one
    carried_from: date | None = None


@dataclass(frozen=True)
class MeetingView:
    meeting_id: int
    panel_name: str
    meeting_date: date
    start_time: time
    venue: str
    status: MeetingStatus
    attendees: tuple[AttendeeView, ...]
    declarations: tuple[DeclarationView, ...]
    items: tuple[ItemView, ...]
    actions: tuple[tuple[str, str, date | None], ...]
    council: str = ""
    naming: NamingMode = NamingMode.INITIALS
    chair_id: int | None = None
    vice_chair_id: int | None = None
    action_items: tuple[ActionView, ...] = ()

    def member_name(self, member_id: int | None) -> str | None:
        for attendee in self.attendees:
            if attendee.member_id == member_id:
                return attendee.name
        return None


def free_text_masker(meeting: Meeting, naming: NamingMode) -> Callable[[str | None], str]:
    """A function that hides every child of this meeting in typed text, per ``naming`` (R18):
    the one every document leaving the store uses (minutes, agenda, packs). By full names it
    leaves text as it is."""
    if NamingMode(naming) is NamingMode.FULL:
        return lambda text: text or ""
    cases = [item.case for item in meeting.items]
    return children_masker([(c.first_name, c.last_name, c.reference) for c in cases], naming)


def _masker(meeting: Meeting, naming: NamingMode, enabled: bool):
    if not enabled:
        return lambda text: text
    return free_text_masker(meeting, naming)


def _name_only(first_name: str, last_name: str, naming: NamingMode) -> str:
    if naming is NamingMode.FULL:
        return f"{first_name} {last_name}"
    if naming is NamingMode.INITIALS:
        return initials(first_name, last_name)
    return ""


def item_papers(
    session: Session, item: AgendaItem, mask=str, papers: list[PaperInfo] | None = None
) -> tuple[PaperView, ...]:
    """The papers the panel has for an item, late ones marked against this meeting.
    ``papers``: the item's papers already read (by :func:`papers_for_items`), else read here."""
    meeting = item.meeting
    if papers is None:
        papers = papers_for_item(session, item.id)
    return tuple(
        PaperView(
            title=mask(p.title),
            received_on=local_day(p.received_at),
            late=p.carried_from is None and is_late_for(p.received_at, meeting),
            pages=p.pages,
            carried_from=p.carried_from,
            paper_id=p.paper_id,
            media_type=p.media_type,
            text_pending=p.text_pending,
        )
        for p in papers
    )


def _correction_reason(session: Session, row: DeclarationRow) -> str:
    if not row.correction:
        return ""
    reasons = reasons_for(session, "declaration", row.id)
    return reasons[-1].text if reasons else ""


def meeting_view(
    session: Session, meeting_id: int, naming: NamingMode, *, mask_free_text: bool = True
) -> MeetingView:
    """The meeting as ``naming`` names its children. Typed text (discussion, reasons,
    declarations, actions, paper titles) is masked the same way unless ``mask_free_text`` is
    False, which only the screens that show an officer their own notes ask for."""
    naming = NamingMode(naming)
    # The meeting, its panel and members, its items with their cases and clock exceptions in a
    # fixed handful of statements, whatever the number of items (no query per item). A query,
    # not ``session.get``: a meeting the caller already looked up in this session is returned
    # by ``get`` as it is, its items and their cases then read one by one.
    meeting = session.scalars(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            joinedload(Meeting.panel).selectinload(Panel.members),
            selectinload(Meeting.items).selectinload(AgendaItem.case).selectinload(Case.exceptions),
        )
    ).one_or_none()
    if meeting is None:
        raise no_meeting(meeting_id)
    mask = _masker(meeting, naming, mask_free_text)
    members = {m.id: m for m in meeting.panel.members}
    attendance = session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id))
    online = online_member_ids(session, meeting_id)
    # an attendance with no arrival/leaving item looks up None and gets None
    position_of: dict[int | None, int] = {item.id: item.position for item in meeting.items}
    attendees = tuple(
        AttendeeView(
            a.member_id,
            members[a.member_id].name,
            tuple(Role(r) for r in members[a.member_id].roles),
            a.status,
            organisation=members[a.member_id].organisation,
            in_attendance_as=a.in_attendance_as,
            arrived_before=position_of.get(a.arrived_before_item_id),
            left_before=position_of.get(a.left_before_item_id),
            online=a.member_id in online,
        )
        for a in sorted(attendance, key=lambda a: a.member_id)
    )
    presence = presences(session, meeting_id)
    declared = declarations_for(session, meeting_id)
    decl_rows = list(
        session.scalars(
            select(DeclarationRow)
            .where(DeclarationRow.meeting_id == meeting_id)
            .order_by(DeclarationRow.id)
        )
    )
    declarations = tuple(
        DeclarationView(
            member_name=members[d.member_id].name,
            item_position=position_of.get(d.agenda_item_id) if d.agenda_item_id else None,
            nature=mask(d.nature),
            withdrew=d.withdraws,
            before_meeting=d.before_meeting,
            left_at=d.left_at,
            returned_at=d.returned_at,
            member_id=d.member_id,
            correction=bool(d.correction),
            correction_reason=mask(_correction_reason(session, d)),
            attended=d.member_id in presence and presence[d.member_id].present,
            excluded_positions=tuple(
                sorted(position_of[i] for i in d.excluded_item_ids or () if i in position_of)
            ),
            declaration_id=d.id,
        )
        for d in decl_rows
    )
    item_ids = [item.id for item in meeting.items]
    decisions = {
        d.agenda_item_id: d
        for d in session.scalars(
            select(DecisionRow).where(DecisionRow.agenda_item_id.in_(item_ids))
        )
    }
    deferrals = {
        d.agenda_item_id: d
        for d in session.scalars(
            select(DeferralRow).where(DeferralRow.agenda_item_id.in_(item_ids))
        )
    }
    carried_from_dates = {
        item.id: get_row(
            session, AgendaItem, item.carried_from_item_id, "agenda item"
        ).meeting.meeting_date
        for item in meeting.items
        if item.carried_from_item_id
    }

    def names(ids) -> tuple[str, ...]:
        return tuple(members[i].name for i in ids if i in members)

    papers_of = papers_for_items(session, item_ids)
    items = []
    for item in meeting.items:
        case = item.case
        decision = decisions.get(item.id)
        deferral = deferrals.get(item.id)
        clock = statutory_clock(case, proposals_sent=meeting.meeting_date)
        decision_view = deferral_view = None
        if decision is not None:
            draft = decision.draft(case.request_type)
            decision_view = DecisionView(
                **{
                    **draft.as_fields(),
                    "rationale": mask(draft.rationale),
                    "band_override_reason": mask(draft.band_override_reason) or None,
                },
                request_type=draft.request_type,
                chaired_by_id=decision.chaired_by_member_id,
                participants=names(decision.participant_ids or ()),
                recorded_at=decision.recorded_at,
            )
        if deferral is not None:
            relisted = (
                session.get(AgendaItem, deferral.relisted_item_id)
                if deferral.relisted_item_id
                else None
            )
            deferral_view = DeferralView(
                reason=mask(deferral.reason),
                information_required=mask(deferral.information_required),
                provider=deferral.provider,
                return_date=deferral.return_date,
                statutory_due=deferral.statutory_due,
                past_due_reason=mask(deferral.past_due_reason) or None,
                timescale_risk=deferral.timescale_risk,
                inquorate_reasons=tuple(deferral.inquorate_reasons or ()),
                chaired_by_id=deferral.chaired_by_member_id,
                participants=names(deferral.participant_ids or ()),
                relisted_to=relisted.meeting.meeting_date if relisted else None,
                recorded_at=deferral.recorded_at,
            )
        out = withdrawn_from(
            item.id, declared, allow_declared_remained=meeting.panel.allow_declared_remained
        )
        withdrawn = tuple(
            members[m].name
            for m in sorted(out)
            if m in presence and presence[m].in_room_for(item.position)
        )
        items.append(
            ItemView(
                item_id=item.id,
                position=item.position,
                child=child_label(case.first_name, case.last_name, case.reference, naming),
                reference=case.reference,
                request_type=case.request_type,
                status=item.status,
                minutes_allocated=item.minutes_allocated,
                presenting_officer=item.presenting_officer,
                statutory_due=clock.due if clock else None,
                outcome=decision.outcome if decision else None,
                rationale=(decision.rationale if decision else deferral.reason if deferral else ""),
                amount_pence=decision.amount_pence if decision else None,
                band=decision.band if decision else None,
                setting=decision.setting if decision else None,
                deferred_to=deferral.return_date if deferral else None,
                timescale_risk=bool(deferral and deferral.timescale_risk),
                chaired_by=members[item.chair_member_id].name if item.chair_member_id else None,
                chair_reason=item.chair_reason,
                withdrawn=withdrawn,
                child_name=_name_only(case.first_name, case.last_name, naming),
                chaired_by_id=item.chair_member_id,
                discussion=mask(item.discussion),
                papers=item_papers(session, item, mask, papers_of[item.id]),
                decision=decision_view,
                deferral=deferral_view,
                clock=clock,
                clock_gap=clock_gap_of(case),
                carried_from=carried_from_dates.get(item.id),
            )
        )
    action_rows = list(
        session.scalars(
            select(ActionRow).where(ActionRow.meeting_id == meeting_id).order_by(ActionRow.id)
        )
    )
    actions = tuple((mask(a.description), a.owner, a.due_date) for a in action_rows)
    action_items = tuple(
        ActionView(
            description=mask(a.description),
            owner=a.owner,
            due_date=a.due_date,
            item_position=position_of.get(a.agenda_item_id) if a.agenda_item_id else None,
        )
        for a in action_rows
    )
    chair = role_holder(meeting.panel, Role.CHAIR)
    vice_chair = role_holder(meeting.panel, Role.VICE_CHAIR)
    return MeetingView(
        meeting_id=meeting.id,
        panel_name=meeting.panel.name,
        meeting_date=meeting.meeting_date,
        start_time=meeting.start_time,
        venue=meeting.venue,
        status=meeting.status,
        attendees=attendees,
        declarations=declarations,
        items=tuple(items),
        actions=actions,
        council=meeting.panel.council,
        naming=naming,
        chair_id=chair.id if chair else None,
        vice_chair_id=vice_chair.id if vice_chair else None,
        action_items=action_items,
    )


@dataclass(frozen=True)
class ListedMeeting:
    """A meeting as the window's list shows it."""

    meeting_id: int
    panel_name: str
    meeting_date: date
    status: MeetingStatus
    items: int
    #: who has it checked out to run offline, and on which machine; None when it is not out
    checked_out_to: str | None = None
    machine: str | None = None


def meeting_list(session: Session) -> list[ListedMeeting]:
    """Every meeting, newest first, with its panel, number of items and, when it is checked
    out of a team store, to whom: one statement for the whole list."""
    rows = session.execute(
        select(
            Meeting.id,
            Panel.name,
            Meeting.meeting_date,
            Meeting.status,
            func.count(AgendaItem.id.distinct()),
            func.min(TeamCheckout.checked_out_to),
            func.min(TeamCheckout.machine),
        )
        .join(Panel, Meeting.panel_id == Panel.id)
        .outerjoin(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .outerjoin(
            TeamCheckout,
            (TeamCheckout.meeting_id == Meeting.id) & TeamCheckout.released_at.is_(None),
        )
        .group_by(Meeting.id, Panel.name, Meeting.meeting_date, Meeting.status)
        .order_by(Meeting.meeting_date.desc(), Meeting.id)
    )
    return [ListedMeeting(*row) for row in rows]


def list_meetings(session: Session) -> list[tuple[int, str, date, MeetingStatus, int]]:
    """(id, panel name, date, status, number of items) for every meeting, newest first."""
    # One statement for the whole list: the panel by join, the items counted by the database,
    # instead of two lazy loads per meeting.
    rows = session.execute(
        select(
            Meeting.id,
            Panel.name,
            Meeting.meeting_date,
            Meeting.status,
            func.count(AgendaItem.id),
        )
        .join(Panel, Meeting.panel_id == Panel.id)
        .outerjoin(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .group_by(Meeting.id, Panel.name, Meeting.meeting_date, Meeting.status)
        .order_by(Meeting.meeting_date.desc(), Meeting.id)
    )
    return [
        (meeting_id, panel_name, day, MeetingStatus(status), count)
        for meeting_id, panel_name, day, status, count in rows
    ]
