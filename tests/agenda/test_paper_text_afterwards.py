"""Papers stored at once, their words read afterwards in a pool of reading processes: a
stored paper is found by its title while its words wait, by its words once they are read;
a store closed before the reading finished has its waiting papers read when it is opened
again; a hostile file is still refused and leaves nothing; a reader that hangs is stopped and
the paper kept without its words."""

from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from panelapp.services.paper_text import pending_count, read_pending_text
from panelapp.services.papers import (
    PaperStatus,
    TextState,
    import_papers,
    paper_bytes,
    with_text_read,
)
from panelapp.services.search import search
from panelapp.store.lifecycle import open_store
from panelapp.store.tables import AuditEvent, Paper, PaperContent
from tests.helpers import hostile_files as hostile
from tests.helpers import paper_files as files

LONG_REPORT_PAGES = 200
#: A report whose words take PDFium several times the reading time limit below (about 0.4 s
#: against 0.05 s; 200 pages took only 75 ms, too close to the limit on a quick machine).
HANGING_REPORT_PAGES = 1000


def _paper_hits(session, words: str) -> list[int]:
    return [h.ref_id for h in search(session, words) if h.kind == "paper"]


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_stored_paper_is_found_by_its_title_at_once_and_by_its_words_once_read(
    store, prepared, tmp_path
):
    paths = [
        _write(tmp_path, "EP advice.pdf", files.pdf(["Wombatfield phonics programme."], pages=2)),
        _write(tmp_path, "school report.docx", files.word(["Quokkaton reading recovery."])),
        _write(tmp_path, "costings.xlsx", files.excel([["Numbatley tuition", 1200]])),
    ]
    outcomes = import_papers(store, "Ops Officer", prepared.item_ids[0], paths, read_text=False)
    assert [o.status for o in outcomes] == [PaperStatus.STORED] * 3
    assert all("being read for search" in o.message for o in outcomes)
    with store.read() as session:
        assert pending_count(session) == 3
        assert _paper_hits(session, "Wombatfield") == []
        assert _paper_hits(session, "advice") == [outcomes[0].paper_id]  # by its title
        assert paper_bytes(session, outcomes[1].paper_id) == paths[1].read_bytes()
    reading = read_pending_text(store, "Ops Officer")
    assert reading.count(TextState.COMPLETE) == 3
    with store.read() as session:
        assert pending_count(session) == 0
        assert _paper_hits(session, "Wombatfield") == [outcomes[0].paper_id]
        assert _paper_hits(session, "Quokkaton") == [outcomes[1].paper_id]
        assert _paper_hits(session, "Numbatley") == [outcomes[2].paper_id]
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "papers.text_read")
        ).all()
    assert len(events) == 1
    assert sorted(json.loads(events[0].detail)["papers"]) == sorted(o.paper_id for o in outcomes)
    done = with_text_read(outcomes[0], reading.states[outcomes[0].paper_id])
    assert "being read" not in done.message and done.message.startswith("stored (PDF")


def test_hostile_and_damaged_files_are_still_refused_and_leave_nothing(store, prepared, tmp_path):
    paths = [
        _write(tmp_path, "advice.pdf", hostile.pdf_javascript_open_action()),
        _write(tmp_path, "form.docx", files.word_with_macros()),
        _write(tmp_path, "bomb.docx", files.word_zip_bomb()),
        _write(tmp_path, "locked.pdf", files.encrypted_pdf()),
        _write(tmp_path, "fine.txt", b"Wallabyford speech therapy notes.\n"),
    ]
    outcomes = import_papers(store, "Ops Officer", prepared.item_ids[0], paths, read_text=False)
    assert [o.status for o in outcomes] == [PaperStatus.REFUSED] * 4 + [PaperStatus.STORED]
    read_pending_text(store, "Ops Officer")
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Paper)) == 1
        assert session.scalar(select(func.count()).select_from(PaperContent)) == 1
        assert _paper_hits(session, "Wallabyford") == [outcomes[-1].paper_id]


def test_a_store_closed_before_the_words_were_read_reads_them_when_opened_again(
    store_path, store, prepared, tmp_path
):
    path = _write(tmp_path, "EP advice.pdf", files.pdf(["Bilbyshire outreach support."]))
    (outcome,) = import_papers(store, "Ops Officer", prepared.item_ids[0], [path], read_text=False)
    store.close()  # closed before any of its words were read
    reopened = open_store(store_path)
    try:
        with reopened.read() as session:
            assert pending_count(session) == 1
            assert _paper_hits(session, "Bilbyshire") == []
        read_pending_text(reopened, "Ops Officer")
        with reopened.read() as session:
            assert pending_count(session) == 0
            assert _paper_hits(session, "Bilbyshire") == [outcome.paper_id]
            assert session.get(Paper, outcome.paper_id).text_state == TextState.COMPLETE.value
    finally:
        reopened.close()


def test_a_hanging_reader_is_stopped_and_the_paper_kept_without_its_words(
    store, prepared, tmp_path
):
    long_one = _write(tmp_path, "EP advice.pdf", files.long_report(HANGING_REPORT_PAGES))
    short = _write(tmp_path, "note.txt", b"Dingoford school note.\n")
    outcomes = import_papers(
        store, "Ops Officer", prepared.item_ids[0], [long_one, short], read_text=False
    )
    started = time.monotonic()
    reading = read_pending_text(store, "Ops Officer", text_time_limit=0.05, text_budget=600)
    assert time.monotonic() - started < 10
    assert reading.states[outcomes[0].paper_id] is TextState.NONE
    assert reading.states[outcomes[1].paper_id] is TextState.COMPLETE
    assert "text not extracted" in with_text_read(outcomes[0], TextState.NONE).message
    with store.read() as session:
        assert pending_count(session) == 0  # never left waiting for ever
        assert session.get(Paper, outcomes[0].paper_id).pages == HANGING_REPORT_PAGES
        assert paper_bytes(session, outcomes[0].paper_id) == long_one.read_bytes()
        assert _paper_hits(session, "psychologist") == []
        assert _paper_hits(session, "Dingoford") == [outcomes[1].paper_id]


def test_the_command_line_reads_words_left_pending_and_search_says_until_then(
    demo_command_store, tmp_path, capsys
):
    from panelapp.cli import main
    from panelapp.services.papers import item_id_at

    opened = open_store(demo_command_store)
    try:
        with opened.read() as session:
            item_id = item_id_at(session, 2, 1)
        path = _write(tmp_path, "speech report.pdf", files.pdf(["Potoroo signing programme."]))
        import_papers(opened, "Ops Officer", item_id, [path], read_text=False)
    finally:
        opened.close()  # as if panelapp was closed while reading the words
    run = lambda *args: main(["--store", str(demo_command_store), *args])  # noqa: E731

    assert run("search", "Potoroo") == 0
    out = capsys.readouterr().out
    assert "1 paper(s) are still having their words read" in out and "Nothing found" in out
    assert run("papers", "text") == 0
    assert "Read the words of 1 paper(s)" in capsys.readouterr().out
    assert run("search", "Potoroo") == 0
    out = capsys.readouterr().out
    assert "still having their words read" not in out and "[Potoroo]" in out

    again = _write(tmp_path, "school report.txt", b"Quollbury school report.\n")
    assert run("papers", "add", "--meeting", "2", "--item", "1", str(again)) == 0
    out = capsys.readouterr().out
    assert "  ok  school report.txt stored (" in out and "being read" not in out
    assert run("search", "Quollbury") == 0
    assert "[Quollbury]" in capsys.readouterr().out


def _contents_read_back(store) -> list[int]:
    """Counts, in the returned list's length, each paper's bytes read out of the store."""
    from sqlalchemy import event

    reads: list[int] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM paper_contents" in statement:
            reads.append(1)

    event.listen(store.engine, "before_cursor_execute", seen)
    return reads


def _three_papers(tmp_path):
    return [
        _write(tmp_path, "EP advice.pdf", files.pdf(["Wallabyton speech therapy."], pages=3)),
        _write(tmp_path, "school report.docx", files.word(["Possumbury nurture group."])),
        _write(tmp_path, "costings.xlsx", files.excel([["Echidnaville transport", 900]])),
    ]


def test_words_read_while_the_papers_were_stored_are_indexed_without_reading_them_back(
    store, prepared, tmp_path
):
    from panelapp.services import words_ahead

    paths = _three_papers(tmp_path)
    outcomes = import_papers(store, "Ops Officer", prepared.item_ids[0], paths, read_text=False)
    with store.read() as session:
        assert pending_count(session) == 3  # stored at once; the index waits for the reading
        assert _paper_hits(session, "Wallabyton") == []
    reads = _contents_read_back(store)
    reading = read_pending_text(store, "Ops Officer")
    assert reading.count(TextState.COMPLETE) == 3
    assert reads == []  # every paper's words were read from the bytes the import held
    with store.read() as session:
        assert pending_count(session) == 0
        assert _paper_hits(session, "Wallabyton") == [outcomes[0].paper_id]
        assert _paper_hits(session, "Possumbury") == [outcomes[1].paper_id]
        assert _paper_hits(session, "Echidnaville") == [outcomes[2].paper_id]
    assert (words_ahead._waiting.queued_bytes, words_ahead._waiting.chars) == (0, 0)


def test_papers_beyond_the_memory_bound_have_their_words_read_back_from_the_store(
    store, prepared, tmp_path, monkeypatch
):
    from panelapp.services import words_ahead

    paths = _three_papers(tmp_path)
    monkeypatch.setattr(words_ahead, "AHEAD_BYTES", 0)  # no room for any paper's bytes
    outcomes = import_papers(store, "Ops Officer", prepared.item_ids[0], paths, read_text=False)
    reads = _contents_read_back(store)
    reading = read_pending_text(store, "Ops Officer")
    assert reading.count(TextState.COMPLETE) == 3
    assert len(reads) == 3
    with store.read() as session:
        assert _paper_hits(session, "Wallabyton") == [outcomes[0].paper_id]
        assert _paper_hits(session, "Possumbury") == [outcomes[1].paper_id]
        assert _paper_hits(session, "Echidnaville") == [outcomes[2].paper_id]


def test_words_still_queued_behind_a_long_reading_are_read_at_once_when_asked_for(
    store, prepared, tmp_path
):
    import threading

    from panelapp.documents.reading_pool import shared_pool

    release = threading.Event()
    # a long reading of words already holds the processes reading ahead...
    long_one = shared_pool().submit(lambda _reader, _item: release.wait(30), None, later=True)
    try:
        paths = _three_papers(tmp_path)
        outcomes = import_papers(store, "Ops Officer", prepared.item_ids[0], paths, read_text=False)
        finished = threading.Event()
        reading = threading.Thread(
            target=lambda: (read_pending_text(store, "Ops Officer"), finished.set())
        )
        reading.start()
        # ...yet the words of the papers queued behind it are read now, in turn
        assert finished.wait(15)
        assert not long_one.done()
        with store.read() as session:
            assert pending_count(session) == 0
            assert _paper_hits(session, "Echidnaville") == [outcomes[2].paper_id]
    finally:
        release.set()
        long_one.result(timeout=30)


def _nothing_left_in_memory(store) -> bool:
    """No word nor byte of any paper of ``store`` waits in memory (jobs still running when
    their papers were dropped are given a moment to end)."""
    from panelapp.services import words_ahead

    waiting = words_ahead._waiting
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if (waiting.queued_bytes, waiting.chars) == (0, 0) and id(store) not in waiting._stores:
            return True
        time.sleep(0.02)
    return False


def test_a_paper_removed_before_its_words_were_indexed_leaves_nothing_in_memory(
    store, prepared, tmp_path
):
    from panelapp.services.corrections import remove_paper
    from panelapp.services.unit_of_work import UnitOfWork

    paths = _three_papers(tmp_path)
    outcomes = import_papers(store, "Ops Officer", prepared.item_ids[0], paths, read_text=False)
    with UnitOfWork(store, "Ops Officer") as uow:
        remove_paper(uow, outcomes[0].paper_id, reason="Attached to the wrong case.")
    reading = read_pending_text(store, "Ops Officer")
    assert sorted(reading.states) == sorted(o.paper_id for o in outcomes[1:])
    assert _nothing_left_in_memory(store)
    with store.read() as session:
        assert _paper_hits(session, "Wallabyton") == []
        assert _paper_hits(session, "Possumbury") == [outcomes[1].paper_id]


def test_words_cut_short_while_the_papers_were_stored_are_read_again_in_full(
    store, prepared, tmp_path, monkeypatch
):
    import threading

    from panelapp.services import words_ahead

    whole = words_ahead.read_words

    def rushed(reader, item):  # the store so busy that every reading ahead ran out of time
        if threading.current_thread().name.startswith("panelapp-reading-later"):
            return words_ahead.Words("", TextState.NONE, rushed=True)
        return whole(reader, item)

    monkeypatch.setattr(words_ahead, "read_words", rushed)
    paths = _three_papers(tmp_path)
    outcomes = import_papers(store, "Ops Officer", prepared.item_ids[0], paths, read_text=False)
    reading = read_pending_text(store, "Ops Officer")
    assert reading.count(TextState.COMPLETE) == 3
    with store.read() as session:
        assert _paper_hits(session, "Wallabyton") == [outcomes[0].paper_id]
        assert _paper_hits(session, "Echidnaville") == [outcomes[2].paper_id]


def test_words_that_stop_short_of_the_whole_paper_by_the_papers_own_limits_are_not_read_twice(
    store, prepared, tmp_path, monkeypatch
):
    import threading

    from panelapp.documents.text_extraction import MAX_PDF_PAGES
    from panelapp.services import words_ahead

    readings: list[str] = []
    whole = words_ahead.read_words

    def counted(reader, item):
        readings.append(threading.current_thread().name)
        return whole(reader, item)

    monkeypatch.setattr(words_ahead, "read_words", counted)
    longest = _write(tmp_path, "bundle.pdf", files.long_report(MAX_PDF_PAGES + 20))
    (outcome,) = import_papers(
        store, "Ops Officer", prepared.item_ids[0], [longest], read_text=False
    )
    reading = read_pending_text(store, "Ops Officer")
    assert reading.states[outcome.paper_id] is TextState.PARTIAL
    assert len(readings) == 1  # the paper's own page limit: the same however often it is read
