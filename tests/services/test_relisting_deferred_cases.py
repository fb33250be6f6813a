"""A deferred case goes to the panel's first meeting on or after its return date (R7),
whatever order the meetings were scheduled in, and follows when meetings move or go."""

from __future__ import annotations

from datetime import date, time

import pytest

from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import PrimaryNeed, RequestType, Role
from panelapp.services import cases, decisions, meetings
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, DeferralRow, Meeting
from tests.helpers.meetings import ANY_TWO, MORNING, all_present, case_on_agenda, panel_with_members

DEFERRED_AT = date(2026, 3, 12)
RETURN = date(2026, 4, 1)


@pytest.fixture
def deferred(store):
    """A case deferred on 12 March 2026 to come back on or after 1 April 2026, when the
    panel has no later meeting yet. Returns (panel id, deferral id)."""
    with UnitOfWork(store, "ops officer") as uow:
        panel_id, ids = panel_with_members(
            uow,
            {
                "chair": ("Chair Person", [Role.CHAIR]),
                "ep": ("Psychologist Person", [Role.EDUCATIONAL_PSYCHOLOGIST]),
            },
            quorum=ANY_TWO,
        )
        meeting_id = meetings.schedule_meeting(uow, panel_id, on=DEFERRED_AT, start=MORNING)
        item_id = case_on_agenda(
            uow, meeting_id, "NB-REL-1", request_type=RequestType.TOP_UP, received=date(2026, 2, 20)
        )
        all_present(uow, meeting_id, ids.values())
        deferral_id = decisions.defer_item(
            uow,
            item_id,
            reason="Costed provision map needed",
            information_required="A costed provision map",
            provider="The school",
            return_date=RETURN,
        )
    return panel_id, deferral_id


def _schedule(store, panel_id, on: date) -> int:
    with UnitOfWork(store, "ops officer") as uow:
        return meetings.schedule_meeting(uow, panel_id, on=on, start=time(9, 30))


def _listed_on(store, deferral_id) -> date | None:
    with store.read() as session:
        deferral = session.get(DeferralRow, deferral_id)
        if deferral.relisted_item_id is None:
            return None
        return session.get(AgendaItem, deferral.relisted_item_id).meeting.meeting_date


def test_a_deferred_case_moves_to_an_earlier_meeting_scheduled_after_a_later_one(store, deferred):
    panel_id, deferral_id = deferred
    _schedule(store, panel_id, date(2026, 4, 30))  # scheduled first
    assert _listed_on(store, deferral_id) == date(2026, 4, 30)

    _schedule(store, panel_id, date(2026, 4, 9))  # the first meeting after the return date

    assert _listed_on(store, deferral_id) == date(2026, 4, 9)
    with store.read() as session:
        later = [m for m in session.query(Meeting) if m.meeting_date == date(2026, 4, 30)][0]
        assert later.items == []  # not left on both agendas


def test_a_meeting_before_the_return_date_does_not_take_the_case(store, deferred):
    panel_id, deferral_id = deferred
    _schedule(store, panel_id, date(2026, 4, 30))
    _schedule(store, panel_id, date(2026, 3, 26))  # before 1 April

    assert _listed_on(store, deferral_id) == date(2026, 4, 30)


def test_a_meeting_on_the_return_date_itself_takes_the_case(store, deferred):
    panel_id, deferral_id = deferred
    _schedule(store, panel_id, date(2026, 4, 30))
    _schedule(store, panel_id, RETURN)

    assert _listed_on(store, deferral_id) == RETURN


def test_moving_the_meeting_before_the_return_date_sends_the_case_to_the_next_one(store, deferred):
    panel_id, deferral_id = deferred
    first = _schedule(store, panel_id, date(2026, 4, 9))
    _schedule(store, panel_id, date(2026, 4, 30))
    assert _listed_on(store, deferral_id) == date(2026, 4, 9)

    with UnitOfWork(store, "ops officer") as uow:
        meetings.reschedule_meeting(uow, first, on=date(2026, 3, 30), reason="Room unavailable")

    assert _listed_on(store, deferral_id) == date(2026, 4, 30)


def test_moving_a_later_meeting_earlier_brings_the_case_to_it(store, deferred):
    panel_id, deferral_id = deferred
    _schedule(store, panel_id, date(2026, 4, 30))
    later = _schedule(store, panel_id, date(2026, 5, 14))

    with UnitOfWork(store, "ops officer") as uow:
        meetings.reschedule_meeting(uow, later, on=date(2026, 4, 2), reason="Brought forward")

    assert _listed_on(store, deferral_id) == date(2026, 4, 2)


def test_cancelling_the_meeting_sends_the_case_on_or_back_to_the_list(store, deferred):
    panel_id, deferral_id = deferred
    first = _schedule(store, panel_id, date(2026, 4, 9))
    second = _schedule(store, panel_id, date(2026, 4, 30))

    with UnitOfWork(store, "ops officer") as uow:
        meetings.cancel_meeting(uow, first, reason="Chair unavailable")
    assert _listed_on(store, deferral_id) == date(2026, 4, 30)

    with UnitOfWork(store, "ops officer") as uow:
        meetings.cancel_meeting(uow, second, reason="Panel paused")
    assert _listed_on(store, deferral_id) is None  # waits on the list of cases to re-list
    with UnitOfWork(store, "ops officer") as uow:
        assert [d.id for d in meetings.waiting_deferrals(uow, panel_id)] == [deferral_id]


def test_a_meeting_with_new_cases_cannot_be_cancelled_and_nothing_is_lost(store, deferred):
    panel_id, deferral_id = deferred
    meeting_id = _schedule(store, panel_id, date(2026, 4, 9))
    with UnitOfWork(store, "ops officer") as uow:
        case_id = cases.add_case(
            uow,
            cases.CaseDetails(
                reference="NB-REL-2",
                first_name="Other",
                last_name="Child",
                date_of_birth=date(2017, 1, 1),
                request_type=RequestType.TOP_UP,
                request_received=date(2026, 3, 20),
                primary_need=PrimaryNeed.MLD,
            ),
        )
        meetings.put_on_agenda(uow, meeting_id, case_id)

    with pytest.raises(PanelappError, match="Only a meeting whose agenda holds nothing but"):
        with UnitOfWork(store, "ops officer") as uow:
            meetings.cancel_meeting(uow, meeting_id, reason="Chair unavailable")

    assert _listed_on(store, deferral_id) == date(2026, 4, 9)
    with store.read() as session:
        assert len(session.get(Meeting, meeting_id).items) == 2


def test_correcting_a_meetings_date_in_the_window_relists_the_deferred_case(store, deferred):
    from panelapp.services import corrections

    panel_id, deferral_id = deferred
    first = _schedule(store, panel_id, date(2026, 4, 9))
    _schedule(store, panel_id, date(2026, 4, 30))
    assert _listed_on(store, deferral_id) == date(2026, 4, 9)

    with UnitOfWork(store, "ops officer") as uow:  # the "Date and venue" correction
        corrections.update_meeting(
            uow, first, on=date(2026, 3, 30), start=time(9, 30), venue="Room 2"
        )

    assert _listed_on(store, deferral_id) == date(2026, 4, 30)
