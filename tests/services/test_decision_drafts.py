"""The decision travels as one domain value (``DecisionDraft``) from the form to the row and
back to the minutes; the older keyword calling form of ``record_decision`` still works."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from panelapp.domain.errors import RuleViolation
from panelapp.domain.outcomes import DECISION_FIELDS, DecisionDraft
from panelapp.domain.vocabulary import NamingMode, Outcome, RequestType
from panelapp.services import decisions
from panelapp.services.meeting_view import meeting_view
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import DecisionRow
from tests.services.test_meeting_services import _add_item, _attend, panel  # noqa: F401

START = date(2026, 4, 1)


def _top_up() -> DecisionDraft:
    return DecisionDraft(
        request_type=RequestType.TOP_UP,
        outcome=Outcome.AGREE_BAND_OVERRIDE,
        rationale="  Needs exceed band C.  ",
        amount_pence=1_234_567,
        band="D",
        band_override_reason="One to one support all day",
        start_date=START,
        review_date=START + timedelta(days=180),
    )


def test_a_draft_and_the_same_fields_as_keywords_record_the_same_decision(store, panel):  # noqa: F811
    _, meeting_id, ids = panel
    by_draft = _add_item(store, meeting_id, RequestType.TOP_UP)
    by_keywords = _add_item(store, meeting_id, RequestType.TOP_UP)
    _attend(store, meeting_id, ids)
    draft = _top_up()
    with UnitOfWork(store, "minute taker") as uow:
        decisions.record_decision(uow, by_draft, draft)
        decisions.record_decision(uow, by_keywords, **draft.as_fields())
    with store.read() as session:
        rows = {r.agenda_item_id: r for r in session.scalars(select(DecisionRow))}
        assert rows[by_draft].rationale == "Needs exceed band C."
        for name in DECISION_FIELDS:
            assert getattr(rows[by_draft], name) == getattr(rows[by_keywords], name), name
        view = meeting_view(session, meeting_id, NamingMode.FULL)
    shown = next(i for i in view.items if i.item_id == by_draft).decision
    assert shown.amount_pence == 1_234_567 and shown.band == "D"
    assert shown.band_override_reason == "One to one support all day"
    assert shown.chaired_by_id == ids["chair"]


def test_a_draft_is_judged_against_the_request_type_the_case_has_now(store, panel):  # noqa: F811
    """A form opened before the case's request type was corrected cannot slip an outcome of
    the old type past the rules."""
    _, meeting_id, ids = panel
    item = _add_item(store, meeting_id, RequestType.ASSESSMENT_REQUEST)
    _attend(store, meeting_id, ids)
    stale = _top_up()
    with pytest.raises(RuleViolation) as refused, UnitOfWork(store, "minute taker") as uow:
        decisions.record_decision(uow, item, stale)
    assert "is not an outcome for a case of type" in str(refused.value)


def test_keyword_callers_still_get_pythons_errors_for_a_wrong_call(store, panel):  # noqa: F811
    _, meeting_id, ids = panel
    item = _add_item(store, meeting_id)
    _attend(store, meeting_id, ids)
    with UnitOfWork(store, "minute taker") as uow:
        with pytest.raises(TypeError):
            decisions.record_decision(uow, item, rationale="No outcome given")
        with pytest.raises(TypeError):
            decisions.record_decision(
                uow, item, outcome=Outcome.AGREE_TO_ASSESS, rationale="x", amount=5
            )


_text = st.none() | st.text(min_size=1, max_size=30).filter(str.strip)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    outcome=st.sampled_from(list(Outcome)),
    rationale=st.text(min_size=1, max_size=40).filter(lambda t: t == t.strip() and t),
    amount=st.none() | st.integers(0, 10**9),
    band=_text,
    reason=_text,
    setting_=_text,
    start=st.none() | st.dates(),
    review=st.none() | st.dates(),
    hours=st.none() | st.floats(0.5, 40),
    sections=_text,
    request_type=st.sampled_from(list(RequestType)),
)
def test_a_row_made_from_a_draft_gives_back_the_same_draft(
    outcome, rationale, amount, band, reason, setting_, start, review, hours, sections, request_type
):
    draft = DecisionDraft(
        request_type=request_type,
        outcome=outcome,
        rationale=rationale,
        amount_pence=amount,
        band=band,
        band_override_reason=reason,
        setting=setting_,
        start_date=start,
        review_date=review,
        hours_per_week=hours,
        sections_amended=sections,
    )
    row = DecisionRow.from_draft(draft, agenda_item_id=1)
    assert row.outcome == outcome.value
    assert row.draft(request_type) == draft
    assert DecisionDraft.from_fields(request_type, draft.as_fields()) == draft
