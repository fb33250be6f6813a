"""The panel's decisions as a table for the council's case management system: a CSV file or an
Excel workbook, one row per item, with a documented and stable set of columns (``COLUMNS``;
new columns are only ever added at the end). No cell can start a formula (``cell_text``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from panelapp.documents.statistics_workbook import cell_text

#: (heading, what it holds): the order is the file's column order and never changes
COLUMNS: tuple[tuple[str, str], ...] = (
    ("council_reference", "The council's reference for the case"),
    ("child", "The child or young person, as the naming mode asked for shows them"),
    ("request_type", "What the panel was asked to decide"),
    ("outcome", "The decision; 'Deferred' or 'Withdrawn from agenda' when there was none"),
    ("amount", "Funding agreed, in pounds (blank when none)"),
    ("band", "The funding band agreed"),
    ("setting", "The school, college or setting named"),
    ("start_date", "When the decision takes effect (YYYY-MM-DD)"),
    ("end_date", "When the decision runs to: its review date (YYYY-MM-DD)"),
    ("deferral_reason", "Why the panel deferred"),
    ("return_date", "When a deferred case comes back to the panel (YYYY-MM-DD)"),
    ("meeting_id", "panelapp's number for the meeting"),
    ("item", "The item's number on the meeting's agenda"),
    ("meeting_date", "The day of the meeting (YYYY-MM-DD)"),
    ("chaired_by", "Who chaired the item (the vice-chair where the chair declared an interest)"),
    ("statutory_due_date", "The date the law sets for this step (YYYY-MM-DD), if any"),
    ("statutory_due_met", "yes or no: decided on or before the statutory date; blank otherwise"),
    (
        "approval_status",
        "The chief officer's approval: awaiting, approved, returned, or not yet "
        "sought (minutes not signed)",
    ),  # fmt: skip
    ("letter_sent_date", "The day the letter to the family was sent (YYYY-MM-DD)"),
)

HEADINGS = tuple(name for name, _ in COLUMNS)


def table_csv(rows: Sequence[Sequence[object]]) -> bytes:
    """The table as CSV (UTF-8 with a byte order mark, so Excel reads names correctly)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    for row in rows:
        writer.writerow(["" if v is None else cell_text(v) for v in row])
    return text.getvalue().encode("utf-8-sig")


def table_workbook(rows: Sequence[Sequence[object]], about: Sequence[tuple[str, str]]) -> bytes:
    """The table as a workbook: the 'Decisions' sheet, then 'About' saying what was exported
    (``about``) and what each column holds."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Decisions"
    sheet.append(list(HEADINGS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(["" if v is None else cell_text(v) for v in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "A2"
    info = book.create_sheet("About")
    for heading, text in (*about, ("", ""), ("Column", "What it holds"), *COLUMNS):
        info.append([cell_text(heading), cell_text(text)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
