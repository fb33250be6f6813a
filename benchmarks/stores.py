"""The two stores a benchmark compares: panelapp's SQLCipher store, and the same thing without
encryption.

The plain store is built to differ from the real one in encryption only:

* the same driver module (``sqlcipher3``, so the same SQLite build, 3.x as bundled by
  SQLCipher), opened without a key, which gives an ordinary unencrypted SQLite file;
* the same SQLAlchemy engine settings as ``panelapp.store.engine.open_engine`` (pool, timeout,
  ``hide_parameters``) and the same per-connection settings and transaction start, by calling
  that module's own ``_configure`` (WAL, ``synchronous=FULL``, foreign keys, in-memory temporary
  tables, busy timeout) and ``_begin`` (``BEGIN IMMEDIATE`` for writers);
* the same schema, made by the same Alembic migrations (tables, indexes, the FTS5 index and
  its triggers), and the same first rows as ``create_store`` writes.

So the services run unchanged on either, and emit the same SQL (``run.py`` checks this).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlcipher3
from sqlalchemy import URL, create_engine, event
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from panelapp import __version__
from panelapp.store import audit, migrate
from panelapp.store import engine as store_engine
from panelapp.store.engine import Store
from panelapp.store.lifecycle import SYSTEM_ACTOR, create_store, open_store
from panelapp.store.paths import key_file_path
from panelapp.store.tables import StoreMeta


def create_encrypted(path: Path) -> Store:
    """A new panelapp store, exactly as ``panelapp init`` makes it (key in the keyring)."""
    return create_store(Path(path))


def create_with_passphrase(path: Path) -> Store:
    """A new store whose key is locked with a passphrase (as where there is no OS keyring);
    opening it in the window asks for the passphrase first."""
    from panelapp.store.keys import KeySource

    return create_store(
        Path(path),
        passphrase_provider=lambda _prompt, _confirm: "benchmark passphrase, fictional",
        key_source=KeySource.PASSPHRASE,
    )


def open_encrypted(path: Path) -> Store:
    return open_store(Path(path))


def _plain_engine_store(path: Path) -> Store:
    url = URL.create("sqlite", database=str(path))
    engine = create_engine(
        url,
        module=sqlcipher3,
        connect_args={"check_same_thread": False, "timeout": store_engine.BUSY_TIMEOUT_MS / 1000},
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
        hide_parameters=True,
    )
    event.listen(engine, "connect", lambda dbapi_conn, _record: store_engine._configure(dbapi_conn))
    event.listen(engine, "begin", store_engine._begin)
    writer_engine = engine.execution_options(panelapp_write=True)
    return Store(
        path=path,
        engine=engine,
        _reader=sessionmaker(bind=engine, expire_on_commit=False),
        _writer=sessionmaker(bind=writer_engine, expire_on_commit=False),
        _key=b"\x01" * 32,  # only used by derive_key (signing keys), never by SQLite
    )


def create_plain(path: Path) -> Store:
    """A new unencrypted store with the real schema and first rows."""
    path = Path(path)
    path.touch(mode=0o600, exist_ok=False)
    store = _plain_engine_store(path)
    migrate.upgrade(store)
    with store.write() as session, session.begin():
        session.add_all(
            [
                StoreMeta(name="store_id", value="benchmark-plain"),
                StoreMeta(name="key_source", value="none"),
                StoreMeta(name="created_by", value=f"panelapp {__version__}"),
            ]
        )
        audit.append(
            session,
            actor=SYSTEM_ACTOR,
            action="store.created",
            entity="store",
            detail={"key_source": "none", "version": __version__},
        )
    return store


def open_plain(path: Path) -> Store:
    store = _plain_engine_store(Path(path))
    migrate.upgrade(store)  # as open_store does: a no-op on an up-to-date store
    return store


def is_plain(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(16) == store_engine.SQLITE_PLAIN_HEADER


def copy_store(source: Path, target: Path) -> None:
    """Copy a closed store (and its key file, when it has one) to a new path. The copy opens
    with the same key, so a prepared store can be measured many times from the same state."""
    source, target = Path(source), Path(target)
    shutil.copy2(source, target)
    for suffix in ("-wal", "-shm"):
        side = source.with_name(source.name + suffix)
        if side.exists():
            shutil.copy2(side, target.with_name(target.name + suffix))
    if key_file_path(source).exists():
        shutil.copy2(key_file_path(source), key_file_path(target))


def checkpoint_and_close(store: Store) -> None:
    store.checkpoint()
    store.close()
