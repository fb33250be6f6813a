"""Mediation and appeals from the command line: record each step a family takes after a
decision, and list the decisions with any."""

from __future__ import annotations

from panelapp.commands import numbers
from panelapp.commands.caseload import iso_date
from panelapp.commands.common import EXIT_OK, opened_store
from panelapp.domain.appeals import AppealOutcome, AppealStep
from panelapp.domain.formatting import format_date


def _dashed(value: str) -> str:
    return value.replace("_", "-")


def cmd_appeals_list(args) -> int:
    from panelapp.services.appeals import list_appeals

    with opened_store(args) as store, store.read() as session:
        records = list_appeals(session)
    if not records:
        print("No mediation or appeal has been recorded.")
        return EXIT_OK
    for record in records:
        steps = "; ".join(f"{s.label} {format_date(s.on)}" for s in record.steps)
        print(
            f"meeting {record.meeting_id} ({format_date(record.meeting_date)}) item "
            f"{record.item_position}: {steps}"
        )
    return EXIT_OK


def cmd_appeals_record(args) -> int:
    from panelapp.services.appeals import record_appeal_step
    from panelapp.services.unit_of_work import UnitOfWork

    step = AppealStep(args.step.replace("-", "_"))
    outcome = AppealOutcome(args.outcome.replace("-", "_")) if args.outcome else None
    with opened_store(args, writing=True) as store, UnitOfWork(store, args.actor) as uow:
        record_appeal_step(
            uow, args.meeting, item=args.item, step=step, on=args.date, outcome=outcome
        )
    words = f"{step.label}: {outcome.label}" if outcome else step.label
    print(f"Recorded for item {args.item}: {words}, {format_date(args.date)}.")
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser(
        "appeals",
        help="mediation and appeals after the panel's decisions",
        description="Record the steps a family takes after a decision, for the case history "
        "and the panel's figures.",
    )
    actions = p.add_subparsers(dest="appeals_command", metavar="ACTION", required=True)
    ls = actions.add_parser("list", help="decisions with a mediation or appeal step recorded")
    ls.set_defaults(func=cmd_appeals_list)
    r = actions.add_parser("record", help="record one step")
    r.add_argument("meeting", type=numbers.record_number, help="the meeting number")
    r.add_argument("--item", required=True, type=numbers.record_number, metavar="N")
    r.add_argument("--step", required=True, choices=[_dashed(s.value) for s in AppealStep])
    r.add_argument(
        "--outcome",
        choices=[_dashed(o.value) for o in AppealOutcome],
        help="the Tribunal's outcome, with --step appeal-decided",
    )
    r.add_argument("--date", required=True, type=iso_date, metavar="YYYY-MM-DD")
    r.set_defaults(func=cmd_appeals_record)
