"""R6: a decision has an outcome from its request type's vocabulary, a rationale and,
where they apply, amount, band, setting and dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from panelapp.domain.errors import RuleViolation
from panelapp.domain.outcomes import DecisionDraft, format_pounds, validate_decision
from panelapp.domain.vocabulary import OUTCOMES, Outcome, RequestType

RT = RequestType
START = date(2026, 4, 13)


def complete(request_type: RequestType, outcome: Outcome) -> DecisionDraft:
    """A draft with every detail filled in, so each test can remove one."""
    return DecisionDraft(
        request_type=request_type,
        outcome=outcome,
        rationale="Needs cannot be met from ordinarily available provision.",
        amount_pence=1_200_000,
        band="C",
        band_override_reason="Two-to-one support at lunchtime not covered by band C.",
        setting="Oakfield Special School",
        start_date=date(2026, 4, 13),
        review_date=date(2026, 7, 17),
        hours_per_week=15.0,
        sections_amended="B, F and I",
    )


def bare(request_type: RequestType, outcome: Outcome, **details) -> DecisionDraft:
    """A draft with only a rationale plus the given details."""
    return DecisionDraft(request_type, outcome, "Agreed by the panel.", **details)


def refusal(draft: DecisionDraft) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        validate_decision(draft)
    assert caught.value.rule == "R6"
    return caught.value


ALLOWED = [(rt, outcome) for rt, outcomes in OUTCOMES.items() for outcome in outcomes]
NOT_ALLOWED = [
    (rt, outcome) for rt in RequestType for outcome in Outcome if outcome not in OUTCOMES[rt]
]


@pytest.mark.parametrize(("request_type", "outcome"), ALLOWED)
def test_every_outcome_in_the_vocabulary_of_its_request_type_can_be_recorded(request_type, outcome):
    validate_decision(complete(request_type, outcome))


@pytest.mark.parametrize(("request_type", "outcome"), NOT_ALLOWED)
def test_an_outcome_from_another_request_types_vocabulary_is_refused(request_type, outcome):
    refusal(complete(request_type, outcome))


def test_refused_outcome_message_lists_the_allowed_outcomes_and_points_to_deferral():
    error = refusal(complete(RT.ASSESSMENT_REQUEST, Outcome.ISSUE_PLAN))

    assert "Agree to assess" in error.message
    assert "Decline to assess" in error.message
    assert "deferral" in error.message
    assert "Issue an EHC plan" in error.message


def test_every_request_type_has_an_outcome_vocabulary():
    assert set(OUTCOMES) == set(RequestType)


@pytest.mark.parametrize("rationale", ["", "   ", "\n"])
def test_a_decision_without_a_rationale_is_refused(rationale):
    error = refusal(replace(complete(RT.CARE_PACKAGE, Outcome.DECLINE), rationale=rationale))

    assert "reasons for the decision" in error.message


def test_a_decline_needs_nothing_but_a_rationale():
    validate_decision(bare(RT.ASSESSMENT_REQUEST, Outcome.DECLINE_TO_ASSESS))
    validate_decision(bare(RT.TOP_UP, Outcome.DECLINE))
    validate_decision(bare(RT.PLACEMENT, Outcome.AGREE_TO_CONSULT))
    validate_decision(bare(RT.ANNUAL_REVIEW, Outcome.MAINTAIN))


def test_agreeing_a_top_up_band_needs_the_band_and_the_amount():
    assert "the band" in refusal(bare(RT.TOP_UP, Outcome.AGREE_BAND, amount_pence=500_000)).message
    assert "the amount" in refusal(bare(RT.TOP_UP, Outcome.AGREE_BAND, band="C")).message
    assert "the band, the amount" in refusal(bare(RT.TOP_UP, Outcome.AGREE_BAND)).message
    validate_decision(
        bare(RT.TOP_UP, Outcome.AGREE_BAND, band="C", amount_pence=500_000, start_date=START)
    )


def test_a_band_override_needs_a_reason():
    draft = bare(RT.TOP_UP, Outcome.AGREE_BAND_OVERRIDE, band="D", amount_pence=900_000)

    error = refusal(draft)
    assert "reason for overriding the band" in error.message
    refusal(replace(draft, band_override_reason="  "))
    validate_decision(
        replace(draft, band_override_reason="Needs exceed band C descriptors.", start_date=START)
    )


def test_a_band_override_still_needs_the_band_and_the_amount():
    draft = bare(RT.TOP_UP, Outcome.AGREE_BAND_OVERRIDE, band_override_reason="Complex needs.")

    error = refusal(draft)
    assert "the band agreed" in error.message
    assert "the amount" in error.message


def test_agreeing_a_personal_budget_needs_the_amount_per_year():
    error = refusal(bare(RT.PERSONAL_BUDGET, Outcome.AGREE))

    assert "amount per year" in error.message
    validate_decision(
        bare(RT.PERSONAL_BUDGET, Outcome.AGREE, amount_pence=360_000, start_date=START)
    )


def test_agreeing_a_placement_needs_the_setting_and_the_cost_per_place():
    assert (
        "setting named"
        in refusal(bare(RT.PLACEMENT, Outcome.AGREE, amount_pence=4_500_000)).message
    )
    assert (
        "cost per place"
        in refusal(bare(RT.PLACEMENT, Outcome.AGREE, setting="Oakfield Special School")).message
    )
    validate_decision(
        bare(
            RT.PLACEMENT,
            Outcome.AGREE,
            setting="Oakfield",
            amount_pence=4_500_000,
            start_date=START,
        )
    )


@pytest.mark.parametrize(
    ("request_type", "outcome", "details"),
    [
        (RT.TOP_UP, Outcome.AGREE_BAND, {"band": "C", "amount_pence": 500_000}),
        (
            RT.TOP_UP,
            Outcome.AGREE_BAND_OVERRIDE,
            {"band": "D", "amount_pence": 900_000, "band_override_reason": "Complex needs."},
        ),
        (RT.PERSONAL_BUDGET, Outcome.AGREE, {"amount_pence": 360_000}),
        (RT.PLACEMENT, Outcome.AGREE, {"setting": "Oakfield", "amount_pence": 4_500_000}),
        (RT.ANNUAL_REVIEW, Outcome.AMEND, {"sections_amended": "F", "amount_pence": 1_245_000}),
    ],
)
def test_money_agreed_without_a_start_date_is_refused(request_type, outcome, details):
    error = refusal(bare(request_type, outcome, **details))

    assert "needs the start date" in error.message
    validate_decision(bare(request_type, outcome, start_date=START, **details))


@pytest.mark.parametrize("outcome", [Outcome.NAME_SETTING, Outcome.NAME_SETTING_TYPE])
def test_a_phase_transfer_decision_names_a_setting_or_type_of_setting(outcome):
    refusal(bare(RT.PHASE_TRANSFER, outcome))
    refusal(bare(RT.PHASE_TRANSFER, outcome, setting=" "))
    validate_decision(bare(RT.PHASE_TRANSFER, outcome, setting="Mainstream secondary"))


def test_agreeing_alternative_provision_needs_hours_per_week_and_a_review_date():
    error = refusal(bare(RT.ALTERNATIVE_PROVISION, Outcome.AGREE))

    assert "the hours per week and the review date" in error.message
    refusal(bare(RT.ALTERNATIVE_PROVISION, Outcome.AGREE, hours_per_week=10))
    refusal(bare(RT.ALTERNATIVE_PROVISION, Outcome.AGREE, review_date=date(2026, 6, 1)))
    validate_decision(
        bare(
            RT.ALTERNATIVE_PROVISION, Outcome.AGREE, hours_per_week=10, review_date=date(2026, 6, 1)
        )
    )


def test_alternative_provision_of_zero_hours_is_refused():
    refusal(
        bare(
            RT.ALTERNATIVE_PROVISION, Outcome.AGREE, hours_per_week=0, review_date=date(2026, 6, 1)
        )
    )


def test_amending_a_plan_after_annual_review_names_the_sections_amended():
    error = refusal(bare(RT.ANNUAL_REVIEW, Outcome.AMEND))

    assert "sections of the plan" in error.message
    validate_decision(bare(RT.ANNUAL_REVIEW, Outcome.AMEND, sections_amended="F"))


def test_a_negative_amount_is_refused():
    error = refusal(bare(RT.PERSONAL_BUDGET, Outcome.AGREE, amount_pence=-100))

    assert "negative" in error.message


def test_a_review_date_before_the_start_date_is_refused():
    draft = complete(RT.ALTERNATIVE_PROVISION, Outcome.AGREE)

    error = refusal(replace(draft, start_date=date(2026, 4, 13), review_date=date(2026, 4, 12)))
    assert "12 April 2026" in error.message
    assert "13 April 2026" in error.message
    validate_decision(replace(draft, start_date=date(2026, 4, 13), review_date=date(2026, 4, 13)))


def test_refusal_speaks_plain_words_and_keeps_the_rule_for_the_log():
    error = refusal(bare(RT.PERSONAL_BUDGET, Outcome.AGREE))
    assert error.rule == "R6"
    assert "R6" not in str(error) and "amount per year" in str(error)


@pytest.mark.parametrize(
    ("pence", "shown"),
    [
        (1_234_500, "£12,345.00"),
        (600_000, "£6,000.00"),
        (123_456_789, "£1,234,567.89"),
        (5, "£0.05"),
        (0, "£0.00"),
        (-2_550, "-£25.50"),
    ],
)
def test_amounts_are_shown_in_pounds_and_pence(pence, shown):
    assert format_pounds(pence) == shown
