"""A refusal says what to do next in the words of the place it is read: the command line
names the command to type, the window names its own button and never a command."""

from __future__ import annotations

import pytest

from panelapp.cli import main
from panelapp.domain.errors import PanelappError, Step
from panelapp.services.minutes import generate_minutes
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.ui import next_steps as window_words
from panelapp.ui.context import AppContext
from panelapp.ui.minutes_dialog import MinutesDialog


def test_remaking_signed_minutes_is_refused_with_the_next_steps(store, demo, signed_minutes):
    with pytest.raises(PanelappError) as refused, UnitOfWork(store, "Jo") as uow:
        generate_minutes(uow, demo.meeting_id)
    steps = [s.step for s in refused.value.next_steps]
    assert steps == [Step.EXPORT_MINUTES, Step.AMEND_MINUTES]
    cli = str(refused.value)
    assert f"'panelapp minutes amend {demo.meeting_id} --reason ...'" in cli
    window = window_words.error_text(refused.value)
    assert "Start an amendment..." in window and "panelapp " not in window


def test_the_command_line_prints_the_command(store, store_path, demo, signed_minutes, capsys):
    store.close()
    assert (
        main(
            ["--store", str(store_path), "--as", "Jo", "minutes", "generate", str(demo.meeting_id)]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert (
        "The minutes are signed" in err
        and f"panelapp minutes export {demo.meeting_id} --out FILE" in err
    )


def test_the_window_names_its_own_button(qtbot, store, demo, signed_minutes):
    dialog = MinutesDialog(AppContext(store, "Joanne Pike"), demo.meeting_id)
    qtbot.addWidget(dialog)
    dialog.generate()
    qtbot.waitUntil(lambda: dialog.banner.kind == "error", timeout=10_000)
    shown = dialog.banner.text()
    assert "The minutes are signed" in shown
    assert "'Start an amendment...'" in shown and "panelapp " not in shown
