"""``panelapp check`` reads the audit trail as a stream: its memory is that of a few events,
however long the trail (years of meetings leave tens of thousands of events)."""

from __future__ import annotations

import tracemalloc

from panelapp.cli import main
from panelapp.store import audit
from panelapp.store.integrity import check_store

EVENTS = 1_500
#: Each event's detail, about 16 KB (what a large export or correction event holds).
DETAIL_BYTES = 16_000


def _long_trail(store, events: int, detail_bytes: int) -> None:
    """Append ``events`` valid events straight to the chain (the services would take minutes)."""
    with store.write() as session:
        seq, prev = audit.head(session)
        rows = []
        for n in range(events):
            seq += 1
            at = f"2026-01-05T10:{n // 60 % 60:02d}:{n % 60:02d}.000000+00:00"
            detail = f'{{"export":"{n:08d}","files":3,"pad":"{"x" * detail_bytes}"}}'
            digest = audit.event_hash(prev, seq, at, "Officer", "export.done", "meeting", 1, detail)
            rows.append((seq, at, "Officer", "export.done", "meeting", 1, detail, prev, digest))
            prev = digest
        connection = session.connection()
        connection.exec_driver_sql(
            "INSERT INTO audit_events (seq, at, actor, action, entity, entity_id, detail, "
            "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        connection.exec_driver_sql(
            "UPDATE store_meta SET value = ? WHERE name = ?", (f"{seq}:{prev}", audit.HEAD_KEY)
        )
        session.commit()


def test_check_holds_a_few_events_in_memory_not_the_whole_trail(store):
    _long_trail(store, EVENTS, DETAIL_BYTES)
    tracemalloc.start()
    try:
        report = check_store(store)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.ok, report.problems
    assert f"Audit trail: {EVENTS + 1} events, chain intact." in report.passed
    # The whole trail is 24 MB of details; a batch of a thousand events would be 16 MB.
    assert peak < 40 * DETAIL_BYTES, f"peak {peak / 1e6:.1f} MB for {EVENTS} events"


def test_a_long_trail_with_one_edited_event_is_still_named(store, store_path, capsys):
    _long_trail(store, 300, 2_000)
    with store.write() as session:
        session.connection().exec_driver_sql(
            "UPDATE audit_events SET detail = replace(detail, 'files\":3', 'files\":4') "
            "WHERE seq = 200"
        )
        session.commit()
    store.close()
    assert main(["--store", str(store_path), "check"]) == 1
    out = capsys.readouterr().out
    assert "Audit event 200 (export.done) was edited after it was written." in out
