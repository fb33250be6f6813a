"""Hostile case lists: huge cells, formulas, hidden control and direction characters. Each is
refused by row and column as the spreadsheet numbers them, nothing is imported, and nothing
raw is echoed to the terminal."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from panelapp.cli import main
from panelapp.store.tables import Case

HEADER = (
    "Reference,First name,Last name,Date of birth,Primary need,Request type,"
    "Request received date,Setting"
)
ROW = "NB-25-{n:04d},Ruby,Khan,03/12/2020,SLCN,EHCNA,02/02/2026,Hillside Primary School"


def _rows(*changed: tuple[int, int, str], count: int = 3) -> list[list[str]]:
    rows = [HEADER.split(",")] + [ROW.format(n=n).split(",") for n in range(count)]
    for row, col, value in changed:
        rows[row - 1][col] = value
    return rows


def _write_csv(path, rows) -> None:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def _write_xlsx(path, rows, formulas=()) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cell, formula in formulas:
        sheet[cell] = formula
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())


@pytest.fixture
def run(store_path, capsys, restore_logging):
    assert main(["--store", str(store_path), "init"]) == 0
    capsys.readouterr()

    def run_import(path):
        code = main(["--store", str(store_path), "cases", "import", str(path)])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        return code, captured.out + captured.err

    return run_import


def _cases(store_path) -> int:
    from panelapp.store.lifecycle import open_store

    store = open_store(store_path)
    try:
        with store.read() as session:
            return session.scalar(select(func.count()).select_from(Case))
    finally:
        store.close()


def test_a_megabyte_cell_is_named_by_row_and_column(run, tmp_path, store_path):
    path = tmp_path / "cases.csv"
    _write_csv(path, _rows((3, 1, "x" * 1_048_576)))
    code, out = run(path)
    assert code == 2
    assert "row 3, column B holds 1,048,576 characters" in out
    assert "unclosed quote" not in out
    assert _cases(store_path) == 0


def test_formula_cells_are_reported_as_formulas_in_excel_and_csv(run, tmp_path, store_path):
    xlsx = tmp_path / "cases.xlsx"
    _write_xlsx(xlsx, _rows(), formulas=[("B3", '=UPPER("ruby")'), ("D4", "=TODAY()-2000")])
    code, out = run(xlsx)
    assert code == 2
    assert "row 3, column B (first name): is a formula" in out
    assert "row 4, column D (date of birth): is a formula" in out
    assert "blank" not in out

    csv_path = tmp_path / "cases.csv"
    _write_csv(csv_path, _rows((2, 2, '=HYPERLINK("http://example.invalid","Khan")')))
    code, out = run(csv_path)
    assert code == 2 and "row 2, column C (last name): is a formula" in out
    assert "HYPERLINK" not in out
    assert _cases(store_path) == 0


@pytest.mark.parametrize(
    "cell, value, where, code_point",
    [
        ((2, 0), "NB-\u202e0101", "row 2, column A (reference)", "U+202E"),
        ((3, 2), "Khan\x1b[2J", "row 3, column C (last name)", "U+001B"),
        ((4, 7), "Hillside\x07 School", "row 4, column H (setting)", "U+0007"),
        ((1, 7), "Setting\u2066", "row 1, column H", "U+2066"),
    ],
)
def test_control_and_direction_characters_are_refused_by_row_and_column(
    run, tmp_path, store_path, cell, value, where, code_point
):
    kinds = [(".csv", _write_csv)]
    if value.isprintable() or "\u202e" in value or "\u2066" in value:
        kinds.append((".xlsx", _write_xlsx))  # openpyxl will not write C0 controls
    for suffix, write in kinds:
        path = tmp_path / f"cases{suffix}"
        write(path, _rows((cell[0], cell[1], value)))
        code, out = run(path)
        assert code == 2, out
        assert where in out and code_point in out, out
        assert value not in out and "\x1b" not in out and "\u202e" not in out
    assert _cases(store_path) == 0


def test_a_clean_list_still_imports(run, tmp_path, store_path):
    path = tmp_path / "cases.xlsx"
    _write_xlsx(path, _rows())
    code, out = run(path)
    assert code == 0 and "Imported 3 case(s)" in out
