"""``panelapp stats``: the workbook read back (its sheets, a native chart, no formula cells),
the CSV folder, the audit event, and the command's answers."""

from __future__ import annotations

import csv
import json
import zipfile
from datetime import date

import openpyxl
from sqlalchemy import select

from panelapp.cli import main
from panelapp.services.panel_statistics import StatsQuery
from panelapp.services.statistics_export import export_statistics
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.tables import AgendaItem, AuditEvent

WHOLE = StatsQuery(date(2026, 3, 1), date(2026, 4, 30))
HOSTILE = '=HYPERLINK("http://x","y")'


def _hostile_setting(store, figures_store) -> None:
    """A setting typed as a formula, on a case the panel heard."""
    with UnitOfWork(store, "ops") as uow:
        item = uow.session.scalars(
            select(AgendaItem).where(AgendaItem.meeting_id == figures_store.meeting_ids[0])
        ).first()
        item.case.setting = HOSTILE


def test_the_workbook_has_a_cover_a_sheet_a_data_set_charts_and_no_formulas(
    store, figures_store, tmp_path
):
    _hostile_setting(store, figures_store)
    result = export_statistics(store, "ops", WHOLE, tmp_path / "figures.xlsx", publish=True)
    assert result.path == tmp_path / "figures.xlsx"
    book = openpyxl.load_workbook(result.path)
    assert book.sheetnames[0] == "About these figures"
    assert {"Timeliness", "Outcomes", "Funding", "Age band"} <= set(book.sheetnames)
    assert len(book.sheetnames) == 1 + result.data_sets
    cover = [c.value for row in book["About these figures"].iter_rows() for c in row]
    assert any(isinstance(v, str) and "'<5'" in v for v in cover)  # says what <5 means
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                assert not (isinstance(cell.value, str) and cell.value.startswith("="))
    settings = [c.value for c in book["Setting"]["A"]]
    assert "'" + HOSTILE in settings
    ages = {r[0].value: r[1].value for r in book["Age band"].iter_rows(min_row=2)}
    assert ages["5 to 10"] == "<5"  # published: 3 children
    with zipfile.ZipFile(result.path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) >= 5
    with store.read() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "statistics.exported"))
    detail = json.loads(event.detail) if isinstance(event.detail, str) else event.detail
    assert detail["published"] is True and detail["format"] == "xlsx"


def test_csv_is_a_folder_of_files_with_exact_counts(store, figures_store, tmp_path):
    _hostile_setting(store, figures_store)
    result = export_statistics(store, "ops", WHOLE, tmp_path / "figures", fmt="csv")
    names = sorted(p.name for p in result.path.iterdir())
    assert "about.csv" in names and "timeliness.csv" in names and len(names) == 18
    assert "appeals.csv" in names and "letters.csv" in names
    with open(result.path / "age_band.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Age band", "Hearings", "Decided", "Deferred"]
    assert ["5 to 10", "3", "3", "0"] in rows  # exact: not marked for publication
    with open(result.path / "setting.csv", encoding="utf-8-sig", newline="") as fh:
        assert any(r[0] == "'" + HOSTILE for r in csv.reader(fh))


def test_the_stats_command_writes_the_workbook_and_refuses_a_backwards_period(
    store_path, tmp_path, capsys, restore_logging
):
    assert main(["--store", str(store_path), "demo"]) == 0
    with_store = ["--store", str(store_path), "--as", "Joanne Pike", "stats"]
    out = tmp_path / "stats.xlsx"
    code = main([*with_store, "--from", "2000-01-01", "--to", "2100-12-31", "--out", str(out)])
    assert code == 0 and out.exists()
    assert "data sets, exact counts" in capsys.readouterr().out
    code = main([*with_store, "--from", "2026-04-01", "--to", "2026-03-01", "--out", str(tmp_path)])
    assert code == 2 and "--to is before --from" in capsys.readouterr().err
    assert [p.name for p in tmp_path.glob("*.xlsx")] == ["stats.xlsx"]  # nothing else written
