"""A panel meeting run end to end through the services on a real encrypted store."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from panelapp.domain.errors import PanelappError, RuleViolation
from panelapp.domain.vocabulary import (
    AttendanceStatus,
    ItemStatus,
    NamingMode,
    Outcome,
    RequestType,
    Role,
)
from panelapp.services import decisions, declarations, meetings
from panelapp.services.meeting_view import meeting_view
from panelapp.services.situation import item_situation
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, DecisionRow, DeferralRow
from tests.helpers.meetings import (
    CHAIR_OR_VICE_AND_EP,
    MORNING,
    case_on_agenda,
    panel_with_members,
)

MEETING_DAY = date(2026, 3, 12)


@pytest.fixture
def panel(store):
    """A small SEND panel: chair, vice-chair, EP, SEN manager, schools rep, minute taker.
    Quorum: 3 members including the chair or vice-chair and an EP."""
    with UnitOfWork(store, "ops officer") as uow:
        panel_id, ids = panel_with_members(
            uow,
            {
                "chair": ("Chair Person", [Role.CHAIR]),
                "vice": ("Vice Person", [Role.VICE_CHAIR, Role.SEND_MANAGER]),
                "ep": ("Psychologist Person", [Role.EDUCATIONAL_PSYCHOLOGIST]),
                "school": ("Head Person", [Role.SCHOOLS_REP]),
                "minutes": ("Minute Person", [Role.MINUTE_TAKER]),
            },
            quorum=CHAIR_OR_VICE_AND_EP,
        )
        meeting_id = meetings.schedule_meeting(uow, panel_id, on=MEETING_DAY, start=MORNING)
    return panel_id, meeting_id, ids


def _add_item(store, meeting_id, request_type=RequestType.ASSESSMENT_REQUEST, received=None):
    with UnitOfWork(store, "ops officer") as uow:
        return case_on_agenda(
            uow,
            meeting_id,
            "NB-TEST-1",
            request_type=request_type,
            received=received or MEETING_DAY - timedelta(days=20),
            presenting_officer="Case Officer",
        )


def _attend(store, meeting_id, ids, *, present=("chair", "vice", "ep", "school", "minutes")):
    with UnitOfWork(store, "minute taker") as uow:
        for key, member_id in ids.items():
            status = AttendanceStatus.PRESENT if key in present else AttendanceStatus.APOLOGIES
            meetings.record_attendance(uow, meeting_id, member_id, status)
        meetings.start_meeting(uow, meeting_id)


def _decide(store, item_id, **kw):
    kw.setdefault("outcome", Outcome.AGREE_TO_ASSESS)
    kw.setdefault("rationale", "Evidence meets the threshold.")
    with UnitOfWork(store, "minute taker") as uow:
        return decisions.record_decision(uow, item_id, **kw)


def _defer(store, item_id, **kw):
    kw.setdefault("reason", "Need the speech and language report.")
    kw.setdefault("information_required", "SALT report")
    kw.setdefault("provider", "NHS SALT service")
    kw.setdefault("return_date", MEETING_DAY + timedelta(days=14))
    with UnitOfWork(store, "minute taker") as uow:
        return decisions.defer_item(uow, item_id, **kw)


def test_a_quorate_panel_records_a_decision_with_its_participants_and_chair(store, panel):
    _, meeting_id, ids = panel
    item = _add_item(store, meeting_id)
    _attend(store, meeting_id, ids)
    _decide(store, item)
    with store.read() as session:
        row = session.scalar(select(DecisionRow).where(DecisionRow.agenda_item_id == item))
        assert row.outcome == Outcome.AGREE_TO_ASSESS
        assert row.chaired_by_member_id == ids["chair"]
        # The minute taker attends but takes no part in the decision.
        assert sorted(row.participant_ids) == sorted(
            ids[k] for k in ("chair", "vice", "ep", "school")
        )
        assert session.get(AgendaItem, item).status == ItemStatus.DECIDED


def test_a_decision_without_quorum_is_refused_and_the_case_can_only_be_deferred(store, panel):
    _, meeting_id, ids = panel
    item = _add_item(store, meeting_id)
    _attend(store, meeting_id, ids, present=("chair", "school", "minutes"))  # no EP, too few
    with pytest.raises(RuleViolation) as refused:
        _decide(store, item)
    assert refused.value.rule == "R5"
    assert "not quorate" in str(refused.value)
    assert "educational psychologist" in str(refused.value).lower()
    _defer(store, item)
    with store.read() as session:
        deferral = session.scalar(select(DeferralRow).where(DeferralRow.agenda_item_id == item))
        assert deferral.inquorate_reasons, "the minutes must be able to say why it was deferred"
        assert session.scalar(select(func.count()).select_from(DecisionRow)) == 0


def test_a_member_who_declares_an_interest_is_withdrawn_and_cannot_take_part(store, panel):
    _, meeting_id, ids = panel
    item = _add_item(store, meeting_id)
    _attend(store, meeting_id, ids)
    with UnitOfWork(store, "minute taker") as uow:
        declarations.declare_interest(
            uow, meeting_id, ids["school"], item_id=item, nature="Head of the child's school"
        )
    with store.read() as session:
        situation = item_situation(session, item)
    assert ids["school"] in situation.withdrawn_ids
    assert ids["school"] not in situation.quorum.counted_ids
    with pytest.raises(RuleViolation) as refused:
        _decide(store, item, participant_ids=[ids["chair"], ids["ep"], ids["school"]])
    assert refused.value.rule == "R2"
    assert "Head Person" in str(refused.value)
    _decide(store, item)
    with store.read() as session:
        row = session.scalar(select(DecisionRow).where(DecisionRow.agenda_item_id == item))
        assert ids["school"] not in row.participant_ids


def test_a_withdrawal_can_leave_the_panel_inquorate_for_that_case_only(store, panel):
    _, meeting_id, ids = panel
    first = _add_item(store, meeting_id)
    second = _add_item(store, meeting_id)
    _attend(store, meeting_id, ids, present=("chair", "ep", "school", "minutes"))
    with UnitOfWork(store, "minute taker") as uow:
        declarations.declare_interest(
            uow, meeting_id, ids["ep"], item_id=first, nature="Assessed the child privately"
        )
    with pytest.raises(RuleViolation, match="not quorate"):
        _decide(store, first)
    _decide(store, second)  # the EP is back for the next item


def test_an_outcome_outside_the_request_types_vocabulary_is_refused(store, panel):
    _, meeting_id, ids = panel
    item = _add_item(store, meeting_id)
    _attend(store, meeting_id, ids)
    with pytest.raises(RuleViolation) as refused:
        _decide(store, item, outcome=Outcome.ISSUE_PLAN)
    assert refused.value.rule == "R6"
    assert "Agree to assess" in str(refused.value)
    with store.read() as session:
        assert session.get(AgendaItem, item).status == ItemStatus.TO_DO


def test_a_top_up_band_override_needs_a_reason(store, panel):
    _, meeting_id, ids = panel
    item = _add_item(store, meeting_id, request_type=RequestType.TOP_UP)
    _attend(store, meeting_id, ids)
    with pytest.raises(RuleViolation, match="reason for overriding the band"):
        _decide(
            store, item, outcome=Outcome.AGREE_BAND_OVERRIDE, band="Band D", amount_pence=900_000
        )
    _decide(
        store,
        item,
        outcome=Outcome.AGREE_BAND_OVERRIDE,
        band="Band D",
        amount_pence=900_000,
        band_override_reason="1:1 support needed at lunchtimes, beyond Band C",
        start_date=MEETING_DAY + timedelta(days=7),
    )


def test_when_the_chair_is_conflicted_the_vice_chair_chairs_and_is_recorded(store, panel):
    _, meeting_id, ids = panel
    item = _add_item(store, meeting_id)
    with UnitOfWork(store, "ops officer") as uow:
        declarations.declare_interest(
            uow,
            meeting_id,
            ids["chair"],
            item_id=item,
            nature="Governor of the proposed school",
            before_meeting=True,
        )
    _attend(store, meeting_id, ids)
    _decide(store, item)
    with store.read() as session:
        row = session.scalar(select(DecisionRow).where(DecisionRow.agenda_item_id == item))
        assert row.chaired_by_member_id == ids["vice"]
        view = meeting_view(session, meeting_id, NamingMode.REFERENCE)
    assert view.items[0].chaired_by == "Vice Person"
    assert "vice-chair chairs" in view.items[0].chair_reason
    assert view.items[0].withdrawn == ("Chair Person",)


def test_with_chair_and_vice_chair_conflicted_a_nominated_member_must_chair(store, panel):
    _, meeting_id, ids = panel
    item = _add_item(store, meeting_id)
    _attend(store, meeting_id, ids)
    with UnitOfWork(store, "minute taker") as uow:
        for who in ("chair", "vice"):
            declarations.declare_interest(
                uow, meeting_id, ids[who], item_id=item, nature="Related to the family"
            )
    with pytest.raises(RuleViolation) as refused:
        _decide(store, item)
    assert refused.value.rule == "R4"
    with pytest.raises(RuleViolation, match="minute taker"):
        _decide(store, item, nominated_chair_id=ids["minutes"])
    # EP chairs; quorum needs 3 counted: EP and school rep are only 2, so the panel must defer.
    with pytest.raises(RuleViolation, match="not quorate"):
        _decide(store, item, nominated_chair_id=ids["ep"])
    _defer(store, item, nominated_chair_id=ids["ep"])
    with store.read() as session:
        assert session.get(AgendaItem, item).chair_member_id == ids["ep"]


def test_a_declared_interest_with_remaining_is_refused_where_the_terms_of_reference_forbid_it(
    store, panel
):
    _, meeting_id, ids = panel
    item = _add_item(store, meeting_id)
    with UnitOfWork(store, "minute taker") as uow, pytest.raises(PanelappError, match="leaves"):
        declarations.declare_interest(
            uow, meeting_id, ids["ep"], item_id=item, nature="x", remained=True
        )


def test_a_deferral_past_the_statutory_due_date_needs_a_recorded_reason(store, panel):
    _, meeting_id, ids = panel
    # Received 40 days before the meeting: the 6-week decision is due in 2 days.
    item = _add_item(store, meeting_id, received=MEETING_DAY - timedelta(days=40))
    _attend(store, meeting_id, ids)
    with pytest.raises(RuleViolation) as refused:
        _defer(store, item, return_date=MEETING_DAY + timedelta(days=14))
    assert refused.value.rule == "R8"
    assert "14 March 2026" in str(refused.value)
    _defer(
        store,
        item,
        return_date=MEETING_DAY + timedelta(days=14),
        past_due_reason="Parents asked to wait for the SALT report",
    )
    with store.read() as session:
        deferral = session.scalar(select(DeferralRow).where(DeferralRow.agenda_item_id == item))
        assert deferral.timescale_risk
        assert deferral.statutory_due == date(2026, 3, 14)


def test_a_deferred_case_returns_on_the_first_meeting_on_or_after_its_return_date(store, panel):
    panel_id, meeting_id, ids = panel
    with UnitOfWork(store, "ops officer") as uow:
        too_early = meetings.schedule_meeting(
            uow, panel_id, on=MEETING_DAY + timedelta(days=7), start=time(9, 30)
        )
        first_after = meetings.schedule_meeting(
            uow, panel_id, on=MEETING_DAY + timedelta(days=21), start=time(9, 30)
        )
        meetings.schedule_meeting(
            uow, panel_id, on=MEETING_DAY + timedelta(days=35), start=time(9, 30)
        )
    item = _add_item(store, meeting_id, received=MEETING_DAY - timedelta(days=5))
    _attend(store, meeting_id, ids)
    _defer(store, item, return_date=MEETING_DAY + timedelta(days=14))
    with store.read() as session:
        carried = session.scalars(
            select(AgendaItem).where(AgendaItem.carried_from_item_id == item)
        ).all()
        assert [c.meeting_id for c in carried] == [first_after]
        assert carried[0].case_id == session.get(AgendaItem, item).case_id
        assert not session.scalars(
            select(AgendaItem).where(AgendaItem.meeting_id == too_early)
        ).all()


def test_a_deferred_case_waits_and_joins_the_next_meeting_scheduled_after_its_return_date(
    store, panel
):
    panel_id, meeting_id, ids = panel
    item = _add_item(store, meeting_id, received=MEETING_DAY - timedelta(days=5))
    _attend(store, meeting_id, ids)
    _defer(store, item, return_date=MEETING_DAY + timedelta(days=14))
    with UnitOfWork(store, "ops officer") as uow:
        assert [d.agenda_item_id for d in meetings.waiting_deferrals(uow, panel_id)] == [item]
        early = meetings.schedule_meeting(
            uow, panel_id, on=MEETING_DAY + timedelta(days=10), start=time(9, 30)
        )
        later = meetings.schedule_meeting(
            uow, panel_id, on=MEETING_DAY + timedelta(days=28), start=time(9, 30)
        )
    with store.read() as session:
        assert not session.get(AgendaItem, item).meeting.id == early
        carried = session.scalars(
            select(AgendaItem).where(AgendaItem.carried_from_item_id == item)
        ).all()
        assert [c.meeting_id for c in carried] == [later]


def test_a_meeting_cannot_close_with_undecided_items(store, panel):
    _, meeting_id, ids = panel
    first = _add_item(store, meeting_id)
    _add_item(store, meeting_id)
    _attend(store, meeting_id, ids)
    _decide(store, first)
    with UnitOfWork(store, "minute taker") as uow, pytest.raises(PanelappError, match="Items 2"):
        meetings.close_meeting(uow, meeting_id)


def test_decisions_need_the_meeting_started_and_a_decided_item_must_be_reopened_to_change(
    store, panel
):
    _, meeting_id, ids = panel
    item = _add_item(store, meeting_id)
    with pytest.raises(PanelappError, match="Start the meeting"):
        _decide(store, item)
    _attend(store, meeting_id, ids)
    _decide(store, item)
    with pytest.raises(PanelappError, match="already decided"):
        _decide(store, item, outcome=Outcome.DECLINE_TO_ASSESS)
    with UnitOfWork(store, "chair") as uow:
        decisions.reopen_item(uow, item, reason="Outcome recorded in error")
    _decide(store, item, outcome=Outcome.DECLINE_TO_ASSESS, rationale="Needs met at SEN support.")
    with store.read() as session:
        row = session.scalar(select(DecisionRow).where(DecisionRow.agenda_item_id == item))
        assert row.outcome == Outcome.DECLINE_TO_ASSESS


def test_the_demo_meeting_has_the_declared_interest_the_vice_chaired_case_and_the_deferral(
    store, demo
):
    with store.read() as session:
        view = meeting_view(session, demo.meeting_id, NamingMode.FULL)
        next_items = session.scalars(
            select(AgendaItem).where(AgendaItem.meeting_id == demo.next_meeting_id)
        ).all()
    assert len(view.items) == 12
    statuses = [i.status for i in view.items]
    assert statuses.count(ItemStatus.DECIDED) == 11
    assert statuses.count(ItemStatus.DEFERRED) == 1
    top_up = next(i for i in view.items if i.request_type is RequestType.TOP_UP)
    assert top_up.withdrawn == ("Tom Ashworth",)
    placement = next(i for i in view.items if i.request_type is RequestType.PLACEMENT)
    assert placement.chaired_by == "David Okafor"
    deferred = next(i for i in view.items if i.status is ItemStatus.DEFERRED)
    assert deferred.timescale_risk
    # The deferred case came back by itself, first on the next agenda; three new cases follow.
    assert [n.carried_from_item_id for n in next_items] == [deferred.item_id, None, None, None]
    declaration = next(d for d in view.declarations if d.member_name == "Tom Ashworth")
    assert declaration.left_at == time(11, 5) and declaration.returned_at == time(11, 20)
    assert view.items[0].child == "Oliver Grant (NB-24-0311)"
