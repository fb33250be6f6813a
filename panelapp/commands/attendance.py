"""Attendance from the command line: how a member present at a meeting attended, in the room
or online (hybrid meetings). A thin layer over ``services.attendance_modes``."""

from __future__ import annotations

import argparse

from panelapp.commands import numbers
from panelapp.commands.common import EXIT_OK, opened_store


def cmd_attendance_mode(args) -> int:
    from panelapp.services.attendance_modes import MODE_LABELS, set_attendance_mode
    from panelapp.services.meetings import online_counts_for_quorum
    from panelapp.services.signing import find_member
    from panelapp.services.unit_of_work import UnitOfWork
    from panelapp.store.tables import Meeting

    with opened_store(args, writing=True) as store, UnitOfWork(store, args.actor) as uow:
        meeting = uow.get(Meeting, args.meeting, "meeting")
        member = find_member(uow.session, args.member, panel_id=meeting.panel_id)
        set_attendance_mode(uow, meeting.id, member.id, args.mode)
        name, counts = member.name, online_counts_for_quorum(meeting)
    how = MODE_LABELS[args.mode].lower()
    print(f"Recorded {name} as attending meeting {args.meeting} {how}.")
    if args.mode == "online" and not counts:
        print("This meeting counts only members in the room towards quorum.")
    return EXIT_OK


def register(sub) -> None:
    a = sub.add_parser("attendance", help="how members present at a meeting attended")
    asub = a.add_subparsers(dest="attendance_command", metavar="ACTION", required=True)
    m = asub.add_parser(
        "mode",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="record whether a member present attended in the room or online",
        description=(
            "Record whether a member recorded as present attended in the room or online. The "
            "minutes list who attended online; the panel's settings ('panelapp panels "
            "capacity P --online-counts yes|no') say whether they count for quorum.\n\n"
            "example: panelapp attendance mode 3 --member 'Dr Priya Nair' --online"
        ),
    )
    m.add_argument(
        "meeting", type=numbers.record_number, help="the meeting number from 'panelapp meetings'"
    )
    m.add_argument("--member", required=True, metavar="NAME", help="the member's name or number")
    how = m.add_mutually_exclusive_group(required=True)
    how.add_argument("--online", dest="mode", action="store_const", const="online")
    how.add_argument("--in-room", dest="mode", action="store_const", const="in_room")
    m.set_defaults(func=cmd_attendance_mode)
