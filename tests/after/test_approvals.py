"""Chief officers' approval: refused before the minutes are signed, then recorded once per
decision with its comment kept out of the audit trail; a returned decision's case goes back on
the panel's next agenda (or waits for the next meeting to be scheduled), with the comment, and
the status shows in 'panelapp show', the Run page's item detail and the case history."""

from __future__ import annotations

import json
from datetime import date, time

import pytest
from docx import Document
from sqlalchemy import select

from panelapp.cli import main
from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import NamingMode
from panelapp.services import approvals
from panelapp.services.agenda_export import export_agenda
from panelapp.services.case_history import history_for
from panelapp.services.item_detail import item_detail
from panelapp.services.meetings import schedule_meeting
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, AuditEvent, Case, Meeting

COMMENT = "Reconsider the band for {first}: the costs are not in the papers"
RETURNED_ON = date(2026, 3, 13)


def _first_decided(session, meeting_id):
    listed = approvals.list_approvals(session, meeting_id=meeting_id)
    first = listed[0]
    item = session.scalar(
        select(AgendaItem).where(
            AgendaItem.meeting_id == meeting_id, AgendaItem.position == first.item_position
        )
    )
    return first, item, session.get(Case, item.case_id)


def _return(store, demo, position, first_name, *, on=RETURNED_ON):
    with UnitOfWork(store, "Joanne Pike") as uow:
        return approvals.record_approval(
            uow,
            demo.meeting_id,
            item=position,
            officer="Dana Fox",
            role="Director of Children's Services",
            approved=False,
            comment=COMMENT.format(first=first_name),
            on=on,
        )


def test_refused_before_signing(store, demo):
    with UnitOfWork(store, "J") as uow, pytest.raises(PanelappError, match="sign the minutes"):
        approvals.record_approval(
            uow, demo.meeting_id, item=1, officer="A Director", role="Director", approved=True
        )
    with store.read() as session:
        assert approvals.list_approvals(session, pending_only=True) == []


def test_every_signed_decision_awaits_then_one_record_each(store, demo, signed_minutes):
    with store.read() as session:
        before = approvals.list_approvals(session, pending_only=True)
        first, item, case = _first_decided(session, demo.meeting_id)
    assert before and all(a.status == approvals.AWAITING for a in before)
    with UnitOfWork(store, "J") as uow:
        approvals.record_approval(
            uow, demo.meeting_id, item=first.item_position, officer="Dana Fox", approved=True,
            on=RETURNED_ON,
        )  # fmt: skip
    with store.read() as session:
        pending = approvals.list_approvals(session, pending_only=True)
        state = approvals.approval_for_item(session, item.id)
    assert first.decision_id not in {a.decision_id for a in pending}
    assert len(pending) == len(before) - 1
    assert state.words == "Approved by Dana Fox (Chief officer) on 13 March 2026"
    with UnitOfWork(store, "J") as uow, pytest.raises(PanelappError, match="already approved"):
        approvals.record_approval(
            uow, demo.meeting_id, item=first.item_position, officer="X", approved=False
        )


def test_returned_decision_goes_on_the_next_agenda_with_the_comment(
    store, demo, signed_minutes, tmp_path
):
    with store.read() as session:
        first, item, case = _first_decided(session, demo.meeting_id)
        next_meeting = session.get(Meeting, demo.next_meeting_id)
        assert next_meeting.meeting_date >= RETURNED_ON
        before = [i.case_id for i in next_meeting.items]
    _return(store, demo, first.item_position, case.first_name)
    with store.read() as session:
        details = [json.dumps(e.detail) for e in session.scalars(select(AuditEvent))]
        next_meeting = session.get(Meeting, demo.next_meeting_id)
        back = [i for i in next_meeting.items if i.carried_from_item_id == item.id]
        assert len(back) == 1 and [i.case_id for i in next_meeting.items] == [*before, case.id]
        detail = item_detail(session, back[0].id, NamingMode.FULL)
        history = history_for(session, back[0].id)
    assert not any(case.first_name in d for d in details)
    assert any("returned the decision of" in line and case.first_name in line
               for line in detail.followup)  # fmt: skip
    earlier = [h for h in history if h.item_id == item.id]
    assert any(line.startswith("Chief officer's approval: Returned by Dana Fox")
               for line in earlier[0].followup)  # fmt: skip

    exported = export_agenda(store, "J", demo.next_meeting_id, tmp_path, naming=NamingMode.INITIALS)
    doc = Document(str(exported.path))
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "Returned by the chief officer" in text
    assert "the costs are not in the papers" in text
    assert case.first_name not in text  # the comment is masked like all typed text (R18)


def test_a_return_waits_for_the_next_meeting_to_be_scheduled(store, demo, signed_minutes):
    with store.read() as session:
        first, item, case = _first_decided(session, demo.meeting_id)
        later = session.get(Meeting, demo.next_meeting_id).meeting_date
    on = date(later.year, later.month, later.day + 1)
    _return(store, demo, first.item_position, case.first_name, on=on)
    with store.read() as session:
        state = approvals.approval_for_item(session, item.id)
        assert state.relisted_to is None
        assert "Waiting for the panel's next meeting" in state.words
    with UnitOfWork(store, "J") as uow:
        new_id = schedule_meeting(uow, demo.panel_id, on=date(2026, 4, 30), start=time(9, 30))
    with store.read() as session:
        meeting = session.get(Meeting, new_id)
        assert [i.carried_from_item_id for i in meeting.items] == [item.id]
        assert approvals.approval_for_item(session, item.id).relisted_to == date(2026, 4, 30)


def test_commands(store_path, demo, signed_minutes, store, capsys):
    with store.read() as session:
        first, item, case = _first_decided(session, demo.meeting_id)
    store.close()

    def run(*argv):
        status = main(["--store", str(store_path), "--as", "Joanne Pike", *argv])
        return status, capsys.readouterr().out

    status, out = run("approvals", "list", "--pending")
    assert status == 0 and "awaiting approval" in out.lower()
    pending = out.count("item ")
    status, out = run(
        "approvals", "record", str(demo.meeting_id), "--item", str(first.item_position),
        "--by", "Dana Fox", "--returned", "--comment", "Check the costs", "--date", "2026-03-13",
    )  # fmt: skip
    assert status == 0 and "Returned by Dana Fox (Chief officer) on 13 March 2026" in out
    status, out = run("approvals", "list", "--pending")
    assert out.count("item ") == pending - 1
    status, out = run("show", str(demo.meeting_id))
    assert "Returned by Dana Fox" in out and "Check the costs" in out
    assert run(
        "approvals", "record", str(demo.next_meeting_id), "--item", "1", "--by", "X", "--approved"
    )[0] == 2  # fmt: skip


def test_the_list_names_children_in_comments_as_the_panel_says(
    store_path, demo, signed_minutes, store, capsys
):
    with store.read() as session:
        first, item, case = _first_decided(session, demo.meeting_id)
    _return(store, demo, first.item_position, case.first_name)
    store.close()
    status = main(["--store", str(store_path), "--as", "Jo", "approvals", "list"])
    out = capsys.readouterr().out
    assert status == 0 and "the costs are not in the papers" in out
    assert case.first_name not in out


def test_a_subject_access_export_says_what_the_chief_officer_decided(
    store, demo, signed_minutes, tmp_path
):
    from panelapp.services.subject_access import export_subject_access

    with store.read() as session:
        first, item, case = _first_decided(session, demo.meeting_id)
    _return(store, demo, first.item_position, case.first_name)
    result = export_subject_access(store, "Joanne Pike", case.reference, tmp_path)
    summary = (result.folder / "summary.txt").read_text(encoding="utf-8")
    assert "Chief officer's approval: Returned by Dana Fox" in summary
    assert COMMENT.format(first=case.first_name) in summary  # the family's own record
