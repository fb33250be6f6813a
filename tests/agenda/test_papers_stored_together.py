"""Checked papers stored several in one transaction (``store_prepared_many``, which the import
uses for the files whose checks are back at the same moment): every paper is told apart as it
would be stored one at a time (a file already there, or earlier in the same run, is reported,
not stored twice), each stored paper has its own 'paper.added' event with the same details, in
order, and a failure part way through keeps the papers before it, as they came."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select, text

from panelapp.documents.reading_process import ReadingProcess
from panelapp.services.papers import (
    PaperStatus,
    check_paper,
    import_papers,
    store_prepared,
    store_prepared_many,
)
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store import audit
from panelapp.store.tables import AuditEvent, Paper
from tests.helpers import paper_files as files

RECEIVED = datetime(2026, 2, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def checked():
    """Four different files, checked once by a real reading process (as the import does)."""
    made = [
        ("EP advice.pdf", files.pdf(["Working memory below expectations."], pages=2)),
        ("school report.docx", files.word(["Reading recovery since September."])),
        ("costings.xlsx", files.excel([["Tuition", 1200]])),
        ("notes.txt", b"Speech therapy notes.\n"),
    ]
    with ReadingProcess() as reader:
        return [check_paper(name, data, reader=reader) for name, data in made]


def _events_after(session, seq: int) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.seq > seq, AuditEvent.action == "paper.added")
            .order_by(AuditEvent.seq)
        )
    )


def _shape(outcomes, events):
    """What the officer reads and the audit trail says, with ids replaced by the order in
    which they first appear (the two cases' papers have different ids) and the case and item
    left out (they differ by design)."""
    order: dict[int, int] = {}

    def ref(paper_id):
        return order.setdefault(paper_id, len(order)) if paper_id is not None else None

    told = [(o.source, o.status, o.message, ref(o.paper_id), o.kind, o.pages) for o in outcomes]
    details = []
    for ev in events:
        detail = json.loads(ev.detail)
        detail.pop("case_id"), detail.pop("item_id")
        details.append((ref(ev.entity_id), detail))
    return told, details


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(picks=st.lists(st.integers(0, 3), min_size=1, max_size=6))
def test_papers_stored_together_are_told_and_audited_as_one_at_a_time(
    store, prepared, checked, picks
):
    # Each example adds to both cases alike, so files stored by earlier examples are
    # duplicates on both sides: the comparison holds across examples.
    together_item, alone_item = prepared.item_ids
    papers = [checked[i] for i in picks]
    with store.read() as session:
        start = audit.head(session)[0]
    with UnitOfWork(store, "Ops Officer") as uow:
        together = store_prepared_many(uow, together_item, papers, received_at=RECEIVED)
    with store.read() as session:
        together_events = _events_after(session, start)
        start = audit.head(session)[0]
    alone = []
    for paper in papers:
        with UnitOfWork(store, "Ops Officer") as uow:
            alone.append(store_prepared(uow, alone_item, paper, received_at=RECEIVED))
    with store.read() as session:
        alone_events = _events_after(session, start)
        assert audit.verify(session).intact
    assert _shape(together, together_events) == _shape(alone, alone_events)
    assert len(together_events) == sum(o.status is PaperStatus.STORED for o in together)
    # a file given twice in one run is stored once and reported as the earlier one
    if len(set(picks)) < len(picks):
        assert any(o.status is PaperStatus.DUPLICATE for o in together)


def test_files_checked_at_once_are_committed_together(store, prepared, tmp_path):
    paths = []
    for n in range(6):
        path = tmp_path / f"note {n}.txt"
        path.write_bytes(f"Speech therapy notes, session {n}.\n".encode())
        paths.append(path)
    commits: list[int] = []
    event.listen(store.engine, "commit", lambda _conn: commits.append(1))
    progress: list[tuple[int, int]] = []
    outcomes = import_papers(
        store,
        "Ops Officer",
        prepared.item_ids[0],
        paths,
        read_text=False,
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert [o.status for o in outcomes] == [PaperStatus.STORED] * 6
    assert [o.source for o in outcomes] == [p.name for p in paths]
    assert progress == [(n, 6) for n in range(7)]  # every file, in order
    # (small text files are checked far faster than a commit; one per file before)
    assert len(commits) < 6
    with store.read() as session:
        added = session.scalars(
            select(AuditEvent.entity_id)
            .where(AuditEvent.action == "paper.added")
            .order_by(AuditEvent.seq)
        ).all()
    assert added == [o.paper_id for o in outcomes]


def test_a_paper_that_cannot_be_stored_keeps_those_before_it(store, prepared, tmp_path):
    """A failure while storing several at once (here the database itself refusing one row,
    as a full disk would) rolls back only what was not yet told: the papers before it are
    stored, each with its event; the one that failed and those after it are not."""
    paths = []
    for n in range(5):
        path = tmp_path / f"note {n}.txt"
        path.write_bytes(f"Educational psychology notes, part {n}.\n".encode())
        paths.append(path)
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TRIGGER refuse_third BEFORE INSERT ON papers "
                "WHEN NEW.file_name = 'note 2.txt' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
        )
    with pytest.raises(Exception, match="disk full"):
        import_papers(store, "Ops Officer", prepared.item_ids[0], paths, read_text=False)
    with store.read() as session:
        names = session.scalars(select(Paper.file_name).order_by(Paper.id)).all()
        added = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "paper.added")
        )
        assert audit.verify(session).intact
    assert names == ["note 0.txt", "note 1.txt"]
    assert added == 2
