"""Whether a panel may decide a case (R2, R5).

Quorum is judged per case, after the members who declared an interest have left, because a
panel that is quorate at the start of a meeting can lose quorum for a single case.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from panelapp.domain.errors import RuleViolation
from panelapp.domain.vocabulary import NON_VOTING_ROLES, Role


@dataclass(frozen=True)
class QuorumRule:
    """A panel's quorum setting: a head count plus roles that must be in the room.

    Each frozenset in ``required_roles`` is one requirement, met by any counted participant
    who holds any of its roles (e.g. ``{CHAIR, VICE_CHAIR}``; Dorset adds ``{EP}``).
    """

    minimum_members: int = 3
    required_roles: tuple[frozenset[Role], ...] = (frozenset({Role.CHAIR, Role.VICE_CHAIR}),)

    def __post_init__(self) -> None:
        requirements = tuple(frozenset(roles) for roles in self.required_roles)
        object.__setattr__(self, "required_roles", requirements)
        if self.minimum_members < 1:
            raise RuleViolation(
                "R5",
                "The quorum must be at least 1 member. Change the panel's quorum setting.",
            )
        if any(not roles for roles in requirements):
            raise RuleViolation(
                "R5",
                "A required role in the quorum setting names no role. "
                "Choose at least one role for it or remove it.",
            )


@dataclass(frozen=True)
class Participant:
    """Someone in the room for a case, with every role they hold on this panel."""

    member_id: int
    name: str
    roles: frozenset[Role]

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", frozenset(self.roles))

    @property
    def is_panel_member(self) -> bool:
        """False for someone who attends only as minute taker or observer."""
        return not self.roles or not self.roles <= NON_VOTING_ROLES


@dataclass(frozen=True)
class QuorumResult:
    """The verdict for one case, with the sentences the minutes need when it is not quorate."""

    quorate: bool
    counted: tuple[Participant, ...]
    reasons: tuple[str, ...]

    @property
    def counted_ids(self) -> frozenset[int]:
        return frozenset(p.member_id for p in self.counted)


def evaluate_quorum(
    present: Iterable[Participant],
    withdrawn_ids: Collection[int],
    rule: QuorumRule,
    *,
    acting_chair_id: int | None = None,
    not_counted_ids: Collection[int] = (),
) -> QuorumResult:
    """Judge quorum for one case.

    Counted: present, not withdrawn from this case, and not attending only as minute taker or
    observer. A requirement that includes the chair is also met by ``acting_chair_id`` when
    that member is counted (R4: a member chosen to chair when chair and vice-chair are
    conflicted). ``not_counted_ids``: present but not counted, such as members attending
    online where the panel's terms count only those in the room.
    """
    withdrawn = frozenset(withdrawn_ids)
    not_counted = frozenset(not_counted_ids)
    counted: list[Participant] = []
    seen: set[int] = set()
    for participant in present:
        if participant.member_id in seen:
            continue
        seen.add(participant.member_id)
        if (
            participant.member_id not in withdrawn
            and participant.member_id not in not_counted
            and participant.is_panel_member
        ):
            counted.append(participant)

    reasons: list[str] = []
    if len(counted) < rule.minimum_members:
        reasons.append(_too_few(len(counted), rule.minimum_members))

    counted_ids = {p.member_id for p in counted}
    held = frozenset().union(*(p.roles for p in counted))
    for requirement in rule.required_roles:
        if requirement & held:
            continue
        if Role.CHAIR in requirement and acting_chair_id in counted_ids:
            continue
        reasons.append(_missing_role(requirement))

    return QuorumResult(quorate=not reasons, counted=tuple(counted), reasons=tuple(reasons))


def require_quorum(result: QuorumResult) -> None:
    """Refuse a decision on a case that is not quorate; it can only be deferred (R5)."""
    if not result.quorate:
        raise RuleViolation(
            "R5",
            "This case is not quorate, so it cannot be decided: "
            + " ".join(result.reasons)
            + " Defer the case; the minutes will record why.",
        )


def _too_few(count: int, needed: int) -> str:
    if count == 0:
        return f"No members are present and not withdrawn; the panel needs {needed}."
    if count == 1:
        return f"Only 1 member is present and not withdrawn; the panel needs {needed}."
    return f"Only {count} members are present and not withdrawn; the panel needs {needed}."


def _missing_role(requirement: frozenset[Role]) -> str:
    order = list(Role)
    names = [_lower_label(role) for role in sorted(requirement, key=order.index)]
    wanted = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    sentence = f"No {wanted} is present and not withdrawn"
    if Role.CHAIR in requirement:
        sentence += ", and no member has been chosen to chair this case"
    return sentence + "."


def _lower_label(role: Role) -> str:
    """'Educational psychologist' -> 'educational psychologist'; keeps 'SEND ...' as is."""
    label = role.label
    if label[1:2].islower():
        return label[0].lower() + label[1:]
    return label
