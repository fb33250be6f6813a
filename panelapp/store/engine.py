"""Opening the SQLCipher store through SQLAlchemy.

Each connection is keyed by the ``sqlite+pysqlcipher`` dialect with the raw 256-bit key
(SQLCipher's ``x'...'`` form), so no key derivation runs per connection, then set to WAL
with ``synchronous=FULL`` (a commit is on disk before it is acknowledged), foreign keys on,
and temporary tables kept in memory so nothing decrypted lands in a temporary file. The key is first tried on a bare driver connection so that
a wrong key ends in a plain message; SQLAlchemy masks it in the URL's representation.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import URL, create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from panelapp.store.damage import damage_error, find_damage
from panelapp.store.errors import NotAStore, StoreDamaged, StoreError, StoreLocked, StoreMissing
from panelapp.store.faults import locked, preflight, store_fault, team_busy

if TYPE_CHECKING:
    from panelapp.store.team_url import TeamUrl

logger = logging.getLogger(__name__)

SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000

_NOT_A_STORE = (
    "The key does not open {name}: it is not a panelapp store, or it is damaged, or its key "
    "file belongs to another store. Check the path; restore the store and its .key file "
    "together from a backup."
)


def refuse_plain_sqlite(path: Path) -> None:
    """An unencrypted SQLite file is someone else's database, whatever key is beside it."""
    if path.exists() and _looks_like_plain_sqlite(path):
        raise NotAStore(
            f"{path.name} is an unencrypted SQLite file, not a panelapp store. Pass the path of "
            "the panelapp store."
        )


def _looks_like_plain_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_PLAIN_HEADER
    except OSError:
        return False


def _configure(conn: Any) -> None:  # a sqlcipher3 connection (untyped)
    """Settings every connection needs once it is keyed."""
    conn.isolation_level = None  # transactions are begun explicitly (see _begin)
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA journal_mode = WAL").fetchone()
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    # a deleted row's bytes are overwritten, not left in a free page (retention, R20)
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _raw_key_literal(key: bytes) -> str:
    """SQLCipher's raw-key form: 64 hex digits, used as the key with no derivation."""
    return f"x'{key.hex()}'"


def check_key(path: Path, key: bytes) -> None:
    """Open the file once with the driver alone, so a bad key or a foreign file ends in our
    one-line message, not a wrapped SQL error."""
    conn = sqlcipher3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        # SQLCipher otherwise writes its own lines about a failed key to the terminal's stderr
        # (the setting holds for the whole process); our message says it in one line.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f'PRAGMA key = "{_raw_key_literal(key)}"')
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        _configure(conn)
    except sqlcipher3.DatabaseError as exc:
        fault = store_fault(exc, path)
        if isinstance(fault, StoreDamaged):
            conn.close()
            damage = find_damage(path, key)
            if damage.found:
                raise damage_error(path, damage) from None
            raise NotAStore(_NOT_A_STORE.format(name=path.name)) from None
        if fault is not None:
            raise fault from None
        raise NotAStore(_NOT_A_STORE.format(name=path.name)) from None
    finally:
        conn.close()


@dataclass
class Store:
    """An open store: an engine and the sessions made from it. Either the local SQLCipher
    file (``path``) or the PostgreSQL team store (``team``, see ``store.team``); the services
    use both alike, and what differs between the two stays in store/."""

    path: Path | None
    engine: Engine
    _reader: sessionmaker[Session]
    _writer: sessionmaker[Session]
    _key: bytes = field(repr=False, default=b"")
    team: TeamUrl | None = None

    def __repr__(self) -> str:
        return f"Store({self.label!r})"

    @property
    def is_team(self) -> bool:
        return self.team is not None

    @property
    def label(self) -> str:
        """How messages name the store: its file name, or the team store's database."""
        if self.team is not None:
            return self.team.label
        return self.file.name

    @property
    def file(self) -> Path:
        """The local store's file (the team store has none)."""
        if self.path is None:
            raise StoreError("The team store is a database on a server, not a file here.")
        return self.path

    def locked_error(self) -> StoreLocked:
        """What a writer is told when another writer held the store for the whole wait: the
        local file locked by another program, or the team store busy with another's change."""
        if self.team is not None:
            return team_busy(self.team.label, BUSY_TIMEOUT_MS)
        return locked(self.label)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Pretty printers (a test's failure report among them) print fields one by one,
        past ``repr``: the key must never be one of them."""
        printer.text(repr(self))

    def derive_key(self, purpose: str) -> bytes:
        """A 256-bit key for one purpose (e.g. protecting a signing key), derived from the store
        key with HKDF, so it is exactly as protected as the store itself."""
        if self.team is not None:
            raise StoreError(
                "This signing key was protected by a local store's own key, which the team "
                "store does not have: create or import the signing certificate again."
            )
        if not self._key:
            raise RuntimeError("the store is closed")
        return HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=f"panelapp:{purpose}".encode()
        ).derive(self._key)

    def read(self) -> Session:
        """A session for looking only; its transaction takes no write lock."""
        return self._reader()

    def write(self) -> Session:
        """A session whose transaction takes the write lock at once (BEGIN IMMEDIATE), so
        two writers never interleave the audit chain."""
        return self._writer()

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def checkpoint(self) -> bool:
        """Fold the WAL into the main file, outside any transaction. True when it all fitted
        (no other reader held it back), so the main file alone is a complete copy. The team
        store's server keeps its own log: nothing to do there."""
        if self.team is not None:
            return True
        raw = self.engine.raw_connection()
        try:
            driver: Any = raw.driver_connection  # the sqlcipher3 connection (untyped)
            busy, _, _ = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            raw.close()
        return bool(busy == 0)

    def compact(self) -> bool:
        """Rebuild the file from what it holds now (VACUUM, in memory: temp_store is MEMORY)
        and fold the WAL into it, so nothing deleted survives in a free page, a page's slack
        or the WAL. Outside any transaction; True when the WAL was emptied too."""
        raw = self.engine.raw_connection()
        try:
            driver: Any = raw.driver_connection  # the sqlcipher3 connection (untyped)
            driver.execute("VACUUM")
        finally:
            raw.close()
        return self.checkpoint()

    def close(self) -> None:
        self.engine.dispose()
        self._key = b""


def _begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get("panelapp_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def open_engine(path: Path, key: bytes, *, must_exist: bool = True) -> Store:
    """Open the store file with its key. Nothing is written by this call."""
    path = Path(path)
    if must_exist and not path.exists():
        raise StoreMissing(
            f"No store at {path}. Create one with 'panelapp init --store {path}' or pass the "
            "right --store."
        )
    refuse_plain_sqlite(path)
    if path.exists():
        preflight(path)
    check_key(path, key)
    url = URL.create("sqlite+pysqlcipher", password=_raw_key_literal(key), database=str(path))
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
        hide_parameters=True,
    )
    event.listen(engine, "connect", lambda dbapi_conn, _record: _configure(dbapi_conn))
    event.listen(engine, "begin", _begin)
    writer_engine = engine.execution_options(panelapp_write=True)
    return Store(
        path=path,
        engine=engine,
        _reader=sessionmaker(bind=engine, expire_on_commit=False),
        _writer=sessionmaker(bind=writer_engine, expire_on_commit=False),
        _key=key,
    )


#: PostgreSQL's lock_not_available: a writer waited longer than the lock timeout
_PG_LOCK_NOT_AVAILABLE = "55P03"


def is_locked_error(exc: BaseException) -> bool:
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.orig, "sqlstate", None) == _PG_LOCK_NOT_AVAILABLE:
        return True
    return "locked" in str(exc.orig).lower()
