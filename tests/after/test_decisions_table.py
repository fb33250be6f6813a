"""The decisions table for the case management system: one row per item heard, the documented
columns in their fixed order, read back with csv and openpyxl; nothing can start a formula;
the export is audited and, refused, leaves no file."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from panelapp.cli import main
from panelapp.documents.decisions_table import HEADINGS
from panelapp.domain.vocabulary import ItemStatus, NamingMode
from panelapp.services.approvals import list_approvals, record_approval
from panelapp.services.family_letters import record_letter_sent
from panelapp.services.meeting_view import meeting_view
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AuditEvent, Case


@pytest.fixture
def followed_up(store, demo, signed_minutes):
    """The signed demonstration meeting with one decision approved, one family's letter sent
    and one council reference that looks like a formula."""
    with store.read() as session:
        first = list_approvals(session, meeting_id=demo.meeting_id)[0]
        view = meeting_view(session, demo.meeting_id, NamingMode.FULL)
    with UnitOfWork(store, "Joanne Pike") as uow:
        record_approval(uow, demo.meeting_id, item=first.item_position, officer="Dana Fox",
                        approved=True, on=date(2026, 3, 13))  # fmt: skip
        record_letter_sent(uow, demo.meeting_id, first.item_position, on=date(2026, 3, 16))
        case = uow.session.scalar(select(Case).where(Case.reference == view.items[-1].reference))
        case.reference = '=HYPERLINK("http://x")'
    return first, view


def _run(store_path, capsys, *argv):
    status = main(["--store", str(store_path), "--as", "Joanne Pike", *argv])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_csv_one_row_per_item_heard(store, store_path, demo, followed_up, tmp_path, capsys):
    first, view = followed_up
    store.close()
    out = tmp_path / "decisions.csv"
    status, said = _run(store_path, capsys, "decisions", "table", str(demo.meeting_id),
                        "--format", "csv", "--out", str(out))  # fmt: skip
    assert status == 0, said
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADINGS
    heard = [i for i in view.items if i.status is not ItemStatus.TO_DO]
    assert [int(r[HEADINGS.index("item")]) for r in rows[1:]] == [i.position for i in heard]
    by_item = {
        int(r[HEADINGS.index("item")]): dict(zip(HEADINGS, r, strict=True)) for r in rows[1:]
    }
    approved = by_item[first.item_position]
    assert approved["approval_status"] == "approved"
    assert approved["letter_sent_date"] == "2026-03-16"
    assert approved["meeting_date"] == view.meeting_date.isoformat()
    for item in heard:
        row = by_item[item.position]
        assert row["outcome"] == (item.outcome.label if item.outcome else item.status.label)
        if item.amount_pence is not None:
            assert row["amount"] == f"{item.amount_pence / 100:.2f}"
        if item.status is ItemStatus.DEFERRED:
            assert row["return_date"] == item.deferred_to.isoformat()
        assert item.child_name.split()[0] not in row["child"]  # initials by default
    assert by_item[heard[-1].position]["council_reference"].startswith("'=")
    assert all(not c.startswith(("=", "+", "-", "@")) for r in rows for c in r)
    with store.read() as session:
        events = [e.action for e in session.scalars(select(AuditEvent))]
    assert events.count("decisions.table_exported") == 1


def test_xlsx_for_a_period(store, store_path, demo, followed_up, tmp_path, capsys):
    first, view = followed_up
    store.close()
    status, said = _run(store_path, capsys, "decisions", "table", "--from", "2026-03-01",
                        "--to", "2026-03-31", "--format", "xlsx", "--out", str(tmp_path),
                        "--naming", "reference")  # fmt: skip
    assert status == 0, said
    (path,) = tmp_path.glob("*.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Decisions"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == HEADINGS
    assert len(values) - 1 == sum(i.status is not ItemStatus.TO_DO for i in view.items)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert all(not (r[HEADINGS.index("child")] or "") for r in values[1:])  # reference only
    assert "What it holds" in [c.value for c in book["About"]["B"]]


def test_refused_with_nothing_written(store, store_path, demo, tmp_path, capsys):
    store.close()
    out = tmp_path / "t.csv"
    status, said = _run(store_path, capsys, "decisions", "table", "--out", str(out))
    assert status == 2 and "meeting number, or a period" in said
    status, said = _run(store_path, capsys, "decisions", "table", "--from", "2030-01-01",
                        "--to", "2030-01-31", "--out", str(out))  # fmt: skip
    assert status == 2 and "nothing to export" in said
    assert not out.exists()
