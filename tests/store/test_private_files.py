"""Files panelapp writes (the log, the key file and its temporary file, migration backups) are
created readable by their owner only from the start, never created open and tightened later."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from panelapp.logging_setup import configure_logging
from panelapp.store.keys import KeySource
from panelapp.store.lifecycle import create_store, open_store
from panelapp.store.paths import key_file_path

RELEASED = Path(__file__).resolve().parents[1] / "data" / "stores"
pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture
def chmod_calls(monkeypatch):
    """Every os.chmod made (each is still made): there should be none."""
    calls = []
    real = os.chmod

    def recording(path, mode, *args, **kwargs):
        calls.append(Path(path).name)
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "chmod", recording)
    old = os.umask(0o022)
    yield calls
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_log_file_is_private(tmp_path, chmod_calls, restore_logging):
    log = configure_logging(directory=tmp_path / "log")
    import logging

    logging.getLogger("panelapp.test").warning("an event")
    assert _mode(log) == 0o600
    assert chmod_calls == []


def test_the_key_file_is_private_from_the_start(store_path, chmod_calls, monkeypatch):
    monkeypatch.setenv("PANELAPP_PASSPHRASE", "a long enough passphrase")
    create_store(store_path, key_source=KeySource.PASSPHRASE).close()
    assert _mode(key_file_path(store_path)) == 0o600
    assert _mode(store_path) == 0o600
    assert chmod_calls == []


def test_a_migration_backup_is_private_from_the_start(tmp_path, chmod_calls, monkeypatch):
    folder = sorted(p for p in RELEASED.iterdir() if p.is_dir())[0]
    for f in folder.iterdir():
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "panel.store").chmod(0o600)
    chmod_calls.clear()
    revision = folder.name.removeprefix("schema-")
    monkeypatch.setenv("PANELAPP_PASSPHRASE", f"fixture passphrase {revision}")
    open_store(tmp_path / "panel.store").close()
    (backup,) = tmp_path.glob("panel.store.backup-*")
    assert _mode(backup) == 0o600
    assert chmod_calls == []
