"""The agenda and a member's pack cover are written into the council's own Word templates
(agenda.docx, pack_cover.docx), found where the minutes' template is found: a council that
replaces the templates restyles its agendas and packs as it does its minutes."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import docx
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from panelapp.resources import TEMPLATE_DIR_VARIABLE, read_template
from panelapp.services.agenda_export import export_agenda
from panelapp.services.packs import AGENDA_NAME, COVER_NAME, export_packs
from tests.helpers.minutes_docx import part_text

DEMO_DAY = date(2026, 3, 12)
COUNCIL_RED = RGBColor(0xE0, 0x10, 0x60)


def _councils_version(name: str, folder) -> None:
    """What a council does in Word: another font, its logo line in the header, its own
    colour for the LATE mark."""
    council = docx.Document(io.BytesIO(read_template(name)))
    council.styles["Normal"].font.name = "Verdana"
    council.styles["Normal"].font.size = Pt(11)
    council.styles["Alert"].font.color.rgb = COUNCIL_RED
    header = council.sections[0].header.paragraphs[1]
    for run in header.runs:
        run.text = ""
    header.runs[0].text = "NORTHFIELD LOGO | {{council}} | {{meeting_date}}"
    council.save(folder / name)


def _runs_styled(document, style_name: str) -> list[str]:
    style_id = document.styles[style_name].style_id
    body = document.element.body
    return [
        "".join(t.text or "" for t in r.iter(qn("w:t")))
        for r in body.iter(qn("w:r"))
        if r.rPr is not None
        and r.rPr.find(qn("w:rStyle")) is not None
        and r.rPr.find(qn("w:rStyle")).get(qn("w:val")) == style_id
    ]


def test_a_councils_agenda_template_gives_the_agenda_its_look(store, demo, tmp_path, monkeypatch):
    folder = tmp_path / "council-templates"
    folder.mkdir()
    _councils_version("agenda.docx", folder)
    monkeypatch.setenv(TEMPLATE_DIR_VARIABLE, str(folder))

    path = export_agenda(store, "Jo", demo.meeting_id, tmp_path / "a.docx", today=DEMO_DAY).path
    data = path.read_bytes()
    result = docx.Document(io.BytesIO(data))
    assert result.styles["Normal"].font.name == "Verdana"
    assert result.styles["Normal"].font.size == Pt(11)
    assert result.styles["Alert"].font.color.rgb == COUNCIL_RED
    assert "NORTHFIELD LOGO | Northfield Borough Council (fictional) | 12 March 2026" in (
        part_text(data, "word/header")
    )
    # the late paper's mark and the legend's are in the council's Alert style
    assert _runs_styled(result, "Alert") == ["LATE", "LATE"]
    body = [p.style.name for p in result.paragraphs]
    assert body[:2] == ["Title", "Subtitle"] and "Heading 1" in body
    # the template's own instructions are gone: only the agenda is in the body
    assert "panelapp template" not in "\n".join(p.text for p in result.paragraphs)


def test_a_councils_pack_cover_template_is_used_for_every_members_pack(
    store, demo, tmp_path, monkeypatch
):
    folder = tmp_path / "council-templates"
    folder.mkdir()
    _councils_version("pack_cover.docx", folder)
    monkeypatch.setenv(TEMPLATE_DIR_VARIABLE, str(folder))

    made = export_packs(
        store, "Jo", demo.meeting_id, tmp_path, members=["Helen Whitaker"], today=DEMO_DAY
    )
    with zipfile.ZipFile(made[0].path) as archive:
        cover_data = archive.read(COVER_NAME)
        agenda_data = archive.read(AGENDA_NAME)
    cover = docx.Document(io.BytesIO(cover_data))
    assert cover.styles["Normal"].font.name == "Verdana"
    assert "NORTHFIELD LOGO" in part_text(cover_data, "word/header")
    # the withheld item (the chair declared an interest in item 10) in the council's Alert
    assert _runs_styled(cover, "Alert") == ["Item 10 (11:55, Placement / change of placement)"]
    # the agenda in the pack keeps panelapp's own template: the council replaced only the cover
    agenda = docx.Document(io.BytesIO(agenda_data))
    assert agenda.styles["Normal"].font.name == "Arial"
    assert "NORTHFIELD LOGO" not in part_text(agenda_data, "word/header")


def test_a_plain_word_document_works_as_an_agenda_template(store, demo, tmp_path, monkeypatch):
    """A template without panelapp's styles still makes the whole agenda (plain text where a
    style is missing), the marks still bold."""
    folder = tmp_path / "council-templates"
    folder.mkdir()
    docx.Document().save(folder / "agenda.docx")
    monkeypatch.setenv(TEMPLATE_DIR_VARIABLE, str(folder))
    path = export_agenda(store, "Jo", demo.meeting_id, tmp_path / "a.docx", today=DEMO_DAY).path
    result = docx.Document(str(path))
    rows = result.tables[1].rows
    assert len(rows) == 1 + 2 * 12
    late = [r for r in result.element.body.iter(qn("w:r")) if r.text == "LATE"]
    assert late and all(r.rPr is not None and r.rPr.find(qn("w:b")) is not None for r in late)
