"""Actions from the command line: ``actions list|add|edit|done|reopen``."""

from __future__ import annotations

import argparse
from datetime import date

from panelapp.commands import numbers
from panelapp.commands.common import EXIT_OK, opened_store
from panelapp.domain.formatting import format_date


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: write it as YYYY-MM-DD, for example 2026-04-30"
        ) from None


def _line(a) -> str:
    on = f"item {a.item_position}" if a.item_position else "the meeting"
    due = f"due {format_date(a.due_date)}" if a.due_date else "no due date"
    status = a.status
    if a.done and a.done_on:
        status = f"done {format_date(a.done_on)}"
    return (
        f"{a.id:>4}. [{status}] {a.description} ({a.owner}; {due}; "
        f"{on} of {format_date(a.meeting_date)})"
    )


def cmd_list(args) -> int:
    from panelapp.services.actions import list_actions

    with opened_store(args) as store, store.read() as session:
        rows = list_actions(
            session, meeting_id=args.meeting, open_only=args.open, overdue_only=args.overdue
        )
    if not rows:
        print("No actions match.")
    for a in rows:
        print(_line(a))
    return EXIT_OK


def cmd_add(args) -> int:
    from panelapp.services.actions import add_action
    from panelapp.services.unit_of_work import UnitOfWork
    from panelapp.store.tables import AgendaItem

    with opened_store(args, writing=True) as store:
        item_id = None
        if args.item is not None:
            from sqlalchemy import select

            from panelapp.domain.errors import PanelappError

            with store.read() as session:
                item_id = session.scalar(
                    select(AgendaItem.id).where(
                        AgendaItem.meeting_id == args.meeting, AgendaItem.position == args.item
                    )
                )
            if item_id is None:
                raise PanelappError(
                    f"Meeting {args.meeting} has no item {args.item}. "
                    f"See its agenda with 'panelapp show {args.meeting}'."
                )
        with UnitOfWork(store, args.actor) as uow:
            action_id = add_action(
                uow,
                args.meeting,
                description=" ".join(args.text),
                owner=args.owner,
                due_date=args.due,
                item_id=item_id,
            )
    print(f"Action {action_id} added, owned by {args.owner}, due {format_date(args.due)}.")
    return EXIT_OK


def cmd_edit(args) -> int:
    from panelapp.services.actions import edit_action
    from panelapp.services.unit_of_work import UnitOfWork

    with opened_store(args, writing=True) as store, UnitOfWork(store, args.actor) as uow:
        edit_action(
            uow,
            args.id,
            description=" ".join(args.text) if args.text else None,
            owner=args.owner,
            due_date=args.due,
        )
    print(f"Action {args.id} changed.")
    return EXIT_OK


def cmd_done(args) -> int:
    from panelapp.services.actions import complete_action
    from panelapp.services.unit_of_work import UnitOfWork

    with opened_store(args, writing=True) as store, UnitOfWork(store, args.actor) as uow:
        complete_action(uow, args.id, note=args.note or "", on=args.date)
    print(f"Action {args.id} is done.")
    return EXIT_OK


def cmd_reopen(args) -> int:
    from panelapp.services.actions import reopen_action
    from panelapp.services.unit_of_work import UnitOfWork

    with opened_store(args, writing=True) as store, UnitOfWork(store, args.actor) as uow:
        reopen_action(uow, args.id)
    print(f"Action {args.id} is open again.")
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser(
        "actions",
        help="list, add, change, complete and reopen the actions agreed at meetings",
        description="Actions agreed at meetings and their follow-up.",
    )
    act = p.add_subparsers(dest="actions_command", metavar="ACTION", required=True)
    lst = act.add_parser("list", help="list actions (all meetings unless --meeting)")
    lst.add_argument("--meeting", type=numbers.record_number, help="only this meeting's")
    lst.add_argument("--open", action="store_true", help="only actions not yet done")
    lst.add_argument("--overdue", action="store_true", help="only open actions past their due date")
    lst.set_defaults(func=cmd_list)

    add = act.add_parser("add", help="add an action to a meeting, or to one of its items")
    add.add_argument("--meeting", type=numbers.record_number, required=True)
    add.add_argument("--item", type=numbers.record_number, help="the item's number on the agenda")
    add.add_argument("--owner", required=True, help="a member or a named officer")
    add.add_argument("--due", type=_day, required=True, metavar="YYYY-MM-DD")
    add.add_argument("text", nargs="+", help="what is to be done")
    add.set_defaults(func=cmd_add)

    ed = act.add_parser("edit", help="change an action's wording, owner or due date")
    ed.add_argument("id", type=numbers.record_number, help="the action's number")
    ed.add_argument("--owner")
    ed.add_argument("--due", type=_day, metavar="YYYY-MM-DD")
    ed.add_argument("text", nargs="*", help="the new wording")
    ed.set_defaults(func=cmd_edit)

    done = act.add_parser("done", help="mark an action done")
    done.add_argument("id", type=numbers.record_number, help="the action's number")
    done.add_argument("--note", help="what was done (kept apart from the audit trail)")
    done.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="when (default today)")
    done.set_defaults(func=cmd_done)

    re = act.add_parser("reopen", help="put a completed action back on the open list")
    re.add_argument("id", type=numbers.record_number, help="the action's number")
    re.set_defaults(func=cmd_reopen)
