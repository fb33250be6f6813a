"""Names are shown exactly as typed: a member, a child or a panel called ``O'Brien <Smith> &
Co`` is not read as markup (which would hide ``<Smith>`` and mangle the ``&``)."""

from __future__ import annotations

from datetime import date, time, timedelta

from PySide6.QtGui import Qt, QTextDocument
from PySide6.QtWidgets import QLabel, QWidget

from panelapp.domain.quorum import QuorumRule
from panelapp.domain.vocabulary import (
    AttendanceStatus,
    NamingMode,
    PanelType,
    PrimaryNeed,
    RequestType,
    Role,
)
from panelapp.services import cases, meetings, panels
from panelapp.services.roster import roster
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow
from panelapp.ui.minutes_dialog import MinutesDialog

ODD = "O'Brien <Smith> & Co"
BOLD = "<b>Ann</b>"
DAY = date.today()


def _shown(label: QLabel) -> str:
    """The text a person sees in ``label``, as Qt draws it."""
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and Qt.mightBeRichText(label.text())
    )
    if not rich:
        return label.text()
    doc = QTextDocument()
    doc.setHtml(label.text())
    return doc.toPlainText()


def _meeting(store, *, chair: str = ODD, vice_chair: str = BOLD) -> int:
    with UnitOfWork(store, "ops officer") as uow:
        panel_id = panels.create_panel(
            uow,
            name=f"{ODD} Panel",
            panel_type=PanelType.SEND,
            quorum=QuorumRule(2, (frozenset({Role.CHAIR, Role.VICE_CHAIR}),)),
        )
        for name, role in [
            (chair, Role.CHAIR),
            (vice_chair, Role.VICE_CHAIR),
            ("Priya Psychologist", Role.EDUCATIONAL_PSYCHOLOGIST),
        ]:
            panels.add_member(uow, panel_id, name=name, roles=[role])
        meeting_id = meetings.schedule_meeting(
            uow, panel_id, on=DAY, start=time(9, 30), venue="Room <1> & 2"
        )
        case_id = cases.add_case(
            uow,
            cases.CaseDetails(
                reference="NB-ESC-1",
                first_name=BOLD,
                last_name=ODD,
                date_of_birth=date(2016, 1, 1),
                request_type=RequestType.ASSESSMENT_REQUEST,
                request_received=DAY - timedelta(days=10),
                primary_need=PrimaryNeed.SEMH,
                setting="St Mary's <Infant> & Nursery",
            ),
        )
        meetings.put_on_agenda(uow, meeting_id, case_id, presenting_officer="Officer")
        for entry in roster(uow.session, meeting_id):
            meetings.record_attendance(uow, meeting_id, entry.member_id, AttendanceStatus.PRESENT)
        meetings.start_meeting(uow, meeting_id)
    return meeting_id


def test_names_with_markup_characters_are_shown_literally(qtbot, store, store_path):
    meeting_id = _meeting(store)
    ctx = AppContext(store, "Jo Minutes", naming=NamingMode.FULL)
    window = MainWindow(ctx, store_path)
    qtbot.addWidget(window)
    window.show()
    window.meetings.select(meeting_id)
    screen = window.meeting_screen
    assert ODD in _shown(screen.heading)
    assert "Room <1> & 2" in _shown(screen.heading)
    run = screen.run
    run.select_item(1)
    assert f"{BOLD} {ODD}" in _shown(run.title)
    panel_state = _shown(run.panel_state)
    assert f"Chair for this item: {ODD}" in panel_state
    assert BOLD in panel_state  # the vice-chair is taking part, name and tags as typed
    assert "St Mary's <Infant> & Nursery" in _shown(run.facts)
    run.banner.show_message("error", f"{ODD} cannot take part.")
    assert _shown(run.banner) == f"{ODD} cannot take part."
    window.close()


def _misread(root: QWidget, typed: str) -> list[str]:
    """The labels and tooltips under ``root`` that hold ``typed`` as it was typed but would
    draw it as markup (the tags taken as bold, so the name shows without them)."""
    found = []
    for label in root.findChildren(QLabel):
        if typed in label.text() and typed not in _shown(label):
            found.append(label.accessibleName() or label.text())
    for widget in [root, *root.findChildren(QWidget)]:
        tip = widget.toolTip()
        if typed in tip and Qt.mightBeRichText(tip):
            found.append(f"tooltip {tip!r}")
    return found


def test_a_chair_named_with_tags_is_shown_as_typed_on_every_tab_and_in_the_minutes_window(
    qtbot, store, store_path
):
    meeting_id = _meeting(store, chair=BOLD, vice_chair=ODD)
    ctx = AppContext(store, "Jo Minutes", naming=NamingMode.FULL)
    window = MainWindow(ctx, store_path)
    qtbot.addWidget(window)
    window.show()
    window.meetings.select(meeting_id)
    screen = window.meeting_screen
    for n in range(screen.tabs.count()):
        screen.tabs.setCurrentIndex(n)
        assert _misread(screen, BOLD) == [], screen.tabs.tabText(n)
    assert f"Chair for this item: {BOLD}" in _shown(screen.run.panel_state)

    minutes = MinutesDialog(ctx, meeting_id, window)
    qtbot.addWidget(minutes)
    minutes.show()
    assert _shown(minutes.signer).startswith(f"{BOLD} (")  # who signs, name and tags as typed
    assert _misread(minutes, BOLD) == []
    minutes.close()
    window.close()
