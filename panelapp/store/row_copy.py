"""Copying rows between a laptop's store and the team store, through the tables' own SQLAlchemy
definitions, for check-out and check-in (``services.team_checkout``). What differs between the
two engines (an upsert's spelling, PostgreSQL's sequences) is here.

Rows travel as plain dicts of column values, so dates, flags, lists and bytes keep their types
whichever engine reads and writes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, delete, select, text, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from panelapp.store.tables import Base

Row = dict[str, Any]

#: rows written or deleted per statement
_BATCH = 200


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def in_dependency_order(names: Iterable[str]) -> list[str]:
    """``names`` with every table after the tables it refers to."""
    wanted = set(names)
    return [t.name for t in Base.metadata.sorted_tables if t.name in wanted]


def read_rows(connection: Connection, name: str, where: ColumnElement[bool]) -> list[Row]:
    found = connection.execute(select(table(name)).where(where))
    return [dict(row._mapping) for row in found]


def _key(table_: Table, row: Row) -> tuple[Any, ...]:
    return tuple(row[c.name] for c in table_.primary_key.columns)


def keys_of(name: str, rows: Iterable[Row]) -> set[tuple[Any, ...]]:
    table_ = table(name)
    return {_key(table_, row) for row in rows}


def upsert(connection: Connection, name: str, rows: Sequence[Row]) -> None:
    """Insert ``rows``, or replace the row with the same primary key."""
    if not rows:
        return
    table_ = table(name)
    from sqlalchemy.dialects import postgresql, sqlite

    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    keys = [c.name for c in table_.primary_key.columns]
    others = [c.name for c in table_.columns if c.name not in keys]
    for start in range(0, len(rows), _BATCH):
        statement = insert(table_).values(list(rows[start : start + _BATCH]))
        if others:
            statement = statement.on_conflict_do_update(
                index_elements=keys, set_={n: statement.excluded[n] for n in others}
            )
        else:
            statement = statement.on_conflict_do_nothing(index_elements=keys)
        connection.execute(statement)


def delete_keys(connection: Connection, name: str, keys: Iterable[tuple[Any, ...]]) -> None:
    table_ = table(name)
    columns = list(table_.primary_key.columns)
    keys = list(keys)
    for start in range(0, len(keys), _BATCH):
        batch = keys[start : start + _BATCH]
        if len(columns) == 1:
            condition = columns[0].in_([k[0] for k in batch])
        else:
            condition = tuple_(*columns).in_(batch)
        connection.execute(delete(table_).where(condition))


def defer_references(connection: Connection) -> None:
    """Check references at commit rather than row by row (the local store: rows of one copy
    may refer to each other in any order)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")


def _id_tables() -> list[Table]:
    return [
        t for t in Base.metadata.sorted_tables if [c.name for c in t.primary_key.columns] == ["id"]
    ]


def reserve_id_block(connection: Connection, size: int) -> tuple[int, int]:
    """Record numbers ``start`` .. ``end - 1`` that no table of the team store will hand out:
    every table's sequence is moved past them (with ``nextval`` alone, the one right on
    sequences the application's role has). On the local store (no sequences), the numbers
    above every table's largest id."""
    if connection.dialect.name != "postgresql":
        start = 1 + max(
            connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {t.name}")).scalar_one()
            for t in _id_tables()
        )
        return start, start + size
    sequences = []
    for t in _id_tables():
        name = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": t.name}
        ).scalar_one()
        if name is not None:
            current = connection.execute(
                text("SELECT nextval(CAST(:seq AS regclass))"), {"seq": name}
            ).scalar_one()
            highest = connection.execute(
                text(f"SELECT coalesce(max(id), 0) FROM {t.name}")
            ).scalar_one()
            sequences.append((name, max(current, highest)))
    start = 1 + max((value for _name, value in sequences), default=0)
    end = start + size
    for name, value in sequences:
        steps = end - 1 - value
        if steps > 0:
            connection.execute(
                text("SELECT max(nextval(CAST(:seq AS regclass))) FROM generate_series(1, :steps)"),
                {"seq": name, "steps": steps},
            )
    return start, end
