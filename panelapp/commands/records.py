"""Records kept as long as the council's schedule says, then deleted; and everything held
about one child gathered for a subject access request."""

from __future__ import annotations

import sys
from pathlib import Path

from panelapp.commands.caseload import _today
from panelapp.commands.common import EXIT_OK, EXIT_USAGE, opened_store
from panelapp.domain.formatting import format_date


def cmd_records_retention(args) -> int:
    from panelapp.services.retention import retention_policy, set_retention_policy
    from panelapp.services.unit_of_work import UnitOfWork

    if args.years is None and args.minutes is None:
        with opened_store(args) as store, store.read() as session:
            policy = retention_policy(session)
        print(f"A child's records are kept {policy.describe()}.")
        return EXIT_OK
    with opened_store(args, writing=True) as store, UnitOfWork(store, args.actor) as uow:
        policy = set_retention_policy(uow, years=args.years, minutes=args.minutes)
    print(f"Recorded: a child's records are kept {policy.describe()}.")
    return EXIT_OK


def cmd_records_due(args) -> int:
    from panelapp.services.retention import due_for_deletion, retention_policy

    today = _today()
    with opened_store(args) as store, store.read() as session:
        due = due_for_deletion(session, today)
        policy = retention_policy(session)
    if not due:
        print(f"No child's records have passed retention ({policy.describe()}).")
        return EXIT_OK
    print(f"Past retention on {format_date(today)} ({policy.describe()}):")
    for child in due:
        heard = f", last heard {format_date(child.last_heard)}" if child.last_heard else ""
        print(
            f"  {child.reference}: {child.cases} case(s), {child.hearings} hearing(s), "
            f"{child.papers} paper(s){heard}; due for deletion since {format_date(child.delete_on)}"
        )
    print("Delete one child's records with 'panelapp records delete --case REF'.")
    return EXIT_OK


def _confirmed(reference: str, args) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        print(
            "panelapp: Deleting a child's records cannot be undone. Add --yes to confirm.",
            file=sys.stderr,
        )
        return False
    typed = input(f"This deletes every record of {reference} for good. Type the reference: ")
    return typed.strip() == reference


def cmd_records_delete(args) -> int:
    from panelapp.services.retention import child_records, delete_child_records

    reference = args.case.strip()
    today = _today()
    with opened_store(args, writing=True) as store:
        with store.read() as session:
            child = child_records(session, reference)
        if child.due(today) and not _confirmed(reference, args):
            print("Nothing was deleted.")
            return EXIT_USAGE
        report = delete_child_records(store, args.actor, reference, today=today)
    deleted = ", ".join(
        f"{n} {what.replace('_', ' ')}" for what, n in sorted(report.deleted.items()) if n
    )
    print(f"Deleted the records of {reference}: {deleted}.")
    if report.minutes_deleted:
        listed = ", ".join(str(m) for m in report.minutes_deleted)
        print(f"The minutes of meetings {listed} were deleted too: no child they named remains.")
    if report.minutes_kept:
        listed = ", ".join(str(m) for m in report.minutes_kept)
        print(
            f"The signed minutes of meetings {listed} still name this child and are kept, as the "
            "council's retention setting says."
        )
    print("The store file was rebuilt so that the deleted data is gone from it.")
    print("Counts by panel, month, request type and outcome are kept for the statistics.")
    return EXIT_OK


def cmd_records_export(args) -> int:
    from panelapp.services.subject_access import export_subject_access

    with opened_store(args, writing=True) as store:
        result = export_subject_access(
            store, args.actor, args.case, Path(args.out).expanduser(), overwrite=args.overwrite
        )
    print(
        f"Wrote everything held about {args.case.strip()} to {result.folder}: "
        f"{result.cases} case(s), {result.hearings} hearing(s), {result.papers} paper(s), "
        f"{len(result.files)} files with an index (index.txt)."
    )
    print(
        "It names the child in full and is marked OFFICIAL-SENSITIVE: check it, then give it "
        "only to the person entitled to it, by a secure route."
    )
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser(
        "records",
        help="retention of children's records, deletion, and subject access requests",
        description="How long a child's records are kept, deleting them once that has passed, "
        "and gathering everything held about a child for a subject access request.",
    )
    actions = p.add_subparsers(dest="records_command", metavar="ACTION", required=True)
    r = actions.add_parser("retention", help="show or set the council's retention setting")
    r.add_argument("--years", type=int, help="years after the date of birth (default 31)")
    r.add_argument(
        "--minutes",
        choices=["keep", "delete"],
        help="signed minutes naming a deleted child: keep them, or delete them once no child "
        "they name remains",
    )
    r.set_defaults(func=cmd_records_retention)
    d = actions.add_parser("due-for-deletion", help="children whose records have passed retention")
    d.set_defaults(func=cmd_records_due)
    x = actions.add_parser("delete", help="delete a child's records once retention has passed")
    x.add_argument("--case", required=True, metavar="REF", help="the child's council reference")
    x.add_argument("--yes", action="store_true", help="confirm without being asked")
    x.set_defaults(func=cmd_records_delete)
    e = actions.add_parser("export", help="everything held about a child, for a subject access")
    e.add_argument("--case", required=True, metavar="REF", help="the child's council reference")
    e.add_argument("--out", required=True, metavar="FOLDER", help="where the new folder goes")
    e.add_argument("--overwrite", action="store_true", help="replace a folder already there")
    e.set_defaults(func=cmd_records_export)
