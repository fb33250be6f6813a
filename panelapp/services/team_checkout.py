"""Checking a meeting out of the team store to a laptop, running it offline, checking it in.

How it works (the README's "Running a meeting offline" says it for users):

* **Check-out** copies, in one read of the team store, the meeting and everything its running
  needs (its panel and members, its cases with their earlier hearings: those meetings' items,
  decisions and deferrals, the papers with their contents, the members' signing certificates
  without any private key) into the laptop's encrypted store, keeping the team's ids. It marks
  the meeting out on the team store (to whom, which machine, when, the team chain's head), and
  reserves a block of record numbers no table of the team store will hand out: every row the
  laptop makes takes its id from that block (``store.checkout_guard``), so check-in needs to
  rewrite no reference. A laptop's store holds team copies only (one meeting out at a time).
* While it is out, the team store refuses changes to the meeting, except new papers, which
  wait flagged; ``refresh`` brings them down. The laptop refuses everything check-in would not
  send back.
* **Check-in** verifies the laptop's chain (whole, and its segment starting at its own
  check-out event, which names the team checkout and the team head recorded at check-out), then
  in ONE team transaction: makes the meeting's rows (attendance, declarations, decisions,
  deferrals, actions, drafts, letters, minutes versions, and new reasons, papers, certificates
  and checkpoints) as they are on the laptop, appends the laptop's events to the team chain
  (each re-hashed onto the team head; its record digests kept as ``laptop_rows``, since each
  store's digests are its own), keeps each laptop event's seq and hash beside the team event it
  became (``team_checkin_events``) so checkpoints signed on the laptop still verify
  (``team_checkin_checkpoints``, read by ``check``), records the team digests of the meeting's
  rows in a closing event, releases the meeting and re-lists its deferred cases. All or
  nothing: a failure at any point leaves the team store as it was, and the retry starts over.
* **Release** by force needs a typed reason (kept in ``reasons``); the stale laptop's check-in
  is then refused, and its work exported to a file for merging by hand.
"""

from __future__ import annotations

import base64
import json
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import and_, select, text
from sqlalchemy.orm import Session

from panelapp.domain.errors import NextStep, PanelappError, Step
from panelapp.domain.formatting import format_date
from panelapp.domain.uk_time import uk_time
from panelapp.services import export_files
from panelapp.services.audit_anchor import store_id
from panelapp.services.clock import utc_now
from panelapp.services.meetings import relist_deferrals
from panelapp.services.reasons import record_reason
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store import audit, fulltext, row_copy
from panelapp.store.checkout_guard import (
    LAPTOP,
    SYNCING,
    TEAM,
    TEAM_COPY_OF,
    MeetingCheckedOut,
    NotOnThisLaptop,
    active_checkouts,
    describe_holder,
)
from panelapp.store.engine import Store
from panelapp.store.record_digests import COVERED, meeting_records_digest
from panelapp.store.tables import (
    AuditCheckpoint,
    AuditEvent,
    Meeting,
    MinutesVersion,
    StoreMeta,
    TeamCheckinCheckpoint,
    TeamCheckinEvent,
    TeamCheckout,
    TeamLatePaper,
)

logger = logging.getLogger(__name__)

#: record numbers set aside for the rows one laptop makes while a meeting is out
ID_BLOCK = 10_000

Progress = Callable[[int, int, str], None]

#: the meeting's own rows, which check-in makes as they are on the laptop, with how each
#: belongs to the meeting (the rows of these that the laptop no longer has are deleted)
_ITEMS = "SELECT id FROM agenda_items WHERE meeting_id = :m"
_OWNED: dict[str, str] = {
    "attendance": "meeting_id = :m",
    "attendance_modes": "attendance_id IN (SELECT id FROM attendance WHERE meeting_id = :m)",
    "declarations": "meeting_id = :m",
    "decisions": f"agenda_item_id IN ({_ITEMS})",
    "deferrals": f"agenda_item_id IN ({_ITEMS})",
    "actions": "meeting_id = :m",
    "action_progress": "action_id IN (SELECT id FROM actions WHERE meeting_id = :m)",
    "form_drafts": f"agenda_item_id IN ({_ITEMS})",
    "family_letters": f"agenda_item_id IN ({_ITEMS})",
    "minutes_versions": "meeting_id = :m",
}
#: made on the laptop (ids in the block), sent back as new rows only
_NEW_ONLY = ("reasons", "signing_identities", "papers", "paper_contents", "audit_checkpoints")


@dataclass(frozen=True)
class CheckoutInfo:
    meeting_id: int
    checkout_id: int
    to: str
    machine: str
    since: datetime
    #: "team": this store lent the meeting out; "laptop": this store holds the copy
    side: str
    #: papers added on the team store since, waiting for the laptop
    waiting_papers: int = 0

    def words(self) -> str:
        since = uk_time(self.since)
        return (
            f"checked out to {self.to} ({self.machine}) since {format_date(since.date())} "
            f"{since:%H:%M}"
        )


@dataclass(frozen=True)
class CheckoutResult:
    meeting_id: int
    checkout_id: int
    rows: int
    papers: int


@dataclass(frozen=True)
class CheckinResult:
    meeting_id: int
    rows: int
    events: int
    checkpoints: int


class CheckinRefused(PanelappError):
    """The check-in was refused; ``exported`` names the file holding the laptop's work, when
    it was exported for merging by hand."""

    def __init__(self, message: str, exported: Path | None = None) -> None:
        super().__init__(message)
        self.exported = exported


def _tick(progress: Progress | None, done: int, total: int, words: str) -> None:
    if progress is not None:
        progress(done, total, words)


# --- reading ------------------------------------------------------------------------------


def checkouts(session: Session) -> dict[int, CheckoutInfo]:
    """The meetings out now, by meeting id: on the team store, who has each; on a laptop's
    store, the meetings it holds."""
    found: dict[int, CheckoutInfo] = {}
    for side in (LAPTOP, TEAM):
        for meeting_id, row in active_checkouts(session, side).items():
            waiting = 0
            if side == TEAM:
                waiting = len(
                    session.scalars(
                        select(TeamLatePaper.paper_id).where(
                            TeamLatePaper.checkout_id == row.id, TeamLatePaper.fetched_at.is_(None)
                        )
                    ).all()
                )
            found[meeting_id] = CheckoutInfo(
                meeting_id=meeting_id,
                checkout_id=row.id,
                to=row.checked_out_to,
                machine=row.machine,
                since=row.checked_out_at,
                side=side,
                waiting_papers=waiting,
            )
    return found


def waiting_papers(session: Session, meeting_id: int) -> list[int]:
    """Ids of the papers added on the team store while the meeting was out, not yet brought
    down to the laptop."""
    return list(
        session.scalars(
            select(TeamLatePaper.paper_id)
            .join(TeamCheckout, TeamCheckout.id == TeamLatePaper.checkout_id)
            .where(
                TeamCheckout.meeting_id == meeting_id,
                TeamCheckout.released_at.is_(None),
                TeamLatePaper.fetched_at.is_(None),
            )
            .order_by(TeamLatePaper.paper_id)
        )
    )


def _where(sql: str):
    return text(sql)


def _meeting_copy(session: Session, meeting_id: int) -> dict[str, list[row_copy.Row]]:
    """Every row a laptop needs to run the meeting, by table (in the session's snapshot)."""
    conn = session.connection()
    meeting = session.get(Meeting, meeting_id)
    assert meeting is not None
    read = row_copy.read_rows
    t = row_copy.table
    items_m = read(conn, "agenda_items", t("agenda_items").c.meeting_id == meeting_id)
    case_ids = sorted({i["case_id"] for i in items_m})
    earlier_meetings = select(Meeting.id).where(
        Meeting.meeting_date <= meeting.meeting_date, Meeting.id != meeting_id
    )
    items_earlier = read(
        conn,
        "agenda_items",
        and_(
            t("agenda_items").c.case_id.in_(case_ids),
            t("agenda_items").c.meeting_id.in_(earlier_meetings),
        ),
    )
    items = items_m + items_earlier
    item_ids = {i["id"] for i in items}
    meeting_ids = {meeting_id} | {i["meeting_id"] for i in items_earlier}
    meetings = read(conn, "meetings", t("meetings").c.id.in_(meeting_ids))
    panel_ids = {m["panel_id"] for m in meetings}
    members = read(conn, "members", t("members").c.panel_id.in_(panel_ids))
    member_ids = {m["id"] for m in members}
    for item in items_earlier:
        if item["carried_from_item_id"] not in item_ids:
            item["carried_from_item_id"] = None  # a hearing not copied (history only)
    deferrals = read(conn, "deferrals", t("deferrals").c.agenda_item_id.in_(item_ids))
    for row in deferrals:
        if row["relisted_item_id"] not in item_ids:
            row["relisted_item_id"] = None  # relisted to a meeting not copied
    papers = read(
        conn,
        "papers",
        and_(
            t("papers").c.case_id.in_(case_ids),
            (t("papers").c.agenda_item_id.is_(None)) | t("papers").c.agenda_item_id.in_(item_ids),
        ),
    )
    identities = read(
        conn, "signing_identities", t("signing_identities").c.member_id.in_(member_ids)
    )
    for row in identities:
        row["private_key_pem"] = b""  # never anyone's private key
        row["key_protection"] = "team"
    owned = {
        name: read(conn, name, _where(where).bindparams(m=meeting_id))
        for name, where in _OWNED.items()
        if name != "deferrals"
    }
    owned["decisions"] = read(conn, "decisions", t("decisions").c.agenda_item_id.in_(item_ids))
    owned["deferrals"] = deferrals
    return {
        "panels": read(conn, "panels", t("panels").c.id.in_(panel_ids)),
        "members": members,
        "cases": read(conn, "cases", t("cases").c.id.in_(case_ids)),
        "clock_exceptions": read(
            conn, "clock_exceptions", t("clock_exceptions").c.case_id.in_(case_ids)
        ),
        "meetings": meetings,
        "agenda_items": items,
        "papers": papers,
        "paper_contents": read(
            conn,
            "paper_contents",
            t("paper_contents").c.paper_id.in_([p["id"] for p in papers]),
        ),
        "signing_identities": identities,
        **owned,
    }


def _paper_texts(session: Session, papers: list[row_copy.Row]) -> dict[int, str]:
    """The words indexed for each paper (its extracted text), to index them on the other
    store: search finds them there as it does here."""
    return {p["id"]: fulltext.paper_text(session, p["id"]) for p in papers}


def _index_papers(session: Session, papers: list[row_copy.Row], texts: dict[int, str]) -> None:
    for paper in papers:
        fulltext.index_paper(
            session, paper["id"], paper["case_id"], paper["title"], texts.get(paper["id"], "")
        )


def _remove_missing(
    conn, meeting_id: int, rows: dict[str, list[row_copy.Row]]
) -> list[tuple[str, int]]:
    """Delete the meeting's own rows that ``rows`` no longer has (children first): the covered
    ones deleted, as (table, id)."""
    deleted: list[tuple[str, int]] = []
    for name in reversed(row_copy.in_dependency_order(_OWNED)):
        there = row_copy.read_rows(conn, name, _where(_OWNED[name]).bindparams(m=meeting_id))
        gone = row_copy.keys_of(name, there) - row_copy.keys_of(name, rows.get(name, []))
        row_copy.delete_keys(conn, name, gone)
        if name in COVERED:
            deleted.extend((name, key[0]) for key in gone)
    return deleted


def _write_copy(uow: UnitOfWork, rows: dict[str, list[row_copy.Row]]) -> int:
    conn = uow.session.connection()
    row_copy.defer_references(conn)
    count = 0
    for name in row_copy.in_dependency_order(rows):
        row_copy.upsert(conn, name, rows[name])
        count += len(rows[name])
        if name in COVERED:
            for row in rows[name]:
                uow.mark_changed(name, row["id"])
    return count


# --- check-out ----------------------------------------------------------------------------


def _signed_here(local: Store, meeting_id: int) -> bool:
    """Whether the laptop's store holds checkpoints of the meeting signed there (work that
    was released without its check-in and exported)."""
    with local.read() as session:
        return (
            session.scalar(
                select(AuditCheckpoint.id).where(AuditCheckpoint.meeting_id == meeting_id).limit(1)
            )
            is not None
        )


def _local_facts(local: Store) -> tuple[str, str | None, dict[int, TeamCheckout], bool]:
    with local.read() as session:
        copy_of = session.get(StoreMeta, TEAM_COPY_OF)
        business = (
            session.scalar(select(Meeting.id).limit(1)) is not None
            or session.scalar(select(row_copy.table("panels").c.id).limit(1)) is not None
        )
        return (
            store_id(session),
            copy_of.value if copy_of is not None else None,
            active_checkouts(session, LAPTOP),
            business,
        )


def checkout(
    team: Store,
    local: Store,
    meeting_id: int,
    *,
    actor: str,
    machine: str | None = None,
    progress: Progress | None = None,
) -> CheckoutResult:
    """Copy meeting ``meeting_id`` from the team store to the laptop's store ``local`` and
    mark it checked out to ``actor`` on ``machine`` (this computer's name by default)."""
    machine = (machine or socket.gethostname() or "this computer").strip()
    local_id, copy_of, held, business = _local_facts(local)
    _tick(progress, 0, 3, "Reading the meeting from the team store")
    with UnitOfWork(team, actor) as uow:
        team_id = store_id(uow.session)
        if copy_of is None and business:
            raise PanelappError(
                f"{local.label} already holds panel records of its own, so a meeting from the "
                "team store cannot be copied into it. Check out into a store of its own: give "
                "--store with a new file name (it is created)."
            )
        if copy_of is not None and copy_of != team_id:
            raise PanelappError(
                f"{local.label} holds meetings from another team store. Check this one out into "
                "a store of its own: give --store with a new file name."
            )
        for other, row in held.items():
            if other != meeting_id:
                raise PanelappError(
                    f"{local.label} holds meeting {other} checked out already: check it in "
                    "first, or use another store.",
                    next_steps=(NextStep(Step.CHECK_IN, meeting_id=other),),
                )
            raise PanelappError(
                f"Meeting {meeting_id} is already checked out to this store ({local.label}) "
                "since " + describe_holder(row).split(" since ", 1)[1] + "."
            )
        if copy_of is not None and _signed_here(local, meeting_id):
            raise PanelappError(
                f"{local.label} holds minutes of meeting {meeting_id} signed here and never "
                "checked in (that work was exported when the meeting was released). Check the "
                "meeting out into a new store: give --store with a new file name."
            )
        meeting = uow.get(Meeting, meeting_id, "meeting")
        signed = uow.session.scalar(
            select(MinutesVersion.id).where(
                MinutesVersion.meeting_id == meeting_id, MinutesVersion.signed_at.is_not(None)
            )
        )
        if signed is not None or meeting.status == "signed":
            raise PanelappError(
                f"The minutes of meeting {meeting_id} are signed, so it is not run any more: "
                "an amendment is made on the team store."
            )
        existing = active_checkouts(uow.session, TEAM).get(meeting_id)
        if existing is not None and existing.local_store_id != local_id:
            raise MeetingCheckedOut(
                f"Meeting {meeting_id} is already checked out to {describe_holder(existing)}. "
                "It can be checked out again once they check it in, or after an officer "
                "releases it by force, giving the reason."
            )
        if existing is None:
            seq, head = audit.head(uow.session)
            start, end = row_copy.reserve_id_block(uow.session.connection(), ID_BLOCK)
            existing = TeamCheckout(
                meeting_id=meeting_id,
                side=TEAM,
                checked_out_to=uow.actor,
                machine=machine,
                checked_out_at=utc_now(),
                team_store_id=team_id,
                team_seq=seq,
                team_head=head,
                local_store_id=local_id,
                id_block_start=start,
                id_block_end=end,
                next_id=start,
            )
            uow.session.add(existing)
            uow.session.flush()
            uow.audit("meeting.checked_out", "meeting", meeting_id, checkout_id=existing.id)
        rows = _meeting_copy(uow.session, meeting_id)
        texts = _paper_texts(uow.session, rows["papers"])
        lent = {
            c.name: getattr(existing, c.name)
            for c in TeamCheckout.__table__.columns
            if c.name not in ("id", "side", "team_checkout_id")
        }
        lent_id = existing.id
    _tick(progress, 1, 3, "Copying the meeting into the laptop's store")
    with UnitOfWork(local, actor) as uow:
        uow.session.info[SYNCING] = True
        if uow.session.get(StoreMeta, TEAM_COPY_OF) is None:
            uow.session.add(StoreMeta(name=TEAM_COPY_OF, value=lent["team_store_id"]))
        # a meeting checked out here before: what changed on the team store since wins
        for name, row_id in _remove_missing(uow.session.connection(), meeting_id, rows):
            uow.mark_changed(name, row_id)
        count = _write_copy(uow, rows)
        _index_papers(uow.session, rows["papers"], texts)
        holding = TeamCheckout(side=LAPTOP, team_checkout_id=lent_id, **lent)
        uow.session.add(holding)
        uow.session.flush()
        uow.audit(
            "meeting.checked_out",
            "meeting",
            meeting_id,
            team_checkout_id=lent_id,
            team_seq=lent["team_seq"],
            team_head=lent["team_head"],
            rows_copied=count,
            papers=len(rows["papers"]),
        )
        holding.local_seq = audit.head(uow.session)[0]
    _tick(progress, 3, 3, "Checked out")
    logger.info("checked out meeting %s (%d rows)", meeting_id, count)
    return CheckoutResult(meeting_id, lent_id, count, len(rows["papers"]))


# --- refresh ------------------------------------------------------------------------------


def _holding(session: Session, meeting_id: int, label: str) -> TeamCheckout:
    row = active_checkouts(session, LAPTOP).get(meeting_id)
    if row is None:
        raise PanelappError(
            f"Meeting {meeting_id} is not checked out to {label}.",
            next_steps=(NextStep(Step.CHECK_OUT, meeting_id=meeting_id),),
        )
    return row


def refresh(
    team: Store, local: Store, meeting_id: int, *, actor: str, progress: Progress | None = None
) -> int:
    """Bring down the papers added on the team store since the meeting was checked out;
    returns how many."""
    with local.read() as session:
        holding = _holding(session, meeting_id, local.label)
        lent_id = holding.team_checkout_id
    _tick(progress, 0, 2, "Looking for papers that arrived on the team store")
    with team.read() as session:
        lent = session.get(TeamCheckout, lent_id)
        if lent is None or lent.released_at is not None:
            raise CheckinRefused(_stale_words(meeting_id, lent))
        ids = waiting_papers(session, meeting_id)
        conn = session.connection()
        papers = row_copy.read_rows(conn, "papers", row_copy.table("papers").c.id.in_(ids))
        contents = row_copy.read_rows(
            conn, "paper_contents", row_copy.table("paper_contents").c.paper_id.in_(ids)
        )
        texts = _paper_texts(session, papers)
    if not ids:
        return 0
    _tick(progress, 1, 2, f"Bringing down {len(ids)} papers")
    with UnitOfWork(local, actor) as uow:
        uow.session.info[SYNCING] = True
        _write_copy(uow, {"papers": papers, "paper_contents": contents})
        _index_papers(uow.session, papers, texts)
        uow.audit("papers.refreshed", "meeting", meeting_id, papers=len(ids))
    with UnitOfWork(team, actor) as uow:
        now = utc_now()
        for row in uow.session.scalars(
            select(TeamLatePaper).where(TeamLatePaper.paper_id.in_(ids))
        ):
            row.fetched_at = now
        uow.audit("papers.fetched", "meeting", meeting_id, checkout_id=lent_id, papers=len(ids))
    _tick(progress, 2, 2, "Papers brought down")
    return len(ids)


# --- release ------------------------------------------------------------------------------


def release(team: Store, meeting_id: int, *, actor: str, reason: str) -> CheckoutInfo:
    """Release a checked-out meeting without its check-in (the laptop is lost, or its holder
    away). The reason is required; the laptop's later check-in is refused."""
    if not reason.strip():
        raise PanelappError(
            "Say why the meeting is released without its check-in (--reason): the laptop's "
            "work will then have to be merged by hand."
        )
    with UnitOfWork(team, actor) as uow:
        row = active_checkouts(uow.session, TEAM).get(meeting_id)
        if row is None:
            raise PanelappError(f"Meeting {meeting_id} is not checked out; nothing to release.")
        info = CheckoutInfo(
            meeting_id, row.id, row.checked_out_to, row.machine, row.checked_out_at, TEAM
        )
        row.released_at = utc_now()
        row.released_by = uow.actor
        row.release_kind = "forced"
        uow.session.flush()
        record_reason(
            uow, entity="team_checkout", entity_id=row.id, action="meeting.released", text=reason
        )
        uow.audit("meeting.released", "meeting", meeting_id, checkout_id=row.id, forced=True)
    return info


# --- check-in -----------------------------------------------------------------------------


def _stale_words(meeting_id: int, lent: TeamCheckout | None) -> str:
    if lent is None:
        return (
            f"The team store has no record of this laptop's checkout of meeting {meeting_id}, "
            "so its work cannot be checked in."
        )
    when = uk_time(lent.released_at) if lent.released_at else None
    said = f" on {format_date(when.date())} at {when:%H:%M}" if when else ""
    return (
        f"Meeting {meeting_id} was released on the team store by {lent.released_by}{said} "
        "without this laptop's check-in, so the laptop's work cannot be checked in."
    )


def _laptop_rows(session: Session, meeting_id: int, holding: TeamCheckout):
    conn = session.connection()
    t = row_copy.table
    rows: dict[str, list[row_copy.Row]] = {
        "meetings": row_copy.read_rows(conn, "meetings", t("meetings").c.id == meeting_id),
        "agenda_items": row_copy.read_rows(
            conn, "agenda_items", t("agenda_items").c.meeting_id == meeting_id
        ),
    }
    for name, where in _OWNED.items():
        rows[name] = row_copy.read_rows(conn, name, _where(where).bindparams(m=meeting_id))
    block = (holding.id_block_start, holding.id_block_end)

    def made_here(name: str, column: str = "id"):
        c = t(name).c[column]
        return and_(c >= block[0], c < block[1])

    rows["reasons"] = row_copy.read_rows(conn, "reasons", made_here("reasons"))
    rows["papers"] = row_copy.read_rows(conn, "papers", made_here("papers"))
    rows["paper_contents"] = row_copy.read_rows(
        conn, "paper_contents", made_here("paper_contents", "paper_id")
    )
    rows["signing_identities"] = row_copy.read_rows(
        conn, "signing_identities", made_here("signing_identities")
    )
    rows["audit_checkpoints"] = row_copy.read_rows(
        conn, "audit_checkpoints", made_here("audit_checkpoints")
    )
    return rows


def _segment(session: Session, holding: TeamCheckout) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.seq >= holding.local_seq).order_by(AuditEvent.seq)
        )
    )


def _verify_segment(session: Session, holding: TeamCheckout, lent: TeamCheckout) -> list:
    chain = audit.verify(session)
    if not chain.intact:
        raise CheckinRefused(
            "The audit trail of this laptop's store does not hold together, so its work is not "
            "checked in. Have this store checked for damage, and ask whoever looks after the team "
            "store."
        )
    events = _segment(session, holding)
    first = events[0] if events else None
    detail = json.loads(first.detail) if first is not None else {}
    if (
        first is None
        or first.action != "meeting.checked_out"
        or detail.get("team_checkout_id") != lent.id
        or detail.get("team_head") != lent.team_head
        or detail.get("team_seq") != lent.team_seq
    ):
        raise CheckinRefused(
            "This laptop's audit trail does not start from the check-out the team store "
            "recorded, so its work is not checked in. Ask whoever looks after the team store."
        )
    return events


def _export_work(local: Store, actor: str, meeting_id: int, rows, events, out: Path | None) -> Path:
    """The laptop's work on the meeting, as JSON, for merging by hand (with its audit event)."""

    def plain(value: object) -> object:
        if isinstance(value, bytes | memoryview):
            return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
        return value

    payload = {
        "panelapp": "work on a checked-out meeting, not checked in",
        "meeting_id": meeting_id,
        "tables": {
            name: [{k: plain(v) for k, v in row.items()} for row in table_rows]
            for name, table_rows in rows.items()
        },
        "audit_events": [
            {
                c: getattr(e, c)
                for c in (
                    "seq",
                    "at",
                    "actor",
                    "action",
                    "entity",
                    "entity_id",
                    "detail",
                    "prev_hash",
                    "hash",
                )
            }
            for e in events
        ],
    }
    data = json.dumps(payload, default=str, ensure_ascii=False, indent=1).encode("utf-8")
    name = f"meeting-{meeting_id}-laptop-work-{utc_now():%Y%m%d-%H%M%S}.json"
    target = export_files.target_path(out, name)

    def record(uow: UnitOfWork, digest: str) -> None:
        uow.audit(
            "meeting.work_exported",
            "meeting",
            meeting_id,
            sha256=digest,
            rows=sum(len(r) for r in rows.values()),
            events=len(events),
        )

    export_files.publish_file(local, actor, target, lambda fh: fh.write(data), record)
    return target


def checkin(
    team: Store,
    local: Store,
    meeting_id: int,
    *,
    actor: str,
    progress: Progress | None = None,
    export_to: Path | None = None,
) -> CheckinResult:
    """Send the laptop's running of the meeting back to the team store in one transaction,
    verified first, and release the meeting. Refused (``CheckinRefused``) when the meeting
    was released without it: the laptop's work is then exported (to ``export_to``, a folder
    or file; the current folder by default) for merging by hand."""
    _tick(progress, 0, 4, "Checking the laptop's audit trail")
    with local.read() as session:
        holding = _holding(session, meeting_id, local.label)
        lent_id = holding.team_checkout_id
        if lent_id is None:  # a laptop's own record of a checkout always names the team's
            raise NotOnThisLaptop(
                f"Meeting {meeting_id} is not checked out to this laptop from a team store."
            )
        rows = _laptop_rows(session, meeting_id, holding)
        texts = _paper_texts(session, rows["papers"])
        events = _segment(session, holding)
        laptop_store = store_id(session)
    with team.read() as session:
        lent = session.get(TeamCheckout, lent_id)
        done_already = lent is not None and lent.release_kind == "checkin"
        if done_already:
            last = session.scalar(
                select(TeamCheckinEvent.local_seq)
                .where(TeamCheckinEvent.checkout_id == lent_id)
                .order_by(TeamCheckinEvent.local_seq.desc())
                .limit(1)
            )
            done_already = last == events[-1].seq if events else False
        stale = lent is None or (lent.released_at is not None and not done_already)
        stale_words = _stale_words(meeting_id, lent) if stale else ""
    if stale:
        target = _export_work(local, actor, meeting_id, rows, events, export_to)
        # its work saved, the laptop lets the meeting go too, so it can be checked out again
        _mark_checked_in(local, actor, meeting_id, lent_id, kind="forced")
        raise CheckinRefused(
            f"{stale_words} Its work is saved in {target}, to be merged by hand on the team "
            "store; nothing is lost. Check the meeting out again to go on with it here.",
            exported=target,
        )
    if done_already:
        _mark_checked_in(local, actor, meeting_id, lent_id)
        return CheckinResult(meeting_id, 0, 0, 0)
    with local.read() as session:
        holding = _holding(session, meeting_id, local.label)
        assert lent is not None  # not stale: the team store holds the checkout
        _verify_segment(session, holding, lent)
    _tick(progress, 1, 4, "Sending the meeting to the team store")
    result = _apply(team, actor, meeting_id, lent_id, rows, events, laptop_store, progress, texts)
    _tick(progress, 3, 4, "Releasing the meeting")
    _mark_checked_in(local, actor, meeting_id, lent_id)
    _tick(progress, 4, 4, "Checked in")
    return result


def _apply(
    team: Store,
    actor: str,
    meeting_id: int,
    lent_id: int,
    rows: dict[str, list[row_copy.Row]],
    events: list[AuditEvent],
    laptop_store: str,
    progress: Progress | None,
    texts: dict[int, str] | None = None,
) -> CheckinResult:
    with UnitOfWork(team, actor) as uow:
        session = uow.session
        lent = session.get(TeamCheckout, lent_id, with_for_update=True)
        if lent is None or lent.released_at is not None:
            raise CheckinRefused(_stale_words(meeting_id, lent))
        conn = session.connection()
        now = utc_now()
        for row in rows["signing_identities"]:
            # the certificate, to check what was signed with it; its key stays on the laptop
            row["private_key_pem"] = b""
            row["retired_at"] = row["retired_at"] or now
        # delete what the laptop no longer has (children first), then write what it has
        deleted = _remove_missing(conn, meeting_id, rows)
        count = 0
        for name in row_copy.in_dependency_order(rows):
            row_copy.upsert(conn, name, rows[name])
            count += len(rows[name])
        _index_papers(session, rows["papers"], texts or {})
        _tick(progress, 2, 4, "Adding the laptop's audit events to the team's trail")
        became: dict[int, tuple[int, str]] = {}
        for ev in events:
            detail = json.loads(ev.detail)
            if "rows" in detail:
                detail["laptop_rows"] = detail.pop("rows")
            detail["laptop_seq"] = ev.seq
            added = audit.append_event(
                session,
                at=ev.at,
                actor=ev.actor,
                action=ev.action,
                entity=ev.entity,
                entity_id=ev.entity_id,
                detail_text=audit.canonical(detail),
            )
            session.flush()
            became[ev.seq] = (added.seq, added.hash)
            session.add(
                TeamCheckinEvent(
                    checkout_id=lent_id,
                    local_seq=ev.seq,
                    local_hash=ev.hash,
                    team_seq=added.seq,
                    team_hash=added.hash,
                )
            )
        records_digest = meeting_records_digest(conn, meeting_id)
        for cp in rows["audit_checkpoints"]:
            mapped = became.get(cp["events"])
            if mapped is None:
                raise CheckinRefused(
                    "A checkpoint signed on this laptop names audit events its trail does not "
                    "hold, so its work is not checked in. Ask whoever looks after the team store."
                )
            session.add(
                TeamCheckinCheckpoint(
                    checkpoint_id=cp["id"],
                    checkout_id=lent_id,
                    local_store_id=laptop_store,
                    team_seq=mapped[0],
                    team_records_digest=records_digest,
                )
            )
        for name in COVERED:
            for row in rows.get(name, []):
                uow.mark_changed(name, row["id"])
        for name, row_id in deleted:
            uow.mark_changed(name, row_id)
        lent.released_at = now
        lent.released_by = uow.actor
        lent.release_kind = "checkin"
        session.flush()
        uow.audit(
            "meeting.checked_in",
            "meeting",
            meeting_id,
            checkout_id=lent_id,
            rows=count,
            laptop_events=len(events),
            laptop_head=events[-1].seq if events else None,
        )
        guard = session.info.get("panelapp_checkout_guard")
        if guard is not None:
            guard.out.pop(meeting_id, None)
        panel_id = uow.get(Meeting, meeting_id, "meeting").panel_id
        relist_deferrals(uow, panel_id)
    return CheckinResult(meeting_id, count, len(events), len(rows["audit_checkpoints"]))


def _mark_checked_in(
    local: Store, actor: str, meeting_id: int, lent_id: int, *, kind: str = "checkin"
) -> None:
    """The laptop's record of the checkout closed: checked in, or (``kind`` "forced")
    released on the team store without its check-in, its work exported."""
    with UnitOfWork(local, actor) as uow:
        holding = active_checkouts(uow.session, LAPTOP).get(meeting_id)
        if holding is None:
            return
        holding.released_at = utc_now()
        holding.released_by = uow.actor
        holding.release_kind = kind
        uow.session.flush()
        action = "meeting.checked_in" if kind == "checkin" else "meeting.released"
        uow.audit(action, "meeting", meeting_id, team_checkout_id=lent_id)


# --- for the desktop window ---------------------------------------------------------------

#: the team store's URL when the window is not told another (as for the commands)
TEAM_URL_ENV = "PANELAPP_TEAM_URL"


def team_url_setting() -> str | None:
    """The team store's URL: ``PANELAPP_TEAM_URL``, else the one saved by ``panelapp team
    use``; None when neither is set."""
    import os

    from panelapp.store.paths import team_setting_path

    if os.environ.get(TEAM_URL_ENV):
        return os.environ[TEAM_URL_ENV]
    try:
        return team_setting_path().read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _open_team(team_url: str | None) -> Store:
    from panelapp.store.lifecycle import open_team_store

    url = team_url or team_url_setting()
    if not url:
        raise PanelappError(
            "No team store is set on this computer.",
            next_steps=(NextStep(Step.CONNECT_TEAM),),
        )
    return open_team_store(url)  # the password from the OS keyring, never asked for here


def _two_numbers(on_progress: Callable[[int, int], None] | None) -> Progress | None:
    if on_progress is None:
        return None
    return lambda done, total, _words: on_progress(done, total)


def team_meetings(team_url: str | None = None) -> list:
    """The team store's meetings (``meeting_view.list_meetings``' rows), to choose one to
    check out."""
    from panelapp.services.meeting_view import list_meetings

    team = _open_team(team_url)
    try:
        with team.read() as session:
            return list_meetings(session)
    finally:
        team.close()


def check_out_here(
    store: Store,
    actor: str,
    meeting_id: int,
    *,
    team_url: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> CheckoutResult:
    """``checkout`` into the open local store, from the team store set on this computer."""
    team = _open_team(team_url)
    try:
        return checkout(team, store, meeting_id, actor=actor, progress=_two_numbers(on_progress))
    finally:
        team.close()


def check_in_here(
    store: Store,
    actor: str,
    meeting_id: int,
    *,
    team_url: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    export_to: Path | None = None,
) -> CheckinResult:
    """``checkin`` from the open local store to the team store set on this computer."""
    team = _open_team(team_url)
    try:
        return checkin(
            team,
            store,
            meeting_id,
            actor=actor,
            progress=_two_numbers(on_progress),
            export_to=export_to,
        )
    finally:
        team.close()


__all__ = [
    "ID_BLOCK",
    "CheckinRefused",
    "CheckinResult",
    "CheckoutInfo",
    "CheckoutResult",
    "MeetingCheckedOut",
    "check_in_here",
    "check_out_here",
    "checkin",
    "checkout",
    "checkouts",
    "refresh",
    "release",
    "team_meetings",
    "team_url_setting",
    "waiting_papers",
]
