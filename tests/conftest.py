"""Fixtures for every test: an in-memory keyring (the only fake: CI has no OS keyring),
user folders in a temporary directory, and a fresh encrypted store on a real SQLCipher file
(a copy of a template made once per session: tests/helpers/store_templates.py)."""

from __future__ import annotations

import logging
import os
from datetime import date

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring  # noqa: E402
import pytest  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402
from hypothesis import settings  # noqa: E402

from tests.helpers.crypto_cache import DerivationCache, KeyPool, LoadCache  # noqa: E402
from tests.helpers.memory_keyring import MemoryKeyring  # noqa: E402
from tests.helpers.store_templates import (  # noqa: E402
    DEMO,
    IDENTITIES,
    StoreTemplates,
    chair_and_vice_identities,
)

# Generated tests never fail on a slow or busy machine's timing, only on what they check. In CI
# they are also derandomised, so a run proves what it proves the same way every time; locally
# each run explores new examples.
settings.register_profile("panelapp", deadline=None, print_blob=True)
settings.register_profile("ci", parent=settings.get_profile("panelapp"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "panelapp")


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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "real_crypto: generate RSA keys and derive Argon2id keys afresh, bypassing the session's "
        "caches (tests/helpers/crypto_cache.py)",
    )


@pytest.fixture(scope="session")
def _key_pool():
    return KeyPool()


@pytest.fixture(scope="session")
def _derivations():
    from panelapp.store import keys

    return DerivationCache(keys._kek)


@pytest.fixture(scope="session")
def _key_loads():
    return {
        name: LoadCache(getattr(serialization, name))
        for name in ("load_pem_private_key", "load_der_private_key")
    }


@pytest.fixture(autouse=True)
def cached_crypto(request, monkeypatch, _key_pool, _derivations, _key_loads):
    """Signing keys from the session's pool, Argon2id results and loaded private keys looked
    up when already made (see tests/helpers/crypto_cache.py); not for tests marked
    ``real_crypto``."""
    if request.node.get_closest_marker("real_crypto"):
        return
    from panelapp.store import keys

    monkeypatch.setattr(rsa, "generate_private_key", _key_pool.for_one_test())
    monkeypatch.setattr(keys, "_kek", _derivations)
    for name, cached in _key_loads.items():
        monkeypatch.setattr(serialization, name, cached)


@pytest.fixture(scope="session")
def store_templates(tmp_path_factory):
    return StoreTemplates(tmp_path_factory.mktemp("store-templates"))


@pytest.fixture
def store(store_path, memory_keyring, store_templates, request):
    """A new store, opened. When the test also uses ``demo`` (or ``identities``), it is a copy
    of a store the demo was built on (with this test's ``today``) (and the identities made),
    which those fixtures then return."""
    from panelapp.store.lifecycle import open_store

    if "identities" in request.fixturenames:
        template = store_templates.demo_with_identities(request.getfixturevalue("today"))
        request.node.stash[DEMO], request.node.stash[IDENTITIES] = template.built
    elif "demo" in request.fixturenames:
        template = store_templates.demo(request.getfixturevalue("today"))
        request.node.stash[DEMO] = template.built
    else:
        template = store_templates.empty()
    template.copy_to(store_path, memory_keyring)
    opened = open_store(store_path)
    yield opened
    opened.close()


@pytest.fixture
def demo_command_store(store_path, memory_keyring, store_templates):
    """``store_path`` holding what ``panelapp demo`` makes there (the demonstration meeting on
    the day of the session), not opened."""
    store_templates.made_by_demo_command().copy_to(store_path, memory_keyring)
    return store_path


@pytest.fixture
def passphrase_store_file(store_path, memory_keyring, store_templates, monkeypatch):
    """A new store at ``store_path`` (not opened) whose key is wrapped with a passphrase in its
    key file, that passphrase given in PANELAPP_PASSPHRASE; returns the passphrase."""
    passphrase = "a long enough passphrase"
    monkeypatch.setenv("PANELAPP_PASSPHRASE", passphrase)
    store_templates.passphrase(passphrase).copy_to(store_path, memory_keyring)
    return passphrase


@pytest.fixture
def short_lock_wait(monkeypatch):
    """Another program's lock is waited for one second, not panelapp's five: a test of a locked
    store sees the same wait and refusal sooner. Request it before ``store``."""
    from panelapp.store import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 1000)


@pytest.fixture
def today():
    """A fixed meeting day, so statutory dates in assertions never drift."""
    return date(2026, 3, 12)


@pytest.fixture
def demo(store, today, request):
    """The demonstration meeting in ``store`` (built there on a template, see ``store``)."""
    if DEMO in request.node.stash:
        return request.node.stash[DEMO]
    from panelapp.services.demo import build_demo

    return build_demo(store, actor="Joanne Pike", today=today)


@pytest.fixture
def identities(store, demo, request):
    """Signing certificates for the chair and the vice-chair (member ids); made on the store's
    template when the store fixture saw this fixture coming (tests/conftest.py)."""
    if IDENTITIES in request.node.stash:
        return request.node.stash[IDENTITIES]
    return chair_and_vice_identities(store, demo)


@pytest.fixture
def signed_minutes(store, demo, identities):
    """The demonstration minutes generated (initials) and signed by the chair: (info, bytes)."""
    from panelapp.domain.vocabulary import NamingMode
    from panelapp.services.minutes import generate_minutes, minutes_document, sign_minutes
    from panelapp.services.unit_of_work import UnitOfWork

    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    with UnitOfWork(store, "Helen Whitaker") as uow:
        sign_minutes(uow, demo.meeting_id, identities[0])
    with store.read() as session:
        return minutes_document(session, demo.meeting_id)
