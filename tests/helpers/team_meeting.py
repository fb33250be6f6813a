"""A meeting prepared on a team store and run on a laptop, through the real services, for the
check-out and check-in tests and the benchmark."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from panelapp.domain.vocabulary import AttendanceStatus, NamingMode, Outcome, Role
from panelapp.services import decisions, declarations, meetings, papers
from panelapp.services.minutes import generate_minutes, sign_minutes
from panelapp.services.signing import create_signing_identity
from panelapp.services.unit_of_work import UnitOfWork
from tests.helpers.meetings import CHAIR_OR_VICE_AND_EP, MORNING, case_on_agenda, panel_with_members
from tests.helpers.paper_files import pdf

#: the day the team meeting is held (a Thursday)
TEAM_DAY = date(2026, 3, 12)
MEMBERS = {
    "chair": ("Helen Whitaker", [Role.CHAIR]),
    "vice": ("David Okafor", [Role.VICE_CHAIR]),
    "ep": ("Priya Raman", [Role.EDUCATIONAL_PSYCHOLOGIST]),
    "head": ("Sam Carter", [Role.SCHOOLS_REP]),
}


@dataclass(frozen=True)
class TeamMeeting:
    meeting_id: int
    member_ids: dict[str, int]
    item_ids: list[int]


def prepare(store, *, cases: int = 3, papers_per_case: int = 1) -> TeamMeeting:
    """A panel, a meeting on TEAM_DAY with ``cases`` cases on its agenda and their papers."""
    with UnitOfWork(store, "Joanne Pike") as uow:
        _panel, ids = panel_with_members(uow, MEMBERS, quorum=CHAIR_OR_VICE_AND_EP)
        meeting_id = meetings.schedule_meeting(uow, _panel, on=TEAM_DAY, start=MORNING)
        items = [
            case_on_agenda(uow, meeting_id, f"REF-{n:03d}", received=TEAM_DAY - timedelta(days=20))
            for n in range(cases)
        ]
        for item in items:
            for k in range(papers_per_case):
                papers.add_paper(
                    uow,
                    item,
                    file_name=f"report-{k}.pdf",
                    data=pdf([f"Report {k} for item {item}"]),
                    received_at=datetime(2026, 3, 2, 10, 0),
                )
    return TeamMeeting(meeting_id, ids, items)


def run_offline(store, meeting: TeamMeeting, *, rationale: str = "Evidence of need.") -> None:
    """Run the meeting on the laptop: attendance, a declaration, two decisions and a deferral,
    the meeting closed, minutes generated and signed by the chair with a certificate made on
    the laptop."""
    ids, items = meeting.member_ids, meeting.item_ids
    with UnitOfWork(store, "Joanne Pike") as uow:
        for member in ids.values():
            meetings.record_attendance(uow, meeting.meeting_id, member, AttendanceStatus.PRESENT)
        meetings.start_meeting(uow, meeting.meeting_id)
        declarations.declare_interest(
            uow, meeting.meeting_id, ids["head"], item_id=items[0], nature="Governor of the school"
        )
        for item in items[:-1]:
            decisions.record_decision(
                uow, item, outcome=Outcome.AGREE_TO_ASSESS, rationale=rationale
            )
        decisions.defer_item(
            uow,
            items[-1],
            reason="Speech and language report awaited",
            information_required="SALT report",
            provider="NHS SALT service",
            return_date=TEAM_DAY + timedelta(days=14),
        )
        meetings.close_meeting(uow, meeting.meeting_id)
    with UnitOfWork(store, "Helen Whitaker") as uow:
        create_signing_identity(uow, ids["chair"])
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, meeting.meeting_id, NamingMode.INITIALS)
    with UnitOfWork(store, "Helen Whitaker") as uow:
        sign_minutes(uow, meeting.meeting_id, ids["chair"])
