"""Minutes of a 40-case meeting: panelapp's generate-and-sign, and the same content written with
bare python-docx.

The subject is what the minute taker and the chair do: ``minutes.generate_minutes`` (read the
meeting from the store, write the draft into the council's template, keep it as a version) then
``minutes.sign_minutes`` (make the draft again to check the records did not change, make it with
the signature block, sign the package with the chair's key, keep it). Each is its own unit of
work on the encrypted store, as in the application.

The baseline writes the content of those signed minutes (every paragraph with its style and bold
runs, every table with its style and cell text, in order) with python-docx's public API alone
into the same template, and saves it: the cheapest way to produce the same Word document's text
and structure, with no store, no checking, no masking, no layout details and no signature.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from benchmarks import meetings
from benchmarks.meetings import ACTOR
from panelapp.services.papers import add_paper
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.engine import Store

CHAIR = "Margaret Holloway"
#: the chair's own signing passphrase (fictional): every signing key is wrapped with one
SIGNING_PASSPHRASE = "benchmark chair signing words"
PAPER_TITLES = ("EP advice", "Speech and language therapy report", "Parents' views",
                "School SEN support plan", "Costed provision map")  # fmt: skip


def prepare_minutes_meeting(store: Store, n_items: int = 40) -> dict:
    """A closed meeting of ``n_items`` cases with papers, discussion notes, decisions and
    deferrals, and a signing certificate for the chair: everything up to the minutes."""
    from panelapp.services import signing

    panel_id, members = meetings.setup_panel(store)
    day = meetings.meeting_day(0)
    meeting_id, item_ids = meetings.prepare_meeting(store, panel_id, members, day, n_items, 0)
    for i, item_id in enumerate(item_ids):
        with UnitOfWork(store, ACTOR) as uow:
            for j in range(2 + i % 3):
                title = PAPER_TITLES[(i + j) % len(PAPER_TITLES)]
                body = f"{title} for case {i + 1}.\r\nFictional text for the benchmark.\r\n"
                add_paper(uow, item_id, file_name=f"{title} {i + 1}.txt", data=body.encode())
    meetings.hold_meeting(
        store,
        item_ids,
        0,
        day,
        return_date=meetings.meeting_day(8),
        with_discussion=True,
    )
    meetings.close_meeting(store, meeting_id)
    with UnitOfWork(store, ACTOR) as uow:
        signing.create_signing_identity(uow, members[CHAIR], passphrase=SIGNING_PASSPHRASE)
    return {"meeting_id": meeting_id, "signer_id": members[CHAIR], "items": len(item_ids)}


def generate_and_sign(store: Store, meeting_id: int, signer_id: int) -> bytes:
    """The subject: draft, then the chair's signature; returns the signed document."""
    from panelapp.services import minutes

    with UnitOfWork(store, ACTOR) as uow:
        minutes.generate_minutes(uow, meeting_id)
    with UnitOfWork(store, ACTOR) as uow:
        minutes.sign_minutes(uow, meeting_id, signer_id, passphrase=SIGNING_PASSPHRASE)
    with store.read() as session:
        return minutes.minutes_document(session, meeting_id)[1]


# -- the baseline -------------------------------------------------------------------------------


def document_content(docx_bytes: bytes) -> list[dict]:
    """The body of a Word document as plain data: paragraphs (style, runs with bold) and
    tables (style, rows of cell text), in order."""
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(docx_bytes))
    blocks: list[dict] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            blocks.append(
                {
                    "p": paragraph.style.name if paragraph.style is not None else "Normal",
                    "runs": [[run.text, bool(run.bold)] for run in paragraph.runs],
                }
            )
        elif child.tag == qn("w:tbl"):
            table = Table(child, document)
            blocks.append(
                {
                    "t": table.style.name if table.style is not None else None,
                    "rows": [[cell.text for cell in row.cells] for row in table.rows],
                }
            )
    return blocks


def write_with_python_docx(blocks: list[dict], template: bytes) -> bytes:
    """The baseline: the same content written with python-docx's public API, then saved."""
    import docx

    document = docx.Document(io.BytesIO(template))
    body = document.element.body
    for child in list(body.iterchildren())[:-1]:  # keep the section properties, as panelapp does
        body.remove(child)
    for block in blocks:
        if "p" in block:
            paragraph = document.add_paragraph(style=block["p"])
            for text, bold in block["runs"]:
                run = paragraph.add_run(text)
                if bold:
                    run.bold = True
        else:
            rows = block["rows"]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            if block["t"]:
                table.style = block["t"]
            for row, values in zip(table.rows, rows, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def save_content(blocks: list[dict], path: Path) -> None:
    path.write_text(json.dumps(blocks), encoding="utf-8")


def load_content(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))
