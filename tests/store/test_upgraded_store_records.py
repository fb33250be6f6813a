"""A store made before record digests gets a baseline when it is upgraded: its records are then
covered like any other, so an edit made afterwards outside panelapp is named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlcipher3

from panelapp.store.integrity import check_store
from panelapp.store.keys import load_key
from panelapp.store.lifecycle import open_store

RELEASED = Path(__file__).parent.parent / "data" / "stores"


@pytest.mark.parametrize("folder", sorted(p.name for p in RELEASED.iterdir() if p.is_dir()))
def test_an_upgraded_store_names_a_decision_edited_after_the_upgrade(folder, tmp_path, monkeypatch):
    revision = folder.removeprefix("schema-")
    for f in (RELEASED / folder).iterdir():
        shutil.copy2(f, tmp_path / f.name)
    monkeypatch.setenv("PANELAPP_PASSPHRASE", f"fixture passphrase {revision}")
    path = tmp_path / "panel.store"
    store = open_store(path)
    try:
        assert check_store(store).ok
        key = load_key(path).key
        raw = sqlcipher3.connect(str(path), isolation_level=None)
        raw.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        decision = raw.execute("SELECT min(id) FROM decisions").fetchone()[0]
        raw.execute("UPDATE decisions SET rationale = 'Refused.' WHERE id = ?", (decision,))
        raw.close()

        problems = check_store(store).problems
    finally:
        store.close()

    named = [p for p in problems if p.startswith("The decision")]
    assert named == [
        next(p for p in problems if p.startswith(f"The decision {decision} (table decisions) "))
    ]
    assert "differs from its last audited state" in named[0]
