"""Each member's pack: the agenda and the papers, without the papers of any case the member
declared an interest in before the meeting (R3), saying so on its cover without naming the
child; every pack is in the audit trail."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date, datetime

import pytest
from sqlalchemy import select

from panelapp.domain.errors import PanelappError
from panelapp.services import declarations, papers
from panelapp.services.packs import AGENDA_NAME, COVER_NAME, export_packs
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AuditEvent
from tests.helpers import paper_files as files

DEMO_DAY = date(2026, 3, 12)


def _text(data: bytes) -> str:
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    return " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


#: The chair (declared in advance), the vice-chair, an EP and the head who declared on the day.
CHOSEN = ["Helen Whitaker", "David Okafor", "Dr Priya Nair", "Tom Ashworth"]


@pytest.fixture
def packs(store, demo, tmp_path):
    made = export_packs(
        store, "Joanne Pike", demo.meeting_id, tmp_path, members=CHOSEN, today=DEMO_DAY
    )
    return {p.member_name: p for p in made}


def test_every_active_member_gets_a_zip_pack_with_cover_agenda_and_papers(store, demo, tmp_path):
    progress = []
    made = export_packs(
        store,
        "Joanne Pike",
        demo.meeting_id,
        tmp_path,
        today=DEMO_DAY,
        on_progress=lambda done, total: progress.append(done),
    )
    packs = {p.member_name: p for p in made}
    assert set(packs) == set(demo.member_ids) and progress == list(range(len(made) + 1))
    pack = packs["Dr Priya Nair"]
    assert pack.path.name == "Pack - Dr Priya Nair - SEND Panel (demonstration) - 2026-03-12.zip"
    with zipfile.ZipFile(pack.path) as archive:
        names = archive.namelist()
        assert names[:2] == [COVER_NAME, AGENDA_NAME]
        assert "Item 01 - 3 Speech and language therapy report.pdf" in names
        assert "Item 10 - 3 Parents' views.txt" in names
        assert archive.testzip() is None
    assert pack.withheld_positions == () and pack.papers == len(names) - 2
    assert "None. You have not declared an interest" in _text(
        zipfile.ZipFile(pack.path).read(COVER_NAME)
    )


def test_a_member_with_an_advance_declaration_gets_no_papers_of_that_case(packs, store, demo):
    chair = packs["Helen Whitaker"]  # declared an interest in item 10 before the meeting
    other = packs["David Okafor"]
    with zipfile.ZipFile(chair.path) as archive:
        names = archive.namelist()
        cover = _text(archive.read(COVER_NAME))
        agenda = _text(archive.read(AGENDA_NAME))
    assert chair.withheld_positions == (10,)
    assert not any(n.startswith("Item 10") for n in names)
    assert chair.papers == other.papers - 3
    with zipfile.ZipFile(other.path) as archive:
        assert sum(n.startswith("Item 10") for n in archive.namelist()) == 3
    assert "Item 10 (11:55, Placement / change of placement)" in cover
    # The cover and the chair's agenda do not name the child of the withheld case.
    assert "Ella" not in cover and "ER (NB-21-0610)" not in cover and "NB-21-0610" not in cover
    assert "ER (NB-21-0610)" not in agenda and "Papers withheld from this pack" in agenda
    assert "Parents' views" not in agenda


def test_a_declaration_made_on_the_day_does_not_recall_papers(packs):
    # Tom Ashworth declared at the meeting (item 9): his pack was already sent with it.
    assert packs["Tom Ashworth"].withheld_positions == ()


def test_each_pack_is_audited_with_the_withheld_items_and_no_child(packs, store, demo):
    with store.read() as session:
        events = list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == "pack.exported"))
        )
    assert len(events) == len(CHOSEN)
    chair = next(
        e for e in events if json.loads(e.detail)["member_id"] == demo.member_ids["Helen Whitaker"]
    )
    detail = json.loads(chair.detail)
    assert detail["withheld_items"] == [10] and detail["sha256"] == packs["Helen Whitaker"].sha256
    assert all("NB-" not in e.detail and "Ella" not in e.detail for e in events)


def test_a_scheduled_meetings_pack_leaves_out_a_case_declared_in_advance(store, prepared, tmp_path):
    for item_id, name in ((prepared.item_ids[0], "a.pdf"), (prepared.item_ids[1], "b.pdf")):
        path = tmp_path / name
        path.write_bytes(files.pdf([f"Paper {name}"]))
        papers.import_papers(store, "Ops", item_id, [path], received_at=datetime(2026, 3, 1, 12))
    with UnitOfWork(store, "Ops") as uow:
        declarations.declare_interest(
            uow,
            prepared.meeting_id,
            prepared.member_ids["head"],
            item_id=prepared.item_ids[1],
            nature="Headteacher of the child's school",
            before_meeting=True,
        )
    out = tmp_path / "packs"
    out.mkdir()
    made = export_packs(
        store,
        "Ops",
        prepared.meeting_id,
        out,
        members=["Head Teacher", str(prepared.member_ids["ep"])],
        as_zip=False,
    )
    head, ep = made
    assert head.withheld_positions == (2,) and ep.withheld_positions == ()
    assert sorted(p.name for p in head.path.iterdir()) == [
        COVER_NAME,
        AGENDA_NAME,
        "Item 01 - 1 a.pdf",
    ]
    assert sorted(p.name for p in ep.path.iterdir())[-1] == "Item 02 - 1 b.pdf"
    assert (head.path / "Item 01 - 1 a.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_an_unknown_member_or_an_existing_pack_ends_in_a_plain_message(
    store, demo, tmp_path, packs
):
    with pytest.raises(PanelappError, match="is not an active member.*Helen Whitaker"):
        export_packs(store, "Jo", demo.meeting_id, tmp_path, members=["Nobody"])
    with pytest.raises(PanelappError, match="already exists"):
        export_packs(store, "Jo", demo.meeting_id, tmp_path, members=["Helen Whitaker"])
    again = export_packs(
        store, "Jo", demo.meeting_id, tmp_path, members=["helen whitaker"], overwrite=True
    )
    assert again[0].path == packs["Helen Whitaker"].path
