"""R2, R5: quorum is judged per case, after withdrawals, on head count and required roles."""

from __future__ import annotations

import pickle

import pytest

from panelapp.domain.errors import PanelappError, RuleViolation
from panelapp.domain.quorum import (
    Participant,
    QuorumRule,
    evaluate_quorum,
    require_quorum,
)
from panelapp.domain.vocabulary import Role

CHAIR, VICE, EP, SEND, SCHOOLS, HEALTH, MINUTES, OBSERVER = range(1, 9)

DORSET = QuorumRule(
    minimum_members=3,
    required_roles=(
        frozenset({Role.CHAIR, Role.VICE_CHAIR}),
        frozenset({Role.EDUCATIONAL_PSYCHOLOGIST}),
    ),
)


def person(member_id: int, *roles: Role) -> Participant:
    return Participant(member_id=member_id, name=f"Member {member_id}", roles=frozenset(roles))


@pytest.fixture
def room() -> list[Participant]:
    return [
        person(CHAIR, Role.CHAIR),
        person(VICE, Role.VICE_CHAIR),
        person(EP, Role.EDUCATIONAL_PSYCHOLOGIST),
        person(SEND, Role.SEND_MANAGER),
        person(SCHOOLS, Role.SCHOOLS_REP),
        person(HEALTH, Role.HEALTH_REP),
        person(MINUTES, Role.MINUTE_TAKER),
        person(OBSERVER, Role.OBSERVER),
    ]


def test_full_panel_is_quorate_and_has_no_reasons(room):
    result = evaluate_quorum(room, set(), QuorumRule())

    assert result.quorate
    assert result.reasons == ()
    assert result.counted_ids == {CHAIR, VICE, EP, SEND, SCHOOLS, HEALTH}


def test_member_who_declares_an_interest_is_not_counted_towards_quorum_for_that_case(room):
    result = evaluate_quorum(room, {SCHOOLS}, QuorumRule())

    assert result.quorate
    assert SCHOOLS not in result.counted_ids
    assert SCHOOLS not in {p.member_id for p in result.counted}


def test_case_loses_quorum_when_withdrawals_leave_too_few_members():
    present = [
        person(CHAIR, Role.CHAIR),
        person(EP, Role.EDUCATIONAL_PSYCHOLOGIST),
        person(SCHOOLS, Role.SCHOOLS_REP),
    ]

    before = evaluate_quorum(present, set(), QuorumRule())
    after = evaluate_quorum(present, {SCHOOLS}, QuorumRule())

    assert before.quorate
    assert not after.quorate
    assert after.reasons == ("Only 2 members are present and not withdrawn; the panel needs 3.",)


def test_one_member_left_is_reported_in_the_singular():
    result = evaluate_quorum([person(CHAIR, Role.CHAIR)], set(), QuorumRule())

    assert result.reasons == ("Only 1 member is present and not withdrawn; the panel needs 3.",)


def test_minute_taker_and_observer_do_not_make_up_the_numbers():
    present = [
        person(CHAIR, Role.CHAIR),
        person(EP, Role.EDUCATIONAL_PSYCHOLOGIST),
        person(MINUTES, Role.MINUTE_TAKER),
        person(OBSERVER, Role.OBSERVER),
    ]

    result = evaluate_quorum(present, set(), QuorumRule())

    assert not result.quorate
    assert result.counted_ids == {CHAIR, EP}
    assert result.reasons == ("Only 2 members are present and not withdrawn; the panel needs 3.",)


def test_member_who_also_takes_the_minutes_still_counts_as_a_member():
    present = [
        person(CHAIR, Role.CHAIR),
        person(EP, Role.EDUCATIONAL_PSYCHOLOGIST),
        person(SEND, Role.SEND_MANAGER, Role.MINUTE_TAKER),
    ]

    assert evaluate_quorum(present, set(), QuorumRule()).quorate


def test_dorset_panel_without_an_educational_psychologist_is_not_quorate(room):
    no_ep = [p for p in room if p.member_id != EP]

    result = evaluate_quorum(no_ep, set(), DORSET)

    assert not result.quorate
    assert result.reasons == ("No educational psychologist is present and not withdrawn.",)


def test_ep_who_withdraws_from_a_case_does_not_meet_the_ep_requirement_for_it(room):
    result = evaluate_quorum(room, {EP}, DORSET)

    assert not result.quorate
    assert "No educational psychologist is present and not withdrawn." in result.reasons


def test_vice_chair_meets_the_chair_requirement_when_the_chair_withdraws(room):
    assert evaluate_quorum(room, {CHAIR}, DORSET).quorate


def test_without_chair_or_vice_chair_the_case_needs_a_member_chosen_to_chair(room):
    result = evaluate_quorum(room, {CHAIR, VICE}, DORSET)

    assert not result.quorate
    assert result.reasons == (
        "No chair or vice-chair is present and not withdrawn, "
        "and no member has been chosen to chair this case.",
    )


def test_member_chosen_to_chair_meets_the_chair_requirement(room):
    result = evaluate_quorum(room, {CHAIR, VICE}, DORSET, acting_chair_id=SEND)

    assert result.quorate


def test_member_chosen_to_chair_must_themselves_be_present_and_not_withdrawn(room):
    withdrawn = evaluate_quorum(room, {CHAIR, VICE, SEND}, DORSET, acting_chair_id=SEND)
    observer = evaluate_quorum(room, {CHAIR, VICE}, DORSET, acting_chair_id=OBSERVER)

    assert not withdrawn.quorate
    assert not observer.quorate


def test_member_chosen_to_chair_does_not_stand_in_for_the_educational_psychologist(room):
    no_ep = [p for p in room if p.member_id != EP]

    result = evaluate_quorum(no_ep, {CHAIR, VICE}, DORSET, acting_chair_id=SEND)

    assert result.reasons == ("No educational psychologist is present and not withdrawn.",)


def test_every_missing_requirement_is_reported_for_the_minutes():
    result = evaluate_quorum([person(SCHOOLS, Role.SCHOOLS_REP)], set(), DORSET)

    assert result.reasons == (
        "Only 1 member is present and not withdrawn; the panel needs 3.",
        "No chair or vice-chair is present and not withdrawn, "
        "and no member has been chosen to chair this case.",
        "No educational psychologist is present and not withdrawn.",
    )


def test_a_person_listed_twice_is_counted_once():
    twice = [person(CHAIR, Role.CHAIR), person(CHAIR, Role.CHAIR), person(EP)]

    result = evaluate_quorum(twice, set(), QuorumRule())

    assert not result.quorate
    assert len(result.counted) == 2


def test_quorum_setting_of_zero_members_is_refused():
    with pytest.raises(RuleViolation) as caught:
        QuorumRule(minimum_members=0)

    assert caught.value.rule == "R5"
    assert "quorum setting" in str(caught.value)


def test_a_case_without_quorum_cannot_be_decided_only_deferred(room):
    result = evaluate_quorum(room, {CHAIR, VICE}, QuorumRule())

    with pytest.raises(RuleViolation) as caught:
        require_quorum(result)

    message = str(caught.value)
    assert caught.value.rule == "R5"
    assert "No chair or vice-chair is present" in message
    assert "Defer the case" in message
    assert "(R5)" not in message and message.endswith("the minutes will record why.")


def test_a_quorate_case_may_be_decided(room):
    require_quorum(evaluate_quorum(room, {SCHOOLS}, QuorumRule()))


def test_rule_violations_are_shown_in_plain_words_with_the_rule_kept_for_code():
    error = RuleViolation("R5", "The panel is not quorate.")

    assert isinstance(error, PanelappError)
    assert error.message == "The panel is not quorate."
    assert str(error) == "The panel is not quorate."
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.rule, copy.message) == ("R5", "The panel is not quorate.")
