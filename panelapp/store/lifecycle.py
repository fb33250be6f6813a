"""Creating and opening a store: key, engine, schema and identity checks in one place."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DatabaseError as SADatabaseError

from panelapp import __version__
from panelapp.store import audit, migrate
from panelapp.store.damage import damage_error, find_damage, refuse_damaged
from panelapp.store.engine import Store, open_engine, refuse_plain_sqlite
from panelapp.store.errors import (
    KeySourceChanged,
    NotAStore,
    StoreDamaged,
    StoreExists,
    StoreMissing,
    StoreTooOld,
)
from panelapp.store.faults import preflight, store_fault
from panelapp.store.keys import (
    KeySource,
    PassphraseProvider,
    UnlockedKey,
    create_key,
    forget_key,
    load_key,
)
from panelapp.store.paths import key_file_path
from panelapp.store.tables import StoreMeta

if TYPE_CHECKING:
    from panelapp.store.team import PasswordPrompt

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "panelapp"


def create_store(
    path: Path,
    *,
    passphrase_provider: PassphraseProvider | None = None,
    key_source: KeySource | None = None,
) -> Store:
    """Make a new empty store and its key. Refuses to overwrite anything."""
    path = Path(path)
    store_there, key_there = path.exists(), key_file_path(path).exists()
    if store_there and key_there:
        raise StoreExists(
            f"A store already exists at {path}. Open it, or choose another path with --store."
        )
    if store_there or key_there:
        present, absent = (
            (path, key_file_path(path)) if store_there else (key_file_path(path), path)
        )
        raise StoreExists(
            f"{present.name} is there but {absent.name} is not. If creating a store was "
            f"interrupted, delete {present} and try again; otherwise restore {absent.name} from "
            "the backup it came with."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    unlocked = create_key(path, passphrase_provider=passphrase_provider, source=key_source)
    try:
        _create_private(path)
        store = open_engine(path, unlocked.key, must_exist=False)
        migrate.upgrade(store)
        with store.write() as session, session.begin():
            session.add_all(
                [
                    StoreMeta(name="store_id", value=unlocked.store_id),
                    StoreMeta(name="key_source", value=unlocked.source.value),
                    StoreMeta(name="created_by", value=f"panelapp {__version__}"),
                ]
            )
            audit.append(
                session,
                actor=SYSTEM_ACTOR,
                action="store.created",
                entity="store",
                detail={"key_source": unlocked.source.value, "version": __version__},
            )
    except BaseException:
        forget_key(unlocked)
        for leftover in (path, key_file_path(path), *_sidecars(path)):
            leftover.unlink(missing_ok=True)
        raise
    logger.info("created a store (key kept by %s)", unlocked.source.value)
    return store


def _create_private(path: Path) -> None:
    """Create the empty store file readable by its owner only, before SQLCipher writes it."""
    path.touch(mode=0o600, exist_ok=False)


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def open_store(
    path: Path,
    *,
    passphrase_provider: PassphraseProvider | None = None,
    writing: bool = False,
) -> Store:
    """Unlock and open an existing store, migrating its schema (after a backup) if needed.
    ``writing``: the caller is about to change it, so every page is checked first and a
    damaged store is refused (StoreDamaged) rather than written into."""
    path = Path(path)
    if not path.exists():
        raise StoreMissing(
            f"No store at {path}. Create one with 'panelapp init' (add --store {path} for this "
            "path), or try 'panelapp demo'."
        )
    refuse_plain_sqlite(path)  # before looking for a key it could never have
    unlocked = load_key(path, passphrase_provider=passphrase_provider)
    if writing:
        preflight(path)
        refuse_damaged(path, unlocked.key)
    return open_with_key(path, unlocked)


def open_with_key(path: Path, unlocked: UnlockedKey) -> Store:
    store = open_engine(path, unlocked.key)
    try:
        if migrate.current_revision(store) is None:
            # A keyed but empty file: its creation never finished. Never build a schema here.
            raise NotAStore(
                f"{path.name} was never finished being created (it holds no panel data). Delete "
                f"it and its .key file and create the store again."
            )
        migrate.upgrade(store)
        _check_identity(store, unlocked)
    except SADatabaseError as exc:
        store.close()
        fault = store_fault(exc, path)
        if isinstance(fault, StoreDamaged):
            damage = find_damage(path, unlocked.key)
            raise (damage_error(path, damage) if damage.found else fault) from None
        if fault is not None:
            raise fault from None
        raise NotAStore(
            f"{path.name} opened but could not be read as a panelapp store. Run 'panelapp check' "
            "and restore from a backup if it reports damage."
        ) from None
    except BaseException:
        store.close()
        raise
    return store


def _check_identity(store: Store, unlocked: UnlockedKey) -> None:
    with store.read() as session:
        meta = {row.name: row.value for row in session.query(StoreMeta)}
    if meta.get("store_id") != unlocked.store_id:
        raise KeySourceChanged(
            f"The key file beside {store.label} belongs to another store. Put back the .key "
            "file that was created with this store."
        )
    if meta.get("key_source") != unlocked.source.value:
        raise KeySourceChanged(
            f"{store.label} was created with its key kept by {meta.get('key_source')}, but its "
            f"key file now says {unlocked.source.value}. Restore the original .key file; panelapp "
            "does not change where a key is kept on its own."
        )


def create_team_store(url: str, *, password_prompt: PasswordPrompt | None = None) -> Store:
    """``panelapp team init``: make panelapp's schema in an empty PostgreSQL database, through
    the same migrations as a local store, or bring an older team store's schema up to date
    (run by the role that owns the schema). A database already at this panelapp's schema is
    refused (``StoreExists``), leaving it as it is."""
    from panelapp.store.team import open_team_engine, password_for, require_driver
    from panelapp.store.team_url import parse_team_url

    team = parse_team_url(url)
    require_driver()
    store = open_team_engine(team, password_for(team, password_prompt))
    try:
        revision = migrate.current_revision(store)
        if revision is None and _has_tables(store):
            raise StoreExists(
                f"The database {team.database} on {team.host} already holds tables that are not "
                "a panelapp team store. Give panelapp a database of its own."
            )
        if revision == migrate.SCHEMA_HEAD:
            raise StoreExists(
                f"{team.label} already holds a panelapp team store, up to date. Nothing was "
                f"changed: work on it with 'panelapp --team {team.text} ...'."
            )
        migrate.upgrade(store)
        if revision is None:
            with store.write() as session, session.begin():
                session.add_all(
                    [
                        StoreMeta(name="store_id", value=uuid.uuid4().hex),
                        StoreMeta(name="key_source", value="team"),
                        StoreMeta(name="created_by", value=f"panelapp {__version__}"),
                    ]
                )
                audit.append(
                    session,
                    actor=SYSTEM_ACTOR,
                    action="store.created",
                    entity="store",
                    detail={"key_source": "team", "version": __version__},
                )
    except BaseException:
        store.close()
        raise
    logger.info("team store schema ready")
    return store


def _has_tables(store: Store) -> bool:
    from sqlalchemy import inspect

    with store.engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def open_team_store(url: str, *, password_prompt: PasswordPrompt | None = None) -> Store:
    """Connect to a team store made by ``panelapp team init``. Its schema is never changed
    here: the application's role needs no right to change it (see the README)."""
    from panelapp.store.team import open_team_engine, password_for, require_driver
    from panelapp.store.team_url import parse_team_url

    team = parse_team_url(url)
    require_driver()
    store = open_team_engine(team, password_for(team, password_prompt))
    try:
        revision = migrate.current_revision(store)
        if revision is None:
            raise StoreMissing(
                f"{team.label} has no panelapp schema yet. Create it with 'panelapp team init "
                f"{team.text}' (as the role that owns the database)."
            )
        if revision != migrate.SCHEMA_HEAD:
            from panelapp.store.migrate import refuse_unknown

            refuse_unknown(store, revision)
            raise StoreTooOld(
                f"{team.label} has schema {revision}; this panelapp needs "
                f"{migrate.SCHEMA_HEAD}. Ask whoever looks after the team store to run "
                f"'panelapp team init {team.text}' (as the role that owns the database), "
                "which brings it up to date."
            )
    except BaseException:
        store.close()
        raise
    return store
