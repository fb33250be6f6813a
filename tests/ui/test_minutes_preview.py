"""The chair reads the draft minutes inside panelapp before signing: the text shown is read
from the very version that is kept and would be signed."""

from __future__ import annotations

from panelapp.domain.vocabulary import NamingMode
from panelapp.services.minutes import generate_minutes
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.ui.context import AppContext
from panelapp.ui.minutes_dialog import MinutesDialog


def test_the_draft_is_read_in_the_minutes_window_before_signing(qtbot, store, demo):
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    dialog = MinutesDialog(AppContext(store, "Helen Whitaker"), demo.meeting_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.read_button.isEnabled()
    preview = dialog.open_preview()
    text = preview.text.toPlainText()
    assert "SEND Panel (demonstration)" in text
    assert "Agree to assess" in text  # the decisions, as minuted
    assert "Oliver" not in text  # named as the version was made: initials
    assert preview.text.isReadOnly()
    assert "Not signed yet" in preview.findChild(type(dialog.heading)).text()
    preview.close()


def test_nothing_to_read_before_a_draft_is_made(qtbot, store, demo):
    dialog = MinutesDialog(AppContext(store, "Helen Whitaker"), demo.meeting_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.read_button.isEnabled()
