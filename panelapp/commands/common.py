"""What every command needs: the store path from ``--store``, opening it with a passphrase
prompt where needed, and the exit codes."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from panelapp.store.errors import KeyUnavailable, WrongPassphrase

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


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


def open_from_args(args, *, writing: bool = False):
    """Open the store named by ``--store`` (or the default one). ``writing``: the command
    changes the store, so a damaged or read-only store is refused before anything is done.
    Exports a killed command left half-done are finished or removed first."""
    from panelapp.services.export_files import recover_exports
    from panelapp.store.lifecycle import open_store

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
