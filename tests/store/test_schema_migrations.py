"""Every schema change is a migration, and stores from released schemas still open."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from panelapp.store import migrate
from panelapp.store.integrity import check_store
from panelapp.store.lifecycle import open_store
from panelapp.store.tables import AgendaItem, Base, DecisionRow, DeferralRow

RELEASED = Path(__file__).parent.parent / "data" / "stores"


def test_the_migrations_build_exactly_the_tables_the_code_uses(store):
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"tables.py and the migrations differ; add a migration: {diff}"


@pytest.mark.parametrize("folder", sorted(p.name for p in RELEASED.iterdir() if p.is_dir()))
def test_a_store_from_a_released_schema_opens_migrated_with_every_record(folder, tmp_path, monkeypatch):
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
