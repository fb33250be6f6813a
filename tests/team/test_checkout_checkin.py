"""A meeting checked out of the team store to a laptop, run offline and checked back in; the
team store frozen meanwhile except for new papers; a second laptop refused; a check-in cut
short at any moment leaving nothing half-applied; a forced release and the stale check-in."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import event, func, select

from panelapp.cli import main
from panelapp.domain.vocabulary import AttendanceStatus
from panelapp.services import meetings, papers, team_checkout
from panelapp.services.search import search
from panelapp.services.signed_copies import check_against
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.services.verification import (
    TrustSources,
    assess_trust,
    registered_in_store,
    verify_bytes,
)
from panelapp.store import audit
from panelapp.store.checkout_guard import MeetingCheckedOut, NotOnThisLaptop
from panelapp.store.integrity import check_store
from panelapp.store.lifecycle import create_store, create_team_store
from panelapp.store.tables import (
    AuditEvent,
    DecisionRow,
    DeferralRow,
    Meeting,
    MinutesVersion,
    Panel,
    Paper,
    ReasonRow,
)
from tests.helpers import team_meeting
from tests.helpers.paper_files import pdf


@pytest.fixture
def team(team_url):
    store = create_team_store(team_url)
    yield store
    store.close()


def _decisions(store, item_ids) -> list[DecisionRow]:
    with store.read() as session:
        return list(
            session.scalars(
                select(DecisionRow)
                .where(DecisionRow.agenda_item_id.in_(item_ids))
                .order_by(DecisionRow.agenda_item_id)
            )
        )


def test_an_offline_meeting_is_checked_in_whole_and_the_team_store_checks_clean(
    team, store, tmp_path
):
    prepared = team_meeting.prepare(team)
    result = team_checkout.checkout(
        team, store, prepared.meeting_id, actor="Helen Whitaker", machine="CHAIR-LAPTOP"
    )
    assert result.papers == 3
    with team.read() as session:
        out = team_checkout.checkouts(session)
    assert out[prepared.meeting_id].to == "Helen Whitaker"
    assert out[prepared.meeting_id].machine == "CHAIR-LAPTOP"
    assert check_store(store).ok, check_store(store).problems

    # a NUL typed on the laptop (PostgreSQL refuses it in text) does not break the check-in
    with UnitOfWork(store, "Joanne Pike") as uow:
        papers.add_paper(
            uow,
            prepared.item_ids[0],
            file_name="notes.pdf",
            title="Notes\x00 from school",
            data=pdf(["Notes"]),
            received_at=datetime(2026, 3, 2, 10, 0),
        )
    team_meeting.run_offline(store, prepared)
    assert check_store(store).ok, check_store(store).problems

    done = team_checkout.checkin(team, store, prepared.meeting_id, actor="Helen Whitaker")
    assert done.checkpoints == 1
    report = check_store(team)
    assert report.ok, report.problems
    assert any(line.startswith("Checkpoints:") for line in report.passed)
    decided = _decisions(team, prepared.item_ids)
    assert [d.agenda_item_id for d in decided] == prepared.item_ids[:-1]
    with team.read() as session:
        deferral = session.scalar(
            select(DeferralRow).where(DeferralRow.agenda_item_id == prepared.item_ids[-1])
        )
        minutes = session.scalar(
            select(MinutesVersion).where(MinutesVersion.meeting_id == prepared.meeting_id)
        )
        assert deferral is not None
        assert minutes.signed_at is not None
        assert session.get(Meeting, prepared.meeting_id).status == "signed"
        assert team_checkout.checkouts(session) == {}
        assert "Notes\ufffd from school" in session.scalars(select(Paper.title)).all()
        # the minutes signed on the laptop verify, their signer registered on the team store
        signed = verify_bytes(minutes.document)
        trusted = assess_trust(
            signed, TrustSources(registered=tuple(registered_in_store(session)), consulted=("t",))
        )
    assert signed.valid and trusted is not None and trusted.trusted
    # and the team store agrees with that signed copy ('check --against')
    copy = tmp_path / "minutes.docx"
    copy.write_bytes(minutes.document)
    against = check_against(team, [copy])
    assert against.problems == [] and against.passed
    # the laptop refuses changes once the meeting is checked in
    with pytest.raises(NotOnThisLaptop), UnitOfWork(store, "Joanne Pike") as uow:
        uow.session.get(Panel, 1).name = "Renamed"


def test_the_team_store_refuses_a_change_to_the_meeting_but_takes_a_paper_for_the_laptop(
    team, store
):
    prepared = team_meeting.prepare(team, cases=2)
    team_checkout.checkout(team, store, prepared.meeting_id, actor="Helen Whitaker", machine="HW")
    with pytest.raises(MeetingCheckedOut) as refused, UnitOfWork(team, "Joanne Pike") as uow:
        meetings.record_attendance(
            uow, prepared.meeting_id, prepared.member_ids["ep"], AttendanceStatus.APOLOGIES
        )
    assert "Helen Whitaker on HW since" in str(refused.value)
    with UnitOfWork(team, "Joanne Pike") as uow:
        late = papers.add_paper(
            uow,
            prepared.item_ids[1],
            file_name="late report.pdf",
            data=pdf(["A late report"]),
            received_at=datetime(2026, 3, 11, 16, 0),
        )
    with team.read() as session:
        waiting = team_checkout.waiting_papers(session, prepared.meeting_id)
        assert team_checkout.checkouts(session)[prepared.meeting_id].waiting_papers == 1
    assert waiting == [late.paper_id]
    # the laptop refuses what check-in would not send back
    with pytest.raises(NotOnThisLaptop), UnitOfWork(store, "Helen Whitaker") as uow:
        uow.session.get(Panel, 1).minimum_members = 1
    assert team_checkout.refresh(team, store, prepared.meeting_id, actor="Helen Whitaker") == 1
    with store.read() as session:
        assert session.get(Paper, late.paper_id).file_name == "late report.pdf"
        # the copied papers' words are searched on the laptop as on the team store
        found = {(h.kind, h.ref_id) for h in search(session, "late report")}
        assert ("paper", late.paper_id) in found
        assert any(h.kind == "paper" for h in search(session, "Report 0"))
    with team.read() as session:
        assert team_checkout.waiting_papers(session, prepared.meeting_id) == []
    assert check_store(store).ok and check_store(team).ok


def test_a_second_laptop_is_refused_naming_who_has_the_meeting(
    team, team_url, store_path, tmp_path, capsys, monkeypatch
):
    prepared = team_meeting.prepare(team, cases=1)
    monkeypatch.setenv("PANELAPP_TEAM_URL", team_url)
    argv = ["team", "checkout", str(prepared.meeting_id), "--machine", "CHAIR-LAPTOP"]
    first = main(["--store", str(tmp_path / "chair.store"), "--as", "Helen Whitaker", *argv])
    assert first == 0, capsys.readouterr().err
    capsys.readouterr()
    second = main(["--store", str(tmp_path / "clerk.store"), "--as", "Joanne Pike", *argv])
    err = capsys.readouterr().err
    assert second == 2
    assert "already checked out to Helen Whitaker on CHAIR-LAPTOP" in err
    with team.read() as session:
        assert len(team_checkout.checkouts(session)) == 1


def test_a_check_in_cut_short_at_any_statement_leaves_nothing_and_the_retry_succeeds(team, store):
    prepared = team_meeting.prepare(team)
    team_checkout.checkout(team, store, prepared.meeting_id, actor="Helen Whitaker")
    team_meeting.run_offline(store, prepared)
    with team.read() as session:
        before = audit.head(session)

    class Cut(Exception):
        pass

    seen = {"n": 0}

    def count(conn, cursor, statement, parameters, context, executemany):
        seen["n"] += 1
        if seen["n"] == seen.get("cut"):
            raise Cut

    event.listen(team.engine, "before_cursor_execute", count)
    cuts = 0
    try:
        # cut at statement 1, 2, 4, 7, 11, ... until the check-in gets through whole: the
        # last attempt is the retry that succeeds
        for cut in (1 + k * (k + 1) // 2 for k in range(60)):
            seen.update(n=0, cut=cut)
            try:
                team_checkout.checkin(team, store, prepared.meeting_id, actor="Helen Whitaker")
            except Cut:
                cuts += 1
            else:
                break
            with team.read() as session:
                assert audit.head(session) == before
                assert prepared.meeting_id in team_checkout.checkouts(session)
            assert _decisions(team, prepared.item_ids) == []
    finally:
        event.remove(team.engine, "before_cursor_execute", count)
    assert cuts >= 8
    assert len(_decisions(team, prepared.item_ids)) == 2
    assert check_store(team).ok, check_store(team).problems


def test_a_laptop_that_failed_after_the_team_took_its_check_in_finishes_on_retry(
    team, store, monkeypatch
):
    prepared = team_meeting.prepare(team, cases=1)
    team_checkout.checkout(team, store, prepared.meeting_id, actor="Helen Whitaker")
    real = team_checkout._mark_checked_in

    def fails(*args, **kwargs):
        raise OSError("the laptop's disk went away")

    monkeypatch.setattr(team_checkout, "_mark_checked_in", fails)
    with pytest.raises(OSError):
        team_checkout.checkin(team, store, prepared.meeting_id, actor="Helen Whitaker")
    monkeypatch.setattr(team_checkout, "_mark_checked_in", real)
    team_checkout.checkin(team, store, prepared.meeting_id, actor="Helen Whitaker")
    with store.read() as session:
        assert team_checkout.checkouts(session) == {}
    with team.read() as session:
        checked_in = session.scalar(
            select(func.count()).where(AuditEvent.action == "meeting.checked_in")
        )
    assert checked_in == 1


def test_a_forced_release_refuses_the_stale_check_in_and_exports_its_work(team, store, tmp_path):
    prepared = team_meeting.prepare(team)
    team_checkout.checkout(team, store, prepared.meeting_id, actor="Helen Whitaker")
    team_meeting.run_offline(store, prepared)
    with pytest.raises(Exception, match="--reason"):
        team_checkout.release(team, prepared.meeting_id, actor="Joanne Pike", reason=" ")
    team_checkout.release(
        team, prepared.meeting_id, actor="Joanne Pike", reason="Laptop left on the train"
    )
    with team.read() as session:
        assert team_checkout.checkouts(session) == {}
        assert session.scalar(select(ReasonRow.text)) == "Laptop left on the train"
        assert "train" not in " ".join(session.scalars(select(AuditEvent.detail)))
    with pytest.raises(team_checkout.CheckinRefused) as refused:
        team_checkout.checkin(
            team, store, prepared.meeting_id, actor="Helen Whitaker", export_to=tmp_path
        )
    assert "released on the team store by Joanne Pike" in str(refused.value)
    exported = json.loads(refused.value.exported.read_text(encoding="utf-8"))
    assert len(exported["tables"]["decisions"]) == 2
    assert len(exported["tables"]["deferrals"]) == 1
    assert _decisions(team, prepared.item_ids) == []
    with store.read() as session:
        assert session.scalar(
            select(AuditEvent).where(AuditEvent.action == "meeting.work_exported")
        )
    # its minutes signed there, that store is not used for the meeting again; a new one is
    with pytest.raises(Exception, match="into a new store"):
        team_checkout.checkout(team, store, prepared.meeting_id, actor="Helen Whitaker")
    fresh = create_store(tmp_path / "fresh.store")
    try:
        team_checkout.checkout(team, fresh, prepared.meeting_id, actor="Helen Whitaker")
        assert _decisions(fresh, prepared.item_ids) == []
        assert check_store(fresh).ok, check_store(fresh).problems
    finally:
        fresh.close()


def test_text_with_a_nul_character_is_written_to_the_team_store(team):
    with UnitOfWork(team, "Joanne\x00 Pike") as uow:
        from panelapp.services import panels

        panel_id = panels.create_panel(uow, name="SEND\x00 Panel", panel_type="send")
    with team.read() as session:
        assert session.get(Panel, panel_id).name == "SEND\ufffd Panel"
    assert check_store(team).ok, check_store(team).problems


def test_a_store_with_records_of_its_own_is_not_checked_out_into(team, store, tmp_path):
    prepared = team_meeting.prepare(team, cases=1)
    with UnitOfWork(store, "Joanne Pike") as uow:
        from panelapp.services import panels

        panels.create_panel(uow, name="Local panel", panel_type="send")
    with pytest.raises(Exception, match="a store of its own"):
        team_checkout.checkout(team, store, prepared.meeting_id, actor="Helen Whitaker")
    second = create_store(tmp_path / "laptop.store")
    try:
        team_checkout.checkout(team, second, prepared.meeting_id, actor="Helen Whitaker")
    finally:
        second.close()


def test_a_check_out_cut_short_on_the_laptop_is_taken_up_again_by_that_laptop(
    team, store, monkeypatch, tmp_path
):
    prepared = team_meeting.prepare(team, cases=1)
    real = team_checkout._write_copy

    def fails(*args, **kwargs):
        raise OSError("the laptop's disk went away")

    monkeypatch.setattr(team_checkout, "_write_copy", fails)
    with pytest.raises(OSError):
        team_checkout.checkout(team, store, prepared.meeting_id, actor="Helen Whitaker")
    monkeypatch.setattr(team_checkout, "_write_copy", real)
    other = create_store(tmp_path / "other.store")
    try:  # out to the first laptop on the team store: another is refused
        with pytest.raises(MeetingCheckedOut):
            team_checkout.checkout(team, other, prepared.meeting_id, actor="Joanne Pike")
    finally:
        other.close()
    team_checkout.checkout(team, store, prepared.meeting_id, actor="Helen Whitaker")
    team_meeting.run_offline(store, prepared)
    team_checkout.checkin(team, store, prepared.meeting_id, actor="Helen Whitaker")
    assert check_store(team).ok, check_store(team).problems


def test_a_meeting_checked_out_again_takes_what_changed_on_the_team_store_meanwhile(team, store):
    from panelapp.domain.vocabulary import Outcome
    from panelapp.services import decisions

    prepared = team_meeting.prepare(team, cases=2)
    first = prepared.item_ids[0]
    team_checkout.checkout(team, store, prepared.meeting_id, actor="Helen Whitaker")
    with UnitOfWork(store, "Joanne Pike") as uow:
        for member in prepared.member_ids.values():
            meetings.record_attendance(uow, prepared.meeting_id, member, AttendanceStatus.PRESENT)
        meetings.start_meeting(uow, prepared.meeting_id)
        decisions.record_decision(
            uow, first, outcome=Outcome.AGREE_TO_ASSESS, rationale="Evidence of need."
        )
    team_checkout.checkin(team, store, prepared.meeting_id, actor="Helen Whitaker")
    with UnitOfWork(team, "Joanne Pike") as uow:  # reopened at the office: its decision goes
        decisions.reopen_item(uow, first, reason="Recorded against the wrong case")
    team_checkout.checkout(team, store, prepared.meeting_id, actor="Helen Whitaker")
    assert _decisions(store, [first]) == []
    assert check_store(store).ok, check_store(store).problems
    team_checkout.checkin(team, store, prepared.meeting_id, actor="Helen Whitaker")
    assert _decisions(team, [first]) == []
    assert check_store(team).ok, check_store(team).problems
