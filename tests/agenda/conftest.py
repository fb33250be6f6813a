"""Fixtures for preparing a meeting: a small panel with a scheduled meeting and two cases on its
agenda, and the helper module that makes real paper files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tests.helpers.meeting_day import MEETING_DAY
from tests.helpers.meetings import MORNING, new_case, panel_with_members


@dataclass(frozen=True)
class Prepared:
    panel_id: int
    meeting_id: int
    item_ids: tuple[int, ...]
    case_ids: tuple[int, ...]
    member_ids: dict[str, int]


@pytest.fixture
def prepared(store) -> Prepared:
    from panelapp.domain.vocabulary import RequestType, Role
    from panelapp.services import meetings
    from panelapp.services.unit_of_work import UnitOfWork

    with UnitOfWork(store, "Ops Officer") as uow:
        panel_id, members = panel_with_members(
            uow,
            {
                "chair": ("Chair Person", [Role.CHAIR]),
                "vice": ("Vice Person", [Role.VICE_CHAIR]),
                "ep": ("Psychologist Person", [Role.EDUCATIONAL_PSYCHOLOGIST]),
                "head": ("Head Teacher", [Role.SCHOOLS_REP]),
            },
        )
        meeting_id = meetings.schedule_meeting(
            uow, panel_id, on=MEETING_DAY, start=MORNING, venue="Room 1"
        )
        case_ids, item_ids = [], []
        for ref, first, last, rtype in (
            ("NB-T-0001", "Oliver", "Grant", RequestType.ASSESSMENT_REQUEST),
            ("NB-T-0002", "Amelia", "Hughes", RequestType.TOP_UP),
        ):
            case_id = new_case(
                uow,
                ref,
                first_name=first,
                last_name=last,
                date_of_birth=date(2018, 4, 1),
                request_type=rtype,
                received=date(2026, 2, 9),
                setting="Hillside Primary School",
                year_group="Year 2",
                case_officer="Claire Doyle",
            )
            case_ids.append(case_id)
            item_ids.append(
                meetings.put_on_agenda(uow, meeting_id, case_id, presenting_officer="Claire Doyle")
            )
    return Prepared(panel_id, meeting_id, tuple(item_ids), tuple(case_ids), members)
