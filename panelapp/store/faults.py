"""Naming what went wrong with the store's file: read-only, full disk, locked, damaged, cut
short. Each fault gets its own one-line message that says what to do; nothing here holds a
key or anything read from inside the store.

``preflight`` looks before opening; ``store_fault`` names an error met while opening or
writing, from SQLite's error code or the operating system's errno (never from a message).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

from panelapp.store.errors import (
    StoreDamaged,
    StoreDiskFull,
    StoreError,
    StoreLocked,
    StoreReadOnly,
)

PAGE_SIZE = 4096  # SQLCipher 4's default, which panelapp never changes


def locked(name: str) -> StoreLocked:
    return StoreLocked(
        f"{name} is in use: it is locked by another program (another panelapp window or "
        "command, or a backup or sync tool). Close it and try again; nothing was changed."
    )


def team_busy(label: str, waited_ms: int) -> StoreLocked:
    """A writer on the team store waited its whole lock timeout for another's change."""
    return StoreLocked(
        f"{label} is busy: another officer's change was still being saved after "
        f"{waited_ms / 1000:g} seconds. Try again in a moment; nothing was changed."
    )


def read_only_file(name: str) -> StoreReadOnly:
    return StoreReadOnly(
        f"{name} is read-only (its permissions, or the drive or share it is on, do not allow "
        "changes), so panelapp cannot save to it; nothing was changed. Copy it and its .key "
        "file to a folder you can write to and pass --store, or ask IT to make it writable."
    )


def read_only_folder(path: Path) -> StoreReadOnly:
    return StoreReadOnly(
        f"The folder holding {path.name} is read-only, and panelapp keeps its journal beside "
        "the store; nothing was changed. Copy the store and its .key file to a folder you can "
        "write to and pass --store, or ask IT for write access to that folder."
    )


def disk_full(name: str) -> StoreDiskFull:
    return StoreDiskFull(
        f"The disk holding {name} is full, so the change was not saved; the store is as it was "
        "before. Free some space on that disk and try again."
    )


def truncated(path: Path, size: int) -> StoreDamaged:
    return StoreDamaged(
        f"{path.name} is cut short ({size:,} bytes; the end of the file is missing): it was not "
        "copied or saved completely. Restore it and its .key file together from the latest "
        "backup."
    )


def io_failed(name: str) -> StoreError:
    return StoreError(
        f"{name} could not be read or written: the disk reported an error. Check the drive (or "
        "the network share), then run 'panelapp check'."
    )


def preflight(path: Path, *, writing: bool = True) -> None:
    """Refuse a store whose file or folder cannot be written, or whose length cannot be that
    of a whole store, before SQLite meets it half-way."""
    if not os.access(path, os.R_OK):
        raise StoreError(
            f"{path.name} cannot be read with your account's permissions. Ask IT for access, "
            "or copy it and its .key file to a folder of yours and pass --store."
        )
    size = path.stat().st_size
    if size % PAGE_SIZE:
        raise truncated(path, size)
    if writing and not os.access(path, os.W_OK):
        raise read_only_file(path.name)
    if writing and not os.access(path.parent, os.W_OK | os.X_OK):
        raise read_only_folder(path)


def _sqlite_code(exc: BaseException) -> str | None:
    return getattr(exc, "sqlite_errorname", None)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)  # SQLAlchemy wraps the driver's error
        if orig is not None and id(orig) not in seen:
            yield orig
            seen.add(id(orig))
        current = current.__cause__ or current.__context__


def store_fault(exc: BaseException, path: Path) -> StoreError | None:
    """The store fault behind ``exc``, as a message, or None when it is not one."""
    for each in _chain(exc):
        code = _sqlite_code(each) or ""
        if code.startswith("SQLITE_FULL") or (
            isinstance(each, OSError) and each.errno in (errno.ENOSPC, errno.EDQUOT)
        ):
            return disk_full(path.name)
        if code.startswith("SQLITE_READONLY") or (
            isinstance(each, OSError) and each.errno in (errno.EROFS, errno.EPERM, errno.EACCES)
        ):
            if path.exists() and not os.access(path.parent, os.W_OK | os.X_OK):
                return read_only_folder(path)
            return read_only_file(path.name)
        if code.startswith("SQLITE_CANTOPEN"):
            if path.exists() and not os.access(path.parent, os.W_OK | os.X_OK):
                return read_only_folder(path)
            return io_failed(path.name)
        if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return locked(path.name)
        if code.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            return StoreDamaged(
                f"{path.name} is damaged: SQLite could not read part of it. Run 'panelapp "
                "check' to see which tables; restore the store and its .key file from the "
                "latest backup."
            )
        if code.startswith("SQLITE_IOERR") or (
            isinstance(each, OSError) and each.errno == errno.EIO
        ):
            return io_failed(path.name)
    return None
