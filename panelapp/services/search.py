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

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from panelapp.domain.errors import PanelappError
from panelapp.domain.name_masking import mask_child_name
from panelapp.domain.naming import child_label
from panelapp.domain.vocabulary import NamingMode, Outcome
from panelapp.store import fulltext
from panelapp.store.tables import AgendaItem, Case, DecisionRow, DeferralRow, Paper

logger = logging.getLogger(__name__)

#: The best matches shown: ranking is cheap, snippets are not, and a chair looking for a case
#: narrows the words rather than reading a long list.
DEFAULT_LIMIT = 25


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
    session: Session,
    words: str,
    *,
    naming: NamingMode = NamingMode.INITIALS,
    limit: int = DEFAULT_LIMIT,
) -> list[SearchHit]:
    """Everything containing all of ``words`` (``assess*`` matches the start of a word)."""
    match = fulltext.match_expression(words)
    if match is None:
        raise PanelappError("Give at least one word to search for.")
    found = fulltext.query(session, match, limit=limit)
    cases = _by_id(session, Case, {hit.case_id for hit in found if hit.case_id is not None})
    items = _items_of(session, found)
    hits = []
    for hit in found:
        case = cases.get(hit.case_id) if hit.case_id is not None else None
        child = (
            child_label(case.first_name, case.last_name, case.reference, naming)
            if case
            else "(no case)"
        )
        item = items.get((hit.kind, hit.ref_id))
        title, snippet = hit.title, hit.snippet
        if hit.kind == "case" and case is not None:
            title = case.request_type.label
            snippet = ", ".join(x for x in (case.setting, case.year_group) if x)
        elif hit.kind == "decision":
            try:
                title = Outcome(hit.title.replace(" ", "_")).label
            except ValueError:
                pass
        elif hit.kind == "deferral":
            title = "Deferred"
        if case is not None:  # typed titles and text can name the child (R18)
            title, snippet = (
                mask_child_name(text, case.first_name, case.last_name, case.reference, naming)
                for text in (title, snippet)
            )
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


_ITEM_OWNERS = {"paper": Paper, "decision": DecisionRow, "deferral": DeferralRow}


def _by_id(session: Session, table, ids: set[int]) -> dict:
    """Rows by id, in one query (one query per hit made a search of 50 hits slow)."""
    if not ids:
        return {}
    return {row.id: row for row in session.scalars(select(table).where(table.id.in_(ids)))}


def _items_of(session: Session, hits: list[fulltext.IndexHit]) -> dict[tuple[str, int], AgendaItem]:
    """The agenda item (with its meeting) of each paper, decision and deferral hit, by
    (kind, id); hits on cases, or on rows without an item, have none."""
    item_of: dict[tuple[str, int], int] = {}
    for kind, table in _ITEM_OWNERS.items():
        ids = {hit.ref_id for hit in hits if hit.kind == kind}
        for row in _by_id(session, table, ids).values():
            if row.agenda_item_id:
                item_of[(kind, row.id)] = row.agenda_item_id
    if not item_of:
        return {}
    items = {
        item.id: item
        for item in session.scalars(
            select(AgendaItem)
            .where(AgendaItem.id.in_(set(item_of.values())))
            .options(joinedload(AgendaItem.meeting))
        )
    }
    return {key: items[item_id] for key, item_id in item_of.items() if item_id in items}
