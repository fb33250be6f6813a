"""Finding damaged pages of the encrypted store, and which tables they belong to.

SQLCipher authenticates every page; ``PRAGMA cipher_integrity_check`` reads them all and lists
the ones whose HMAC fails, without stopping at the first. After a failed page a connection
keeps the error, so each look below uses a fresh driver connection keyed with the raw key (no
key derivation, so this is quick). Nothing read is logged or shown: only page counts and the
names of the store's own tables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3

from panelapp.store.errors import StoreDamaged
from panelapp.store.faults import PAGE_SIZE, truncated


@dataclass(frozen=True)
class Damage:
    pages: int = 0
    tables: list[str] = field(default_factory=list)
    cut_short: bool = False

    @property
    def found(self) -> bool:
        return bool(self.pages or self.tables or self.cut_short)


def _connect(path: Path, key: bytes) -> Any:  # a sqlcipher3 connection (untyped)
    conn = sqlcipher3.connect(str(path), timeout=5)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def find_damage(path: Path, key: bytes) -> Damage:
    """Damaged pages (and the tables that hold them), or a store cut short. A key that fails
    on every page is the wrong key, not damage: that is for the caller to say."""
    size = os.path.getsize(path)
    if size % PAGE_SIZE:
        return Damage(cut_short=True)
    header_problem = None
    conn = _connect(path, key)
    try:
        conn.execute("PRAGMA page_count").fetchone()
    except sqlcipher3.DatabaseError as exc:
        header_problem = getattr(exc, "sqlite_errorname", "")
    finally:
        conn.close()
    conn = _connect(path, key)
    try:
        failed = len(conn.execute("PRAGMA cipher_integrity_check").fetchall())
    except sqlcipher3.DatabaseError:
        failed = 0
    finally:
        conn.close()
    if failed and failed >= size // PAGE_SIZE:
        return Damage()  # every page: another key
    if failed:
        return Damage(pages=failed, tables=_damaged_tables(path, key))
    if header_problem and header_problem.startswith("SQLITE_CORRUPT"):
        # Every page there is authentic but the header counts more: the end is missing.
        return Damage(cut_short=True)
    return Damage()


def _damaged_tables(path: Path, key: bytes) -> list[str]:
    """The store's tables that cannot be read whole (their rows or their indexes)."""
    try:
        conn = _connect(path, key)
        try:
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
            ]
        finally:
            conn.close()
    except sqlcipher3.DatabaseError:
        return ["the list of tables itself"]
    damaged = []
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'
        conn = _connect(path, key)
        try:
            for _ in conn.execute(f"SELECT * FROM {quoted}"):
                pass
            rows = conn.execute(f"PRAGMA integrity_check({quoted})").fetchall()
            if rows != [("ok",)]:
                damaged.append(name)
        except sqlcipher3.DatabaseError:
            damaged.append(name)
        finally:
            conn.close()
    return damaged


def damage_error(path: Path, damage: Damage) -> StoreDamaged:
    """The message for damage found, with what to do."""
    if damage.cut_short:
        return truncated(path, os.path.getsize(path))
    where = f" (in the tables {', '.join(damage.tables)})" if damage.tables else ""
    return StoreDamaged(
        f"{path.name} is damaged: {damage.pages} page(s) failed SQLCipher's check{where}. "
        "Restore the store and its .key file together from the latest backup (keep a copy of "
        "this one first); panelapp will not write to it."
    )


#: Checking every page reads the whole file (about 30 to 100 MB a second on a laptop); above
#: this size a command that writes does not wait for it, and damage it meets is still named
#: (``faults.store_fault``) with its transaction rolled back. ``check`` always reads it all.
WRITE_CHECK_MAX_BYTES = 512 * 1024 * 1024


def refuse_damaged(path: Path, key: bytes) -> None:
    """Before a command writes: refuse a store with damaged pages or cut short."""
    if os.path.getsize(path) > WRITE_CHECK_MAX_BYTES:
        return
    damage = find_damage(path, key)
    if damage.found:
        raise damage_error(path, damage)
