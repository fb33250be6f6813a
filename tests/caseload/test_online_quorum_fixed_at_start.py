"""A meeting keeps the online-quorum setting it started with: changing the panel's setting after
items were decided must not change who counted towards their quorum (the signed minutes and the
decisions would otherwise disagree about whether the panel was quorate)."""

from __future__ import annotations

from panelapp.domain.vocabulary import AttendanceStatus, NamingMode, Outcome
from panelapp.services import decisions, meetings, panels
from panelapp.services.attendance_modes import ONLINE, set_attendance_mode
from panelapp.services.item_detail import item_detail
from panelapp.services.roster import roster
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import Meeting
from tests.helpers.meeting_day import MEETING_DAY
from tests.helpers.window import window_meeting


def _hybrid_meeting(store) -> tuple[int, int, int]:
    """A meeting whose psychologist attends online, started while online members count."""
    meeting_id = window_meeting(store, MEETING_DAY, start=False)
    with UnitOfWork(store, "ops officer") as uow:
        meeting = uow.get(Meeting, meeting_id, "meeting")
        panel_id = meeting.panel_id
        entries = roster(uow.session, meeting_id)
        for entry in entries:
            meetings.record_attendance(uow, meeting_id, entry.member_id, AttendanceStatus.PRESENT)
        online = next(e.member_id for e in entries if "Psychologist" in e.name)
        set_attendance_mode(uow, meeting_id, online, ONLINE)
        meetings.start_meeting(uow, meeting_id)
        item_id = meeting.items[0].id
    return meeting_id, panel_id, item_id


def test_changing_the_setting_after_the_start_leaves_the_meetings_quorum_as_judged(store):
    meeting_id, panel_id, item_id = _hybrid_meeting(store)
    with UnitOfWork(store, "Jo Minutes") as uow:
        decisions.record_decision(
            uow, item_id, outcome=Outcome.AGREE_TO_ASSESS, rationale="Threshold met."
        )
    with store.read() as session:
        before = item_detail(session, item_id, NamingMode.FULL).situation
    assert before.online_counted and before.online_ids
    with UnitOfWork(store, "ops officer") as uow:
        settings = panels.panel_settings(uow.session, panel_id)
        panels.set_meeting_capacity(
            uow,
            panel_id,
            items=settings.capacity_items,
            minutes=settings.capacity_minutes,
            online_counts_for_quorum=False,
        )
    with store.read() as session:
        after = item_detail(session, item_id, NamingMode.FULL).situation
    assert after.online_counted
    assert [p.name for p in after.quorum.counted] == [p.name for p in before.quorum.counted]
    assert after.quorum.quorate == before.quorum.quorate


def test_a_meeting_not_yet_started_follows_the_panels_setting(store):
    meeting_id = window_meeting(store, MEETING_DAY, start=False)
    with UnitOfWork(store, "ops officer") as uow:
        meeting = uow.get(Meeting, meeting_id, "meeting")
        panels.set_meeting_capacity(
            uow, meeting.panel_id, items=None, minutes=None, online_counts_for_quorum=False
        )
        item_id = meeting.items[0].id
    with store.read() as session:
        assert not item_detail(session, item_id, NamingMode.FULL).situation.online_counted
