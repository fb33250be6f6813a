"""The team store from the command line: create its schema on the council's PostgreSQL server,
and keep its password in the OS keyring. Every other command works on it with ``--team URL``."""

from __future__ import annotations

import getpass
import sys

from panelapp.commands.common import (
    EXIT_OK,
    EXIT_USAGE,
    prompt_team_password,
    store_path,
    team_choice,
)


def cmd_team_init(args) -> int:
    from panelapp.store.lifecycle import create_team_store
    from panelapp.store.team import server_facts
    from panelapp.store.team_url import parse_team_url

    team = parse_team_url(args.url)
    store = create_team_store(args.url, password_prompt=prompt_team_password)
    try:
        facts = server_facts(store)
    finally:
        store.close()
    print(
        f"Created panelapp's schema in {team.label} (PostgreSQL {facts.version}, over TLS "
        "with the server's certificate verified)."
    )
    print(f"Work on it with: panelapp --team {team.text} COMMAND")
    return EXIT_OK


def cmd_team_connect(args) -> int:
    """Ask for the password once, check it on the server, and keep it in the OS keyring."""
    from panelapp.store.lifecycle import open_team_store
    from panelapp.store.team_url import KEYRING_SERVICE, parse_team_url, remember_password

    team = parse_team_url(args.url)
    if not sys.stdin.isatty():
        print(
            "panelapp: 'team connect' asks for the password at a terminal; run it in one.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    password = getpass.getpass(f"Password for {team.keyring_user}: ")
    store = open_team_store(args.url, password_prompt=lambda _prompt: password)
    store.close()
    if not remember_password(team, password):
        print(
            "panelapp: the password is right, but there is no OS keyring here to keep it in; "
            "panelapp will ask for it each time.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(
        f"Connected to {team.label}. Its password is kept in the OS keyring "
        f"(service {KEYRING_SERVICE}, user {team.keyring_user})."
    )
    return EXIT_OK


def cmd_team_use(args) -> int:
    """Save the team store as the one the commands use (after checking it opens), or go back
    to the local store."""
    from panelapp.store.paths import team_setting_path

    setting = team_setting_path()
    if args.local:
        setting.unlink(missing_ok=True)
        print(f"The commands use the local store again ({store_path(args)}).")
        return EXIT_OK
    if not args.url:
        print("panelapp: give the team store's URL, or --local.", file=sys.stderr)
        return EXIT_USAGE
    from panelapp.store.lifecycle import open_team_store
    from panelapp.store.team_url import parse_team_url

    team = parse_team_url(args.url)
    open_team_store(args.url, password_prompt=prompt_team_password).close()
    setting.parent.mkdir(parents=True, exist_ok=True)
    setting.write_text(team.text + "\n", encoding="utf-8")
    print(f"The commands now use {team.label}, saved in {setting}.")
    print("Use --store PATH for a local store once, or 'panelapp team use --local' to go back.")
    return EXIT_OK


def cmd_team_status(args) -> int:
    """Which store the commands use, and why."""
    url, chosen_by = team_choice(args)
    if url is None:
        print(f"The commands use the local store {store_path(args)} ({chosen_by}).")
        return EXIT_OK
    from panelapp.store.team_url import parse_team_url

    team = parse_team_url(url)
    print(f"The commands use {team.label} ({chosen_by}): {team.text}")
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser(
        "team",
        help="the team store: one store on the council's PostgreSQL server for many machines",
        description=(
            "A team store is a PostgreSQL database that every officer's panelapp works on "
            "with --team URL. The URL names the user, server and database, never the password "
            "(kept in the OS keyring, or asked for); the server's certificate is always "
            "verified (sslmode=verify-full, the authority from sslrootcert= or "
            "~/.postgresql/root.crt)."
        ),
    )
    actions = p.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    url_help = "postgresql://USER@HOST:PORT/DATABASE (optionally ?sslrootcert=/path/to/ca.pem)"
    init = actions.add_parser(
        "init",
        help="create panelapp's schema in an empty database (as the role that owns it)",
        description=(
            "Create panelapp's tables in an empty PostgreSQL database through the same "
            "migrations as a local store, or bring an older team store up to date. Refused "
            "when the database already holds an up-to-date team store or other tables."
        ),
    )
    init.add_argument("url", metavar="URL", help=url_help)
    init.set_defaults(func=cmd_team_init)
    connect = actions.add_parser(
        "connect",
        help="check the password on the server and keep it in the OS keyring",
    )
    connect.add_argument("url", metavar="URL", help=url_help)
    connect.set_defaults(func=cmd_team_connect)
    use = actions.add_parser(
        "use",
        help="make the team store the one every command uses (or --local to go back)",
        description=(
            "Save the team store's URL (never its password) in your settings, so that every "
            "command works on it without --team; --store PATH still picks a local store for "
            "one command. It is checked to open first."
        ),
    )
    use.add_argument("url", metavar="URL", nargs="?", help=url_help)
    use.add_argument("--local", action="store_true", help="use the local store again")
    use.set_defaults(func=cmd_team_use)
    status = actions.add_parser("status", help="which store the commands use, and why")
    status.set_defaults(func=cmd_team_status)
