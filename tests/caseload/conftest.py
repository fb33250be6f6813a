"""A caseload built by hand: today is Thursday 12 March 2026, papers are due 2 calendar days
before a meeting, and each meeting hears at most 2 items."""

from __future__ import annotations

from datetime import date, time

import pytest

from panelapp.domain.vocabulary import PanelType, PrimaryNeed, RequestType
from panelapp.services.cases import CaseDetails, add_case, close_case
from panelapp.services.meetings import put_on_agenda, schedule_meeting
from panelapp.services.panels import create_panel
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import Panel

TODAY = date(2026, 3, 12)
A = RequestType.ASSESSMENT_REQUEST


def _case(uow, ref, request_type=A, received=date(2026, 1, 1), **more):
    return add_case(
        uow,
        CaseDetails(
            reference=ref,
            first_name="Zara",
            last_name="Ahmed",
            date_of_birth=date(2018, 5, 5),
            request_type=request_type,
            request_received=received,
            primary_need=PrimaryNeed.SLCN,
            **more,
        ),
    )


@pytest.fixture
def caseload(store):
    with UnitOfWork(store, "Joanne Pike") as uow:
        panel = create_panel(uow, name="SEND Panel", panel_type=PanelType.SEND)
        uow.session.get(Panel, panel).capacity_items = 2
        m = {
            on: schedule_meeting(uow, panel, on=on, start=time(10), venue="Room 4")
            for on in (
                date(2026, 3, 13),  # papers were due 11 March: too late for anything new
                date(2026, 3, 19),  # papers due 17 March
                date(2026, 4, 2),  # papers due 31 March
                date(2026, 4, 16),  # papers due 14 April
            )
        }
        ids = {
            "A": _case(uow, "A-1", received=date(2026, 2, 10)),  # due 24 March
            "B": _case(uow, "B-1", received=date(2026, 2, 25)),  # due 8 April
            "C": _case(uow, "C-1", received=date(2026, 1, 20)),  # due 3 March: overdue
            "D": _case(uow, "D-1", received=date(2026, 3, 10)),  # due 21 April, on 19 March
            "E": _case(
                uow,
                "E-1",
                RequestType.ANNUAL_REVIEW,
                review_meeting_date=date(2026, 3, 5),  # due 2 April (4 weeks)
            ),
            "F": _case(uow, "F-1", RequestType.ANNUAL_REVIEW),  # review date missing
            "G": _case(uow, "G-1", received=date(2026, 2, 10)),  # closed
            "H": _case(
                uow,
                "H-1",
                RequestType.PHASE_TRANSFER,
                received=date(2025, 9, 1),
                transfer_year=2026,  # due 14 February 2026: overdue
            ),
        }
        put_on_agenda(uow, m[date(2026, 3, 19)], ids["D"])
        close_case(uow, ids["G"], reason="The family moved to another council.")
    return m, ids
