"""Chief officers' approval from the command line: list where each signed decision stands and
record an approval or a return."""

from __future__ import annotations

from panelapp.commands import numbers
from panelapp.commands.caseload import iso_date
from panelapp.commands.common import EXIT_OK, opened_store
from panelapp.domain.formatting import format_date


def cmd_approvals_list(args) -> int:
    from panelapp.services.approvals import list_approvals
    from panelapp.services.meeting_lookup import get_meeting
    from panelapp.services.meeting_view import free_text_masker

    with opened_store(args) as store, store.read() as session:
        rows = list_approvals(session, pending_only=args.pending, meeting_id=args.meeting)
        # Comments are typed text: children are named in them as each panel's naming mode
        # says, as everywhere else on the command line.
        masks = {}
        for row in rows:
            if row.meeting_id not in masks:
                meeting = get_meeting(session, row.meeting_id)
                masks[row.meeting_id] = free_text_masker(meeting, meeting.panel.naming_mode)
        words = [row.worded(masks[row.meeting_id]) for row in rows]
    if not rows:
        print(
            "No decision is awaiting a chief officer's approval."
            if args.pending
            else "No signed meeting has decisions yet."
        )
        return EXIT_OK
    for row, said in zip(rows, words, strict=True):
        print(
            f"meeting {row.meeting_id} ({format_date(row.meeting_date)}) item "
            f"{row.item_position}: {said}"
        )
    return EXIT_OK


def cmd_approvals_record(args) -> int:
    from panelapp.services.approvals import approval_for_item, record_approval
    from panelapp.services.papers import item_id_at
    from panelapp.services.unit_of_work import UnitOfWork

    with opened_store(args, writing=True) as store:
        with UnitOfWork(store, args.actor) as uow:
            record_approval(
                uow,
                args.meeting,
                item=args.item,
                officer=args.by,
                role=args.role,
                approved=args.approved,
                comment=args.comment or "",
                on=args.date,
            )
        with store.read() as session:
            listing = approval_for_item(session, item_id_at(session, args.meeting, args.item))
    # the approval just recorded needs the item's decision, so the item has one
    assert listing is not None
    print(f"Recorded for item {args.item}: {listing.words}.")
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser(
        "approvals",
        help="chief officers' approval of the panel's signed decisions",
        description=(
            "After the minutes are signed, each decision awaits a chief officer's approval. "
            "Record it, or a return: a returned decision goes back on the panel's next agenda "
            "with the comment."
        ),
    )
    actions = p.add_subparsers(dest="approvals_command", metavar="ACTION", required=True)
    ls = actions.add_parser("list", help="where each signed decision's approval stands")
    ls.add_argument("--pending", action="store_true", help="only those awaiting approval")
    ls.add_argument("--meeting", type=numbers.record_number, help="only this meeting")
    ls.set_defaults(func=cmd_approvals_list)
    r = actions.add_parser("record", help="record a chief officer's approval or return")
    r.add_argument("meeting", type=numbers.record_number, help="the meeting number")
    r.add_argument("--item", required=True, type=numbers.record_number, metavar="N")
    r.add_argument("--by", required=True, metavar="NAME", help="the chief officer")
    r.add_argument("--role", default="Chief officer", help="their role (default: Chief officer)")
    which = r.add_mutually_exclusive_group(required=True)
    which.add_argument("--approved", dest="approved", action="store_true")
    which.add_argument("--returned", dest="approved", action="store_false")
    r.add_argument("--comment", help="the chief officer's comment (for a return: what to look at)")
    r.add_argument(
        "--date", type=iso_date, metavar="YYYY-MM-DD", help="the day it was given (default: today)"
    )
    r.set_defaults(func=cmd_approvals_record)
