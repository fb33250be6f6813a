"""The audit trail: every change and export appends one event to a SHA-256 hash chain (R19).

Each event's hash covers its own fields and the previous event's hash, so editing an event
breaks its hash, inserting or deleting one breaks the chain, and the chain's head (sequence
number and hash, kept in ``store_meta`` in the same transaction) shows a deleted last event.
Events are appended inside the transaction of the change they describe: both land or neither.

The chain alone shows changes to the *events*. Two more things tie it to the records and to
the world outside the store:

* each event carries, under ``rows``, the digest of every covered record its work changed
  (``record_digests``), so ``check`` names a record whose content differs from its last
  audited state;
* signing minutes or decision records signs the chain's length and head with the signer's own
  key (a checkpoint, ``audit_checkpoints``, also carried inside the signed document), so a
  chain rewritten by someone who holds only the store key no longer matches.

``verify`` streams the events from one query, one row at a time, so a trail of any length is
checked in the memory of a few events (plus what it keeps per record and per amendment).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from panelapp.store.record_digests import baseline_detail
from panelapp.store.tables import AuditEvent, StoreMeta

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
HEAD_KEY = "audit_head"


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def canonical(value: object) -> str:
    """An event's detail as the chain stores and hashes it."""
    return _canonical(value)


def _no_nul(value: str) -> str:
    return value.replace("\x00", "\ufffd")


def event_hash(
    prev_hash: str,
    seq: int,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: str,
) -> str:
    body = _canonical([seq, at, actor, action, entity, entity_id, detail])
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def head(session: Session) -> tuple[int, str]:
    """The chain's length and the hash of its last event, as the store records them."""
    return _head(session)


def _head(session: Session) -> tuple[int, str]:
    return _parse_head(session.get(StoreMeta, HEAD_KEY))


def _parse_head(row: StoreMeta | None) -> tuple[int, str]:
    if row is None:
        return 0, GENESIS
    seq, digest = row.value.split(":", 1)
    return int(seq), digest


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an event to the chain in the session's transaction (the caller commits)."""
    session.flush()
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    return append_event(
        session,
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail_text=_canonical(detail or {}),
    )


def append_event(
    session: Session,
    *,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    detail_text: str,
) -> AuditEvent:
    """Add an event whose moment and detail are given (a laptop's event checked in to the team
    store keeps its own), hashed onto the chain's head. A NUL character (which PostgreSQL
    refuses) is replaced before hashing, so the hash covers what is stored."""
    actor, action, entity = (_no_nul(v) for v in (actor, action, entity))
    detail_text = _no_nul(detail_text)
    # The head row read once, for the new event's place and to move it on (the session holds
    # a clean row only weakly, so a second look would read it again).
    head = session.get(StoreMeta, HEAD_KEY)
    seq, prev = _parse_head(head)
    seq += 1
    digest = event_hash(prev, seq, at, actor, action, entity, entity_id, detail_text)
    event = AuditEvent(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=detail_text,
        prev_hash=prev,
        hash=digest,
    )
    session.add(event)
    if head is None:
        session.add(StoreMeta(name=HEAD_KEY, value=f"{seq}:{digest}"))
    else:
        head.value = f"{seq}:{digest}"
    return event


def append_baseline(connection: Connection) -> None:
    """Append a ``records.baseline`` event holding the digest of every covered record, when
    there are any (used once, by the migration that brought record digests in).

    ``connection`` is a SQLAlchemy Connection inside the migration's transaction.
    """
    rows = baseline_detail(connection)
    if not rows:
        return
    found = connection.execute(
        text("SELECT value FROM store_meta WHERE name = :name"), {"name": HEAD_KEY}
    ).fetchone()
    seq, prev = (0, GENESIS) if found is None else found[0].split(":", 1)
    seq = int(seq) + 1
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    detail = _canonical({"rows": rows})
    actor, action, entity = "panelapp", "records.baseline", "store"
    digest = event_hash(prev, seq, at, actor, action, entity, None, detail)
    connection.execute(
        text(
            "INSERT INTO audit_events (seq, at, actor, action, entity, entity_id, detail, "
            "prev_hash, hash) VALUES (:seq, :at, :actor, :action, :entity, :entity_id, "
            ":detail, :prev, :hash)"
        ),
        {
            "seq": seq,
            "at": at,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": None,
            "detail": detail,
            "prev": prev,
            "hash": digest,
        },
    )
    value = {"name": HEAD_KEY, "value": f"{seq}:{digest}"}
    if found is None:
        connection.execute(
            text("INSERT INTO store_meta (name, value) VALUES (:name, :value)"), value
        )
    else:
        connection.execute(text("UPDATE store_meta SET value = :value WHERE name = :name"), value)


@dataclass(frozen=True)
class ChainReport:
    events: int
    problems: tuple[str, ...]
    #: covered row key -> (digest after its last audited change, or None if deleted; event seq)
    row_states: dict[str, tuple[str | None, int]] = field(default_factory=dict)
    #: the hash of each event asked for by ``verify(..., hashes_at=...)`` that exists
    hashes_at: dict[int, str] = field(default_factory=dict)
    #: meeting id -> seqs of the events that started an amendment of its minutes
    amendments: dict[int, list[int]] = field(default_factory=dict)
    #: seq of the ``records.baseline`` event (stores made before record digests), if any
    baseline: int | None = None

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(session: Session, hashes_at: frozenset[int] = frozenset()) -> ChainReport:
    """Walk the whole chain, in batches, and say plainly where it was changed."""
    problems: list[str] = []
    expected_seq, prev = 1, GENESIS
    count = 0
    row_states: dict[str, tuple[str | None, int]] = {}
    found_hashes: dict[int, str] = {}
    amendments: dict[int, list[int]] = {}
    baseline = None
    columns = (
        AuditEvent.seq,
        AuditEvent.at,
        AuditEvent.actor,
        AuditEvent.action,
        AuditEvent.entity,
        AuditEvent.entity_id,
        AuditEvent.detail,
        AuditEvent.prev_hash,
        AuditEvent.hash,
    )
    # Core rows straight from the cursor: SQLite steps the statement as each row is asked
    # for, so no batch of events is ever held (an ORM query would fetch every row first).
    rows = session.connection().execute(select(*columns).order_by(AuditEvent.seq))
    for ev in rows:
        count += 1
        if ev.seq != expected_seq:
            problems.append(
                f"Audit event {expected_seq} is missing (the next one found is {ev.seq}): "
                "events were deleted."
            )
        if ev.prev_hash != prev:
            problems.append(
                f"Audit event {ev.seq} does not follow on from the event before it: events "
                "were inserted, deleted or reordered."
            )
        recomputed = event_hash(
            ev.prev_hash, ev.seq, ev.at, ev.actor, ev.action, ev.entity, ev.entity_id, ev.detail
        )
        if recomputed != ev.hash:
            problems.append(f"Audit event {ev.seq} ({ev.action}) was edited after it was written.")
        if ev.seq in hashes_at:
            found_hashes[ev.seq] = ev.hash
        if '"rows"' in ev.detail:
            _note_rows(ev.detail, ev.seq, row_states)
        if ev.action == "minutes.amendment_started" and ev.entity_id is not None:
            amendments.setdefault(ev.entity_id, []).append(ev.seq)
        elif ev.action == "records.baseline" and baseline is None:
            baseline = ev.seq
        expected_seq, prev = ev.seq + 1, ev.hash
        del ev
    rows.close()
    head_seq, head_hash = _head(session)
    if (head_seq, head_hash) != (expected_seq - 1, prev if count else GENESIS):
        problems.append(
            f"The audit trail should end at event {head_seq} but ends at event {expected_seq - 1}: "
            "its last events were deleted or the trail was replaced."
        )
    return ChainReport(
        events=count,
        problems=tuple(problems),
        row_states=row_states,
        hashes_at=found_hashes,
        amendments=amendments,
        baseline=baseline,
    )


def _note_rows(detail: str, seq: int, row_states: dict[str, tuple[str | None, int]]) -> None:
    try:
        rows = json.loads(detail).get("rows")
    except (ValueError, AttributeError):
        return
    if isinstance(rows, dict):
        for key, digest in rows.items():
            row_states[key] = (digest, seq)
