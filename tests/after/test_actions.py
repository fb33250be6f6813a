"""Actions agreed at a meeting are followed up: added after the meeting, edited until the
minutes are signed, completed with a note (kept out of the audit trail), reopened, and carried
to the panel's next meeting as matters arising, overdue ones marked."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from panelapp.cli import main
from panelapp.domain.errors import PanelappError
from panelapp.services import actions
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AuditEvent

NOTE = "Spoke to Amelia's mother; the SALT report arrives Friday"


@pytest.fixture
def run(store_path, demo, capsys):
    def run(*argv: str) -> tuple[int, str, str]:
        status = main(["--store", str(store_path), "--as", "Joanne Pike", *argv])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_add_complete_reopen_and_carry(store, demo):
    with UnitOfWork(store, "Joanne Pike") as uow:
        action_id = actions.add_action(
            uow,
            demo.meeting_id,
            description="Write to the school about the provision map",
            owner="Claire Doyle",
            due_date=date(2026, 3, 20),
        )
    with store.read() as session:
        arising = actions.matters_arising(session, demo.next_meeting_id, today=date(2026, 4, 1))
    carried = {a.id: a for a in arising}
    assert action_id in carried and carried[action_id].status == "overdue"
    with store.read() as session:
        early = actions.matters_arising(session, demo.next_meeting_id, today=date(2026, 3, 15))
    assert {a.id: a for a in early}[action_id].status == "open"

    with UnitOfWork(store, "Joanne Pike") as uow:
        actions.complete_action(uow, action_id, note=NOTE, on=date(2026, 3, 18))
    with store.read() as session:
        arising = actions.matters_arising(session, demo.next_meeting_id, today=date(2026, 4, 1))
        listed = {a.id: a for a in actions.list_actions(session, meeting_id=demo.meeting_id)}
        details = [json.dumps(e.detail) for e in session.scalars(select(AuditEvent))]
    assert action_id not in {a.id for a in arising}
    assert listed[action_id].done and listed[action_id].done_on == date(2026, 3, 18)
    assert listed[action_id].note == NOTE
    assert not any("SALT" in d or "Amelia" in d for d in details)

    with UnitOfWork(store, "Joanne Pike") as uow, pytest.raises(PanelappError, match="already"):
        actions.complete_action(uow, action_id)
    with UnitOfWork(store, "Joanne Pike") as uow:
        actions.reopen_action(uow, action_id)
    with store.read() as session:
        arising = actions.matters_arising(session, demo.next_meeting_id)
    assert action_id in {a.id for a in arising}


def test_edit_is_refused_once_the_minutes_are_signed(store, demo):
    from panelapp.domain.vocabulary import NamingMode
    from panelapp.services.minutes import generate_minutes, sign_minutes
    from panelapp.services.signing import create_signing_identity

    with UnitOfWork(store, "Joanne Pike") as uow:
        action_id = actions.add_action(
            uow, demo.meeting_id, description="Chase the EP", owner="Sam Reid"
        )
    with UnitOfWork(store, "Joanne Pike") as uow:
        actions.edit_action(uow, action_id, owner="Priya Shah", due_date=date(2026, 4, 2))
    with store.read() as session:
        row = {a.id: a for a in actions.list_actions(session)}[action_id]
    assert (row.owner, row.due_date) == ("Priya Shah", date(2026, 4, 2))

    chair = demo.member_ids["Helen Whitaker"]
    with UnitOfWork(store, "Test") as uow:
        create_signing_identity(uow, chair)
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    with UnitOfWork(store, "Helen Whitaker") as uow:
        sign_minutes(uow, demo.meeting_id, chair)
    with UnitOfWork(store, "Joanne Pike") as uow, pytest.raises(PanelappError, match="minutes"):
        actions.edit_action(uow, action_id, owner="Someone Else")
    # following up does not touch the signed record
    with UnitOfWork(store, "Joanne Pike") as uow:
        actions.complete_action(uow, action_id, note="done")
    from panelapp.store.integrity import check_store

    report = check_store(store)
    assert not getattr(report, "problems", None), report


def test_action_commands(run):
    status, out, _ = run("actions", "list", "--meeting", "1")
    assert status == 0
    status, out, err = run(
        "actions",
        "add",
        "--meeting",
        "1",
        "--item",
        "2",
        "--owner",
        "Claire Doyle",
        "--due",
        "2026-03-20",
        "Send",
        "the",
        "report",
    )
    assert status == 0, err
    new_id = int(out.split()[1].rstrip(","))
    status, out, _ = run("actions", "list", "--overdue")
    assert status == 0 and f"{new_id:>4}. [overdue] Send the report" in out
    with pytest.raises(SystemExit) as bad_date:
        run("actions", "add", "--meeting", "1", "--owner", "X", "--due", "20-3-26", "T")
    assert bad_date.value.code == 2
    status, out, err = run(
        "actions",
        "add",
        "--meeting",
        "1",
        "--item",
        "99",
        "--owner",
        "X",
        "--due",
        "2026-03-20",
        "T",
    )
    assert status != 0 and "no item 99" in err
    status, out, err = run("actions", "done", str(new_id), "--note", NOTE)
    assert status == 0, err
    status, out, _ = run("actions", "list", "--open")
    assert "Send the report" not in out
    status, out, err = run("actions", "done", str(new_id))
    assert status != 0 and "already done" in err
    status, out, err = run("actions", "reopen", str(new_id))
    assert status == 0
    status, out, err = run("actions", "edit", str(new_id), "--owner", "Sam Reid")
    assert status == 0, err
    status, out, _ = run("actions", "list", "--open")
    assert "Send the report (Sam Reid" in out


def test_a_completed_action_leaves_the_matters_arising_and_reads_done_in_the_minutes(store, demo):

    from panelapp.domain.vocabulary import AttendanceStatus, NamingMode
    from panelapp.services import meetings, previous_business
    from panelapp.services.minutes import generate_minutes, minutes_document
    from panelapp.store.tables import Meeting
    from tests.helpers.minutes_docx import docx_text

    with UnitOfWork(store, "Joanne Pike") as uow:
        done_id = actions.add_action(
            uow, demo.meeting_id, description="Book the larger room", owner="Sam Reid"
        )
    with UnitOfWork(store, "Joanne Pike") as uow:
        actions.complete_action(uow, done_id, on=date(2026, 3, 16))
    with store.read() as session:
        arising = previous_business.matters_arising(
            session, session.get(Meeting, demo.next_meeting_id), NamingMode.INITIALS
        )
    assert "Book the larger room" not in [m.description for m in arising]
    with UnitOfWork(store, "Joanne Pike") as uow:
        for member_id in demo.member_ids.values():
            meetings.record_attendance(
                uow, demo.next_meeting_id, member_id, AttendanceStatus.PRESENT
            )
        meetings.start_meeting(uow, demo.next_meeting_id)
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.next_meeting_id, NamingMode.INITIALS)
    with store.read() as session:
        _, data = minutes_document(session, demo.next_meeting_id)
    row = next(line for line in docx_text(data).splitlines() if "Book the larger room" in line)
    assert row.split(" | ")[-1] == "Done"
