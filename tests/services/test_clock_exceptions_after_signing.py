"""A clock exception changes the case's statutory clock wherever it is shown, so it is refused
(R9) once the case was decided at a meeting whose minutes are signed; a case still to be heard,
or deferred to a later meeting, or decided but not yet signed, can have one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from panelapp.domain.errors import RuleViolation
from panelapp.domain.vocabulary import ExceptionKind, NamingMode
from panelapp.services import cases
from panelapp.services.minutes import generate_minutes, sign_minutes
from panelapp.services.signing import create_signing_identity
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, Case, ClockExceptionRow


def _case_of(store, item_id: int) -> int:
    with store.read() as session:
        return session.get(AgendaItem, item_id).case_id


def _add_exception(store, case_id: int) -> int:
    """Exceptional personal circumstances in the first days of the case's 6-week clock."""
    with UnitOfWork(store, "Joanne Pike") as uow:
        received = uow.get(Case, case_id, "case").request_received
        return cases.add_clock_exception(
            uow,
            case_id,
            kind=ExceptionKind.PERSONAL_CIRCUMSTANCES,
            start=received + timedelta(days=1),
            end=received + timedelta(days=4),
        )


def _sign(store, demo) -> None:
    chair = demo.member_ids["Helen Whitaker"]
    with UnitOfWork(store, "Test") as uow:
        create_signing_identity(uow, chair)
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    with UnitOfWork(store, "Helen Whitaker") as uow:
        sign_minutes(uow, demo.meeting_id, chair)


def test_a_case_decided_at_a_signed_meeting_takes_no_clock_exception(store, demo):
    decided = _case_of(store, demo.item_ids[0])  # decided at the demo meeting
    _add_exception(store, decided)  # allowed while the minutes are not signed
    _sign(store, demo)
    with pytest.raises(RuleViolation) as refused:
        _add_exception(store, decided)
    assert refused.value.rule == "R9"
    with store.read() as session:
        rows = session.scalars(
            select(ClockExceptionRow).where(ClockExceptionRow.case_id == decided)
        ).all()
    assert len(rows) == 1  # only the one made before signing


def test_a_case_still_to_be_heard_takes_a_clock_exception_after_signing(store, demo):
    _sign(store, demo)
    deferred = _case_of(store, demo.item_ids[2])  # deferred there, on the next agenda now
    with store.read() as session:
        new = session.scalar(
            select(AgendaItem.case_id).where(
                AgendaItem.meeting_id == demo.next_meeting_id, AgendaItem.position == 2
            )
        )
    assert _add_exception(store, deferred) and _add_exception(store, new)
