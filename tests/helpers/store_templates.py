"""Template stores, made once per test session (per xdist worker) and copied for each test.

Creating a store (key, SQLCipher file, every migration) and building the demonstration meeting
(a dozen cases, thirty papers read through the reading process) take a second or more; copying
their files takes milliseconds. A copy is the same store byte for byte: its key goes into the
test's own in-memory keyring, so the test opens and changes it exactly as one it had created,
and nothing a test does reaches the template or another test.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import keyring
import pytest

from tests.helpers.crypto_cache import fresh_keys
from tests.helpers.memory_keyring import MemoryKeyring

_NAME = "template.store"

#: What the ``store`` fixture built on a template, for ``demo`` and ``identities`` to return.
DEMO = pytest.StashKey[object]()
IDENTITIES = pytest.StashKey[tuple[int, int]]()


@dataclass(frozen=True)
class Template:
    folder: Path
    keyring_entries: dict[tuple[str, str], str]
    built: object  # what the builder returned (the DemoMeeting of a demo store)

    def copy_to(self, store_path: Path, backend: MemoryKeyring) -> None:
        """The template's files at ``store_path`` (and its .key beside it), owner-only from
        the start as panelapp creates them, and its key in ``backend``."""
        store_path.parent.mkdir(parents=True, exist_ok=True)
        for source in sorted(self.folder.iterdir()):
            target = store_path.with_name(store_path.name + source.name.removeprefix(_NAME))
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(source.read_bytes())
        backend.entries.update(self.keyring_entries)


def chair_and_vice_identities(store, demo) -> tuple[int, int]:
    """Signing certificates for the demonstration chair and vice-chair: their member ids."""
    from panelapp.services.signing import create_signing_identity
    from panelapp.services.unit_of_work import UnitOfWork

    chair, vice = demo.member_ids["Helen Whitaker"], demo.member_ids["David Okafor"]
    with UnitOfWork(store, "Test") as uow:
        create_signing_identity(uow, chair)
        create_signing_identity(uow, vice)
    return chair, vice


class StoreTemplates:
    """Lazily built templates: an empty store, the demonstration meeting (per meeting day), the
    same with the chair's and vice-chair's signing identities, and what ``panelapp demo``
    makes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: dict[object, Template] = {}

    def empty(self) -> Template:
        return self._template("empty", _on_new_store(lambda store: None))

    def demo(self, today: date, actor: str = "Joanne Pike") -> Template:
        """The demonstration meeting; ``built`` is its DemoMeeting."""
        from panelapp.services.demo import build_demo

        return self._template(
            ("demo", today, actor),
            _on_new_store(lambda store: build_demo(store, actor=actor, today=today)),
        )

    def demo_with_identities(self, today: date, actor: str = "Joanne Pike") -> Template:
        """The demonstration meeting with signing certificates for its chair and vice-chair,
        as the ``identities`` fixture of tests/minutes makes them; ``built`` is
        (DemoMeeting, (chair id, vice-chair id))."""
        demo = self.demo(today, actor)

        def build(path: Path, backend: MemoryKeyring):
            from panelapp.store.lifecycle import open_store

            demo.copy_to(path, backend)
            store = open_store(path)
            try:
                return demo.built, chair_and_vice_identities(store, demo.built)
            finally:
                store.close()

        return self._template(("demo+identities", today, actor), build)

    def passphrase(self, passphrase: str) -> Template:
        """An empty store whose key is wrapped with ``passphrase`` in its key file."""
        from panelapp.store.keys import KeySource

        return self._template(
            ("passphrase", passphrase),
            _on_new_store(
                lambda store: None,
                key_source=KeySource.PASSPHRASE,
                passphrase_provider=lambda *_: passphrase,
            ),
        )

    def made_by_demo_command(self) -> Template:
        """The store ``panelapp demo`` makes where there is none (on its own day, by its own
        actor); its output is not kept."""

        def build(path: Path, backend: MemoryKeyring) -> None:
            import contextlib
            import io

            from panelapp.cli import main

            with contextlib.redirect_stdout(io.StringIO()):
                assert main(["--store", str(path), "demo"]) == 0

        return self._template("demo command", build)

    def _template(self, key, build: Callable[[Path, MemoryKeyring], object]) -> Template:
        if key not in self._made:
            self._made[key] = self._make(len(self._made), build)
        return self._made[key]

    def _make(self, number: int, build: Callable[[Path, MemoryKeyring], object]) -> Template:
        folder = self.root / f"template-{number}"
        folder.mkdir()
        backend, previous = MemoryKeyring(), keyring.get_keyring()
        keyring.set_keyring(backend)
        try:
            with fresh_keys():
                built = build(folder / _NAME, backend)
        finally:
            keyring.set_keyring(previous)
        leftovers = [p.name for p in folder.iterdir() if p.name.endswith(("-wal", "-shm"))]
        assert not leftovers, f"the template store was not closed cleanly: {leftovers}"
        return Template(folder, dict(backend.entries), built)


def _on_new_store(
    build: Callable[[object], object], **create
) -> Callable[[Path, MemoryKeyring], object]:
    """A builder that creates the store (``create``: create_store's options), builds on it and
    closes it."""

    def on_new_store(path: Path, backend: MemoryKeyring) -> object:
        from panelapp.store.lifecycle import create_store

        store = create_store(path, **create)
        try:
            return build(store)
        finally:
            store.close()

    return on_new_store
