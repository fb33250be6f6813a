"""Letters to families from the command line: make them for a meeting, record when each was
sent, and list the letters still to send or sent late."""

from __future__ import annotations

from pathlib import Path

from panelapp.commands import numbers
from panelapp.commands.caseload import _today, iso_date
from panelapp.commands.common import EXIT_OK, opened_store
from panelapp.domain.formatting import format_date


def cmd_letters_generate(args) -> int:
    from panelapp.services.family_letters import export_letters

    with opened_store(args, writing=True) as store:
        folder, letters = export_letters(
            store,
            args.actor,
            args.meeting,
            Path(args.out).expanduser(),
            positions=args.items or None,
            large_print=args.large_print,
            overwrite=args.overwrite,
        )
    kind = "letter" if len(letters) == 1 else "letters"
    if args.large_print:
        kind = "large print " + kind
    print(f"Wrote {len(letters)} {kind} to {folder}:")
    for letter in letters:
        print(f"  {letter.file_name}")
    print(
        "Each names the child in full and is marked OFFICIAL-SENSITIVE: send it to the family "
        "only, by a secure route, then record the day with 'panelapp letters sent'."
    )
    return EXIT_OK


def cmd_letters_sent(args) -> int:
    from panelapp.services.family_letters import record_letter_sent
    from panelapp.services.unit_of_work import UnitOfWork

    with opened_store(args, writing=True) as store, UnitOfWork(store, args.actor) as uow:
        record_letter_sent(uow, args.meeting, args.item, on=args.date)
    print(f"Recorded: the letter about item {args.item} was sent on {format_date(args.date)}.")
    return EXIT_OK


def cmd_letters_due(args) -> int:
    from panelapp.services.family_letters import letters_due

    today = _today()
    with opened_store(args) as store, store.read() as session:
        rows = letters_due(session, today, include_sent=True)
    unsent = [r for r in rows if r.sent_on is None]
    late_sent = [r for r in rows if r.sent_on is not None and r.late(today)]
    if not unsent and not late_sent:
        print("Every family has been sent its letter, in time.")
        return EXIT_OK
    for r in unsent:
        limit = f"; legal limit {format_date(r.statutory_limit)}" if r.statutory_limit else ""
        state = "LATE" if r.late(today) else "due"
        print(
            f"{state:>4}  meeting {r.meeting_id} ({format_date(r.meeting_date)}) item "
            f"{r.position} {r.reference}: not sent; due by {format_date(r.due)}{limit}"
        )
    for r in late_sent:
        assert r.sent_on is not None  # late_sent holds only the letters sent
        print(
            f"LATE  meeting {r.meeting_id} ({format_date(r.meeting_date)}) item {r.position} "
            f"{r.reference}: sent {format_date(r.sent_on)}, due by {format_date(r.due)}"
        )
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser(
        "letters",
        help="letters to families about the panel's decisions",
        description="Letters to families: make them, record when they were sent, list the late.",
    )
    actions = p.add_subparsers(dest="letters_command", metavar="ACTION", required=True)
    g = actions.add_parser(
        "generate", help="write the letters for a meeting's decided and deferred items"
    )
    g.add_argument("meeting", type=numbers.record_number, help="the meeting number")
    g.add_argument(
        "--item",
        dest="items",
        action="append",
        type=numbers.record_number,
        metavar="N",
        help="only this item (repeat for more)",
    )
    g.add_argument("--out", required=True, metavar="FOLDER", help="where the new folder goes")
    g.add_argument("--large-print", action="store_true", help="the large print letters")
    g.add_argument("--overwrite", action="store_true", help="replace a folder already there")
    g.set_defaults(func=cmd_letters_generate)
    s = actions.add_parser("sent", help="record the day a family's letter was sent")
    s.add_argument("meeting", type=numbers.record_number, help="the meeting number")
    s.add_argument("--item", required=True, type=numbers.record_number, metavar="N")
    s.add_argument("--date", required=True, type=iso_date, metavar="YYYY-MM-DD")
    s.set_defaults(func=cmd_letters_sent)
    d = actions.add_parser("due", help="letters not yet sent, and letters sent late")
    d.set_defaults(func=cmd_letters_due)
