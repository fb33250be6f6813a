"""The Records window: the officer sees who is past retention, deletes one child's records only
after typing the reference, and exports a subject access folder, all without leaving the
window or freezing it."""

from __future__ import annotations

from sqlalchemy import select

from panelapp.domain.vocabulary import NamingMode
from panelapp.store.tables import Case
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow
from tests.records.conftest import OLD, TODAY, YOUNG


def _dialog(qtbot, store, store_path):
    ctx = AppContext(store, "Jo Minutes", naming=NamingMode.FULL)
    window = MainWindow(ctx, store_path)
    qtbot.addWidget(window)
    window.show()
    window.records_action.trigger()
    dialog = window.records
    dialog.today = TODAY
    dialog.refresh()
    return window, dialog


def test_delete_needs_the_reference_typed_and_then_removes_the_child(
    qtbot, store, store_path, two_children
):
    window, dialog = _dialog(qtbot, store, store_path)
    assert dialog.table.rowCount() == 1 and dialog.selected_reference() == OLD
    dialog.delete_selected(typed="NB-WRONG")
    assert "does not match" in dialog.banner.text()
    with store.read() as session:
        assert session.scalars(select(Case).where(Case.reference == OLD)).all()
    dialog.delete_selected(typed=OLD)
    qtbot.waitUntil(lambda: "Deleted the records of" in dialog.banner.text(), timeout=15_000)
    assert dialog.table.rowCount() == 0
    assert "No child's records have passed retention" in dialog.empty.text()
    with store.read() as session:
        assert [c.reference for c in session.scalars(select(Case))] == [YOUNG]
    window.close()


def test_the_setting_and_a_subject_access_export_from_the_window(
    qtbot, store, store_path, two_children, tmp_path
):
    window, dialog = _dialog(qtbot, store, store_path)
    dialog.years.setValue(40)
    dialog.save_button.click()
    assert "40 years" in dialog.banner.text()
    assert dialog.table.rowCount() == 0  # born 1990: not yet 40 years
    out = tmp_path / "requests"
    out.mkdir()
    dialog.export(reference=YOUNG, folder=out)
    qtbot.waitUntil(lambda: "index.txt" in dialog.banner.text(), timeout=15_000)
    (made,) = out.iterdir()
    assert (made / "summary.txt").read_text().count("Ben Young") == 1
    window.lock()
    assert not window.records_action.isEnabled()
    window.close()
