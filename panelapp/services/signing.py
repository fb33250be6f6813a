"""Members' signing identities: an X.509 certificate and private key each, kept in the store.

A chair signs minutes and decision records with their own identity, made here (a self-signed
certificate) or imported from the council's PKCS#12 (.p12/.pfx) file. The private key is held by
a secret only that member has (``signer_keys``): their own signing passphrase, or the imported
file's own password. The store key alone cannot sign. Keys kept before this (protected by a key
derived from the store key) are re-wrapped with the member's new signing passphrase at their
first signing after the upgrade. Making or importing a new identity retires the member's
previous one (kept, so older signatures can still be traced).

Nothing about keys or passwords is logged or audited; the audit trail records the certificate's
fingerprint, which is public.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.documents.signing_errors import SigningError
from panelapp.documents.signing_identity import (
    SigningIdentity,
    create_identity,
    identity_from_pem,
    identity_to_pem,
    load_pkcs12,
)
from panelapp.domain.errors import NextStep, PanelappError, Step
from panelapp.domain.vocabulary import Role
from panelapp.services.audit_anchor import store_id
from panelapp.services.clock import utc_now
from panelapp.services.signer_keys import (
    PASSPHRASE,
    PKCS12,
    SIGNING_PASSPHRASE_ENV,
    STORE,
    SigningSecretNeeded,
    check_new_passphrase,
    secret_from_env,
    unlock_pkcs12,
    unlock_with_passphrase,
    wrap_with_passphrase,
)
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import Member, Panel, SigningIdentityRow

logger = logging.getLogger(__name__)

CREATED, IMPORTED = "created", "imported"


@dataclass(frozen=True)
class IdentityInfo:
    """What people may see about a signing identity (never the key)."""

    identity_id: int
    member_id: int
    member_name: str
    common_name: str
    fingerprint: str
    origin: str
    valid_from: datetime
    valid_until: datetime
    self_signed: bool
    created_at: datetime


def _purpose(identity_id: int) -> str:
    return f"signing-identity:{identity_id}"


def is_self_signed(certificate: x509.Certificate) -> bool:
    return certificate.issuer == certificate.subject


def role_title(member: Member) -> str:
    """The member's main role as a certificate title ('Chair', 'Vice-chair', ...)."""
    roles = [Role(r) for r in member.roles]
    for preferred in (Role.CHAIR, Role.VICE_CHAIR):
        if preferred in roles:
            return preferred.label
    return roles[0].label if roles else ""


def _member(uow: UnitOfWork, member_id: int) -> Member:
    member = uow.get(Member, member_id, "member")
    if not member.active:
        raise PanelappError(
            f"{member.name} is no longer an active member of the panel, so cannot be given a "
            "signing certificate."
        )
    return member


def _new_passphrase(member: Member, passphrase: str | None) -> str:
    secret = passphrase or secret_from_env()
    if not secret:
        raise SigningSecretNeeded(
            member.id,
            member.name,
            "new passphrase",
            f"{member.name} must choose a signing passphrase that only they know: it protects "
            f"their signing key, and is asked for each time they sign (for automation, set "
            f"{SIGNING_PASSPHRASE_ENV}).",
        )
    check_new_passphrase(secret, member.name)
    return secret


def _store_identity(
    uow: UnitOfWork,
    member: Member,
    identity: SigningIdentity,
    origin: str,
    *,
    passphrase: str | None = None,
    p12: bytes | None = None,
) -> IdentityInfo:
    if p12 is None:
        passphrase = _new_passphrase(member, passphrase)
    now = utc_now(whole_seconds=True)
    for old in uow.session.scalars(
        select(SigningIdentityRow).where(
            SigningIdentityRow.member_id == member.id, SigningIdentityRow.retired_at.is_(None)
        )
    ):
        old.retired_at = now
    cert_pem, _ = identity_to_pem(identity, passphrase=None)
    row = SigningIdentityRow(
        member_id=member.id,
        common_name=identity.common_name[:200],
        fingerprint=identity.fingerprint,
        certificate_pem=cert_pem,
        private_key_pem=b"",
        origin=origin,
        created_at=now,
        key_protection=PKCS12 if p12 is not None else PASSPHRASE,
    )
    if p12 is not None:
        row.private_key_pem = p12  # as imported: encrypted with the file's own password
    else:
        # without a PKCS#12 file, _new_passphrase above gave a passphrase or raised
        assert passphrase is not None
        row.private_key_pem = wrap_with_passphrase(
            identity, passphrase, store_id(uow.session), member.name
        )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(
        f"signing_identity.{origin}",
        "member",
        member.id,
        identity_id=row.id,
        fingerprint=row.fingerprint,
        valid_until=identity.certificate.not_valid_after_utc.date(),
        self_signed=is_self_signed(identity.certificate),
        key_protection=row.key_protection,
    )
    logger.info("signing identity %d %s for member %d", row.id, origin, member.id)
    return _info(row, member.name)


def create_signing_identity(
    uow: UnitOfWork, member_id: int, *, valid_days: int = 3 * 365, passphrase: str | None = None
) -> IdentityInfo:
    """Make a self-signed signing certificate and key for a member (CN = their name), the key
    wrapped with the member's own signing passphrase (``passphrase``, else
    ``PANELAPP_SIGNING_PASSPHRASE``; :class:`SigningSecretNeeded` when neither is given)."""
    member = _member(uow, member_id)
    _new_passphrase(member, passphrase)
    panel = uow.get(Panel, member.panel_id, "panel")
    try:
        identity = create_identity(
            member.name, role_title(member), panel.council, valid_days=valid_days
        )
    except SigningError as exc:
        raise PanelappError(exc.message) from None
    return _store_identity(uow, member, identity, CREATED, passphrase=passphrase)


def import_signing_identity(
    uow: UnitOfWork,
    member_id: int,
    p12: bytes,
    password: str | None,
    *,
    passphrase: str | None = None,
) -> IdentityInfo:
    """Keep the council's certificate and key from a .p12/.pfx file for a member.

    A file with a password is kept as it is, still encrypted with that password, which is asked
    for at each signing. A file without one gets the member's signing passphrase instead.
    """
    member = _member(uow, member_id)
    try:
        identity = load_pkcs12(p12, password)
    except SigningError as exc:
        raise PanelappError(exc.message) from None
    now = datetime.now(UTC)
    certificate = identity.certificate
    if certificate.not_valid_after_utc < now:
        raise PanelappError(
            "This certificate has expired, so it cannot sign. Ask the council's IT team for a "
            "current .p12/.pfx file."
        )
    if certificate.not_valid_before_utc > now:
        raise PanelappError(
            "This certificate is not valid yet. Check the computer's date, or import it once "
            "it becomes valid."
        )
    if password:
        return _store_identity(uow, member, identity, IMPORTED, p12=p12)
    return _store_identity(uow, member, identity, IMPORTED, passphrase=passphrase)


def current_identity_row(session: Session, member_id: int) -> SigningIdentityRow | None:
    return session.scalar(
        select(SigningIdentityRow)
        .where(SigningIdentityRow.member_id == member_id, SigningIdentityRow.retired_at.is_(None))
        .order_by(SigningIdentityRow.id.desc())
    )


def current_identity(session: Session, member_id: int) -> IdentityInfo | None:
    """The member's current signing identity, without its key (None when they have none)."""
    row = current_identity_row(session, member_id)
    if row is None:
        return None
    member = session.get(Member, member_id)
    return _info(row, member.name if member else "")


def no_identity_message(name: str, member_id: int) -> str:
    return f"{name} has no signing certificate yet."


def no_identity_step(member_id: int) -> NextStep:
    return NextStep(Step.CREATE_SIGNING_IDENTITY, member_id=member_id)


def load_identity(uow_or_reader, member_id: int, passphrase: str | None = None) -> SigningIdentity:
    """The member's current identity with its key unlocked by the member's own secret, for
    signing now.

    ``uow_or_reader`` is a UnitOfWork, or anything with ``session`` and ``store``.
    ``passphrase`` is the member's signing passphrase (or their certificate file's password),
    else ``PANELAPP_SIGNING_PASSPHRASE``; without it, :class:`SigningSecretNeeded` says which
    secret to ask for. A key kept before members held their own keys is re-wrapped with the
    passphrase given (their new signing passphrase) and can no longer be unlocked without it.
    """
    session, store = uow_or_reader.session, uow_or_reader.store
    member = session.get(Member, member_id)
    if member is None:
        raise PanelappError(f"There is no member with id {member_id}. Check the number.")
    row = current_identity_row(session, member_id)
    if row is None:
        raise PanelappError(
            no_identity_message(member.name, member_id),
            next_steps=(no_identity_step(member_id),),
        )
    secret = passphrase or secret_from_env()
    try:
        if row.key_protection == PASSPHRASE:
            if not secret:
                raise SigningSecretNeeded(
                    member_id,
                    member.name,
                    "passphrase",
                    f"{member.name}'s signing passphrase is needed to sign (for automation, set "
                    f"{SIGNING_PASSPHRASE_ENV}).",
                )
            return unlock_with_passphrase(
                row.certificate_pem, row.private_key_pem, secret, store_id(session), row.fingerprint
            )
        if row.key_protection == PKCS12:
            if not secret:
                raise SigningSecretNeeded(
                    member_id,
                    member.name,
                    "certificate password",
                    f"The password of {member.name}'s certificate file is needed to sign (for "
                    f"automation, set {SIGNING_PASSPHRASE_ENV}).",
                )
            return unlock_pkcs12(row.private_key_pem, secret)
        if row.key_protection != STORE:
            raise PanelappError(
                f"{member.name}'s signing key is kept in a way this panelapp does not know. "
                "Create or import the signing certificate again."
            )
        if not secret:
            raise SigningSecretNeeded(
                member_id,
                member.name,
                "new passphrase",
                f"{member.name} signs for the first time since panelapp was upgraded: they "
                "must choose a signing passphrase that only they know, which will protect "
                "their signing key from now on (for automation, set "
                f"{SIGNING_PASSPHRASE_ENV}).",
            )
        check_new_passphrase(secret, member.name)
        identity = identity_from_pem(
            row.certificate_pem, row.private_key_pem, store.derive_key(_purpose(row.id))
        )
    except SigningError as exc:
        raise PanelappError(exc.message) from None
    _rewrap(uow_or_reader, row.id, identity, secret, member.name)
    return identity


def _rewrap(uow_or_reader, row_id: int, identity: SigningIdentity, secret: str, name: str) -> None:
    """Protect an upgraded key with the member's new signing passphrase, in the caller's unit
    of work, or in one of its own when the caller only reads."""

    def apply(uow: UnitOfWork) -> None:
        row = uow.get(SigningIdentityRow, row_id, "signing identity")
        row.private_key_pem = wrap_with_passphrase(identity, secret, store_id(uow.session), name)
        row.key_protection = PASSPHRASE
        uow.session.flush()
        uow.audit(
            "signing_identity.passphrase_set",
            "member",
            row.member_id,
            identity_id=row.id,
            fingerprint=row.fingerprint,
        )

    if isinstance(uow_or_reader, UnitOfWork):
        apply(uow_or_reader)
    else:
        with UnitOfWork(uow_or_reader.store, name) as uow:
            apply(uow)


def identities_for_panel(session: Session, panel_id: int) -> list[IdentityInfo]:
    """The current identity of each active member of a panel who has one."""
    panel = session.get(Panel, panel_id)
    if panel is None:
        raise PanelappError(f"There is no panel with id {panel_id}.")
    found = []
    for member in panel.members:
        if not member.active:
            continue
        row = current_identity_row(session, member.id)
        if row is not None:
            found.append(_info(row, member.name))
    return found


def _info(row: SigningIdentityRow, member_name: str) -> IdentityInfo:
    certificate = x509.load_pem_x509_certificate(row.certificate_pem)
    return IdentityInfo(
        identity_id=row.id,
        member_id=row.member_id,
        member_name=member_name,
        common_name=row.common_name,
        fingerprint=row.fingerprint,
        origin=row.origin,
        valid_from=certificate.not_valid_before_utc,
        valid_until=certificate.not_valid_after_utc,
        self_signed=is_self_signed(certificate),
        created_at=row.created_at,
    )


def find_member(session: Session, wanted: str | int, *, panel_id: int | None = None) -> Member:
    """A member by number or by full name (case-insensitive), on one panel when given."""
    text = str(wanted).strip()
    query = select(Member).where(Member.active.is_(True)).order_by(Member.id)
    if panel_id is not None:
        query = query.where(Member.panel_id == panel_id)
    members = list(session.scalars(query))
    matches = [m for m in members if str(m.id) == text] or [
        m for m in members if m.name.lower() == text.lower()
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = "; ".join(f"{m.id} {m.name}" for m in members[:30])
        raise PanelappError(
            f"'{text}' is not an active member{' of this panel' if panel_id else ''}. Give a "
            f"member's number or full name: {known}."
        )
    numbers = ", ".join(str(m.id) for m in matches)
    raise PanelappError(f"More than one member is called '{text}'. Give the number: {numbers}.")


def export_trust_file(store, actor: str, target, *, overwrite: bool = False) -> int:
    """Write the trust file (every certificate registered for a member, current and retired),
    whole or not at all, with its audit event. Returns how many certificates it lists."""
    from pathlib import Path

    from panelapp.documents.certificate_trust import write_trust_file
    from panelapp.services import export_files
    from panelapp.services.verification import registered_in_store

    with store.read() as session:
        entries = registered_in_store(session)
        councils = sorted({p.council for p in session.scalars(select(Panel)) if p.council})
    if not entries:
        raise PanelappError(
            "No member has a signing certificate yet, so there is nothing to trust.",
            next_steps=(NextStep(Step.CREATE_SIGNING_IDENTITY),),
        )
    data = write_trust_file(", ".join(councils), utc_now(whole_seconds=True), entries)

    def record(uow: UnitOfWork, sha256: str) -> None:
        uow.audit(
            "signing.trust_exported",
            "store",
            None,
            certificates=len(entries),
            fingerprints=[e.fingerprint for e in entries],
            sha256=sha256,
        )

    export_files.publish_file(
        store, actor, Path(target), lambda fh: fh.write(data), record, overwrite=overwrite
    )
    return len(entries)


def members_with_own_secret(session: Session) -> list[tuple[int, str]]:
    """(id, name) of the members whose current signing key only their own secret unlocks
    (a signing passphrase or their certificate file's password), by name."""
    rows = session.execute(
        select(Member.id, Member.name)
        .join(SigningIdentityRow, SigningIdentityRow.member_id == Member.id)
        .where(
            SigningIdentityRow.retired_at.is_(None),
            SigningIdentityRow.key_protection.in_((PASSPHRASE, PKCS12)),
        )
        .distinct()
        .order_by(Member.name)
    )
    return [(member_id, name) for member_id, name in rows]


def prove_member(session: Session, member_id: int, secret: str) -> None:
    """Refuse (PanelappError) unless ``secret`` unlocks the member's own signing key: how a
    person proves who they are to a store whose key the laptop's keyring gives to anyone at it.
    The environment's passphrase is never used here."""
    row = current_identity_row(session, member_id)
    if row is None or row.key_protection not in (PASSPHRASE, PKCS12):
        raise PanelappError("That member has no signing passphrase to unlock with.")
    if not secret:
        raise PanelappError("Type your signing passphrase.")
    if row.key_protection == PASSPHRASE:
        unlock_with_passphrase(
            row.certificate_pem, row.private_key_pem, secret, store_id(session), row.fingerprint
        )
    else:
        unlock_pkcs12(row.private_key_pem, secret)
