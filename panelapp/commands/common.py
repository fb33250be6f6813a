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

from panelapp.store.errors import KeyUnavailable, StoreError, WrongPassphrase

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
    """The team store's URL: ``--team``, else (unless ``--store`` names a local file)
    ``PANELAPP_TEAM_URL``, else the one saved by ``panelapp team use``; None for the local
    store."""
    return team_choice(args)[0]


def team_choice(args) -> tuple[str | None, str]:
    """The team store's URL (None for the local store) and where that choice came from."""
    given = getattr(args, "team", None)
    if given and getattr(args, "store", None):
        raise StoreError(
            "Give either --store (a local store file) or --team (the team store), not both."
        )
    if given:
        return given, "--team"
    if getattr(args, "store", None):
        return None, "--store"
    if os.environ.get(TEAM_URL_ENV):
        return os.environ[TEAM_URL_ENV], TEAM_URL_ENV
    saved = saved_team_url()
    if saved:
        return saved, "panelapp team use"
    return None, "the default"


def saved_team_url() -> str | None:
    """The URL saved by ``panelapp team use``, if any."""
    from panelapp.store.paths import team_setting_path

    try:
        return team_setting_path().read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None
    except OSError:
        raise StoreError(
            f"The saved team store setting {team_setting_path()} could not be read. Remove it, "
            "or give --store or --team."
        ) from None


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
