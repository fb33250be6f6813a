"""Signers hold their own keys: whoever can open the store cannot sign as the chair.

Tried as that person would: with the store key (a raw keyed connection, the store's own key
derivation), without the chair's signing passphrase."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from sqlalchemy import select

from panelapp.cli import main
from panelapp.documents.package_signature import verify_docx
from panelapp.documents.signing_identity import create_identity, identity_from_pem, identity_to_pem
from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import NamingMode
from panelapp.services.minutes import generate_minutes, minutes_document, sign_minutes
from panelapp.services.signer_keys import SigningSecretNeeded
from panelapp.services.signing import import_signing_identity, load_identity
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AuditEvent, SigningIdentityRow

CHAIRS_OWN = "the signer's own passphrase"  # set by tests/conftest.py for automation


@pytest.fixture
def draft(store, demo, identities):
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    return identities[0]


def _row(store, member_id) -> SigningIdentityRow:
    with store.read() as session:
        return session.scalar(
            select(SigningIdentityRow).where(
                SigningIdentityRow.member_id == member_id, SigningIdentityRow.retired_at.is_(None)
            )
        )


def test_the_store_key_alone_cannot_sign_as_the_chair(store, demo, draft, monkeypatch):
    monkeypatch.delenv("PANELAPP_SIGNING_PASSPHRASE")
    chair = draft

    with pytest.raises(SigningSecretNeeded) as needed, UnitOfWork(store, "Officer") as uow:
        sign_minutes(uow, demo.meeting_id, chair)
    assert needed.value.kind == "passphrase" and needed.value.member_name == "Helen Whitaker"
    with pytest.raises(PanelappError, match="does not unlock"), UnitOfWork(store, "O") as uow:
        sign_minutes(uow, demo.meeting_id, chair, passphrase="a guess at it, wrong")

    # What panelapp used to protect the key with, derived from the store key, opens nothing.
    row = _row(store, chair)
    with pytest.raises(Exception):  # noqa: B017 - any failure: the key does not come out
        identity_from_pem(
            row.certificate_pem,
            row.private_key_pem,
            store.derive_key(f"signing-identity:{row.id}"),
        )
    with store.read() as session:
        assert session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc())).action != (
            "minutes.signed"
        )


def test_the_chair_signs_with_their_own_passphrase(store, demo, draft, monkeypatch):
    monkeypatch.delenv("PANELAPP_SIGNING_PASSPHRASE")
    with UnitOfWork(store, "Helen Whitaker") as uow:
        sign_minutes(uow, demo.meeting_id, draft, passphrase=CHAIRS_OWN)
    with store.read() as session:
        _, data = minutes_document(session, demo.meeting_id)
    assert verify_docx(data).valid


def _make_legacy(store, member_id) -> str:
    """Turn the member's key back into the way panelapp kept keys before the upgrade: wrapped
    with a key derived from the store key."""
    identity = create_identity("Helen Whitaker", "Chair", "Northfield Borough Council")
    with UnitOfWork(store, "upgrade") as uow:
        row = uow.session.scalar(
            select(SigningIdentityRow).where(
                SigningIdentityRow.member_id == member_id, SigningIdentityRow.retired_at.is_(None)
            )
        )
        cert_pem, key_pem = identity_to_pem(
            identity, passphrase=store.derive_key(f"signing-identity:{row.id}")
        )
        row.certificate_pem, row.private_key_pem = cert_pem, key_pem
        row.fingerprint, row.key_protection = identity.fingerprint, "store"
    return identity.fingerprint


def test_the_first_signing_after_the_upgrade_asks_the_chair_to_set_a_passphrase(
    store, demo, draft, monkeypatch
):
    monkeypatch.delenv("PANELAPP_SIGNING_PASSPHRASE")
    fingerprint = _make_legacy(store, draft)

    with pytest.raises(SigningSecretNeeded) as needed, UnitOfWork(store, "H") as uow:
        sign_minutes(uow, demo.meeting_id, draft)
    assert needed.value.kind == "new passphrase"
    assert "choose a signing passphrase" in str(needed.value)
    with pytest.raises(PanelappError, match="at least 10"), UnitOfWork(store, "H") as uow:
        sign_minutes(uow, demo.meeting_id, draft, passphrase="short")

    with UnitOfWork(store, "Helen Whitaker") as uow:
        sign_minutes(uow, demo.meeting_id, draft, passphrase="Helen's new signing passphrase")

    row = _row(store, draft)
    assert row.key_protection == "passphrase" and row.fingerprint == fingerprint
    with pytest.raises(Exception):  # noqa: B017 - the store key no longer unlocks it
        identity_from_pem(
            row.certificate_pem, row.private_key_pem, store.derive_key(f"signing-identity:{row.id}")
        )
    with UnitOfWork(store, "H") as uow:
        assert load_identity(uow, draft, "Helen's new signing passphrase").fingerprint == (
            fingerprint
        )
    with store.read() as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert "signing_identity.passphrase_set" in actions and actions[-1] == "minutes.signed"


def test_an_imported_p12_stays_encrypted_with_its_own_password(store, demo, draft, monkeypatch):
    monkeypatch.delenv("PANELAPP_SIGNING_PASSPHRASE")
    council = create_identity("H. Whitaker", "Chair", "Northfield Borough Council")
    p12 = pkcs12.serialize_key_and_certificates(
        b"chair",
        council.private_key,
        council.certificate,
        None,
        serialization.BestAvailableEncryption(b"council-issued pass"),
    )
    with UnitOfWork(store, "IT") as uow:
        import_signing_identity(uow, draft, p12, "council-issued pass")

    row = _row(store, draft)
    assert row.key_protection == "pkcs12" and row.private_key_pem == p12
    with pytest.raises(SigningSecretNeeded) as needed, UnitOfWork(store, "H") as uow:
        sign_minutes(uow, demo.meeting_id, draft)
    assert needed.value.kind == "certificate password"
    with UnitOfWork(store, "H") as uow:
        sign_minutes(uow, demo.meeting_id, draft, passphrase="council-issued pass")


def test_the_command_says_how_to_give_the_signing_passphrase_without_a_terminal(
    store, demo, draft, monkeypatch, capsys
):
    monkeypatch.delenv("PANELAPP_SIGNING_PASSPHRASE")
    store.close()

    code = main(["--store", str(store.path), "minutes", "sign", str(demo.meeting_id)])

    assert code == 2
    err = capsys.readouterr().err
    assert "Helen Whitaker's signing passphrase is needed" in err
    assert "PANELAPP_SIGNING_PASSPHRASE" in err
    monkeypatch.setenv("PANELAPP_SIGNING_PASSPHRASE", CHAIRS_OWN)
    assert main(["--store", str(store.path), "minutes", "sign", str(demo.meeting_id)]) == 0
