"""Preparing a meeting from the command line: papers, case lists, the agenda, members' packs
and search. Each command is a thin layer over a service; what it prints is for the officer
at the keyboard and is never logged."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

from panelapp.commands import caseload, numbers
from panelapp.commands.common import EXIT_OK, EXIT_USAGE, opened_store
from panelapp.domain.errors import PanelappError
from panelapp.domain.formatting import format_date, short_date, short_moment
from panelapp.domain.text_safety import printable
from panelapp.domain.vocabulary import NamingMode

logger = logging.getLogger(__name__)

_NAMING_HELP = (
    "how children are named: full, initials or reference (default: the panel's own setting)"
)
_FORMATTER = argparse.RawDescriptionHelpFormatter


def _naming(args) -> NamingMode | None:
    return NamingMode(args.naming) if args.naming else None


def _add_naming(p) -> None:
    p.add_argument("--naming", choices=[m.value for m in NamingMode], help=_NAMING_HELP)


def _received(text: str | None) -> datetime | None:
    """'2026-03-10 14:30' or '2026-03-10' in local time, as the UTC the store keeps."""
    if not text:
        return None
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            local = datetime.strptime(text.strip(), fmt)
            break
        except ValueError:
            continue
    else:
        raise PanelappError(
            "Give --received as a date and time such as '2026-03-10 14:30' (or just the date)."
        )
    return local.astimezone(UTC)


# -- panelapp papers add / list ------------------------------------------------------------


def cmd_papers_add(args) -> int:
    from panelapp.services import papers

    if args.max_size_mb <= 0:
        raise PanelappError("Give --max-size-mb as a number of megabytes above 0, such as 50.")
    from panelapp.documents.paper_sniffer import MEGABYTE  # the sniffer only when importing

    received = _received(args.received)
    given = [Path(p).expanduser() for p in args.files]
    with opened_store(args, writing=True) as store:
        with store.read() as session:
            item_id = papers.item_id_at(session, args.meeting, args.item)
        outcomes = papers.import_papers(
            store,
            args.actor,
            item_id,
            given,
            title=args.title,
            received_at=received,
            max_bytes=int(args.max_size_mb * MEGABYTE),
            read_text=False,
        )
        # The bytes are committed; now their words (and any left from an interrupted reading).
        outcomes = _read_words(store, args.actor, outcomes)
    note = papers.left_out_note(given)
    if not outcomes:
        print("No files found to import (a folder given held no files of its own).")
        if note:
            print(printable(note))
        return EXIT_USAGE
    for outcome in outcomes:
        mark = {"stored": "  ok ", "duplicate": " same", "refused": "  NO "}[outcome.status.value]
        print(f"{mark} {printable(outcome.source)} {outcome.message}")
    stored = sum(o.stored for o in outcomes)
    refused = sum(o.status.value == "refused" for o in outcomes)
    late = sum(o.late for o in outcomes)
    summary = f"\n{stored} of {len(outcomes)} file(s) stored for item {args.item} of meeting {args.meeting}"
    if late:
        summary += f" ({late} late)"
    print(summary + ".")
    if note:
        print(printable(note))
    if refused:
        print(
            f"{refused} file(s) were not stored; nothing of them was kept. See the reasons above."
        )
        return EXIT_USAGE
    return EXIT_OK


def _read_words(store, actor: str, outcomes):
    """Read the words of the papers still pending, showing progress on stderr; the outcomes
    then say what was read."""
    from panelapp.services import papers
    from panelapp.services.paper_text import pending_count, read_pending_text

    with store.read() as session:
        waiting = pending_count(session)
    if not waiting:
        return outcomes

    def progress(done: int, total: int) -> None:
        if total and sys.stderr.isatty():
            print(f"\rReading the words of the papers for search: {done} of {total}",
                  end="" if done < total else "\n", file=sys.stderr, flush=True)  # fmt: skip

    reading = read_pending_text(store, actor, on_progress=progress)
    return [
        papers.with_text_read(o, reading.states[o.paper_id]) if o.paper_id in reading.states else o
        for o in outcomes
    ]


def cmd_papers_text(args) -> int:
    from panelapp.services.paper_text import pending_count

    with opened_store(args, writing=True) as store:
        with store.read() as session:
            waiting = pending_count(session)
        _read_words(store, args.actor, [])
        with store.read() as session:
            left = pending_count(session)
    if not waiting:
        print("Every paper's words are already in the search index.")
    else:
        print(f"Read the words of {waiting - left} paper(s); search finds them by their words now.")
    return EXIT_OK


def cmd_papers_list(args) -> int:
    from panelapp.domain.name_masking import mask_child_name
    from panelapp.services import papers
    from panelapp.services.agenda_export import get_meeting, naming_for
    from panelapp.services.meeting_view import meeting_view

    with opened_store(args) as store:
        with store.read() as session:
            meeting = get_meeting(session, args.meeting)
            naming = naming_for(meeting, _naming(args))
            view = meeting_view(session, meeting.id, naming)
            deadline = papers.deadline_for(meeting)
            print(
                f"Papers for meeting {meeting.id} ({format_date(meeting.meeting_date)}); "
                f"deadline: end of {format_date(deadline)}."
            )
            for item in view.items:
                case = next(i for i in meeting.items if i.id == item.item_id).case
                rows = papers.papers_for_item(session, item.item_id)
                print(f"\n{item.position:>2}. {item.child}  ({len(rows)} paper(s))")
                for n, info in enumerate(rows, start=1):
                    title = mask_child_name(
                        info.title, case.first_name, case.last_name, case.reference, naming
                    )
                    late = papers.is_late_for(info.received_at, meeting)
                    kind = info.kind.label if info.kind else info.media_type
                    when = papers.local_time(info.received_at)
                    print(
                        f"    {n}. {title} [{kind}] received {short_moment(when)}"
                        + ("  LATE" if late else "")
                    )
    return EXIT_OK


# -- panelapp cases import -----------------------------------------------------------------


def cmd_cases_import(args) -> int:
    from panelapp.services.case_list_import import import_case_list

    with opened_store(args, writing=True) as store:
        result = import_case_list(
            store,
            args.actor,
            Path(args.file).expanduser(),
            meeting_id=args.meeting,
            minutes=args.minutes,
        )
    print(f"Imported {len(result.case_ids)} case(s).")
    if result.item_ids:
        print(
            f"Put them on the agenda of meeting {args.meeting}; see it with "
            f"'panelapp show {args.meeting}'."
        )
    if result.ignored_columns:
        print("Columns not used: " + ", ".join(result.ignored_columns))
    return EXIT_OK


# -- panelapp agenda export ----------------------------------------------------------------


def cmd_agenda_export(args) -> int:
    from panelapp.services.agenda_export import export_agenda

    with opened_store(args, writing=True) as store:
        result = export_agenda(
            store,
            args.actor,
            args.meeting,
            Path(args.out) if args.out else None,
            naming=_naming(args),
            opening_minutes=args.opening_minutes,
            overwrite=args.overwrite,
        )
    late = f", {result.late_papers} late paper(s) marked" if result.late_papers else ""
    print(
        f"Wrote the agenda ({result.items} item(s){late}; children named: "
        f"{result.naming.label.lower()}) to {result.path}"
    )
    print("It is marked OFFICIAL-SENSITIVE. Share it only with panel members.")
    return EXIT_OK


# -- panelapp packs export -----------------------------------------------------------------


def cmd_packs_export(args) -> int:
    from panelapp.services.packs import export_packs, export_pdf_packs

    if args.zip or args.folders:
        return _plain_packs(args, export_packs)
    with opened_store(args, writing=True) as store:
        results = export_pdf_packs(
            store,
            args.actor,
            args.meeting,
            Path(args.out) if args.out else None,
            members=args.member,
            naming=_naming(args),
            overwrite=args.overwrite,
            opening_minutes=args.opening_minutes,
        )
    _list_packs(results)
    print(
        f"Wrote {len(results)} pack(s), each one PDF encrypted with AES-256 under its own "
        "password. Send each member their pack, and their password separately (by phone, text "
        "or in person, never in the same email). The passwords are shown only now:"
    )
    for pack in results:
        print(f"  {pack.member_name}: {pack.password}")
    if args.passwords_out:
        _write_passwords(Path(args.passwords_out).expanduser(), results)
        print(f"The passwords are also in {args.passwords_out}: delete it once they are sent.")
    return EXIT_OK


def _write_passwords(target: Path, results) -> None:
    """The passwords, asked for, in a file only its owner can read, for separate delivery."""
    import os

    if target.exists():
        raise PanelappError(f"{target} already exists: give a new file for the passwords.")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        for pack in results:
            fh.write(f"{pack.member_name}\t{pack.path.name}\t{pack.password}\n")


def _list_packs(results) -> None:
    for pack in results:
        withheld = (
            f"; papers withheld for item(s) {', '.join(map(str, pack.withheld_positions))}"
            if pack.withheld_positions
            else ""
        )
        print(f"  {pack.member_name}: {pack.papers} paper(s){withheld}\n    {pack.path}")


def _plain_packs(args, export_packs) -> int:
    with opened_store(args, writing=True) as store:
        results = export_packs(
            store,
            args.actor,
            args.meeting,
            Path(args.out) if args.out else None,
            members=args.member,
            naming=_naming(args),
            as_zip=not args.folders,
            overwrite=args.overwrite,
            opening_minutes=args.opening_minutes,
        )
    _list_packs(results)
    print(
        f"Wrote {len(results)} pack(s) as plain {'folders' if args.folders else 'ZIP files'}, as "
        "asked: they are NOT encrypted, and anyone who gets one can open it. They are marked "
        "OFFICIAL-SENSITIVE: send each only to its member, by a secure route."
    )
    return EXIT_OK


# -- panelapp search -----------------------------------------------------------------------


def cmd_search(args) -> int:
    from panelapp.services.paper_text import pending_count
    from panelapp.services.search import search

    words = " ".join(args.words)
    with opened_store(args) as store:
        with store.read() as session:
            hits = search(session, words, naming=NamingMode(args.naming), limit=args.limit)
            waiting = pending_count(session)
    if waiting:
        print(
            f"{waiting} paper(s) are still having their words read, so search finds them by "
            "their title and case only for now. Run 'panelapp papers text' to finish reading "
            "them (the window does it by itself)."
        )
    if not hits:
        print(
            "Nothing found. Check the spelling, use fewer words, or end a word with * to "
            "match its beginning (assess* finds assessment)."
        )
        return EXIT_OK
    print(
        f"{len(hits)} result(s){' (the first ' + str(args.limit) + ')' if len(hits) == args.limit else ''}:"
    )
    for hit in hits:
        where = ""
        if hit.meeting_date:
            where = f"  [meeting {hit.meeting_id}, {short_date(hit.meeting_date)}, item {hit.item_position}]"
        print(f"\n{hit.kind:<9} {hit.child}: {hit.title}{where}")
        if hit.snippet:
            print(f"          {hit.snippet}")
    return EXIT_OK


# -- registration --------------------------------------------------------------------------


def register(sub) -> None:
    p = sub.add_parser(
        "papers",
        help="add papers to an agenda item, or list a meeting's papers",
        description="Papers for the cases on a meeting's agenda, kept in the encrypted store.",
    )
    papers_sub = p.add_subparsers(dest="papers_command", metavar="ACTION", required=True)
    a = papers_sub.add_parser(
        "add",
        help="import files as papers for one agenda item",
        formatter_class=_FORMATTER,
        description=(
            "Import one or more files as papers for one item of a meeting's agenda.\n\n"
            "Accepted: PDF, Word (.docx), Excel (.xlsx), PNG and JPEG images, plain text. The\n"
            "type is read from the file's content, not its name. Refused, with the reason:\n"
            "programs and unknown files, encrypted or password-protected files, damaged or\n"
            "cut-short files, empty files, files over the size limit, and Word or Excel files\n"
            "with macros or that would unpack to far too much data. A refused file leaves\n"
            "nothing behind; the other files are still imported. The same file twice for a\n"
            "case is reported and not stored again.\n\n"
            "A paper received after the panel's deadline (by default 2 days before the meeting)\n"
            "is a late paper and is marked LATE on the agenda."
        ),
        epilog=(
            "examples:\n"
            "  panelapp meetings                      # find the meeting number\n"
            "  panelapp show 3                        # find the item number\n"
            "  panelapp papers add --meeting 3 --item 2 'EP advice.pdf' request-form.docx\n"
            "  panelapp papers add --meeting 3 --item 2 ~/Downloads/item2/   # every file in a folder\n"
            "  panelapp papers add --meeting 3 --item 5 --received '2026-03-09 16:40' provision-map.xlsx\n\n"
            "Exit status 2 when any file was refused (the others are stored)."
        ),
    )
    a.add_argument("files", nargs="+", metavar="FILE", help="files, or folders of files, to add")
    a.add_argument(
        "--meeting",
        type=numbers.record_number,
        required=True,
        help="the meeting number ('panelapp meetings')",
    )
    a.add_argument(
        "--item",
        type=numbers.record_number,
        required=True,
        help="the item number on its agenda ('panelapp show MEETING')",
    )
    a.add_argument(
        "--title", help="the paper's title when adding one file (default: from the file name)"
    )
    a.add_argument(
        "--received",
        metavar="'YYYY-MM-DD HH:MM'",
        help="when the paper reached you, if earlier than now (for example the email's time); "
        "this decides whether it is late",
    )
    a.add_argument(
        "--max-size-mb",
        type=numbers.megabytes,
        default=50,
        metavar="MB",
        help="refuse files larger than this (default: 50)",
    )
    a.set_defaults(func=cmd_papers_add)

    lst = papers_sub.add_parser(
        "list",
        help="list a meeting's papers item by item, with late ones marked",
        description="List the papers of each item of a meeting, with late papers marked.",
    )
    lst.add_argument(
        "--meeting", type=numbers.record_number, required=True, help="the meeting number"
    )
    _add_naming(lst)
    lst.set_defaults(func=cmd_papers_list)

    txt = papers_sub.add_parser(
        "text",
        help="read the words of papers stored while their reading was interrupted",
        description=(
            "Read, for search, the words of every paper stored but not yet read (for example "
            "when panelapp was closed while it was reading them). 'papers add' and the window "
            "do this by themselves."
        ),
    )
    txt.set_defaults(func=cmd_papers_text)

    p = sub.add_parser(
        "cases",
        help="import a case list (CSV or XLSX)",
        description="Cases: the requests the panel hears.",
    )
    cases_sub = p.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
    c = cases_sub.add_parser(
        "import",
        help="import a case list exported from a case-management system",
        formatter_class=_FORMATTER,
        description=(
            "Import a case list from a CSV or Excel (.xlsx) file: one row per case, with a\n"
            "header row naming the columns. Required columns: reference, first name, last\n"
            "name, date of birth, primary need, request type, request received date. Optional:\n"
            "setting, year group, case officer, secondary need, review meeting date, transfer\n"
            "year, post-16 transfer, transfer date. Other columns are ignored. Dates as\n"
            "14/03/2019 or 2019-03-14. The README lists the columns and the other headings\n"
            "recognised.\n\n"
            "Every row is checked first. If any row has a problem, nothing is imported, and\n"
            "each problem is listed by row and column as your spreadsheet numbers them."
        ),
        epilog=(
            "examples:\n"
            "  panelapp cases import march-cases.xlsx\n"
            "  panelapp cases import march-cases.csv --meeting 3    # and put them on meeting 3's agenda"
        ),
    )
    c.add_argument("file", metavar="FILE", help="the case list (.csv or .xlsx)")
    c.add_argument(
        "--meeting",
        type=numbers.record_number,
        help="also put every imported case on this meeting's agenda, in the file's order",
    )
    c.add_argument(
        "--minutes",
        type=numbers.minutes,
        default=15,
        help="time allowed for each case on the agenda (default: 15)",
    )
    c.set_defaults(func=cmd_cases_import)
    caseload.register_cases(cases_sub)

    p = sub.add_parser(
        "agenda",
        help="export a meeting's agenda as a Word document",
        description="The agenda of a meeting.",
    )
    agenda_sub = p.add_subparsers(dest="agenda_command", metavar="ACTION", required=True)
    e = agenda_sub.add_parser(
        "export",
        help="write the agenda as a Word (.docx) document",
        formatter_class=_FORMATTER,
        description=(
            "Write a meeting's agenda as a Word document: the meeting's details, the opening\n"
            "business, each case in order with its time slot, presenting officer, request type\n"
            "and statutory due date, and its papers with late ones marked. Every page is\n"
            "marked OFFICIAL-SENSITIVE. The export is recorded in the audit trail."
        ),
        epilog=(
            "examples:\n"
            "  panelapp agenda export 3                      # into the current folder\n"
            "  panelapp agenda export 3 --out ~/Panel/ --naming reference"
        ),
    )
    e.add_argument(
        "meeting", type=numbers.record_number, help="the meeting number ('panelapp meetings')"
    )
    e.add_argument(
        "--out", metavar="PATH", help="a .docx file name, or a folder for the default name"
    )
    _add_naming(e)
    e.add_argument(
        "--opening-minutes",
        type=numbers.minutes,
        default=10,
        metavar="N",
        help="minutes for welcome, apologies and declarations before the first case (default: 10)",
    )
    e.add_argument("--overwrite", action="store_true", help="replace the file if it exists")
    e.set_defaults(func=cmd_agenda_export)

    p = sub.add_parser(
        "packs",
        help="export each member's pack of agenda and papers",
        description="Members' paper packs.",
    )
    packs_sub = p.add_subparsers(dest="packs_command", metavar="ACTION", required=True)
    k = packs_sub.add_parser(
        "export",
        help="write each member's pack of agenda and papers: one encrypted PDF",
        formatter_class=_FORMATTER,
        description=(
            "Write, for each active member of the panel, a pack with a cover, the agenda and\n"
            "the papers: one PDF, encrypted with AES-256 under a password made for that member\n"
            "(shown once; --passwords-out keeps them in a file for separate delivery). With\n"
            "--zip or --folders, plain (unencrypted) ZIP files or folders. A member who declared\n"
            "an interest in a case before the meeting does not get that case's papers; the\n"
            "cover lists the withheld items by number, without naming the child. Record\n"
            "advance declarations first. Each pack is recorded in the audit trail."
        ),
        epilog=(
            "examples:\n"
            "  panelapp packs export 3 --out ~/Panel/packs/\n"
            "  panelapp packs export 3 --out ~/Panel/packs/ --member 'Dr Priya Nair' --member 4"
        ),
    )
    k.add_argument(
        "meeting", type=numbers.record_number, help="the meeting number ('panelapp meetings')"
    )
    k.add_argument(
        "--out", metavar="FOLDER", help="the folder to write the packs in (default: here)"
    )
    k.add_argument(
        "--member",
        action="append",
        metavar="NAME_OR_NUMBER",
        help="only this member's pack (repeat for several; default: every active member)",
    )
    plain = k.add_mutually_exclusive_group()
    plain.add_argument(
        "--zip", action="store_true", help="plain ZIP files, not encrypted (only when asked)"
    )
    plain.add_argument(
        "--folders", action="store_true", help="plain folders, not encrypted (only when asked)"
    )
    k.add_argument(
        "--passwords-out",
        metavar="FILE",
        help="also write the packs' passwords to this new file (readable by you only)",
    )
    _add_naming(k)
    k.add_argument(
        "--opening-minutes",
        type=numbers.minutes,
        default=10,
        metavar="N",
        help="minutes before the first case, for the agenda's times (default: 10)",
    )
    k.add_argument("--overwrite", action="store_true", help="replace packs that already exist")
    k.set_defaults(func=cmd_packs_export)

    s = sub.add_parser(
        "search",
        help="find cases, papers and decisions by the words in them",
        formatter_class=_FORMATTER,
        description=(
            "Search the text of cases, papers (PDF, Word, Excel, text), decisions and deferrals.\n"
            "Every word must appear; end a word with * to match its beginning. Each result shows\n"
            "the case it belongs to and a snippet with the words found in [brackets]."
        ),
        epilog=(
            "examples:\n"
            "  panelapp search speech therapy\n"
            "  panelapp search assess* --naming reference"
        ),
    )
    s.add_argument("words", nargs="+", metavar="WORD", help="words to find")
    s.add_argument(
        "--naming",
        choices=[m.value for m in NamingMode],
        default="initials",
        help="how children are named in the results (default: initials)",
    )
    s.add_argument(
        "--limit",
        type=numbers.result_count,
        default=25,
        help="at most this many results, best first (default: 25)",
    )
    s.set_defaults(func=cmd_search)
