"""The audit trail shows any change made to it outside panelapp, and every change made through
panelapp leaves exactly its own events, or none when it is refused."""

from __future__ import annotations

from datetime import time

import pytest
import sqlcipher3
from sqlalchemy import func, select

from panelapp.cli import main
from panelapp.domain.errors import PanelappError, RuleViolation
from panelapp.domain.vocabulary import AttendanceStatus, ItemStatus, MeetingStatus, Outcome
from panelapp.services import decisions, meetings
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store import audit
from panelapp.store.integrity import check_store
from panelapp.store.keys import load_key
from panelapp.store.tables import (
    AgendaItem,
    Attendance,
    AuditEvent,
    DecisionRow,
    Meeting,
    StoreMeta,
)


@pytest.fixture
def raw(store_path):
    """A keyed connection to the store outside panelapp: what someone who had the key and
    edited the file with another SQLite tool would do."""
    key = load_key(store_path).key
    conn = sqlcipher3.connect(str(store_path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    yield conn
    conn.close()


def _events(store) -> list[AuditEvent]:
    with store.read() as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def _middle_event(store) -> AuditEvent:
    events = _events(store)
    return events[len(events) // 2]


def test_the_demo_leaves_a_whole_audit_trail(store, demo):
    report = check_store(store)

    assert report.ok, report.problems
    assert any("chain intact" in line for line in report.passed)
    assert len(_events(store)) > 50


@pytest.mark.parametrize("column", ["detail", "actor"])
def test_editing_an_event_is_reported_naming_that_event(store, demo, raw, column):
    target = _middle_event(store)
    raw.execute(f"UPDATE audit_events SET {column} = ? WHERE seq = ?", ("Someone Else", target.seq))

    problems = check_store(store).problems

    # (Replacing an event's detail also loses the record digests it carried: those records
    # are then named as well.)
    assert problems[0] == (
        f"Audit event {target.seq} ({target.action}) was edited after it was written."
    )
    assert not any("Audit event" in p for p in problems[1:]), problems


def test_deleting_an_event_from_the_middle_is_reported(store, demo, raw):
    target = _middle_event(store)
    raw.execute("DELETE FROM audit_events WHERE seq = ?", (target.seq,))

    problems = check_store(store).problems

    assert any(f"Audit event {target.seq} is missing" in p for p in problems), problems
    assert any(f"Audit event {target.seq + 1} does not follow on" in p for p in problems), problems


def test_deleting_the_last_event_is_reported(store, demo, raw):
    last = _events(store)[-1]
    raw.execute("DELETE FROM audit_events WHERE seq = ?", (last.seq,))

    problems = check_store(store).problems

    assert problems == [
        f"The audit trail should end at event {last.seq} but ends at event {last.seq - 1}: "
        "its last events were deleted or the trail was replaced."
    ]


def test_a_forged_event_added_with_a_correct_hash_is_reported(store, demo, raw):
    last = _events(store)[-1]
    seq, at = last.seq + 1, "2026-03-12T12:00:00.000000+00:00"
    detail = '{"outcome":"agree"}'
    digest = audit.event_hash(
        last.hash, seq, at, "Helen Whitaker", "decision.recorded", "agenda_item", 1, detail
    )
    raw.execute(
        "INSERT INTO audit_events (seq, at, actor, action, entity, entity_id, detail, prev_hash,"
        " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            seq,
            at,
            "Helen Whitaker",
            "decision.recorded",
            "agenda_item",
            1,
            detail,
            last.hash,
            digest,
        ),
    )

    problems = check_store(store).problems

    assert len(problems) == 1
    assert f"should end at event {last.seq} but ends at event {seq}" in problems[0]


def test_a_forged_event_swapped_in_for_a_real_one_is_reported(store, demo, raw):
    target = _middle_event(store)
    forged = audit.event_hash(
        target.prev_hash, target.seq, target.at, target.actor, "panel.deleted", target.entity,
        target.entity_id, target.detail,
    )  # fmt: skip
    raw.execute(
        "UPDATE audit_events SET action = 'panel.deleted', hash = ? WHERE seq = ?",
        (forged, target.seq),
    )

    problems = check_store(store).problems

    assert any(f"Audit event {target.seq + 1} does not follow on" in p for p in problems), problems


def test_check_command_exits_1_and_prints_the_problem_when_the_trail_was_edited(
    store, demo, raw, capsys, restore_logging
):
    target = _middle_event(store)
    raw.execute("UPDATE audit_events SET detail = '{}' WHERE seq = ?", (target.seq,))
    store.close()

    code = main(["--store", str(store.path), "check"])

    out = capsys.readouterr().out
    assert code == 1
    problem_lines = [line for line in out.splitlines() if line.startswith("PROBLEM: ")]
    assert problem_lines[0] == (
        f"PROBLEM: Audit event {target.seq} ({target.action}) was edited after it was written."
    )
    assert "The store is intact." not in out


def test_check_command_exits_0_on_the_untouched_demo(store, demo, capsys, restore_logging):
    store.close()

    code = main(["--store", str(store.path), "check"])

    out = capsys.readouterr().out
    assert code == 0
    assert "PROBLEM" not in out
    assert "The store is intact." in out


# --- every change through panelapp is in the trail; a refused change leaves nothing ---------


def _start_next_meeting(store, demo, present: list[str]) -> int:
    """Open the demo's next meeting (it holds the case deferred at the first one)."""
    with UnitOfWork(store, "Joanne Pike") as uow:
        for name, member_id in demo.member_ids.items():
            status = AttendanceStatus.PRESENT if name in present else AttendanceStatus.APOLOGIES
            arrived = time(9, 25) if name in present else None
            meetings.record_attendance(
                uow, demo.next_meeting_id, member_id, status, arrived_at=arrived
            )
        meetings.start_meeting(uow, demo.next_meeting_id)
    with store.read() as session:
        return session.scalar(
            select(AgendaItem.id).where(AgendaItem.meeting_id == demo.next_meeting_id)
        )


def _state(store):
    with store.read() as session:
        return (
            session.scalar(select(func.count()).select_from(AuditEvent)),
            session.get(StoreMeta, audit.HEAD_KEY).value,
            session.scalar(select(func.count()).select_from(DecisionRow)),
        )


def test_a_decision_adds_exactly_one_audit_event_describing_it(store, demo):
    item_id = _start_next_meeting(store, demo, present=list(demo.member_ids))
    events_before, _, _ = _state(store)

    with UnitOfWork(store, "Helen Whitaker") as uow:
        decision_id = decisions.record_decision(
            uow,
            item_id,
            outcome=Outcome.AGREE_TO_ASSESS,
            rationale="The provision map and SALT report show needs beyond SEN support.",
        )

    events = _events(store)
    assert len(events) == events_before + 1
    newest = events[-1]
    assert (newest.action, newest.entity, newest.entity_id, newest.actor) == (
        "decision.recorded",
        "agenda_item",
        item_id,
        "Helen Whitaker",
    )
    assert f'"decision_id":{decision_id}' in newest.detail
    assert check_store(store).ok


def test_every_service_change_in_a_meeting_appends_events(store, demo):
    before, _, _ = _state(store)

    _start_next_meeting(store, demo, present=list(demo.member_ids))

    after, _, _ = _state(store)
    # one attendance event per member, then the meeting's start
    assert after - before == len(demo.member_ids) + 1
    assert _events(store)[-1].action == "meeting.started"


def test_a_refused_decision_changes_nothing_and_adds_no_event(store, demo):
    # Only the chair and one officer came: the chair can take the item but it is not quorate.
    item_id = _start_next_meeting(store, demo, present=["Helen Whitaker", "Claire Doyle"])
    before = _state(store)

    with pytest.raises(RuleViolation) as refused:
        with UnitOfWork(store, "Helen Whitaker") as uow:
            decisions.record_decision(
                uow, item_id, outcome=Outcome.AGREE_TO_ASSESS, rationale="Agreed."
            )

    assert refused.value.rule == "R5"
    assert _state(store) == before
    with store.read() as session:
        item = session.get(AgendaItem, item_id)
        # the chair was set on the item before the quorum check refused it: rolled back too
        assert (item.status, item.chair_member_id) == (ItemStatus.TO_DO.value, None)
    assert check_store(store).ok


def test_work_abandoned_part_way_keeps_none_of_its_changes_or_events(store, demo):
    before = _state(store)

    with pytest.raises(PanelappError):
        with UnitOfWork(store, "Joanne Pike") as uow:
            meetings.record_attendance(
                uow,
                demo.next_meeting_id,
                demo.member_ids["Helen Whitaker"],
                AttendanceStatus.PRESENT,
            )
            meetings.start_meeting(uow, demo.next_meeting_id)
            meetings.close_meeting(uow, demo.next_meeting_id)  # its item is undecided: refused

    assert _state(store) == before
    with store.read() as session:
        meeting = session.get(Meeting, demo.next_meeting_id)
        assert (meeting.status, meeting.started_at) == (MeetingStatus.SCHEDULED.value, None)
        assert (
            session.scalars(
                select(Attendance).where(Attendance.meeting_id == demo.next_meeting_id)
            ).all()
            == []
        )
