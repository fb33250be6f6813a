"""Minutes through the window: a draft made, the chair's certificate made and the minutes
signed, a copy saved and checked (then tampered with and checked again), decision records
exported, and an amendment started, all driven with pytest-qt and read back from the store."""

from __future__ import annotations

import io
import logging
import zipfile

import pytest
from PySide6.QtCore import Qt

from panelapp.documents.package_signature import verify_docx
from panelapp.domain.errors import RuleViolation
from panelapp.domain.vocabulary import MeetingStatus, NamingMode, Outcome
from panelapp.services import decisions, meetings, minutes, signing
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.ui.context import AppContext
from panelapp.ui.minutes_dialog import MinutesDialog
from panelapp.ui.signing_dialog import SigningIdentityDialog, split_fingerprint
from panelapp.ui.verify_dialog import NOT_SIGNED, NOT_VALID, UNTRUSTED, VALID, VerifyDialog


def store_sources(store):
    from panelapp.services.verification import TrustSources, registered_in_store

    with store.read() as session:
        return TrustSources(tuple(registered_in_store(session)), (), ("the store",))


CHAIR, VICE = "Helen Whitaker", "David Okafor"


@pytest.fixture
def window(qtbot, store, demo):
    ctx = AppContext(store, "Joanne Pike")
    dialog = MinutesDialog(ctx, demo.meeting_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def finish(qtbot, dialog: MinutesDialog, action) -> object:
    """Run ``action`` (which starts background work) and wait until that work has ended;
    returns what ``action`` returned. Fails with the banner's text if the work failed."""
    with qtbot.waitSignal(dialog.task_finished, timeout=10_000) as ended:
        result = action()
    assert ended.args == [True], dialog.banner.text()
    return result


def refused(qtbot, dialog: MinutesDialog, action) -> str:
    with qtbot.waitSignal(dialog.task_finished, timeout=10_000) as ended:
        action()
    assert ended.args == [False]
    assert dialog.banner.kind == "error" and dialog.banner.isVisible()
    return dialog.banner.text()


def change_one_byte(docx: bytes, part: str, old: bytes, new: bytes) -> bytes:
    """The package re-zipped with one byte of one part changed."""
    assert len(old) == len(new)
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                assert old in data
                data = data.replace(old, new, 1)
            target.writestr(info, data)
    return out.getvalue()


def test_draft_signed_saved_checked_tampered_and_amended(
    qtbot, window, store, demo, tmp_path, caplog
):
    caplog.set_level(logging.DEBUG)
    ctx, meeting_id = window.ctx, demo.meeting_id
    chair = demo.member_ids[CHAIR]
    assert window.table.rowCount() == 0
    assert not window.sign_button.isEnabled() and not window.save_button.isEnabled()
    assert CHAIR in window.signer.text() and "No signing certificate yet" in window.signer.text()

    # A draft naming children by reference only.
    finish(qtbot, window, lambda: window.generate(NamingMode.REFERENCE))
    assert window.table.rowCount() == 1
    assert window.table.item(0, 2).text() == "Reference only"
    assert window.table.item(0, 3).text() == "Not signed (draft)"
    assert "Made draft version 1" in window.banner.text()
    assert window.sign_button.isEnabled() and window.save_button.isEnabled()

    # The chair has no certificate: signing offers to make one, then signs.
    identity = window.sign()
    assert isinstance(identity, SigningIdentityDialog) and identity.isVisible()
    assert identity.member.currentText() == CHAIR and not identity.member.isEnabled()
    finish(qtbot, window, identity.create_certificate)
    assert identity.result() == identity.DialogCode.Accepted
    fingerprint = ctx.read(signing.current_identity, chair).fingerprint
    text = window.banner.text()
    assert window.banner.kind == "ok"
    assert f"{CHAIR} signed version 1 of the minutes on" in text
    assert split_fingerprint(fingerprint) in text and "decisions are now locked" in text
    assert window.table.item(0, 3).text() == CHAIR and window.table.item(0, 4).text()
    assert fingerprint.split(":")[0] in window.signer.text()
    assert window.amend_button.isEnabled() and window.records_button.isEnabled()
    assert not window.sign_button.isEnabled() and not window.generate_button.isEnabled()

    # The meeting is signed, and its decisions are locked (R9).
    assert ctx.read(minutes.minutes_overview, meeting_id).status is MeetingStatus.SIGNED
    with pytest.raises(RuleViolation) as locked, UnitOfWork(store, "Joanne Pike") as uow:
        decisions.record_decision(
            uow, demo.item_ids[0], outcome=Outcome.AGREE_TO_ASSESS, rationale="Again."
        )
    assert locked.value.rule == "R9"

    # A copy saved, with the confidentiality note, checks as valid, signed by the chair.
    copy = tmp_path / "signed minutes.docx"
    finish(qtbot, window, lambda: window.save_copy(copy))
    assert window.last_saved == copy and copy.is_file()
    assert "Saved version 1 (signed)" in window.banner.text()
    assert "OFFICIAL-SENSITIVE" in window.banner.text()
    # Without the store or a trust file, the dialog cannot tell who the certificate belongs to.
    bare = VerifyDialog()
    qtbot.addWidget(bare)
    assert bare.check(copy).valid and bare.outcome == UNTRUSTED
    assert bare.verdict.text().startswith("?  INTACT BUT NOT TRUSTED")
    assert bare.trusted.text().startswith("NOT TRUSTED: the certificate is self-signed")
    # With the store open, the chair's registered certificate is trusted.
    verify = VerifyDialog(registered=lambda: store_sources(store))
    qtbot.addWidget(verify)
    verify.show()
    report = verify.check(copy)
    assert report.valid and verify.outcome == VALID
    assert verify.verdict.text().startswith("✔  VALID")
    assert verify.trusted.text().startswith("TRUSTED: the certificate is the one the panel")
    assert verify.subject.text().startswith(f"CN={CHAIR}")
    assert any("document properties" in line for line in verify.detail_lines())
    assert verify.signer.text() == CHAIR
    assert verify.fingerprint.text() == split_fingerprint(fingerprint)
    assert verify.signed_at.text()
    assert not any(line.startswith("Problem") for line in verify.detail_lines())

    # One byte changed in word/document.xml, re-zipped: not valid, and the part is named.
    tampered = tmp_path / "tampered.docx"
    tampered.write_bytes(
        change_one_byte(
            copy.read_bytes(), "word/document.xml", b"Agree to assess<", b"Agree to assesz<"
        )
    )
    verify.check(tampered)
    assert verify.outcome == NOT_VALID and verify.verdict.text().startswith("✘  NOT VALID")
    assert "Problem: word/document.xml was changed after signing." in verify.detail_lines()
    assert verify.signer.text() == CHAIR

    # A file that is not there is "not signed", with the reason.
    verify.check(tmp_path / "missing.docx")
    assert verify.outcome == NOT_SIGNED
    assert any("not found" in line for line in verify.detail_lines())

    # An amendment with a reason makes version 2; version 1 keeps its bytes.
    _, first = ctx.read(minutes.minutes_document, meeting_id, 1)
    reason = "The rationale for item 4 was minuted incompletely."
    finish(qtbot, window, lambda: window.start_amendment(reason))
    assert window.table.rowCount() == 2 and window.table.item(1, 5).text() == reason
    assert "version 1 is kept exactly as signed" in window.banner.text()
    assert window.generate_button.isEnabled() and not window.amend_button.isEnabled()
    finish(qtbot, window, window.generate)
    versions = ctx.read(minutes.minutes_versions, meeting_id)
    assert [(v.version, v.signed) for v in versions] == [(1, True), (2, False)]
    assert versions[1].naming is NamingMode.REFERENCE and versions[1].reason == reason
    _, kept = ctx.read(minutes.minutes_document, meeting_id, 1)
    assert kept == first and verify_docx(kept).valid
    assert window.table.item(1, 3).text() == "Not signed (draft)"

    # Nothing logged names a child (the demonstration children's names, first and last).
    assert "minutes version 1 of meeting" in caplog.text  # the log was captured
    for name in ("Oliver", "Grant", "Amelia", "Hughes", "Isla", "Thompson", "Ella", "Roberts"):
        assert name not in caplog.text


def test_refusals_are_shown_in_the_banner(qtbot, window, store, demo):
    meeting_id, chair = demo.meeting_id, demo.member_ids[CHAIR]
    with UnitOfWork(store, "IT") as uow:
        signing.create_signing_identity(uow, chair)
    window.refresh()
    assert "No signing certificate" not in window.signer.text()
    finish(qtbot, window, window.generate)

    # The records change after the draft was made: the chair would sign what they have not read.
    with UnitOfWork(store, "Joanne Pike") as uow:
        meetings.reopen_meeting(uow, meeting_id, reason="late note")
        meetings.save_discussion(uow, demo.item_ids[1], "The SENCo attended.")
    assert "Close the meeting" in refused(qtbot, window, window.sign)  # reopened: not closed
    with UnitOfWork(store, "Joanne Pike") as uow:
        meetings.close_meeting(uow, meeting_id)
    assert "changed after this draft" in refused(qtbot, window, window.sign)

    # Only the chair signs (R9).
    assert "cannot sign these minutes" in refused(
        qtbot, window, lambda: window.sign(demo.member_ids[VICE])
    )

    # Generated again, the chair signs after confirming (no certificate dialog this time).
    finish(qtbot, window, window.generate)
    confirm = window.ask_to_sign()
    assert "Helen Whitaker (Chair) signs version 1" in confirm.text()
    sign = next(b for b in confirm.buttons() if b.text() == "Sign")
    finish(qtbot, window, lambda: qtbot.mouseClick(sign, Qt.MouseButton.LeftButton))
    assert "signed version 1" in window.banner.text()

    # An amendment needs a reason: the dialog asks for one, and so does the service.
    amend = window.ask_for_amendment()
    amend.confirm()
    assert amend.isVisible() and amend.banner.kind == "error"
    assert "Say why" in refused(qtbot, window, lambda: window.start_amendment("   "))
    assert ctx_status(window) is MeetingStatus.SIGNED


def ctx_status(dialog: MinutesDialog) -> MeetingStatus:
    return dialog.ctx.read(minutes.minutes_overview, dialog.meeting_id).status


def test_decision_records_ask_for_the_vice_chairs_certificate(qtbot, window, store, demo, tmp_path):
    chair = demo.member_ids[CHAIR]
    with UnitOfWork(store, "IT") as uow:
        signing.create_signing_identity(uow, chair)
    finish(qtbot, window, window.generate)
    finish(qtbot, window, window.sign)

    # The vice-chair chaired item 10 (the chair declared an interest) and has no certificate.
    identity = window.export_decision_records(tmp_path)
    assert isinstance(identity, SigningIdentityDialog)
    assert identity.member.currentText() == VICE and "item 10" in identity.why.text()
    finish(qtbot, window, identity.create_certificate)
    folder = window.last_records_folder
    assert folder is not None and folder.parent == tmp_path
    files = sorted(folder.glob("*.docx"))
    assert len(files) >= 2 and str(folder) in window.banner.text()
    assert "OFFICIAL-SENSITIVE" in window.banner.text()
    verify = VerifyDialog(registered=lambda: store_sources(store))
    qtbot.addWidget(verify)
    signers = {verify.check(path).signer for path in files}
    assert signers == {CHAIR, VICE} and verify.outcome == VALID


def test_a_certificate_file_is_imported_through_the_dialog(qtbot, window, demo, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from panelapp.documents.signing_identity import create_identity

    council = create_identity("H. Whitaker", "Chair", "Northfield Borough Council")
    p12 = tmp_path / "chair.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"chair",
            council.private_key,
            council.certificate,
            None,
            serialization.BestAvailableEncryption(b"s3cret-pass"),
        )
    )
    dialog = window.open_certificates()
    assert dialog.member.isEnabled() and dialog.member.currentText() == CHAIR
    dialog.import_file.setChecked(True)
    assert dialog.ok_button.text() == "Import certificate" and dialog.password.isEnabled()
    assert not dialog.import_p12(p12, "wrong")
    assert dialog.banner.kind == "error" and dialog.isVisible()
    assert dialog.import_p12(p12, "s3cret-pass")
    assert dialog.password.text() == ""
    assert "Imported the council's signing certificate" in window.banner.text()
    assert "H. Whitaker" in window.banner.text() and council.fingerprint.split(":")[0] in (
        window.signer.text()
    )


def test_the_meeting_screen_offers_minutes_and_reopening_when_the_meeting_is_closed(
    qtbot, store, store_path, demo
):
    from panelapp.domain.vocabulary import MeetingStatus
    from panelapp.services.meeting_view import meeting_view
    from panelapp.ui.context import AppContext
    from panelapp.ui.main_window import MainWindow

    window = MainWindow(AppContext(store, "Joanne Pike"), store_path)
    qtbot.addWidget(window)
    window.meetings.select(demo.meeting_id)
    screen = window.meeting_screen
    assert screen.minutes_button.isEnabled() and screen.reopen_button.isEnabled()
    minutes = screen.open_minutes()
    assert minutes.isVisible()
    window.lock()
    assert not minutes.isVisible(), "locking closes the minutes window"
    window.unlock()  # the keyring-kept store opens again without a passphrase
    screen.reopen("A band was minuted wrongly")
    qtbot.waitUntil(lambda: screen.close_button.isEnabled())
    with window.ctx.store.read() as session:
        assert (
            meeting_view(session, demo.meeting_id, window.ctx.naming).status
            is MeetingStatus.IN_PROGRESS
        )
    assert not screen.minutes_button.isEnabled()
    window.close()


def test_sign_as_chair_asks_the_chair_for_their_own_passphrase(
    qtbot, window, store, demo, monkeypatch
):
    chair = demo.member_ids[CHAIR]
    with UnitOfWork(store, "IT") as uow:
        signing.create_signing_identity(uow, chair, passphrase="Helen's own passphrase")
    monkeypatch.delenv("PANELAPP_SIGNING_PASSPHRASE")
    window.refresh()
    finish(qtbot, window, window.generate)
    asked = []

    # Someone else at the laptop clicks "Sign" and cannot give the passphrase: nothing is signed.
    window.ask_secret = lambda need: asked.append((need.member_name, need.kind))
    assert "signing passphrase is needed" in refused(qtbot, window, window.sign)
    assert window.ctx.read(minutes.minutes_overview, demo.meeting_id).status is not (
        MeetingStatus.SIGNED
    )
    # A wrong one is refused too.
    window.ask_secret = lambda need: "not Helen's passphrase"
    assert "does not unlock" in refused(qtbot, window, window.sign)

    # The chair types theirs: signed.
    window.ask_secret = lambda need: asked.append(need.kind) or "Helen's own passphrase"
    finish(qtbot, window, window.sign)
    assert asked == [(CHAIR, "passphrase"), "passphrase"]
    assert "signed version 1" in window.banner.text()
    assert window.ctx.read(minutes.minutes_overview, demo.meeting_id).status is (
        MeetingStatus.SIGNED
    )
