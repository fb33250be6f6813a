"""Statutory clocks for panel decisions (R10-R16).

Dates are calendar days and each due date is the LAST day on which the duty is still met.
Exceptions (R12) push a clock back, but the original due date is never lost: councils report
timeliness both with and without exceptions.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from panelapp.domain.errors import RuleViolation
from panelapp.domain.vocabulary import ExceptionKind, RequestType


def add_months(d: date, n: int) -> date:
    """Same day ``n`` months on, clamped to the month's end (31 Dec + 2 -> 28/29 Feb)."""
    months = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(months, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last_day))


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(d: date) -> str:
    """'16 February 2026': the form used in minutes and letters, whatever the OS locale."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def assessment_decision_due(received: date) -> date:
    """R10: decide whether to assess within 6 weeks of the request."""
    return received + timedelta(days=42)


def no_plan_decision_due(received: date) -> date:
    """R11: decide not to issue a plan within 16 weeks of the request."""
    return received + timedelta(weeks=16)


def final_plan_due(received: date) -> date:
    """R11: final EHC plan within 20 weeks of the request."""
    return received + timedelta(weeks=20)


def draft_plan_latest(received: date) -> date:
    """R11: the draft must leave the family 15 days to comment before the final is due."""
    return final_plan_due(received) - timedelta(days=15)


def reassessment_decision_due(received: date) -> date:
    """R15: decide on a reassessment request within 15 days."""
    return received + timedelta(days=15)


def annual_review_decision_due(review_meeting: date) -> date:
    """R13: maintain, amend or cease within 4 weeks of the review meeting."""
    return review_meeting + timedelta(weeks=4)


def amended_plan_final_due(proposals_sent: date, review_meeting: date) -> date:
    """R13: final amended plan 8 weeks after the proposals, and never later than 12 weeks
    after the review meeting."""
    return min(proposals_sent + timedelta(weeks=8), review_meeting + timedelta(weeks=12))


def phase_transfer_due(transfer_year: int, *, post16: bool) -> date:
    """R14: plan amended and setting named by 15 February of the transfer year
    (31 March for secondary to post-16), SEND Regulations 2014 reg. 18."""
    return date(transfer_year, 3, 31) if post16 else date(transfer_year, 2, 15)


def appeal_deadline(letter_date: date, mediation_certificate: date | None = None) -> date:
    """R16: the later of letter + 2 months and mediation certificate + 1 month."""
    deadline = add_months(letter_date, 2)
    if mediation_certificate is not None:
        deadline = max(deadline, add_months(mediation_certificate, 1))
    return deadline


@dataclass(frozen=True)
class ClockException:
    """A recorded reason a clock may run late (R12); ``start`` and ``end`` are inclusive."""

    kind: ExceptionKind
    start: date
    end: date
    note: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise RuleViolation(
                "R12",
                f"The exception ends ({format_date(self.end)}) before it starts "
                f"({format_date(self.start)}). Check the dates of the exception.",
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class StatutoryClock:
    """One statutory time limit for a case; ``due`` is the original due date, kept for
    reporting timeliness without exceptions."""

    name: str
    rule: str
    start: date
    due: date
    exceptions: tuple[ClockException, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "exceptions", tuple(self.exceptions))

    @property
    def exception_days(self) -> int:
        """Distinct calendar days covered by the exceptions; overlaps count once."""
        total = 0
        covered_until: date | None = None  # last day already counted
        for exc in sorted(self.exceptions, key=lambda e: e.start):
            first = exc.start
            if covered_until is not None and first <= covered_until:
                first = covered_until + timedelta(days=1)
            if exc.end >= first:
                total += (exc.end - first).days + 1
            if covered_until is None or exc.end > covered_until:
                covered_until = exc.end
        return total

    @property
    def extended_due(self) -> date:
        """The due date once the exceptions are allowed for; equals ``due`` without them."""
        return self.due + timedelta(days=self.exception_days)

    def due_for(self, *, with_exceptions: bool) -> date:
        return self.extended_due if with_exceptions else self.due

    def days_left(self, today: date, *, with_exceptions: bool = True) -> int:
        """Days until the due date; 0 on the due date itself, negative when overdue."""
        return (self.due_for(with_exceptions=with_exceptions) - today).days

    def is_overdue(self, today: date, *, with_exceptions: bool = True) -> bool:
        return self.days_left(today, with_exceptions=with_exceptions) < 0

    def met_by(self, done_on: date, *, with_exceptions: bool) -> bool:
        """Whether something done on ``done_on`` was in time (the due date itself counts)."""
        return done_on <= self.due_for(with_exceptions=with_exceptions)

    def with_exception(self, exception: ClockException) -> StatutoryClock:
        return replace(self, exceptions=(*self.exceptions, exception))


def clock_for(
    request_type: RequestType,
    received: date,
    *,
    review_meeting: date | None = None,
    transfer_year: int | None = None,
    post16: bool = False,
) -> StatutoryClock | None:
    """The clock governing the panel's decision on this request type, or None if no
    statutory clock applies (or the date it runs from is not known yet)."""
    if request_type is RequestType.ASSESSMENT_REQUEST:
        return StatutoryClock(
            "Decision whether to assess", "R10", received, assessment_decision_due(received)
        )
    if request_type is RequestType.POST_ASSESSMENT:
        return StatutoryClock(
            "Decision whether to issue an EHC plan",
            "R11",
            received,
            no_plan_decision_due(received),
        )
    if request_type is RequestType.REASSESSMENT:
        return StatutoryClock(
            "Decision on the reassessment request",
            "R15",
            received,
            reassessment_decision_due(received),
        )
    if request_type is RequestType.ANNUAL_REVIEW:
        if review_meeting is None:
            return None
        return StatutoryClock(
            "Decision to maintain, amend or cease the plan",
            "R13",
            review_meeting,
            annual_review_decision_due(review_meeting),
        )
    if request_type is RequestType.PHASE_TRANSFER:
        if transfer_year is None:
            return None
        return StatutoryClock(
            "Plan amended and setting named for the phase transfer",
            "R14",
            received,
            phase_transfer_due(transfer_year, post16=post16),
        )
    return None
