"""Every schema change is a migration, and stores from released schemas still open."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from panelapp.store import migrate
from panelapp.store.fulltext import include_object
from panelapp.store.integrity import check_store
from panelapp.store.lifecycle import open_store
from panelapp.store.tables import AgendaItem, Base, DecisionRow, DeferralRow

RELEASED = Path(__file__).parent.parent / "data" / "stores"


def test_the_migrations_build_exactly_the_tables_the_code_uses(store):
    with store.engine.connect() as conn:
        # The FTS5 search index is made by hand in migration 0002, not from tables.py.
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"tables.py and the migrations differ; add a migration: {diff}"


@pytest.mark.parametrize("folder", sorted(p.name for p in RELEASED.iterdir() if p.is_dir()))
def test_a_store_from_a_released_schema_opens_migrated_with_every_record(
    folder, tmp_path, monkeypatch
):
    revision = folder.removeprefix("schema-")
    for f in (RELEASED / folder).iterdir():
        shutil.copy2(f, tmp_path / f.name)
    monkeypatch.setenv("PANELAPP_PASSPHRASE", f"fixture passphrase {revision}")
    store = open_store(tmp_path / "panel.store")
    try:
        assert migrate.current_revision(store) == migrate.head_revision()
        backups = list(tmp_path.glob("panel.store.backup-*"))
        if migrate.head_revision().startswith(revision):
            assert backups == []
        else:
            assert len(backups) == 1, "a store is backed up before it is migrated"
        with store.read() as session:
            assert session.scalar(select(func.count()).select_from(AgendaItem)) == 13
            assert session.scalar(select(func.count()).select_from(DecisionRow)) == 11
            assert session.scalar(select(func.count()).select_from(DeferralRow)) == 1
        assert check_store(store).ok
    finally:
        store.close()


def test_an_interrupted_init_says_what_to_delete_and_an_empty_store_is_never_filled(
    store_path, monkeypatch
):
    from panelapp.store import keys
    from panelapp.store.errors import NotAStore, StoreExists
    from panelapp.store.lifecycle import create_store
    from panelapp.store.paths import key_file_path

    unlocked = keys.create_key(store_path)  # the key file was written, then the laptop died
    with pytest.raises(StoreExists, match="interrupted, delete"):
        create_store(store_path)
    store_path.touch()  # ... or after the empty store file appeared
    with pytest.raises(NotAStore, match="never finished"):
        open_store(store_path)
    with pytest.raises(NotAStore, match="never finished"):  # no schema was built by opening
        open_store(store_path)
    store_path.unlink()
    key_file_path(store_path).unlink()
    keys.forget_key(unlocked)
    create_store(store_path).close()


def test_the_schema_head_the_code_expects_is_the_newest_migration():
    assert migrate.SCHEMA_HEAD == migrate.head_revision(), (
        "a migration was added: set SCHEMA_HEAD in panelapp/store/migrate.py to its revision"
    )
