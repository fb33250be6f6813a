"""Mediation and appeals recorded per decision: steps only in an order that can happen, shown
in the case history with the appeal deadline (R16: the later of the letter + 2 months and the
mediation certificate + 1 month), and from the command line."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from panelapp.cli import main
from panelapp.domain.appeals import AppealOutcome, AppealStep, StepTaken, check_step
from panelapp.domain.errors import PanelappError
from panelapp.services.appeals import list_appeals, record_appeal_step
from panelapp.services.approvals import list_approvals
from panelapp.services.case_history import history_for
from panelapp.services.family_letters import record_letter_sent
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, Meeting

DECIDED = date(2026, 3, 12)
TODAY = date(2026, 12, 3)

attempts = st.lists(
    st.tuples(
        st.sampled_from(list(AppealStep)),
        st.integers(0, 200),
        st.none() | st.sampled_from(list(AppealOutcome)),
    ),
    max_size=12,
)


@given(attempts)
def test_accepted_steps_always_tell_a_possible_story(tries):
    """Whatever is tried in whatever order, what is accepted: each step once, dated from the
    decision to today in order, a Tribunal decision only after an appeal was lodged and only
    with an outcome, a certificate or settlement only after mediation was asked for."""
    kept: list[StepTaken] = []
    for step, days, outcome in tries:
        try:
            kept.append(
                check_step(
                    kept, step, DECIDED + timedelta(days), outcome, decided_on=DECIDED, today=TODAY
                )
            )
        except PanelappError:
            continue
    steps = [s.step for s in kept]
    assert len(steps) == len(set(steps))
    assert [s.on for s in kept] == sorted(s.on for s in kept)
    assert all(DECIDED <= s.on <= TODAY for s in kept)
    for n, s in enumerate(kept):
        before = set(steps[:n])
        assert (s.outcome is not None) == (s.step is AppealStep.APPEAL_DECIDED)
        if s.step is AppealStep.APPEAL_DECIDED:
            assert AppealStep.APPEAL_LODGED in before
        if s.step in (AppealStep.MEDIATION_CERTIFICATE, AppealStep.MEDIATION_SETTLED):
            assert AppealStep.MEDIATION_REQUESTED in before
        if s.step is AppealStep.APPEAL_LODGED:
            assert AppealStep.MEDIATION_SETTLED not in before


def test_steps_shown_in_the_history_with_the_deadline(store, demo, signed_minutes):
    with store.read() as session:
        first = list_approvals(session, meeting_id=demo.meeting_id)[0]
        meeting = session.get(Meeting, demo.meeting_id)
        item_id = next(i.id for i in meeting.items if i.position == first.item_position)
    with UnitOfWork(store, "Joanne Pike") as uow:
        record_letter_sent(uow, demo.meeting_id, first.item_position, on=date(2026, 3, 16))
        record_appeal_step(uow, demo.meeting_id, item=first.item_position,
                           step=AppealStep.MEDIATION_REQUESTED, on=date(2026, 3, 30))  # fmt: skip
    with UnitOfWork(store, "Joanne Pike") as uow, pytest.raises(PanelappError, match="outcome"):
        record_appeal_step(uow, demo.meeting_id, item=first.item_position,
                           step=AppealStep.APPEAL_DECIDED, on=date(2026, 4, 1))  # fmt: skip
    with UnitOfWork(store, "Joanne Pike") as uow:
        record_appeal_step(uow, demo.meeting_id, item=first.item_position,
                           step="mediation_certificate", on=date(2026, 5, 20))  # fmt: skip
    with store.read() as session:
        # the next hearing of the same child shows what became of this decision
        later = AgendaItem(
            meeting_id=demo.next_meeting_id,
            case_id=session.get(AgendaItem, item_id).case_id,
            position=99,
        )  # noqa: E501
        session.add(later)
        session.flush()
        earlier = next(h for h in history_for(session, later.id) if h.item_id == item_id)
        session.rollback()
        listed = list_appeals(session)
    assert "Mediation asked for: 30 March 2026" in earlier.followup
    assert "Mediation certificate issued: 20 May 2026" in earlier.followup
    # letter 16 March + 2 months = 16 May; certificate 20 May + 1 month = 20 June: the later
    assert "Last day to appeal: 20 June 2026" in earlier.followup
    assert [r.decision_id for r in listed] == [first.decision_id]


def test_commands(store_path, demo, signed_minutes, store, capsys):
    with store.read() as session:
        first = list_approvals(session, meeting_id=demo.meeting_id)[0]
    store.close()

    def run(*argv):
        status = main(["--store", str(store_path), "--as", "Joanne Pike", *argv])
        captured = capsys.readouterr()
        return status, captured.out + captured.err

    meeting, item = str(demo.meeting_id), str(first.item_position)
    status, out = run("appeals", "record", meeting, "--item", item, "--step", "appeal-lodged",
                      "--date", "2026-04-20")  # fmt: skip
    assert status == 0 and "Appeal lodged with the Tribunal" in out
    status, out = run("appeals", "record", meeting, "--item", item, "--step", "appeal-decided",
                      "--outcome", "dismissed", "--date", "2026-04-01")  # fmt: skip
    assert status == 2 and "before a step already recorded" in out
    status, out = run("appeals", "record", meeting, "--item", item, "--step", "appeal-decided",
                      "--outcome", "dismissed", "--date", "2026-09-01")  # fmt: skip
    assert status == 0
    status, out = run("appeals", "list")
    assert "Appeal lodged with the Tribunal 20 April 2026" in out
    assert "Tribunal decided the appeal: appeal dismissed 1 September 2026" in out
