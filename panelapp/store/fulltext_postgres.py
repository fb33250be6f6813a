"""The full-text index on the team store: PostgreSQL's own text search in place of FTS5.

The same ``search_index`` table and the same entries as the local store (``rowid`` is an
ordinary column there: ``id * 8 + kind code``), so ``fulltext.index_paper`` and
``fulltext.paper_text`` work on both; the words are held in a generated ``tsvector`` column
(English stemming, as FTS5's porter tokenizer stems) under a GIN index, and PL/pgSQL triggers
keep cases, decisions and deferrals indexed as the SQLite triggers do. Only the query differs:
``to_tsquery`` from the words a person typed, ranked by ``ts_rank`` with the title weighted
above the text, and the snippet made by ``ts_headline``.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

CONFIG = "english"
_ROWS = {
    # table: (trigger name, kind code, the entry's values from NEW)
    "cases": (
        "case",
        1,
        "NEW.id * 8 + 1, NEW.reference, "
        "NEW.first_name || ' ' || NEW.last_name || ' ' || NEW.reference || ' ' || "
        "coalesce(NEW.setting, '') || ' ' || coalesce(NEW.case_officer, '') || ' ' || "
        "coalesce(NEW.year_group, ''), 'case', NEW.id, NEW.id",
    ),
    "decisions": (
        "decision",
        3,
        "NEW.id * 8 + 3, replace(NEW.outcome, '_', ' '), "
        "coalesce(NEW.rationale, '') || ' ' || coalesce(NEW.setting, '') || ' ' || "
        "coalesce(NEW.band, '') || ' ' || coalesce(NEW.sections_amended, ''), 'decision', "
        "NEW.id, (SELECT case_id FROM agenda_items WHERE agenda_items.id = NEW.agenda_item_id)",
    ),
    "deferrals": (
        "deferral",
        4,
        "NEW.id * 8 + 4, 'deferred', "
        "coalesce(NEW.reason, '') || ' ' || coalesce(NEW.information_required, '') || ' ' || "
        "coalesce(NEW.provider, ''), 'deferral', NEW.id, "
        "(SELECT case_id FROM agenda_items WHERE agenda_items.id = NEW.agenda_item_id)",
    ),
}
_COLUMNS = "(rowid, title, body, kind, ref_id, case_id)"
#: longer paper text is indexed up to here (a tsvector holds at most 1 MB)
MAX_INDEXED_CHARS = 1_000_000


def create_index(connection: Connection) -> None:
    """The index, its triggers and the entries of rows already there (migration 0002)."""
    connection.exec_driver_sql(
        "CREATE TABLE search_index ("
        " rowid BIGINT PRIMARY KEY, title TEXT, body TEXT, kind VARCHAR(16) NOT NULL,"
        " ref_id INTEGER NOT NULL, case_id INTEGER,"
        " document tsvector GENERATED ALWAYS AS ("
        f" setweight(to_tsvector('{CONFIG}', coalesce(title, '')), 'A') ||"
        f" setweight(to_tsvector('{CONFIG}', left(coalesce(body, ''), {MAX_INDEXED_CHARS})),"
        " 'D')) STORED)"
    )
    connection.exec_driver_sql(
        "CREATE INDEX search_index_document ON search_index USING GIN (document)"
    )
    for table, (name, code, row) in _ROWS.items():
        connection.exec_driver_sql(
            f"CREATE FUNCTION search_index_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN "
            f"IF TG_OP <> 'INSERT' THEN DELETE FROM search_index WHERE rowid = OLD.id * 8 + {code};"
            " END IF; "
            f"IF TG_OP <> 'DELETE' THEN INSERT INTO search_index {_COLUMNS} VALUES ({row});"
            " END IF; "
            "RETURN NULL; END $$"
        )
        connection.exec_driver_sql(
            f"CREATE TRIGGER search_index_{name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION search_index_{name}()"
        )
        existing = row.replace("NEW.", f"{table}.")
        connection.exec_driver_sql(
            f"INSERT INTO search_index {_COLUMNS} SELECT {existing} FROM {table}"
        )
    connection.exec_driver_sql(
        "CREATE FUNCTION search_index_paper() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        "IF TG_OP = 'DELETE' THEN DELETE FROM search_index WHERE rowid = OLD.id * 8 + 2; "
        "ELSE UPDATE search_index SET title = NEW.title, case_id = NEW.case_id "
        "WHERE rowid = NEW.id * 8 + 2; END IF; "
        "RETURN NULL; END $$"
    )
    connection.exec_driver_sql(
        "CREATE TRIGGER search_index_paper AFTER UPDATE OF title, case_id OR DELETE ON papers "
        "FOR EACH ROW EXECUTE FUNCTION search_index_paper()"
    )
    connection.exec_driver_sql(
        f"INSERT INTO search_index {_COLUMNS} "
        "SELECT id * 8 + 2, title, '', 'paper', id, case_id FROM papers"
    )


def tsquery_from_match(match: str) -> str:
    """The ``to_tsquery`` text for an expression from ``fulltext.match_expression`` (quoted
    words, each maybe with a trailing * for a prefix): every word must appear. The words are
    word characters only, so nothing a person types becomes query syntax."""
    terms = []
    for word, prefix in re.findall(r'"(\w+)"(\*?)', match):
        terms.append(f"'{word}'" + (":*" if prefix else ""))
    return " & ".join(terms)


def query_rows(session: Session, match: str, limit: int, mark: tuple[str, str]) -> Any:
    """(kind, ref_id, case_id, title, snippet) rows matching, best first."""
    options = (
        f'StartSel="{mark[0]}", StopSel="{mark[1]}", MaxWords=14, MinWords=6, ShortWord=2, '
        'MaxFragments=1, FragmentDelimiter=" … "'
    )
    return session.execute(
        text(
            "SELECT kind, ref_id, case_id, title, "
            f"ts_headline('{CONFIG}', coalesce(body, ''), q.query, :options) "
            f"FROM search_index, to_tsquery('{CONFIG}', :tsquery) AS q(query) "
            "WHERE document @@ q.query "
            "ORDER BY ts_rank(document, q.query) DESC, rowid LIMIT :limit"
        ),
        {"tsquery": tsquery_from_match(match), "options": options, "limit": limit},
    )
