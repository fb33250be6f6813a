"""Typed text is masked by the naming mode unless a screen asks otherwise (R18): a command
that prints the meeting with initials does not print a child's full name typed in an action,
a declaration or a chair's reason; the meeting screen still shows the officer their own text."""

from __future__ import annotations

from datetime import date, timedelta

from panelapp.cli import main
from panelapp.domain.vocabulary import NamingMode, Role
from panelapp.services import decisions, declarations
from panelapp.services.meeting_view import meeting_view
from panelapp.services.unit_of_work import UnitOfWork
from tests.helpers.meetings import ANY_TWO, MORNING, all_present, case_on_agenda, panel_with_members

DAY = date(2026, 3, 12)


def _meeting(store) -> int:
    from panelapp.services import meetings

    with UnitOfWork(store, "ops officer") as uow:
        panel_id, ids = panel_with_members(
            uow,
            {
                "chair": ("Helen Chair", [Role.CHAIR]),
                "vice": ("David Vice", [Role.VICE_CHAIR]),
                "head": ("Tom Head", [Role.SCHOOLS_REP]),
            },
            quorum=ANY_TWO,
        )
        meeting_id = meetings.schedule_meeting(uow, panel_id, on=DAY, start=MORNING)
        item_id = case_on_agenda(
            uow,
            meeting_id,
            "NB-M-1",
            first_name="Ada",
            last_name="Zyxwardine",
            received=DAY - timedelta(days=10),
        )
        all_present(uow, meeting_id, ids.values())
        declarations.declare_interest(
            uow,
            meeting_id,
            ids["head"],
            nature="Teaches Ada Zyxwardine",
            item_id=item_id,
        )
        decisions.add_action(
            uow,
            meeting_id,
            description="Send Ada Zyxwardine's file to the school.",
            owner="Officer",
            item_id=item_id,
        )
    return meeting_id


def test_show_masks_typed_text_by_the_naming_mode(store, store_path, capsys):
    meeting_id = _meeting(store)
    store.close()
    assert main(["--store", str(store_path), "show", str(meeting_id)]) == 0
    out = capsys.readouterr().out
    assert "Zyxwardine" not in out
    assert "Send AZ's file to the school." in out and "Teaches AZ" in out


def test_a_screen_that_asks_sees_the_text_as_typed(store):
    meeting_id = _meeting(store)
    with store.read() as session:
        masked = meeting_view(session, meeting_id, NamingMode.INITIALS)
        typed = meeting_view(session, meeting_id, NamingMode.INITIALS, mask_free_text=False)
    assert masked.actions[0][0] == "Send AZ's file to the school."
    assert typed.actions[0][0] == "Send Ada Zyxwardine's file to the school."
