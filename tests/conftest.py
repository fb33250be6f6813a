"""Fixtures for every test: an in-memory keyring (the only fake: CI has no OS keyring),
user folders in a temporary directory, and a fresh encrypted store on a real SQLCipher file."""

from __future__ import annotations

import logging
import os
from datetime import date

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402

# Generated tests never fail on a slow or busy machine's timing, only on what they check. In CI
# they are also derandomised, so a run proves what it proves the same way every time; locally
# each run explores new examples.
settings.register_profile("panelapp", deadline=None, print_blob=True)
settings.register_profile("ci", parent=settings.get_profile("panelapp"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "panelapp")


class MemoryKeyring(KeyringBackend):
    """Holds passwords in a dict for one test."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        self.entries.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def user_folders(tmp_path, monkeypatch):
    """Point every platform folder (data, logs, config) into the test's own directory."""
    home = tmp_path / "home"
    home.mkdir()
    for var, sub in (
        ("HOME", ""),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
    ):
        monkeypatch.setenv(var, str(home / sub) if sub else str(home))
    monkeypatch.delenv("PANELAPP_PASSPHRASE", raising=False)
    # Each signer's own signing passphrase, as automation gives it (tests of signing without
    # it remove it).
    monkeypatch.setenv("PANELAPP_SIGNING_PASSPHRASE", "the signer's own passphrase")
    return home


@pytest.fixture(autouse=True)
def restore_logging():
    """``panelapp.cli.main`` adds a log handler for the test's folder; take it off again."""
    root = logging.getLogger()
    before = list(root.handlers)
    yield
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture
def store_path(tmp_path):
    return tmp_path / "panel.store"


@pytest.fixture
def store(store_path):
    from panelapp.store.lifecycle import create_store

    opened = create_store(store_path)
    yield opened
    opened.close()


@pytest.fixture
def today():
    """A fixed meeting day, so statutory dates in assertions never drift."""
    return date(2026, 3, 12)


@pytest.fixture
def demo(store, today):
    from panelapp.services.demo import build_demo

    return build_demo(store, actor="Joanne Pike", today=today)
