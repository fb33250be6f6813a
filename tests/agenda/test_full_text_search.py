"""Search finds cases, papers, decisions and deferrals by their words, with a snippet and the
case each belongs to; the index lives in the encrypted store and follows every change."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, text

from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import NamingMode
from panelapp.services.papers import import_papers
from panelapp.services.search import search
from panelapp.store.lifecycle import open_store
from panelapp.store.tables import Case, Paper, PaperContent
from tests.helpers import paper_files as files

RELEASED = Path(__file__).parent.parent / "data" / "stores" / "schema-0001"


def test_a_word_found_only_inside_a_pdf_paper(store, prepared, tmp_path):
    path = tmp_path / "Therapy report.pdf"
    path.write_bytes(files.pdf(["Marked difficulty with dysarthric speech production."], pages=2))
    import_papers(store, "Ops", prepared.item_ids[0], [path])
    with store.read() as session:
        (hit,) = search(session, "dysarthric")
    assert hit.kind == "paper" and hit.title == "Therapy report"
    assert hit.child == "OG (NB-T-0001)" and hit.case_id == prepared.case_ids[0]
    assert hit.meeting_id == prepared.meeting_id and hit.item_position == 1
    assert hit.meeting_date == date(2026, 3, 12)
    assert "[dysarthric]" in hit.snippet


def test_words_in_word_and_text_papers_are_found_too_and_every_word_must_appear(
    store, prepared, tmp_path
):
    (tmp_path / "advice.docx").write_bytes(
        files.word(["Benefits from a sensory circuit each morning."])
    )
    (tmp_path / "views.txt").write_text("Mornings are hard; a sensory room helps.")
    import_papers(
        store, "Ops", prepared.item_ids[1], [tmp_path / "advice.docx", tmp_path / "views.txt"]
    )
    with store.read() as session:
        assert {h.title for h in search(session, "sensory")} == {"advice", "views"}
        assert [h.title for h in search(session, "sensory circuit")] == ["advice"]
        assert [h.title for h in search(session, "circ*")] == ["advice"]


def test_cases_are_found_by_name_or_reference_and_shown_by_the_naming_mode(store, prepared):
    with store.read() as session:
        (by_name,) = search(session, "Hughes")
        (by_ref,) = search(session, "NB-T-0002", naming=NamingMode.REFERENCE)
        (full,) = search(session, "amelia", naming=NamingMode.FULL)
    assert by_name.kind == "case" and by_name.child == "AH (NB-T-0002)"
    assert "Hughes" not in by_name.snippet + by_name.title  # the hit shows the request instead
    assert by_name.title == "High Needs top-up funding (element 3)"
    assert by_ref.child == "NB-T-0002" and full.child == "Amelia Hughes (NB-T-0002)"


def test_decisions_and_deferrals_are_found_by_their_words(store, demo):
    with store.read() as session:
        decided = search(session, "ordinarily available")
        deferred = search(session, "provision map SALT")
    assert [(h.kind, h.child, h.item_position) for h in decided] == [
        ("decision", "AH (NB-24-0318)", 2)
    ]
    assert decided[0].title == "Decline to assess" and "[ordinarily]" in decided[0].snippet
    assert any(h.kind == "deferral" and h.child == "NP (NB-24-0322)" for h in deferred)


def test_the_index_follows_changes_to_cases_and_papers(store, prepared, tmp_path):
    (tmp_path / "note.txt").write_text("Quintessential observation notes.")
    (outcome,) = import_papers(store, "Ops", prepared.item_ids[0], [tmp_path / "note.txt"])
    with store.write() as session, session.begin():
        session.get(Case, prepared.case_ids[0]).last_name = "Grantham"
        session.execute(delete(PaperContent).where(PaperContent.paper_id == outcome.paper_id))
        session.execute(delete(Paper).where(Paper.id == outcome.paper_id))
    with store.read() as session:
        assert search(session, "Quintessential") == []
        assert [h.case_id for h in search(session, "Grantham")] == [prepared.case_ids[0]]
        assert search(session, "Grant") == []


def test_odd_input_never_breaks_the_query(store, prepared):
    with store.read() as session:
        for typed in ('"unclosed', "NOT AND OR", "a:b (c", "col:umn*", "ünïcödé"):
            search(session, typed)
        with pytest.raises(PanelappError, match="at least one word"):
            search(session, "  ?!  ")


def test_a_store_of_the_first_released_schema_is_indexed_when_migrated(tmp_path, monkeypatch):
    for f in RELEASED.iterdir():
        shutil.copy2(f, tmp_path / f.name)
    monkeypatch.setenv("PANELAPP_PASSPHRASE", "fixture passphrase 0001")
    migrated = open_store(tmp_path / "panel.store")
    try:
        with migrated.read() as session:
            kinds = dict(
                session.execute(text("SELECT kind, count(*) FROM search_index GROUP BY kind")).all()
            )
            hits = search(session, "Oakwood")
    finally:
        migrated.close()
    assert kinds == {"case": 12, "decision": 11, "deferral": 1}
    assert any(h.kind == "decision" and h.title == "Agree" for h in hits)
