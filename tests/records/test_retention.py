"""Retention (R20): a child's records, once past the council's retention period, are deleted
from the store file itself; the statistics keep counts; the audit trail says what and why
without the child; everything else, another child's records included, is untouched."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from panelapp.cli import main
from panelapp.domain.errors import PanelappError
from panelapp.domain.retention import MinutesRetention, RetentionPolicy
from panelapp.services import retention
from panelapp.services.search import search
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.integrity import check_store
from panelapp.store.tables import (
    AgendaItem,
    AuditEvent,
    Case,
    DecisionRow,
    DeletedCaseCount,
    MinutesVersion,
    Paper,
)
from tests.helpers.store_pages import file_holds
from tests.records.conftest import (
    DISCUSSION_WORD,
    OLD,
    PAPER_WORD,
    RATIONALE_WORD,
    SURNAME,
    TODAY,
    YOUNG,
)

WORDS = (SURNAME, PAPER_WORD, DISCUSSION_WORD, RATIONALE_WORD)


def test_the_default_keeps_records_until_the_31st_birthday():
    policy = RetentionPolicy()
    assert policy.years == 31 and policy.minutes is MinutesRetention.KEEP
    assert policy.delete_on(date(2000, 2, 29)) == date(2031, 2, 28)
    with pytest.raises(PanelappError, match="25 to 100 years"):
        RetentionPolicy(years=3)


def test_only_the_child_past_retention_is_due(store, two_children):
    with store.read() as session:
        due = retention.due_for_deletion(session, TODAY)
    assert [c.reference for c in due] == [OLD]
    assert (due[0].cases, due[0].hearings, due[0].papers) == (2, 2, 1)


def test_a_child_not_yet_due_is_refused_and_nothing_changes(store, store_path, two_children):
    size = store_path.stat().st_size
    with pytest.raises(PanelappError, match="kept until 1 April 2047"):
        retention.delete_child_records(store, "Jo", YOUNG, today=TODAY)
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 3
    assert store_path.stat().st_size == size


def test_deleting_removes_the_child_from_the_store_file_and_keeps_counts(
    store, store_path, two_children
):
    key = store._key
    for word in WORDS:
        assert file_holds(store_path, key, word), word  # the scan can see them before
    report = retention.delete_child_records(store, "Jo", OLD, today=TODAY)
    assert report.deleted["cases"] == 2 and report.deleted["agenda_items"] == 2
    assert report.deleted["papers"] == 1 and report.deleted["decisions"] == 2
    assert report.file_rebuilt
    with store.read() as session:
        assert not session.scalars(select(Case).where(Case.reference == OLD)).all()
        assert not session.scalars(select(Paper)).all()
        young = session.scalar(select(Case).where(Case.reference == YOUNG))
        young_item = session.scalar(select(AgendaItem).where(AgendaItem.case_id == young.id))
        assert session.scalar(
            select(DecisionRow.rationale).where(DecisionRow.agenda_item_id == young_item.id)
        ) == ("Threshold met.")
        counts = {
            (c.request_type, c.outcome): c.cases for c in session.scalars(select(DeletedCaseCount))
        }
        assert counts == {
            ("assessment_request", "decline_to_assess"): 1,
            ("assessment_request", "agree_to_assess"): 1,
        }
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "records.deleted")
        ).one()
        assert SURNAME not in event.detail and OLD not in event.detail and "Ada" not in event.detail
        assert json.loads(event.detail)["why"] == "retention period ended"
        # the signed-record minutes of the meeting the other child shares are kept (default)
        assert session.scalars(
            select(MinutesVersion).where(MinutesVersion.meeting_id == two_children.shared_meeting)
        ).all()
        assert not search(session, SURNAME) and not search(session, PAPER_WORD)
        assert search(session, "Young")
    for word in WORDS:
        assert not file_holds(store_path, key, word), word
    assert check_store(store).ok


def test_minutes_are_deleted_only_when_the_setting_says_and_no_child_remains(store, two_children):
    with UnitOfWork(store, "Jo") as uow:
        retention.set_retention_policy(uow, minutes=MinutesRetention.DELETE_WHEN_NO_CHILD_REMAINS)
    report = retention.delete_child_records(store, "Jo", OLD, today=TODAY)
    assert report.minutes_deleted == [two_children.old_only_meeting]
    assert report.minutes_kept == [two_children.shared_meeting]
    with store.read() as session:
        kept = session.scalars(select(MinutesVersion.meeting_id)).all()
    assert set(kept) == {two_children.shared_meeting}
    assert check_store(store).ok


def test_the_commands_list_refuse_and_delete(store, store_path, two_children, capsys, monkeypatch):
    base = ["--store", str(store_path), "--as", "Jo"]
    store.close()
    monkeypatch.setattr("panelapp.commands.records._today", lambda: TODAY)
    if True:
        assert main([*base, "records", "due-for-deletion"]) == 0
        out = capsys.readouterr().out
        assert OLD in out and YOUNG not in out
        assert main([*base, "records", "delete", "--case", YOUNG, "--yes"]) == 2
        assert "kept until" in capsys.readouterr().err
        assert main([*base, "records", "delete", "--case", OLD]) == 2  # not confirmed
        assert main([*base, "records", "delete", "--case", OLD, "--yes"]) == 0
        out = capsys.readouterr().out
        assert "Deleted the records of" in out and "still name this child" in out
        assert main([*base, "records", "retention", "--years", "35"]) == 0
        assert "35 years" in capsys.readouterr().out


def test_every_kind_of_typed_reason_about_a_child_is_deleted_with_the_child():
    """Each entity the services record typed reasons for is either the child's (and deleted
    with the child's records) or the meeting's or the store's: a new kind cannot be forgotten."""
    import re
    from pathlib import Path

    import panelapp.services as services
    from panelapp.services.retention import _REASON_ENTITIES

    used = set()
    for path in Path(services.__file__).parent.glob("*.py"):
        used |= set(re.findall(r'entity="([a-z_]+)"', path.read_text(encoding="utf-8")))
    assert "approval" in used
    # a forced release of a checked-out meeting gives its reason about the meeting
    assert used - set(_REASON_ENTITIES) <= {"meeting", "store", "team_checkout"}
