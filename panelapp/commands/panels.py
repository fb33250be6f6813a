"""Panel settings from the command line: list the panels, change the paper deadline (how many
days before the meeting, calendar or working days) and the council details documents print."""

from __future__ import annotations

import argparse

from panelapp.commands.common import EXIT_OK, opened_store
from panelapp.domain.errors import PanelappError
from panelapp.domain.late_papers import PaperDeadlineRule


def _deadline_words(settings) -> str:
    rule = PaperDeadlineRule(settings.paper_deadline_days, settings.paper_deadline_working_days)
    return rule.describe()


def cmd_panels_list(args) -> int:
    from panelapp.services.panels import all_panel_settings

    with opened_store(args) as store, store.read() as session:
        rows = all_panel_settings(session)
    if not rows:
        print("No panels yet.")
    for s in rows:
        print(f"{s.panel_id:>3}. {s.name} ({s.panel_type.label}); papers due {_deadline_words(s)}")
        for label, value in (
            ("council", s.council),
            ("address", s.council_address.replace("\n", "; ")),
            ("contact", s.council_contact.replace("\n", "; ")),
            ("mediation (letters)", s.mediation_contact),
            ("SENDIASS (letters)", s.sendiass_contact),
        ):
            print(f"     {label}: {value or 'not set'}")
    return EXIT_OK


def _council_changes(args) -> dict[str, str]:
    """The council details given on the command line; an address's lines are separated by
    semicolons there."""
    given = {
        "council": args.council,
        "address": None if args.address is None else args.address.replace(";", "\n"),
        "contact": None if args.contact is None else args.contact.replace(";", "\n"),
        "mediation": args.mediation,
        "sendiass": args.sendiass,
    }
    return {k: v for k, v in given.items() if v is not None}


def cmd_panels_set(args) -> int:
    from panelapp.services.panels import panel_settings, set_council_details, update_panel
    from panelapp.services.unit_of_work import UnitOfWork

    council = _council_changes(args)
    if args.days is None and args.count is None and not council:
        raise PanelappError(
            "Say what to change: --paper-deadline-days N, --working-days or --calendar-days, "
            "--council NAME, --council-address TEXT, --council-contact TEXT, --mediation-contact "
            "TEXT or --sendiass-contact TEXT."
        )
    with opened_store(args) as store:
        with store.read() as session:
            from panelapp.store.tables import Panel

            if session.get(Panel, args.panel) is None:
                raise PanelappError(
                    f"There is no panel {args.panel}. See the panels with 'panelapp panels list'."
                )
            now = panel_settings(session, args.panel)
        with UnitOfWork(store, args.actor) as uow:
            if council:
                set_council_details(uow, args.panel, **council)
            if args.days is not None or args.count is not None:
                update_panel(
                    uow,
                    args.panel,
                    name=now.name,
                    quorum=now.quorum,
                    paper_deadline_days=now.paper_deadline_days if args.days is None else args.days,
                    naming_mode=now.naming_mode,
                    allow_declared_remained=now.allow_declared_remained,
                    paper_deadline_working_days=None
                    if args.count is None
                    else args.count == "working",
                )
        with store.read() as session:
            after = panel_settings(session, args.panel)
    if args.days is not None or args.count is not None:
        print(f"{after.name}: papers are now due {_deadline_words(after)}.")
    if council:
        print(
            f"Documents now head with: {after.council or 'no council name'}"
            + "".join(
                f"; {part.replace(chr(10), ', ')}"
                for part in (after.council_address, after.council_contact)
                if part
            )
            + "."
        )
    return EXIT_OK


def cmd_panels_capacity(args) -> int:
    from panelapp.services.panels import set_meeting_capacity
    from panelapp.services.unit_of_work import UnitOfWork

    online = None if args.online_counts is None else args.online_counts == "yes"
    with opened_store(args, writing=True) as store, UnitOfWork(store, args.actor) as uow:
        set_meeting_capacity(
            uow, args.panel, items=args.items, minutes=args.minutes, online_counts_for_quorum=online
        )
    items = f"{args.items} items" if args.items else "any number of items"
    minutes = f"{args.minutes} minutes" if args.minutes else "no time limit"
    print(f"Each meeting of panel {args.panel} now takes {items}, {minutes}.")
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser(
        "panels",
        help="list panels and change their paper deadline",
        description="Panels and their settings.",
    )
    panels_sub = p.add_subparsers(dest="panels_command", metavar="ACTION", required=True)
    lst = panels_sub.add_parser("list", help="list the panels and their paper deadlines")
    lst.set_defaults(func=cmd_panels_list)
    s = panels_sub.add_parser(
        "set",
        help="change a panel's paper deadline or the council details its documents print",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Change when papers are due: a number of days before the meeting, counted as\n"
            'calendar days (the default, as a terms of reference\'s "2 days" reads) or as\n'
            "working days (weekends and England's bank holidays skipped); and the council's\n"
            "name, address and contact printed at the head of agendas, packs, minutes and\n"
            "decision records.\n\n"
            "example:\n"
            "  panelapp panels set 1 --council-address 'Town Hall; Market Street; NB1 1AA' \\\n"
            "      --council-contact '01234 567890, send.panel@northbridge.gov.uk'"
        ),
    )
    s.add_argument("panel", type=int, help="the panel's number (see 'panelapp panels list')")
    s.add_argument(
        "--paper-deadline-days",
        dest="days",
        type=int,
        metavar="N",
        help="papers are due N days before the meeting",
    )
    count = s.add_mutually_exclusive_group()
    count.add_argument(
        "--working-days",
        dest="count",
        action="store_const",
        const="working",
        help="count working days (skip weekends and England's bank holidays)",
    )
    count.add_argument(
        "--calendar-days",
        dest="count",
        action="store_const",
        const="calendar",
        help="count calendar days",
    )
    s.add_argument("--council", metavar="NAME", help="the council's name, as documents print it")
    s.add_argument(
        "--council-address",
        dest="address",
        metavar="TEXT",
        help="the council's postal address; separate its lines with semicolons",
    )
    s.add_argument(
        "--council-contact",
        dest="contact",
        metavar="TEXT",
        help="who to contact about the panel: telephone, email",
    )
    s.add_argument(
        "--mediation-contact",
        dest="mediation",
        metavar="TEXT",
        help="the mediation service letters to families name: who, telephone, web",
    )
    s.add_argument(
        "--sendiass-contact",
        dest="sendiass",
        metavar="TEXT",
        help="the SEND information, advice and support service letters to families name",
    )
    s.set_defaults(func=cmd_panels_set)
    c = panels_sub.add_parser(
        "capacity",
        help="how much one meeting can hear (for the planner), and online members and quorum",
    )
    c.add_argument("panel", type=int, help="the panel's number (see 'panelapp panels list')")
    c.add_argument("--items", type=int, metavar="N", help="at most N items (omit: no limit)")
    c.add_argument("--minutes", type=int, metavar="N", help="at most N minutes of items")
    c.add_argument(
        "--online-counts",
        choices=["yes", "no"],
        help="whether members attending online count for quorum (default: yes)",
    )
    c.set_defaults(func=cmd_panels_capacity)
