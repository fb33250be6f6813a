"""The panel settings dialog sets how much one meeting hears and whether members online count
for quorum, compactly enough that the members stay in view on a small laptop screen."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from panelapp.services.panels import panel_settings
from panelapp.store.tables import AuditEvent
from panelapp.ui.context import AppContext
from panelapp.ui.panels_dialog import PanelsDialog

#: 1280 x 720 at 150% scaling, less a task bar: what a dialog has, in Qt's logical pixels
SMALL_SCREEN = (1280 * 2 // 3, (720 - 40) * 2 // 3)


def _capacity_events(store, panel_id) -> list[dict]:
    with store.read() as session:
        return [
            json.loads(e.detail)
            for e in session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "panel.capacity_set", AuditEvent.entity_id == panel_id)
                .order_by(AuditEvent.seq)
            )
        ]


def test_capacity_and_online_quorum_are_set_in_the_panel_settings(qtbot, store, demo):
    dialog = PanelsDialog(AppContext(store, "Joanne Pike"))
    qtbot.addWidget(dialog)
    dialog.show()
    panel_id = dialog.current_panel_id()
    assert dialog.capacity_items.text() == "any number of items"
    assert dialog.online_counts.isChecked()

    # On the small screen the settings fit and the members are still in view.
    width, height = SMALL_SCREEN
    hint = dialog.minimumSizeHint()
    assert hint.width() <= width and hint.height() <= height
    dialog.resize(width, height)
    QApplication.processEvents()
    assert dialog.height() <= height
    rows = [dialog.members.visualRect(dialog.members.model().index(r, 0)) for r in range(3)]
    assert all(r.bottom() <= dialog.members.viewport().height() for r in rows), (
        "fewer than three members in view"
    )
    centres = [w.geometry().center().y() for w in (dialog.capacity_items, dialog.online_counts)]
    assert abs(centres[0] - centres[1]) < 4, "capacity and online quorum share one row"

    before = len(_capacity_events(store, panel_id))
    dialog.capacity_items.setValue(8)
    dialog.capacity_minutes.setValue(150)
    dialog.online_counts.setChecked(False)
    dialog.save_settings()
    assert dialog.banner.kind == "ok"
    with store.read() as session:
        saved = panel_settings(session, panel_id)
    assert (saved.capacity_items, saved.capacity_minutes, saved.online_counts_for_quorum) == (
        8,
        150,
        False,
    )
    events = _capacity_events(store, panel_id)
    assert len(events) == before + 1
    assert events[-1] == {"items": 8, "minutes": 150, "online_counts": False}

    # Saving other settings does not record a capacity change that did not happen.
    dialog.name.setText("SEND Panel (north)")
    dialog.save_settings()
    assert len(_capacity_events(store, panel_id)) == before + 1

    # Opened again, the dialog shows what is stored; back to no limit is stored as none.
    again = PanelsDialog(AppContext(store, "Joanne Pike"))
    qtbot.addWidget(again)
    assert again.capacity_items.value() == 8 and again.capacity_minutes.text() == "150 minutes"
    assert not again.online_counts.isChecked()
    again.capacity_items.setValue(0)
    again.save_settings()
    with store.read() as session:
        assert panel_settings(session, panel_id).capacity_items is None
