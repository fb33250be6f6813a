"""Members' signing identities: an X.509 certificate and private key each, kept in the store.

A chair signs minutes and decision records with their own identity, made here (a self-signed
certificate) or imported from the council's PKCS#12 (.p12/.pfx) file. The private key is kept as
encrypted PKCS#8 PEM whose passphrase is a key derived from the store key for that one row
(``Store.derive_key("signing-identity:<id>")``): it is exactly as protected as the store, and a
copy of the row alone, outside the store, does not give the key away. Making or importing a new
identity retires the member's previous one (kept, so older signatures can still be traced).

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
from panelapp.domain.errors import PanelappError
from panelapp.domain.vocabulary import Role
from panelapp.services.clock import utc_now
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


def _store_identity(
    uow: UnitOfWork, member: Member, identity: SigningIdentity, origin: str
) -> IdentityInfo:
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
        private_key_pem=b"",  # set below, once the row's id (part of the key's purpose) exists
        origin=origin,
        created_at=now,
    )
    uow.session.add(row)
    uow.session.flush()
    _, key_pem = identity_to_pem(identity, passphrase=uow.store.derive_key(_purpose(row.id)))
    row.private_key_pem = key_pem
    uow.session.flush()
    uow.audit(
        f"signing_identity.{origin}",
        "member",
        member.id,
        identity_id=row.id,
        fingerprint=row.fingerprint,
        valid_until=identity.certificate.not_valid_after_utc.date(),
        self_signed=is_self_signed(identity.certificate),
    )
    logger.info("signing identity %d %s for member %d", row.id, origin, member.id)
    return _info(row, member.name)


def create_signing_identity(
    uow: UnitOfWork, member_id: int, *, valid_days: int = 3 * 365
) -> IdentityInfo:
    """Make a self-signed signing certificate and key for a member (CN = their name)."""
    member = _member(uow, member_id)
    panel = uow.get(Panel, member.panel_id, "panel")
    try:
        identity = create_identity(
            member.name, role_title(member), panel.council, valid_days=valid_days
        )
    except SigningError as exc:
        raise PanelappError(exc.message) from None
    return _store_identity(uow, member, identity, CREATED)


def import_signing_identity(
    uow: UnitOfWork, member_id: int, p12: bytes, password: str | None
) -> IdentityInfo:
    """Keep the council's certificate and key from a .p12/.pfx file for a member."""
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
    return _store_identity(uow, member, identity, IMPORTED)


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
    return (
        f"{name} has no signing certificate yet. Create one with 'panelapp signing create "
        f"{member_id}', or import the council's with 'panelapp signing import {member_id} "
        "FILE.p12'."
    )


def load_identity(uow_or_reader, member_id: int) -> SigningIdentity:
    """The member's current identity with its key unlocked, for signing now.

    ``uow_or_reader`` is a UnitOfWork, or anything with ``session`` and ``store``.
    """
    session, store = uow_or_reader.session, uow_or_reader.store
    member = session.get(Member, member_id)
    if member is None:
        raise PanelappError(f"There is no member with id {member_id}. Check the number.")
    row = current_identity_row(session, member_id)
    if row is None:
        raise PanelappError(no_identity_message(member.name, member_id))
    try:
        return identity_from_pem(
            row.certificate_pem, row.private_key_pem, store.derive_key(_purpose(row.id))
        )
    except SigningError as exc:
        raise PanelappError(exc.message) from None


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
            "No member has a signing certificate yet, so there is nothing to trust. Create one "
            "with 'panelapp signing create MEMBER' first."
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
