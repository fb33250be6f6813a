"""Cases: one request about one child or young person, with its statutory clock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from sqlalchemy import select

from panelapp.domain.case_facts import PlacementType, Vulnerability
from panelapp.domain.deadlines import ClockException, StatutoryClock, clock_for, clock_gap
from panelapp.domain.errors import NextStep, PanelappError, RuleViolation, Step
from panelapp.domain.vocabulary import (
    ExceptionKind,
    ItemStatus,
    MeetingStatus,
    PrimaryNeed,
    RequestType,
)
from panelapp.services.clock import utc_now
from panelapp.services.meetings import ensure_editable
from panelapp.services.reasons import record_reason
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, Case, ClockExceptionRow, Meeting


@dataclass(frozen=True)
class CaseDetails:
    reference: str
    first_name: str
    last_name: str
    date_of_birth: date
    request_type: RequestType
    request_received: date
    primary_need: PrimaryNeed
    setting: str = ""
    year_group: str = ""
    secondary_need: PrimaryNeed | None = None
    case_officer: str = ""
    review_meeting_date: date | None = None
    transfer_year: int | None = None
    post16_transfer: bool = False
    #: a post-16 to post-16 move at another time of year (regulation 18(2)): its date
    transfer_date: date | None = None
    #: the child's vulnerability flags that apply (those absent do not)
    vulnerabilities: frozenset[Vulnerability] = frozenset()
    placement_type: PlacementType | None = None
    #: the day the final EHC plan was issued
    final_plan_issued: date | None = None


def apply_case_facts(case: Case, details: CaseDetails) -> None:
    """Put the details' reporting facts (flags, placement type, final plan date) on the row."""
    flags = {Vulnerability(v) for v in details.vulnerabilities}
    for flag in Vulnerability:
        setattr(case, flag.value, flag in flags)
    case.placement_type = PlacementType(details.placement_type) if details.placement_type else None
    case.final_plan_issued = details.final_plan_issued


def case_vulnerabilities(case: Case) -> frozenset[Vulnerability]:
    """The flags set on a stored case."""
    return frozenset(flag for flag in Vulnerability if getattr(case, flag.value))


def check_final_plan(details: CaseDetails) -> None:
    if details.final_plan_issued and details.final_plan_issued < details.request_received:
        raise PanelappError(
            "The final plan's issue date is before the date the request was received. "
            "Check both dates."
        )


def add_case(uow: UnitOfWork, details: CaseDetails) -> int:
    for field, label in (
        ("reference", "council reference"),
        ("first_name", "first name"),
        ("last_name", "last name"),
    ):
        if not str(getattr(details, field)).strip():
            raise PanelappError(f"The case needs a {label}.")
    if details.date_of_birth > details.request_received:
        raise PanelappError("The date of birth is after the date the request was received.")
    case = Case(
        reference=details.reference.strip(),
        first_name=details.first_name.strip(),
        last_name=details.last_name.strip(),
        date_of_birth=details.date_of_birth,
        setting=details.setting,
        year_group=details.year_group,
        primary_need=PrimaryNeed(details.primary_need),
        secondary_need=PrimaryNeed(details.secondary_need) if details.secondary_need else None,
        case_officer=details.case_officer,
        request_type=RequestType(details.request_type),
        request_received=details.request_received,
        review_meeting_date=details.review_meeting_date,
        transfer_year=details.transfer_year,
        post16_transfer=details.post16_transfer,
        transfer_date=details.transfer_date,
        created_at=utc_now(),
    )
    check_final_plan(details)
    apply_case_facts(case, details)
    uow.session.add(case)
    uow.session.flush()
    # The audit names the case by id only: the trail never repeats a child's name.
    uow.audit("case.added", "case", case.id, request_type=case.request_type)
    return case.id


def add_clock_exception(
    uow: UnitOfWork, case_id: int, *, kind: ExceptionKind, start: date, end: date, note: str = ""
) -> int:
    """Record an exception to the case's statutory clock (R12): its kind, dates and the
    evidence for it (``note``). The due date never moves; the exception is reported beside it.

    Refused, saying why, when the exception does not meet its own definition (four weeks or
    more for a closure or the family being away), falls outside the clock's period (from the
    request to the due date), or the case's clock is one the law gives no exceptions to (phase
    transfer, annual review, reassessment) or it has no clock at all.

    Also refused (R9) once the case's latest hearing (its last agenda item not withdrawn) is a
    decision at a meeting whose minutes are signed: the case is finished and its record locked.
    While the case is still to be heard, or was deferred and comes back, or its decision is not
    yet signed, the exception is allowed: it bears on the hearing to come (or on minutes not
    yet signed).
    """
    exception = ClockException(ExceptionKind(kind), start, end, note)  # end after start
    case = uow.get(Case, case_id, "case")
    clock = statutory_clock(case)
    if clock is None:
        gap = clock_gap_of(case)
        raise RuleViolation(
            "R12",
            f"This case's statutory clock is unknown ({gap}), and the law allows no exceptions "
            "to it in any case."
            if gap
            else "No statutory time limit applies to this request, so there is nothing an "
            "exception could apply to.",
        )
    clock.check_exception(exception)
    latest = uow.session.scalar(
        select(AgendaItem)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(AgendaItem.case_id == case_id, AgendaItem.status != ItemStatus.WITHDRAWN)
        .order_by(Meeting.meeting_date.desc(), Meeting.start_time.desc(), AgendaItem.id.desc())
        .limit(1)
    )
    if (
        latest is not None
        and latest.status == ItemStatus.DECIDED
        and latest.meeting.status == MeetingStatus.SIGNED
    ):
        ensure_editable(latest.meeting)  # raises R9: the signed decision is locked
    row = ClockExceptionRow(
        case_id=case_id, kind=ExceptionKind(kind), start_date=start, end_date=end, note=note
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit("clock_exception.added", "case", case_id, kind=row.kind, start=start, end=end)
    return row.id


CASE_OPEN, CASE_CLOSED = "open", "closed"


def withdraw_clock_exception(uow: UnitOfWork, exception_id: int, *, reason: str) -> None:
    """Withdraw a recorded exception: it stays on the record, marked withdrawn, and excuses
    nothing from then on. The reason is kept in the reasons table; the audit holds ids only."""
    row = uow.get(ClockExceptionRow, exception_id, "clock exception")
    if row.withdrawn_at is not None:
        raise PanelappError(
            f"Exception {exception_id} was already withdrawn; the case's list of exceptions "
            "shows when, and nothing more needs doing."
        )
    if not reason.strip():
        raise PanelappError("Say why the exception is withdrawn.")
    row.withdrawn_at = utc_now()
    uow.session.flush()
    record_reason(
        uow,
        entity="clock_exception",
        entity_id=exception_id,
        action="clock_exception.withdrawn",
        text=reason,
    )
    uow.audit("clock_exception.withdrawn", "case", row.case_id, exception_id=exception_id)


def close_case(uow: UnitOfWork, case_id: int, *, reason: str) -> None:
    """Take a case off the open caseload (decided elsewhere, withdrawn by the family, moved
    away). Its record stays; the reason is kept in the reasons table."""
    case = uow.get(Case, case_id, "case")
    if case.status == CASE_CLOSED:
        raise PanelappError(f"Case {case_id} is already closed.")
    if not reason.strip():
        raise PanelappError("Say why the case is closed.")
    case.status = CASE_CLOSED
    case.closed_at = utc_now()
    uow.session.flush()
    record_reason(uow, entity="case", entity_id=case_id, action="case.closed", text=reason)
    uow.audit("case.closed", "case", case_id)


def find_case(session, reference: str) -> Case:
    """The case with this council reference (the open one first, then the latest)."""
    rows = session.scalars(
        select(Case).where(Case.reference == reference.strip()).order_by(Case.id.desc())
    ).all()
    if not rows:
        raise PanelappError(
            f"There is no case with reference {reference!r}.",
            next_steps=(NextStep(Step.LIST_CASES),),
        )
    open_rows = [r for r in rows if r.status != CASE_CLOSED]
    return (open_rows or rows)[0]


class ClockFacts(Protocol):
    """What ``statutory_clock`` reads of a case: a ``Case`` row, or the plain values the
    figures read instead (services/panel_statistics.py)."""

    @property
    def request_type(self) -> RequestType: ...
    @property
    def request_received(self) -> date: ...
    @property
    def review_meeting_date(self) -> date | None: ...
    @property
    def transfer_year(self) -> int | None: ...
    @property
    def post16_transfer(self) -> bool: ...
    @property
    def transfer_date(self) -> date | None: ...
    @property
    def exceptions(self) -> Iterable[ClockExceptionRow]: ...


def statutory_clock(
    case: ClockFacts, *, proposals_sent: date | None = None
) -> StatutoryClock | None:
    """The case's clock with its recorded exceptions (R10-R15, R12); None when no clock
    applies or it cannot be worked out (``clock_gap_of`` says which). ``proposals_sent``
    (an annual review's amendment proposals) adds the 8-week amended-plan date."""
    clock = clock_for(
        case.request_type,
        case.request_received,
        review_meeting=case.review_meeting_date,
        transfer_year=case.transfer_year,
        post16=case.post16_transfer,
        transfer_date=case.transfer_date,
        proposals_sent=proposals_sent,
    )
    if clock is None:
        return None
    # Stored exceptions are kept as recorded; any that cannot apply excuse nothing.
    exceptions = tuple(
        ClockException(row.kind, row.start_date, row.end_date, row.note)
        for row in case.exceptions
        if row.withdrawn_at is None
    )
    return replace(clock, exceptions=exceptions) if exceptions else clock


def clock_gap_of(case: Case) -> str | None:
    """What is missing to work out the case's clock ('review meeting date missing'), or None
    when the clock is known or the request has none."""
    return clock_gap(
        case.request_type,
        review_meeting=case.review_meeting_date,
        transfer_year=case.transfer_year,
        transfer_date=case.transfer_date,
    )
