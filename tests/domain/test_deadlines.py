"""R10-R16: statutory due dates (calendar days, the due date is the last allowed day),
exceptions that extend a clock while the original date stays visible, appeal deadlines."""

from __future__ import annotations

from datetime import date

import pytest

from panelapp.domain.deadlines import (
    ClockException,
    StatutoryClock,
    add_months,
    amended_plan_final_due,
    annual_review_decision_due,
    appeal_deadline,
    assessment_decision_due,
    clock_for,
    draft_plan_latest,
    final_plan_due,
    no_plan_decision_due,
    phase_transfer_due,
    reassessment_decision_due,
)
from panelapp.domain.errors import RuleViolation
from panelapp.domain.vocabulary import ExceptionKind, RequestType

RECEIVED = date(2026, 1, 5)


# --- due dates --------------------------------------------------------------------------


def test_decision_whether_to_assess_is_due_six_weeks_after_the_request():
    assert assessment_decision_due(RECEIVED) == date(2026, 2, 16)


def test_decision_not_to_issue_a_plan_is_due_sixteen_weeks_after_the_request():
    assert no_plan_decision_due(RECEIVED) == date(2026, 4, 27)


def test_final_plan_is_due_twenty_weeks_after_the_request():
    assert final_plan_due(RECEIVED) == date(2026, 5, 25)


def test_draft_plan_is_due_at_the_latest_fifteen_days_before_the_final_plan():
    assert draft_plan_latest(RECEIVED) == date(2026, 5, 10)


def test_reassessment_decision_is_due_fifteen_days_after_the_request():
    assert reassessment_decision_due(RECEIVED) == date(2026, 1, 20)


def test_annual_review_decision_is_due_four_weeks_after_the_review_meeting():
    assert annual_review_decision_due(date(2026, 3, 10)) == date(2026, 4, 7)


def test_amended_plan_is_final_eight_weeks_after_the_proposals():
    assert amended_plan_final_due(date(2026, 3, 20), date(2026, 3, 10)) == date(2026, 5, 15)


def test_amended_plan_is_final_no_later_than_twelve_weeks_after_the_review_meeting():
    assert amended_plan_final_due(date(2026, 4, 20), date(2026, 3, 10)) == date(2026, 6, 2)


def test_phase_transfer_setting_is_named_by_15_february_of_the_transfer_year():
    assert phase_transfer_due(2027, post16=False) == date(2027, 2, 15)


def test_secondary_to_post16_transfer_setting_is_named_by_31_march():
    assert phase_transfer_due(2027, post16=True) == date(2027, 3, 31)


# --- appeals (R16) and month arithmetic -------------------------------------------------


def test_appeal_deadline_is_two_months_after_the_decision_letter():
    assert appeal_deadline(date(2026, 1, 10)) == date(2026, 3, 10)


def test_appeal_deadline_from_31_december_ends_on_the_last_day_of_february():
    assert appeal_deadline(date(2026, 12, 31)) == date(2027, 2, 28)


def test_appeal_deadline_in_a_leap_year_ends_on_29_february():
    assert appeal_deadline(date(2027, 12, 31)) == date(2028, 2, 29)


def test_a_later_mediation_certificate_gives_one_month_from_the_certificate():
    assert appeal_deadline(date(2026, 1, 10), date(2026, 3, 1)) == date(2026, 4, 1)


def test_an_early_mediation_certificate_never_shortens_the_two_months():
    assert appeal_deadline(date(2026, 1, 10), date(2026, 1, 20)) == date(2026, 3, 10)


def test_mediation_certificate_month_is_also_clamped_in_a_leap_year():
    assert appeal_deadline(date(2027, 12, 1), date(2028, 1, 31)) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 5), 0, date(2026, 5, 5)),
    ],
)
def test_adding_months_keeps_the_day_or_falls_back_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


# --- clocks and exceptions (R12) --------------------------------------------------------


def assessment_clock(*exceptions: ClockException) -> StatutoryClock:
    return StatutoryClock("Decision whether to assess", "R10", RECEIVED,
                          assessment_decision_due(RECEIVED), exceptions)


def closure(start: date, end: date) -> ClockException:
    return ClockException(ExceptionKind.SETTING_CLOSED, start, end, "School closed")


def test_a_clock_without_exceptions_is_due_on_its_statutory_date():
    clock = assessment_clock()

    assert clock.extended_due == clock.due == date(2026, 2, 16)


def test_an_exception_extends_the_clock_while_the_original_due_date_stays_visible():
    clock = assessment_clock(closure(date(2026, 1, 10), date(2026, 1, 19)))

    assert clock.due == date(2026, 2, 16)
    assert clock.extended_due == date(2026, 2, 26)


def test_timeliness_is_reported_both_with_and_without_exceptions():
    clock = assessment_clock(closure(date(2026, 1, 10), date(2026, 1, 19)))

    assert clock.met_by(date(2026, 2, 20), with_exceptions=True)
    assert not clock.met_by(date(2026, 2, 20), with_exceptions=False)


def test_a_decision_on_the_due_date_itself_is_in_time():
    clock = assessment_clock()

    assert clock.met_by(date(2026, 2, 16), with_exceptions=False)
    assert not clock.met_by(date(2026, 2, 17), with_exceptions=False)


def test_overlapping_exceptions_do_not_count_the_same_days_twice():
    clock = assessment_clock(
        ClockException(ExceptionKind.FAMILY_AWAY, date(2026, 1, 1), date(2026, 1, 10)),
        ClockException(ExceptionKind.PERSONAL_CIRCUMSTANCES, date(2026, 1, 5), date(2026, 1, 14)),
    )

    assert clock.extended_due == date(2026, 3, 2)  # 14 distinct days, not 20


def test_an_exception_inside_another_adds_nothing():
    clock = assessment_clock(closure(date(2026, 1, 1), date(2026, 1, 20)),
                             closure(date(2026, 1, 5), date(2026, 1, 10)))

    assert clock.exception_days == 20


def test_back_to_back_exceptions_each_count_in_full():
    clock = assessment_clock(closure(date(2026, 1, 11), date(2026, 1, 20)),
                             closure(date(2026, 1, 1), date(2026, 1, 10)))

    assert clock.exception_days == 20


def test_a_one_day_exception_extends_the_clock_by_one_day():
    clock = assessment_clock(closure(date(2026, 1, 12), date(2026, 1, 12)))

    assert clock.extended_due == date(2026, 2, 17)


def test_an_exception_that_ends_before_it_starts_is_refused():
    with pytest.raises(RuleViolation) as caught:
        closure(date(2026, 1, 20), date(2026, 1, 10))

    assert caught.value.rule == "R12"
    assert "Check the dates" in caught.value.message


def test_adding_an_exception_keeps_the_earlier_ones_and_the_original_due_date():
    clock = assessment_clock(closure(date(2026, 1, 1), date(2026, 1, 5)))

    later = clock.with_exception(closure(date(2026, 1, 20), date(2026, 1, 24)))

    assert len(later.exceptions) == 2
    assert later.due == date(2026, 2, 16)
    assert later.extended_due == date(2026, 2, 26)
    assert clock.extended_due == date(2026, 2, 21)


def test_days_left_counts_down_to_zero_on_the_due_date_and_goes_negative_after():
    clock = assessment_clock()

    assert clock.days_left(date(2026, 2, 6)) == 10
    assert clock.days_left(date(2026, 2, 16)) == 0
    assert not clock.is_overdue(date(2026, 2, 16))
    assert clock.days_left(date(2026, 2, 18)) == -2
    assert clock.is_overdue(date(2026, 2, 17))


def test_a_case_can_be_overdue_without_exceptions_but_in_time_with_them():
    clock = assessment_clock(closure(date(2026, 1, 10), date(2026, 1, 19)))
    today = date(2026, 2, 20)

    assert clock.is_overdue(today, with_exceptions=False)
    assert not clock.is_overdue(today)
    assert clock.days_left(today, with_exceptions=False) == -4
    assert clock.days_left(today, with_exceptions=True) == 6


# --- which clock governs each request type ----------------------------------------------


def test_assessment_request_runs_on_the_six_week_clock():
    clock = clock_for(RequestType.ASSESSMENT_REQUEST, RECEIVED)

    assert (clock.rule, clock.start, clock.due) == ("R10", RECEIVED, date(2026, 2, 16))


def test_decision_after_assessment_runs_on_the_sixteen_week_clock():
    clock = clock_for(RequestType.POST_ASSESSMENT, RECEIVED)

    assert (clock.rule, clock.due) == ("R11", date(2026, 4, 27))
    assert clock.name == "Decision whether to issue an EHC plan"


def test_reassessment_request_runs_on_the_fifteen_day_clock():
    clock = clock_for(RequestType.REASSESSMENT, RECEIVED)

    assert (clock.rule, clock.due) == ("R15", date(2026, 1, 20))


def test_annual_review_runs_four_weeks_from_the_review_meeting():
    clock = clock_for(RequestType.ANNUAL_REVIEW, RECEIVED, review_meeting=date(2026, 3, 10))

    assert (clock.rule, clock.start, clock.due) == ("R13", date(2026, 3, 10), date(2026, 4, 7))


def test_annual_review_without_a_meeting_date_has_no_clock_yet():
    assert clock_for(RequestType.ANNUAL_REVIEW, RECEIVED) is None


@pytest.mark.parametrize(("post16", "due"), [(False, date(2027, 2, 15)),
                                              (True, date(2027, 3, 31))])
def test_phase_transfer_runs_to_the_statutory_date_of_the_transfer_year(post16, due):
    clock = clock_for(RequestType.PHASE_TRANSFER, RECEIVED, transfer_year=2027, post16=post16)

    assert (clock.rule, clock.due) == ("R14", due)


def test_phase_transfer_without_a_transfer_year_has_no_clock_yet():
    assert clock_for(RequestType.PHASE_TRANSFER, RECEIVED) is None


@pytest.mark.parametrize(
    "request_type",
    [RequestType.PLACEMENT, RequestType.TOP_UP, RequestType.PERSONAL_BUDGET,
     RequestType.TRAVEL_ASSISTANCE, RequestType.CARE_PACKAGE,
     RequestType.ALTERNATIVE_PROVISION, RequestType.ALTERNATIVE_RESOURCES],
)
def test_requests_without_a_statutory_time_limit_have_no_clock(request_type):
    assert clock_for(request_type, RECEIVED) is None
