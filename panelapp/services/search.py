"""Finding cases, papers, decisions and deferrals by the words in them.

The index lives in the encrypted store (``panelapp.store.fulltext``). Each hit names the case it
belongs to by the naming mode the reader chose; a hit on the case itself shows the case's
request and setting rather than a snippet, so searching does not print a child's full name
where the reader asked for initials or references.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from panelapp.domain.errors import PanelappError
from panelapp.domain.naming import child_label
from panelapp.domain.vocabulary import NamingMode, Outcome, RequestType
from panelapp.store import fulltext
from panelapp.store.tables import AgendaItem, Case, DecisionRow, DeferralRow, Paper

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchHit:
    kind: str  # case, paper, decision or deferral
    ref_id: int
    case_id: int | None
    child: str
    title: str
    snippet: str
    meeting_id: int | None = None
    meeting_date: date | None = None
    item_position: int | None = None


def search(
    session: Session, words: str, *, naming: NamingMode = NamingMode.INITIALS, limit: int = 50
) -> list[SearchHit]:
    """Everything containing all of ``words`` (``assess*`` matches the start of a word)."""
    match = fulltext.match_expression(words)
    if match is None:
        raise PanelappError("Give at least one word to search for.")
    hits = []
    for hit in fulltext.query(session, match, limit=limit):
        case = session.get(Case, hit.case_id) if hit.case_id is not None else None
        child = (
            child_label(case.first_name, case.last_name, case.reference, naming)
            if case
            else "(no case)"
        )
        item = _item_of(session, hit)
        title, snippet = hit.title, hit.snippet
        if hit.kind == "case" and case is not None:
            title = RequestType(case.request_type).label
            snippet = ", ".join(x for x in (case.setting, case.year_group) if x)
        elif hit.kind == "decision":
            try:
                title = Outcome(hit.title.replace(" ", "_")).label
            except ValueError:
                pass
        elif hit.kind == "deferral":
            title = "Deferred"
        hits.append(
            SearchHit(
                kind=hit.kind,
                ref_id=hit.ref_id,
                case_id=hit.case_id,
                child=child,
                title=title,
                snippet=snippet,
                meeting_id=item.meeting_id if item else None,
                meeting_date=item.meeting.meeting_date if item else None,
                item_position=item.position if item else None,
            )
        )
    logger.info("search: %d hit(s)", len(hits))
    return hits


def _item_of(session: Session, hit: fulltext.IndexHit) -> AgendaItem | None:
    row = {"paper": Paper, "decision": DecisionRow, "deferral": DeferralRow}.get(hit.kind)
    if row is None:
        return None
    found = session.get(row, hit.ref_id)
    item_id = getattr(found, "agenda_item_id", None)
    return session.get(AgendaItem, item_id) if item_id else None
