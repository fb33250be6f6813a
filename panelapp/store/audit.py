"""The audit trail: every change and export appends one event to a SHA-256 hash chain (R19).

Each event's hash covers its own fields and the previous event's hash, so editing an event
breaks its hash, inserting or deleting one breaks the chain, and the chain's head (sequence
number and hash, kept in ``store_meta`` in the same transaction) shows a deleted last event.
Events are appended inside the transaction of the change they describe: both land or neither.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.store.tables import AuditEvent, StoreMeta

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
HEAD_KEY = "audit_head"


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


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


def _head(session: Session) -> tuple[int, str]:
    row = session.get(StoreMeta, HEAD_KEY)
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
    detail: dict | None = None,
) -> AuditEvent:
    """Add an event to the chain in the session's transaction (the caller commits)."""
    session.flush()
    seq, prev = _head(session)
    seq += 1
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    detail_text = _canonical(detail or {})
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
    head = session.get(StoreMeta, HEAD_KEY)
    if head is None:
        session.add(StoreMeta(name=HEAD_KEY, value=f"{seq}:{digest}"))
    else:
        head.value = f"{seq}:{digest}"
    return event


@dataclass(frozen=True)
class ChainReport:
    events: int
    problems: tuple[str, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(session: Session) -> ChainReport:
    """Walk the whole chain and say plainly where it was changed."""
    problems: list[str] = []
    expected_seq, prev = 1, GENESIS
    count = 0
    for ev in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
        count += 1
        if ev.seq != expected_seq:
            problems.append(
                f"Audit event {expected_seq} is missing (the next one found is {ev.seq}): "
                "events were deleted."
            )
        if ev.prev_hash != prev:
            problems.append(
                f"Audit event {ev.seq} does not follow on from the event before it: events were "
                "inserted, deleted or reordered."
            )
        recomputed = event_hash(
            ev.prev_hash, ev.seq, ev.at, ev.actor, ev.action, ev.entity, ev.entity_id, ev.detail
        )
        if recomputed != ev.hash:
            problems.append(f"Audit event {ev.seq} ({ev.action}) was edited after it was written.")
        expected_seq, prev = ev.seq + 1, ev.hash
    head_seq, head_hash = _head(session)
    if (head_seq, head_hash) != (expected_seq - 1, prev if count else GENESIS):
        problems.append(
            f"The audit trail should end at event {head_seq} but ends at event {expected_seq - 1}: "
            "its last events were deleted or the trail was replaced."
        )
    return ChainReport(events=count, problems=tuple(problems))
