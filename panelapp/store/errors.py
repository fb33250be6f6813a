"""Errors of the store. Each message is one line that says what to do, and never holds a
key, a passphrase or anything read from inside the store."""

from __future__ import annotations

from panelapp.domain.errors import PanelappError


class StoreError(PanelappError):
    """Something stops the store from being opened or written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class StoreMissing(StoreError):
    pass


class StoreExists(StoreError):
    pass


class KeyUnavailable(StoreError):
    """The key exists somewhere we cannot reach now (keyring gone, key file missing)."""


class KeyFileDamaged(KeyUnavailable):
    """The key file fails its checksum or holds values out of range."""


class WrongPassphrase(StoreError):
    pass


class NotAStore(StoreError):
    """The file is not a panelapp store, or the key does not open it."""


class KeySourceChanged(StoreError):
    pass


class StoreTooNew(StoreError):
    pass


class StoreTooOld(StoreError):
    """A team store whose schema its owner has not brought up to date yet."""


class StoreLocked(StoreError):
    pass


class StoreDamaged(StoreError):
    pass


class StoreReadOnly(StoreError):
    pass


class StoreDiskFull(StoreError):
    pass
