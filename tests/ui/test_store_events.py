"""Every change made through the window reaches the screens as one typed ``StoreChanged``
saying which service ran, for which meeting or item, and whether it was quiet (typing kept,
nothing another screen shows changed); work in the background announces itself the same way."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy import select

from panelapp.domain.vocabulary import Outcome
from panelapp.store.tables import Paper
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow
from panelapp.ui.store_events import StoreChanged
from tests.helpers.window import window_meeting


def _window(qtbot, store, store_path, meeting_id) -> tuple[MainWindow, list[StoreChanged]]:
    window = MainWindow(AppContext(store, "Jo Minutes"), store_path)
    qtbot.addWidget(window)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1366, 768)
    window.show()
    window.meetings.select(meeting_id)
    events: list[StoreChanged] = []
    window.ctx.changed.connect(events.append)
    return window, events


def test_recording_a_decision_announces_the_item_and_a_draft_is_quiet(qtbot, store, store_path):
    meeting_id = window_meeting(store, date.today())
    window, events = _window(qtbot, store, store_path, meeting_id)
    run = window.meeting_screen.run
    window.meeting_screen.tabs.setCurrentWidget(run)
    run.select_item(1)
    item_id = run.current_item_id()
    run.form.choose(Outcome.AGREE_TO_ASSESS)
    run.form.rationale.setPlainText("Threshold met.")
    run.save_draft()
    assert events == [StoreChanged("save_draft", item_id=item_id, quiet=True)]
    run.record_decision()
    assert events[1:] == [StoreChanged("record_decision", item_id=item_id)]
    window.close()


def test_papers_imported_in_the_background_are_announced_for_their_item(
    qtbot, store, store_path, tmp_path
):
    meeting_id = window_meeting(store, date.today(), start=False)
    window, events = _window(qtbot, store, store_path, meeting_id)
    builder = window.meeting_screen.prepare
    item_id = builder.view.items[0].item_id
    paper = tmp_path / "report.txt"
    paper.write_text("A speech and language report.")
    before = builder.table.item(0, 6).text()
    builder.attach_papers(item_id, [paper])

    def stored() -> list[StoreChanged]:
        # The reading of papers' words (this one's, just after, or the window's own reading
        # of any left waiting, a few seconds after it opens) is announced apart.
        return [e for e in events if e.service != "read_pending_text"]

    qtbot.waitUntil(lambda: bool(stored()), timeout=10_000)
    assert stored() == [StoreChanged("import_papers", item_id=item_id)]
    qtbot.waitUntil(lambda: builder.table.item(0, 6).text() != before, timeout=5_000)
    with store.read() as session:
        assert session.scalars(select(Paper).where(Paper.agenda_item_id == item_id)).all()
    window.close()


def test_an_export_is_quiet_and_a_failed_import_still_announces_what_was_stored(
    qtbot, store, store_path, tmp_path
):
    meeting_id = window_meeting(store, date.today(), start=False)
    window, events = _window(qtbot, store, store_path, meeting_id)
    builder = window.meeting_screen.prepare
    builder.export_agenda(tmp_path / "agenda.docx")
    qtbot.waitUntil(lambda: bool(events), timeout=10_000)
    assert events == [StoreChanged("export_agenda", meeting_id=meeting_id, quiet=True)]
    assert (tmp_path / "agenda.docx").exists()
    events.clear()
    builder.import_case_list(tmp_path / "missing.csv")
    qtbot.waitUntil(lambda: bool(events), timeout=10_000)
    assert events == [StoreChanged("import_case_list", meeting_id=meeting_id)]
    assert builder.banner.kind == "error"
    window.close()
