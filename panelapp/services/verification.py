"""Checking a signed Word file, for the ``verify`` command and the desktop app alike.

Two questions, answered separately and then together:

* *intact*: does the signature hold, and is every signed part exactly as signed
  (``documents.package_signature``)?
* *trusted*: is the certificate one the panel registered for that member (in the store, or in a
  trust file the council published), or issued by a certificate authority the reader trusts?
  A certificate anyone could make ("CN=Helen Whitaker", self-signed) is neither.

Works without a store: a chief officer can check a file that came by email against the
council's trust file. ``verify_file`` never raises for a bad file; ``report_lines`` turns the
result into the sentences both front ends show, so they never explain it differently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from panelapp.documents.certificate_trust import TrustEntry, chain_to_authority, subject_text
from panelapp.documents.package_signature import SignatureReport, verify_docx
from panelapp.documents.signature_block import format_moment
from panelapp.domain.uk_time import uk_time

logger = logging.getLogger(__name__)

__all__ = [
    "EXIT_UNTRUSTED",
    "NOT_COVERED",
    "SignatureReport",
    "TrustSources",
    "TrustVerdict",
    "assess_trust",
    "exit_status",
    "registered_in_store",
    "report_lines",
    "verify_bytes",
    "verify_file",
]

_MAX_FILE = 512 * 1024 * 1024

#: ``panelapp verify``: intact, but nothing shows the certificate is the signer's
EXIT_UNTRUSTED = 3

NOT_COVERED = (
    "Not covered by the signature: the document properties (title, author, subject and dates "
    "in File > Properties: docProps/core.xml and docProps/app.xml) and the list of content "
    "types. They can be changed without breaking the signature, so do not rely on them. "
    "Everything else (the text, tables, signature block, styles, settings and pictures) is "
    "covered."
)


@dataclass(frozen=True)
class TrustSources:
    """What the reader trusts: certificates registered for members, and CA certificates."""

    registered: tuple[TrustEntry, ...] = ()
    authorities: tuple[x509.Certificate, ...] = ()
    #: plain descriptions of where those came from ("the store panel.store", a file name)
    consulted: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrustVerdict:
    trusted: bool
    #: one sentence: why the signer is trusted, or why not
    basis: str
    subject: str
    self_signed: bool


def verify_bytes(data: bytes) -> SignatureReport:
    return verify_docx(data)


def verify_file(path: Path | str) -> SignatureReport:
    """Recompute every part digest and check the package signature of a .docx file."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > _MAX_FILE:
            return _unreadable("The file is too large to be a set of minutes.")
        data = path.read_bytes()
    except FileNotFoundError:
        return _unreadable("The file was not found. Check its name and folder.")
    except IsADirectoryError:
        return _unreadable("That is a folder. Choose a .docx file.")
    except OSError as exc:
        return _unreadable(f"The file could not be read ({exc.strerror}).")
    report = verify_docx(data)
    # Counts only: the file name may carry a child's name.
    logger.info("verified a file: signed=%s valid=%s", report.signed, report.valid)
    return report


def _unreadable(problem: str) -> SignatureReport:
    return SignatureReport(False, False, None, None, None, (problem,))


def registered_in_store(session: Session) -> list[TrustEntry]:
    """Every certificate the store holds for a member (current and retired), as trust entries."""
    from panelapp.store.tables import Member, Panel, SigningIdentityRow

    rows = session.execute(
        select(SigningIdentityRow, Member.name, Panel.name)
        .join(Member, Member.id == SigningIdentityRow.member_id)
        .join(Panel, Panel.id == Member.panel_id)
        .order_by(SigningIdentityRow.id)
    )
    entries = []
    for row, member, panel in rows:
        certificate = x509.load_pem_x509_certificate(row.certificate_pem)
        entries.append(
            TrustEntry(
                member=member,
                panel=panel,
                fingerprint=row.fingerprint,
                certificate_pem=row.certificate_pem.decode("ascii"),
                valid_from=certificate.not_valid_before_utc.isoformat(timespec="seconds"),
                valid_until=certificate.not_valid_after_utc.isoformat(timespec="seconds"),
                retired_at=row.retired_at.isoformat(timespec="seconds") if row.retired_at else None,
            )
        )
    return entries


def assess_trust(report: SignatureReport, sources: TrustSources) -> TrustVerdict | None:
    """Whether the signer's certificate is trusted, and on what basis (None when unsigned)."""
    if report.certificate_der is None:
        return None
    certificate = x509.load_der_x509_certificate(report.certificate_der)
    subject = subject_text(certificate.subject)
    self_signed = certificate.issuer == certificate.subject
    at = report.signed_at or datetime.now(UTC)
    matches = [e for e in sources.registered if e.fingerprint == report.signer_fingerprint]
    for entry in matches:
        retired = _parse(entry.retired_at)
        if retired is not None and at > retired:
            continue
        where = f" of {entry.panel}" if entry.panel else ""
        note = (
            f" (since retired, on {entry.retired_at[:10]})" if retired and entry.retired_at else ""
        )
        return TrustVerdict(
            True,
            f"TRUSTED: the certificate is the one the panel registered for {entry.member}"
            f"{where}{note}, according to {_joined(sources.consulted)}.",
            subject,
            self_signed,
        )
    if sources.authorities:
        ok, detail = chain_to_authority(
            report.certificate_der, report.other_certificates_der, list(sources.authorities), at
        )
        if ok:
            return TrustVerdict(
                True,
                f"TRUSTED: the certificate was issued by the certificate authority {detail}, "
                "which you gave as trusted.",
                subject,
                self_signed,
            )
    if matches:
        retired_at = matches[0].retired_at
        # the loop above passes over a registered entry only when it was retired (parsed date)
        assert retired_at is not None
        why = (
            "NOT TRUSTED: the certificate was registered for "
            f"{matches[0].member} but retired on {retired_at[:10]}, before the "
            "document was signed."
        )
    else:
        kind = (
            "self-signed (anyone can make one in any name)"
            if self_signed
            else "issued by an authority you did not give as trusted"
        )
        checked = _joined(sources.consulted) if sources.consulted else "nothing (no store, no "
        if not sources.consulted:
            checked += "trust file and no certificate authority were given)"
        why = (
            f"NOT TRUSTED: the certificate is {kind}, and it is not registered for any member "
            f"in {checked}. The name in it proves nothing on its own."
        )
    return TrustVerdict(False, why, subject, self_signed)


def _parse(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _joined(items: tuple[str, ...]) -> str:
    if not items:
        return "nothing"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def exit_status(report: SignatureReport, verdict: TrustVerdict | None) -> int:
    """0 intact and trusted; 3 intact but the signer is not trusted; 1 changed or unsigned."""
    if not (report.signed and report.valid):
        return 1
    return 0 if verdict is not None and verdict.trusted else EXIT_UNTRUSTED


def report_lines(report: SignatureReport, verdict: TrustVerdict | None = None) -> list[str]:
    """The result in plain sentences, the verdict first."""
    if not report.signed:
        return ["NOT SIGNED: this file carries no valid document signature.", *report.problems]
    lines = []
    if not report.valid:
        lines.append(
            "NOT VALID: the document was changed after it was signed, or the signature is "
            "damaged. Do not rely on it; ask the sender for the signed original."
        )
    elif verdict is not None and verdict.trusted:
        lines.append(
            "VALID: the signature holds, every signed part of the document is exactly as "
            "signed, and the signer's certificate is trusted."
        )
    else:
        lines.append(
            "INTACT BUT NOT TRUSTED: the document is exactly as signed, but nothing shows that "
            "the certificate belongs to the person it names. Do not rely on who signed it."
        )
    lines.append(f"Signed by: {report.signer or 'unknown'}")
    if verdict is not None:
        lines.append(f"Certificate subject: {verdict.subject}")
    if report.signed_at is not None:
        lines.append(f"Signed at: {format_moment(uk_time(report.signed_at))}")
    if report.signer_fingerprint:
        lines.append(f"Certificate fingerprint (SHA-256): {report.signer_fingerprint}")
    if verdict is not None:
        lines.append(f"Trust: {verdict.basis}")
    lines.extend(f"Problem: {p}" for p in report.problems)
    if report.valid:
        lines.append(NOT_COVERED)
        if verdict is None or not verdict.trusted:
            lines.append(
                "To check who signed, give the council's trust file (--trust FILE, from "
                "'panelapp signing export-trust') or its certificate authority (--ca FILE), or "
                "check on the computer whose panelapp store registered the signer."
            )
    return lines
