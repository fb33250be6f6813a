"""What a decision must record before it can be saved (R6).

Each request type has its own outcome vocabulary, and some outcomes are meaningless without
their details (a placement agreed without a setting, a top-up without an amount). Checking
here means the minutes and the decision letters never carry a half-made decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from panelapp.domain.errors import RuleViolation
from panelapp.domain.formatting import format_date
from panelapp.domain.vocabulary import OUTCOMES, Outcome, RequestType


@dataclass(frozen=True)
class DecisionDraft:
    """A decision as typed in, before it is recorded. Amounts are in pence."""

    request_type: RequestType
    outcome: Outcome
    rationale: str
    amount_pence: int | None = None
    band: str | None = None
    band_override_reason: str | None = None
    setting: str | None = None
    start_date: date | None = None
    review_date: date | None = None
    hours_per_week: float | None = None
    sections_amended: str | None = None

    @classmethod
    def from_fields(cls, request_type: RequestType, values: Mapping[str, object]) -> DecisionDraft:
        """A draft from its fields by name (``DECISION_FIELDS``), as keyword callers and saved
        forms give them; an unknown name is a programming error, refused as Python would."""
        unknown = set(values) - set(DECISION_FIELDS)
        if unknown:
            raise TypeError(f"not a decision field: {', '.join(sorted(unknown))}")
        missing = [name for name in ("outcome", "rationale") if name not in values]
        if missing:
            raise TypeError(f"a decision needs its {' and '.join(missing)}")
        named: dict[str, Any] = {**values, "outcome": Outcome(str(values["outcome"]))}
        return cls(request_type=request_type, **named)

    def as_fields(self) -> dict[str, object]:
        """The decision's fields by name, without the request type (which the case holds)."""
        return {name: getattr(self, name) for name in DECISION_FIELDS}

    def for_request_type(self, request_type: RequestType) -> DecisionDraft:
        """The same decision, judged against the request type the case has now."""
        return (
            self if request_type is self.request_type else replace(self, request_type=request_type)
        )


#: what a decision records, by name, beyond its request type: the one list of them
DECISION_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(DecisionDraft) if f.name != "request_type"
)


def validate_decision(draft: DecisionDraft) -> None:
    """Refuse a decision that breaks R6; the message says what to record."""
    allowed = OUTCOMES[draft.request_type]
    if draft.outcome not in allowed:
        choices = "; ".join(outcome.label for outcome in allowed)
        raise RuleViolation(
            "R6",
            f'"{draft.outcome.label}" is not an outcome for a case of type '
            f'"{draft.request_type.label}". Choose one of: {choices}. '
            "To defer the case, record a deferral instead; a deferral is not an outcome.",
        )
    if _blank(draft.rationale):
        raise RuleViolation(
            "R6", "Record the reasons for the decision before saving it; the rationale is blank."
        )
    if draft.amount_pence is not None and draft.amount_pence < 0:
        raise RuleViolation(
            "R6", "The amount cannot be negative. Enter the amount agreed, in pounds."
        )
    if draft.hours_per_week is not None and draft.hours_per_week <= 0:
        raise RuleViolation(
            "R6", "The hours per week must be more than zero. Enter the hours agreed."
        )

    missing = _missing_details(draft)
    if missing:
        raise RuleViolation(
            "R6",
            f'"{draft.outcome.label}" needs {_join(missing)}. '
            "Record them before saving the decision.",
        )

    if (
        draft.start_date is not None
        and draft.review_date is not None
        and draft.review_date < draft.start_date
    ):
        raise RuleViolation(
            "R6",
            f"The review date ({format_date(draft.review_date)}) is before the start date "
            f"({format_date(draft.start_date)}). Check both dates.",
        )


#: decisions that commit money: each needs the amount and the date it starts from
FUNDING_DECISIONS = frozenset(
    {
        (RequestType.TOP_UP, Outcome.AGREE_BAND),
        (RequestType.TOP_UP, Outcome.AGREE_BAND_OVERRIDE),
        (RequestType.PERSONAL_BUDGET, Outcome.AGREE),
        (RequestType.PLACEMENT, Outcome.AGREE),
    }
)


def _missing_details(draft: DecisionDraft) -> list[str]:
    """The details this outcome of this request type cannot do without."""
    rt, outcome = draft.request_type, draft.outcome
    needed: list[tuple[bool, str]] = []
    if rt is RequestType.TOP_UP and outcome is Outcome.AGREE_BAND:
        needed = [
            (_blank(draft.band), "the band"),
            (draft.amount_pence is None, "the amount"),
        ]
    elif rt is RequestType.TOP_UP and outcome is Outcome.AGREE_BAND_OVERRIDE:
        needed = [
            (_blank(draft.band), "the band agreed"),
            (draft.amount_pence is None, "the amount"),
            (_blank(draft.band_override_reason), "the reason for overriding the band"),
        ]
    elif rt is RequestType.PERSONAL_BUDGET and outcome is Outcome.AGREE:
        needed = [(draft.amount_pence is None, "the amount per year")]
    elif rt is RequestType.PLACEMENT and outcome is Outcome.AGREE:
        needed = [
            (_blank(draft.setting), "the setting named"),
            (draft.amount_pence is None, "the cost per place"),
        ]
    elif rt is RequestType.PHASE_TRANSFER and outcome is Outcome.NAME_SETTING:
        needed = [(_blank(draft.setting), "the setting named")]
    elif rt is RequestType.PHASE_TRANSFER and outcome is Outcome.NAME_SETTING_TYPE:
        needed = [(_blank(draft.setting), "the type of setting named")]
    elif rt is RequestType.ALTERNATIVE_PROVISION and outcome is Outcome.AGREE:
        needed = [
            (draft.hours_per_week is None, "the hours per week"),
            (draft.review_date is None, "the review date"),
        ]
    elif rt is RequestType.ANNUAL_REVIEW and outcome is Outcome.AMEND:
        needed = [(_blank(draft.sections_amended), "the sections of the plan to amend")]
    if (rt, outcome) in FUNDING_DECISIONS or draft.amount_pence is not None:
        # Money agreed has to run from a date: the finance team and the letter both need it.
        needed.append((draft.start_date is None, "the start date"))
    return [what for is_missing, what in needed if is_missing]


def format_pounds(pence: int) -> str:
    """12345 -> '£123.45'; amounts are kept in pence so sums never drift."""
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{rest:02d}"


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]
