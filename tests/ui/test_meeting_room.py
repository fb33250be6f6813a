"""A whole meeting driven through the real window with pytest-qt, read back from the store."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from sqlalchemy import select

from panelapp.domain.vocabulary import (
    AttendanceStatus,
    ItemStatus,
    Outcome,
    PrimaryNeed,
    RequestType,
    Role,
)
from panelapp.services import meetings
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.lifecycle import create_store, open_store
from panelapp.store.tables import AgendaItem, Attendance, DecisionRow, DeclarationRow, DeferralRow
from panelapp.ui.context import AppContext
from panelapp.ui.main_window import MainWindow
from panelapp.ui.unlock import UnlockDialog
from tests.helpers.meetings import (
    CHAIR_OR_VICE_AND_EP,
    MORNING,
    case_on_agenda,
    panel_with_members,
)

PASSPHRASE = "harbour lantern thistle"


@pytest.fixture
def prepared_store(tmp_path, today, store_templates, memory_keyring):
    """A passphrase-protected store with a panel and a three-item meeting, as an operations
    officer would have prepared it."""
    path = tmp_path / "room.store"
    store_templates.passphrase(PASSPHRASE).copy_to(path, memory_keyring)
    store = open_store(path, passphrase_provider=lambda *_: PASSPHRASE)
    with UnitOfWork(store, "ops officer") as uow:
        panel_id, _ = panel_with_members(
            uow,
            {
                "chair": ("Helen Chair", [Role.CHAIR]),
                "vice": ("David Vice", [Role.VICE_CHAIR]),
                "ep": ("Priya Psychologist", [Role.EDUCATIONAL_PSYCHOLOGIST]),
                "school": ("Tom Head", [Role.SCHOOLS_REP]),
                "manager": ("Sarah Manager", [Role.SEND_MANAGER]),
                "minutes": ("Jo Minutes", [Role.MINUTE_TAKER]),
            },
            quorum=CHAIR_OR_VICE_AND_EP,
        )
        meeting_id = meetings.schedule_meeting(uow, panel_id, on=today, start=MORNING)
        for n, (rtype, received) in enumerate(
            [
                (RequestType.TOP_UP, today - timedelta(days=10)),
                (RequestType.ASSESSMENT_REQUEST, today - timedelta(days=38)),
                (RequestType.ASSESSMENT_REQUEST, today - timedelta(days=5)),
            ],
            start=1,
        ):
            case_on_agenda(
                uow,
                meeting_id,
                f"NB-UI-{n}",
                first_name="Child",
                last_name=f"Number{n}",
                date_of_birth=date(2016, 1, n),
                request_type=rtype,
                received=received,
                primary_need=PrimaryNeed.SEMH,
                setting="Hillside Primary",
                presenting_officer="Case Officer",
            )
    store.close()
    return path, meeting_id


def test_a_whole_meeting_through_the_window(qtbot, prepared_store, today):
    path, meeting_id = prepared_store

    # Unlock: a wrong passphrase says so and lets the person try again.
    dialog = UnlockDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase, "not the passphrase")
    dialog.try_unlock()
    assert dialog.isVisible() and dialog.store is None
    assert "does not unlock" in dialog.error.text()
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    dialog.try_unlock()
    assert dialog.result() == UnlockDialog.DialogCode.Accepted and dialog.store is not None

    window = MainWindow(AppContext(dialog.store, "Jo Minutes"), path)
    qtbot.addWidget(window)
    window.show()
    window.meetings.select(meeting_id)
    screen = window.meeting_screen
    assert screen.meeting_id == meeting_id

    # Attendance: everyone but the vice-chair, who sends apologies.
    page = screen.attendance
    page.status_combo("David Vice").setCurrentIndex(
        page.status_combo("David Vice").findData(AttendanceStatus.APOLOGIES)
    )
    qtbot.mouseClick(page.all_present, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page.banner.kind == "ok"

    # The schools representative declares an interest in item 1 and leaves for it.
    declare = page.open_declaration_dialog()
    declare.member.setCurrentIndex(
        declare.member.findText("Tom Head", Qt.MatchFlag.MatchStartsWith)
    )
    declare.item.setCurrentIndex(1)
    qtbot.keyClicks(declare.nature, "Headteacher of the child's school")
    declare.before.setChecked(False)
    declare.record()
    assert declare.result() == declare.DialogCode.Accepted

    run = screen.run
    screen.tabs.setCurrentWidget(run)
    run.select_item(1)
    qtbot.waitUntil(lambda: "Tom Head" in run.panel_state.text())
    assert "Withdrawn" in run.panel_state.text()
    assert "Tom Head" not in run.panel_state.text().split("Taking part:")[1]

    # A decision missing its band is refused with the reason, and nothing is stored.
    run.form.choose(Outcome.AGREE_BAND)
    qtbot.keyClicks(run.form.rationale, "Costed provision map shows need above £6,000.")
    run.form.amount.setValue(8450)
    qtbot.mouseClick(run.record_button, Qt.MouseButton.LeftButton)
    assert run.banner.kind == "error" and "band" in run.banner.text().lower()
    assert "start date" in run.banner.text()  # money agreed runs from a date
    qtbot.keyClicks(run.form.band, "Band C")
    run.form.has_start.setChecked(True)
    qtbot.mouseClick(run.record_button, Qt.MouseButton.LeftButton)
    assert run.banner.kind == "ok", run.banner.text()
    qtbot.waitUntil(lambda: run.agenda.item(0).text().startswith("✔"))

    # Item 2: the EP declares an interest, so the panel has no EP and is not quorate.
    run.select_item(2)
    declare = page.open_declaration_dialog(run.current_item_id())
    declare.member.setCurrentIndex(
        declare.member.findText("Priya Psychologist", Qt.MatchFlag.MatchStartsWith)
    )
    qtbot.keyClicks(declare.nature, "Assessed the child privately")
    declare.before.setChecked(False)
    declare.record()
    qtbot.waitUntil(lambda: "Not quorate" in run.panel_state.text())
    run.form.choose(Outcome.AGREE_TO_ASSESS)
    qtbot.keyClicks(run.form.rationale, "Threshold met.")
    qtbot.mouseClick(run.record_button, Qt.MouseButton.LeftButton)
    assert run.banner.kind == "error"
    assert "not quorate" in run.banner.text() and "Defer" in run.banner.text()

    # So it is deferred; the return date passes the statutory due date, which is flagged.
    deferral = run.open_deferral_dialog()
    assert deferral.inquorate.isVisible()
    qtbot.keyClicks(deferral.reason, "No educational psychologist able to take part.")
    qtbot.keyClicks(deferral.information, "EP advice")
    qtbot.keyClicks(deferral.provider, "EP service")
    deferral.return_date.setDate(QDate(today + timedelta(days=21)))
    assert (
        deferral.warning.isVisible() and "after the statutory due date" in deferral.warning.text()
    )
    deferral.record()
    assert deferral.isVisible() and deferral.banner.kind == "error"  # R8 needs a reason
    qtbot.keyClicks(deferral.past_due_reason, "Family asked for the EP to attend")
    deferral.record()
    assert deferral.result() == deferral.DialogCode.Accepted

    # The minute taker's notes on item 3 are saved as they are typed.
    run.select_item(3)
    qtbot.keyClicks(run.notes, "Parents' views read out.")
    qtbot.waitUntil(lambda: run.saved_label.text() == "Saved.", timeout=3000)

    # Everything is in the store.
    store = window.ctx.store
    with store.read() as session:
        items = session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position)
        ).all()
        assert [i.status for i in items] == [
            ItemStatus.DECIDED,
            ItemStatus.DEFERRED,
            ItemStatus.TO_DO,
        ]
        decision = session.scalar(
            select(DecisionRow).where(DecisionRow.agenda_item_id == items[0].id)
        )
        assert decision.band == "Band C" and decision.amount_pence == 845_000
        tom = session.scalar(
            select(DeclarationRow).where(DeclarationRow.agenda_item_id == items[0].id)
        )
        assert tom.member_id not in decision.participant_ids
        deferral_row = session.scalar(
            select(DeferralRow).where(DeferralRow.agenda_item_id == items[1].id)
        )
        assert deferral_row.timescale_risk and deferral_row.inquorate_reasons
        assert items[2].discussion == "Parents' views read out."
        apologies = session.scalars(
            select(Attendance).where(Attendance.status == AttendanceStatus.APOLOGIES.value)
        ).all()
        assert len(apologies) == 1

    # Locking hides the meeting and closes the store; the passphrase opens it again.
    window.lock()
    assert window.is_locked and window.ctx.store is None
    again = window.unlock()
    qtbot.keyClicks(again.passphrase, PASSPHRASE)
    again.try_unlock()
    assert not window.is_locked and window.ctx.store is not None
    window.close()


def test_the_window_locks_itself_after_the_idle_time(qtbot, prepared_store):
    path, _ = prepared_store
    dialog = UnlockDialog(path)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    dialog.try_unlock()
    window = MainWindow(AppContext(dialog.store, "Jo Minutes"), path, idle_minutes=0.005)  # 0.3 s
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_locked, timeout=5000)
    assert window.ctx.store is None


def test_a_half_typed_decision_survives_the_window_being_lost(qtbot, prepared_store):
    """What the minute taker typed is back after a crash, before anything was recorded."""
    path, meeting_id = prepared_store
    from panelapp.store.lifecycle import open_store

    store = open_store(path, passphrase_provider=lambda *_: PASSPHRASE)
    with UnitOfWork(store, "ops") as uow:
        from panelapp.services.roster import roster

        for entry in roster(uow.session, meeting_id):
            meetings.record_attendance(uow, meeting_id, entry.member_id, AttendanceStatus.PRESENT)
        meetings.start_meeting(uow, meeting_id)
    window = MainWindow(AppContext(store, "Jo Minutes"), path)
    qtbot.addWidget(window)
    window.meetings.select(meeting_id)
    run = window.meeting_screen.run
    run.select_item(3)
    run.form.choose(Outcome.DECLINE_TO_ASSESS)
    qtbot.keyClicks(run.form.rationale, "Needs can be met at SEN support")
    from panelapp.services.drafts import DECISION_FORM, load_draft

    def draft_kept() -> bool:  # in the store, as typed: saved without any button pressed
        with store.read() as session:
            draft = load_draft(session, run.current_item_id(), DECISION_FORM)
        return draft is not None and draft.get("rationale") == "Needs can be met at SEN support"

    qtbot.waitUntil(draft_kept, timeout=3000)
    # The process dies here: no save on close, the window is simply gone.
    window.ctx.store = None
    window.deleteLater()

    reopened = MainWindow(AppContext(store, "Jo Minutes"), path)
    qtbot.addWidget(reopened)
    reopened.meetings.select(meeting_id)
    again = reopened.meeting_screen.run
    again.select_item(3)
    assert again.form.values()["outcome"] is Outcome.DECLINE_TO_ASSESS
    assert again.form.rationale.toPlainText() == "Needs can be met at SEN support"
    qtbot.mouseClick(again.record_button, Qt.MouseButton.LeftButton)
    assert again.banner.kind == "ok"
    with store.read() as session:
        assert load_draft(session, again.current_item_id(), DECISION_FORM) is None
    reopened.close()


def _open_started_meeting(qtbot, path, meeting_id):
    from panelapp.services.roster import roster
    from panelapp.store.lifecycle import open_store

    store = open_store(path, passphrase_provider=lambda *_: PASSPHRASE)
    with UnitOfWork(store, "ops") as uow:
        for entry in roster(uow.session, meeting_id):
            meetings.record_attendance(uow, meeting_id, entry.member_id, AttendanceStatus.PRESENT)
        meetings.start_meeting(uow, meeting_id)
    window = MainWindow(AppContext(store, "Jo Minutes"), path)
    qtbot.addWidget(window)
    window.meetings.select(meeting_id)
    return store, window


def test_when_chair_and_vice_chair_are_both_conflicted_the_panel_chooses_who_chairs(
    qtbot, prepared_store
):
    path, meeting_id = prepared_store
    store, window = _open_started_meeting(qtbot, path, meeting_id)
    run = window.meeting_screen.run
    run.select_item(1)
    for who in ("Helen Chair", "David Vice"):
        declare = window.meeting_screen.attendance.open_declaration_dialog(run.current_item_id())
        declare.member.setCurrentIndex(declare.member.findText(who, Qt.MatchFlag.MatchStartsWith))
        qtbot.keyClicks(declare.nature, "Related to the family")
        declare.before.setChecked(False)
        declare.record()
    qtbot.waitUntil(lambda: not run.chair_choice.isHidden())
    assert "Nominate a member" in run.panel_state.text()
    names = [run.chair_choice.itemText(n) for n in range(run.chair_choice.count())]
    assert "Helen Chair" not in names and "Jo Minutes" not in names  # conflicted / minute taker
    run.choose_chair("Priya Psychologist")
    assert "Chair for this item:</b> Priya Psychologist" in run.panel_state.text()
    run.form.choose(Outcome.AGREE_BAND)
    qtbot.keyClicks(run.form.rationale, "Provision map supports Band B.")
    qtbot.keyClicks(run.form.band, "Band B")
    run.form.amount.setValue(5000)
    run.form.has_start.setChecked(True)
    qtbot.mouseClick(run.record_button, Qt.MouseButton.LeftButton)
    assert run.banner.kind == "ok", run.banner.text()
    with store.read() as session:
        decision = session.scalars(select(DecisionRow)).one()
        item = session.get(AgendaItem, decision.agenda_item_id)
        from panelapp.store.tables import Member

        assert session.get(Member, decision.chaired_by_member_id).name == "Priya Psychologist"
        assert "chosen by the panel" in item.chair_reason
    window.close()


def test_access_keys_on_the_meeting_screen_are_not_shared(qtbot, prepared_store):
    """Alt+letter must press the button it names, not hop between two controls: across
    everything in view at once (the menus, the meeting's own buttons, the tabs and the page),
    with an item waiting for its decision and with one decided."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel

    path, meeting_id = prepared_store
    store, window = _open_started_meeting(qtbot, path, meeting_id)
    window.show()
    screen = window.meeting_screen

    def keys_in_view() -> list[str]:
        texts = [a.text() for a in window.menuBar().actions()]
        texts += [screen.tabs.tabText(n) for n in range(screen.tabs.count())]
        texts += [w.text() for w in window.findChildren(QAbstractButton) if w.isVisible()]
        # A label's Alt+letter reaches its field (its buddy); other labels have none.
        texts += [w.text() for w in window.findChildren(QLabel) if w.isVisible() and w.buddy()]
        return [k.lower() for text in texts for k in re.findall(r"&(\w)", text)]

    def check(state: str) -> None:
        for page in (screen.run, screen.prepare, screen.attendance, screen.actions_page):
            screen.tabs.setCurrentWidget(page)
            qtbot.wait(1)
            keys = keys_in_view()
            doubled = {k for k in keys if keys.count(k) > 1}
            assert not doubled, f"{type(page).__name__} ({state}) shares access keys {doubled}"

    screen.run.select_item(1)
    check("an item waiting for its decision")
    deferral = screen.run.open_deferral_dialog()
    assert deferral is not None
    keys = [
        k.lower()
        for w in deferral.findChildren(QAbstractButton) + deferral.findChildren(QLabel)
        if w.isVisible() and (isinstance(w, QAbstractButton) or w.buddy())
        for k in re.findall(r"&(\w)", w.text())
    ]
    assert len(keys) == len(set(keys)), f"the deferral dialog shares access keys: {keys}"
    deferral.reject()
    run = screen.run
    run.select_item(2)  # an assessment request
    run.form.choose(Outcome.AGREE_TO_ASSESS)
    run.form.rationale.setPlainText("Threshold met.")
    run.record_decision()
    qtbot.waitUntil(lambda: run.agenda.item(1).text().startswith("✔"))
    run.select_item(2)
    check("a decided item")
    window.close()
    store.close()


def _open_window(qtbot, path, meeting_id):
    from panelapp.store.lifecycle import open_store

    store = open_store(path, passphrase_provider=lambda *_: PASSPHRASE)
    window = MainWindow(AppContext(store, "Jo Minutes"), path)
    qtbot.addWidget(window)
    window.show()
    window.meetings.select(meeting_id)
    return window, store


def test_a_late_arrival_is_recorded_by_item_and_counted_only_from_it(qtbot, prepared_store, today):
    path, meeting_id = prepared_store
    window, store = _open_window(qtbot, path, meeting_id)
    page = window.meeting_screen.attendance
    qtbot.mouseClick(page.all_present, Qt.MouseButton.LeftButton)
    arrived = page.presence_combo("Priya Psychologist", 3)
    arrived.setCurrentIndex(arrived.findText("Item 2"))
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)

    run = window.meeting_screen.run
    window.meeting_screen.tabs.setCurrentWidget(run)
    run.select_item(1)
    qtbot.waitUntil(lambda: "Priya Psychologist" not in run.panel_state.text())
    assert "educational psychologist" in run.panel_state.text().lower()  # not quorate: no EP
    run.select_item(2)
    qtbot.waitUntil(lambda: "Priya Psychologist" in run.panel_state.text())
    with store.read() as session:
        rows = session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id))
        late = [r for r in rows if r.arrived_before_item_id is not None]
    assert len(late) == 1

    # Once item 2 is deferred with her in the room, she cannot be recorded as arriving later.
    with UnitOfWork(store, "Jo Minutes") as uow:
        item2 = session_item_id(uow, meeting_id, 2)
        from panelapp.services import decisions

        decisions.defer_item(
            uow,
            item2,
            reason="Report missing.",
            information_required="Report",
            provider="Case officer",
            return_date=today + timedelta(days=14),
            past_due_reason="The report cannot come sooner.",
        )
    window.meeting_screen.tabs.setCurrentWidget(page)
    page.refresh()
    arrived = page.presence_combo("Priya Psychologist", 3)
    arrived.setCurrentIndex(arrived.findText("Item 3"))
    assert page.banner.kind == "error" and "already deferred" in page.banner.text()
    assert page.presence_combo("Priya Psychologist", 3).currentText() == "Item 2"
    window.close()
    store.close()


def session_item_id(uow, meeting_id, position):
    return uow.session.scalar(
        select(AgendaItem.id).where(
            AgendaItem.meeting_id == meeting_id, AgendaItem.position == position
        )
    )


def test_after_the_idle_lock_a_keyring_store_asks_for_a_members_own_passphrase(
    qtbot, tmp_path, monkeypatch
):
    from panelapp.services.signing import create_signing_identity

    monkeypatch.delenv("PANELAPP_SIGNING_PASSPHRASE", raising=False)
    path = tmp_path / "keyring.store"
    store = create_store(path)  # the key is in the (test's) OS keyring: no passphrase
    with UnitOfWork(store, "ops officer") as uow:
        _, members = panel_with_members(uow, {"chair": ("Helen Chair", [Role.CHAIR])})
        chair = members["chair"]
    window = MainWindow(AppContext(store, "Helen Chair"), path)
    qtbot.addWidget(window)
    window.show()

    # Nobody has a secret of their own yet: the keyring's key is all there is.
    window.lock()
    assert window.unlock() is None and not window.is_locked

    with UnitOfWork(window.ctx.store, "Helen Chair") as uow:
        create_signing_identity(uow, chair, passphrase="only Helen knows this")
    window.lock()
    dialog = window.unlock()
    assert dialog is not None and window.is_locked
    qtbot.keyClicks(dialog.secret, "a guess")
    dialog.try_unlock()
    assert window.is_locked and "does not unlock" in dialog.error.text()
    assert dialog.secret.text() == ""  # a typed secret is never kept in the field
    qtbot.keyClicks(dialog.secret, "only Helen knows this")
    dialog.try_unlock()
    assert not window.is_locked and window.ctx.store is not None
    window.close()


def test_the_attendance_tab_shows_what_was_recorded_while_it_was_behind_another_tab(
    qtbot, prepared_store
):
    """Opening a meeting draws only the tab in view; the attendance table is drawn when its
    tab is chosen, from what the store holds then."""
    from PySide6.QtWidgets import QComboBox

    path, meeting_id = prepared_store
    window, store = _open_window(qtbot, path, meeting_id)
    screen = window.meeting_screen
    screen.tabs.setCurrentWidget(screen.run)
    page = screen.attendance
    vice = next(m for m in page.members if m.name == "David Vice")
    window.ctx.do(
        meetings.record_attendance, meeting_id, vice.member_id, AttendanceStatus.APOLOGIES
    )
    assert not page.findChildren(QComboBox)  # nothing drawn behind the Run tab yet
    screen.tabs.tabBar().setCurrentIndex(screen.tabs.indexOf(page))  # the tab clicked

    def shown() -> dict[str, str]:
        return {
            c.accessibleName(): c.currentText()
            for c in page.findChildren(QComboBox)
            if c.isVisible()
        }

    qtbot.waitUntil(lambda: shown().get("Attendance of David Vice") == "Apologies")
    assert shown()["Attendance of Helen Chair"] == "Not recorded"
    window.close()
    store.close()
