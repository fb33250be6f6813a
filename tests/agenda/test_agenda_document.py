"""The agenda as a Word document: the meeting's details, the items in order with their times,
presenting officers, request types, statutory due dates and papers with late ones marked, the
confidentiality marking on every page, and children named as the reader asked."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, date, datetime, time

import docx
import pytest
from sqlalchemy import select

from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import NamingMode
from panelapp.services import papers
from panelapp.services.agenda_export import build_agenda, export_agenda
from panelapp.store.tables import AuditEvent

DEMO_DAY = date(2026, 3, 12)


def _words(path) -> dict[str, str]:
    """The text of each part of a .docx (body, headers, footers)."""
    found = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                found[name] = " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    return found


def _rows(path) -> list[list[str]]:
    document = docx.Document(str(path))
    cases = document.tables[1]
    return [[c.text for c in row.cells] for row in cases.rows]


@pytest.fixture
def agenda(store, demo, tmp_path):
    return export_agenda(store, "Joanne Pike", demo.meeting_id, tmp_path, today=DEMO_DAY)


def test_the_agenda_has_the_meetings_details_and_every_item_in_order_with_times(agenda):
    assert agenda.path.name == "Agenda - SEND Panel (demonstration) - 2026-03-12.docx"
    body = _words(agenda.path)["word/document.xml"]
    for expected in (
        "SEND Panel (demonstration)",
        "Agenda: Thursday 12 March 2026",
        "Committee Room 2, Town Hall",
        "Helen Whitaker",  # chair
        "David Okafor",  # vice-chair
        "Joanne Pike",  # minute taker
        "by the end of Tuesday 10 March 2026",  # the paper deadline
        "Welcome, introductions and apologies",
        "Declarations of interest",
        "Governor of Oakwood Special School",  # declared before the meeting
        "Date of next meeting:",
        "Thursday 26 March 2026",
    ):
        assert expected in body, expected
    rows = _rows(agenda.path)
    header, items = rows[0], rows[1::2]
    assert header == ["Item", "Time", "Child", "Request", "Presenting", "Statutory due"]
    assert [r[0] for r in items] == [str(n) for n in range(1, 13)]
    # Opening business takes 10 minutes; then each case its allocation (item 10 has 20).
    assert items[0][1].startswith("09:40–09:55") and items[1][1].startswith("09:55–10:10")
    assert items[9][1].startswith("11:55–12:15") and items[11][1].startswith("12:30–12:45")
    assert items[0][2] == "OG (NB-24-0311)"
    assert items[0][3] == "EHC needs assessment request" and items[0][4] == "Claire Doyle"
    assert items[0][5].startswith("24 March 2026")  # request received 10 Feb + 42 days
    assert "Decision whether to assess" in items[0][5]
    assert items[3][4] == "Ben Carter"
    assert "No statutory clock" in items[8][5]  # a top-up has none


def test_papers_are_listed_under_their_item_with_late_ones_marked(agenda):
    rows = _rows(agenda.path)
    papers_of = {int(rows[i][0]): rows[i + 1][0] for i in range(1, len(rows), 2)}
    assert "1. EHC needs assessment - request form (Word" in papers_of[1]
    assert "3. Speech and language therapy report (PDF, 1 page" in papers_of[1]
    assert "LATE" not in papers_of[1]
    assert "Parents' views (text" in papers_of[10] and "LATE" in papers_of[10]
    assert "The vice-chair (David Okafor) chairs this item." in papers_of[10]
    assert agenda.late_papers == 1
    assert "There is 1 late paper" in _words(agenda.path)["word/document.xml"]


def test_every_page_carries_the_confidentiality_marking(agenda):
    parts = _words(agenda.path)
    headers = [t for n, t in parts.items() if "header" in n and t]
    footers = [t for n, t in parts.items() if "footer" in n and t]
    marking = "OFFICIAL-SENSITIVE: contains personal data about children. Do not forward."
    assert headers and all(marking in t for t in headers)
    assert footers and all(marking in t for t in footers)
    footer_xml = zipfile.ZipFile(agenda.path).read("word/footer1.xml").decode()
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml


def test_children_are_named_by_the_panels_mode_unless_the_export_overrides_it(
    store, demo, tmp_path, agenda
):
    everything = " ".join(_words(agenda.path).values())
    assert "Oliver" not in everything and "Grant" not in everything
    full = export_agenda(
        store, "Jo", demo.meeting_id, tmp_path / "full.docx", naming=NamingMode.FULL
    )
    assert "Oliver Grant (NB-24-0311)" in _words(full.path)["word/document.xml"]
    by_ref = export_agenda(
        store, "Jo", demo.meeting_id, tmp_path / "ref.docx", naming=NamingMode.REFERENCE
    )
    assert _rows(by_ref.path)[1][2] == "NB-24-0311"


def test_a_childs_name_in_a_paper_title_is_masked_as_the_naming_mode_says(
    store, prepared, tmp_path
):
    path = tmp_path / "Oliver Grant - EP advice.txt"
    path.write_text("Advice")
    papers.import_papers(
        store,
        "Ops",
        prepared.item_ids[0],
        [path],
        received_at=datetime(2026, 3, 2, 12, tzinfo=UTC).replace(tzinfo=None),
    )
    with store.read() as session:
        initials = build_agenda(session, prepared.meeting_id, naming=NamingMode.INITIALS)
        reference = build_agenda(session, prepared.meeting_id, naming=NamingMode.REFERENCE)
        full = build_agenda(session, prepared.meeting_id, naming=NamingMode.FULL)
    assert initials.entries[0].papers[0].title == "OG - EP advice"
    assert reference.entries[0].papers[0].title == "NB-T-0001 - EP advice"
    assert full.entries[0].papers[0].title == "Oliver Grant - EP advice"
    assert initials.entries[1].papers == ()  # nothing received for item 2 yet


def test_the_export_is_audited_without_names_and_never_left_half_written(
    store, demo, tmp_path, agenda
):
    with store.read() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "agenda.exported"))
    detail = json.loads(event.detail)
    assert event.entity_id == demo.meeting_id and event.actor == "Joanne Pike"
    assert (
        detail["sha256"] == agenda.sha256
        and detail["naming"] == "initials"
        and detail["items"] == 12
    )
    assert "Oliver" not in event.detail and str(tmp_path) not in event.detail
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    with pytest.raises(PanelappError, match="already exists.*--overwrite"):
        export_agenda(store, "Jo", demo.meeting_id, tmp_path)
    again = export_agenda(store, "Jo", demo.meeting_id, tmp_path, overwrite=True)
    assert again.path == agenda.path


def test_an_agenda_opens_in_python_docx_and_a_scheduled_meeting_lists_returning_cases(
    store, demo, tmp_path
):
    result = export_agenda(store, "Jo", demo.next_meeting_id, tmp_path / "next.docx")
    document = docx.Document(io.BytesIO(result.path.read_bytes()))
    assert document.sections[0].page_width.cm == pytest.approx(21.0, abs=0.01)
    body = _words(result.path)["word/document.xml"]
    assert "Returning after deferral" in body and "Costed provision map" in body
    assert result.items == 4


def test_unknown_meeting_or_folder_ends_in_a_plain_message(store, demo, tmp_path):
    with pytest.raises(PanelappError, match="no meeting with id 99"):
        export_agenda(store, "Jo", 99, tmp_path)
    with pytest.raises(PanelappError, match="does not exist"):
        export_agenda(store, "Jo", demo.meeting_id, tmp_path / "nowhere" / "agenda.docx")


def test_start_times_follow_the_opening_business_setting(store, demo):
    with store.read() as session:
        content = build_agenda(session, demo.meeting_id, opening_minutes=0)
    assert content.entries[0].start == time(9, 30) and content.entries[1].start == time(9, 45)
