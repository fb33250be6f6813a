"""``panelapp check``: is the store whole, unaltered and consistent?

Beyond the database's own checks: the audit chain holds together; every record the minutes
rest on is in the state its last audit event recorded; the chain is at least as long as, and
agrees with, every checkpoint a member signed with their own key; and (``--against``) it agrees
with the anchors carried by signed documents held outside the store.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from panelapp.store import audit
from panelapp.store.checkpoints import signature_holds
from panelapp.store.damage import damage_error, find_damage
from panelapp.store.engine import Store
from panelapp.store.record_digests import (
    COVERED,
    meeting_records_digest,
    row_key,
    split_key,
    table_digests,
)
from panelapp.store.tables import (
    AuditCheckpoint,
    Member,
    MinutesVersion,
    StoreMeta,
    TeamCheckinCheckpoint,
    TeamCheckinEvent,
)

#: tables whose rows mean the store holds panel business (and so an audit trail)
_BUSINESS_TABLES = ("panels", "members", "meetings", "cases", *COVERED)

logger = logging.getLogger(__name__)


@dataclass
class CheckReport:
    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_store(store: Store) -> CheckReport:
    report = CheckReport()
    if store.is_team:
        _check_server(store, report)
    elif not _check_file(store, report):
        return report
    with store.read() as session:
        checkpoints = list(session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)))
        laptop = checked_in_checkpoints(session)
        chain = audit.verify(
            session,
            frozenset(c.events for c in checkpoints) | {x.team_seq for x in laptop.values()},
        )
        meta = session.get(StoreMeta, "store_id")
        store_id = meta.value if meta is not None else ""
        names = {m.id: m.name for m in session.scalars(select(Member))}
        connection = session.connection()
        if chain.events == 0 and _has_business(connection):
            report.problems.append(
                "The audit trail is empty, but the store holds panel records: the trail was "
                "deleted. Restore the store from a backup and compare."
            )
        elif chain.intact:
            report.passed.append(f"Audit trail: {chain.events} events, chain intact.")
        report.problems.extend(chain.problems)
        record_problems, checked = _compare_records(connection, chain)
        if record_problems:
            report.problems.extend(record_problems)
        else:
            report.passed.append(
                f"Records: the {checked} records that minutes and decisions rest on are each "
                "as their last audit event recorded."
            )
        own = [c for c in checkpoints if c.id not in laptop]
        checkpoint_problems = _compare_checkpoints(own, chain, store_id, names)
        checkpoint_problems.extend(_records_since_signing(connection, own, chain, names, store_id))
        checkpoint_problems.extend(
            _compare_laptop_checkpoints(session, checkpoints, laptop, chain, names)
        )
        checkpoint_problems.extend(_signed_without_checkpoint(session, checkpoints, chain))
        if checkpoint_problems:
            report.problems.extend(checkpoint_problems)
        elif checkpoints:
            report.passed.append(
                f"Checkpoints: the trail agrees with all {len(checkpoints)} checkpoints signed "
                "by the members who signed minutes and decision records."
            )
    return report


@dataclass(frozen=True)
class LaptopCheckpoint:
    """A checkpoint signed on a laptop while its meeting was checked out, checked in since:
    it names the laptop's store and the laptop chain's head, kept beside the team event that
    head became (``team_checkin_events``)."""

    local_store_id: str
    team_seq: int
    team_records_digest: str
    local_hash: str | None
    team_hash: str | None


def checked_in_checkpoints(session: Session) -> dict[int, LaptopCheckpoint]:
    """Checkpoint id -> what was kept of it at check-in (none on a store that never lent a
    meeting out)."""
    found: dict[int, LaptopCheckpoint] = {}
    rows = session.execute(
        select(TeamCheckinCheckpoint, AuditCheckpoint.events).join(
            AuditCheckpoint, AuditCheckpoint.id == TeamCheckinCheckpoint.checkpoint_id
        )
    )
    for kept, events in rows:
        event = session.scalar(
            select(TeamCheckinEvent).where(
                TeamCheckinEvent.checkout_id == kept.checkout_id,
                TeamCheckinEvent.local_seq == events,
            )
        )
        found[kept.checkpoint_id] = LaptopCheckpoint(
            kept.local_store_id,
            kept.team_seq,
            kept.team_records_digest,
            event.local_hash if event is not None else None,
            event.team_hash if event is not None else None,
        )
    return found


def laptop_anchor(
    session: Session, laptop_store_id: str, events: int, head_hash: str
) -> tuple[int, str, str] | None:
    """For an anchor signed on a laptop and checked in here: the team event its head became,
    that event's hash, and the meeting's records digest recorded at check-in; else None."""
    row = session.execute(
        select(TeamCheckinEvent, TeamCheckinCheckpoint.team_records_digest)
        .join(
            TeamCheckinCheckpoint,
            TeamCheckinCheckpoint.checkout_id == TeamCheckinEvent.checkout_id,
        )
        .where(
            TeamCheckinCheckpoint.local_store_id == laptop_store_id,
            TeamCheckinEvent.local_seq == events,
            TeamCheckinEvent.local_hash == head_hash,
        )
        .limit(1)
    ).first()
    if row is None:
        return None
    event, records = row
    return event.team_seq, event.team_hash, records


def _compare_laptop_checkpoints(
    session: Session,
    checkpoints: list[AuditCheckpoint],
    laptop: dict[int, LaptopCheckpoint],
    chain: audit.ChainReport,
    names: dict[int, str],
) -> list[str]:
    problems: list[str] = []
    for cp in checkpoints:
        kept = laptop.get(cp.id)
        if kept is None:
            continue
        who = names.get(cp.signer_member_id, f"member {cp.signer_member_id}")
        what = f"the checkpoint {who} signed offline with the {cp.document} on {cp.signed_at[:10]}"
        if not signature_holds(cp, kept.local_store_id):
            problems.append(
                f"The signature on {what} does not match it: the checkpoint was altered."
            )
            continue
        if kept.local_hash != cp.head_hash or kept.team_hash is None:
            problems.append(
                f"The laptop audit trail kept at check-in differs from {what}: it was altered."
            )
            continue
        problems.extend(compare_with_anchor(chain, kept.team_seq, kept.team_hash, what))
        connection = session.connection()
        if cp.meeting_id is not None and changed_without_amendment(
            connection, chain, cp.meeting_id, kept.team_seq, kept.team_records_digest
        ):
            problems.append(
                f"The records of meeting {cp.meeting_id} (attendance, declarations, decisions, "
                f"deferrals or actions) changed after they were checked in with {what}, "
                "without an amendment: they no longer match what was signed."
            )
    return problems


def _check_file(store: Store, report: CheckReport) -> bool:
    """The local file's own checks; False when its pages are too damaged to go on."""
    # Pages first, each look on a connection of its own: after a failed page SQLite's own
    # checks below would end in an error instead of a report.
    damage = find_damage(store.file, store._key)
    if damage.found:
        report.problems.append(damage_error(store.file, damage).message)
        return False
    with store.engine.connect() as conn:
        rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
        if rows == ["ok"]:
            report.passed.append("SQLite integrity check: the database structure is sound.")
        else:
            report.problems.append(
                f"SQLite integrity check found {len(rows)} problem(s) in the database structure. "
                "Restore the store from its most recent backup."
            )
        cipher = conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
        if not cipher:
            report.passed.append("SQLCipher page check: every encrypted page is authentic.")
        else:
            report.problems.append(
                f"SQLCipher page check found {len(cipher)} page(s) that were altered or damaged on "
                "disk. Restore the store from its most recent backup."
            )
        fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if fk:
            report.problems.append(f"{len(fk)} record(s) point at records that no longer exist.")
    return True


def _check_server(store: Store, report: CheckReport) -> None:
    """The team store's server keeps its own pages; what is asked of it is that the schema
    is panelapp's and the connection is verified TLS."""
    from panelapp.store.team import server_facts

    facts = server_facts(store)
    if facts.tls:
        report.passed.append(
            f"Team store: connected to PostgreSQL {facts.version} over TLS, the server's "
            "certificate verified."
        )
    else:
        report.problems.append(
            "The connection to the team store is not encrypted. Ask whoever runs the server "
            "to turn TLS on; do not use it until then."
        )


def _has_business(connection: Connection) -> bool:
    for table in _BUSINESS_TABLES:
        if connection.exec_driver_sql(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
            return True
    return False


def describe_row(key: str) -> str:
    table, row_id = split_key(key)
    return f"{COVERED.get(table, table)} {row_id} (table {table})"


def _compare_records(connection: Connection, chain: audit.ChainReport) -> tuple[list[str], int]:
    problems: list[str] = []
    seen: set[str] = set()
    checked = 0
    for table in COVERED:
        for row_id, digest in table_digests(connection, table):
            checked += 1
            key = row_key(table, row_id)
            seen.add(key)
            state = chain.row_states.get(key)
            if state is None or state[0] is None:
                problems.append(
                    f"The {describe_row(key)} is not in the audit trail: it was added outside "
                    "panelapp."
                )
            elif state[0] != digest:
                problems.append(
                    f"The {describe_row(key)} differs from its last audited state (audit event "
                    f"{state[1]}): it was changed outside panelapp."
                )
    for key, (recorded, seq) in chain.row_states.items():
        if recorded is not None and key not in seen:
            problems.append(
                f"The {describe_row(key)} recorded at audit event {seq} is missing: it was "
                "deleted outside panelapp."
            )
    return problems, checked


def _compare_checkpoints(
    checkpoints: list[AuditCheckpoint],
    chain: audit.ChainReport,
    store_id: str,
    names: dict[int, str],
) -> list[str]:
    problems: list[str] = []
    for cp in checkpoints:
        who = names.get(cp.signer_member_id, f"member {cp.signer_member_id}")
        what = f"the checkpoint {who} signed with the {cp.document} on {cp.signed_at[:10]}"
        if not signature_holds(cp, store_id):
            problems.append(
                f"The signature on {what} does not match it: the checkpoint was altered."
            )
            continue
        problems.extend(compare_with_anchor(chain, cp.events, cp.head_hash, what))
    return problems


def changed_without_amendment(
    connection: Connection,
    chain: audit.ChainReport,
    meeting_id: int,
    events: int,
    records_digest: str,
) -> bool:
    """Whether a meeting's records differ from what was signed at ``events``, with no
    amendment of its minutes started since (the only way signed records may change)."""
    if meeting_records_digest(connection, meeting_id) == records_digest:
        return False
    return not any(seq > events for seq in chain.amendments.get(meeting_id, []))


def _records_since_signing(
    connection: Connection,
    checkpoints: list[AuditCheckpoint],
    chain: audit.ChainReport,
    names: dict[int, str],
    store_id: str,
) -> list[str]:
    problems: list[str] = []
    for cp in checkpoints:
        if cp.meeting_id is None or not signature_holds(cp, store_id):
            continue
        if changed_without_amendment(
            connection, chain, cp.meeting_id, cp.events, cp.records_digest
        ):
            who = names.get(cp.signer_member_id, f"member {cp.signer_member_id}")
            problems.append(
                f"The records of meeting {cp.meeting_id} (attendance, declarations, decisions, "
                f"deferrals or actions) changed after {who} signed its {cp.document} on "
                f"{cp.signed_at[:10]}, without an amendment: they no longer match what was signed."
            )
    return problems


def _signed_without_checkpoint(
    session: Session, checkpoints: list[AuditCheckpoint], chain: audit.ChainReport
) -> list[str]:
    """Minutes marked signed since record digests came in must have the signer's checkpoint:
    without the signer's own key, nobody can mark minutes signed."""
    signed = {(c.meeting_id, c.version) for c in checkpoints if c.document == "minutes"}
    problems: list[str] = []
    for row in session.scalars(select(MinutesVersion).where(MinutesVersion.signed_at.is_not(None))):
        state = chain.row_states.get(row_key("minutes_versions", row.id))
        legacy = state is not None and chain.baseline is not None and state[1] == chain.baseline
        if not legacy and (row.meeting_id, row.version) not in signed:
            problems.append(
                f"Version {row.version} of the minutes of meeting {row.meeting_id} is marked "
                "signed, but no checkpoint signed by the chair's own key goes with it: the "
                "signing was not done in panelapp."
            )
    return problems


def compare_with_anchor(
    chain: audit.ChainReport, events: int, head_hash: str, what: str
) -> list[str]:
    """Problems when the chain is shorter than, or differs from, what ``what`` recorded."""
    if events == 0:
        return []
    if chain.events < events:
        return [
            f"The audit trail has {chain.events} events, fewer than the {events} recorded in "
            f"{what}: it was cut back or replaced after that."
        ]
    if chain.hashes_at.get(events) != head_hash:
        return [
            f"The audit trail differs from {what} at event {events}: it was rewritten after that."
        ]
    return []
