"""Property tests: every statutory date the domain computes is the Regulations' arithmetic,
for any dates (Hypothesis generates them), and no exception ever moves a due date."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from panelapp.domain.deadlines import (
    ClockException,
    add_months,
    appeal_deadline,
    clock_for,
    post16_transfer_due,
)
from panelapp.domain.errors import RuleViolation
from panelapp.domain.late_papers import PaperDeadlineRule, is_working_day, paper_deadline
from panelapp.domain.vocabulary import ExceptionKind, RequestType

DATES = st.dates(min_value=date(2015, 1, 1), max_value=date(2045, 12, 31))
YEARS = st.integers(min_value=2015, max_value=2045)

#: days from the date the clock runs from, as the Regulations count them (R10, R11, R15, R13)
DECISION_DAYS = {
    RequestType.ASSESSMENT_REQUEST: 6 * 7,
    RequestType.POST_ASSESSMENT: 16 * 7,
    RequestType.REASSESSMENT: 15,
    RequestType.ANNUAL_REVIEW: 4 * 7,
}


@given(received=DATES, request_type=st.sampled_from(sorted(DECISION_DAYS)))
def test_each_decision_is_due_its_number_of_days_after_the_clock_starts(received, request_type):
    clock = clock_for(request_type, received, review_meeting=received)

    assert clock.start == received
    assert (clock.due - received).days == DECISION_DAYS[request_type]


@given(
    received=DATES,
    request_type=st.sampled_from([RequestType.ASSESSMENT_REQUEST, RequestType.POST_ASSESSMENT]),
)
def test_the_final_plan_is_20_weeks_on_and_the_draft_15_days_before_it(received, request_type):
    dates = {m.label: m.due for m in clock_for(request_type, received).milestones}

    final = received + timedelta(weeks=20)
    assert dates["Final EHC plan (20 weeks from the request)"] == final
    assert dates["Draft EHC plan at the latest (15 days before the final plan)"] == (
        final - timedelta(days=15)
    )


@given(review=DATES, gap=st.integers(min_value=0, max_value=120))
def test_the_amended_plan_is_due_8_weeks_after_proposals_and_never_after_12_weeks(review, gap):
    proposals = review + timedelta(days=gap)
    clock = clock_for(
        RequestType.ANNUAL_REVIEW, review, review_meeting=review, proposals_sent=proposals
    )
    first, latest = clock.milestones

    assert latest.due == review + timedelta(weeks=12)
    assert first.due == min(proposals + timedelta(weeks=8), review + timedelta(weeks=12))
    assert first.due <= latest.due


@given(received=DATES, year=YEARS, post16=st.booleans())
def test_a_phase_transfer_is_due_the_day_before_15_february_or_31_march(received, year, post16):
    clock = clock_for(RequestType.PHASE_TRANSFER, received, transfer_year=year, post16=post16)

    before = date(year, 3, 31) if post16 else date(year, 2, 15)
    assert clock.due < before
    assert clock.due + timedelta(days=1) == before


@given(transfer=DATES)
def test_a_post16_move_is_due_the_same_day_five_months_before_it_or_that_months_end(transfer):
    due = post16_transfer_due(transfer)

    assert add_months(due, 5) <= transfer  # at least five months before
    assert (transfer.year * 12 + transfer.month) - (due.year * 12 + due.month) == 5
    month_end = calendar.monthrange(due.year, due.month)[1]
    assert due.day == min(transfer.day, month_end)


@given(letter=DATES, mediation=st.none() | DATES)
def test_the_appeal_deadline_is_the_later_of_two_months_and_one_after_mediation(letter, mediation):
    deadline = appeal_deadline(letter, mediation)

    expected = add_months(letter, 2)
    if mediation is not None:
        expected = max(expected, add_months(mediation, 1))
    assert deadline == expected
    assert deadline >= letter


@given(start=DATES, months=st.integers(min_value=-24, max_value=24))
def test_adding_months_lands_in_the_right_month_on_the_same_day_or_the_months_end(start, months):
    result = add_months(start, months)

    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day == start.day or (
        result.day < start.day and (result + timedelta(days=1)).month != result.month
    )


@given(
    received=DATES,
    kind=st.sampled_from(list(ExceptionKind)),
    offset=st.integers(min_value=-60, max_value=60),
    length=st.integers(min_value=1, max_value=70),
    done=st.integers(min_value=0, max_value=120),
)
def test_an_exception_never_moves_the_due_date_and_timeliness_is_read_both_ways(
    received, kind, offset, length, done
):
    clock = clock_for(RequestType.ASSESSMENT_REQUEST, received)
    exception = ClockException(
        kind, received + timedelta(days=offset), received + timedelta(days=offset + length - 1)
    )
    try:
        with_exc = clock.with_exception(exception)
    except RuleViolation:
        four_weeks = kind is ExceptionKind.PERSONAL_CIRCUMSTANCES or length >= 28
        inside = exception.end >= clock.start and exception.start <= clock.due
        assert not (four_weeks and inside)  # refused only when it cannot apply
        return
    done_on = received + timedelta(days=done)
    result = with_exc.timeliness(done_on)

    assert with_exc.due == clock.due == received + timedelta(days=42)
    assert result.met == (done_on <= clock.due)
    assert with_exc.met_by(done_on, with_exceptions=False) == result.met
    assert with_exc.met_by(done_on, with_exceptions=True)  # met, or excused by the exception
    assert (
        result.label() == "Met"
        if result.met
        else result.label().startswith("Missed (exception applies: ")
    )


@given(
    meeting=DATES,
    days=st.integers(min_value=0, max_value=10),
    working=st.booleans(),
    holidays=st.sets(DATES, max_size=30),
)
def test_the_paper_deadline_is_that_many_calendar_or_working_days_before(
    meeting, days, working, holidays
):
    rule = PaperDeadlineRule(days=days, working_days=working, bank_holidays=frozenset(holidays))
    deadline = paper_deadline(meeting, rule)

    if not working:
        assert (meeting - deadline).days == days
        return
    between = [deadline + timedelta(days=n) for n in range((meeting - deadline).days)]
    assert sum(is_working_day(d, holidays) for d in between) == days
    if days:
        assert is_working_day(deadline, holidays)
