"""What a chair reads about statutory time limits, in the minutes read back from the real
.docx and on the command line: the due date as the Regulations set it, never moved by an
exception, an unknown clock said to be unknown, and the further plan dates."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from panelapp.cli import main
from panelapp.domain.errors import RuleViolation
from panelapp.domain.vocabulary import (
    ExceptionKind,
    NamingMode,
    Outcome,
    PrimaryNeed,
    RequestType,
    Role,
)
from panelapp.services import cases, decisions, meetings, panels, papers
from panelapp.services.minutes import generate_minutes, minutes_document
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import ClockExceptionRow, DecisionRow
from tests.helpers.meetings import ANY_TWO, MORNING, all_present, case_on_agenda, panel_with_members
from tests.helpers.minutes_docx import docx_text


def _meeting(store, on: date, *, working_days: bool = False) -> int:
    """A small quorate panel (chair and EP present) with one meeting on ``on``."""
    with UnitOfWork(store, "ops officer") as uow:
        panel_id, members = panel_with_members(
            uow,
            {
                "chair": ("Chair Person", [Role.CHAIR]),
                "ep": ("Psychologist Person", [Role.EDUCATIONAL_PSYCHOLOGIST]),
            },
            quorum=ANY_TWO,
            paper_deadline_working_days=working_days,
        )
        meeting_id = meetings.schedule_meeting(uow, panel_id, on=on, start=MORNING)
        all_present(uow, meeting_id, members.values(), start=False)
    return meeting_id


def _item(store, meeting_id: int, request_type: RequestType, received: date, **extra) -> int:
    with UnitOfWork(store, "ops officer") as uow:
        return case_on_agenda(
            uow,
            meeting_id,
            "NB-CLK-1",
            date_of_birth=date(2014, 5, 1),
            request_type=request_type,
            received=received,
            primary_need=PrimaryNeed.SLD,
            **extra,
        )


def _decide(store, meeting_id: int, item_id: int, **decision) -> None:
    with UnitOfWork(store, "minute taker") as uow:
        meetings.start_meeting(uow, meeting_id)
        decisions.record_decision(uow, item_id, rationale="As the papers set out.", **decision)


def _minutes(store, meeting_id: int) -> str:
    with UnitOfWork(store, "minute taker") as uow:
        meetings.start_meeting(uow, meeting_id)  # nothing when it already has
        generate_minutes(uow, meeting_id, NamingMode.INITIALS)
    with store.read() as session:
        _, data = minutes_document(session, meeting_id)
    return docx_text(data)


def _due_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("Statutory due date |"))


def _case_of(store, item_id: int) -> int:
    from panelapp.store.tables import AgendaItem

    with store.read() as session:
        return session.get(AgendaItem, item_id).case_id


# -- phase transfer (regulation 18) ----------------------------------------------------------


def test_a_phase_transfer_plan_amended_on_14_february_is_minuted_met(store):
    meeting_id = _meeting(store, date(2027, 2, 14))
    item = _item(
        store, meeting_id, RequestType.PHASE_TRANSFER, date(2026, 10, 1), transfer_year=2027
    )
    _decide(store, meeting_id, item, outcome=Outcome.NAME_SETTING, setting="Northfield Academy")

    line = _due_line(_minutes(store, meeting_id))

    assert "14 February 2027" in line and "Met: decided on 14 February 2027." in line


def test_a_phase_transfer_plan_amended_on_15_february_is_minuted_missed(store):
    meeting_id = _meeting(store, date(2027, 2, 15))
    item = _item(
        store, meeting_id, RequestType.PHASE_TRANSFER, date(2026, 10, 1), transfer_year=2027
    )
    _decide(store, meeting_id, item, outcome=Outcome.NAME_SETTING, setting="Northfield Academy")

    line = _due_line(_minutes(store, meeting_id))

    assert "Missed: decided on 15 February 2027, 1 day late." in line
    assert "Met:" not in line


def test_a_move_to_post16_decided_on_31_march_is_minuted_missed(store):
    meeting_id = _meeting(store, date(2027, 3, 31))
    item = _item(
        store,
        meeting_id,
        RequestType.PHASE_TRANSFER,
        date(2026, 10, 1),
        transfer_year=2027,
        post16_transfer=True,
    )
    _decide(store, meeting_id, item, outcome=Outcome.NAME_SETTING, setting="Northfield College")

    assert "30 March 2027" in _due_line(_minutes(store, meeting_id))
    assert "Missed: decided on 31 March 2027" in _due_line(_minutes(store, meeting_id))


def test_an_exception_on_a_phase_transfer_is_refused_and_the_date_stays(store):
    meeting_id = _meeting(store, date(2027, 2, 15))
    item = _item(
        store, meeting_id, RequestType.PHASE_TRANSFER, date(2026, 10, 1), transfer_year=2027
    )

    with pytest.raises(RuleViolation) as refused:
        with UnitOfWork(store, "ops officer") as uow:
            cases.add_clock_exception(
                uow,
                _case_of(store, item),
                kind=ExceptionKind.FAMILY_AWAY,
                start=date(2027, 1, 1),
                end=date(2027, 2, 1),
            )

    assert "The law allows no exceptions" in refused.value.message
    assert "R1" not in refused.value.message  # plain words, no rule codes
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(ClockExceptionRow)) == 0
    _decide(store, meeting_id, item, outcome=Outcome.NAME_SETTING, setting="Northfield Academy")
    assert "Missed: decided on 15 February 2027" in _due_line(_minutes(store, meeting_id))


# -- exceptions (regulations 5(4), 10(4), 13(3)) ---------------------------------------------


def test_a_three_day_family_away_for_four_weeks_is_refused(store):
    meeting_id = _meeting(store, date(2026, 3, 12))
    item = _item(store, meeting_id, RequestType.ASSESSMENT_REQUEST, date(2026, 1, 20))

    with pytest.raises(RuleViolation) as refused:
        with UnitOfWork(store, "ops officer") as uow:
            cases.add_clock_exception(
                uow,
                _case_of(store, item),
                kind=ExceptionKind.FAMILY_AWAY,
                start=date(2026, 2, 2),
                end=date(2026, 2, 4),
            )

    assert "at least four weeks (28 days)" in refused.value.message
    assert "is 3 days" in refused.value.message


def test_an_exception_outside_the_clocks_period_is_refused(store):
    meeting_id = _meeting(store, date(2026, 3, 12))
    item = _item(store, meeting_id, RequestType.ASSESSMENT_REQUEST, date(2026, 1, 20))

    with pytest.raises(RuleViolation) as refused:
        with UnitOfWork(store, "ops officer") as uow:
            cases.add_clock_exception(  # the 6 weeks end on 3 March 2026
                uow,
                _case_of(store, item),
                kind=ExceptionKind.PERSONAL_CIRCUMSTANCES,
                start=date(2026, 3, 4),
                end=date(2026, 3, 10),
                note="Bereavement",
            )

    assert "falls outside the period" in refused.value.message


def test_an_exception_keeps_the_due_date_and_the_minutes_say_missed_with_the_exception(store):
    meeting_id = _meeting(store, date(2026, 3, 12))
    item = _item(store, meeting_id, RequestType.ASSESSMENT_REQUEST, date(2026, 1, 20))
    with UnitOfWork(store, "ops officer") as uow:
        cases.add_clock_exception(
            uow,
            _case_of(store, item),
            kind=ExceptionKind.FAMILY_AWAY,
            start=date(2026, 1, 26),
            end=date(2026, 2, 22),
            note="Letter from the family",
        )
    _decide(store, meeting_id, item, outcome=Outcome.AGREE_TO_ASSESS)

    line = _due_line(_minutes(store, meeting_id))

    assert line.startswith("Statutory due date | 3 March 2026 (decision whether to assess).")
    assert (
        "Exception recorded: the family away from the area for 4 continuous weeks or more, "
        "26 January 2026 to 22 February 2026. Evidence: Letter from the family."
    ) in line
    assert (
        "Missed (exception applies: the family away from the area for 4 continuous weeks or "
        "more, 26 January 2026 to 22 February 2026): decided on 12 March 2026, 9 days late."
    ) in line


# -- the clock that cannot be worked out ------------------------------------------------------


def test_an_annual_review_without_its_meeting_date_is_clock_unknown_in_minutes_and_cli(
    store, store_path, monkeypatch, capsys
):
    meeting_id = _meeting(store, date(2026, 3, 12))
    _item(store, meeting_id, RequestType.ANNUAL_REVIEW, date(2026, 2, 1))

    line = _due_line(_minutes(store, meeting_id))
    store.close()
    assert line.startswith("Statutory due date | Clock unknown: review meeting date missing.")
    assert "No statutory time limit" not in line

    assert main(["--store", str(store_path), "show", str(meeting_id)]) == 0
    shown = capsys.readouterr().out
    assert "Clock unknown: review meeting date missing" in shown
    assert "No statutory time limit" not in shown


def test_a_phase_transfer_without_its_year_is_clock_unknown(store):
    meeting_id = _meeting(store, date(2026, 3, 12))
    _item(store, meeting_id, RequestType.PHASE_TRANSFER, date(2026, 2, 1))

    line = _due_line(_minutes(store, meeting_id))

    assert line.startswith("Statutory due date | Clock unknown: transfer year missing.")


# -- the further statutory dates --------------------------------------------------------------


def test_the_minutes_give_the_draft_and_final_plan_dates_of_the_twenty_weeks(store):
    meeting_id = _meeting(store, date(2026, 4, 20))
    item = _item(store, meeting_id, RequestType.POST_ASSESSMENT, date(2026, 1, 5))
    _decide(store, meeting_id, item, outcome=Outcome.ISSUE_PLAN)

    text = _minutes(store, meeting_id)

    assert "27 April 2026 (decision whether to issue an EHC plan)" in _due_line(text)
    further = next(line for line in text.splitlines() if line.startswith("Further statutory"))
    assert "Draft EHC plan at the latest (15 days before the final plan): 10 May 2026." in further
    assert "Final EHC plan (20 weeks from the request): 25 May 2026." in further


def test_the_minutes_give_the_amended_plan_dates_of_an_annual_review(store):
    meeting_id = _meeting(store, date(2026, 3, 20))
    item = _item(
        store,
        meeting_id,
        RequestType.ANNUAL_REVIEW,
        date(2026, 3, 10),
        review_meeting_date=date(2026, 3, 10),
    )
    _decide(store, meeting_id, item, outcome=Outcome.AMEND, sections_amended="F")

    text = _minutes(store, meeting_id)

    assert "7 April 2026 (decision to maintain, amend or cease the plan)" in _due_line(text)
    further = next(line for line in text.splitlines() if line.startswith("Further statutory"))
    assert (
        "Final amended plan if the proposals are sent on 20 March 2026 (8 weeks after the "
        "proposals): 15 May 2026."
    ) in further
    assert (
        "Final amended plan at the latest (12 weeks after the review meeting): 2 June 2026."
    ) in further


# -- funding decisions and paper deadlines ---------------------------------------------------


def test_a_top_up_agreed_without_a_start_date_is_refused_and_nothing_is_stored(store):
    meeting_id = _meeting(store, date(2026, 3, 12))
    item = _item(store, meeting_id, RequestType.TOP_UP, date(2026, 2, 20))

    with pytest.raises(RuleViolation) as refused:
        _decide(
            store, meeting_id, item, outcome=Outcome.AGREE_BAND, band="Band C", amount_pence=845_000
        )

    assert "needs the start date" in refused.value.message
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(DecisionRow)) == 0


def _paper(store, item_id: int, received: date) -> bool:
    with UnitOfWork(store, "ops officer") as uow:
        outcome = papers.add_paper(
            uow,
            item_id,
            file_name="provision-map.txt",
            data=b"Costed provision map.\n",
            received_at=datetime.combine(received, time(12, 0)),
        )
    return outcome.late


def test_two_working_days_before_a_meeting_after_christmas_is_23_december(store):
    meeting_id = _meeting(store, date(2026, 12, 29), working_days=True)
    item = _item(store, meeting_id, RequestType.TOP_UP, date(2026, 12, 1))

    assert _paper(store, item, date(2026, 12, 24))  # Christmas Eve is after the deadline
    with store.read() as session:
        from panelapp.store.tables import Meeting

        assert papers.deadline_for(session.get(Meeting, meeting_id)) == date(2026, 12, 23)
    text = _minutes(store, meeting_id)
    assert "LATE PAPER: provision-map, received 24 December 2026" in text


def test_two_calendar_days_before_the_same_meeting_takes_a_christmas_eve_paper(store):
    meeting_id = _meeting(store, date(2026, 12, 29))  # the default: calendar days
    item = _item(store, meeting_id, RequestType.TOP_UP, date(2026, 12, 1))

    assert not _paper(store, item, date(2026, 12, 24))


def test_working_days_skip_easter_monday_2027(store):
    meeting_id = _meeting(store, date(2027, 3, 31), working_days=True)  # a Wednesday
    item = _item(store, meeting_id, RequestType.TOP_UP, date(2027, 3, 1))

    assert not _paper(store, item, date(2027, 3, 25))  # Thursday: on time
    with store.read() as session:
        from panelapp.store.tables import Meeting

        # Tue 30, (Mon 29 Easter Monday), (weekend), (Fri 26 Good Friday), Thu 25: 2 working days
        assert papers.deadline_for(session.get(Meeting, meeting_id)) == date(2027, 3, 25)


def test_the_paper_deadline_setting_is_kept_with_the_panel(store):
    meeting_id = _meeting(store, date(2026, 12, 29))
    with store.read() as session:
        from panelapp.store.tables import Meeting

        panel_id = session.get(Meeting, meeting_id).panel_id
        settings = panels.panel_settings(session, panel_id)
    assert (settings.paper_deadline_days, settings.paper_deadline_working_days) == (2, False)
    with UnitOfWork(store, "ops officer") as uow:
        panels.update_panel(
            uow,
            panel_id,
            name=settings.name,
            quorum=settings.quorum,
            paper_deadline_days=3,
            naming_mode=settings.naming_mode,
            allow_declared_remained=False,
            paper_deadline_working_days=True,
        )
    with store.read() as session:
        after = panels.panel_settings(session, panel_id)
        assert (after.paper_deadline_days, after.paper_deadline_working_days) == (3, True)
        from panelapp.store.tables import Meeting

        assert papers.deadline_for(session.get(Meeting, meeting_id)) == date(2026, 12, 22)
