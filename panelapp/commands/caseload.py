"""The caseload from the command line: the deadlines of every open case, the planner that
proposes meetings for waiting cases, closing a case, and recording or withdrawing clock
exceptions. Each command is a thin layer over a service."""

from __future__ import annotations

import argparse
from datetime import date

from panelapp.commands import numbers
from panelapp.commands.common import EXIT_OK, opened_store
from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date
from panelapp.domain.vocabulary import ExceptionKind


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("give the date as YYYY-MM-DD, e.g. 2026-03-14") from None


def _today() -> date:
    from panelapp.domain.uk_time import uk_day
    from panelapp.services.clock import utc_now

    return uk_day(utc_now())


def _days(n: int) -> str:
    if n < 0:
        return f"{-n} day{'s' if n != -1 else ''} overdue"
    return f"{n} day{'s' if n != 1 else ''} left"


def cmd_deadlines(args) -> int:
    from panelapp.services.forward_plan import forward_plan

    with opened_store(args) as store, store.read() as session:
        rows = forward_plan(
            session, _today(), within=args.within, overdue_only=args.overdue, panel_id=args.panel
        )
    if not rows:
        print("No open case matches.")
    for r in rows:
        if r.due is None:
            print(f"{r.reference:<14} DATE UNKNOWN  {r.note}: add it to the case")
            continue
        where = (
            f"on the agenda of meeting {r.meeting_id} ({format_date(r.meeting_date)})"
            if r.meeting_date is not None  # set with meeting_id, from the agenda it is on
            else "waiting"
        )
        last = (
            f"last meeting in time: {r.last_meeting_id} ({format_date(r.last_meeting_date)})"
            if r.last_meeting_date is not None  # set with last_meeting_id, from that meeting
            else "no scheduled meeting in time"
        )
        assert r.days_left is not None  # counted whenever the case has a due date
        flag = r.state.upper()
        note = f"; {r.note}" if r.note else ""
        exc = f"; {r.exceptions} exception(s) recorded" if r.exceptions else ""
        print(
            f"{r.reference:<14} {flag:<9} {r.clock_name} by {format_date(r.due)}, "
            f"{_days(r.days_left)}; {where}; {last}{note}{exc}"
        )
    return EXIT_OK


def cmd_plan(args) -> int:
    from panelapp.services.planner import apply_plan, plan_meetings
    from panelapp.services.unit_of_work import UnitOfWork

    with opened_store(args, writing=args.apply) as store:
        with store.read() as session:
            proposals = plan_meetings(session, _today(), until=args.until, panel_id=args.panel)
        if not proposals:
            print("No case is waiting for a meeting.")
            return EXIT_OK
        placed = [(p.case_id, p.meeting_id) for p in proposals if p.meeting_id is not None]
        items = None
        if args.apply:  # committed before it is reported, so a report cut short loses nothing
            with UnitOfWork(store, args.actor) as uow:
                items = apply_plan(uow, placed)
        for p in proposals:
            if p.meeting_id is None:
                print(f"{p.reference:<14} NO ROOM   every meeting is full; schedule another")
                continue
            assert p.meeting_date is not None  # a proposal with a meeting has its date
            flag = "LATE" if p.late else "in time" if p.due else "no date"
            due = f"due {format_date(p.due)}" if p.due else p.note
            print(
                f"{p.reference:<14} {flag:<9} meeting {p.meeting_id} on "
                f"{format_date(p.meeting_date)} ({due})"
            )
        if items is None:
            print(
                f"{len(placed)} proposal(s). Nothing is on an agenda yet: run again with --apply."
            )
            return EXIT_OK
    print(f"Put {len(items)} case(s) on agendas.")
    return EXIT_OK


def cmd_cases_close(args) -> int:
    from panelapp.services.cases import close_case, find_case
    from panelapp.services.unit_of_work import UnitOfWork

    with opened_store(args, writing=True) as store, UnitOfWork(store, args.actor) as uow:
        case = find_case(uow.session, args.case)
        close_case(uow, case.id, reason=args.reason)
    print(f"Closed case {args.case}.")
    return EXIT_OK


def cmd_exception_add(args) -> int:
    from panelapp.services.cases import add_clock_exception, find_case
    from panelapp.services.unit_of_work import UnitOfWork

    with opened_store(args, writing=True) as store, UnitOfWork(store, args.actor) as uow:
        case = find_case(uow.session, args.case)
        exception_id = add_clock_exception(
            uow,
            case.id,
            kind=ExceptionKind(args.kind),
            start=args.start,
            end=args.end,
            note=args.evidence or "",
        )
    print(f"Recorded exception {exception_id} for case {args.case}. The due date does not move.")
    return EXIT_OK


def cmd_exception_list(args) -> int:
    from panelapp.domain.deadlines import ClockException
    from panelapp.services.cases import find_case

    with opened_store(args) as store, store.read() as session:
        case = find_case(session, args.case)
        rows = [
            (r.id, ClockException(r.kind, r.start_date, r.end_date), r.withdrawn_at)
            for r in case.exceptions
        ]
    if not rows:
        print("No exceptions recorded for this case.")
    for ident, exc, withdrawn in rows:
        state = " (withdrawn)" if withdrawn else ""
        print(f"{ident:>4}. {exc.describe()}{state}")
    return EXIT_OK


def cmd_exception_withdraw(args) -> int:
    from panelapp.services.cases import withdraw_clock_exception
    from panelapp.services.unit_of_work import UnitOfWork

    with opened_store(args, writing=True) as store, UnitOfWork(store, args.actor) as uow:
        withdraw_clock_exception(uow, args.exception, reason=args.reason)
    print(f"Withdrew exception {args.exception}; it no longer excuses the time limit.")
    return EXIT_OK


def register_cases(cases_sub) -> None:
    """`panelapp cases close` and `panelapp cases exception ...`, under the cases command."""
    c = cases_sub.add_parser("close", help="take a case off the open caseload, with a reason")
    c.add_argument("--case", required=True, metavar="REF", help="the council reference")
    c.add_argument("--reason", required=True, help="why (kept with the record, not in the log)")
    c.set_defaults(func=cmd_cases_close)

    e = cases_sub.add_parser("exception", help="record, list or withdraw clock exceptions")
    exc_sub = e.add_subparsers(dest="exception_command", metavar="ACTION", required=True)
    a = exc_sub.add_parser(
        "add",
        help="record an exception to the 6-, 16- or 20-week limit",
        description=(
            "Record why the council need not meet the 6-, 16- or 20-week limit. The due date "
            "does not move; timeliness is reported with and without excepted cases."
        ),
    )
    a.add_argument("--case", required=True, metavar="REF", help="the council reference")
    a.add_argument("--kind", required=True, choices=[k.value for k in ExceptionKind])
    a.add_argument("--from", dest="start", required=True, type=iso_date, metavar="YYYY-MM-DD")
    a.add_argument("--to", dest="end", required=True, type=iso_date, metavar="YYYY-MM-DD")
    a.add_argument("--evidence", help="what shows the exception applies")
    a.set_defaults(func=cmd_exception_add)
    lst = exc_sub.add_parser("list", help="list a case's exceptions")
    lst.add_argument("--case", required=True, metavar="REF", help="the council reference")
    lst.set_defaults(func=cmd_exception_list)
    w = exc_sub.add_parser("withdraw", help="withdraw an exception recorded in error")
    w.add_argument("exception", type=numbers.record_number, metavar="ID")
    w.add_argument("--reason", required=True, help="why it is withdrawn")
    w.set_defaults(func=cmd_exception_withdraw)


def register(sub) -> None:
    d = sub.add_parser("deadlines", help="every open case's next statutory date")
    d.add_argument("--within", type=numbers.days, metavar="DAYS", help="due within DAYS days")
    d.add_argument("--overdue", action="store_true", help="only cases past their due date")
    d.add_argument("--panel", type=numbers.record_number, help="only this panel's meetings")
    d.set_defaults(func=cmd_deadlines)

    p = sub.add_parser("plan", help="propose meetings for cases waiting to be heard")
    p.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="meetings up to this day")
    p.add_argument("--panel", type=numbers.record_number, help="only this panel's meetings")
    p.add_argument("--apply", action="store_true", help="put the proposed cases on the agendas")
    p.set_defaults(func=cmd_plan)

    register_meetings(sub.choices["meetings"])


def _clock_time(text: str):
    from datetime import time

    try:
        return time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("give the time as HH:MM, e.g. 10:00") from None


def cmd_meetings_series(args) -> int:
    from panelapp.domain.meeting_series import WEEKDAYS
    from panelapp.services.meeting_series import plan_series, schedule_series
    from panelapp.services.unit_of_work import UnitOfWork

    if (args.until is None) == (args.count is None):
        raise PanelappError("Say when the series ends: --until YYYY-MM-DD or --count N.")
    days = plan_series(
        every_weeks=args.every,
        weekday=WEEKDAYS.index(args.weekday),
        start=args.start,
        until=args.until,
        count=args.count,
        on_holiday=args.bank_holidays,
    )
    with opened_store(args, writing=True) as store, UnitOfWork(store, args.actor) as uow:
        ids = schedule_series(
            uow, args.panel, days, start_time=args.time, venue=args.venue, online_link=args.link
        )
    for ident, day in zip(ids, days, strict=True):
        moved = (
            f" (moved from {format_date(day.moved_from)}, a bank holiday)" if day.moved_from else ""
        )
        print(f"{ident:>4}  {format_date(day.on)}{moved}")
    print(f"Scheduled {len(ids)} meeting(s).")
    return EXIT_OK


def cmd_meetings_ics(args) -> int:
    from pathlib import Path

    from panelapp.services.calendar_export import export_calendar

    with opened_store(args, writing=True) as store:
        result = export_calendar(
            store, args.actor, Path(args.out), panel_id=args.panel, overwrite=args.overwrite
        )
    print(
        f"Wrote {result.meetings} meeting(s) and {result.cancelled} cancellation(s) to "
        f"{result.path}. It holds no case data."
    )
    return EXIT_OK


def register_meetings(meetings_parser) -> None:
    """`panelapp meetings series` and `panelapp meetings ics` under the meetings list."""
    from panelapp.domain.meeting_series import MOVE, SKIP, WEEKDAYS

    msub = meetings_parser.add_subparsers(dest="meetings_command", metavar="ACTION")
    s = msub.add_parser("series", help="schedule a series of meetings")
    s.add_argument("--panel", required=True, type=numbers.record_number)
    s.add_argument("--every", required=True, type=int, metavar="N", help="every N weeks")
    s.add_argument("--weekday", required=True, choices=WEEKDAYS)
    s.add_argument("--from", dest="start", required=True, type=iso_date, metavar="YYYY-MM-DD")
    s.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD")
    s.add_argument("--count", type=int, metavar="N", help="number of meetings")
    s.add_argument("--time", required=True, type=_clock_time, metavar="HH:MM")
    s.add_argument("--venue", default="")
    s.add_argument("--link", default="", help="the online meeting link, for hybrid meetings")
    s.add_argument(
        "--bank-holidays",
        choices=[MOVE, SKIP],
        default=MOVE,
        help="a meeting on a bank holiday moves to the next working day (default) or is skipped",
    )
    s.set_defaults(func=cmd_meetings_series)
    i = msub.add_parser("ics", help="write the meetings as an iCalendar (.ics) file")
    i.add_argument("--panel", type=numbers.record_number, help="only this panel's meetings")
    i.add_argument("--out", required=True, metavar="FILE")
    i.add_argument("--overwrite", action="store_true", help="replace an existing file")
    i.set_defaults(func=cmd_meetings_ics)
