"""The agenda of a meeting: its content from the store, and its export as a Word document.

The content is read through ``meeting_view`` (so the agenda names children exactly as every
other screen and document does) plus the papers of each item, with the late ones marked by the
one late-paper rule in ``services.papers``. Time slots run on from the meeting's start time
after the opening business. A member's pack uses the same content with the papers of the items
that member declared an interest in beforehand left out (R3).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.documents.agenda_content import (
    AgendaDocument,
    AgendaEntry,
    AgendaMember,
    AgendaPaper,
)
from panelapp.documents.agenda_writer import TEMPLATE, write_agenda
from panelapp.domain.formatting import format_date
from panelapp.domain.vocabulary import NamingMode, Role
from panelapp.resources import read_template
from panelapp.services import papers
from panelapp.services.approvals import returned_into
from panelapp.services.cases import statutory_clock
from panelapp.services.export_files import publish_file, safe_name, target_path
from panelapp.services.meeting_lookup import get_meeting
from panelapp.services.meeting_view import ItemView, free_text_masker, meeting_view
from panelapp.services.panels import role_holder
from panelapp.services.previous_business import (
    matters_arising,
    next_meeting_date,
    previous_meeting,
)
from panelapp.services.row_lookup import get_row
from panelapp.store.engine import Store
from panelapp.store.tables import AgendaItem, DeclarationRow, DeferralRow, Meeting, Member

logger = logging.getLogger(__name__)

DEFAULT_OPENING_MINUTES = 10


def naming_for(meeting: Meeting, naming: NamingMode | None) -> NamingMode:
    """The naming mode asked for, or else the panel's own (R18)."""
    return NamingMode(naming or meeting.panel.naming_mode)


def _at(start: time, minutes: int) -> time:
    return (datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)).time()


def member_roles(member: Member) -> str:
    return ", ".join(Role(r).label for r in member.roles) or "Member"


def build_agenda(
    session: Session,
    meeting_id: int,
    *,
    naming: NamingMode | None = None,
    opening_minutes: int = DEFAULT_OPENING_MINUTES,
    withheld_item_ids: Collection[int] = (),
    today: date | None = None,
) -> AgendaDocument:
    """The agenda's content. ``naming`` defaults to the panel's naming mode. In a member's
    pack, ``withheld_item_ids`` are the items whose papers that member does not receive (R3)."""
    meeting = get_meeting(session, meeting_id)
    panel = meeting.panel
    naming = naming_for(meeting, naming)
    view = meeting_view(session, meeting_id, naming)
    members = [m for m in panel.members if m.active]
    by_id = {m.id: m for m in panel.members}
    chair, vice = role_holder(panel, Role.CHAIR), role_holder(panel, Role.VICE_CHAIR)
    minute_taker = role_holder(panel, Role.MINUTE_TAKER)
    advance = list(
        session.scalars(
            select(DeclarationRow)
            .where(DeclarationRow.meeting_id == meeting_id, DeclarationRow.before_meeting)
            .order_by(DeclarationRow.id)
        )
    )
    items = {i.id: i for i in meeting.items}
    # Typed text (declarations, what a deferral asked for, paper titles) can name a child: it
    # is masked for the naming mode exactly as the minutes mask it (R18).
    mask = free_text_masker(meeting, naming)
    context = _Context(session, meeting, naming, advance, by_id, chair, vice, mask)
    clock = _at(meeting.start_time, max(0, opening_minutes))
    entries = []
    for view_item in view.items:
        start, clock = clock, _at(clock, view_item.minutes_allocated)
        item = items[view_item.item_id]
        entries.append(_entry(context, item, view_item, start, clock, item.id in withheld_item_ids))
    next_meeting = next_meeting_date(session, meeting)
    position_of = {i.id: i.position for i in meeting.items}
    return AgendaDocument(
        panel_name=panel.name,
        council=panel.council,
        meeting_date=meeting.meeting_date,
        start=meeting.start_time,
        end=clock,
        venue=meeting.venue,
        chair=chair.name if chair else "",
        vice_chair=vice.name if vice else "",
        minute_taker=minute_taker.name if minute_taker else "",
        members=tuple(AgendaMember(m.name, member_roles(m), m.organisation) for m in members),
        paper_deadline=papers.deadline_for(meeting),
        naming_label=naming.label,
        opening_minutes=opening_minutes,
        entries=tuple(entries),
        advance_declarations=tuple(
            f"{by_id[d.member_id].name}, "
            + (f"item {position_of[d.agenda_item_id]}" if d.agenda_item_id else "all items")
            + f": {mask(d.nature)}"
            for d in advance
        ),
        next_meeting=next_meeting,
        produced_on=today or date.today(),
        council_address=panel.council_address,
        council_contact=panel.council_contact,
        previous_meeting=previous_meeting(session, meeting),
        matters_arising=matters_arising(session, meeting, naming),
    )


@dataclass(frozen=True)
class _Context:
    """What every item of one agenda is read against."""

    session: Session
    meeting: Meeting
    naming: NamingMode
    advance: list[DeclarationRow]  # declarations made before the meeting
    members: dict[int, Member]
    chair: Member | None
    vice: Member | None
    mask: Callable[[str | None], str]  # hides the meeting's children in typed text (R18)


def _entry(
    ctx: _Context, item: AgendaItem, view_item: ItemView, start: time, end: time, withheld: bool
) -> AgendaEntry:
    session, meeting, chair, vice = ctx.session, ctx.meeting, ctx.chair, ctx.vice
    case = item.case
    clock = statutory_clock(case)
    due = view_item.statutory_due
    returning_from, returning_for = None, ""
    if item.carried_from_item_id:
        earlier = get_row(session, AgendaItem, item.carried_from_item_id, "agenda item")
        returning_from = earlier.meeting.meeting_date
        deferral = session.scalar(
            select(DeferralRow).where(DeferralRow.agenda_item_id == earlier.id)
        )
        if deferral is not None:
            returning_for = ctx.mask(deferral.information_required)
    returned = returned_into(session, item.id) if item.carried_from_item_id else None
    returned_by = ""
    if returned is not None and returned.on_date is not None:
        returned_by = f"{returned.officer} ({returned.role}) on {format_date(returned.on_date)}"
        if returned.comment:
            returned_by += f": {ctx.mask(returned.comment)}"
    declared = [d for d in ctx.advance if d.agenda_item_id in (None, item.id)]
    declared_ids = {d.member_id for d in declared}
    chair_note = ""
    if chair and chair.id in declared_ids:
        if vice and vice.id not in declared_ids:
            chair_note = f"The vice-chair ({vice.name}) chairs this item."
        else:
            chair_note = (
                "The chair and vice-chair have both declared an interest: the panel chooses a "
                "member to chair this item."
            )
    child = view_item.child
    paper_rows: list[AgendaPaper] = []
    if withheld:
        child = case.reference  # the member's copy does not name a child they stepped away from
    else:
        for number, info in enumerate(papers.papers_for_item(session, item.id), start=1):
            paper_rows.append(
                AgendaPaper(
                    number=number,
                    title=ctx.mask(info.title),
                    kind_label=info.kind.label if info.kind else "file",
                    pages=info.pages,
                    received=papers.local_time(info.received_at),
                    late=papers.is_late_for(info.received_at, meeting),
                    carried_from=info.carried_from,
                )
            )
    return AgendaEntry(
        position=item.position,
        start=start,
        end=end,
        minutes=item.minutes_allocated,
        child=child,
        request_type=view_item.request_type.label,
        presenting_officer=item.presenting_officer,
        statutory_due=due,
        statutory_what=clock.name if clock else "",
        clock_unknown=view_item.clock_gap or "",
        overdue=bool(due and due < meeting.meeting_date),
        returning_from=returning_from,
        returning_for=returning_for,
        returned_by=returned_by,
        chair_note=chair_note,
        declared_by=tuple(
            f"{ctx.members[d.member_id].name} declared an interest before the meeting and leaves "
            "for this item."
            for d in declared
            if d.withdraws
        ),
        papers=tuple(paper_rows),
        withheld=withheld,
    )


def default_agenda_name(session: Session, meeting_id: int) -> str:
    meeting = get_meeting(session, meeting_id)
    return safe_name(f"Agenda - {meeting.panel.name} - {meeting.meeting_date:%Y-%m-%d}") + ".docx"


@dataclass(frozen=True)
class ExportedAgenda:
    path: Path
    sha256: str
    items: int
    late_papers: int
    naming: NamingMode


def export_agenda(
    store: Store,
    actor: str,
    meeting_id: int,
    out: Path | None = None,
    *,
    naming: NamingMode | None = None,
    opening_minutes: int = DEFAULT_OPENING_MINUTES,
    overwrite: bool = False,
    today: date | None = None,
) -> ExportedAgenda:
    """Write the agenda as .docx to ``out`` (a file, or a folder for the default name)."""
    with store.read() as session:
        used = naming_for(get_meeting(session, meeting_id), naming)
        content = build_agenda(
            session, meeting_id, naming=used, opening_minutes=opening_minutes, today=today
        )
        target = target_path(out, default_agenda_name(session, meeting_id))
    data = write_agenda(content, read_template(TEMPLATE))

    def record(uow, digest: str) -> None:
        uow.audit(
            "agenda.exported",
            "meeting",
            meeting_id,
            naming=used.value,
            items=len(content.entries),
            late_papers=content.late_papers,
            sha256=digest,
            size=len(data),
        )

    digest = publish_file(
        store, actor, target, lambda fh: fh.write(data), record, overwrite=overwrite
    )
    logger.info("exported an agenda of %d items", len(content.entries))
    return ExportedAgenda(target, digest, len(content.entries), content.late_papers, used)
