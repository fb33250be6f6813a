"""A store built for the figures: two meetings of one panel, seven hearings whose figures the
tests work out by hand (see the table in ``figures_store``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import pytest

from panelapp.domain.case_facts import PlacementType, Vulnerability
from panelapp.domain.quorum import QuorumRule
from panelapp.domain.vocabulary import (
    AttendanceStatus,
    ExceptionKind,
    Outcome,
    PanelType,
    PrimaryNeed,
    RequestType,
    Role,
)
from panelapp.services import cases, decisions, meetings, panels
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem

M1 = date(2026, 3, 12)  # financial year 2025-26
M2 = date(2026, 4, 16)  # financial year 2026-27


@dataclass(frozen=True)
class FiguresStore:
    panel_id: int
    meeting_ids: tuple[int, int]
    member_ids: tuple[int, int]


def _case(uow, ref, rtype, received, need, born, **facts) -> int:
    return cases.add_case(
        uow,
        cases.CaseDetails(
            reference=ref,
            first_name="Child",
            last_name=ref,
            date_of_birth=born,
            request_type=rtype,
            request_received=received,
            primary_need=need,
            **facts,
        ),
    )


@pytest.fixture
def figures_store(store) -> FiguresStore:
    """Hearings (meeting, case, request, received, what happened):

    M1 A  assessment  2026-02-01  agree to assess (due 15 Mar: in time, 39 days)
    M1 B  assessment  2026-01-10  decline to assess (due 21 Feb: late, 61 days; family away
                                  15 Jan-15 Feb recorded, so excepted)
    M1 C  assessment  2026-01-05  deferred to 1 Apr (20 days added)
    M1 D  top-up      2026-02-20  agree band B3, £12,000
    M1 F  post-assess 2025-12-01  issue plan (due 23 Mar: in time, 101 days); final plan
                                  issued 10 Apr 2026 (due 20 Apr: in time, 130 days)
    M2 C  assessment  (again)     agree to assess (due 16 Feb: late, 101 days, no exception)
    M2 E  top-up      2026-03-20  agree band B3, £5,000
    """
    ts = (RequestType.TOP_UP, Outcome.AGREE_BAND)
    with UnitOfWork(store, "ops officer") as uow:
        panel_id = panels.create_panel(
            uow,
            name="SEND Panel",
            panel_type=PanelType.SEND,
            quorum=QuorumRule(minimum_members=2, required_roles=()),
        )
        member_ids = tuple(
            panels.add_member(uow, panel_id, name=name, roles=roles)
            for name, roles in (
                ("Chair Person", [Role.CHAIR]),
                ("Psychologist Person", [Role.EDUCATIONAL_PSYCHOLOGIST]),
            )
        )
        rp = PlacementType.RESOURCED_PROVISION
        a = _case(
            uow,
            "A",
            RequestType.ASSESSMENT_REQUEST,
            date(2026, 2, 1),
            PrimaryNeed.SLCN,
            date(2018, 5, 1),
            vulnerabilities=frozenset({Vulnerability.LOOKED_AFTER}),
            placement_type=PlacementType.MAINSTREAM,
        )
        b = _case(
            uow,
            "B",
            RequestType.ASSESSMENT_REQUEST,
            date(2026, 1, 10),
            PrimaryNeed.ASD,
            date(2012, 1, 1),
            vulnerabilities=frozenset(
                {Vulnerability.LOOKED_AFTER, Vulnerability.FREE_SCHOOL_MEALS}
            ),
        )
        c = _case(
            uow,
            "C",
            RequestType.ASSESSMENT_REQUEST,
            date(2026, 1, 5),
            PrimaryNeed.SLCN,
            date(2022, 6, 1),
        )
        d = _case(
            uow,
            "D",
            RequestType.TOP_UP,
            date(2026, 2, 20),
            PrimaryNeed.MLD,
            date(2018, 5, 1),
            placement_type=rp,
        )
        f = _case(
            uow,
            "F",
            RequestType.POST_ASSESSMENT,
            date(2025, 12, 1),
            PrimaryNeed.SEMH,
            date(2015, 1, 1),
            final_plan_issued=date(2026, 4, 10),
        )
        e = _case(uow, "E", RequestType.TOP_UP, date(2026, 3, 20), PrimaryNeed.MLD,
                  date(2018, 5, 1), placement_type=rp)  # fmt: skip
        cases.add_clock_exception(
            uow,
            b,
            kind=ExceptionKind.FAMILY_AWAY,
            start=date(2026, 1, 15),
            end=date(2026, 2, 15),
        )
        m1 = meetings.schedule_meeting(uow, panel_id, on=M1, start=time(9, 30))
        items = {
            k: meetings.put_on_agenda(uow, m1, cid)
            for k, cid in zip("ABCDF", (a, b, c, d, f), strict=True)
        }
        for member_id in member_ids:
            meetings.record_attendance(uow, m1, member_id, AttendanceStatus.PRESENT)
        meetings.start_meeting(uow, m1)
        decisions.record_decision(uow, items["A"], outcome=Outcome.AGREE_TO_ASSESS, rationale="r")
        decisions.record_decision(uow, items["B"], outcome=Outcome.DECLINE_TO_ASSESS, rationale="r")
        decisions.defer_item(
            uow,
            items["C"],
            reason="Needs the school's report",
            information_required="School report",
            provider="The school",
            return_date=date(2026, 4, 1),
            past_due_reason="The report is late",
        )
        decisions.record_decision(
            uow, items["D"], outcome=ts[1], rationale="r", band="B3",
            amount_pence=1_200_000, start_date=date(2026, 4, 1),
        )  # fmt: skip
        decisions.record_decision(uow, items["F"], outcome=Outcome.ISSUE_PLAN, rationale="r")
        meetings.close_meeting(uow, m1)
        m2 = meetings.schedule_meeting(uow, panel_id, on=M2, start=time(9, 30))
        item_e = meetings.put_on_agenda(uow, m2, e)
        for member_id in member_ids:
            meetings.record_attendance(uow, m2, member_id, AttendanceStatus.PRESENT)
        meetings.start_meeting(uow, m2)
        relisted_c = uow.session.query(AgendaItem).filter_by(meeting_id=m2, case_id=c).one().id
        decisions.record_decision(uow, relisted_c, outcome=Outcome.AGREE_TO_ASSESS, rationale="r")
        decisions.record_decision(
            uow, item_e, outcome=ts[1], rationale="r", band="B3",
            amount_pence=500_000, start_date=date(2026, 5, 1),
        )  # fmt: skip
    return FiguresStore(panel_id, (m1, m2), member_ids)
