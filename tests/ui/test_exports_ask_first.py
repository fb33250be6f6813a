"""Exporting members' packs says first what the officer should know: cases with no papers,
and packs already in the folder that would be replaced."""

from __future__ import annotations

from panelapp.services import packs
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow


def test_the_packs_export_warns_of_bare_cases_and_packs_it_would_replace(
    qtbot, store, store_path, demo, tmp_path
):
    window = MainWindow(AppContext(store, "Joanne Pike"), store_path)
    qtbot.addWidget(window)
    window.meetings.select(demo.next_meeting_id)
    builder = window.meeting_screen.prepare
    folder = tmp_path / "packs"
    folder.mkdir()
    assert builder.packs_question(folder) is None  # every case has papers, nothing in the way

    dialog = builder.open_case_dialog()
    dialog.reference.setText("NB-NEW-1")
    dialog.first_name.setText("Ada")
    dialog.last_name.setText("Lovelace")
    dialog.date_of_birth.setDate(dialog.received.value().replace(year=2017))
    dialog.add()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text()
    qtbot.waitUntil(lambda: len(builder.view.items) == 5)
    assert builder.packs_question(folder) == "Item 5 has no papers yet."

    written = packs.export_packs(store, "Joanne Pike", demo.next_meeting_id, folder)
    question = builder.packs_question(folder)
    assert f"{len(written)} pack(s) for this meeting are already in" in question
    assert "will be replaced" in question
    window.close()
