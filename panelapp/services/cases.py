"""Cases: one request about one child or young person, with its statutory clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from panelapp.domain.deadlines import ClockException, StatutoryClock, clock_for
from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import ExceptionKind, PrimaryNeed, RequestType
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import Case, ClockExceptionRow


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
        primary_need=PrimaryNeed(details.primary_need).value,
        secondary_need=PrimaryNeed(details.secondary_need).value
        if details.secondary_need
        else None,
        case_officer=details.case_officer,
        request_type=RequestType(details.request_type).value,
        request_received=details.request_received,
        review_meeting_date=details.review_meeting_date,
        transfer_year=details.transfer_year,
        post16_transfer=details.post16_transfer,
        created_at=datetime.now(UTC).replace(tzinfo=None),
    )
    uow.session.add(case)
    uow.session.flush()
    # The audit names the case by id only: the trail never repeats a child's name.
    uow.audit("case.added", "case", case.id, request_type=case.request_type)
    return case.id


def add_clock_exception(
    uow: UnitOfWork, case_id: int, *, kind: ExceptionKind, start: date, end: date, note: str = ""
) -> int:
    ClockException(ExceptionKind(kind), start, end, note)  # validates the dates (R12)
    uow.get(Case, case_id, "case")
    row = ClockExceptionRow(
        case_id=case_id, kind=ExceptionKind(kind).value, start_date=start, end_date=end, note=note
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit("clock_exception.added", "case", case_id, kind=row.kind, start=start, end=end)
    return row.id


def statutory_clock(case: Case) -> StatutoryClock | None:
    """The case's clock with its recorded exceptions (R10-R15, R12)."""
    clock = clock_for(
        RequestType(case.request_type),
        case.request_received,
        review_meeting=case.review_meeting_date,
        transfer_year=case.transfer_year,
        post16=case.post16_transfer,
    )
    if clock is None:
        return None
    for row in case.exceptions:
        clock = clock.with_exception(
            ClockException(ExceptionKind(row.kind), row.start_date, row.end_date, row.note)
        )
    return clock
