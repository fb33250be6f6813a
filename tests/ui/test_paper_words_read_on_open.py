"""A paper whose words were still being read when panelapp closed is shown as such, and its
words are read in the background when the window opens again, then found by search."""

from __future__ import annotations

from panelapp.services.paper_text import pending_count
from panelapp.services.papers import import_papers, item_id_at
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow
from tests.helpers import paper_files as files


def test_words_left_unread_are_read_when_the_window_opens(qtbot, store, store_path, demo, tmp_path):
    with store.read() as session:
        item_id = item_id_at(session, demo.meeting_id, 1)
    path = tmp_path / "OT report.pdf"
    path.write_bytes(files.pdf(["Quokkavale sensory diet recommended."]))
    (outcome,) = import_papers(store, "Joanne Pike", item_id, [path], read_text=False)
    assert outcome.stored

    window = MainWindow(AppContext(store, "Joanne Pike"), store_path)
    qtbot.addWidget(window)
    window.show()
    window.meetings.select(demo.meeting_id)
    run = window.meeting_screen.run
    run.select_item(1)
    shown = [run.papers.item(n).text() for n in range(run.papers.count())]
    assert any("OT report" in t and "text being read for search" in t for t in shown)

    qtbot.waitUntil(lambda: _pending(store) == 0, timeout=15_000)
    search = window.open_search()
    search.words.setText("Quokkavale")
    search.run_search()
    assert [h.ref_id for h in search.hits if h.kind == "paper"] == [outcome.paper_id]
    qtbot.waitUntil(
        lambda: (
            not any(
                "text being read" in run.papers.item(n).text() for n in range(run.papers.count())
            )
        ),
        timeout=5_000,
    )
    window.close()


def _pending(store) -> int:
    with store.read() as session:
        return pending_count(session)
