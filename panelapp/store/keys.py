"""The one module that owns the store key.

The key is 256 random bits used by SQLCipher as a raw key, so opening the store costs no key
derivation. It lives in the OS keyring when there is a usable one. Where there is none (a
headless Linux session reports keyring's ``fail`` backend), the key is wrapped with a passphrase
(Argon2id, then AES-256-GCM) in a small key file beside the store.

The key file always exists: it names the store and records where its key was put when the store
was created. If that place changes (the keyring vanished, or the file was swapped), opening stops
with an explanation rather than quietly creating or moving keys.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from panelapp.store.errors import (
    KeyFileDamaged,
    KeySourceChanged,
    KeyUnavailable,
    StoreError,
    WrongPassphrase,
)
from panelapp.store.paths import key_file_path

logger = logging.getLogger(__name__)

KEYRING_SERVICE = "panelapp"
KEY_BYTES = 32
KEY_FILE_FORMAT = 1
MIN_PASSPHRASE_LENGTH = 10
PASSPHRASE_ENV = "PANELAPP_PASSPHRASE"

#: Argon2id cost: 64 MiB and 3 passes, about a tenth of a second on a laptop.
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_ITERATIONS = 3
ARGON2_LANES = 4

#: What a key file may ask for, checked before any key derivation runs: a damaged or crafted
#: file must not make the open take gigabytes or hours.
MEMORY_KIB_RANGE = (8 * 1024, 1024 * 1024)
ITERATIONS_RANGE = (1, 16)
LANES_RANGE = (1, 16)
SALT_BYTES_RANGE = (16, 64)
NONCE_BYTES = 12
SEALED_KEY_BYTES = KEY_BYTES + 16  # the key and its GCM tag


class KeySource(StrEnum):
    KEYRING = "keyring"
    PASSPHRASE = "passphrase"


#: Asks the person for a passphrase. ``confirm`` is True when a new one is being chosen.
PassphraseProvider = Callable[[str, bool], str]


@dataclass(frozen=True)
class KeyFile:
    store_id: str
    source: KeySource
    created_at: str
    wrap: dict[str, Any] | None = None

    #: False for a key file written before key files carried a checksum.
    has_checksum: bool = True

    def to_json(self) -> str:
        body = {
            "format": KEY_FILE_FORMAT,
            "application": "panelapp",
            "store_id": self.store_id,
            "key_source": self.source.value,
            "created_at": self.created_at,
        }
        if self.wrap is not None:
            body["wrapped_key"] = self.wrap
        body["checksum"] = _checksum(body)
        return json.dumps(body, indent=2, sort_keys=True) + "\n"


def _checksum(body: dict[str, Any]) -> str:
    """SHA-256 over every other field (none of them secret: the key in it is sealed), so a
    changed byte is found as damage before any passphrase is tried."""
    fields = {k: v for k, v in body.items() if k != "checksum"}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class UnlockedKey:
    key: bytes
    key_file: KeyFile

    @property
    def store_id(self) -> str:
        return self.key_file.store_id

    @property
    def source(self) -> KeySource:
        return self.key_file.source

    def __repr__(self) -> str:  # never show the key
        return f"UnlockedKey(store_id={self.store_id!r}, source={self.source.value!r})"


# keyring (about a third of a second to import: it pulls in urllib, email, importlib_metadata)
# and cryptography are imported where they are used, so that learning whether a store needs a
# passphrase, and drawing the unlock dialog, waits for neither.


def keyring_problem() -> str | None:
    """Why the OS keyring cannot hold the key here, or None when it can."""
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception as exc:  # keyring may fail while choosing a backend
        return f"the OS keyring could not be loaded ({type(exc).__name__})"
    module = type(backend).__module__
    if module.startswith("keyring.backends.fail") or getattr(backend, "priority", 1) <= 0:
        return "no OS keyring is available in this session"
    return None


def _keyring_user(store_id: str) -> str:
    return f"store-key:{store_id}"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _kek(passphrase: str, salt: bytes, memory_kib: int, iterations: int, lanes: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    return Argon2id(
        salt=salt, length=32, iterations=iterations, lanes=lanes, memory_cost=memory_kib
    ).derive(passphrase.encode("utf-8"))


def _aad(store_id: str) -> bytes:
    return f"panelapp-store-key:{store_id}".encode()


def wrap_key(key: bytes, passphrase: str, store_id: str) -> dict[str, Any]:
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    kek = _kek(passphrase, salt, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_LANES)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    sealed = AESGCM(kek).encrypt(nonce, key, _aad(store_id))
    return {
        "kdf": "argon2id",
        "memory_kib": ARGON2_MEMORY_KIB,
        "iterations": ARGON2_ITERATIONS,
        "lanes": ARGON2_LANES,
        "salt": _b64(salt),
        "cipher": "aes-256-gcm",
        "nonce": _b64(nonce),
        "sealed_key": _b64(sealed),
    }


@dataclass(frozen=True)
class _Wrap:
    salt: bytes
    memory_kib: int
    iterations: int
    lanes: int
    nonce: bytes
    sealed: bytes


def _whole(value: object, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:  # bool, float, str: all refused
        raise ValueError
    return value


def _bytes(value: object, low: int, high: int) -> bytes:
    if not isinstance(value, str) or len(value) > 4 * high:
        raise ValueError
    raw = _unb64(value)
    if not low <= len(raw) <= high:
        raise ValueError
    return raw


def check_wrap(wrap: object, sealed_bytes: tuple[int, int] | None = None) -> _Wrap:
    """Every field of a wrapped key, within fixed ranges; ValueError otherwise.
    ``sealed_bytes``: the sealed secret's length range (default: a 256-bit store key)."""
    sealed_low, sealed_high = sealed_bytes or (SEALED_KEY_BYTES, SEALED_KEY_BYTES)
    if not isinstance(wrap, dict):
        raise ValueError
    if wrap.get("kdf") != "argon2id" or wrap.get("cipher") != "aes-256-gcm":
        raise ValueError
    return _Wrap(
        salt=_bytes(wrap.get("salt"), *SALT_BYTES_RANGE),
        memory_kib=_whole(wrap.get("memory_kib"), *MEMORY_KIB_RANGE),
        iterations=_whole(wrap.get("iterations"), *ITERATIONS_RANGE),
        lanes=_whole(wrap.get("lanes"), *LANES_RANGE),
        nonce=_bytes(wrap.get("nonce"), NONCE_BYTES, NONCE_BYTES),
        sealed=_bytes(wrap.get("sealed_key"), sealed_low, sealed_high),
    )


def unwrap_key(
    wrap: dict[str, Any],
    passphrase: str,
    store_id: str,
    *,
    sealed_bytes: tuple[int, int] | None = None,
) -> bytes:
    """The secret ``wrap_key`` sealed. ``sealed_bytes`` widens the sealed length for secrets
    other than the store key (a member's signing key)."""
    try:
        checked = check_wrap(wrap, sealed_bytes)
    except (KeyError, ValueError, TypeError):
        raise _damaged_key_file() from None
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        kek = _kek(passphrase, checked.salt, checked.memory_kib, checked.iterations, checked.lanes)
        return AESGCM(kek).decrypt(checked.nonce, checked.sealed, _aad(store_id))
    except InvalidTag:
        raise WrongPassphrase(
            "That passphrase does not unlock this store. Check it (capitals, spaces) and try again."
        ) from None
    except (KeyError, ValueError, TypeError):
        raise KeyUnavailable(
            "The store's key file is damaged. Restore the .key file from the same backup as the store."
        ) from None


def _damaged_key_file(name: str = "The store's key file") -> KeyFileDamaged:
    return KeyFileDamaged(
        f"{name} is damaged (its contents do not match their checksum or are out of range), "
        "so it was not used; this is not a passphrase problem. Restore the .key file from "
        "the same backup as the store."
    )


def read_key_file(store_path: Path) -> KeyFile:
    path = key_file_path(store_path)
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyUnavailable(
            f"The key file {path.name} is missing beside the store. Restore it from the same "
            "backup as the store; without it the store cannot be opened."
        ) from None
    except OSError:
        raise KeyUnavailable(
            f"The key file {path.name} cannot be read. Restore it from the same backup as the store."
        ) from None
    except ValueError:  # not JSON (or not text) any more: damaged
        raise _damaged_key_file(f"The key file {path.name}") from None
    if not isinstance(body, dict):
        raise _damaged_key_file(f"The key file {path.name}")
    checksum = body.get("checksum")
    if checksum is not None and checksum != _checksum(body):
        raise _damaged_key_file(f"The key file {path.name}")
    try:
        if body.get("format") != KEY_FILE_FORMAT or body.get("application") != "panelapp":
            raise ValueError
        source = KeySource(body["key_source"])
        store_id = body["store_id"]
        if not isinstance(store_id, str) or len(store_id) > 64:
            raise ValueError
        uuid.UUID(store_id)
        if not isinstance(body["created_at"], str) or len(body["created_at"]) > 64:
            raise ValueError
        wrap = body.get("wrapped_key")
        if source is KeySource.PASSPHRASE:
            check_wrap(wrap)
    except (KeyError, ValueError, TypeError):
        if checksum is None:
            raise KeyUnavailable(
                f"The key file {path.name} is not one panelapp understands, or it is damaged. "
                "Restore it from the same backup as the store."
            ) from None
        raise _damaged_key_file(f"The key file {path.name}") from None
    return KeyFile(
        store_id,
        source,
        body["created_at"],
        wrap,
        has_checksum=checksum is not None,
    )


def _write_atomically(path: Path, text: str) -> None:
    """Write then rename, so a crash never leaves half a key file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)  # left by a crash: never write through someone else's file
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def passphrase_from_env() -> str | None:
    return os.environ.get(PASSPHRASE_ENV) or None


def create_key(
    store_path: Path,
    *,
    passphrase_provider: PassphraseProvider | None = None,
    source: KeySource | None = None,
) -> UnlockedKey:
    """Make a new key for a new store and put it in the keyring or a passphrase key file."""
    if source is None:
        source = KeySource.KEYRING if keyring_problem() is None else KeySource.PASSPHRASE
    store_id = str(uuid.uuid4())
    key = secrets.token_bytes(KEY_BYTES)
    created = datetime.now(UTC).isoformat(timespec="seconds")
    if source is KeySource.KEYRING:
        problem = keyring_problem()
        if problem:
            raise KeyUnavailable(
                f"Cannot keep the key in the OS keyring: {problem}. Use a passphrase instead."
            )
        import keyring.errors

        try:
            keyring.set_password(KEYRING_SERVICE, _keyring_user(store_id), key.hex())
        except keyring.errors.KeyringError as exc:
            raise KeyUnavailable(
                f"The OS keyring refused to store the key ({type(exc).__name__}). Unlock the "
                "keyring or use a passphrase instead."
            ) from None
        key_file = KeyFile(store_id, source, created)
    else:
        passphrase = passphrase_from_env()
        if passphrase is None:
            if passphrase_provider is None:
                raise KeyUnavailable(
                    "No OS keyring here, so the store needs a passphrase: set PANELAPP_PASSPHRASE "
                    "or run the command in a terminal to be asked for one."
                )
            passphrase = passphrase_provider("Choose a passphrase for the new store", True)
        if len(passphrase) < MIN_PASSPHRASE_LENGTH:
            raise WrongPassphrase(
                f"The passphrase must be at least {MIN_PASSPHRASE_LENGTH} characters. "
                "A few unrelated words make a good one."
            )
        key_file = KeyFile(store_id, source, created, wrap_key(key, passphrase, store_id))
    _write_atomically(key_file_path(store_path), key_file.to_json())
    logger.info("created a store key kept by %s", source.value)
    return UnlockedKey(key, key_file)


def load_key(
    store_path: Path, *, passphrase_provider: PassphraseProvider | None = None
) -> UnlockedKey:
    """Find the key of an existing store where the key file says it was put."""
    key_file = read_key_file(store_path)
    if key_file.source is KeySource.KEYRING:
        problem = keyring_problem()
        if problem:
            raise KeySourceChanged(
                f"This store's key was put in the OS keyring when it was created, but {problem}. "
                "Open it in the desktop session where it was created (the keyring must be "
                "unlocked); panelapp will not switch to a passphrase on its own."
            )
        import keyring.errors

        try:
            stored = keyring.get_password(KEYRING_SERVICE, _keyring_user(key_file.store_id))
        except keyring.errors.KeyringError as exc:
            raise KeyUnavailable(
                f"The OS keyring would not give the store key ({type(exc).__name__}). Unlock the "
                "keyring and try again."
            ) from None
        if not stored:
            raise KeyUnavailable(
                "The OS keyring holds no key for this store. It may have been created under "
                "another user account or the keyring was reset; open it where it was created."
            )
        try:
            key = bytes.fromhex(stored)
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise KeyUnavailable("The key kept in the OS keyring for this store is damaged.")
        _add_checksum(store_path, key_file)
        return UnlockedKey(key, key_file)
    passphrase = passphrase_from_env()
    if passphrase is None:
        if passphrase_provider is None:
            raise KeyUnavailable(
                "This store is locked with a passphrase: set PANELAPP_PASSPHRASE or run the "
                "command in a terminal to be asked for it."
            )
        passphrase = passphrase_provider("Passphrase for the store", False)
    key = unwrap_key(key_file.wrap or {}, passphrase, key_file.store_id)
    _add_checksum(store_path, key_file)
    return UnlockedKey(key, key_file)


def _add_checksum(store_path: Path, key_file: KeyFile) -> None:
    """A key file from before checksums gets one, once it has proved itself by unlocking."""
    if key_file.has_checksum:
        return
    try:
        _write_atomically(key_file_path(store_path), key_file.to_json())
        logger.info("added a checksum to the store's key file")
    except OSError:  # a read-only folder: the file still works without it
        logger.info("could not add a checksum to the store's key file")


def forget_key(unlocked: UnlockedKey) -> None:
    """Remove a keyring entry (used when creating a store fails half-way)."""
    if unlocked.source is KeySource.KEYRING:
        import keyring.errors

        try:
            keyring.delete_password(KEYRING_SERVICE, _keyring_user(unlocked.store_id))
        except keyring.errors.KeyringError:
            logger.warning("could not remove an unused key from the keyring")


__all__ = [
    "KeyFile",
    "KeySource",
    "StoreError",
    "UnlockedKey",
    "create_key",
    "forget_key",
    "keyring_problem",
    "load_key",
    "read_key_file",
]
