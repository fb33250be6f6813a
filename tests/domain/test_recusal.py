"""R1-R4: declarations of interest, withdrawal, pack withholding and who chairs a case."""

from __future__ import annotations

import pytest

from panelapp.domain.errors import RuleViolation
from panelapp.domain.recusal import (
    Declaration,
    choose_chair,
    items_withheld_from_pack,
    withdrawn_from,
)

CHAIR, VICE, EP, SCHOOLS, HEALTH, MINUTES = 1, 2, 3, 4, 5, 6
PRESENT = {CHAIR, VICE, EP, SCHOOLS, HEALTH, MINUTES}
TOP_UP_CASE, PLACEMENT_CASE, OTHER_CASE = 101, 102, 103
AGENDA = [TOP_UP_CASE, PLACEMENT_CASE, OTHER_CASE]


# --- R1, R2: who leaves the meeting for a case ------------------------------------------


def test_member_who_declares_an_interest_in_a_case_withdraws_from_that_case_only():
    declarations = [Declaration(SCHOOLS, TOP_UP_CASE, "Head of the pupil's school")]

    assert withdrawn_from(TOP_UP_CASE, declarations) == {SCHOOLS}
    assert withdrawn_from(PLACEMENT_CASE, declarations) == set()


def test_declaration_on_all_items_withdraws_the_member_from_every_case():
    declarations = [Declaration(HEALTH, None, "Commissions every placement discussed today")]

    for item in AGENDA:
        assert withdrawn_from(item, declarations) == {HEALTH}


def test_several_members_can_withdraw_from_the_same_case():
    declarations = [
        Declaration(SCHOOLS, TOP_UP_CASE, "Head of the school"),
        Declaration(EP, TOP_UP_CASE, "Assessed the pupil privately"),
        Declaration(HEALTH, PLACEMENT_CASE, "Family friend"),
    ]

    assert withdrawn_from(TOP_UP_CASE, declarations) == {SCHOOLS, EP}


def test_by_default_every_declared_interest_means_leaving_even_if_marked_remained():
    declarations = [Declaration(SCHOOLS, TOP_UP_CASE, "Knows the family", withdraws=False)]

    assert withdrawn_from(TOP_UP_CASE, declarations) == {SCHOOLS}


def test_panel_that_allows_declared_remained_keeps_the_member_in_for_a_lesser_interest():
    declarations = [Declaration(SCHOOLS, TOP_UP_CASE, "Knows the family", withdraws=False)]

    assert withdrawn_from(TOP_UP_CASE, declarations, allow_declared_remained=True) == set()


def test_declared_remained_setting_still_withdraws_members_whose_interest_requires_it():
    declarations = [
        Declaration(SCHOOLS, TOP_UP_CASE, "Knows the family", withdraws=False),
        Declaration(EP, TOP_UP_CASE, "Parent of a pupil in the same class"),
    ]

    assert withdrawn_from(TOP_UP_CASE, declarations, allow_declared_remained=True) == {EP}


def test_any_withdrawing_declaration_outweighs_a_remained_one_for_the_same_member():
    declarations = [
        Declaration(SCHOOLS, None, "Governor of a local school", withdraws=False),
        Declaration(SCHOOLS, TOP_UP_CASE, "Head of this pupil's school"),
    ]

    assert withdrawn_from(TOP_UP_CASE, declarations, allow_declared_remained=True) == {SCHOOLS}
    assert withdrawn_from(OTHER_CASE, declarations, allow_declared_remained=True) == set()


# --- R3: papers withheld from the pack --------------------------------------------------


def test_member_who_declared_before_the_meeting_does_not_get_that_case_in_their_pack():
    declarations = [Declaration(SCHOOLS, TOP_UP_CASE, "Head of the school", before_meeting=True)]

    assert items_withheld_from_pack(SCHOOLS, declarations, AGENDA) == {TOP_UP_CASE}


def test_declaration_made_at_the_meeting_does_not_change_the_pack_already_sent():
    declarations = [Declaration(SCHOOLS, TOP_UP_CASE, "Head of the school")]

    assert items_withheld_from_pack(SCHOOLS, declarations, AGENDA) == set()


def test_advance_declaration_on_all_items_withholds_every_case_on_the_agenda():
    declarations = [Declaration(HEALTH, None, "Commissioner", before_meeting=True)]

    assert items_withheld_from_pack(HEALTH, declarations, AGENDA) == set(AGENDA)


def test_another_members_declaration_does_not_change_my_pack():
    declarations = [Declaration(SCHOOLS, TOP_UP_CASE, "Head of the school", before_meeting=True)]

    assert items_withheld_from_pack(EP, declarations, AGENDA) == set()


def test_only_cases_on_this_agenda_are_withheld():
    declarations = [Declaration(SCHOOLS, 999, "Case at a later panel", before_meeting=True)]

    assert items_withheld_from_pack(SCHOOLS, declarations, AGENDA) == set()


# --- R4: who chairs the case ------------------------------------------------------------


def test_chair_who_is_present_and_not_conflicted_chairs_the_case():
    choice = choose_chair(
        chair_id=CHAIR, vice_chair_id=VICE, present_ids=PRESENT, withdrawn_ids=set()
    )

    assert choice.member_id == CHAIR
    assert not choice.substitute


def test_conflicted_chair_hands_the_case_to_the_vice_chair():
    choice = choose_chair(
        chair_id=CHAIR, vice_chair_id=VICE, present_ids=PRESENT, withdrawn_ids={CHAIR}
    )

    assert choice.member_id == VICE
    assert choice.substitute
    assert choice.reason == "The chair declared an interest; the vice-chair chairs this item."


def test_absent_chair_is_covered_by_the_vice_chair():
    choice = choose_chair(
        chair_id=CHAIR, vice_chair_id=VICE, present_ids=PRESENT - {CHAIR}, withdrawn_ids=set()
    )

    assert choice.member_id == VICE
    assert choice.reason == "The chair is absent; the vice-chair chairs this item."


def test_when_chair_and_vice_chair_are_both_conflicted_the_nominated_member_chairs():
    choice = choose_chair(
        chair_id=CHAIR,
        vice_chair_id=VICE,
        present_ids=PRESENT,
        withdrawn_ids={CHAIR, VICE},
        nominated_id=EP,
    )

    assert choice.member_id == EP
    assert choice.substitute
    assert "chair declared an interest" in choice.reason
    assert "vice-chair declared an interest" in choice.reason


def test_nomination_is_not_used_while_the_chair_can_chair():
    choice = choose_chair(
        chair_id=CHAIR,
        vice_chair_id=VICE,
        present_ids=PRESENT,
        withdrawn_ids=set(),
        nominated_id=EP,
    )

    assert choice.member_id == CHAIR


def test_without_chair_vice_chair_or_nominee_the_case_cannot_proceed():
    with pytest.raises(RuleViolation) as caught:
        choose_chair(
            chair_id=CHAIR, vice_chair_id=VICE, present_ids=PRESENT - {VICE}, withdrawn_ids={CHAIR}
        )

    assert caught.value.rule == "R4"
    assert str(caught.value) == (
        "The chair declared an interest and the vice-chair is absent. Nominate a member who "
        "is present and has not declared an interest in this item to chair it."
    )


def test_panel_without_a_vice_chair_needs_a_nominee_when_the_chair_is_conflicted():
    with pytest.raises(RuleViolation, match="there is no vice-chair"):
        choose_chair(chair_id=CHAIR, vice_chair_id=None, present_ids=PRESENT, withdrawn_ids={CHAIR})


def test_nominee_who_has_declared_an_interest_is_refused():
    with pytest.raises(RuleViolation) as caught:
        choose_chair(
            chair_id=CHAIR,
            vice_chair_id=VICE,
            present_ids=PRESENT,
            withdrawn_ids={CHAIR, VICE, SCHOOLS},
            nominated_id=SCHOOLS,
        )

    assert caught.value.rule == "R4"
    assert "nominated to chair has declared an interest" in caught.value.message


def test_nominee_who_is_not_present_is_refused():
    with pytest.raises(RuleViolation) as caught:
        choose_chair(
            chair_id=CHAIR,
            vice_chair_id=VICE,
            present_ids=PRESENT - {HEALTH},
            withdrawn_ids={CHAIR, VICE},
            nominated_id=HEALTH,
        )

    assert "nominated to chair is not present" in caught.value.message


def test_minute_taker_cannot_be_nominated_to_chair():
    with pytest.raises(RuleViolation, match="minute taker or observer"):
        choose_chair(
            chair_id=CHAIR,
            vice_chair_id=VICE,
            present_ids=PRESENT,
            withdrawn_ids={CHAIR, VICE},
            nominated_id=MINUTES,
            ineligible_ids={MINUTES},
        )


def test_chair_conflicted_on_one_case_chairs_the_next_case_again():
    declarations = [Declaration(CHAIR, PLACEMENT_CASE, "Governor of the proposed school")]

    chairs = {
        item: choose_chair(
            chair_id=CHAIR,
            vice_chair_id=VICE,
            present_ids=PRESENT,
            withdrawn_ids=withdrawn_from(item, declarations),
        ).member_id
        for item in AGENDA
    }

    assert chairs == {TOP_UP_CASE: CHAIR, PLACEMENT_CASE: VICE, OTHER_CASE: CHAIR}
