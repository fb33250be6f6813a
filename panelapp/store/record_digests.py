"""Digests of the records that minutes and decision records rest on, for the audit trail.

The hash chain shows a change to the *events*; these digests show a change to the *records*
the events describe. Every audit event names the covered rows its unit of work changed and the
SHA-256 of each row's content after the change (``null`` for a row deleted). ``check``
recomputes the digest of every covered row from its table and compares it with the last
audited one, so a decision's outcome edited straight in its table is named, row by row.

A digest is taken over the row as the database stores it (``SELECT *``: column names and
stored values as the driver reads them, blobs by their SHA-256), so it does not depend on the
ORM. The team store's PostgreSQL driver reads dates, flags and lists as their own types, so a
row's digest there differs from the same row's digest in a local file: each store is checked
against its own trail. A migration that adds a
column to a covered table changes every digest of that table and must append a new baseline
(``baseline_detail``), as ``0007_signer_keys`` does for stores made before digests existed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

from sqlalchemy import text
from sqlalchemy.engine import Connection

#: covered table -> what a person calls one of its rows
COVERED: dict[str, str] = {
    "attendance": "attendance record",
    "declarations": "declaration of interest",
    "decisions": "decision",
    "deferrals": "deferral",
    "actions": "action",
    "minutes_versions": "minutes version",
}

_BATCH = 500


def row_key(table: str, row_id: int) -> str:
    return f"{table}/{row_id}"


def split_key(key: str) -> tuple[str, int]:
    table, _, row_id = key.partition("/")
    return table, int(row_id)


def _digest(columns: list[str], values: tuple[object, ...]) -> str:
    fields = []
    for name, value in sorted(zip(columns, values, strict=True)):
        if isinstance(value, bytes | bytearray | memoryview):
            value = "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
        elif isinstance(value, float):
            value = repr(value)
        fields.append([name, value])
    text = json.dumps(fields, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def row_digest(connection: Connection, table: str, row_id: int) -> str | None:
    """The digest of one covered row as it is now (None when it does not exist).

    ``connection`` is a SQLAlchemy Connection (in the caller's transaction).
    """
    if table not in COVERED:
        raise ValueError(f"{table} is not a covered table")
    result = connection.execute(text(f"SELECT * FROM {table} WHERE id = :id"), {"id": row_id})
    row = result.fetchone()
    if row is None:
        return None
    return _digest(list(result.keys()), tuple(row))


def table_digests(connection: Connection, table: str) -> Iterator[tuple[int, str]]:
    """(id, digest) of every row of a covered table, read in batches of ids."""
    if table not in COVERED:
        raise ValueError(f"{table} is not a covered table")
    last = -1
    while True:
        result = connection.execute(
            text(f"SELECT * FROM {table} WHERE id > :last ORDER BY id LIMIT {_BATCH}"),
            {"last": last},
        )
        columns = list(result.keys())
        rows = result.fetchall()
        if not rows:
            return
        index = columns.index("id")
        for row in rows:
            yield row[index], _digest(columns, tuple(row))
        last = rows[-1][index]


def baseline_detail(connection: Connection) -> dict[str, str]:
    """Every covered row's digest, for a baseline event (empty when there are no rows)."""
    rows = {}
    for table in COVERED:
        for row_id, digest in table_digests(connection, table):
            rows[row_key(table, row_id)] = digest
    return rows


#: how each covered table's rows belong to a meeting (minutes versions aside: signing changes
#: them, and the signed bytes are compared on their own)
_MEETING_ROWS = {
    "attendance": "meeting_id = :meeting",
    "declarations": "meeting_id = :meeting",
    "decisions": "agenda_item_id IN (SELECT id FROM agenda_items WHERE meeting_id = :meeting)",
    "deferrals": "agenda_item_id IN (SELECT id FROM agenda_items WHERE meeting_id = :meeting)",
    "actions": "meeting_id = :meeting",
}


def meeting_records_digest(connection: Connection, meeting_id: int) -> str:
    """One digest of every record a meeting's minutes rest on, as they are now."""
    combined = hashlib.sha256(b"panelapp meeting records 1\n")
    for table, where in _MEETING_ROWS.items():
        result = connection.execute(
            text(f"SELECT * FROM {table} WHERE {where} ORDER BY id"), {"meeting": meeting_id}
        )
        columns = list(result.keys())
        for row in result:
            combined.update(f"{table}:{_digest(columns, tuple(row))}\n".encode())
    return combined.hexdigest()
