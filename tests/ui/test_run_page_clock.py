"""The run page's key facts show each statutory date the chair needs, and say so when a
clock cannot be worked out, never 'no time limit'."""

from __future__ import annotations

from datetime import date

from panelapp.domain.vocabulary import PrimaryNeed, RequestType, Role
from panelapp.services import meetings
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow
from tests.helpers.meetings import ANY_TWO, MORNING, case_on_agenda, panel_with_members

MEETING_DAY = date(2026, 4, 20)


def _meeting(store) -> int:
    with UnitOfWork(store, "ops officer") as uow:
        panel_id, _ = panel_with_members(
            uow, {"chair": ("Helen Chair", [Role.CHAIR])}, quorum=ANY_TWO
        )
        meeting_id = meetings.schedule_meeting(uow, panel_id, on=MEETING_DAY, start=MORNING)
        for n, (rtype, extra) in enumerate(
            [
                (RequestType.POST_ASSESSMENT, {}),
                (RequestType.ANNUAL_REVIEW, {}),
                (RequestType.ANNUAL_REVIEW, {"review_meeting_date": date(2026, 4, 10)}),
            ],
            start=1,
        ):
            case_on_agenda(
                uow,
                meeting_id,
                f"NB-RUN-{n}",
                first_name="Child",
                last_name=f"Number{n}",
                date_of_birth=date(2016, 1, n),
                request_type=rtype,
                received=date(2026, 1, 5),
                primary_need=PrimaryNeed.SEMH,
                presenting_officer="Officer",
                **extra,
            )
    return meeting_id


def _facts(qtbot, window, position: int) -> str:
    run = window.meeting_screen.run
    window.meeting_screen.tabs.setCurrentWidget(run)
    run.select_item(position)
    qtbot.waitUntil(lambda: "Request received" in run.facts.text())
    return run.facts.text()


def test_the_run_page_shows_the_due_date_the_plan_dates_and_an_unknown_clock(
    qtbot, store, store_path
):
    meeting_id = _meeting(store)
    window = MainWindow(AppContext(store, "Jo Minutes"), store_path)
    qtbot.addWidget(window)
    window.show()
    window.meetings.select(meeting_id)

    plan = _facts(qtbot, window, 1)
    assert "Decision whether to issue an EHC plan" in plan and "due 27 April 2026" in plan
    assert "draft EHC plan at the latest: 10 May 2026" in plan
    assert "10 May 2026" in plan and "25 May 2026" in plan

    unknown = _facts(qtbot, window, 2)
    assert "clock unknown: review meeting date missing" in unknown
    assert "no statutory time limit" not in unknown.lower()

    review = _facts(qtbot, window, 3)
    assert "due 8 May 2026" in review  # four weeks after the review meeting
    assert "final amended plan at the latest: 3 July 2026" in review
    assert "3 July 2026" in review
    # the 8 weeks run from proposals sent on the day of this panel: 15 June 2026
    assert "15 June 2026" in review
