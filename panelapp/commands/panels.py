"""Panel settings from the command line: list the panels and change the paper deadline
(how many days before the meeting, calendar or working days)."""

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
    return EXIT_OK


def cmd_panels_set(args) -> int:
    from panelapp.services.panels import panel_settings, update_panel
    from panelapp.services.unit_of_work import UnitOfWork

    if args.days is None and args.count is None:
        raise PanelappError(
            "Say what to change: --paper-deadline-days N, and/or --working-days or --calendar-days."
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
            update_panel(
                uow,
                args.panel,
                name=now.name,
                quorum=now.quorum,
                paper_deadline_days=now.paper_deadline_days if args.days is None else args.days,
                naming_mode=now.naming_mode,
                allow_declared_remained=now.allow_declared_remained,
                paper_deadline_working_days=None if args.count is None else args.count == "working",
            )
        with store.read() as session:
            after = panel_settings(session, args.panel)
    print(f"{after.name}: papers are now due {_deadline_words(after)}.")
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
        help="change a panel's paper deadline",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Change when papers are due: a number of days before the meeting, counted as\n"
            'calendar days (the default, as a terms of reference\'s "2 days" reads) or as\n'
            "working days (weekends and England's bank holidays skipped)."
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
    s.set_defaults(func=cmd_panels_set)
