"""R7, R8: a deferral records why, what, who and when; late deferrals need a reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from panelapp.domain.deferrals import DeferralDraft, relist_date, validate_deferral
from panelapp.domain.errors import RuleViolation

DEFERRAL = DeferralDraft(
    reason="No costed provision map.",
    information_required="Costed provision map and speech and language report.",
    provider="SENCo at the pupil's school",
    return_date=date(2026, 2, 5),
    deferred_on=date(2026, 1, 22),
    statutory_due=date(2026, 2, 16),
)


def refusal(draft: DeferralDraft, rule: str) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        validate_deferral(draft)
    assert caught.value.rule == rule
    return caught.value


def test_a_complete_deferral_within_the_statutory_time_is_not_a_risk():
    assessment = validate_deferral(DEFERRAL)

    assert not assessment.timescale_risk
    assert assessment.days_past_due == 0


def test_a_deferral_of_a_case_with_no_statutory_clock_is_not_a_risk():
    assessment = validate_deferral(
        replace(DEFERRAL, return_date=date(2026, 9, 1), statutory_due=None)
    )

    assert not assessment.timescale_risk


@pytest.mark.parametrize(
    ("field", "named"),
    [
        ("reason", "the reason for deferring"),
        ("information_required", "the information or action required"),
        ("provider", "who will provide it"),
    ],
)
@pytest.mark.parametrize("blank", ["", "   "])
def test_a_deferral_needs_a_reason_what_is_required_and_who_provides_it(field, named, blank):
    error = refusal(replace(DEFERRAL, **{field: blank}), "R7")

    assert named in error.message


def test_every_missing_deferral_detail_is_named_at_once():
    error = refusal(replace(DEFERRAL, reason="", information_required="", provider=""), "R7")

    assert error.message.startswith(
        "A deferral needs the reason for deferring, the information or action required "
        "and who will provide it."
    )


@pytest.mark.parametrize("return_date", [date(2026, 1, 22), date(2026, 1, 1)])
def test_the_return_date_must_be_after_the_day_of_deferral(return_date):
    error = refusal(replace(DEFERRAL, return_date=return_date), "R7")

    assert "22 January 2026" in error.message
    assert "Choose a later return date" in error.message


def test_returning_after_the_statutory_due_date_without_a_reason_is_refused():
    late = replace(DEFERRAL, return_date=date(2026, 2, 28))

    error = refusal(late, "R8")

    assert "16 February 2026" in error.message
    assert "12 days after" in error.message
    assert "Record the reason" in error.message


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_a_blank_past_due_reason_does_not_count_as_a_reason(blank):
    refusal(replace(DEFERRAL, return_date=date(2026, 2, 17), past_due_reason=blank), "R8")


def test_one_day_past_due_is_worded_in_the_singular():
    error = refusal(replace(DEFERRAL, return_date=date(2026, 2, 17)), "R8")

    assert "is 1 day after" in error.message


def test_returning_after_the_statutory_due_date_with_a_reason_is_shown_as_a_timescale_risk():
    late = replace(
        DEFERRAL,
        return_date=date(2026, 2, 28),
        past_due_reason="Parents asked for time to obtain a private EP report.",
    )

    assessment = validate_deferral(late)

    assert assessment.timescale_risk
    assert assessment.days_past_due == 12


def test_returning_on_the_due_date_itself_is_still_in_time():
    assessment = validate_deferral(replace(DEFERRAL, return_date=date(2026, 2, 16)))

    assert not assessment.timescale_risk


MEETINGS = [date(2026, 3, 5), date(2026, 2, 5), date(2026, 2, 19)]


def test_deferred_case_returns_to_the_first_meeting_on_or_after_its_return_date():
    assert relist_date(date(2026, 2, 10), MEETINGS) == date(2026, 2, 19)


def test_a_meeting_on_the_return_date_itself_takes_the_case():
    assert relist_date(date(2026, 2, 19), MEETINGS) == date(2026, 2, 19)


def test_earlier_meetings_are_never_chosen():
    assert relist_date(date(2026, 2, 6), MEETINGS) != date(2026, 2, 5)


def test_with_no_meeting_scheduled_after_the_return_date_the_case_waits_to_be_relisted():
    assert relist_date(date(2026, 3, 6), MEETINGS) is None
    assert relist_date(date(2026, 3, 6), []) is None
