"""The full-text index: one FTS5 table inside the encrypted store (on the team store,
PostgreSQL's own text search: ``fulltext_postgres``).

Cases, decisions and deferrals are indexed by triggers (migration 0002), so every service that
writes them keeps the index right without knowing it exists. Paper text needs Python to extract
it, so the papers service calls ``index_paper`` in the transaction that stores the paper; a
trigger removes a deleted paper's entry. FTS5's shadow tables live in the same encrypted file:
nothing decrypted is written anywhere else.

Each entry's rowid is ``id * 8 + kind code``, so an entry is found and replaced by rowid.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

INDEX_TABLE = "search_index"
KIND_CODES = {"case": 1, "paper": 2, "decision": 3, "deferral": 4}
MAX_QUERY_WORDS = 12


def rowid_for(kind: str, ref_id: int) -> int:
    return ref_id * 8 + KIND_CODES[kind]


def is_index_table(name: str | None) -> bool:
    """The FTS5 table and its shadow tables (``search_index_data`` and so on)."""
    return name is not None and (name == INDEX_TABLE or name.startswith(INDEX_TABLE + "_"))


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic filter: the index is made by hand in migration 0002, not from tables.py."""
    return not (type_ == "table" and is_index_table(name))


def merge_index(session: Session) -> None:
    """Merge the index into one segment, in the caller's transaction. FTS5 keeps a deleted
    entry's words in its segments until they are merged; after this they are gone from the
    index's tables, as the deleted rows are (retention, R20)."""
    session.execute(text(f"INSERT INTO {INDEX_TABLE}({INDEX_TABLE}) VALUES ('optimize')"))


def index_paper(session: Session, paper_id: int, case_id: int, title: str, body: str) -> None:
    """Add (or replace) a paper's entry, in the caller's transaction."""
    rowid = rowid_for("paper", paper_id)
    session.execute(text(f"DELETE FROM {INDEX_TABLE} WHERE rowid = :r"), {"r": rowid})
    session.execute(
        text(
            f"INSERT INTO {INDEX_TABLE} (rowid, title, body, kind, ref_id, case_id) "
            "VALUES (:r, :title, :body, 'paper', :ref, :case)"
        ),
        {"r": rowid, "title": title, "body": body, "ref": paper_id, "case": case_id},
    )


def index_papers(session: Session, entries: Sequence[tuple[int, int, str, str]]) -> None:
    """``index_paper`` for several papers at once, (paper id, case id, title, body) each:
    one statement of each kind for them all."""
    if not entries:
        return
    rows = [
        {"r": rowid_for("paper", paper_id), "title": title, "body": body, "ref": paper_id,
         "case": case_id}
        for paper_id, case_id, title, body in entries
    ]  # fmt: skip
    session.execute(
        text(f"DELETE FROM {INDEX_TABLE} WHERE rowid = :r"), [{"r": row["r"]} for row in rows]
    )
    session.execute(
        text(
            f"INSERT INTO {INDEX_TABLE} (rowid, title, body, kind, ref_id, case_id) "
            "VALUES (:r, :title, :body, 'paper', :ref, :case)"
        ),
        rows,
    )


def match_expression(words: str) -> str | None:
    """An FTS5 query from what a person typed: every word must appear (a trailing * matches
    the start of a word). Quoting each word means punctuation never becomes query syntax."""
    tokens = re.findall(r"\w+\*?", words)[:MAX_QUERY_WORDS]
    if not tokens:
        return None
    terms = []
    for token in tokens:
        prefix = token.endswith("*")
        word = token.rstrip("*")
        terms.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(terms)


@dataclass(frozen=True)
class IndexHit:
    kind: str
    ref_id: int
    case_id: int | None
    title: str
    snippet: str


def query(
    session: Session, match: str, *, limit: int = 50, mark: tuple[str, str] = ("[", "]")
) -> list[IndexHit]:
    """Entries matching an expression from ``match_expression``, best first."""
    if session.get_bind().dialect.name == "postgresql":
        from panelapp.store.fulltext_postgres import query_rows

        rows = query_rows(session, match, limit, mark)
    else:
        rows = _fts5_rows(session, match, limit, mark)
    return [
        IndexHit(
            kind=kind,
            ref_id=int(ref_id),
            case_id=int(case_id) if case_id is not None else None,
            title=title or "",
            snippet=" ".join((snip or "").split()),
        )
        for kind, ref_id, case_id, title, snip in rows
    ]


def _fts5_rows(session: Session, match: str, limit: int, mark: tuple[str, str]) -> Any:
    return session.execute(
        text(
            f"SELECT kind, ref_id, case_id, title, "
            f"snippet({INDEX_TABLE}, -1, :open, :close, ' … ', 14) "
            f"FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH :match "
            f"ORDER BY bm25({INDEX_TABLE}, 4.0, 1.0) LIMIT :limit"
        ),
        {"match": match, "limit": limit, "open": mark[0], "close": mark[1]},
    )


def paper_text(session: Session, paper_id: int) -> str:
    """The words indexed for a paper (its extracted text), or "" when it has none."""
    body = session.execute(
        text(f"SELECT body FROM {INDEX_TABLE} WHERE rowid = :r"),
        {"r": rowid_for("paper", paper_id)},
    ).scalar()
    return body or ""
