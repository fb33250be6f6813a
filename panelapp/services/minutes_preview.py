"""The text of a stored version of the minutes, so the chair reads inside panelapp exactly
the document that will be signed, without a copy being written anywhere."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from panelapp.documents.paper_sniffer import PaperKind
from panelapp.documents.text_extraction import extract_text
from panelapp.services.minutes import MinutesVersionInfo, minutes_document


@dataclass(frozen=True)
class MinutesText:
    info: MinutesVersionInfo
    text: str
    complete: bool


def minutes_text(session: Session, meeting_id: int, version: int | None = None) -> MinutesText:
    """The words of a stored version (the latest when ``version`` is None), paragraph by
    paragraph, read from the very bytes that are kept and signed."""
    info, document = minutes_document(session, meeting_id, version)
    extracted = extract_text(PaperKind.DOCX, document, budget=10.0)
    return MinutesText(info=info, text=extracted.text, complete=extracted.complete)
