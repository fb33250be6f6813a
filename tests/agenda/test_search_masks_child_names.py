"""A search by initials or by reference shows no child's name in the titles and snippets of
its hits (R18), even where a paper's title or a deferral's typed text names the child; by full
names they are shown as stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from panelapp.domain.vocabulary import NamingMode
from panelapp.services.papers import import_papers
from panelapp.services.search import search
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, DeferralRow


@pytest.fixture
def named(store, demo, tmp_path):
    """Noah Patel named in a paper's title and text and in his deferral's typed text."""
    with UnitOfWork(store, "Test") as uow:
        deferral = uow.session.scalar(
            select(DeferralRow).where(DeferralRow.agenda_item_id == demo.item_ids[2])
        )
        deferral.information_required = "Noah Patel's costed provision map"
        relisted = uow.session.get(AgendaItem, deferral.relisted_item_id).id
    paper = tmp_path / "Noah Patel - EP advice.txt"
    paper.write_text("Noah Patel enjoys the sensory room and needs a quiet space to work.")
    (outcome,) = import_papers(store, "Test", relisted, [paper])
    assert outcome.stored
    return demo


@pytest.mark.parametrize(
    ("naming", "stand_in"), [(NamingMode.INITIALS, "NP"), (NamingMode.REFERENCE, "NB-24-0322")]
)
def test_hits_name_no_child_by_initials_or_reference(store, named, naming, stand_in):
    with store.read() as session:
        hits = search(session, "Patel", naming=naming)
    assert {h.kind for h in hits} >= {"case", "paper", "deferral"}
    for hit in hits:
        assert "Noah" not in hit.title + hit.snippet, hit
        assert "Patel" not in hit.title + hit.snippet, hit
    paper = next(h for h in hits if h.kind == "paper")
    assert paper.title == f"{stand_in} - EP advice"
    assert f"[{stand_in}]" in paper.snippet  # the match is still marked
    deferral = next(h for h in hits if h.kind == "deferral")
    assert f"[{stand_in}]'s costed provision map" in deferral.snippet


def test_by_full_names_hits_show_the_text_as_stored(store, named):
    with store.read() as session:
        hits = search(session, "Patel", naming=NamingMode.FULL)
    paper = next(h for h in hits if h.kind == "paper")
    assert paper.title == "Noah Patel - EP advice" and "[Patel]" in paper.snippet
    deferral = next(h for h in hits if h.kind == "deferral")
    assert "[Patel]" in deferral.snippet
