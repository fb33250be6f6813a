"""Builders of panels, meetings and agendas through the real services, for the tests that need
a meeting of their own rather than the demonstration one.

Each takes an open unit of work, so a test can build in one transaction and then change what it
built in the same one. Members are given as ``{key: (name, roles)}`` and come back as
``{key: member id}``, in the order given (which is the order their ids are made in).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time

from panelapp.domain.quorum import QuorumRule
from panelapp.domain.vocabulary import (
    AttendanceStatus,
    PanelType,
    PrimaryNeed,
    RequestType,
    Role,
)
from panelapp.services import cases, meetings, panels
from panelapp.services.unit_of_work import UnitOfWork

#: three members, among them the chair or the vice-chair and an educational psychologist
CHAIR_OR_VICE_AND_EP = QuorumRule(
    minimum_members=3,
    required_roles=(
        frozenset({Role.CHAIR, Role.VICE_CHAIR}),
        frozenset({Role.EDUCATIONAL_PSYCHOLOGIST}),
    ),
)
#: any two members
ANY_TWO = QuorumRule(minimum_members=2, required_roles=())

#: the usual start of a meeting in the tests
MORNING = time(9, 30)


def panel_with_members(
    uow: UnitOfWork,
    members: Mapping[str, tuple[str, Sequence[Role]]],
    *,
    name: str = "SEND Panel",
    panel_type: PanelType = PanelType.SEND,
    quorum: QuorumRule | None = None,
    **settings: object,
) -> tuple[int, dict[str, int]]:
    """A new panel (``settings``: create_panel's other options) and its members:
    (panel id, {key: member id})."""
    panel_id = panels.create_panel(uow, name=name, panel_type=panel_type, quorum=quorum, **settings)
    ids = {
        key: panels.add_member(uow, panel_id, name=member, roles=list(roles))
        for key, (member, roles) in members.items()
    }
    return panel_id, ids


def new_case(
    uow: UnitOfWork,
    reference: str,
    *,
    received: date,
    request_type: RequestType = RequestType.ASSESSMENT_REQUEST,
    first_name: str = "Test",
    last_name: str = "Child",
    date_of_birth: date = date(2018, 5, 1),
    primary_need: PrimaryNeed = PrimaryNeed.SLCN,
    **details: object,
) -> int:
    """A new case (``details``: CaseDetails' other fields): its id."""
    return cases.add_case(
        uow,
        cases.CaseDetails(
            reference=reference,
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            request_type=request_type,
            request_received=received,
            primary_need=primary_need,
            **details,
        ),
    )


def case_on_agenda(
    uow: UnitOfWork,
    meeting_id: int,
    reference: str,
    *,
    presenting_officer: str = "",
    **case: object,
) -> int:
    """A new case (``case``: new_case's options) put on the meeting's agenda: the agenda
    item's id."""
    case_id = new_case(uow, reference, **case)
    return meetings.put_on_agenda(uow, meeting_id, case_id, presenting_officer=presenting_officer)


def all_present(
    uow: UnitOfWork, meeting_id: int, member_ids: Iterable[int], *, start: bool = True
) -> None:
    """Every one of ``member_ids`` present, and (``start``) the meeting started."""
    for member_id in member_ids:
        meetings.record_attendance(uow, meeting_id, member_id, AttendanceStatus.PRESENT)
    if start:
        meetings.start_meeting(uow, meeting_id)
