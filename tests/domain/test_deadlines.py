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
    clock_gap,
    draft_plan_latest,
    final_plan_due,
    no_plan_decision_due,
    phase_transfer_due,
    post16_transfer_due,
    reassessment_decision_due,
    timeliness_report,
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


def test_phase_transfer_setting_is_named_before_15_february_so_14_february_is_the_last_day():
    assert phase_transfer_due(2027, post16=False) == date(2027, 2, 14)


def test_secondary_to_post16_transfer_setting_is_named_before_31_march_so_by_30_march():
    assert phase_transfer_due(2027, post16=True) == date(2027, 3, 30)


def test_a_post16_move_at_another_time_of_year_is_settled_five_months_before_it():
    assert post16_transfer_due(date(2027, 1, 4)) == date(2026, 8, 4)
    assert post16_transfer_due(date(2027, 7, 31)) == date(2027, 2, 28)


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
    clock = clock_for(RequestType.ASSESSMENT_REQUEST, RECEIVED)
    for exc in exceptions:
        clock = clock.with_exception(exc)
    return clock


def closure(start: date, end: date) -> ClockException:
    return ClockException(ExceptionKind.SETTING_CLOSED, start, end, "School closed")


def test_a_clock_without_exceptions_is_due_on_its_statutory_date():
    clock = assessment_clock()

    assert clock.due == date(2026, 2, 16)
    assert clock.timeliness(date(2026, 2, 16)).label() == "Met"


def test_an_exception_never_moves_the_due_date_and_is_named_beside_it():
    clock = assessment_clock(closure(date(2026, 1, 10), date(2026, 2, 6)))

    assert clock.due == date(2026, 2, 16)
    late = clock.timeliness(date(2026, 2, 20))
    assert not late.met and late.excepted
    assert late.label() == (
        "Missed (exception applies: the school or early years setting closed for 4 weeks or "
        "more, 10 January 2026 to 6 February 2026)"
    )


def test_timeliness_is_reported_both_with_and_without_excepted_cases():
    clock = assessment_clock(closure(date(2026, 1, 10), date(2026, 2, 6)))

    assert clock.met_by(date(2026, 2, 20), with_exceptions=True)
    assert not clock.met_by(date(2026, 2, 20), with_exceptions=False)


def test_a_decision_on_the_due_date_itself_is_in_time():
    clock = assessment_clock()

    assert clock.met_by(date(2026, 2, 16), with_exceptions=False)
    assert not clock.met_by(date(2026, 2, 17), with_exceptions=False)
    assert clock.timeliness(date(2026, 2, 17)).label() == "Missed"


def test_an_exception_that_ends_before_it_starts_is_refused():
    with pytest.raises(RuleViolation) as caught:
        closure(date(2026, 1, 20), date(2026, 1, 10))

    assert caught.value.rule == "R12"
    assert "Check the dates" in caught.value.message


def test_a_three_day_family_away_for_four_weeks_is_refused():
    away = ClockException(ExceptionKind.FAMILY_AWAY, date(2026, 1, 12), date(2026, 1, 14))

    with pytest.raises(RuleViolation) as caught:
        assessment_clock(away)

    assert "at least four weeks (28 days)" in caught.value.message
    assert "is 3 days" in caught.value.message


def test_four_weeks_away_counting_both_ends_is_accepted():
    away = ClockException(ExceptionKind.FAMILY_AWAY, date(2026, 1, 12), date(2026, 2, 8))

    assert away.days == 28
    assert assessment_clock(away).applying_exceptions == (away,)


def test_exceptional_personal_circumstances_need_no_minimum_length():
    short = ClockException(
        ExceptionKind.PERSONAL_CIRCUMSTANCES,
        date(2026, 1, 12),
        date(2026, 1, 12),
        "Hospital admission",
    )

    assert assessment_clock(short).applying_exceptions == (short,)


def test_an_exception_outside_the_clocks_period_is_refused():
    before = closure(date(2025, 11, 1), date(2026, 1, 4))  # ends the day before the request

    with pytest.raises(RuleViolation) as caught:
        assessment_clock(before)

    assert "falls outside the period" in caught.value.message
    assert "5 January 2026" in caught.value.message and "16 February 2026" in caught.value.message


@pytest.mark.parametrize(
    ("request_type", "extra"),
    [
        (RequestType.PHASE_TRANSFER, {"transfer_year": 2027}),
        (RequestType.ANNUAL_REVIEW, {"review_meeting": date(2026, 1, 20)}),
        (RequestType.REASSESSMENT, {}),
    ],
)
def test_clocks_the_law_gives_no_exceptions_refuse_one(request_type, extra):
    clock = clock_for(request_type, RECEIVED, **extra)
    exc = ClockException(ExceptionKind.PERSONAL_CIRCUMSTANCES, RECEIVED, RECEIVED)

    with pytest.raises(RuleViolation) as caught:
        clock.with_exception(exc)

    assert "The law allows no exceptions" in caught.value.message


def test_adding_an_exception_keeps_the_earlier_ones_and_the_due_date():
    clock = assessment_clock(closure(date(2026, 1, 5), date(2026, 2, 1)))

    later = clock.with_exception(
        ClockException(ExceptionKind.PERSONAL_CIRCUMSTANCES, date(2026, 2, 5), date(2026, 2, 6))
    )

    assert len(later.exceptions) == 2
    assert later.due == clock.due == date(2026, 2, 16)


def test_days_left_counts_down_to_zero_on_the_due_date_and_goes_negative_after():
    clock = assessment_clock()

    assert clock.days_left(date(2026, 2, 6)) == 10
    assert clock.days_left(date(2026, 2, 16)) == 0
    assert not clock.is_overdue(date(2026, 2, 16))
    assert clock.days_left(date(2026, 2, 18)) == -2
    assert clock.is_overdue(date(2026, 2, 17))


def test_a_timeliness_report_gives_the_rate_with_and_without_excepted_cases():
    plain = assessment_clock()
    excused = assessment_clock(closure(date(2026, 1, 10), date(2026, 2, 6)))
    report = timeliness_report(
        [
            plain.timeliness(date(2026, 2, 10)),  # met
            plain.timeliness(date(2026, 2, 20)),  # missed
            excused.timeliness(date(2026, 2, 25)),  # missed, exception applies
        ]
    )

    assert (report.cases, report.met, report.excepted) == (3, 1, 1)
    assert (report.cases_without_excepted, report.met_without_excepted) == (2, 1)
    assert report.share_met_without_excepted == 0.5


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


def test_annual_review_without_a_meeting_date_has_no_clock_yet_and_says_why():
    assert clock_for(RequestType.ANNUAL_REVIEW, RECEIVED) is None
    assert clock_gap(RequestType.ANNUAL_REVIEW) == "review meeting date missing"


@pytest.mark.parametrize(("post16", "due"), [(False, date(2027, 2, 14)), (True, date(2027, 3, 30))])
def test_phase_transfer_runs_to_the_statutory_date_of_the_transfer_year(post16, due):
    clock = clock_for(RequestType.PHASE_TRANSFER, RECEIVED, transfer_year=2027, post16=post16)

    assert (clock.rule, clock.due) == ("R14", due)


def test_phase_transfer_without_a_transfer_year_has_no_clock_yet_and_says_why():
    assert clock_for(RequestType.PHASE_TRANSFER, RECEIVED) is None
    assert clock_gap(RequestType.PHASE_TRANSFER) == "transfer year missing"


def test_a_post16_move_at_another_time_of_year_runs_to_five_months_before_it():
    clock = clock_for(RequestType.PHASE_TRANSFER, RECEIVED, transfer_date=date(2027, 1, 4))

    assert clock.due == date(2026, 8, 4)
    assert "five months before" in clock.name


@pytest.mark.parametrize(
    "request_type",
    [
        RequestType.PLACEMENT,
        RequestType.TOP_UP,
        RequestType.PERSONAL_BUDGET,
        RequestType.TRAVEL_ASSISTANCE,
        RequestType.CARE_PACKAGE,
        RequestType.ALTERNATIVE_PROVISION,
        RequestType.ALTERNATIVE_RESOURCES,
    ],
)
def test_requests_without_a_statutory_time_limit_have_no_clock(request_type):
    assert clock_for(request_type, RECEIVED) is None
    assert clock_gap(request_type) is None
