"""Property: for generated cases and meeting days, every statutory date the minutes show (read
back from the .docx) is the Regulations' arithmetic, and 'Met' appears exactly when the
meeting day is on or before the due date."""

from __future__ import annotations

from datetime import date, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panelapp.domain.formatting import format_date
from panelapp.domain.vocabulary import (
    AttendanceStatus,
    NamingMode,
    Outcome,
    PrimaryNeed,
    RequestType,
    Role,
)
from panelapp.services import cases, decisions, meetings
from panelapp.services.minutes import generate_minutes, minutes_document
from panelapp.services.unit_of_work import UnitOfWork
from tests.helpers.meetings import ANY_TWO, panel_with_members
from tests.helpers.minutes_docx import docx_text

#: request type -> (outcome to decide, the arithmetic of its due date from the case's dates)
RULES = {
    RequestType.ASSESSMENT_REQUEST: (Outcome.AGREE_TO_ASSESS, lambda r, y: r + timedelta(42)),
    RequestType.POST_ASSESSMENT: (Outcome.ISSUE_PLAN, lambda r, y: r + timedelta(weeks=16)),
    RequestType.REASSESSMENT: (Outcome.AGREE, lambda r, y: r + timedelta(days=15)),
    RequestType.ANNUAL_REVIEW: (Outcome.MAINTAIN, lambda r, y: r + timedelta(weeks=4)),
    RequestType.PHASE_TRANSFER: (Outcome.NAME_SETTING_TYPE, lambda r, y: date(y, 2, 14)),
}

CASES = st.lists(
    st.tuples(st.sampled_from(sorted(RULES)), st.integers(min_value=1, max_value=160)),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(meeting_day=st.dates(min_value=date(2025, 9, 1), max_value=date(2028, 6, 30)), cases_=CASES)
def test_every_due_date_in_the_minutes_is_the_regulations_arithmetic(store, meeting_day, cases_):
    expected = []
    with UnitOfWork(store, "ops officer") as uow:
        panel_id, members = panel_with_members(
            uow,
            {
                "chair": ("Chair Person", [Role.CHAIR]),
                "ep": ("Psychologist Person", [Role.EDUCATIONAL_PSYCHOLOGIST]),
            },
            quorum=ANY_TWO,
        )
        meeting_id = meetings.schedule_meeting(uow, panel_id, on=meeting_day, start=time(9))
        items = []
        for n, (rtype, days_before) in enumerate(cases_, start=1):
            received = meeting_day - timedelta(days=days_before)
            year = meeting_day.year
            case_id = cases.add_case(
                uow,
                cases.CaseDetails(
                    reference=f"NB-P-{n}",
                    first_name="Child",
                    last_name=f"N{n}",
                    date_of_birth=date(2012, 1, 1),
                    request_type=rtype,
                    request_received=received,
                    primary_need=PrimaryNeed.MLD,
                    review_meeting_date=received,
                    transfer_year=year if rtype is RequestType.PHASE_TRANSFER else None,
                ),
            )
            items.append((meetings.put_on_agenda(uow, meeting_id, case_id), rtype))
            expected.append(RULES[rtype][1](received, year))
        for member_id in members.values():
            meetings.record_attendance(uow, meeting_id, member_id, AttendanceStatus.PRESENT)
        meetings.start_meeting(uow, meeting_id)
        for item_id, rtype in items:
            decisions.record_decision(
                uow,
                item_id,
                outcome=RULES[rtype][0],
                rationale="As the papers set out.",
                setting="Special school",
            )
        generate_minutes(uow, meeting_id, NamingMode.REFERENCE)
    with store.read() as session:
        text = docx_text(minutes_document(session, meeting_id)[1])

    lines = [line for line in text.splitlines() if line.startswith("Statutory due date |")]
    assert len(lines) == len(expected)
    for line, due in zip(lines, expected, strict=True):
        assert line.startswith(f"Statutory due date | {format_date(due)} (")
        if meeting_day <= due:
            assert f"Met: decided on {format_date(meeting_day)}." in line
        else:
            late = (meeting_day - due).days
            assert f"Missed: decided on {format_date(meeting_day)}, {late} day" in line
