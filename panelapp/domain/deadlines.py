"""Statutory clocks for panel decisions (R10-R16).

Dates are calendar days and each due date is the LAST day on which the duty is still met.
An exception (R12, SEND Regulations 2014 regs. 5(4), 10(4), 13(3)) never moves a due date: in
law the council "need not comply" with the 6-, 16- and 20-week limits while one applies. So
the due date stays, the exception is recorded beside it, and timeliness is reported both
counting and leaving out the cases an exception excuses.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from panelapp.domain.errors import RuleViolation
from panelapp.domain.formatting import format_date as format_date  # re-exported: its old home
from panelapp.domain.vocabulary import ExceptionKind, RequestType


def add_months(d: date, n: int) -> date:
    """Same day ``n`` months on, clamped to the month's end (31 Dec + 2 -> 28/29 Feb)."""
    months = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(months, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last_day))


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


def amended_plan_latest(review_meeting: date) -> date:
    """R13: a final amended plan never later than 12 weeks after the review meeting."""
    return review_meeting + timedelta(weeks=12)


def amended_plan_final_due(proposals_sent: date, review_meeting: date) -> date:
    """R13: final amended plan 8 weeks after the proposals, and never later than 12 weeks
    after the review meeting."""
    return min(proposals_sent + timedelta(weeks=8), amended_plan_latest(review_meeting))


def phase_transfer_due(transfer_year: int, *, post16: bool) -> date:
    """R14, regulation 18(1): plan reviewed and amended, setting named, BEFORE 15 February of
    the transfer year, so 14 February is the last lawful day; before 31 March (last day 30
    March) for a move from secondary school to post-16."""
    return date(transfer_year, 3, 30) if post16 else date(transfer_year, 2, 14)


def post16_transfer_due(transfer_date: date) -> date:
    """R14, regulation 18(2): a move between post-16 institutions at another time of year,
    at least five months before the transfer (the same day five months earlier, or the end of
    that month when it has no such day)."""
    return add_months(transfer_date, -5)


def appeal_deadline(letter_date: date, mediation_certificate: date | None = None) -> date:
    """R16: the later of letter + 2 months and mediation certificate + 1 month."""
    deadline = add_months(letter_date, 2)
    if mediation_certificate is not None:
        deadline = max(deadline, add_months(mediation_certificate, 1))
    return deadline


#: kinds of exception whose own definition is a period of at least four weeks
FOUR_WEEK_KINDS = frozenset({ExceptionKind.SETTING_CLOSED, ExceptionKind.FAMILY_AWAY})
FOUR_WEEKS = 28

_KIND_WORDS = {
    ExceptionKind.SETTING_CLOSED: "the school or early years setting closed for 4 weeks or more",
    ExceptionKind.PERSONAL_CIRCUMSTANCES: "exceptional personal circumstances of the child "
    "or parent",
    ExceptionKind.FAMILY_AWAY: "the family away from the area for 4 continuous weeks or more",
}


@dataclass(frozen=True)
class ClockException:
    """A recorded reason the council need not meet a time limit (R12): its kind, first and
    last days (inclusive) and the evidence for it (``note``)."""

    kind: ExceptionKind
    start: date
    end: date
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ExceptionKind(self.kind))
        if self.end < self.start:
            raise RuleViolation(
                "R12",
                f"The exception ends ({format_date(self.end)}) before it starts "
                f"({format_date(self.start)}). Check the dates of the exception.",
            )

    @property
    def days(self) -> int:
        """Calendar days covered, both ends counted: 1 to 28 March is 28 days, four weeks."""
        return (self.end - self.start).days + 1

    @property
    def meets_definition(self) -> bool:
        return self.kind not in FOUR_WEEK_KINDS or self.days >= FOUR_WEEKS

    def describe(self) -> str:
        """'the family away from the area for 4 continuous weeks or more, 1 March 2026 to
        28 March 2026': how the minutes name it."""
        return f"{_KIND_WORDS[self.kind]}, {format_date(self.start)} to {format_date(self.end)}"


@dataclass(frozen=True)
class Milestone:
    """A further statutory date that follows from the case's dates (R11, R13)."""

    label: str
    due: date


@dataclass(frozen=True)
class Timeliness:
    """Whether something done on ``done_on`` met the limit, read plainly, and the recorded
    exceptions that excuse it if it did not."""

    done_on: date
    due: date
    excused_by: tuple[ClockException, ...] = ()

    @property
    def met(self) -> bool:
        return self.done_on <= self.due

    @property
    def excepted(self) -> bool:
        """A case an exception applies to: left out of the 'without exceptions' figures."""
        return bool(self.excused_by)

    @property
    def days_late(self) -> int:
        return max(0, (self.done_on - self.due).days)

    def label(self) -> str:
        """'Met', 'Missed', or 'Missed (exception applies: ...)'; the due date never moves."""
        if self.met:
            return "Met"
        if self.excused_by:
            return f"Missed (exception applies: {'; '.join(e.describe() for e in self.excused_by)})"
        return "Missed"


@dataclass(frozen=True)
class StatutoryClock:
    """One statutory time limit for a case. ``due`` is the last lawful day and never moves;
    ``exceptions`` are those recorded (R12); only the 6-, 16- and 20-week limits take any."""

    name: str
    rule: str
    start: date
    due: date
    exceptions: tuple[ClockException, ...] = ()
    exceptions_allowed: bool = False
    milestones: tuple[Milestone, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "exceptions", tuple(self.exceptions))
        object.__setattr__(self, "milestones", tuple(self.milestones))

    def exception_problem(self, exception: ClockException) -> str | None:
        """Why this exception cannot apply to this clock, in plain words, or None."""
        what = self.name[:1].lower() + self.name[1:]
        if not self.exceptions_allowed:
            return (
                f"The law allows no exceptions to the time limit for the {what}: exceptions "
                "apply only to the 6-, 16- and 20-week limits of an EHC needs assessment. The "
                f"due date stays {format_date(self.due)}."
            )
        if not exception.meets_definition:
            return (
                f"An exception for {_KIND_WORDS[exception.kind]} needs a period of at least "
                f"four weeks (28 days); {format_date(exception.start)} to "
                f"{format_date(exception.end)} is {_day_count(exception.days)}. Check the "
                "dates, or record the exception that does apply."
            )
        if exception.end < self.start or exception.start > self.due:
            return (
                f"The exception ({format_date(exception.start)} to "
                f"{format_date(exception.end)}) falls outside the period of this time limit, "
                f"which runs from {format_date(self.start)} (the request received) to "
                f"{format_date(self.due)} (the due date). Only an exception within that "
                "period applies."
            )
        return None

    def check_exception(self, exception: ClockException) -> None:
        """Refuse, saying why, an exception that cannot apply to this clock (R12)."""
        problem = self.exception_problem(exception)
        if problem is not None:
            raise RuleViolation("R12", problem)

    def with_exception(self, exception: ClockException) -> StatutoryClock:
        """This clock with one more recorded exception; refused when it cannot apply."""
        self.check_exception(exception)
        return replace(self, exceptions=(*self.exceptions, exception))

    @property
    def applying_exceptions(self) -> tuple[ClockException, ...]:
        """The recorded exceptions that apply (any recorded before the rules were checked and
        that do not are kept but excuse nothing)."""
        return tuple(e for e in self.exceptions if self.exception_problem(e) is None)

    def days_left(self, today: date) -> int:
        """Days until the due date; 0 on the due date itself, negative when overdue."""
        return (self.due - today).days

    def is_overdue(self, today: date) -> bool:
        return self.days_left(today) < 0

    def timeliness(self, done_on: date) -> Timeliness:
        return Timeliness(done_on, self.due, self.applying_exceptions)

    def met_by(self, done_on: date, *, with_exceptions: bool) -> bool:
        """In time on the due date itself; ``with_exceptions`` also counts as in time a late
        case an exception excuses (the council need not comply with the limit)."""
        result = self.timeliness(done_on)
        return result.met or (with_exceptions and result.excepted)


@dataclass(frozen=True)
class TimelinessReport:
    """Timeliness over many cases, both with and without the cases exceptions apply to."""

    cases: int
    met: int
    excepted: int
    cases_without_excepted: int
    met_without_excepted: int

    @staticmethod
    def _share(met: int, cases: int) -> float | None:
        return met / cases if cases else None

    @property
    def share_met(self) -> float | None:
        return self._share(self.met, self.cases)

    @property
    def share_met_without_excepted(self) -> float | None:
        return self._share(self.met_without_excepted, self.cases_without_excepted)


def timeliness_report(results: Iterable[Timeliness]) -> TimelinessReport:
    results = list(results)
    plain = [r for r in results if not r.excepted]
    return TimelinessReport(
        cases=len(results),
        met=sum(r.met for r in results),
        excepted=len(results) - len(plain),
        cases_without_excepted=len(plain),
        met_without_excepted=sum(r.met for r in plain),
    )


def clock_gap(
    request_type: RequestType,
    *,
    review_meeting: date | None = None,
    transfer_year: int | None = None,
    transfer_date: date | None = None,
) -> str | None:
    """What is missing for a request type that has a clock in law but cannot be worked out
    ('review meeting date missing'), or None. Never reported as 'no time limit'."""
    if request_type is RequestType.ANNUAL_REVIEW and review_meeting is None:
        return "review meeting date missing"
    if (
        request_type is RequestType.PHASE_TRANSFER
        and transfer_year is None
        and (transfer_date is None)
    ):
        return "transfer year missing"
    return None


def _plan_milestones(received: date) -> tuple[Milestone, ...]:
    return (
        Milestone(
            "Draft EHC plan at the latest (15 days before the final plan)",
            draft_plan_latest(received),
        ),
        Milestone("Final EHC plan (20 weeks from the request)", final_plan_due(received)),
    )


def _review_milestones(review_meeting: date, proposals_sent: date | None) -> tuple[Milestone, ...]:
    latest = Milestone(
        "Final amended plan at the latest (12 weeks after the review meeting)",
        amended_plan_latest(review_meeting),
    )
    if proposals_sent is None:
        return (latest,)
    return (
        Milestone(
            f"Final amended plan if the proposals are sent on {format_date(proposals_sent)} "
            "(8 weeks after the proposals)",
            amended_plan_final_due(proposals_sent, review_meeting),
        ),
        latest,
    )


def clock_for(
    request_type: RequestType,
    received: date,
    *,
    review_meeting: date | None = None,
    transfer_year: int | None = None,
    post16: bool = False,
    transfer_date: date | None = None,
    proposals_sent: date | None = None,
) -> StatutoryClock | None:
    """The clock governing the panel's decision on this request type, or None when no
    statutory clock applies or when it cannot be worked out yet (``clock_gap`` tells which).
    ``proposals_sent`` dates an annual review's amendment proposals, for the 8-week date."""
    if request_type is RequestType.ASSESSMENT_REQUEST:
        return StatutoryClock(
            "Decision whether to assess",
            "R10",
            received,
            assessment_decision_due(received),
            exceptions_allowed=True,
            milestones=_plan_milestones(received),
        )
    if request_type is RequestType.POST_ASSESSMENT:
        return StatutoryClock(
            "Decision whether to issue an EHC plan",
            "R11",
            received,
            no_plan_decision_due(received),
            exceptions_allowed=True,
            milestones=_plan_milestones(received),
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
            milestones=_review_milestones(review_meeting, proposals_sent),
        )
    if request_type is RequestType.PHASE_TRANSFER:
        if transfer_date is not None:
            return StatutoryClock(
                "Plan amended and setting named at least five months before the post-16 transfer",
                "R14",
                received,
                post16_transfer_due(transfer_date),
            )
        if transfer_year is None:
            return None
        return StatutoryClock(
            "Plan amended and setting named for the phase transfer",
            "R14",
            received,
            phase_transfer_due(transfer_year, post16=post16),
        )
    return None


def _day_count(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"
