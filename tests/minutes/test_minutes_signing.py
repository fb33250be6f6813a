"""The chair's signature on the minutes, the R9 lock, amendments and the signing identities."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, time, timedelta

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from sqlalchemy import select

from panelapp.documents.package_signature import verify_docx
from panelapp.documents.signing_identity import create_identity
from panelapp.domain.errors import PanelappError, RuleViolation
from panelapp.domain.vocabulary import AttendanceStatus, MeetingStatus, NamingMode, Outcome
from panelapp.services import decisions, meetings
from panelapp.services.minutes import (
    generate_minutes,
    minutes_document,
    minutes_signer,
    minutes_versions,
    sign_minutes,
    start_amendment,
)
from panelapp.services.signing import (
    create_signing_identity,
    identities_for_panel,
    import_signing_identity,
    load_identity,
)
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.services.verification import report_lines, verify_file
from panelapp.store.tables import AuditEvent, Meeting, SigningIdentityRow
from tests.helpers.minutes_docx import docx_text, names_found


def change_one_byte(docx: bytes, part: str, old: bytes, new: bytes) -> bytes:
    """The package with one byte of one part changed; every other part keeps its bytes."""
    assert len(old) == len(new)
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                assert data.count(old) == 1
                data = data.replace(old, new)
            target.writestr(info, data)
    return out.getvalue()


# -- signing ----------------------------------------------------------------------------------


def test_signed_minutes_verify_and_name_the_signer_role_time_and_fingerprint(
    store, demo, signed_minutes, identities
):
    info, data = signed_minutes
    report = verify_docx(data)
    assert report.signed and report.valid, report.problems
    assert report.signer == "Helen Whitaker"
    with store.read() as session:
        fingerprint = (
            session.scalar(
                select(SigningIdentityRow).where(SigningIdentityRow.member_id == identities[0])
            )
        ).fingerprint
    assert report.signer_fingerprint == fingerprint
    assert info.signed and info.signed_by == "Helen Whitaker" and info.version == 1
    assert abs(report.signed_at - info.signed_at.replace(tzinfo=UTC)) < timedelta(seconds=1)

    text = docx_text(data)
    assert "Signed by | Helen Whitaker" in text
    assert "Role | Chair" in text
    local = info.signed_at.replace(tzinfo=UTC).astimezone()
    assert f"Date and time | {local.day} {local:%B %Y} at {local:%H:%M}" in text
    pairs = fingerprint.split(":")
    assert ":".join(pairs[:16]) + ":" in text and ":".join(pairs[16:]) in text
    assert "DRAFT" not in text
    assert "Version 1. Signed." in text


def test_signing_locks_the_meetings_decisions(store, demo, signed_minutes):
    with store.read() as session:
        assert session.get(Meeting, demo.meeting_id).status == MeetingStatus.SIGNED
    with pytest.raises(RuleViolation) as refused, UnitOfWork(store, "Joanne Pike") as uow:
        decisions.reopen_item(uow, demo.item_ids[0], reason="change of mind")
    assert refused.value.rule == "R9"
    with pytest.raises(PanelappError, match="signed"), UnitOfWork(store, "J") as uow:
        meetings.reopen_meeting(uow, demo.meeting_id, reason="x")
    with pytest.raises(PanelappError, match="minutes amend"), UnitOfWork(store, "J") as uow:
        generate_minutes(uow, demo.meeting_id)
    with pytest.raises(PanelappError, match="already signed"), UnitOfWork(store, "H") as uow:
        sign_minutes(uow, demo.meeting_id, demo.member_ids["Helen Whitaker"])


def test_one_changed_byte_in_document_xml_is_detected(signed_minutes, tmp_path):
    _, data = signed_minutes
    tampered = change_one_byte(data, "word/document.xml", b"Agree to assess<", b"Agree to assesz<")
    report = verify_docx(tampered)
    assert report.signed and not report.valid
    assert "word/document.xml was changed after signing." in report.problems
    path = tmp_path / "tampered.docx"
    path.write_bytes(tampered)
    assert not verify_file(path).valid
    assert report_lines(verify_file(path))[0].startswith("NOT VALID")
    (tmp_path / "good.docx").write_bytes(data)
    # Intact; whether the signer is trusted is a separate question (test_verify_trust.py).
    assert report_lines(verify_file(tmp_path / "good.docx"))[0].startswith("INTACT")
    assert report_lines(verify_file(tmp_path / "missing.docx"))[0].startswith("NOT SIGNED")


def test_only_the_chair_signs_and_only_a_closed_meeting_with_a_draft(store, demo, identities):
    chair, vice = identities
    with pytest.raises(PanelappError, match="no draft"), UnitOfWork(store, "H") as uow:
        sign_minutes(uow, demo.meeting_id, chair)
    with UnitOfWork(store, "J") as uow:
        generate_minutes(uow, demo.meeting_id)
    with pytest.raises(RuleViolation, match="signed by Helen Whitaker") as refused:
        with UnitOfWork(store, "D") as uow:
            sign_minutes(uow, demo.meeting_id, vice)
    assert "David Okafor cannot sign" in str(refused.value)
    with UnitOfWork(store, "J") as uow:
        meetings.reopen_meeting(uow, demo.meeting_id, reason="one more note")
    with pytest.raises(PanelappError, match="Close the meeting"), UnitOfWork(store, "H") as uow:
        sign_minutes(uow, demo.meeting_id, chair)


def test_a_chair_who_chaired_items_cannot_afterwards_be_marked_as_sending_apologies(store, demo):
    with UnitOfWork(store, "J") as uow:
        meetings.reopen_meeting(uow, demo.meeting_id, reason="the chair sent apologies")
    with pytest.raises(PanelappError, match="Helen Whitaker took part in item 1"):
        with UnitOfWork(store, "J") as uow:
            meetings.record_attendance(
                uow, demo.meeting_id, demo.member_ids["Helen Whitaker"], AttendanceStatus.APOLOGIES
            )
    with store.read() as session:
        signer = minutes_signer(session, demo.meeting_id)
    assert signer.name == "Helen Whitaker" and signer.role == "Chair"
    assert "Item 10 was chaired by another member" in signer.basis


def test_signing_is_refused_when_the_records_changed_after_the_draft(store, demo, identities):
    with UnitOfWork(store, "J") as uow:
        generate_minutes(uow, demo.meeting_id)
    with UnitOfWork(store, "J") as uow:
        meetings.reopen_meeting(uow, demo.meeting_id, reason="late note")
        meetings.save_discussion(uow, demo.item_ids[1], "The SENCo attended.")
        meetings.close_meeting(uow, demo.meeting_id)
    with pytest.raises(PanelappError, match="changed after this draft"):
        with UnitOfWork(store, "H") as uow:
            sign_minutes(uow, demo.meeting_id, identities[0])
    with UnitOfWork(store, "J") as uow:
        generate_minutes(uow, demo.meeting_id)
    with UnitOfWork(store, "H") as uow:
        info = sign_minutes(uow, demo.meeting_id, identities[0])
    assert info.signed


def test_signing_is_refused_after_a_decisions_rationale_changed(store, demo, identities):
    item4 = demo.item_ids[3]
    with UnitOfWork(store, "J") as uow:
        generate_minutes(uow, demo.meeting_id)
    with UnitOfWork(store, "J") as uow:
        meetings.reopen_meeting(uow, demo.meeting_id, reason="rationale corrected")
        decisions.reopen_item(uow, item4, reason="rationale corrected")
    with UnitOfWork(store, "J") as uow:
        decisions.record_decision(
            uow, item4, outcome=Outcome.ISSUE_PLAN, rationale="A different rationale."
        )
    with UnitOfWork(store, "J") as uow:
        meetings.close_meeting(uow, demo.meeting_id)
    with pytest.raises(PanelappError, match="changed after this draft"):
        with UnitOfWork(store, "H") as uow:
            sign_minutes(uow, demo.meeting_id, identities[0])
    with store.read() as session:
        assert not minutes_versions(session, demo.meeting_id)[-1].signed


def _body_blocks(docx: bytes) -> list[bytes]:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    body = root.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body")
    return [etree.tostring(child) for child in body]


def test_the_signed_body_is_the_drafts_body_up_to_the_signature(store, demo, identities):
    with UnitOfWork(store, "J") as uow:
        generate_minutes(uow, demo.meeting_id)
    with store.read() as session:
        _, draft = minutes_document(session, demo.meeting_id)
    with UnitOfWork(store, "H") as uow:
        sign_minutes(uow, demo.meeting_id, identities[0])
    with store.read() as session:
        _, signed = minutes_document(session, demo.meeting_id)
    draft_blocks, signed_blocks = _body_blocks(draft), _body_blocks(signed)
    end = next(i for i, block in enumerate(draft_blocks) if b">5. Signature<" in block)
    assert b">5. Signature<" in signed_blocks[end]
    note = b"Draft for the chair's signature."
    changed = [i for i in range(end + 1) if draft_blocks[i] != signed_blocks[i]]
    # Only the version note says "Signed." instead of "Draft ..."; everything else is as read.
    assert len(changed) == 1
    assert draft_blocks[changed[0]].replace(note, b"Signed.") == signed_blocks[changed[0]]
    assert draft_blocks[-1] == signed_blocks[-1]  # the section properties


def test_signing_needs_the_chairs_certificate(store, demo):
    with UnitOfWork(store, "J") as uow:
        generate_minutes(uow, demo.meeting_id)
    with pytest.raises(PanelappError, match="no signing certificate yet") as refused:
        with UnitOfWork(store, "H") as uow:
            sign_minutes(uow, demo.meeting_id, demo.member_ids["Helen Whitaker"])
    assert "panelapp signing create" in str(refused.value)
    with store.read() as session:  # nothing was half-done
        assert session.get(Meeting, demo.meeting_id).status == MeetingStatus.CLOSED
        assert not minutes_versions(session, demo.meeting_id)[0].signed


# -- amendments -------------------------------------------------------------------------------


def test_amending_signed_minutes_keeps_the_earlier_version(store, demo, signed_minutes, identities):
    first_info, first_bytes = signed_minutes
    item4 = demo.item_ids[3]
    reason = "The rationale for item 4 was minuted incompletely."
    with UnitOfWork(store, "Joanne Pike") as uow:
        started = start_amendment(uow, demo.meeting_id, reason=reason)
    assert started.version == 2 and not started.signed and started.reason == reason
    with store.read() as session:
        assert session.get(Meeting, demo.meeting_id).status == MeetingStatus.CLOSED

    with UnitOfWork(store, "Joanne Pike") as uow:
        meetings.reopen_meeting(uow, demo.meeting_id, reason=reason)
        decisions.reopen_item(uow, item4, reason=reason)
    with UnitOfWork(store, "Joanne Pike") as uow:
        decisions.record_decision(
            uow,
            item4,
            outcome=Outcome.ISSUE_PLAN,
            rationale="Assessment shows needs that require provision beyond what the school can "
            "make from its own resources; the EP and SALT advice agree.",
        )
    with UnitOfWork(store, "Joanne Pike") as uow:
        meetings.close_meeting(uow, demo.meeting_id)
        generate_minutes(uow, demo.meeting_id)
    with UnitOfWork(store, "Helen Whitaker") as uow:
        second_info = sign_minutes(uow, demo.meeting_id, identities[0])

    with store.read() as session:
        versions = minutes_versions(session, demo.meeting_id)
        kept_info, kept_bytes = minutes_document(session, demo.meeting_id, 1)
        _, second_bytes = minutes_document(session, demo.meeting_id, 2)
        assert session.get(Meeting, demo.meeting_id).status == MeetingStatus.SIGNED
    assert [(v.version, v.signed) for v in versions] == [(1, True), (2, True)]
    assert kept_bytes == first_bytes and kept_info.sha256 == first_info.sha256
    assert verify_docx(kept_bytes).valid and verify_docx(second_bytes).valid
    assert second_info.version == 2

    first_text, second_text = docx_text(first_bytes), docx_text(second_bytes)
    assert "the EP and SALT advice agree" in second_text
    assert "the EP and SALT advice agree" not in first_text
    assert "Version 2: an amendment. It replaces version 1, signed by Helen Whitaker on" in (
        second_text
    )
    assert f"Reason for the amendment: {reason}" in second_text
    assert "amendment" not in first_text


def test_an_amendment_needs_signed_minutes_and_a_reason(store, demo, identities):
    with pytest.raises(PanelappError, match="Only signed minutes"), UnitOfWork(store, "J") as uow:
        start_amendment(uow, demo.meeting_id, reason="x")
    with UnitOfWork(store, "J") as uow:
        generate_minutes(uow, demo.meeting_id)
    with UnitOfWork(store, "H") as uow:
        sign_minutes(uow, demo.meeting_id, identities[0])
    with pytest.raises(PanelappError, match="Say why"), UnitOfWork(store, "J") as uow:
        start_amendment(uow, demo.meeting_id, reason="  ")


# -- identities -------------------------------------------------------------------------------


def test_a_created_identity_keeps_its_key_encrypted_in_the_store(store, demo, identities):
    chair, _ = identities
    with store.read() as session:
        row = session.scalar(
            select(SigningIdentityRow).where(SigningIdentityRow.member_id == chair)
        )
        # Wrapped with the member's own signing passphrase (Argon2id), not a PEM key.
        assert row.key_protection == "passphrase"
        assert b'"kdf": "argon2id"' in row.private_key_pem
        assert b"PRIVATE KEY" not in row.private_key_pem
        assert row.origin == "created" and row.common_name == "Helen Whitaker"
        with pytest.raises(ValueError):
            serialization.load_pem_private_key(row.private_key_pem, password=None)
        listed = identities_for_panel(session, demo.panel_id)
    assert [i.member_name for i in listed] == ["Helen Whitaker", "David Okafor"]
    assert all(i.self_signed for i in listed)


@pytest.mark.real_crypto  # one signing identity made with a newly generated key, uncached
def test_a_new_identity_retires_the_old_one(store, demo, identities):
    chair, _ = identities
    with UnitOfWork(store, "IT") as uow:
        new = create_signing_identity(uow, chair)
    with store.read() as session:
        rows = list(
            session.scalars(select(SigningIdentityRow).where(SigningIdentityRow.member_id == chair))
        )
    assert len(rows) == 2 and rows[0].retired_at is not None and rows[1].retired_at is None
    with UnitOfWork(store, "IT") as uow:
        assert load_identity(uow, chair).fingerprint == new.fingerprint


def test_the_councils_p12_is_imported_for_a_member(store, demo, monkeypatch):
    council = create_identity("H. Whitaker", "Chair", "Northfield Borough Council")
    p12 = pkcs12.serialize_key_and_certificates(
        b"chair",
        council.private_key,
        council.certificate,
        None,
        serialization.BestAvailableEncryption(b"s3cret-pass"),
    )
    chair = demo.member_ids["Helen Whitaker"]
    with pytest.raises(PanelappError, match="password is wrong"), UnitOfWork(store, "IT") as uow:
        import_signing_identity(uow, chair, p12, "wrong")
    with UnitOfWork(store, "IT") as uow:
        info = import_signing_identity(uow, chair, p12, "s3cret-pass")
    assert info.origin == "imported" and info.common_name == "H. Whitaker"
    assert info.fingerprint == council.fingerprint
    # The file stays encrypted with its own password, which the chair gives to sign.
    with UnitOfWork(store, "IT") as uow:
        loaded = load_identity(uow, chair, "s3cret-pass")
    assert loaded.certificate.fingerprint(hashes.SHA256()) == council.certificate.fingerprint(
        hashes.SHA256()
    )
    with UnitOfWork(store, "J") as uow:
        generate_minutes(uow, demo.meeting_id)
    with UnitOfWork(store, "H") as uow:
        sign_minutes(uow, demo.meeting_id, chair, passphrase="s3cret-pass")
    with store.read() as session:
        _, data = minutes_document(session, demo.meeting_id)
    assert verify_docx(data).signer == "H. Whitaker"


# -- audit ------------------------------------------------------------------------------------


def test_the_audit_trail_records_each_step_without_child_names_or_keys(
    store, demo, signed_minutes, tmp_path
):
    from panelapp.services.minutes import export_minutes

    export_minutes(store, "Joanne Pike", demo.meeting_id, tmp_path / "m.docx")
    with UnitOfWork(store, "Joanne Pike") as uow:
        start_amendment(uow, demo.meeting_id, reason="Oliver Grant's date of review corrected")
    with store.read() as session:
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    actions = [e.action for e in events]
    for action in (
        "signing_identity.created",
        "minutes.generated",
        "minutes.signed",
        "minutes.exported",
        "minutes.amendment_started",
    ):
        assert action in actions
    mine = [
        e
        for e in events
        if e.action.startswith(("minutes.", "signing_identity.", "decision_records."))
    ]
    for event in mine:
        assert names_found(event.detail) == [], event.action
        assert "PRIVATE KEY" not in event.detail
        assert "Grant" not in event.detail
    signed = next(e for e in events if e.action == "minutes.signed")
    assert '"version":1' in signed.detail and '"fingerprint":' in signed.detail
    assert (tmp_path / "m.docx").stat().st_mode & 0o077 == 0


def test_minutes_of_a_meeting_not_yet_held_are_refused(store, demo):
    with pytest.raises(PanelappError, match="has not started"), UnitOfWork(store, "J") as uow:
        generate_minutes(uow, demo.next_meeting_id)


def test_a_declaration_without_times_still_reads_as_a_withdrawal(store, demo):
    from panelapp.services import declarations

    with UnitOfWork(store, "J") as uow:
        meetings.reopen_meeting(uow, demo.meeting_id, reason="late declaration")
        decisions.reopen_item(uow, demo.item_ids[11], reason="late declaration")
        declarations.declare_interest(
            uow,
            demo.meeting_id,
            demo.member_ids["Rebecca Lowe"],
            item_id=None,
            nature="Knows several families on today's list",
            left_at=time(9, 40),
        )
        decisions.defer_item(
            uow,
            demo.item_ids[11],
            reason="Panel not able to decide today.",
            information_required="Updated report",
            provider="Case officer",
            return_date=date(2026, 3, 20),
        )
        meetings.close_meeting(uow, demo.meeting_id)
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    with store.read() as session:
        _, data = minutes_document(session, demo.meeting_id)
    text = docx_text(data)
    # Made after items 1 to 11 were taken, the declaration reaches only item 12.
    assert (
        "Rebecca Lowe declared an interest in every item still to be taken (items 1 to 11 had "
        "already been taken): Knows several families on today's list. Rebecca Lowe took no part "
        "in the discussion or decision of those items."
    ) in text


def test_signing_time_must_fall_within_the_certificate(store, demo, identities):
    with UnitOfWork(store, "J") as uow:
        generate_minutes(uow, demo.meeting_id)
    with pytest.raises(PanelappError), UnitOfWork(store, "H") as uow:
        sign_minutes(
            uow, demo.meeting_id, identities[0], signed_at=datetime.now(UTC) + timedelta(days=5000)
        )
