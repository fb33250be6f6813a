"""The case form shows and corrects the facts reports need: the child's circumstances, the
placement type and the day the final plan was issued."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QApplication

from panelapp.domain.case_facts import PlacementType, Vulnerability
from panelapp.store.tables import AgendaItem, Case
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow


def test_flags_placement_and_final_plan_are_corrected_in_the_case_form(
    qtbot, store, store_path, demo
):
    window = MainWindow(AppContext(store, "Joanne Pike"), store_path)
    qtbot.addWidget(window)
    window.show()
    window.meetings.select(demo.next_meeting_id)
    builder = window.meeting_screen.prepare
    window.meeting_screen.tabs.setCurrentWidget(builder)
    builder.table.selectRow(0)
    next(a for a in builder.table.actions() if a.text().startswith("Correct this case")).trigger()
    dialog = QApplication.activeModalWidget()
    assert not any(box.isChecked() for box in dialog.flags.values())
    dialog.flags[Vulnerability.CHILD_IN_NEED].setChecked(True)
    dialog.placement_type.setCurrentIndex(dialog.placement_type.findData(PlacementType.EOTAS))
    dialog.has_final_plan.setChecked(True)
    dialog.final_plan.setDate(date.today())
    dialog.add()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.banner.text()
    with store.read() as session:
        case = session.get(Case, session.get(AgendaItem, builder.view.items[0].item_id).case_id)
        assert case.child_in_need and not case.looked_after
        assert (case.placement_type, case.final_plan_issued) == ("eotas", date.today())
    window.close()
