"""What a deferral must record, and when the case comes back (R7, R8).

A deferral without a reason, an action, an owner and a date is how cases drift; a deferral
past the statutory due date is allowed only when someone has written down why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from panelapp.domain.errors import RuleViolation
from panelapp.domain.formatting import format_date


@dataclass(frozen=True)
class DeferralDraft:
    """A deferral as typed in, before it is recorded."""

    reason: str
    information_required: str
    provider: str
    return_date: date
    deferred_on: date
    statutory_due: date | None = None
    past_due_reason: str | None = None


@dataclass(frozen=True)
class DeferralAssessment:
    """How the deferral sits against the statutory clock; shown on the case and the agenda."""

    timescale_risk: bool
    days_past_due: int  # 0 when the return date is on or before the due date


def validate_deferral(draft: DeferralDraft) -> DeferralAssessment:
    """Refuse an incomplete deferral (R7) or an unexplained late one (R8)."""
    missing = [
        what
        for value, what in (
            (draft.reason, "the reason for deferring"),
            (draft.information_required, "the information or action required"),
            (draft.provider, "who will provide it"),
        )
        if _blank(value)
    ]
    if missing:
        raise RuleViolation(
            "R7", f"A deferral needs {_join(missing)}. Record them before saving the deferral."
        )
    if draft.return_date <= draft.deferred_on:
        raise RuleViolation(
            "R7",
            f"The return date ({format_date(draft.return_date)}) must be after the day the "
            f"case is deferred ({format_date(draft.deferred_on)}). Choose a later return date.",
        )

    if draft.statutory_due is None or draft.return_date <= draft.statutory_due:
        return DeferralAssessment(timescale_risk=False, days_past_due=0)

    days = (draft.return_date - draft.statutory_due).days
    if _blank(draft.past_due_reason):
        raise RuleViolation(
            "R8",
            f"The return date ({format_date(draft.return_date)}) is {_days(days)} after the "
            f"statutory due date ({format_date(draft.statutory_due)}). Record the reason the "
            "case cannot be decided in time, or choose an earlier return date; the case will "
            "be shown as a timescale risk.",
        )
    return DeferralAssessment(timescale_risk=True, days_past_due=days)


def relist_date(return_date: date, meeting_dates: Iterable[date]) -> date | None:
    """The first meeting on or after the return date; None means the case waits on the list
    of cases to re-list until a meeting is scheduled."""
    return min((d for d in meeting_dates if d >= return_date), default=None)


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]
