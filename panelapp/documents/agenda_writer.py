"""The agenda as a Word document, written into the council's agenda template (agenda.docx)
through the same template path as the minutes (``docx_template``), laid out for a panel chair.

The meeting's details and the business before the cases (apologies, declarations, the previous
meeting's minutes, matters arising from its actions), then one table row per case with its time
slot, the child as the naming mode says, the request, who presents and the statutory due date,
and under it the papers with late ones marked. Rows never split across pages and the table's
heading row repeats on each page. The template gives the look (styles, page, header and footer
with the confidentiality marking), so a council restyles its agendas by editing the template.

Pure: content and template bytes in, .docx bytes out, the same bytes for the same input.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time

from panelapp.documents.agenda_content import (
    AgendaDocument,
    AgendaEntry,
    AgendaPaper,
    MatterArising,
)
from panelapp.documents.docx_template import Cell, Line, Part, Span, TemplateDocument
from panelapp.domain.formatting import format_date, short_moment, weekday_date

logger = logging.getLogger(__name__)

__all__ = ["COLUMNS", "TEMPLATE", "WIDTHS_CM", "write_agenda"]

#: the template's file name (bundled, or the council's own: see ``panelapp.resources``)
TEMPLATE = "agenda.docx"
COLUMNS = ("Item", "Time", "Child", "Request", "Presenting", "Statutory due")
WIDTHS_CM = [1.1, 2.6, 3.6, 3.8, 2.7, 3.2]  # 17 cm: the page less its margins
ALERT = "Alert"  # character style of a mark: LATE, OVERDUE, PAST DUE
ASIDE = "Aside"  # character style of a note beside a line


def _day(d: date) -> str:
    return weekday_date(d)


def _hm(t: time) -> str:
    return f"{t:%H:%M}"


def _received(moment: datetime) -> str:
    return short_moment(moment, padded=False)  # '3 Mar 2026 09:15'


def write_agenda(agenda: AgendaDocument, template: bytes) -> bytes:
    """The agenda as the bytes of a .docx file, in ``template``'s look."""
    doc = TemplateDocument(template, what="agenda")
    doc.fill_placeholders(
        {
            "council": agenda.council or agenda.panel_name,
            "panel": agenda.panel_name,
            "meeting_date": format_date(agenda.meeting_date),
            "document": f"{agenda.panel_name}: agenda, {format_date(agenda.meeting_date)}",
        }
    )
    doc.paragraph(agenda.panel_name, "Title")
    doc.paragraph(f"Agenda: {_day(agenda.meeting_date)}", "Subtitle")
    _council(doc, agenda)
    _details(doc, agenda)
    _opening(doc, agenda)
    doc.heading("Cases", 1)
    if agenda.entries:
        _cases_table(doc, agenda)
        _late_legend(doc, agenda)
    else:
        doc.paragraph("No cases are on this agenda yet.")
    _closing(doc, agenda)
    return doc.finish(
        title=f"{agenda.panel_name}: agenda for {format_date(agenda.meeting_date)}",
        subject="Agenda",
        moment=datetime.combine(agenda.produced_on, time(0)),
    )


def _council(doc: TemplateDocument, agenda: AgendaDocument) -> None:
    """The council's name, address and contact, as on its letterhead (panel settings)."""
    lines = [line for line in (agenda.council, *agenda.council_address.splitlines()) if line]
    if agenda.council_contact:
        lines.append("Contact: " + "; ".join(agenda.council_contact.splitlines()))
    if lines:
        doc.paragraph(", ".join(lines), "Small Print")


def _details(doc: TemplateDocument, agenda: AgendaDocument) -> None:
    doc.facts(
        [
            ("Date", _day(agenda.meeting_date)),
            ("Time", f"{_hm(agenda.start)} to {_hm(agenda.end)} (estimated)"),
            ("Venue", agenda.venue or "To be confirmed"),
            ("Chair", agenda.chair or "Not set"),
            ("Vice-chair", agenda.vice_chair or "Not set"),
            ("Minute taker", agenda.minute_taker or "Not set"),
            ("Papers due", f"by the end of {_day(agenda.paper_deadline)}"),
            ("Children named", agenda.naming_label),
        ],
        spacer=not agenda.members,
    )
    if agenda.members:
        members = "; ".join(
            f"{m.name} ({m.roles}{', ' + m.organisation if m.organisation else ''})"
            for m in agenda.members
        )
        doc.runs([("Members: ", True), (members, False)], "Small Print")


def _opening(doc: TemplateDocument, agenda: AgendaDocument) -> None:
    doc.heading("Opening business", 1)
    first_case = agenda.entries[0].start if agenda.entries else agenda.end
    doc.heading(f"A.  {_hm(agenda.start)}  Welcome, introductions and apologies", 3)
    doc.heading("B.  Declarations of interest", 3)
    doc.paragraph(
        "Members declare any interest in the cases below. A member with an interest in a case "
        "leaves the meeting for that case and plays no part in its decision."
    )
    if agenda.advance_declarations:
        doc.paragraph("Declared before the meeting:")
        doc.bullets(agenda.advance_declarations)
    _previous_minutes(doc, agenda)
    _matters_arising(doc, agenda)
    if agenda.opening_minutes:
        doc.paragraph(
            f"Opening business is allowed {agenda.opening_minutes} minutes; the first case is "
            f"at {_hm(first_case)}.",
            "Small Print",
        )


def _previous_minutes(doc: TemplateDocument, agenda: AgendaDocument) -> None:
    doc.heading("C.  Minutes of the previous meeting", 3)
    before = agenda.previous_meeting
    if before is None:
        doc.paragraph("This is the panel's first meeting: there are no earlier minutes.")
    elif before.minutes_signed:
        doc.paragraph(
            f"The minutes of the meeting of {_day(before.meeting_date)}, signed by the chair, "
            "for noting."
        )
    elif before.minutes_made:
        doc.paragraph(
            f"The minutes of the meeting of {_day(before.meeting_date)}: to be agreed and "
            "signed by the chair."
        )
    else:
        doc.paragraph(
            f"The minutes of the meeting of {_day(before.meeting_date)} are not yet written: "
            "they will come to the next meeting."
        )


def _matters_arising(doc: TemplateDocument, agenda: AgendaDocument) -> None:
    doc.heading("D.  Matters arising", 3)
    if not agenda.matters_arising:
        doc.paragraph("No actions from earlier meetings are still open.")
        return
    overdue = sum(m.overdue for m in agenda.matters_arising)
    count = len(agenda.matters_arising)
    doc.paragraph(
        f"{count} action{'' if count == 1 else 's'} from earlier meetings "
        f"{'is' if count == 1 else 'are'} still open"
        + (f", {overdue} of them overdue:" if overdue else ":")
    )
    for matter in agenda.matters_arising:
        doc.runs(_matter_parts(matter), "List Bullet")


def _matter_parts(matter: MatterArising) -> list[Part]:
    where = f"meeting of {format_date(matter.agreed_on)}"
    if matter.item_position is not None:
        where += f", item {matter.item_position}"
    due = f"due {format_date(matter.due)}" if matter.due else "no due date"
    parts = [
        Part(f"{matter.description} "),
        Part(f"(owner: {matter.owner or 'not named'}; {due}; {where})", style=ASIDE),
    ]
    if matter.overdue:
        parts += [Part("  "), Part("OVERDUE", bold=True, style=ALERT)]
    return parts


def _cases_table(doc: TemplateDocument, agenda: AgendaDocument) -> None:
    rows: list[list[Cell] | Span] = []
    for entry in agenda.entries:
        rows.append(_entry_row(entry))
        rows.append(Span(Cell(tuple(_detail_lines(entry))), indent_cm=WIDTHS_CM[0] - 0.2))
    doc.grid(COLUMNS, rows, WIDTHS_CM)


def _entry_row(entry: AgendaEntry) -> list[Cell]:
    if entry.statutory_due:
        due_lines: list[str | Line] = [
            Line((Part(format_date(entry.statutory_due), bold=entry.overdue),)),
            Line((Part(entry.statutory_what),), "Small Print"),
        ]
        if entry.overdue:
            due_lines.append(Line((Part("PAST DUE", bold=True, style=ALERT),)))
        due = Cell(tuple(due_lines))
    elif entry.clock_unknown:
        due = Cell((f"Clock unknown: {entry.clock_unknown}",), bold_first=True)
    else:
        due = Cell((Line((Part("No statutory clock"),), "Small Print"),))
    return [
        Cell((str(entry.position),), bold_first=True),
        Cell(
            (
                f"{_hm(entry.start)}–{_hm(entry.end)}",
                Line((Part(f"{entry.minutes} min"),), "Small Print"),
            )
        ),
        Cell((entry.child,), bold_first=True),
        Cell((entry.request_type,)),
        Cell((entry.presenting_officer or "Not set",)),
        due,
    ]


def _detail_lines(entry: AgendaEntry) -> list[str | Line]:
    """What goes under a case's row: its return after a deferral, declarations, the papers."""
    lines: list[str | Line] = []
    if entry.returned_by:
        lines.append(
            Line(
                (
                    Part("Returned by the chief officer ", bold=True),
                    Part(
                        f"(decision of {format_date(entry.returning_from)}): "
                        if entry.returning_from
                        else ""
                    ),
                    Part(f"{entry.returned_by}."),
                )
            )
        )
    elif entry.returning_from:
        parts = [
            Part("Returning after deferral ", bold=True),
            Part(f"on {format_date(entry.returning_from)}."),
        ]
        if entry.returning_for:
            parts.append(Part(f" The panel asked for: {entry.returning_for}."))
        lines.append(Line(tuple(parts)))
    if entry.chair_note or entry.declared_by:
        lines.append(" ".join((*entry.declared_by, entry.chair_note)).strip())
    if entry.withheld:
        lines.append(
            Line(
                (
                    Part(
                        "Papers withheld from this pack: you declared an interest in this case "
                        "before the meeting. You leave the meeting for this item.",
                        bold=True,
                        style=ALERT,
                    ),
                )
            )
        )
    elif entry.papers:
        lines.extend(_paper_line(paper) for paper in entry.papers)
    else:
        lines.append(Line((Part("No papers received yet.", style=ASIDE),)))
    return lines


def _paper_line(paper: AgendaPaper) -> Line:
    facts = [paper.kind_label]
    if paper.pages:
        facts.append("1 page" if paper.pages == 1 else f"{paper.pages} pages")
    note = f"({', '.join(facts)}; received {_received(paper.received)}"
    if paper.carried_from:
        note += f"; sent for the meeting of {format_date(paper.carried_from)}"
    parts = [Part(f"{paper.number}. {paper.title} "), Part(note + ")", style=ASIDE)]
    if paper.late:
        parts += [Part("  "), Part("LATE", bold=True, style=ALERT)]
    return Line(tuple(parts))


def _late_legend(doc: TemplateDocument, agenda: AgendaDocument) -> None:
    count = agenda.late_papers
    doc.runs(
        [
            Part("LATE", bold=True, style=ALERT),
            Part(
                " marks a paper received after the deadline (the end of "
                f"{_day(agenda.paper_deadline)}). Late papers may be considered, and the minutes "
                "record them. "
                + (
                    "There are no late papers."
                    if count == 0
                    else f"There {'is 1 late paper' if count == 1 else f'are {count} late papers'}."
                )
            ),
        ],
        "Small Print",
    )


def _closing(doc: TemplateDocument, agenda: AgendaDocument) -> None:
    doc.heading("Closing business", 1)
    doc.heading(f"E.  {_hm(agenda.end)}  Any other business", 3)
    next_meeting = _day(agenda.next_meeting) if agenda.next_meeting else "to be arranged"
    doc.heading(f"F.  Date of next meeting: {next_meeting}", 3)
    doc.paragraph(
        f"Produced by panelapp on {format_date(agenda.produced_on)}. Share only with panel "
        "members; delete your copies after the meeting as your council's records policy says.",
        "Small Print",
    )
