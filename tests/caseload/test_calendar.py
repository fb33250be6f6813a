"""Meeting series over bank holidays, and the .ics export read back with icalendar: stable
UIDs across exports, SEQUENCE up when a meeting moves, cancellations, and no case data."""

from __future__ import annotations

from datetime import date

from icalendar import Calendar

from panelapp.cli import main
from panelapp.domain.vocabulary import PanelType, PrimaryNeed, RequestType
from panelapp.services.cases import CaseDetails, add_case
from panelapp.services.meeting_series import plan_series
from panelapp.services.meetings import cancel_meeting, put_on_agenda, reschedule_meeting
from panelapp.services.panels import create_panel
from panelapp.services.unit_of_work import UnitOfWork


def test_a_series_moves_or_skips_england_bank_holidays():
    # Every 2 weeks on Monday from 30 March 2026: 13 April... Easter Monday is 6 April, so start
    # on 23 March: 23 Mar, 6 Apr (Easter Monday), 20 Apr, 4 May (early May bank holiday).
    days = plan_series(every_weeks=2, weekday=0, start=date(2026, 3, 23), count=4)
    assert [(d.on, d.moved_from) for d in days] == [
        (date(2026, 3, 23), None),
        (date(2026, 4, 7), date(2026, 4, 6)),
        (date(2026, 4, 20), None),
        (date(2026, 5, 5), date(2026, 5, 4)),
    ]
    skipped = plan_series(
        every_weeks=2, weekday=0, start=date(2026, 3, 23), until=date(2026, 5, 4), on_holiday="skip"
    )
    assert [d.on for d in skipped] == [date(2026, 3, 23), date(2026, 4, 20)]


def _events(path):
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_the_calendar_updates_instead_of_duplicating_and_holds_no_case_data(
    store, store_path, tmp_path, capsys
):
    with UnitOfWork(store, "Joanne Pike") as uow:
        panel = create_panel(uow, name="SEND Panel", panel_type=PanelType.SEND)
        case = add_case(
            uow,
            CaseDetails(
                reference="NB-26-0900",
                first_name="Zara",
                last_name="Ahmed",
                date_of_birth=date(2019, 5, 5),
                request_type=RequestType.ASSESSMENT_REQUEST,
                request_received=date(2026, 1, 20),
                primary_need=PrimaryNeed.SLCN,
            ),
        )
    store.close()
    run = lambda *a: main(["--store", str(store_path), "--as", "Joanne Pike", *a])  # noqa: E731
    assert (
        run(
            "meetings",
            "series",
            "--panel",
            str(panel),
            "--every",
            "2",
            "--weekday",
            "thursday",
            "--from",
            "2026-03-12",
            "--count",
            "3",
            "--time",
            "10:00",
            "--venue",
            "Room 4",
            "--link",
            "https://meet.example/send",
        )
        == 0
    )
    assert "Scheduled 3 meeting(s)" in capsys.readouterr().out
    first = tmp_path / "one.ics"
    assert run("meetings", "ics", "--out", str(first)) == 0
    one = _events(first)
    assert len(one) == 3
    assert {str(e["summary"]) for e in one.values()} == {"SEND Panel"}
    assert {str(e["location"]) for e in one.values()} == {"Room 4"}
    assert all(str(e["url"]) == "https://meet.example/send" for e in one.values())

    from panelapp.store.lifecycle import open_store

    reopened = open_store(store_path)
    try:
        from sqlalchemy import select

        from panelapp.store.tables import Meeting

        with reopened.read() as session:
            ids = list(session.scalars(select(Meeting.id).order_by(Meeting.meeting_date)))
        with UnitOfWork(reopened, "Joanne Pike") as uow:
            put_on_agenda(uow, ids[0], case)
            reschedule_meeting(uow, ids[1], on=date(2026, 3, 27), reason="Room booked")
            cancel_meeting(uow, ids[2], reason="Too few cases")
    finally:
        reopened.close()
    second = tmp_path / "two.ics"
    assert run("meetings", "ics", "--out", str(second)) == 0
    two = _events(second)
    assert set(two) == set(one)  # the same UIDs: calendars update the entries
    by_start = {uid: e for uid, e in two.items()}
    moved = [e for e in by_start.values() if int(e["sequence"]) == 1 and e["status"] == "CONFIRMED"]
    assert len(moved) == 1 and moved[0].decoded("dtstart").date() == date(2026, 3, 27)
    assert [str(e["status"]) for e in two.values()].count("CANCELLED") == 1
    text = second.read_text()
    for secret in ("Zara", "Ahmed", "NB-26-0900", "2019", "ZA"):
        assert secret not in text
    assert run("meetings", "ics", "--out", str(second)) == 2  # will not overwrite silently
    assert run("meetings", "ics", "--out", str(second), "--overwrite") == 0
