"""A keyring backend for benchmark processes only: it keeps store keys in a JSON file named by
``PANELAPP_BENCH_KEYRING`` (in the benchmark's scratch folder, deleted with it).

Why: panelapp keeps a store's key in the OS keyring, and the laptops it runs on have one. The
benchmark machine may not (a server or container reports keyring's ``fail`` backend), and
every measuring process is a new process, so an in-memory keyring as in the tests would not do.
Selected with ``PYTHON_KEYRING_BACKEND=bench_keyring.FileKeyring`` (keyring's own variable).
It holds only the random keys of throw-away stores of fictional data. Never use it elsewhere.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend

ENV = "PANELAPP_BENCH_KEYRING"


class FileKeyring(KeyringBackend):
    priority = 1

    def _path(self) -> Path:
        return Path(os.environ[ENV])

    def _load(self) -> dict:
        try:
            return json.loads(self._path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def get_password(self, service, username):
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service, username, password):
        entries = self._load()
        entries[f"{service}\n{username}"] = password
        path = self._path()
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entries), encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)

    def delete_password(self, service, username):
        entries = self._load()
        entries.pop(f"{service}\n{username}", None)
        self._path().write_text(json.dumps(entries), encoding="utf-8")
