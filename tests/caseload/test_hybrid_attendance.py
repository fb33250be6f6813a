"""Hybrid meetings: how each member attended is recorded beside attendance, and the panel's
setting decides whether members attending online count for quorum."""

from __future__ import annotations

from datetime import date, time

import pytest

from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import AttendanceStatus, NamingMode, PanelType, Role
from panelapp.services.attendance_modes import ONLINE, set_attendance_mode
from panelapp.services.meeting_view import meeting_view
from panelapp.services.meetings import put_on_agenda, record_attendance, schedule_meeting
from panelapp.services.panels import add_member, create_panel
from panelapp.services.situation import item_situation
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import Panel


def test_online_members_count_for_quorum_only_when_the_panel_says_so(store, caseload):
    _, ids = caseload
    with UnitOfWork(store, "Joanne Pike") as uow:
        panel = create_panel(uow, name="Hybrid Panel", panel_type=PanelType.SEND)
        members = [
            add_member(uow, panel, name=name, roles=[role])
            for name, role in (
                ("Chair Person", Role.CHAIR),
                ("Ed Psych", Role.EDUCATIONAL_PSYCHOLOGIST),
                ("Sen Manager", Role.SEND_MANAGER),
            )
        ]
        meeting = schedule_meeting(uow, panel, on=date(2026, 3, 26), start=time(10))
        item = put_on_agenda(uow, meeting, ids["B"])
        for m in members:
            record_attendance(uow, meeting, m, AttendanceStatus.PRESENT)
        set_attendance_mode(uow, meeting, members[2], ONLINE)
    with store.read() as session:
        assert item_situation(session, item).quorum.quorate
        attendees = meeting_view(session, meeting, NamingMode.INITIALS).attendees
        assert [a.online for a in attendees] == [False, False, True]
    with UnitOfWork(store, "Joanne Pike") as uow:
        uow.session.get(Panel, panel).online_counts_for_quorum = False
    with store.read() as session:
        quorum = item_situation(session, item).quorum
    assert not quorum.quorate and quorum.counted_ids == {members[0], members[1]}
    with UnitOfWork(store, "Joanne Pike") as uow, pytest.raises(PanelappError, match="first"):
        other = add_member(uow, panel, name="Late Member", roles=[Role.HEALTH_REP])
        set_attendance_mode(uow, meeting, other, ONLINE)


def test_the_minutes_say_who_attended_online(store, caseload):

    from panelapp.services.meetings import start_meeting
    from panelapp.services.minutes import generate_minutes
    from panelapp.store.tables import MinutesVersion
    from tests.helpers.minutes_docx import docx_text

    _, ids = caseload
    with UnitOfWork(store, "Joanne Pike") as uow:
        panel = create_panel(uow, name="Hybrid Panel", panel_type=PanelType.SEND)
        chair = add_member(uow, panel, name="Chair Person", roles=[Role.CHAIR])
        ep = add_member(uow, panel, name="Olu Adeyemi", roles=[Role.EDUCATIONAL_PSYCHOLOGIST])
        meeting = schedule_meeting(uow, panel, on=date(2026, 3, 26), start=time(10))
        put_on_agenda(uow, meeting, ids["B"])
        for m in (chair, ep):
            record_attendance(uow, meeting, m, AttendanceStatus.PRESENT)
        set_attendance_mode(uow, meeting, ep, ONLINE)
        start_meeting(uow, meeting)
        info = generate_minutes(uow, meeting)
    with store.read() as session:
        text = docx_text(session.get(MinutesVersion, info.version_id).document)
    assert "Attended online: Olu Adeyemi." in text
