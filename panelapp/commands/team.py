"""The team store from the command line: create its schema on the council's PostgreSQL server,
and keep its password in the OS keyring. Every other command works on it with ``--team URL``."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager

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
    from panelapp.services.team_connection import stop_using_team, use_team

    if args.local:
        stop_using_team(forget=False)
        print(f"The commands use the local store again ({store_path(args)}).")
        return EXIT_OK
    if not args.url:
        print("panelapp: give the team store's URL, or --local.", file=sys.stderr)
        return EXIT_USAGE
    from panelapp.store.team_url import parse_team_url

    team = parse_team_url(args.url)
    setting = use_team(args.url, password_prompt=prompt_team_password)
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


def _team_url_for_checkout(args) -> str:
    """The team store for check-out and check-in: --team, else PANELAPP_TEAM_URL, else the
    saved one (--store names the laptop's store here, not a choice between the two)."""
    import os

    from panelapp.commands.common import TEAM_URL_ENV, saved_team_url
    from panelapp.domain.errors import PanelappError

    url = getattr(args, "team", None) or os.environ.get(TEAM_URL_ENV) or saved_team_url()
    if not url:
        raise PanelappError(
            "Say which team store the meeting is on: --team URL (or 'panelapp team use URL' once)."
        )
    return url


@contextmanager
def _team_and_laptop(args, *, create: bool = False) -> Iterator[tuple]:
    """The team store and the laptop's local store (--store; created when missing and
    ``create``), both closed afterwards."""
    from panelapp.commands.common import prompt_passphrase
    from panelapp.store.lifecycle import create_store, open_store, open_team_store

    team = open_team_store(_team_url_for_checkout(args), password_prompt=prompt_team_password)
    try:
        path = store_path(args)
        if create and not path.exists():
            local = create_store(path, passphrase_provider=prompt_passphrase)
            print(f"Created an encrypted store at {path}")
        else:
            local = open_store(path, passphrase_provider=prompt_passphrase, writing=True)
        try:
            yield team, local
        finally:
            local.close()
    finally:
        team.close()


def _progress(done: int, total: int, words: str) -> None:
    print(f"[{done}/{total}] {words}", file=sys.stderr)


def cmd_team_checkout(args) -> int:
    from panelapp.services import team_checkout

    with _team_and_laptop(args, create=True) as (team, local):
        result = team_checkout.checkout(
            team, local, args.meeting, actor=args.actor, machine=args.machine, progress=_progress
        )
    print(
        f"Meeting {result.meeting_id} is checked out to {args.actor} into {store_path(args)}: "
        f"{result.rows} records and {result.papers} papers copied. Run it there with "
        f"--store {store_path(args)}; check it in with 'panelapp team checkin {args.meeting}'."
    )
    return EXIT_OK


def cmd_team_refresh(args) -> int:
    from panelapp.services import team_checkout

    with _team_and_laptop(args) as (team, local):
        count = team_checkout.refresh(
            team, local, args.meeting, actor=args.actor, progress=_progress
        )
    print(
        f"{count} paper(s) that arrived on the team store brought down for meeting {args.meeting}."
        if count
        else f"No papers are waiting for meeting {args.meeting}."
    )
    return EXIT_OK


def cmd_team_checkin(args) -> int:
    from pathlib import Path

    from panelapp.services import team_checkout

    with _team_and_laptop(args) as (team, local):
        result = team_checkout.checkin(
            team,
            local,
            args.meeting,
            actor=args.actor,
            progress=_progress,
            export_to=Path(args.export_to) if args.export_to else None,
        )
    print(
        f"Meeting {result.meeting_id} is checked in: {result.rows} records and "
        f"{result.events} audit events sent to the team store, and the meeting released."
    )
    return EXIT_OK


def cmd_team_release(args) -> int:
    from panelapp.services import team_checkout
    from panelapp.store.lifecycle import open_team_store

    team = open_team_store(_team_url_for_checkout(args), password_prompt=prompt_team_password)
    try:
        info = team_checkout.release(team, args.meeting, actor=args.actor, reason=args.reason)
    finally:
        team.close()
    print(
        f"Meeting {info.meeting_id} is released ({info.words()} until now). The laptop's "
        "check-in will be refused and its work exported, to merge by hand."
    )
    return EXIT_OK


def cmd_team_checkouts(args) -> int:
    from panelapp.services import team_checkout
    from panelapp.store.lifecycle import open_team_store

    team = open_team_store(_team_url_for_checkout(args), password_prompt=prompt_team_password)
    try:
        with team.read() as session:
            out = team_checkout.checkouts(session)
    finally:
        team.close()
    if not out:
        print("No meeting is checked out.")
    for info in out.values():
        waiting = f", {info.waiting_papers} paper(s) waiting" if info.waiting_papers else ""
        print(f"Meeting {info.meeting_id}: {info.words()}{waiting}")
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
    laptop_help = "the laptop's local store (--store; the default store when not given)"
    checkout = actions.add_parser(
        "checkout",
        help="copy a meeting to this laptop's store to run it offline, and mark it out",
        description=(
            "Copy meeting M (its panel and members, cases and their earlier hearings, papers, "
            "signing certificates but no private key) from the team store into the local "
            "store given by --store (created when missing; it must hold team copies only), "
            f"and mark the meeting checked out to you on this machine. Uses {laptop_help}."
        ),
    )
    checkout.add_argument("meeting", type=int, metavar="M", help="the meeting's id")
    checkout.add_argument("--machine", help="this computer's name as others see it")
    checkout.set_defaults(func=cmd_team_checkout)
    refresh = actions.add_parser(
        "refresh", help="bring down the papers that arrived on the team store since check-out"
    )
    refresh.add_argument("meeting", type=int, metavar="M", help="the meeting's id")
    refresh.set_defaults(func=cmd_team_refresh)
    checkin = actions.add_parser(
        "checkin",
        help="send the meeting's running back to the team store in one go, and release it",
        description=(
            "Send attendance, declarations, decisions, deferrals, actions, drafts, reasons, "
            "minutes versions and their audit events back in one transaction, verified first, "
            "and release the meeting. Refused after a forced release: the laptop's work is "
            "then exported to a file (--export-to) to merge by hand."
        ),
    )
    checkin.add_argument("meeting", type=int, metavar="M", help="the meeting's id")
    checkin.add_argument(
        "--export-to", metavar="PATH", help="where the work goes if the check-in is refused"
    )
    checkin.set_defaults(func=cmd_team_checkin)
    release = actions.add_parser(
        "release",
        help="release a checked-out meeting without its check-in (a reason is required)",
    )
    release.add_argument("meeting", type=int, metavar="M", help="the meeting's id")
    release.add_argument("--reason", required=True, help="why (kept with the release)")
    release.set_defaults(func=cmd_team_release)
    listing = actions.add_parser("checkouts", help="the meetings checked out, to whom and where")
    listing.set_defaults(func=cmd_team_checkouts)
