"""Documents that look like the council's: its letterhead from the panel settings, the previous
meeting's minutes and matters arising at the head of the agenda, the close of the meeting and the
next meeting in the minutes, and a signature block that never stands alone on a page."""

from __future__ import annotations

import io
from datetime import date

import docx
from docx.oxml.ns import qn

from panelapp.cli import main
from panelapp.domain.uk_time import uk_time
from panelapp.domain.vocabulary import AttendanceStatus, NamingMode
from panelapp.services.agenda_export import export_agenda
from panelapp.services.meetings import record_attendance, start_meeting
from panelapp.services.minutes import generate_minutes, minutes_document
from panelapp.services.panels import panel_settings, set_council_details
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.lifecycle import open_store
from panelapp.store.tables import ActionRow, Meeting


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(
        "".join(t.text or "" for t in block.iter(qn("w:t")))
        for block in document.element.body.iter(qn("w:p"))
    )


def _council(store, demo) -> int:
    with store.read() as session:
        panel_id = session.get(Meeting, demo.meeting_id).panel_id
    with UnitOfWork(store, "Joanne Pike") as uow:
        set_council_details(
            uow,
            panel_id,
            council="Northbridge Council",
            address="Town Hall\nMarket Street\nNorthbridge NB1 1AA",
            contact="01234 567890, send.panel@northbridge.gov.uk",
        )
    return panel_id


def test_the_agenda_heads_with_the_council_and_opens_with_the_previous_business(
    store, demo, tmp_path
):
    _council(store, demo)
    with UnitOfWork(store, "Joanne Pike") as uow:  # agreed at the first meeting, not yet due
        uow.session.add(
            ActionRow(
                meeting_id=demo.meeting_id,
                description="Write to the school about transport",
                owner="Gary Mills",
                due_date=date(2026, 4, 30),
            )
        )
    path = export_agenda(store, "Jo", demo.next_meeting_id, tmp_path / "next.docx").path
    text = _text(path.read_bytes())
    for line in ("Northbridge Council", "Town Hall", "Northbridge NB1 1AA"):
        assert line in text
    assert "Contact: 01234 567890, send.panel@northbridge.gov.uk" in text
    order = [
        text.index(heading)
        for heading in (
            "Declarations of interest",
            "C.  Minutes of the previous meeting",
            "D.  Matters arising",
            "Returning after deferral",  # the first case
        )
    ]
    assert order == sorted(order)
    assert "The minutes of the meeting of Thursday 12 March 2026 are not yet written" in text
    # the demo's two actions were due before 26 March; the new one is not
    assert "3 actions from earlier meetings are still open, 2 of them overdue:" in text
    lines = text.splitlines()
    transport = next(line for line in lines if line.startswith("Write to the school"))
    assert "owner: Gary Mills; due 30 April 2026; meeting of 12 March 2026" in transport
    assert "OVERDUE" not in transport
    assert sum("OVERDUE" in line for line in lines) == 2


def test_the_agenda_says_when_the_previous_minutes_wait_for_signing(store, demo, tmp_path):
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    path = export_agenda(store, "Jo", demo.next_meeting_id, tmp_path / "next.docx").path
    text = _text(path.read_bytes())
    assert (
        "The minutes of the meeting of Thursday 12 March 2026: to be agreed and signed by the "
        "chair." in text
    )
    first = export_agenda(store, "Jo", demo.meeting_id, tmp_path / "first.docx").path
    assert "This is the panel's first meeting" in _text(first.read_bytes())


def test_the_minutes_give_the_letterhead_the_close_and_the_next_meeting(store, demo):
    _council(store, demo)
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    with store.read() as session:
        closed = uk_time(session.get(Meeting, demo.meeting_id).closed_at)
        data = minutes_document(session, demo.meeting_id)[1]
    text = _text(data)
    assert "Northbridge Council, Town Hall, Market Street, Northbridge NB1 1AA" in text
    close = f"The meeting closed at {closed:%H:%M} {closed.tzname()}."
    assert f"{close} Date of the next meeting: Thursday 26 March 2026." in text
    # the closing lines sit just above the signature block and are kept on its page
    document = docx.Document(io.BytesIO(data))
    paragraphs = list(document.element.body.iter(qn("w:p")))
    words = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in paragraphs]
    at = next(n for n, line in enumerate(words) if close in line)
    assert paragraphs[at].find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
    assert words[at - 1] == "5. Signature"


def test_the_next_meetings_minutes_say_what_became_of_the_actions(store, demo):
    with UnitOfWork(store, "Joanne Pike") as uow:
        for name in ("Helen Whitaker", "David Okafor", "Dr Priya Nair"):
            record_attendance(
                uow, demo.next_meeting_id, demo.member_ids[name], AttendanceStatus.PRESENT
            )
        start_meeting(uow, demo.next_meeting_id)
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.next_meeting_id, NamingMode.INITIALS)
    with store.read() as session:
        text = _text(minutes_document(session, demo.next_meeting_id)[1])
    assert "Actions from the meeting of 12 March 2026:" in text
    assert text.count("Open: carried forward") == 2
    assert "The meeting closed at" not in text  # still in progress


def test_the_council_details_are_set_and_listed_from_the_command_line(
    store, store_path, demo, capsys
):
    store.close()
    run = lambda *args: main(["--store", str(store_path), "--as", "Jo", *args])  # noqa: E731
    assert (
        run(
            "panels",
            "set",
            "1",
            "--council-address",
            "Town Hall; Market Street",
            "--council-contact",
            "01234 567890",
        )
        == 0
    )
    assert "Town Hall, Market Street; 01234 567890" in capsys.readouterr().out
    assert run("panels", "list") == 0
    listed = capsys.readouterr().out
    assert "address: Town Hall; Market Street" in listed
    assert "contact: 01234 567890" in listed
    assert run("panels", "set", "1") == 2
    assert "--council-address" in capsys.readouterr().err

    reopened = open_store(store_path)
    try:
        with reopened.read() as session:
            settings = panel_settings(session, 1)
        assert settings.council_address == "Town Hall\nMarket Street"
    finally:
        reopened.close()
