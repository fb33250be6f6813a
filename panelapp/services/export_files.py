"""Putting an export where the officer asked, whole or not at all, with its audit event.

An export is written into a folder panelapp owns (``exports-in-progress`` in the user data
folder, readable by its owner only), never beside the officer's destination nor in the
system's temporary folder. A small journal there names the destination. The audit event is
committed first (tagged with the export's id), and only then is the finished file or folder
moved into place. A kill at any moment therefore leaves, once panelapp next starts
(``recover_exports``): the complete export with its audit event (a committed export whose move
was interrupted is finished), or nothing (an export whose event never committed is deleted,
with every partial file). The officer never sees half a file, and no export exists without its
audit event (R19).
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import shutil
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import platformdirs
from sqlalchemy import select

from panelapp.domain.errors import PanelappError
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.engine import Store
from panelapp.store.tables import AuditEvent

logger = logging.getLogger(__name__)

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def safe_name(text: str, limit: int = 120) -> str:
    """Text usable as a file name on Windows, macOS and Linux."""
    cleaned = " ".join(_UNSAFE.sub("-", text).split()).strip(" .")
    return cleaned[:limit].rstrip(" .") or "untitled"


def target_path(out: Path | None, default_name: str) -> Path:
    """``out`` itself, or ``default_name`` inside it when it is a folder (or not given)."""
    if out is None:
        return Path.cwd() / default_name
    out = Path(out).expanduser()
    if out.is_dir():
        return out / default_name
    return out


def check_target(target: Path, overwrite: bool) -> None:
    """Raise PanelappError, saying what to do, when ``target`` cannot be written: its folder is
    missing, or it exists and ``overwrite`` is not given."""
    if not target.parent.is_dir():
        raise PanelappError(
            f"The folder {target.parent} does not exist. Create it or choose another with --out."
        )
    if target.exists() and not overwrite:
        raise PanelappError(
            f"{target} already exists. Choose another place with --out, or pass --overwrite to "
            "replace it."
        )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


_STAGING = "exports-in-progress"
#: where a journal's process is not known to have ended (no POSIX process check), how old it
#: must be before it counts as abandoned
_ABANDONED_AFTER_S = 15 * 60


def staging_dir() -> Path:
    """The folder panelapp owns for exports being written (created, owner-only)."""
    folder = platformdirs.user_data_path("panelapp", appauthor=False) / _STAGING
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _fsync_dir(folder: Path) -> None:
    if sys.platform.startswith("win"):
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_journal(staging: Path, export_id: str, target: Path, kind: str) -> Path:
    journal = staging / f"{export_id}.json"
    temp = staging / f"{export_id}.json.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"target": str(target), "kind": kind, "pid": os.getpid()}, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temp, journal)
    _fsync_dir(staging)
    return journal


def _beside(target: Path, export_id: str, what: str) -> Path:
    return target.with_name(f".panelapp-{export_id}.{what}")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _place(staged: Path, target: Path, export_id: str) -> None:
    """Move a finished export into place (after its audit event committed)."""
    if not staged.exists():
        return  # already placed
    if staged.is_dir():
        old = _beside(target, export_id, "old")
        if target.exists():
            os.replace(target, old)
        try:
            os.replace(staged, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            copy = _beside(target, export_id, "part")
            shutil.copytree(staged, copy)
            os.replace(copy, target)
            shutil.rmtree(staged, ignore_errors=True)
        _remove(old)
        return
    try:
        os.replace(staged, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        # Another disk: copied beside the target under a hidden name, then renamed; the
        # journal names that copy, so a kill here leaves nothing once panelapp restarts.
        copy = _beside(target, export_id, "part")
        with open(staged, "rb") as source, open(copy, "wb") as fh:
            shutil.copyfileobj(source, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(copy, 0o600)
        os.replace(copy, target)
        staged.unlink(missing_ok=True)


def _discard(staging: Path, export_id: str, target: Path | None) -> None:
    for path in (staging / f"{export_id}.part", staging / f"{export_id}.json.tmp"):
        _remove(path)
    if target is not None:
        _remove(_beside(target, export_id, "part"))
    (staging / f"{export_id}.json").unlink(missing_ok=True)


def _publish(
    store: Store,
    actor: str,
    target: Path,
    kind: str,
    make: Callable[[Path], None],
    record: Callable[[UnitOfWork], None],
) -> None:
    staging = staging_dir()
    export_id = uuid.uuid4().hex
    staged = staging / f"{export_id}.part"
    _write_journal(staging, export_id, target, kind)
    try:
        make(staged)
        with UnitOfWork(store, actor) as uow:
            uow.event_tags["export"] = export_id
            record(uow)
    except BaseException:
        _discard(staging, export_id, target)
        raise
    # Committed: from here the export exists in the trail, and is finished even after a kill.
    _place(staged, target, export_id)
    (staging / f"{export_id}.json").unlink(missing_ok=True)


def publish_file(
    store: Store,
    actor: str,
    target: Path,
    write: Callable[[BinaryIO], object],
    record: Callable[[UnitOfWork, str], None],
    *,
    overwrite: bool = False,
) -> str:
    """Write a file through ``write``, record it with ``record(uow, sha256)`` and put it in
    place once recorded. Returns the file's SHA-256."""
    check_target(target, overwrite)
    digest = ""

    def make(staged: Path) -> None:
        nonlocal digest
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        digest = file_sha256(staged)

    _publish(store, actor, target, "file", make, lambda uow: record(uow, digest))
    return digest


def publish_folder(
    store: Store,
    actor: str,
    target: Path,
    fill: Callable[[Path], object],
    record: Callable[[UnitOfWork], None],
    *,
    overwrite: bool = False,
) -> None:
    """Like ``publish_file`` for a folder: ``fill(folder)`` writes into a folder in panelapp's
    own staging folder, moved into place once the audit event is recorded."""
    check_target(target, overwrite)

    def make(staged: Path) -> None:
        staged.mkdir(mode=0o700)
        fill(staged)
        folders = [staged]
        for path in sorted(staged.rglob("*")):
            if path.is_dir():
                folders.append(path)
                continue
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
        for folder in reversed(folders):
            _fsync_dir(folder)

    _publish(store, actor, target, "folder", make, record)


def _alive(pid: int) -> bool | None:
    """Whether a process is still running (None where it cannot be told)."""
    if pid == os.getpid():
        return True
    if sys.platform.startswith("win"):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_exports(store: Store) -> int:
    """At start: finish every export whose audit event committed before its process ended,
    and delete every other partial export. Returns how many were finished or removed."""
    staging = staging_dir()
    handled = 0
    journals = {p.name.split(".", 1)[0] for p in staging.iterdir() if p.name.endswith(".json")}
    for path in sorted(staging.glob("*.json")):
        export_id = path.stem
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
            target = Path(info["target"])
            pid = int(info.get("pid", 0))
        except (OSError, ValueError, KeyError, TypeError):
            _discard(staging, export_id, None)
            continue
        alive = _alive(pid)
        if alive or (alive is None and time.time() - path.stat().st_mtime < _ABANDONED_AFTER_S):
            continue  # another panelapp is writing it now
        with store.read() as session:
            committed = session.scalar(
                select(AuditEvent.seq).where(AuditEvent.detail.like(f'%"export":"{export_id}"%'))
            )
        staged = staging / f"{export_id}.part"
        if committed is not None and staged.exists():
            try:
                _place(staged, target, export_id)
            except OSError as exc:
                logger.warning("an interrupted export could not be finished (%s)", exc.strerror)
        _discard(staging, export_id, target)
        _remove(_beside(target, export_id, "old"))
        handled += 1
    for path in staging.iterdir():
        stem = path.name.split(".", 1)[0]
        if stem not in journals:
            _remove(path)  # a leftover with no journal: never a finished export
            handled += 1
    if handled:
        logger.info("%d interrupted export(s) finished or removed", handled)
    return handled
