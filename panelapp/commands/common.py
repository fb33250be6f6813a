"""What every command needs: the store path from ``--store`` (or the team store from ``--team``
or ``PANELAPP_TEAM_URL``), opening it with a passphrase or password prompt where needed, and the
exit codes."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from panelapp.store.errors import KeyUnavailable, WrongPassphrase

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2

#: the team store's URL when ``--team`` is not given (``--store`` given instead wins over it)
TEAM_URL_ENV = "PANELAPP_TEAM_URL"


def prompt_passphrase(prompt: str, confirm: bool) -> str:
    if not sys.stdin.isatty():
        raise KeyUnavailable(
            "A passphrase is needed but there is no terminal to ask in: set PANELAPP_PASSPHRASE."
        )
    first = getpass.getpass(f"{prompt}: ")
    if confirm and getpass.getpass("Type it again: ") != first:
        raise WrongPassphrase("The two passphrases differ. Run the command again.")
    return first


def store_path(args) -> Path:
    from panelapp.store.paths import default_store_path

    return Path(args.store).expanduser() if args.store else default_store_path()


def prompt_team_password(prompt: str) -> str:
    """The team store's password, asked for at the terminal (never echoed, never logged)."""
    if not sys.stdin.isatty():
        from panelapp.store.team_url import KEYRING_SERVICE

        raise KeyUnavailable(
            "The team store's password is not in the OS keyring and there is no terminal to "
            f"ask in. Keep it there once with 'panelapp team connect URL' (keyring service "
            f"{KEYRING_SERVICE})."
        )
    return getpass.getpass(f"{prompt}: ")


def team_url(args) -> str | None:
    """The team store's URL: ``--team``, else ``PANELAPP_TEAM_URL`` unless ``--store`` names a
    local file; None for the local store."""
    given = getattr(args, "team", None)
    if given and getattr(args, "store", None):
        from panelapp.store.errors import StoreError

        raise StoreError(
            "Give either --store (a local store file) or --team (the team store), not both."
        )
    if given:
        return given
    if getattr(args, "store", None):
        return None
    return os.environ.get(TEAM_URL_ENV) or None


def open_from_args(args, *, writing: bool = False):
    """Open the store named by ``--store`` (or the default one), or the team store named by
    ``--team`` / ``PANELAPP_TEAM_URL``. ``writing``: the command changes the store, so a
    damaged or read-only store is refused before anything is done. Exports a killed command
    left half-done are finished or removed first."""
    from panelapp.services.export_files import recover_exports
    from panelapp.store.lifecycle import open_store, open_team_store

    url = team_url(args)
    if url is not None:
        store = open_team_store(url, password_prompt=prompt_team_password)
    else:
        store = open_store(store_path(args), passphrase_provider=prompt_passphrase, writing=writing)
    try:
        recover_exports(store)
    except BaseException:
        store.close()
        raise
    return store


@contextmanager
def opened_store(args, *, writing: bool = False) -> Iterator:
    """The store for one command, closed when the command is done, whatever happens."""
    store = open_from_args(args, writing=writing)
    try:
        yield store
    finally:
        store.close()
