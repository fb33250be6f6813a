"""What a family may do after a decision it disagrees with, step by step: ask for mediation,
get a mediation certificate (which they need before appealing, unless the appeal is only about
the school named), settle in mediation, lodge an appeal with the First-tier Tribunal, and the
Tribunal's decision. ``check_step`` keeps each decision's steps in an order that happened."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from panelapp.domain.errors import PanelappError


class AppealStep(StrEnum):
    MEDIATION_REQUESTED = "mediation_requested"
    MEDIATION_CERTIFICATE = "mediation_certificate"
    MEDIATION_SETTLED = "mediation_settled"
    APPEAL_LODGED = "appeal_lodged"
    APPEAL_DECIDED = "appeal_decided"

    @property
    def label(self) -> str:
        return _STEP_LABELS[self]


class AppealOutcome(StrEnum):
    """How an appeal ended, from the family's side."""

    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    DISMISSED = "dismissed"
    CONCEDED = "conceded"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]


_STEP_LABELS = {
    AppealStep.MEDIATION_REQUESTED: "Mediation asked for",
    AppealStep.MEDIATION_CERTIFICATE: "Mediation certificate issued",
    AppealStep.MEDIATION_SETTLED: "Settled in mediation",
    AppealStep.APPEAL_LODGED: "Appeal lodged with the Tribunal",
    AppealStep.APPEAL_DECIDED: "Tribunal decided the appeal",
}

_OUTCOME_LABELS = {
    AppealOutcome.UPHELD: "appeal upheld",
    AppealOutcome.PARTLY_UPHELD: "appeal partly upheld",
    AppealOutcome.DISMISSED: "appeal dismissed",
    AppealOutcome.CONCEDED: "conceded by the council",
    AppealOutcome.WITHDRAWN: "appeal withdrawn",
}

#: a step needs one of these earlier (an empty set: it can come first)
_NEEDS: dict[AppealStep, frozenset[AppealStep]] = {
    AppealStep.MEDIATION_REQUESTED: frozenset(),
    AppealStep.MEDIATION_CERTIFICATE: frozenset({AppealStep.MEDIATION_REQUESTED}),
    AppealStep.MEDIATION_SETTLED: frozenset({AppealStep.MEDIATION_REQUESTED}),
    AppealStep.APPEAL_LODGED: frozenset(),
    AppealStep.APPEAL_DECIDED: frozenset({AppealStep.APPEAL_LODGED}),
}


@dataclass(frozen=True)
class StepTaken:
    step: AppealStep
    on: date
    outcome: AppealOutcome | None = None

    @property
    def label(self) -> str:
        words = self.step.label
        return f"{words}: {self.outcome.label}" if self.outcome else words


def check_step(
    earlier: Sequence[StepTaken],
    step: AppealStep,
    on: date,
    outcome: AppealOutcome | None,
    *,
    decided_on: date,
    today: date,
) -> StepTaken:
    """The step as it may be recorded after ``earlier`` for a decision taken on
    ``decided_on``, or a message saying what is wrong."""
    step = AppealStep(step)
    if outcome is not None:
        outcome = AppealOutcome(outcome)
    if on > today:
        raise PanelappError("A step cannot be dated in the future. Give today or earlier.")
    if on < decided_on:
        raise PanelappError("A step cannot be dated before the panel's decision.")
    if (step == AppealStep.APPEAL_DECIDED) != (outcome is not None):
        raise PanelappError(
            "Give the Tribunal's outcome (--outcome) with the appeal's decision, and only then."
        )
    taken = {s.step for s in earlier}
    if step in taken:
        raise PanelappError(f"'{step.label}' is already recorded for this decision.")
    needs = _NEEDS[step]
    if needs and not needs & taken:
        first = " or ".join(f"'{n.label}'" for n in sorted(needs))
        raise PanelappError(f"Record {first} before '{step.label}'.")
    latest = max((s.on for s in earlier), default=decided_on)
    if on < latest:
        raise PanelappError(
            "This step is dated before a step already recorded. Steps are recorded in the "
            "order they happened; check the dates."
        )
    if step == AppealStep.APPEAL_LODGED and AppealStep.MEDIATION_SETTLED in taken:
        raise PanelappError(
            "This decision was settled in mediation. If the family appealed after all, "
            "check the record of the mediation first."
        )
    return StepTaken(step, on, outcome)


def mediation_certificate_date(steps: Sequence[StepTaken]) -> date | None:
    return next((s.on for s in steps if s.step == AppealStep.MEDIATION_CERTIFICATE), None)
