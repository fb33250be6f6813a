"""Who was in the room for each item, read from the store, and the guard that keeps items
already taken consistent with it.

Attendance, late arrivals, early leavers and declarations can be recorded and corrected while
a meeting runs. An item already decided or deferred recorded who chaired it and who took part;
any later change that would make that record untrue (someone marked absent who took part, a
departure recorded before an item they decided) is refused here, with what to do instead.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.domain.errors import PanelappError
from panelapp.domain.presence import Presence
from panelapp.domain.quorum import Participant
from panelapp.domain.recusal import Declaration, withdrawn_from
from panelapp.domain.vocabulary import AttendanceStatus, ItemStatus, Role
from panelapp.store.tables import (
    AgendaItem,
    Attendance,
    DecisionRow,
    DeclarationRow,
    DeferralRow,
    Meeting,
    Member,
)


def as_declaration(row: DeclarationRow) -> Declaration:
    return Declaration(
        member_id=row.member_id,
        item_id=row.agenda_item_id,
        nature=row.nature,
        withdraws=row.withdraws,
        before_meeting=row.before_meeting,
        excluded_item_ids=frozenset(row.excluded_item_ids or ()),
        correction=bool(row.correction),
    )


def declarations_for(uow_or_session, meeting_id: int) -> list[Declaration]:
    session = getattr(uow_or_session, "session", uow_or_session)
    rows = session.scalars(
        select(DeclarationRow)
        .where(DeclarationRow.meeting_id == meeting_id)
        .order_by(DeclarationRow.id)
    )
    return [as_declaration(r) for r in rows]


def presences(session: Session, meeting_id: int) -> dict[int, Presence]:
    """Every recorded attendance of the meeting, by member id, with item positions."""
    # keyed by item id; an attendance with no arrival/leaving item looks up None and gets None
    position: dict[int | None, int] = dict(
        session.execute(
            select(AgendaItem.id, AgendaItem.position).where(AgendaItem.meeting_id == meeting_id)
        ).all()
    )
    rows = session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id))
    return {
        a.member_id: Presence(
            member_id=a.member_id,
            present=a.status == AttendanceStatus.PRESENT,
            arrived_before=position.get(a.arrived_before_item_id),
            left_before=position.get(a.left_before_item_id),
        )
        for a in rows
    }


def participants(session: Session, meeting_id: int) -> dict[int, Participant]:
    """Everyone recorded as attending, as quorum sees them (name and roles)."""
    rows = session.execute(
        select(Member)
        .join(Attendance, Attendance.member_id == Member.id)
        .where(Attendance.meeting_id == meeting_id)
        .order_by(Member.id)
    ).scalars()
    return {
        m.id: Participant(member_id=m.id, name=m.name, roles=frozenset(Role(r) for r in m.roles))
        for m in rows
    }


def in_room_for(
    position: int, everyone: dict[int, Participant], presence: dict[int, Presence]
) -> tuple[Participant, ...]:
    return tuple(
        p
        for member_id, p in everyone.items()
        if member_id in presence and presence[member_id].in_room_for(position)
    )


def check_items_taken(session: Session, meeting: Meeting, *, allow_declared_remained: bool) -> None:
    """Refuse (raise) when the recorded presence and declarations contradict an item already
    decided or deferred: its chair or a member taking part not in the room, or withdrawn."""
    presence = presences(session, meeting.id)
    declarations = declarations_for(session, meeting.id)
    names = {m.id: m.name for m in meeting.panel.members}
    for item in meeting.items:
        if item.status not in (ItemStatus.DECIDED, ItemStatus.DEFERRED):
            continue
        row = session.scalar(
            select(DecisionRow).where(DecisionRow.agenda_item_id == item.id)
        ) or session.scalar(select(DeferralRow).where(DeferralRow.agenda_item_id == item.id))
        if row is None:
            continue
        withdrawn = withdrawn_from(
            item.id, declarations, allow_declared_remained=allow_declared_remained
        )
        involved = set(row.participant_ids or ())
        if row.chaired_by_member_id is not None:
            involved.add(row.chaired_by_member_id)
        for member_id in sorted(involved):
            here = member_id in presence and presence[member_id].in_room_for(item.position)
            if here and member_id not in withdrawn:
                continue
            what = item.status.label.lower()
            raise PanelappError(
                f"{names.get(member_id, 'A member')} took part in item {item.position}, which "
                f"is already {what}, so this change would make its record untrue. Reopen item "
                f"{item.position} first if they were not in the room for it."
            )


def rooms_of_items_taken(session: Session, meeting: Meeting) -> dict[int, frozenset[int]]:
    """Who was in the room for each item already decided or deferred, by item id."""
    presence = presences(session, meeting.id)
    return {
        item.id: frozenset(m for m, p in presence.items() if p.in_room_for(item.position))
        for item in meeting.items
        if item.status in (ItemStatus.DECIDED, ItemStatus.DEFERRED)
    }


def refuse_if_rooms_changed(
    session: Session, meeting: Meeting, before: dict[int, frozenset[int]]
) -> None:
    """An item already taken was judged on who was in the room: quorum, the chair, the members
    taking part. A change to attendance (or the agenda's order) that would put someone in or
    out of the room for it is refused until the item is reopened."""
    after = rooms_of_items_taken(session, meeting)
    names = {m.id: m.name for m in meeting.panel.members}
    for item in meeting.items:
        if item.id not in before or before[item.id] == after.get(item.id):
            continue
        changed = sorted(before[item.id] ^ after.get(item.id, frozenset()))
        who = names.get(changed[0], "A member") if changed else "A member"
        what = item.status.label.lower()
        raise PanelappError(
            f"Item {item.position} is already {what}, and this change would alter who was in "
            f"the room for it ({who}). Reopen item {item.position} first if the record of who "
            "was there is wrong."
        )
