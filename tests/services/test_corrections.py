"""Correcting records: a case, a meeting's date and venue, a declaration made in error and a
paper on the wrong case can be corrected, each in the audit trail without the child's name,
and none of them once the minutes are signed (R9)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, time

import pytest
from sqlalchemy import select

from panelapp.domain.errors import PanelappError, RuleViolation
from panelapp.domain.vocabulary import NamingMode
from panelapp.services import corrections, declarations, meetings, papers
from panelapp.services.minutes import generate_minutes, sign_minutes
from panelapp.services.search import search
from panelapp.services.signing import create_signing_identity
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, AuditEvent, Case, DeclarationRow, Paper


def _case_of(store, item_id: int) -> int:
    with store.read() as session:
        return session.get(AgendaItem, item_id).case_id


def _sign(store, demo) -> None:
    chair = demo.member_ids["Helen Whitaker"]
    with UnitOfWork(store, "Test") as uow:
        create_signing_identity(uow, chair)
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    with UnitOfWork(store, "Helen Whitaker") as uow:
        sign_minutes(uow, demo.meeting_id, chair)


def _audit_text(store) -> str:
    with store.read() as session:
        return " ".join(
            f"{e.action} {json.dumps(e.detail)}" for e in session.scalars(select(AuditEvent))
        )


def test_a_case_is_corrected_and_the_trail_names_fields_not_values(store, demo):
    case_id = _case_of(store, demo.item_ids[0])
    with store.read() as session:
        before = corrections.case_details(session, case_id)
    fixed = replace(before, first_name="Olivia", date_of_birth=date(2019, 3, 15))
    with UnitOfWork(store, "Joanne Pike") as uow:
        changed = corrections.update_case(uow, case_id, fixed)
    assert changed == ["first_name", "date_of_birth"]
    with store.read() as session:
        case = session.get(Case, case_id)
        assert (case.first_name, case.date_of_birth) == ("Olivia", date(2019, 3, 15))
        assert [h.kind for h in search(session, "Olivia")] == ["case"]  # the index follows
    trail = _audit_text(store)
    assert "case.updated" in trail and "first_name" in trail
    assert "Olivia" not in trail and "2019-03-15" not in trail


def test_a_case_with_no_name_is_refused_and_left_as_it_was(store, demo):
    case_id = _case_of(store, demo.item_ids[0])
    with store.read() as session:
        before = corrections.case_details(session, case_id)
    with pytest.raises(PanelappError, match="first name"), UnitOfWork(store, "x") as uow:
        corrections.update_case(uow, case_id, replace(before, first_name="  "))
    with store.read() as session:
        assert corrections.case_details(session, case_id) == before


def test_after_signing_corrections_are_refused_until_an_amendment(store, demo):
    case_id = _case_of(store, demo.item_ids[0])
    _sign(store, demo)
    with store.read() as session:
        before = corrections.case_details(session, case_id)
    with pytest.raises(RuleViolation) as refused, UnitOfWork(store, "x") as uow:
        corrections.update_case(uow, case_id, replace(before, first_name="Olivia"))
    assert refused.value.rule == "R9" and "amendment" in str(refused.value)
    with pytest.raises(RuleViolation), UnitOfWork(store, "x") as uow:
        corrections.update_meeting(
            uow, demo.meeting_id, on=date(2026, 3, 12), start=time(10), venue="Room 4"
        )
    with store.read() as session:
        assert corrections.case_details(session, case_id) == before


def test_a_scheduled_meetings_date_and_venue_are_corrected(store, demo):
    with UnitOfWork(store, "Joanne Pike") as uow:
        corrections.update_meeting(
            uow, demo.next_meeting_id, on=date(2026, 3, 27), start=time(13, 0), venue="Room 4"
        )
    with store.read() as session:
        from panelapp.store.tables import Meeting

        m = session.get(Meeting, demo.next_meeting_id)
        assert (m.meeting_date, m.start_time, m.venue) == (date(2026, 3, 27), time(13), "Room 4")
    assert "meeting.updated" in _audit_text(store)


def test_a_declaration_made_in_error_is_withdrawn_with_its_reason(store, demo):
    next_meeting = demo.next_meeting_id
    with store.read() as session:
        item_id = session.scalars(
            select(AgendaItem.id).where(AgendaItem.meeting_id == next_meeting)
        ).first()
    with UnitOfWork(store, "Joanne Pike") as uow:
        declaration_id = declarations.declare_interest(
            uow,
            next_meeting,
            demo.member_ids["Tom Ashworth"],
            item_id=item_id,
            nature="Governor",
            before_meeting=True,
        )
    with pytest.raises(PanelappError, match="why"), UnitOfWork(store, "x") as uow:
        corrections.withdraw_declaration(uow, declaration_id, reason=" ")
    with UnitOfWork(store, "Joanne Pike") as uow:
        corrections.withdraw_declaration(uow, declaration_id, reason="Wrong member chosen")
    with store.read() as session:
        assert session.get(DeclarationRow, declaration_id) is None
    assert "declaration.withdrawn" in _audit_text(store)


def test_a_declaration_on_a_decided_item_needs_the_item_reopened_first(store, demo):
    with UnitOfWork(store, "Joanne Pike") as uow:
        meetings.reopen_meeting(uow, demo.meeting_id, reason="Correct a declaration")
    with store.read() as session:
        row = session.scalars(
            select(DeclarationRow).where(
                DeclarationRow.meeting_id == demo.meeting_id,
                DeclarationRow.agenda_item_id.is_not(None),
            )
        ).first()
    with pytest.raises(PanelappError, match="Reopen the item"), UnitOfWork(store, "x") as uow:
        corrections.withdraw_declaration(uow, row.id, reason="Recorded in error")


def test_a_paper_on_the_wrong_case_is_removed_with_its_text(store, demo):
    with store.read() as session:
        item_id = session.scalars(
            select(AgendaItem.id).where(AgendaItem.meeting_id == demo.next_meeting_id)
        ).first()
    with UnitOfWork(store, "Joanne Pike") as uow:
        outcome = papers.add_paper(
            uow, item_id, file_name="note.txt", data=b"Quillfeather assessment summary"
        )
    with store.read() as session:
        assert [h.kind for h in search(session, "Quillfeather")] == ["paper"]
    with UnitOfWork(store, "Joanne Pike") as uow:
        corrections.remove_paper(uow, outcome.paper_id, reason="Belongs to another child")
    with store.read() as session:
        assert session.get(Paper, outcome.paper_id) is None
        assert search(session, "Quillfeather") == []
    assert "paper.removed" in _audit_text(store)
