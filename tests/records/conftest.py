"""A closed meeting that heard two children: Ada Zyxwardine, born 1990 (past a 31-year
retention by the tests' today) and Ben Young, born 2016; a third meeting heard only Ada."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from panelapp.domain.vocabulary import Outcome, RequestType, Role
from panelapp.services import decisions, meetings
from panelapp.services.family_letters import record_letter_sent
from panelapp.services.minutes import generate_minutes
from panelapp.services.papers import add_paper
from panelapp.services.unit_of_work import UnitOfWork
from tests.helpers.meetings import ANY_TWO, MORNING, all_present, case_on_agenda, panel_with_members

TODAY = date(2026, 12, 3)
OLD, YOUNG = "NB-90-0001", "NB-16-0002"
#: words only the old child's records hold, to look for in the store file
SURNAME, PAPER_WORD, DISCUSSION_WORD, RATIONALE_WORD = (
    "Zyxwardine",
    "Quokkafrond",
    "Plumbicorn",
    "Vellichore",
)


@dataclass(frozen=True)
class TwoChildren:
    panel_id: int
    shared_meeting: int
    old_only_meeting: int
    old_item: int
    young_item: int


def _heard(uow, panel_id, ids, day, cases):
    meeting_id = meetings.schedule_meeting(uow, panel_id, on=day, start=MORNING)
    items = [case_on_agenda(uow, meeting_id, ref, **details) for ref, details in cases]
    all_present(uow, meeting_id, ids.values())
    return meeting_id, items


@pytest.fixture
def two_children(store) -> TwoChildren:
    day = TODAY - timedelta(days=30)
    old = dict(
        first_name="Ada",
        last_name=SURNAME,
        date_of_birth=date(1990, 4, 1),
        received=day - timedelta(days=20),
        request_type=RequestType.ASSESSMENT_REQUEST,
    )
    young = dict(
        first_name="Ben",
        last_name="Young",
        date_of_birth=date(2016, 4, 1),
        received=day - timedelta(days=20),
    )
    with UnitOfWork(store, "ops officer") as uow:
        panel_id, ids = panel_with_members(
            uow,
            {"chair": ("Helen Chair", [Role.CHAIR]), "vice": ("David Vice", [Role.VICE_CHAIR])},
            quorum=ANY_TWO,
        )
        shared, (old_item, young_item) = _heard(
            uow, panel_id, ids, day, [(OLD, old), (YOUNG, young)]
        )
        add_paper(
            uow,
            old_item,
            file_name="advice.txt",
            data=f"Advice about Ada: {PAPER_WORD} support needed.".encode(),
            received_at=datetime(2026, 10, 1, 9, 0),
        )
        meetings.save_discussion(uow, old_item, f"The panel discussed {DISCUSSION_WORD}.")
        decisions.record_decision(
            uow,
            old_item,
            outcome=Outcome.DECLINE_TO_ASSESS,
            rationale=f"Needs met at SEN support ({RATIONALE_WORD}).",
        )
        decisions.record_decision(
            uow, young_item, outcome=Outcome.AGREE_TO_ASSESS, rationale="Threshold met."
        )
        decisions.add_action(
            uow, shared, description="Write to the school.", owner="Officer", item_id=old_item
        )
        meetings.close_meeting(uow, shared)
        generate_minutes(uow, shared)
        record_letter_sent(uow, shared, 1, on=day + timedelta(days=2))
        old_only, (second_old,) = _heard(
            uow,
            panel_id,
            ids,
            day + timedelta(days=14),
            [(OLD, old)],
        )
        decisions.record_decision(
            uow, second_old, outcome=Outcome.AGREE_TO_ASSESS, rationale="New evidence of need."
        )
        meetings.close_meeting(uow, old_only)
        generate_minutes(uow, old_only)
    return TwoChildren(panel_id, shared, old_only, old_item, young_item)
