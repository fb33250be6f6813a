"""Declarations of interest and who leaves, who gets papers, who chairs (R1-R4).

A member with an interest in a case plays no part in it; by default every declaration means
withdrawal, because that is the rule in the terms of reference we follow (Rutland). Panels
that allow "declared, remained" turn that on as a setting.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from panelapp.domain.errors import RuleViolation


@dataclass(frozen=True)
class Declaration:
    """One declared interest: ``item_id`` None means it covers every item of the meeting."""

    member_id: int
    item_id: int | None
    nature: str
    withdraws: bool = True
    before_meeting: bool = False
    #: items already taken when an "every item" declaration was made: it cannot reach back
    excluded_item_ids: frozenset[int] = frozenset()
    #: declared after the item was decided, recorded as a correction while the minutes were
    #: amended: the member took part, so it withdraws nobody and says so
    correction: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "excluded_item_ids", frozenset(self.excluded_item_ids))

    def covers(self, item_id: int) -> bool:
        if self.item_id is not None:
            return self.item_id == item_id
        return item_id not in self.excluded_item_ids


def withdrawn_from(
    item_id: int,
    declarations: Iterable[Declaration],
    *,
    allow_declared_remained: bool = False,
) -> frozenset[int]:
    """Members who must leave the meeting for this item (R1, R2).

    ``withdraws=False`` is honoured only when the panel allows "declared, remained";
    otherwise any declaration on the item, or on all items, withdraws the member.
    """
    return frozenset(
        d.member_id
        for d in declarations
        if d.covers(item_id) and not d.correction and (d.withdraws or not allow_declared_remained)
    )


def items_withheld_from_pack(
    member_id: int,
    declarations: Iterable[Declaration],
    item_ids: Iterable[int],
) -> frozenset[int]:
    """Items whose papers this member's pack must leave out (R3).

    Only declarations made before the meeting count: a declaration made on the day cannot
    recall papers already sent.
    """
    advance = [
        d
        for d in declarations
        if d.member_id == member_id and d.before_meeting and not d.correction
    ]
    return frozenset(i for i in item_ids if any(d.covers(i) for d in advance))


@dataclass(frozen=True)
class ChairChoice:
    """Who chairs an item and signs its decision, and why, for the minutes (R4)."""

    member_id: int
    substitute: bool
    reason: str


def choose_chair(
    *,
    chair_id: int | None,
    vice_chair_id: int | None,
    present_ids: Collection[int],
    withdrawn_ids: Collection[int],
    nominated_id: int | None = None,
    ineligible_ids: Collection[int] = (),
) -> ChairChoice:
    """Pick who chairs one item: the chair, else the vice-chair, else a nominated member.

    ``ineligible_ids`` are people in the room who cannot chair (minute taker, observers).
    Raises RuleViolation("R4") when nobody suitable is available or the nominee is unsuitable.
    """
    present = frozenset(present_ids)
    withdrawn = frozenset(withdrawn_ids)

    chair_problem = _problem("chair", chair_id, present, withdrawn)
    if chair_problem is None:
        assert chair_id is not None
        return ChairChoice(chair_id, substitute=False, reason="The chair chairs this item.")

    vice_problem = _problem("vice-chair", vice_chair_id, present, withdrawn)
    if vice_problem is None:
        assert vice_chair_id is not None
        return ChairChoice(
            vice_chair_id,
            substitute=True,
            reason=f"{_capitalise(chair_problem)}; the vice-chair chairs this item.",
        )

    situation = f"{_capitalise(chair_problem)} and {vice_problem}"
    what_to_do = (
        "Nominate a member who is present and has not declared an interest "
        "in this item to chair it."
    )
    if nominated_id is None:
        raise RuleViolation("R4", f"{situation}. {what_to_do}")
    if nominated_id not in present:
        raise RuleViolation(
            "R4", f"{situation}, and the member nominated to chair is not present. {what_to_do}"
        )
    if nominated_id in withdrawn:
        raise RuleViolation(
            "R4",
            f"{situation}, and the member nominated to chair has declared an interest "
            f"in this item. {what_to_do}",
        )
    if nominated_id in frozenset(ineligible_ids):
        raise RuleViolation(
            "R4",
            f"{situation}, and the person nominated to chair attends as minute taker or "
            f"observer, not as a panel member. {what_to_do}",
        )
    return ChairChoice(
        nominated_id,
        substitute=True,
        reason=f"{situation}; a member chosen by the panel chairs this item.",
    )


def _problem(
    title: str, member_id: int | None, present: frozenset[int], withdrawn: frozenset[int]
) -> str | None:
    """Why the chair or vice-chair cannot chair this item, or None if they can."""
    if member_id is None:
        return f"there is no {title}"
    if member_id not in present:
        return f"the {title} is absent"
    if member_id in withdrawn:
        return f"the {title} declared an interest"
    return None


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
