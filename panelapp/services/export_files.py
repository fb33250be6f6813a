"""Putting an export where the officer asked, whole or not at all, with its audit event.

An export is written to a hidden temporary file (or folder) in the target folder itself, never
in the system's temporary folder, then renamed into place inside the transaction that records
the export in the audit trail (R19): the officer never sees half a file, and no export exists
without its audit event. Temporary files are created readable by their owner only.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from panelapp.domain.errors import PanelappError
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.engine import Store

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


def _check_target(target: Path, overwrite: bool) -> None:
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


def publish_file(
    store: Store,
    actor: str,
    target: Path,
    write: Callable[[BinaryIO], None],
    record: Callable[[UnitOfWork, str], None],
    *,
    overwrite: bool = False,
) -> str:
    """Write a file through ``write``, record it with ``record(uow, sha256)`` and put it in
    place in the same transaction. Returns the file's SHA-256."""
    _check_target(target, overwrite)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=".panelapp-", suffix=".part")
    temp, placed = Path(name), False
    old: Path | None = None
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        digest = file_sha256(temp)
        with UnitOfWork(store, actor) as uow:
            record(uow, digest)
            # An earlier file at the target is set aside, not overwritten, so that it can be
            # put back if the audit event does not commit.
            if target.exists():
                old = target.with_name(f".panelapp-old-{os.getpid()}-{target.name}")
                os.replace(target, old)
            os.replace(temp, target)
            placed = True
    except BaseException:
        (target if placed else temp).unlink(missing_ok=True)
        if old is not None and not target.exists():
            os.replace(old, target)
            old = None
        raise
    finally:
        if old is not None:
            old.unlink(missing_ok=True)
    return digest


def publish_folder(
    store: Store,
    actor: str,
    target: Path,
    fill: Callable[[Path], None],
    record: Callable[[UnitOfWork], None],
    *,
    overwrite: bool = False,
) -> None:
    """Like ``publish_file`` for a folder: ``fill(folder)`` writes into a hidden temporary
    folder beside the target, which is renamed into place when the audit event is recorded."""
    _check_target(target, overwrite)
    temp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".panelapp-", suffix=".part"))
    old: Path | None = None
    placed = False
    try:
        fill(temp)
        with UnitOfWork(store, actor) as uow:
            record(uow)
            if target.exists():
                old = target.with_name(f".panelapp-old-{os.getpid()}-{target.name}")
                os.replace(target, old)
            os.replace(temp, target)
            placed = True
    except BaseException:
        shutil.rmtree(target if placed else temp, ignore_errors=True)
        if old is not None and not target.exists():
            os.replace(old, target)
            old = None
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
