"""One guard, in every unit of work, for meetings checked out of the team store to a laptop.

On the team store, a meeting that is out may not change: any new, changed or deleted row that
belongs to it (the meeting itself, its agenda items, rows with its ``meeting_id``, rows of one
of its items, and rows under those) is refused with who has it and since when, except a new
paper (and its content), which is accepted and flagged as waiting for the laptop
(``team_late_papers``).

On a laptop's store that holds a checked-out copy, only the running of the meeting that is out
may change: what check-in sends back. Panel settings, members, cases and other meetings are
refused, as is everything once the meeting has been checked in. New rows made there take their
ids from the block the team store reserved at check-out, so they keep them when checked in.

The check-out services themselves write the copied rows with ``session.info[SYNCING]`` set,
which the guard lets through. Bulk statements that bypass the ORM's unit of work are not seen
here; the services that use them (retention, form drafts) do not run on a meeting in progress.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date
from panelapp.domain.uk_time import uk_time
from panelapp.store.tables import (
    ActionRow,
    AgendaItem,
    Attendance,
    AttendanceMode,
    AuditEvent,
    DecisionRow,
    Meeting,
    Paper,
    PaperContent,
    ReasonRow,
    SigningIdentityRow,
    StoreMeta,
    TeamCheckinCheckpoint,
    TeamCheckinEvent,
    TeamCheckout,
    TeamLatePaper,
)

#: ``session.info`` key: the check-out services' own writes of copied rows
SYNCING = "panelapp_checkout_sync"
#: ``store_meta`` name on a laptop's store: the id of the team store its copies came from
TEAM_COPY_OF = "team_copy_of"

TEAM, LAPTOP = "team", "laptop"

#: never about one meeting's business: the store's own bookkeeping
_EXEMPT = (
    AuditEvent,
    StoreMeta,
    TeamCheckout,
    TeamCheckinEvent,
    TeamCheckinCheckpoint,
    TeamLatePaper,
)
#: made on the laptop and sent back when new, whichever meeting they name
_NEW_ON_LAPTOP = (ReasonRow, SigningIdentityRow, Paper, PaperContent)


class MeetingCheckedOut(PanelappError):
    """A change to a meeting that is checked out to a laptop, refused."""


class NotOnThisLaptop(PanelappError):
    """A change on a laptop's copy that check-in would not send back, refused."""


@dataclass
class _Guard:
    side: str
    #: meeting id -> the checkout row (active ones only)
    out: dict[int, TeamCheckout]
    items: dict[int, int] = field(default_factory=dict)
    late: list[tuple[Paper, int]] = field(default_factory=list)


def describe_holder(checkout: TeamCheckout) -> str:
    """'Helen Whitaker on CHAIR-LAPTOP since 3 December 2026 at 14:05' (UK time)."""
    since = uk_time(checkout.checked_out_at)
    return (
        f"{checkout.checked_out_to} on {checkout.machine} since "
        f"{format_date(since.date())} at {since:%H:%M}"
    )


def active_checkouts(session: Session, side: str) -> dict[int, TeamCheckout]:
    rows = session.scalars(
        select(TeamCheckout).where(TeamCheckout.side == side, TeamCheckout.released_at.is_(None))
    )
    return {row.meeting_id: row for row in rows}


def install(session: Session, *, is_team: bool) -> None:
    """Watch ``session`` (a unit of work's, in its transaction) for changes the check-outs of
    this store forbid; nothing is watched on a store that has no part in one."""
    side = TEAM if is_team else LAPTOP
    out = active_checkouts(session, side)
    if not out and (is_team or session.get(StoreMeta, TEAM_COPY_OF) is None):
        return
    guard = _Guard(side, out)
    if out:
        found = session.execute(
            select(AgendaItem.id, AgendaItem.meeting_id).where(AgendaItem.meeting_id.in_(list(out)))
        )
        guard.items = {item_id: meeting_id for item_id, meeting_id in found}
    session.info["panelapp_checkout_guard"] = guard
    event.listen(session, "before_flush", _before_flush)
    event.listen(session, "after_flush_postexec", _after_flush)


def uninstall(session: Session) -> None:
    if session.info.pop("panelapp_checkout_guard", None) is not None:
        event.remove(session, "before_flush", _before_flush)
        event.remove(session, "after_flush_postexec", _after_flush)


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    guard: _Guard = session.info["panelapp_checkout_guard"]
    if session.info.get(SYNCING):
        return
    with session.no_autoflush:
        for instance in session.new:
            _judge(session, guard, instance, new=True)
        for instance in (*session.dirty, *session.deleted):
            if session.is_modified(instance) or instance in session.deleted:
                _judge(session, guard, instance, new=False)
        if guard.side == LAPTOP:
            _assign_ids(session, guard)


def _after_flush(session: Session, _context: object) -> None:
    guard: _Guard = session.info["panelapp_checkout_guard"]
    late, guard.late = guard.late, []
    for paper, checkout_id in late:
        session.add(TeamLatePaper(paper_id=paper.id, checkout_id=checkout_id))


def _judge(session: Session, guard: _Guard, instance: object, *, new: bool) -> None:
    if isinstance(instance, _EXEMPT):
        return
    meetings = _meetings_of(session, guard, instance)
    if guard.side == TEAM:
        for meeting_id in meetings:
            checkout = guard.out.get(meeting_id)
            if checkout is None:
                continue
            if new and isinstance(instance, Paper):
                guard.late.append((instance, checkout.id))
                continue
            if new and isinstance(instance, PaperContent):
                continue
            raise MeetingCheckedOut(
                f"Meeting {meeting_id} is checked out to {describe_holder(checkout)}, to run "
                "it offline: it cannot be changed here until it is checked in (new papers are "
                "still accepted; they wait for the laptop). Ask them to check it in, or force "
                "a release with 'panelapp team release'."
            )
        return
    if isinstance(instance, SigningIdentityRow) or (new and isinstance(instance, _NEW_ON_LAPTOP)):
        return
    if meetings and all(m in guard.out for m in meetings):
        return
    if guard.out:
        held = ", ".join(str(m) for m in sorted(guard.out))
        raise NotOnThisLaptop(
            f"This store holds meeting {held} checked out from the team store, to run it: only "
            "that meeting's business (attendance, declarations, decisions, deferrals, actions, "
            "minutes) can change here. Change panel settings, cases and other meetings on the "
            "team store."
        )
    raise NotOnThisLaptop(
        "This store holds copies of meetings checked out from the team store, all checked in "
        "since: nothing here can change any more. Work on the team store, or check the "
        "meeting out again."
    )


def _meetings_of(session: Session, guard: _Guard, instance: object) -> set[int]:
    """The meetings a row belongs to, before and after this change."""
    found: set[int] = set()
    if isinstance(instance, Meeting):
        return {instance.id} if instance.id is not None else set()
    for name in (
        "meeting_id",
        "agenda_item_id",
        "attendance_id",
        "action_id",
        "decision_id",
        "paper_id",
    ):
        if not hasattr(type(instance), name):
            continue
        for value in _values(instance, name):
            meeting = _meeting_via(session, guard, name, value)
            if meeting is not None:
                found.add(meeting)
    if isinstance(instance, ReasonRow) and instance.entity == "meeting":
        found.add(instance.entity_id)
    return found


def _values(instance: object, name: str) -> set[int]:
    history = inspect(instance).attrs[name].history
    return {v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None}


def _meeting_via(session: Session, guard: _Guard, name: str, value: int) -> int | None:
    if name == "meeting_id":
        return value
    if name == "agenda_item_id":
        if value in guard.items:
            return guard.items[value]
        item = session.get(AgendaItem, value)
        return item.meeting_id if item is not None else None
    parent = {
        "attendance_id": Attendance,
        "action_id": ActionRow,
        "decision_id": DecisionRow,
        "paper_id": Paper,
    }[name]
    row = session.get(parent, value)
    if row is None:
        return None
    if isinstance(row, DecisionRow | Paper):
        if row.agenda_item_id is None:
            return None
        return _meeting_via(session, guard, "agenda_item_id", row.agenda_item_id)
    meeting_id: int | None = getattr(row, "meeting_id", None)
    return meeting_id


def _assign_ids(session: Session, guard: _Guard) -> None:
    """New rows on a laptop's copy take the next id of the block the team store reserved."""
    if not guard.out:
        return
    checkout = max(guard.out.values(), key=lambda c: c.id)
    for instance in session.new:
        if isinstance(instance, _EXEMPT) or isinstance(instance, AttendanceMode | PaperContent):
            continue
        mapper = inspect(type(instance))
        keys = mapper.primary_key
        if len(keys) != 1 or keys[0].name != "id" or getattr(instance, "id", None) is not None:
            continue
        if checkout.next_id >= checkout.id_block_end:
            raise NotOnThisLaptop(
                "This laptop has used every record number the team store set aside for this "
                "meeting. Check the meeting in, and check it out again to go on."
            )
        instance.id = checkout.next_id
        checkout.next_id += 1
