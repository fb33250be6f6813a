"""Finding the Word templates: bundled, in a frozen app, and a council's own replacement."""

from __future__ import annotations

import io
import runpy
import shutil
import sys
from pathlib import Path

import docx
import pytest
from docx.shared import Pt

from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import NamingMode
from panelapp.resources import TEMPLATE_DIR_VARIABLE, read_template, resource_path, template_path
from panelapp.services.minutes import generate_minutes, minutes_document
from panelapp.services.unit_of_work import UnitOfWork
from tests.helpers.minutes_docx import docx_text, part_text

REPO = Path(__file__).resolve().parents[2]


def test_the_bundled_templates_are_found():
    for name in (
        "minutes.docx",
        "decision_record.docx",
        "family_letter.docx",
        "family_letter_large_print.docx",
        "agenda.docx",
        "pack_cover.docx",
        "inspection_pack.docx",
    ):
        path = template_path(name)
        assert path == resource_path(f"templates/{name}")
        assert path.parent.name == "templates" and path.read_bytes()[:2] == b"PK"


def test_the_committed_templates_are_what_the_build_script_makes():
    script = runpy.run_path(str(REPO / "build" / "make_templates.py"))
    for what, name, title, scale in (
        ("minutes of a panel meeting", "minutes.docx", "Panel minutes", 1.0),
        ("decision record for one case", "decision_record.docx", "Panel decision record", 1.0),
        ("letter to a family", "family_letter.docx", "Letter to a family", 1.2),
        (
            "large print letter to a family",
            "family_letter_large_print.docx",
            "Letter to a family (large print)",
            1.6,
        ),
        ("agenda of a panel meeting", "agenda.docx", "Panel agenda", 1.0),
        ("cover of a member's paper pack", "pack_cover.docx", "Panel paper pack cover", 1.0),
        ("inspection pack document", "inspection_pack.docx", "Panel inspection pack", 1.0),
    ):
        assert script["make"](what, name, title, scale) == read_template(name), (
            f"run build/make_templates.py and commit {name}"
        )


def test_a_frozen_app_finds_templates_beside_its_executable(tmp_path, monkeypatch):
    bundled = tmp_path / "bundle" / "panelapp" / "resources" / "templates"
    bundled.mkdir(parents=True)
    shutil.copy(resource_path("templates/minutes.docx"), bundled / "minutes.docx")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "bundle"), raising=False)
    assert resource_path("templates/minutes.docx") == bundled / "minutes.docx"
    with pytest.raises(PanelappError, match="Reinstall panelapp"):
        resource_path("templates/agenda-that-is-not-there.docx")


def test_resource_names_stay_inside_the_package():
    for bad in ("../pyproject.toml", "templates/../../x", ""):
        with pytest.raises(ValueError):
            resource_path(bad)


def test_a_councils_template_replaces_the_look_without_code(store, demo, tmp_path, monkeypatch):
    """A council edits the template in Word: its fonts, header and styles are used."""
    council = docx.Document(io.BytesIO(read_template("minutes.docx")))
    council.styles["Normal"].font.name = "Verdana"
    council.styles["Normal"].font.size = Pt(12)
    header = council.sections[0].header.paragraphs[1]
    for run in header.runs:
        run.text = ""
    header.runs[0].text = "NORTHFIELD LOGO | {{council}} | {{meeting_date}}"
    folder = tmp_path / "council-templates"
    folder.mkdir()
    council.save(folder / "minutes.docx")
    monkeypatch.setenv(TEMPLATE_DIR_VARIABLE, str(folder))
    assert template_path("minutes.docx") == folder / "minutes.docx"

    with UnitOfWork(store, "J") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    with store.read() as session:
        _, data = minutes_document(session, demo.meeting_id)
    result = docx.Document(io.BytesIO(data))
    assert result.styles["Normal"].font.name == "Verdana"
    assert result.styles["Normal"].font.size == Pt(12)
    assert "NORTHFIELD LOGO | Northfield Borough Council (fictional) | 12 March 2026" in (
        part_text(data, "word/header")
    )


def test_a_plain_word_document_works_as_a_template(store, demo, tmp_path, monkeypatch):
    """Styles a council's file lacks fall back to Normal instead of failing the minutes."""
    folder = tmp_path / "council-templates"
    folder.mkdir()
    docx.Document().save(folder / "minutes.docx")
    monkeypatch.setenv(TEMPLATE_DIR_VARIABLE, str(folder))
    with UnitOfWork(store, "J") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    with store.read() as session:
        _, data = minutes_document(session, demo.meeting_id)
    assert "Tom Ashworth left the meeting for item 9 at 11:05" in docx_text(data)


def test_a_template_that_is_not_a_docx_is_explained(store, demo, tmp_path, monkeypatch):
    folder = tmp_path / "council-templates"
    folder.mkdir()
    (folder / "minutes.docx").write_bytes(b"this is not a Word file")
    monkeypatch.setenv(TEMPLATE_DIR_VARIABLE, str(folder))
    with pytest.raises(PanelappError, match="not a Word .docx file"), UnitOfWork(store, "J") as u:
        generate_minutes(u, demo.meeting_id)
