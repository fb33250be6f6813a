"""A paper's words are read in the reading process, bounded in time: a text reader that hangs
is killed and the paper is kept without its words (never lost), a very long one stops at its
budget keeping what it read, and what was read is found by search after the import."""

from __future__ import annotations

import functools
import io
import json
import time

import pikepdf
from sqlalchemy import select

from panelapp.documents.reading_process import ReadingProcess
from panelapp.services.papers import TextState, import_papers, paper_bytes
from panelapp.services.search import search
from panelapp.store.tables import AuditEvent, Paper
from tests.helpers import paper_files as files

#: a report long enough that reading its words takes a good fraction of a second
LONG_REPORT_PAGES = 200
TYPED_PAGE = " ".join(
    ["The educational psychologist observed the child in class and at play on two occasions. "
     "Attention and listening have improved since the small-group programme began."] * 6
)  # fmt: skip


@functools.cache
def _report(marker_page: int | None) -> bytes:
    """LONG_REPORT_PAGES pages of typed text (one page made by fpdf2, repeated by pikepdf, as
    fast to make as one page); with one distinctive word on ``marker_page``."""
    out = pikepdf.new()
    with pikepdf.open(io.BytesIO(files.pdf([TYPED_PAGE]))) as typed:
        with pikepdf.open(io.BytesIO(files.pdf(["Recommendation: Wombatfield provision."]))) as m:
            for n in range(LONG_REPORT_PAGES):
                out.pages.append((m if n == marker_page else typed).pages[0])
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _long_report(tmp_path, marker_page: int | None = None):
    path = tmp_path / "EP advice.pdf"
    path.write_bytes(_report(marker_page))
    return path


def test_a_paper_whose_text_reader_hangs_is_stopped_and_stored_without_its_words(
    store, prepared, tmp_path
):
    path = _long_report(tmp_path)
    after = tmp_path / "school report.txt"
    after.write_text("Wombatfield school report: the next paper is read as usual.\n")
    # The text job may not stop by itself (budget far away), so the hard limit must kill it.
    with ReadingProcess(text_time_limit=0.05, text_budget=600) as reader:
        started = time.monotonic()
        first, second = import_papers(
            store, "Ops Officer", prepared.item_ids[0], [path, after], reader=reader
        )
        assert time.monotonic() - started < 10
    assert first.stored and "text not extracted" in first.message
    assert second.stored and "text not extracted" not in second.message
    with store.read() as session:
        assert paper_bytes(session, first.paper_id) == path.read_bytes()  # nothing lost
        assert session.get(Paper, first.paper_id).pages == LONG_REPORT_PAGES
        hits = search(session, "Wombatfield")
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "paper.added")
            .where(AuditEvent.entity_id == first.paper_id)
        ).one()
    assert [h.ref_id for h in hits if h.kind == "paper"] == [second.paper_id]
    assert json.loads(event.detail)["text"] == TextState.NONE.value


def test_a_very_long_paper_keeps_the_words_read_within_the_budget(store, prepared, tmp_path):
    path = _long_report(tmp_path)
    with ReadingProcess(text_budget=0.01) as reader:
        (outcome,) = import_papers(
            store, "Ops Officer", prepared.item_ids[0], [path], reader=reader
        )
    assert outcome.stored and "text not extracted" not in outcome.message
    with store.read() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "paper.added")).one()
        found = search(session, "psychologist")
    assert json.loads(event.detail)["text"] == TextState.PARTIAL.value
    assert [h.ref_id for h in found if h.kind == "paper"] == [outcome.paper_id]


def test_the_words_of_a_long_report_are_searchable_after_the_import(store, prepared, tmp_path):
    path = _long_report(tmp_path, marker_page=150)
    (outcome,) = import_papers(store, "Ops Officer", prepared.item_ids[0], [path])
    assert outcome.stored, outcome.message
    with store.read() as session:
        hits = search(session, "Wombatfield")
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "paper.added")).one()
    assert [h.ref_id for h in hits if h.kind == "paper"] == [outcome.paper_id]
    assert json.loads(event.detail)["text"] == TextState.COMPLETE.value
