"""The ``panelapp`` command: headless commands over the same services as the desktop app.

Every failure a person can cause or meet ends in one line on stderr that says what to do,
and exit status 2; an unexpected fault says where the log is, without any case data.
"""

from __future__ import annotations

import argparse
import gc
import getpass
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from panelapp import __version__
from panelapp.commands.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    EXIT_USAGE,
    open_from_args,
    opened_store,
    prompt_passphrase,
    store_path,
    team_url,
)
from panelapp.domain.errors import PanelappError
from panelapp.logging_setup import configure_logging

# What only the commands need (formatting, the vocabulary, keys, error reports) is imported
# where it is used: opening the window loads as little as it can before its first paint.
if TYPE_CHECKING:
    from panelapp.domain.vocabulary import NamingMode
    from panelapp.store.engine import Store

logger = logging.getLogger(__name__)

#: Modules in panelapp.commands that add their own sub-commands (imported when the full
#: parser is built: opening the window needs none of them).
COMMAND_GROUP_NAMES = (
    "actions",
    "agenda",
    "minutes",
    "panels",
    "caseload",
    "letters",
    "statistics",
    "attendance",
    "records",
    "approvals",
    "appeals",
    "team",
)


def command_groups() -> list:
    import importlib

    return [importlib.import_module(f"panelapp.commands.{name}") for name in COMMAND_GROUP_NAMES]


def __getattr__(name: str):
    if name == "COMMAND_GROUPS":  # the list as it was, for code that read it
        return command_groups()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def cmd_init(args) -> int:
    from panelapp.store.keys import KeySource, keyring_problem
    from panelapp.store.lifecycle import create_store

    if team_url(args) is not None:
        print(
            "panelapp: 'init' creates a local store file. Create the team store's schema with "
            "'panelapp team init URL' (as the role that owns its database).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    source = KeySource.PASSPHRASE if args.passphrase else None
    path = store_path(args)
    store = create_store(path, passphrase_provider=prompt_passphrase, key_source=source)
    store.close()
    from panelapp.store.keys import read_key_file

    kept = read_key_file(path).source
    where = "the OS keyring" if kept is KeySource.KEYRING else "the passphrase-protected key file"
    print(f"Created an encrypted store at {path}")
    print(f"Its key is kept in {where}. Back up {path.name} and {path.name}.key together.")
    if kept is KeySource.PASSPHRASE and keyring_problem():
        print(f"(No OS keyring here: {keyring_problem()}.)")
    return EXIT_OK


def _ensure_demo(args) -> tuple[Store, int]:
    """Open (or create) the store and make sure the demonstration meeting is in it."""
    from panelapp.services.demo_setup import ensure_demo
    from panelapp.store.lifecycle import create_store

    path = None if team_url(args) is not None else store_path(args)
    if path is None or path.exists():
        store = open_from_args(args)
    else:
        store = create_store(path, passphrase_provider=prompt_passphrase)
        print(f"Created an encrypted store at {path}")
    meeting_id, built = ensure_demo(store, actor=args.actor)
    if built:
        print("Built the demonstration SEND panel meeting (12 cases, fictional).")
    else:
        print("The demonstration panel is already in this store.")
    return store, meeting_id


def cmd_demo(args) -> int:
    from panelapp.domain.vocabulary import NamingMode

    store, meeting_id = _ensure_demo(args)
    try:
        _print_meeting(store, meeting_id, NamingMode(args.naming))
    finally:
        store.close()
    return EXIT_OK


def cmd_check(args) -> int:
    from panelapp.store.errors import StoreDamaged
    from panelapp.store.integrity import check_store

    try:
        with opened_store(args) as store:
            report = check_store(store)
            if args.against:
                from panelapp.services.signed_copies import check_against

                copies = check_against(store, args.against)
                report.passed.extend(copies.passed)
                report.problems.extend(copies.problems)
    except StoreDamaged as damaged:  # too damaged to open: that is the finding
        print(f"PROBLEM: {damaged}")
        print("The store has problems (see above). Keep a copy of it before doing anything else.")
        return EXIT_PROBLEM
    for line in report.passed:
        print(f"ok: {line}")
    for line in report.problems:
        print(f"PROBLEM: {line}")
    if report.ok:
        print("The store is intact.")
        return EXIT_OK
    print("The store has problems (see above). Keep a copy of it before doing anything else.")
    return EXIT_PROBLEM


def cmd_meetings(args) -> int:
    from panelapp.domain.formatting import short_weekday_date
    from panelapp.services.meeting_view import list_meetings

    with opened_store(args) as store:
        with store.read() as session:
            rows = list_meetings(session)
    if not rows:
        print("No meetings yet. Try 'panelapp demo'.")
    for mid, panel, on, status, count in rows:
        print(
            f"{mid:>4}  {short_weekday_date(on)}  {panel}  ({count} items, {status.label.lower()})"
        )
    return EXIT_OK


def cmd_show(args) -> int:
    from panelapp.domain.vocabulary import NamingMode

    with opened_store(args) as store:
        _print_meeting(store, args.meeting, NamingMode(args.naming))
    return EXIT_OK


def _print_meeting(store, meeting_id: int, naming: NamingMode) -> None:
    from panelapp.domain.formatting import short_date, weekday_date
    from panelapp.domain.outcomes import format_pounds
    from panelapp.domain.vocabulary import ItemStatus
    from panelapp.services.decision_followup import meeting_followup
    from panelapp.services.meeting_view import meeting_view

    with store.read() as session:
        view = meeting_view(session, meeting_id, naming)
        followup = meeting_followup(session, meeting_id, naming)
    print(
        f"\n{view.panel_name}: {weekday_date(view.meeting_date)}, {view.start_time:%H:%M}, {view.venue}"
    )
    print(f"Status: {view.status.label}. Children named: {naming.label.lower()}.")
    present = [
        a.name + (" (online)" if a.online else "")
        for a in view.attendees
        if a.status.value == "present"
    ]
    apologies = [a.name for a in view.attendees if a.status.value == "apologies"]
    print(f"Present: {', '.join(present)}")
    if apologies:
        print(f"Apologies: {', '.join(apologies)}")
    for d in view.declarations:
        where = f"item {d.item_position}" if d.item_position else "all items"
        action = "withdrew" if d.withdrew else "remained"
        print(f"Declaration: {d.member_name}, {where}: {d.nature} ({action})")
    print()
    for item in view.items:
        line = f"{item.position:>2}. {item.child:<20} {item.request_type.label}"
        print(line)
        print(f"    {_clock_line(item)}")
        if item.status is ItemStatus.DECIDED and item.outcome:
            extra = []
            if item.amount_pence is not None:
                extra.append(format_pounds(item.amount_pence))
            if item.band:
                extra.append(item.band)
            if item.setting:
                extra.append(item.setting)
            detail = f" ({', '.join(extra)})" if extra else ""
            print(f"    Decision: {item.outcome.label}{detail}")
        elif item.status is ItemStatus.DEFERRED:
            risk = (
                "  [timescale risk: returns after the statutory due date]"
                if item.timescale_risk
                else ""
            )
            to = f" to {short_date(item.deferred_to)}" if item.deferred_to is not None else ""
            print(f"    Deferred{to}{risk}")
        else:
            print(f"    {item.status.label}")
        if item.chair_reason:
            print(f"    Chaired by {item.chaired_by}: {item.chair_reason}")
        if item.withdrawn:
            print(f"    Withdrawn for this item: {', '.join(item.withdrawn)}")
        for line in followup.get(item.item_id, ()):
            print(f"    {line}")
    if view.actions:
        print("\nActions:")
        for description, owner, due in view.actions:
            print(f"  - {description} ({owner}{f', by {short_date(due)}' if due else ''})")


def _clock_line(item) -> str:
    """The statutory clock of an item, in words: due date (never moved by an exception),
    'clock unknown: ...' when it cannot be worked out, or none."""
    from panelapp.domain.formatting import format_date

    clock = item.clock
    if clock is None:
        if item.clock_gap:
            return f"Clock unknown: {item.clock_gap}"
        return "No statutory time limit applies to this request"
    line = f"{clock.name}: due {format_date(clock.due)}"
    if clock.applying_exceptions:
        line += (
            " (exception recorded: "
            + "; ".join(e.describe() for e in clock.applying_exceptions)
            + ")"
        )
    further = "; ".join(f"{m.label}: {format_date(m.due)}" for m in clock.milestones)
    return f"{line}. {further}" if further else line


def _no_screen() -> bool:
    """True on a Linux or BSD machine with no display to open a window on (a server, an SSH
    session), unless Qt has been told which platform to use."""
    if sys.platform.startswith(("win", "darwin")) or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _why_no_window(args) -> str | None:
    """Why the desktop window cannot open here (None if it can, as far as is known before
    Qt is loaded)."""
    if team_url(args) is not None:
        return "it opens only a local store so far (the team store works from the commands)"
    if _no_screen():
        return "there is no display here to open its window on (DISPLAY is not set)"
    from panelapp.display_libraries import why_no_x11_window

    return why_no_x11_window()


def cmd_app(args) -> int:
    """No command: the desktop application, or a text summary where it cannot be shown."""
    why = _why_no_window(args)
    if why is None:
        try:
            gc.disable()  # until the window is up: see panelapp.ui.app.pause_collector
            from panelapp.ui.app import run
        except ImportError as exc:
            gc.enable()
            why = f"it needs PySide6 ({exc.name} is missing): install panelapp's 'gui' extra"
        else:
            return run(store_path(args), demo=args.demo, actor=args.actor)
    print(
        f"panelapp: the desktop application cannot start: {why}. "
        "Showing the store as text instead.",
        file=sys.stderr,
    )
    if not args.demo:
        return cmd_meetings(args)
    from panelapp.domain.vocabulary import NamingMode

    store, meeting_id = _ensure_demo(args)
    try:
        _print_meeting(store, meeting_id, NamingMode.INITIALS)
    finally:
        store.close()
    return EXIT_OK


def _store_fault(args, exc: BaseException):
    """A disk, permission, lock or damage fault of the store behind an error, named."""
    from panelapp.store.faults import store_fault

    try:
        url = team_url(args)
        if getattr(args, "command", None) == "team" and getattr(args, "url", None):
            url = args.url  # 'team init URL' and the like name their store themselves
        if url is not None:
            from panelapp.store.team import team_fault

            return team_fault(exc, url)
        return store_fault(exc, store_path(args))
    except Exception:  # naming the fault must never hide the original error
        return None


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store", metavar="PATH", help="the store file (default: in your user data folder)"
    )
    parser.add_argument(
        "--team",
        metavar="URL",
        help=(
            "work on the team store, a PostgreSQL database: postgresql://USER@HOST/DATABASE "
            "(default: $PANELAPP_TEAM_URL unless --store is given; no password in it)"
        ),
    )
    parser.add_argument(
        "--as",
        dest="actor",
        metavar="NAME",
        default=None,
        help="who is doing the work, for the audit trail (default: your login name)",
    )
    parser.add_argument("--demo", action="store_true", help="open on the demonstration panel")
    parser.add_argument("-v", "--verbose", action="store_true", help="more detail in the log")


def _app_launch(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options when ``argv`` only opens the desktop application (global options, no
    command, no help or version): then neither the commands nor their parser are loaded, and
    the first window comes sooner. None when the full parser must decide."""
    if any(arg in ("-h", "--help", "--version") for arg in argv):
        return None
    parser = argparse.ArgumentParser(prog="panelapp", add_help=False, exit_on_error=False)
    _add_global_options(parser)
    try:
        args, rest = parser.parse_known_args(list(argv))
    except argparse.ArgumentError:
        return None
    return None if rest else args


def build_parser() -> argparse.ArgumentParser:
    from panelapp.commands import numbers
    from panelapp.domain.vocabulary import NamingMode

    parser = argparse.ArgumentParser(
        prog="panelapp",
        description="Run SEND and High Needs panels offline on an encrypted store.",
        epilog="With no command, opens the desktop application on the store.",
    )
    parser.add_argument("--version", action="version", version=f"panelapp {__version__}")
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", help="create a new encrypted store and its key")
    p.add_argument(
        "--passphrase",
        action="store_true",
        help="protect the key with a passphrase even where an OS keyring is available",
    )
    p.set_defaults(func=cmd_init)

    naming_help = "how children are named: full, initials (default) or reference"
    p = sub.add_parser("demo", help="build the demonstration 12-case panel meeting and show it")
    p.add_argument(
        "--naming", choices=[m.value for m in NamingMode], default="initials", help=naming_help
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "check",
        help="check the store's integrity, encryption and audit trail (exit 0 intact, 1 damage)",
        description=(
            "Check the database, the audit trail's hash chain, that every record the minutes "
            "rest on is as its last audit event recorded, and that the trail agrees with the "
            "checkpoints signed by members. With --against, also compare the store with signed "
            "minutes or decision records held outside it. Exit 0 intact, 1 damage or tampering."
        ),
    )
    p.add_argument(
        "--against",
        nargs="+",
        metavar="FILE.docx",
        type=Path,
        help="signed copies held outside the store (such as the one sent to a chief officer)",
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("meetings", help="list the meetings in the store")
    p.set_defaults(func=cmd_meetings)

    p = sub.add_parser("show", help="show one meeting's agenda, declarations and outcomes")
    p.add_argument(
        "meeting", type=numbers.record_number, help="the meeting number from 'panelapp meetings'"
    )
    p.add_argument(
        "--naming", choices=[m.value for m in NamingMode], default="initials", help=naming_help
    )
    p.set_defaults(func=cmd_show)

    for group in command_groups():
        group.register(sub)
    return parser


#: The status of a command whose reader stopped reading (``| head``), as a shell reports a
#: program ended by SIGPIPE.
EXIT_OUTPUT_CLOSED = 128 + 13


def _stdout_reader_gone() -> bool:
    """Whether standard output is a pipe whose reading end has been closed (poll reports an
    error on such a pipe's writing end); False where that cannot be told."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll here, or no real stdout
        return False


def _output_closed(command: str) -> int:
    """The program reading the output went away: what was done stays done (each command
    commits its change before it reports it); the rest of the report goes nowhere, quietly."""
    logger.info("the output of %s was closed by its reader", command)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit then fails silently
    except (OSError, ValueError):
        pass
    return EXIT_OUTPUT_CLOSED


def _say(text: str) -> None:
    """A line on standard error, unless nothing can be written there any more."""
    try:
        print(text, file=sys.stderr)
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _app_launch(argv) or build_parser().parse_args(argv)
    args.actor = args.actor or getpass.getuser()
    log_file = configure_logging(args.verbose)
    func = getattr(args, "func", cmd_app)
    command = getattr(args, "command", None) or "app"
    try:
        code = func(args)
        if sys.stdout is not None:
            sys.stdout.flush()  # here, so that a reader gone away is answered below
        return code
    except PanelappError as exc:
        _say(f"panelapp: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say("panelapp: stopped.")
        return 130
    except Exception as exc:
        if isinstance(exc, BrokenPipeError) and _stdout_reader_gone():
            return _output_closed(command)
        from panelapp.error_report import describe_exception

        fault = _store_fault(args, exc)
        if fault is not None:
            logger.warning("store fault %s\n%s", type(fault).__name__, describe_exception(exc))
            _say(f"panelapp: {fault}")
            return EXIT_USAGE
        # Log where it failed but not the exception's text, which could quote case data.
        logger.error(
            "unexpected %s in %s\n%s", type(exc).__name__, command, describe_exception(exc)
        )
        where = f" Details are in {log_file}." if log_file else ""
        _say(f"panelapp: unexpected error ({type(exc).__name__}).{where}")
        return EXIT_PROBLEM


if __name__ == "__main__":
    raise SystemExit(main())
