"""A full-text index of cases, papers, decisions and deferrals (FTS5, inside the encrypted
store), kept up to date by triggers for everything but paper text, which the papers service
adds when it stores a paper.

Stores of schema 0001 had no way to add papers, so existing papers (if any) are indexed by
title only.

Revision ID: 0002_paper_text_search
Revises: 0001_initial
"""

from alembic import op

revision = "0002_paper_text_search"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

# rowid = id * 8 + kind code: case 1, paper 2, decision 3, deferral 4 (see store/fulltext.py)
_CASE_ROW = (
    "{r}.id * 8 + 1, {r}.reference, "
    "{r}.first_name || ' ' || {r}.last_name || ' ' || {r}.reference || ' ' || "
    "coalesce({r}.setting, '') || ' ' || coalesce({r}.case_officer, '') || ' ' || "
    "coalesce({r}.year_group, ''), 'case', {r}.id, {r}.id"
)
_DECISION_ROW = (
    "{r}.id * 8 + 3, replace({r}.outcome, '_', ' '), "
    "coalesce({r}.rationale, '') || ' ' || coalesce({r}.setting, '') || ' ' || "
    "coalesce({r}.band, '') || ' ' || coalesce({r}.sections_amended, ''), 'decision', {r}.id, "
    "(SELECT case_id FROM agenda_items WHERE agenda_items.id = {r}.agenda_item_id)"
)
_DEFERRAL_ROW = (
    "{r}.id * 8 + 4, 'deferred', "
    "coalesce({r}.reason, '') || ' ' || coalesce({r}.information_required, '') || ' ' || "
    "coalesce({r}.provider, ''), 'deferral', {r}.id, "
    "(SELECT case_id FROM agenda_items WHERE agenda_items.id = {r}.agenda_item_id)"
)
_COLUMNS = "(rowid, title, body, kind, ref_id, case_id)"


def _triggers(table: str, name: str, row: str, code: int) -> list[str]:
    insert = f"INSERT INTO search_index {_COLUMNS} SELECT {row.format(r='new')};"
    delete = f"DELETE FROM search_index WHERE rowid = old.id * 8 + {code};"
    return [
        f"CREATE TRIGGER search_index_{name}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER search_index_{name}_update AFTER UPDATE ON {table} BEGIN {delete} {insert} END",
        f"CREATE TRIGGER search_index_{name}_delete AFTER DELETE ON {table} BEGIN {delete} END",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":  # the team store: its own text search
        from panelapp.store.fulltext_postgres import create_index

        create_index(op.get_bind())
        return
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5(title, body, kind UNINDEXED, "
        "ref_id UNINDEXED, case_id UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    for table, name, row, code in (
        ("cases", "case", _CASE_ROW, 1),
        ("decisions", "decision", _DECISION_ROW, 3),
        ("deferrals", "deferral", _DEFERRAL_ROW, 4),
    ):
        for statement in _triggers(table, name, row, code):
            op.execute(statement)
        op.execute(f"INSERT INTO search_index {_COLUMNS} SELECT {row.format(r=table)} FROM {table}")
    # Paper text is added by the papers service; a paper's title and case may change here.
    op.execute(
        "CREATE TRIGGER search_index_paper_update AFTER UPDATE OF title, case_id ON papers BEGIN "
        "UPDATE search_index SET title = new.title, case_id = new.case_id "
        "WHERE rowid = new.id * 8 + 2; END"
    )
    op.execute(
        "CREATE TRIGGER search_index_paper_delete AFTER DELETE ON papers BEGIN "
        "DELETE FROM search_index WHERE rowid = old.id * 8 + 2; END"
    )
    op.execute(
        f"INSERT INTO search_index {_COLUMNS} "
        "SELECT id * 8 + 2, title, '', 'paper', id, case_id FROM papers"
    )


def downgrade() -> None:
    raise NotImplementedError("panelapp stores are never downgraded; restore the backup instead")
