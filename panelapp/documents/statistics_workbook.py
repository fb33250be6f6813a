"""The panel figures as files: an Excel workbook (a cover sheet, one sheet a data set, native
Excel charts) or CSV files (one a data set, and a cover file).

No cell ever starts a formula: text beginning with = + - @ or a tab or carriage return is
written with a leading apostrophe (``cell_text``), and every text cell is stored as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

#: characters that make a spreadsheet read a cell as a formula
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value):
    """A value safe in a spreadsheet cell: text that could start a formula gets an apostrophe
    in front; numbers are kept as numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _sheet_title(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28].strip() or "Data"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:25]} {n}"
        n += 1
    used.add(name.lower())
    return name


def write_workbook(
    datasets: Sequence, *, cover_lines: Sequence[tuple[str, str]], charts: bool = True
) -> bytes:
    """The workbook: a cover sheet (``cover_lines``: heading and text, then each data set's
    title and meaning) and a sheet for each data set, with a chart where it has one."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    cover = book.active
    cover.title = "About these figures"
    bold = Font(bold=True)
    for heading, text in cover_lines:
        cover.append([cell_text(heading), cell_text(text)])
        cover.cell(cover.max_row, 1).font = bold
    cover.append([])
    cover.append(["Sheet", "What it shows and how it was computed"])
    cover.cell(cover.max_row, 1).font = bold
    cover.cell(cover.max_row, 2).font = bold
    used = {cover.title.lower()}
    for ds in datasets:
        title = _sheet_title(ds.key.replace("_", " ").capitalize(), used)
        cover.append([cell_text(title), cell_text(f"{ds.title}. {ds.meaning}")])
        sheet = book.create_sheet(title)
        sheet.append([cell_text(h) for h in ds.headings])
        for cell in sheet[1]:
            cell.font = bold
        for row in ds.rows:
            sheet.append([cell_text(v) for v in row])
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
        if charts and ds.chart and ds.rows:
            label_col, value_cols = ds.chart
            numeric = [c for c in value_cols if all(isinstance(r[c], int | float) for r in ds.rows)]
            if numeric:
                chart = BarChart()
                chart.title = ds.title
                chart.y_axis.title = ds.headings[numeric[0]]
                for c in numeric:
                    data = Reference(sheet, min_col=c + 1, min_row=1, max_row=len(ds.rows) + 1)
                    chart.add_data(data, titles_from_data=True)
                chart.set_categories(
                    Reference(sheet, min_col=label_col + 1, min_row=2, max_row=len(ds.rows) + 1)
                )
                chart.width, chart.height = 22, 11
                sheet.add_chart(chart, f"{chr(66 + len(ds.headings))}2")
    cover.column_dimensions["A"].width = 40
    cover.column_dimensions["B"].width = 110
    for row in cover.iter_rows():
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_bytes(rows) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell_text(v) for v in row])
    return text.getvalue().encode("utf-8-sig")


def write_csv_folder(
    folder: Path, datasets: Sequence, *, cover_lines: Sequence[tuple[str, str]]
) -> list[str]:
    """One CSV file a data set (named by its key) and ``about.csv`` saying what each holds;
    returns the file names written."""
    names = ["about.csv"]
    about = [*cover_lines, ("", ""), ("File", "What it shows and how it was computed")]
    for ds in datasets:
        name = f"{ds.key}.csv"
        (folder / name).write_bytes(_csv_bytes([ds.headings, *ds.rows]))
        about.append((name, f"{ds.title}. {ds.meaning}"))
        names.append(name)
    (folder / "about.csv").write_bytes(_csv_bytes(about))
    return names
