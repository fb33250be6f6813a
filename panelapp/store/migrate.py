"""Bringing a store's schema up to date, safely.

Before any migration the store file is checkpointed and copied beside itself (the copy is as
encrypted as the original). A store whose schema revision this version of panelapp does not know
was written by a newer panelapp and is refused untouched.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Row

from panelapp import __version__
from panelapp.store.engine import Store
from panelapp.store.errors import StoreTooNew

if TYPE_CHECKING:
    from alembic.config import Config

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


#: The newest schema revision. Alembic is imported only when a store is not at this revision:
#: importing it takes over a tenth of a second, which every start of the application and every
#: command paid only to learn that the store was already up to date. A test checks that this
#: is the head of the migrations, so a new migration cannot forget it.
SCHEMA_HEAD = "0019_paper_extraction"


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations in {MIGRATIONS_DIR}: this panelapp is not whole")
    return head


def current_revision(store: Store) -> str | None:
    """The store's schema revision (Alembic's own table, read directly); None when it has
    none yet."""
    with store.engine.connect() as conn:
        rows: Sequence[Row[Any]] = ()
        if conn.dialect.has_table(conn, "alembic_version"):
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
        if len(rows) > 1:  # several heads: Alembic says what is wrong
            from alembic.runtime.migration import MigrationContext

            return MigrationContext.configure(conn).get_current_revision()
        return rows[0][0] if rows else None


def backup(store: Store, label: str) -> Path:
    """Copy the store to ``<store>.backup-<label>-<time>``: the WAL is folded in first, and
    copied too if another reader kept part of it back."""
    path = store.file
    complete = store.checkpoint()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.backup-{label}-{stamp}")
    _copy_private(path, target)
    wal = path.with_name(path.name + "-wal")
    if not complete and wal.exists():
        _copy_private(wal, target.with_name(target.name + "-wal"))
    logger.info("backed up the store before migrating it")
    return target


def _copy_private(source: Path, target: Path) -> None:
    """Copy into a new file created readable by its owner only (``os.open`` with the mode)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(target, flags, 0o600)
    try:
        with open(source, "rb") as src, os.fdopen(fd, "wb") as dst:
            fd = -1
            shutil.copyfileobj(src, dst, 1024 * 1024)
            dst.flush()
            os.fsync(dst.fileno())
    except BaseException:
        if fd >= 0:
            os.close(fd)
        target.unlink(missing_ok=True)
        raise


def refuse_unknown(store: Store, current: str) -> None:
    """A revision this panelapp does not know was written by a newer one: refuse it."""
    from alembic.script import ScriptDirectory

    try:
        ScriptDirectory.from_config(_config()).get_revision(current)
    except Exception:
        raise StoreTooNew(
            f"{store.label} was written by a newer version of panelapp (schema "
            f"{current}); this is panelapp {__version__}. Install the newer version to open it."
        ) from None


def upgrade(store: Store) -> Path | None:
    """Migrate to the newest schema; return the backup made, if any."""
    if current_revision(store) == SCHEMA_HEAD:
        return None
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = _config()
    scripts = ScriptDirectory.from_config(cfg)
    current = current_revision(store)
    head = scripts.get_current_head()
    if current == head:
        return None
    if current is not None:
        refuse_unknown(store, current)
    # The team store's schema changes in one transaction on the server (PostgreSQL's DDL is
    # transactional): a failed migration leaves it as it was, and the server's own backups
    # are its copies. A local file is copied first.
    made = backup(store, f"schema-{current}") if current is not None and not store.is_team else None
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    logger.info("store schema is now %s", head)
    return made
