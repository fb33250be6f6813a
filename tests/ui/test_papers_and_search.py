"""Papers read inside the window, attached with a result per file, found by search, and the
agenda and packs exported, all without the command line."""

from __future__ import annotations

import zipfile

import docx
import pikepdf
import pytest
from PySide6.QtWidgets import QPlainTextEdit

from panelapp.documents.paper_sniffer import PaperKind
from panelapp.services.papers import PaperStatus
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow


def _window(qtbot, store, store_path, meeting_id):
    window = MainWindow(AppContext(store, "Joanne Pike"), store_path)
    qtbot.addWidget(window)
    window.show()
    window.meetings.select(meeting_id)
    return window


def test_papers_are_read_inside_the_app_from_the_store(qtbot, store, store_path, demo):
    window = _window(qtbot, store, store_path, demo.meeting_id)
    run = window.meeting_screen.run
    run.select_item(1)
    kinds = {PaperKind.from_media_type(p.media_type) for p in run.detail.papers}
    assert PaperKind.PDF in kinds and PaperKind.DOCX in kinds
    for row, paper in enumerate(run.detail.papers):
        viewer = run.open_paper(row)
        kind = PaperKind.from_media_type(paper.media_type)
        if kind is PaperKind.PDF:
            qtbot.waitUntil(lambda v=viewer: v.page_count() >= 1)
        else:
            assert isinstance(viewer.view, QPlainTextEdit)
            assert len(viewer.view.toPlainText()) > 100
        viewer.close()
    # The late paper of the placement case is marked in the list.
    run.select_item(10)
    assert any("LATE" in run.papers.item(n).text() for n in range(run.papers.count()))


def test_attaching_papers_reports_each_file_and_keeps_only_good_ones(
    qtbot, store, store_path, demo, tmp_path
):
    window = _window(qtbot, store, store_path, demo.next_meeting_id)
    builder = window.meeting_screen.prepare
    good = tmp_path / "speech-therapy-update.txt"
    good.write_text("Speech and language therapy update: zanzibar vocabulary programme.")
    empty = tmp_path / "blank.pdf"
    empty.write_bytes(b"")
    item_id = builder.view.items[1].item_id
    before = builder.table.item(1, 6).text()
    builder.attach_papers(item_id, [good, empty])
    qtbot.waitUntil(lambda: len(builder.last_import) == 2, timeout=10_000)
    statuses = [o.status for o in builder.last_import]
    assert statuses == [PaperStatus.STORED, PaperStatus.REFUSED]
    assert "blank.pdf" in builder.banner.text() and builder.banner.kind == "warning"
    qtbot.waitUntil(lambda: builder.table.item(1, 6).text() != before)

    # Search finds the word that is only inside the new paper, and opens its item.
    search = window.open_search()
    search.words.setText("zanzibar")
    search.run_search()
    assert [h.kind for h in search.hits] == ["paper"]
    search.results.setCurrentRow(0)
    search.results.itemActivated.emit(search.results.item(0))  # Enter or a double click
    assert window.meeting_screen.run.current_item_id() == item_id
    # Locking closes the search window with its results.
    window.lock()
    assert not search.isVisible()


def test_a_folder_dropped_on_an_item_says_what_it_held_that_was_not_imported(
    qtbot, store, store_path, demo, tmp_path
):
    window = _window(qtbot, store, store_path, demo.next_meeting_id)
    builder = window.meeting_screen.prepare
    folder = tmp_path / "from the school"
    (folder / "older").mkdir(parents=True)
    (folder / "older" / "report.txt").write_text("Older report: wallaroo.")
    (folder / "update.txt").write_text("School update: bettong reading group.")
    builder.attach_papers(builder.view.items[1].item_id, [folder])
    qtbot.waitUntil(lambda: len(builder.last_import) == 1, timeout=10_000)
    assert builder.last_import[0].stored
    shown = builder.banner.text()
    assert "1 of 1 file(s) stored" in shown
    assert "Not imported: older/ (a folder inside the one given is not opened" in shown
    assert builder.banner.kind == "warning"


def test_the_agenda_and_members_packs_are_exported_from_the_window(
    qtbot, store, store_path, demo, tmp_path
):
    window = _window(qtbot, store, store_path, demo.meeting_id)
    builder = window.meeting_screen.prepare
    builder.export_agenda(tmp_path / "agenda.docx")
    qtbot.waitUntil(lambda: bool(builder.last_exports), timeout=20_000)
    document = docx.Document(tmp_path / "agenda.docx")
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    # The panel names children by initials and reference: the agenda does too.
    assert "OG (NB-24-0311)" in text and "Oliver" not in text
    builder.last_exports = []
    packs_dir = tmp_path / "packs"
    packs_dir.mkdir()
    builder.plain_packs.setChecked(True)  # plain ZIPs only when the officer asks for them
    builder.export_packs(packs_dir)
    qtbot.waitUntil(lambda: bool(builder.last_exports), timeout=60_000)
    chair_pack = next(p for p in builder.last_exports if "Helen Whitaker" in p.name)
    with zipfile.ZipFile(chair_pack) as zf:
        names = zf.namelist()
    assert names and all("Oakwood" not in n for n in names)
    assert "secure route" in builder.banner.text() and "NOT encrypted" in builder.banner.text()

    # by default each pack is one encrypted PDF, its password shown once
    builder.plain_packs.setChecked(False)
    builder.last_exports = []
    pdf_dir = tmp_path / "pdf-packs"
    pdf_dir.mkdir()
    builder.export_packs(pdf_dir)
    qtbot.waitUntil(lambda: bool(builder.last_exports), timeout=60_000)
    dialog = builder.last_passwords
    assert dialog.isVisible() and dialog.table.rowCount() == len(builder.last_exports)
    rows = {
        dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()
        for r in range(dialog.table.rowCount())
    }
    chair_pdf = next(p for p in builder.last_exports if "Helen Whitaker" in p.name)
    assert chair_pdf.suffix == ".pdf"
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(chair_pdf)
    with pikepdf.open(chair_pdf, password=rows["Helen Whitaker"]) as pdf:
        assert len(pdf.pages) > 2
    saved = tmp_path / "passwords.txt"
    dialog.save(saved)
    assert rows["Helen Whitaker"] in saved.read_text() and saved.stat().st_mode & 0o077 == 0
    dialog.close()


def test_search_results_highlight_matches_and_name_a_child_once(qtbot, store, store_path, demo):
    from PySide6.QtWidgets import QLabel

    window = _window(qtbot, store, store_path, demo.meeting_id)
    dialog = window.open_search()
    dialog.words.setText("Noah Patel")
    dialog.run_search()
    assert dialog.results.count() > 0
    for row in range(dialog.results.count()):
        entry = dialog.results.item(row)
        shown = dialog.results.itemWidget(entry)
        assert isinstance(shown, QLabel)
        for text in (entry.text(), shown.text()):
            assert "[NP]" not in text and "NP NP" not in text and "[" not in text
    dialog.words.setText("speech")
    dialog.run_search()
    first = dialog.results.itemWidget(dialog.results.item(0)).text()
    assert "<b style='background:#fff2a8'>Speech</b>" in first and "[" not in first
    dialog.close()
    window.close()
