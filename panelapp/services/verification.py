"""Checking a signed Word file, for the ``verify`` command and the desktop app alike.

Works without a store: a chief officer (or anyone) can check a file that came by email.
``verify_file`` never raises for a bad file; ``report_lines`` turns the report into the
sentences both front ends show, so they never explain the result differently.
"""

from __future__ import annotations

import logging
from pathlib import Path

from panelapp.documents.package_signature import SignatureReport, verify_docx
from panelapp.documents.signature_block import format_moment
from panelapp.domain.uk_time import uk_time

logger = logging.getLogger(__name__)

__all__ = ["SignatureReport", "report_lines", "verify_bytes", "verify_file"]

_MAX_FILE = 512 * 1024 * 1024


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


def report_lines(report: SignatureReport) -> list[str]:
    """The result in plain sentences, the verdict first."""
    if not report.signed:
        return ["NOT SIGNED: this file carries no valid document signature.", *report.problems]
    lines = []
    if report.valid:
        lines.append(
            "VALID: the signature holds and every part of the document is exactly as signed."
        )
    else:
        lines.append(
            "NOT VALID: the document was changed after it was signed, or the signature is "
            "damaged. Do not rely on it; ask the sender for the signed original."
        )
    lines.append(f"Signed by: {report.signer or 'unknown'}")
    if report.signed_at is not None:
        lines.append(f"Signed at: {format_moment(uk_time(report.signed_at))}")
    if report.signer_fingerprint:
        lines.append(f"Certificate fingerprint (SHA-256): {report.signer_fingerprint}")
    lines.extend(f"Problem: {p}" for p in report.problems)
    if report.valid:
        lines.append(
            "Who the signer is rests on the certificate: compare its fingerprint with the one "
            "the chair published, or see whether Word or LibreOffice trusts it."
        )
    return lines
