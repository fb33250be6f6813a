"""The audit trail against someone who holds the store key: records edited in their tables,
events deleted or forged with correct hashes, the whole chain recomputed. Each attack is made
as that person would, through a raw SQLCipher connection with the key."""

from __future__ import annotations

import json

import pytest
import sqlcipher3
from sqlalchemy import select

from panelapp.cli import main
from panelapp.documents.audit_anchor import parse_anchor, read_anchor
from panelapp.documents.package_signature import verify_docx
from panelapp.store import audit
from panelapp.store.integrity import check_store
from panelapp.store.keys import load_key
from panelapp.store.record_digests import _digest
from panelapp.store.tables import AuditCheckpoint, DecisionRow


@pytest.fixture
def raw(store_path):
    key = load_key(store_path).key
    conn = sqlcipher3.connect(str(store_path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    yield conn
    conn.close()


def _decision_id(store, demo) -> int:
    with store.read() as session:
        return session.scalar(
            select(DecisionRow.id).where(DecisionRow.agenda_item_id == demo.item_ids[0])
        )


def _row_digest(raw, table: str, row_id: int) -> str:
    cursor = raw.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
    row = cursor.fetchone()
    return _digest([c[0] for c in cursor.description], tuple(row))


def _events(raw) -> list[list]:
    return [
        list(r)
        for r in raw.execute(
            "SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash "
            "FROM audit_events ORDER BY seq"
        )
    ]


def _append_forged_event(raw, action: str, entity: str, entity_id, detail: dict) -> None:
    """An event with a correct hash, following on from the real last one, head updated."""
    seq, _, _, _, _, _, _, _, prev = _events(raw)[-1]
    seq += 1
    at = "2026-03-20T10:00:00.000000+00:00"
    text = audit._canonical(detail)
    digest = audit.event_hash(prev, seq, at, "Helen Whitaker", action, entity, entity_id, text)
    raw.execute(
        "INSERT INTO audit_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, "Helen Whitaker", action, entity, entity_id, text, prev, digest),
    )
    raw.execute("UPDATE store_meta SET value = ? WHERE name = 'audit_head'", (f"{seq}:{digest}",))


def _recompute_chain(raw, rewrite=None) -> None:
    """Rewrite every event (optionally changing some) and recompute every hash and the head:
    a chain that holds together by itself."""
    prev = audit.GENESIS
    seq = 0
    for event in _events(raw):
        if rewrite is not None:
            event = rewrite(event)
        seq, at, actor, action, entity, entity_id, detail = event[:7]
        digest = audit.event_hash(prev, seq, at, actor, action, entity, entity_id, detail)
        raw.execute(
            "UPDATE audit_events SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?",
            (detail, prev, digest, seq),
        )
        prev = digest
    raw.execute("UPDATE store_meta SET value = ? WHERE name = 'audit_head'", (f"{seq}:{prev}",))


def _restate_row(event, key: str, digest: str):
    detail = json.loads(event[6])
    if key in detail.get("rows", {}):
        detail["rows"][key] = digest
        event[6] = audit._canonical(detail)
    return event


def test_a_decisions_outcome_changed_in_its_table_is_named(store, demo, raw):
    decision = _decision_id(store, demo)
    raw.execute("UPDATE decisions SET outcome = 'refuse_to_assess' WHERE id = ?", (decision,))

    problems = check_store(store).problems

    assert problems == [
        f"The decision {decision} (table decisions) differs from its last audited state (audit "
        f"event {_last_event_for(store, f'decisions/{decision}')}): it was changed outside "
        "panelapp."
    ]


def _last_event_for(store, key: str) -> int:
    with store.read() as session:
        return audit.verify(session).row_states[key][1]


def test_a_record_added_or_deleted_in_its_table_is_named(store, demo, raw):
    raw.execute(
        "INSERT INTO actions (meeting_id, description, owner, done) VALUES (?, ?, ?, 0)",
        (demo.meeting_id, "Send the plan", "Joanne Pike"),
    )
    added = raw.execute("SELECT max(id) FROM actions").fetchone()[0]
    removed = raw.execute("SELECT min(id) FROM attendance").fetchone()[0]
    raw.execute("DELETE FROM attendance WHERE id = ?", (removed,))

    problems = check_store(store).problems

    assert any(f"action {added} (table actions) is not in the audit trail" in p for p in problems)
    assert any(
        f"attendance record {removed} (table attendance)" in p and "deleted outside" in p
        for p in problems
    ), problems


def test_a_forged_event_with_a_correct_hash_does_not_cover_a_changed_decision_after_signing(
    store, demo, signed_minutes, raw
):
    decision = _decision_id(store, demo)
    raw.execute("UPDATE decisions SET outcome = 'refuse_to_assess' WHERE id = ?", (decision,))
    _append_forged_event(
        raw,
        "decision.recorded",
        "agenda_item",
        demo.item_ids[0],
        {"rows": {f"decisions/{decision}": _row_digest(raw, "decisions", decision)}},
    )

    problems = check_store(store).problems

    assert problems == [
        f"The records of meeting {demo.meeting_id} (attendance, declarations, decisions, "
        "deferrals or actions) changed after Helen Whitaker signed its minutes on "
        f"{signed_minutes[0].signed_at:%Y-%m-%d}, without an amendment: they no longer match "
        "what was signed."
    ]


def test_the_last_events_deleted_and_the_head_moved_back_are_refused(
    store, demo, signed_minutes, raw
):
    with store.read() as session:
        checkpoint = session.scalar(select(AuditCheckpoint))
    keep = checkpoint.events - 2
    raw.execute("DELETE FROM audit_events WHERE seq > ?", (keep,))
    last_hash = raw.execute("SELECT hash FROM audit_events WHERE seq = ?", (keep,)).fetchone()[0]
    raw.execute(
        "UPDATE store_meta SET value = ? WHERE name = 'audit_head'", (f"{keep}:{last_hash}",)
    )

    problems = check_store(store).problems

    assert (
        f"The audit trail has {keep} events, fewer than the {checkpoint.events} recorded in the "
        f"checkpoint Helen Whitaker signed with the minutes on {checkpoint.signed_at[:10]}: it "
        "was cut back or replaced after that."
    ) in problems


def test_every_event_and_the_head_deleted_is_damage_not_an_intact_empty_trail(store, demo, raw):
    raw.execute("DELETE FROM audit_events")
    raw.execute("DELETE FROM store_meta WHERE name = 'audit_head'")

    report = check_store(store)

    assert not report.ok
    assert report.problems[0].startswith("The audit trail is empty, but the store holds panel")
    assert not any("chain intact" in line for line in report.passed)


def test_a_decision_rewritten_and_the_whole_chain_recomputed_is_refused(
    store, demo, signed_minutes, raw
):
    decision = _decision_id(store, demo)
    raw.execute("UPDATE decisions SET outcome = 'refuse_to_assess' WHERE id = ?", (decision,))
    forged = _row_digest(raw, "decisions", decision)
    _recompute_chain(raw, lambda e: _restate_row(e, f"decisions/{decision}", forged))
    with store.read() as session:
        assert audit.verify(session).intact  # the chain holds together by itself...
        checkpoint = session.scalar(select(AuditCheckpoint))

    problems = check_store(store).problems

    # ... but not with what the chair signed.
    assert (
        f"The audit trail differs from the checkpoint Helen Whitaker signed with the minutes on "
        f"{checkpoint.signed_at[:10]} at event {checkpoint.events}: it was rewritten after that."
    ) in problems
    assert any("changed after Helen Whitaker signed its minutes" in p for p in problems)


def test_a_checkpoint_edited_to_fit_a_rewritten_chain_is_refused(store, demo, signed_minutes, raw):
    _recompute_chain(raw, lambda e: e if e[0] != 3 else [*e[:6], '{"x":1}', *e[7:]])
    new_hash = raw.execute(
        "SELECT hash FROM audit_events WHERE seq = (SELECT events FROM audit_checkpoints)"
    ).fetchone()[0]
    raw.execute("UPDATE audit_checkpoints SET head_hash = ?", (new_hash,))

    problems = check_store(store).problems

    assert any("does not match it: the checkpoint was altered" in p for p in problems), problems


def test_minutes_marked_signed_without_the_chairs_checkpoint_are_refused(
    store, demo, identities, raw
):
    from panelapp.domain.vocabulary import NamingMode
    from panelapp.services.minutes import generate_minutes
    from panelapp.services.unit_of_work import UnitOfWork

    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    row_id = raw.execute("SELECT id FROM minutes_versions").fetchone()[0]
    raw.execute(
        "UPDATE minutes_versions SET signed_at = '2026-03-13 09:00:00.000000', "
        "signed_by_member_id = ? WHERE id = ?",
        (identities[0], row_id),
    )
    raw.execute("UPDATE meetings SET status = 'signed' WHERE id = ?", (demo.meeting_id,))
    _append_forged_event(
        raw,
        "minutes.signed",
        "meeting",
        demo.meeting_id,
        {"rows": {f"minutes_versions/{row_id}": _row_digest(raw, "minutes_versions", row_id)}},
    )

    problems = check_store(store).problems

    assert problems == [
        f"Version 1 of the minutes of meeting {demo.meeting_id} is marked signed, but no "
        "checkpoint signed by the chair's own key goes with it: the signing was not done in "
        "panelapp."
    ]


def test_the_signed_minutes_carry_the_chains_head_inside_the_signature(store, signed_minutes):
    _, data = signed_minutes
    with store.read() as session:
        checkpoint = session.scalar(select(AuditCheckpoint))
    anchor = parse_anchor(read_anchor(data))

    assert (anchor["events"], anchor["head"]) == (str(checkpoint.events), checkpoint.head_hash)
    assert anchor["document"] == "minutes" and anchor["version"] == "1"
    # The anchor is in word/settings.xml, which the signature covers.
    from test_minutes_signing import change_one_byte

    head = checkpoint.head_hash.encode()
    edited = change_one_byte(
        data, "word/settings.xml", head[:4], b"0000" if head[:4] != b"0000" else b"1111"
    )
    assert "word/settings.xml was changed after signing." in verify_docx(edited).problems


# -- check --against: signed copies held outside the store ----------------------------------


def _check(store, *files) -> tuple[int, str]:
    import io
    from contextlib import redirect_stdout

    store.close()
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["--store", str(store.path), "check", "--against", *map(str, files)])
    return code, out.getvalue()


def test_check_against_the_copy_sent_out_agrees_with_an_untouched_store(
    store, signed_minutes, tmp_path
):
    copy = tmp_path / "sent to the chief officer.docx"
    copy.write_bytes(signed_minutes[1])

    code, out = _check(store, copy)

    assert code == 0, out
    assert f"ok: {copy.name}: the store agrees with this signed copy" in out


def test_check_against_names_a_store_rewritten_after_the_copy_left(
    store, demo, signed_minutes, raw, tmp_path
):
    copy = tmp_path / "sent.docx"
    copy.write_bytes(signed_minutes[1])
    # Everything in the store rewritten consistently: the decision, its digest, the chain, and
    # the checkpoint removed (it could not be signed again without the chair's key).
    decision = _decision_id(store, demo)
    raw.execute("UPDATE decisions SET outcome = 'refuse_to_assess' WHERE id = ?", (decision,))
    forged = _row_digest(raw, "decisions", decision)
    _recompute_chain(raw, lambda e: _restate_row(e, f"decisions/{decision}", forged))
    raw.execute("DELETE FROM audit_checkpoints")
    raw.execute("UPDATE minutes_versions SET signed_at = NULL")  # hide the unanchored signing

    code, out = _check(store, copy)

    assert code == 1, out
    assert f"PROBLEM: The audit trail differs from the signed copy {copy.name} at event" in out


def test_check_against_names_stored_minutes_replaced_after_the_copy_left(
    store, demo, signed_minutes, raw, tmp_path
):
    copy = tmp_path / "sent.docx"
    copy.write_bytes(signed_minutes[1])
    replacement = signed_minutes[1].replace(b"docProps", b"docProps", 1) + b""
    # A re-made document put in place of the stored one, its digest restated, the chain redone.
    raw.execute("UPDATE minutes_versions SET document = ?", (replacement + b"\0",))
    row_id = raw.execute("SELECT id FROM minutes_versions").fetchone()[0]
    forged = _row_digest(raw, "minutes_versions", row_id)
    _recompute_chain(raw, lambda e: _restate_row(e, f"minutes_versions/{row_id}", forged))

    code, out = _check(store, copy)

    assert code == 1, out
    assert (
        f"PROBLEM: The store's version 1 of the minutes of meeting {demo.meeting_id} is not the "
        f"signed copy {copy.name}"
    ) in out
