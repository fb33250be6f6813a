"""The visible signature block at the end of minutes and decision records.

The cryptographic signature is invisible inside the package; the block is what a reader sees
first. It names the signer, their role, the date and time and the certificate's fingerprint,
and says how to check that the signature still holds. The service makes the block with the
same moment and certificate it then signs with, so the block and the signature agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from docx.shared import Pt

from panelapp.documents.docx_template import Cell, TemplateDocument
from panelapp.domain.formatting import format_date


@dataclass(frozen=True)
class SignatureLine:
    """Who signs, as what, when (aware, in the council's local time) and with which certificate."""

    signer: str
    role: str
    signed_at: datetime
    fingerprint: str
    self_signed: bool = True
    #: why this member signs (which rule applied), for the reader
    basis: str = ""


def format_moment(moment: datetime) -> str:
    """'12 March 2026 at 14:05 GMT'."""
    zone = moment.tzname() or ""
    return f"{format_date(moment.date())} at {moment:%H:%M}" + (f" {zone}" if zone else "")


def signature_block(
    doc: TemplateDocument,
    signature: SignatureLine | None,
    *,
    expected_signer: str,
    expected_role: str,
    what: str,
    expected_basis: str = "",
) -> None:
    """Write the block: signed, or a draft awaiting ``expected_signer``.

    ``what`` is "these minutes" or "this record", and the sentences agree with it.
    """
    subject = what[:1].upper() + what[1:]
    plural = what.split()[0].lower() == "these"
    have, carry = ("have", "carry") if plural else ("has", "carries")
    if signature is None:
        doc.runs(
            [("DRAFT: ", True), (f"{subject} {have} not been signed.", False)],
            "Signature Block",
        )
        doc.facts(
            [
                (
                    "To be signed by",
                    f"{expected_signer} ({expected_role})" if expected_signer else expected_role,
                ),
            ]
            + ([("Why this member signs", expected_basis)] if expected_basis else [])
            + [
                ("Signature", ""),
                ("Date", ""),
            ]
        )
        return
    signed: list[tuple[str, str | Sequence[str] | Cell]] = [
        ("Signed by", Cell((signature.signer,), bold_first=True)),
        ("Role", signature.role),
    ]
    if signature.basis:
        signed.append(("Why this member signs", signature.basis))
    signed += [
        ("Date and time", format_moment(signature.signed_at)),
        ("Certificate fingerprint (SHA-256)", _breakable(signature.fingerprint)),
    ]
    doc.facts(signed, spacer=False)
    note = (
        f"{subject} {carry} a digital signature inside this file (an Office document "
        "signature): Word shows it under File > Info > View Signatures, LibreOffice under "
        "File > Digital Signatures, and 'panelapp verify' checks it. Any change to the text "
        "after signing makes it invalid."
    )
    if signature.self_signed:
        note += (
            " The certificate was made in panelapp, not issued by the council, so Word and "
            "LibreOffice call it untrusted: compare its fingerprint with the one the signer "
            "published."
        )
    paragraph = doc.paragraph(note, "Small Print")
    paragraph.paragraph_format.space_before = Pt(3)  # clear of the table above


def _breakable(fingerprint: str) -> list[str]:
    """The 95-character fingerprint on two lines, split at a colon, so it never overflows."""
    pairs = fingerprint.split(":")
    if len(pairs) < 2:
        return [fingerprint]
    half = len(pairs) // 2
    return [":".join(pairs[:half]) + ":", ":".join(pairs[half:])]
