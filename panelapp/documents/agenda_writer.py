"""The agenda as a Word document (python-docx), laid out for a panel chair.

One page opening with the council's letterhead, the meeting's details and the business before
the cases (apologies, declarations, the previous meeting's minutes, matters arising from its
actions), then one table row per case with its time slot, the child as the naming mode says, the request, who presents and the statutory due date, and under it the papers with late
ones marked. Rows never split across pages and the table's header repeats on each page.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Pt

from panelapp.documents.agenda_content import (
    AgendaDocument,
    AgendaEntry,
    AgendaPaper,
    MatterArising,
)
from panelapp.documents.docx_style import (
    DARK_RED,
    GREY,
    HEADER_FILL,
    bullet,
    cell_text,
    heading,
    keep_row_whole,
    keep_with_next,
    new_document,
    repeat_as_header,
    set_widths,
    shade,
    style,
    styled,
    to_bytes,
)
from panelapp.domain.deadlines import format_date

logger = logging.getLogger(__name__)

COLUMNS = ("Item", "Time", "Child", "Request", "Presenting", "Statutory due")
WIDTHS_CM = [1.1, 2.2, 4.0, 3.8, 2.7, 3.2]


def _day(d: date) -> str:
    return f"{d:%A} {format_date(d)}"


def _hm(t: time) -> str:
    return f"{t:%H:%M}"


def _received(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y %H:%M}"  # '3 Mar 2026 09:15', same on every OS


def write_agenda(agenda: AgendaDocument) -> bytes:
    """The agenda as the bytes of a .docx file."""
    doc = new_document(
        footer_text=f"{agenda.panel_name}: agenda, {format_date(agenda.meeting_date)}"
    )
    styled(doc, agenda.panel_name, "Title")
    subtitle = doc.add_paragraph()
    run = subtitle.add_run(f"Agenda: {_day(agenda.meeting_date)}")
    run.bold = True
    run.font.size = Pt(13)
    _council(doc, agenda)
    _details(doc, agenda)
    _opening(doc, agenda)
    heading(doc, "Cases")
    if agenda.entries:
        _cases_table(doc, agenda)
        _late_legend(doc, agenda)
    else:
        doc.add_paragraph("No cases are on this agenda yet.")
    _closing(doc, agenda)
    return to_bytes(doc)


def _council(doc, agenda: AgendaDocument) -> None:
    """The council's name, address and contact, as on its letterhead (panel settings)."""
    lines = [agenda.council, *agenda.council_address.splitlines()]
    lines = [line for line in lines if line.strip()]
    if agenda.council_contact:
        lines.append("Contact: " + "; ".join(agenda.council_contact.splitlines()))
    if not lines:
        return
    para = doc.add_paragraph()
    para.paragraph_format.space_after = Pt(6)
    for n, line in enumerate(lines):
        run = para.add_run(line)
        run.bold = n == 0 and bool(agenda.council)
        run.font.size = Pt(9.5)
        if n < len(lines) - 1:
            run.add_break()


def _details(doc, agenda: AgendaDocument) -> None:
    rows = [
        ("Date", _day(agenda.meeting_date)),
        ("Time", f"{_hm(agenda.start)} to {_hm(agenda.end)} (estimated)"),
        ("Venue", agenda.venue or "To be confirmed"),
        ("Chair", agenda.chair or "Not set"),
        ("Vice-chair", agenda.vice_chair or "Not set"),
        ("Minute taker", agenda.minute_taker or "Not set"),
        ("Papers due", f"by the end of {_day(agenda.paper_deadline)}"),
        ("Children named", agenda.naming_label),
    ]
    table = doc.add_table(rows=0, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for label, value in rows:
        cells = table.add_row().cells
        cell_text(cells[0], label, bold=True)
        cell_text(cells[1], value)
    set_widths(table, [3.2, 13.8])
    if agenda.members:
        para = doc.add_paragraph()
        para.paragraph_format.space_before = Pt(6)
        para.add_run("Members: ").bold = True
        para.add_run(
            "; ".join(
                f"{m.name} ({m.roles}{', ' + m.organisation if m.organisation else ''})"
                for m in agenda.members
            )
        ).font.size = Pt(9)


def _opening(doc, agenda: AgendaDocument) -> None:
    heading(doc, "Opening business")
    first_case = agenda.entries[0].start if agenda.entries else agenda.end
    para = doc.add_paragraph()
    para.add_run(f"A.  {_hm(agenda.start)}  Welcome, introductions and apologies").bold = True
    para = doc.add_paragraph()
    para.add_run("B.  Declarations of interest").bold = True
    doc.add_paragraph(
        "Members declare any interest in the cases below. A member with an interest in a case "
        "leaves the meeting for that case and plays no part in its decision."
    )
    if agenda.advance_declarations:
        doc.add_paragraph("Declared before the meeting:")
        for line in agenda.advance_declarations:
            bullet(doc, line)
    _previous_minutes(doc, agenda)
    _matters_arising(doc, agenda)
    if agenda.opening_minutes:
        note = doc.add_paragraph()
        run = note.add_run(
            f"Opening business is allowed {agenda.opening_minutes} minutes; the first case is "
            f"at {_hm(first_case)}."
        )
        run.italic = True
        run.font.color.rgb = GREY


def _previous_minutes(doc, agenda: AgendaDocument) -> None:
    para = doc.add_paragraph()
    para.add_run("C.  Minutes of the previous meeting").bold = True
    before = agenda.previous_meeting
    if before is None:
        doc.add_paragraph("This is the panel's first meeting: there are no earlier minutes.")
    elif before.minutes_signed:
        doc.add_paragraph(
            f"The minutes of the meeting of {_day(before.meeting_date)}, signed by the chair, "
            "for noting."
        )
    elif before.minutes_made:
        doc.add_paragraph(
            f"The minutes of the meeting of {_day(before.meeting_date)}: to be agreed and "
            "signed by the chair."
        )
    else:
        doc.add_paragraph(
            f"The minutes of the meeting of {_day(before.meeting_date)} are not yet written: "
            "they will come to the next meeting."
        )


def _matters_arising(doc, agenda: AgendaDocument) -> None:
    para = doc.add_paragraph()
    para.add_run("D.  Matters arising").bold = True
    if not agenda.matters_arising:
        doc.add_paragraph("No actions from earlier meetings are still open.")
        return
    overdue = sum(m.overdue for m in agenda.matters_arising)
    count = len(agenda.matters_arising)
    doc.add_paragraph(
        f"{count} action{'' if count == 1 else 's'} from earlier meetings "
        f"{'is' if count == 1 else 'are'} still open"
        + (f", {overdue} of them overdue:" if overdue else ":")
    )
    for matter in agenda.matters_arising:
        _matter_line(bullet(doc), matter)


def _matter_line(para, matter: MatterArising) -> None:
    where = f"meeting of {format_date(matter.agreed_on)}"
    if matter.item_position is not None:
        where += f", item {matter.item_position}"
    para.add_run(f"{matter.description} ")
    due = f"due {format_date(matter.due)}" if matter.due else "no due date"
    para.add_run(f"(owner: {matter.owner or 'not named'}; {due}; {where})").font.color.rgb = GREY
    if matter.overdue:
        para.add_run("  ")
        mark = para.add_run("OVERDUE")
        mark.bold = True
        mark.font.color.rgb = DARK_RED
    _size(para, 9.5)


def _cases_table(doc, agenda: AgendaDocument) -> None:
    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = style(doc, "Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    for cell, title in zip(header.cells, COLUMNS, strict=True):
        cell_text(cell, title, bold=True, size=9)
        shade(cell, HEADER_FILL)
    repeat_as_header(header)
    for entry in agenda.entries:
        _entry_rows(table, entry, agenda)
    set_widths(table, WIDTHS_CM)


def _entry_rows(table, entry: AgendaEntry, agenda: AgendaDocument) -> None:
    row = table.add_row()
    cells = row.cells
    cell_text(cells[0], str(entry.position), bold=True)
    cell_text(cells[1], f"{_hm(entry.start)}–{_hm(entry.end)}", size=9)
    cell_text(cells[1].add_paragraph(), f"{entry.minutes} min", size=8, color=GREY)
    cell_text(cells[2], entry.child, bold=True)
    cell_text(cells[3], entry.request_type, size=9)
    cell_text(cells[4], entry.presenting_officer or "Not set", size=9)
    if entry.statutory_due:
        cell_text(cells[5], format_date(entry.statutory_due), size=9, bold=entry.overdue)
        cell_text(cells[5].add_paragraph(), entry.statutory_what, size=7.5, color=GREY)
        if entry.overdue:
            cell_text(cells[5].add_paragraph(), "PAST DUE", size=8, bold=True, color=DARK_RED)
    elif entry.clock_unknown:
        cell_text(cells[5], f"Clock unknown: {entry.clock_unknown}", size=8, bold=True)
    else:
        cell_text(cells[5], "No statutory clock", size=8, color=GREY)
    keep_row_whole(row)
    keep_with_next(row)

    detail = table.add_row()
    merged = detail.cells[0].merge(detail.cells[-1])
    first = True

    def line():
        nonlocal first
        para = merged.paragraphs[0] if first else merged.add_paragraph()
        first = False
        para.paragraph_format.space_after = Pt(1)
        para.paragraph_format.left_indent = Cm(WIDTHS_CM[0] - 0.2)  # under the item's time
        return para

    if entry.returning_from:
        para = line()
        para.add_run("Returning after deferral ").bold = True
        para.add_run(f"on {format_date(entry.returning_from)}.")
        if entry.returning_for:
            para.add_run(f" The panel asked for: {entry.returning_for}.")
        _size(para, 9)
    if entry.chair_note or entry.declared_by:
        para = line()
        run = para.add_run(" ".join((*entry.declared_by, entry.chair_note)).strip())
        run.italic = True
        _size(para, 9)
    if entry.withheld:
        para = line()
        run = para.add_run(
            "Papers withheld from this pack: you declared an interest in this case before the "
            "meeting. You leave the meeting for this item."
        )
        run.bold = True
        run.font.color.rgb = DARK_RED
        _size(para, 9)
    elif entry.papers:
        for paper in entry.papers:
            _paper_line(line(), paper, agenda)
    else:
        para = line()
        run = para.add_run("No papers received yet.")
        run.italic = True
        run.font.color.rgb = GREY
        _size(para, 9)
    keep_row_whole(detail)


def _paper_line(para, paper: AgendaPaper, agenda: AgendaDocument) -> None:
    facts = [paper.kind_label]
    if paper.pages:
        facts.append("1 page" if paper.pages == 1 else f"{paper.pages} pages")
    para.add_run(f"{paper.number}. {paper.title} ").bold = False
    note = f"({', '.join(facts)}; received {_received(paper.received)}"
    if paper.carried_from:
        note += f"; sent for the meeting of {format_date(paper.carried_from)}"
    para.add_run(note + ")").font.color.rgb = GREY
    if paper.late:
        para.add_run("  ")
        mark = para.add_run("LATE")
        mark.bold = True
        mark.font.color.rgb = DARK_RED
    _size(para, 9)


def _size(para, points: float) -> None:
    for run in para.runs:
        run.font.size = Pt(points)


def _late_legend(doc, agenda: AgendaDocument) -> None:
    para = doc.add_paragraph()
    para.paragraph_format.space_before = Pt(4)
    count = agenda.late_papers
    mark = para.add_run("LATE")
    mark.bold = True
    mark.font.color.rgb = DARK_RED
    para.add_run(
        f" marks a paper received after the deadline (the end of {_day(agenda.paper_deadline)}). "
        "Late papers may be considered, and the minutes record them. "
        + (
            "There are no late papers."
            if count == 0
            else f"There {'is 1 late paper' if count == 1 else f'are {count} late papers'}."
        )
    )
    _size(para, 8.5)


def _closing(doc, agenda: AgendaDocument) -> None:
    heading(doc, "Closing business")
    para = doc.add_paragraph()
    para.add_run(f"E.  {_hm(agenda.end)}  Any other business").bold = True
    para = doc.add_paragraph()
    para.add_run("F.  Date of next meeting: ").bold = True
    para.add_run(_day(agenda.next_meeting) if agenda.next_meeting else "to be arranged")
    note = doc.add_paragraph()
    note.paragraph_format.space_before = Pt(10)
    run = note.add_run(
        f"Produced by panelapp on {format_date(agenda.produced_on)}. Share only with panel "
        "members; delete your copies after the meeting as your council's records policy says."
    )
    run.italic = True
    run.font.size = Pt(8)
    run.font.color.rgb = GREY
