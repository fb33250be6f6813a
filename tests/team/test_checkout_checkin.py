"""A meeting checked out of the team store to a laptop, run offline and checked back in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from panelapp.services import team_checkout
from panelapp.store.integrity import check_store
from panelapp.store.lifecycle import create_team_store
from panelapp.store.tables import DecisionRow, DeferralRow, Meeting, MinutesVersion
from tests.helpers import team_meeting


@pytest.fixture
def team(team_url):
    store = create_team_store(team_url)
    yield store
    store.close()


def test_an_offline_meeting_is_checked_in_whole_and_the_team_store_checks_clean(team, store):
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

    team_meeting.run_offline(store, prepared)
    assert check_store(store).ok, check_store(store).problems

    done = team_checkout.checkin(team, store, prepared.meeting_id, actor="Helen Whitaker")
    assert done.checkpoints == 1
    report = check_store(team)
    assert report.ok, report.problems
    with team.read() as session:
        decided = session.scalars(
            select(DecisionRow.agenda_item_id).where(
                DecisionRow.agenda_item_id.in_(prepared.item_ids)
            )
        ).all()
        deferral = session.scalar(
            select(DeferralRow).where(DeferralRow.agenda_item_id == prepared.item_ids[-1])
        )
        minutes = session.scalar(
            select(MinutesVersion).where(MinutesVersion.meeting_id == prepared.meeting_id)
        )
        meeting = session.get(Meeting, prepared.meeting_id)
        assert sorted(decided) == prepared.item_ids[:-1]
        assert deferral is not None
        assert minutes.signed_at is not None and meeting.status == "signed"
        assert team_checkout.checkouts(session) == {}
