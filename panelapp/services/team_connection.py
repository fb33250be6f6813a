"""The team store this computer works with: set (after the password and the server's
certificate are checked), shown, and forgotten. The URL is saved as ``panelapp team use``
saves it, the password kept in the OS keyring as ``panelapp team connect`` keeps it; the
password is never written anywhere else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from panelapp.store.lifecycle import open_team_store
from panelapp.store.paths import team_setting_path
from panelapp.store.team_url import (
    forget_password,
    parse_team_url,
    remember_password,
    stored_password,
)


@dataclass(frozen=True)
class TeamConnection:
    #: the URL as saved (no password in it), or None when no team store is set
    url: str | None
    #: where it is, for people ("panel_team on db.council.example")
    label: str = ""
    #: whether its password is kept in the OS keyring
    password_kept: bool = False


def team_connection() -> TeamConnection:
    """The team store saved on this computer (``panelapp team use``), if any."""
    try:
        saved = team_setting_path().read_text(encoding="utf-8").strip()
    except OSError:
        saved = ""
    if not saved:
        return TeamConnection(None)
    team = parse_team_url(saved)
    return TeamConnection(team.text, team.label, stored_password(team) is not None)


def connect_team(url: str, password: str) -> TeamConnection:
    """Open the team store with ``password`` (the server's certificate verified), then save it
    as this computer's team store and keep the password in the OS keyring. Nothing is saved
    when the server cannot be reached or refuses the password (the error says which)."""
    team = parse_team_url(url)
    earlier = stored_password(team)  # the store would take a kept password before this one
    if earlier is not None:
        forget_password(team)
    try:
        open_team_store(team.text, password_prompt=lambda _prompt: password).close()
    except BaseException:
        if earlier is not None:
            remember_password(team, earlier)  # a refused password loses the kept one no more
        raise
    kept = remember_password(team, password)
    _save(team.text)
    return TeamConnection(team.text, team.label, kept)


def use_team(url: str, *, password_prompt: Callable[[str], str]) -> Path:
    """Save the team store at ``url`` as this computer's (the one the commands and the window
    use), after checking that it opens (``password_prompt`` asked if the OS keyring keeps no
    password for it); nothing is saved if it does not. Returns where the choice is saved."""
    team = parse_team_url(url)
    open_team_store(team.text, password_prompt=password_prompt).close()
    return _save(team.text)


def _save(url: str) -> Path:
    setting = team_setting_path()
    setting.parent.mkdir(parents=True, exist_ok=True)
    setting.write_text(url + "\n", encoding="utf-8")
    return setting


def stop_using_team(*, forget: bool = True) -> None:
    """Go back to the local store: the saved team store is removed (and, with ``forget``, its
    password from the OS keyring)."""
    current = team_connection() if forget else None
    team_setting_path().unlink(missing_ok=True)
    if current is not None and current.url:
        forget_password(current.url)
