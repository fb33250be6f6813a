"""Reading the rows of a case list (CSV or Excel .xlsx) into plain values.

Runs inside the reading process (``reading_process``), so a crafted workbook meets limits on
memory and time. The rows come back bounded: at most ``MAX_ROWS`` rows (and a few for titles),
``MAX_COLUMNS`` columns and ``MAX_CELL_CHARS`` characters a cell; a larger cell is refused with
its row and column. Formula cells come back as ``Formula`` (never their text or value), so the
import can say that a cell holds a formula rather than calling it blank.
"""

from __future__ import annotations

import csv
import io
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from panelapp.documents.paper_sniffer import PaperRefused, check_zip_container
from panelapp.domain.errors import PanelappError

MAX_ROWS = 5_000
MAX_COLUMNS = 256
MAX_CELL_CHARS = 10_000
_TITLE_ROWS = 20


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula; what it computes is never read."""


def column_letter(index: int) -> str:
    """0 -> A, 26 -> AA, as spreadsheets number columns."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def read_table(data: bytes, name: str) -> list[tuple[int, list]]:
    """(row number, cells) for every row of the file's first sheet, as the user numbers rows."""
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, name)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise PanelappError(
            f"{name} is an older Excel (.xls) file. Save it as .xlsx or CSV and import that."
        )
    return _read_csv(data, name)


def too_many_rows(name: str) -> str:
    return f"{name} has more than {MAX_ROWS} rows. Split it into smaller lists."


def _huge(name: str, number: int, index: int, size: int) -> PanelappError:
    return PanelappError(
        f"{name}: row {number}, column {column_letter(index)} holds {size:,} characters, far "
        f"more than any case-list cell (at most {MAX_CELL_CHARS:,}). Check that cell, or "
        "export the case list again."
    )


def _kept(name: str, number: int, cells: list) -> list:
    cells = list(cells[:MAX_COLUMNS])
    for index, value in enumerate(cells):
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise _huge(name, number, index, len(value))
    return cells


def _read_xlsx(data: bytes, name: str) -> list[tuple[int, list]]:
    import openpyxl

    try:
        check_zip_container(data, "Excel")
    except PaperRefused as refused:
        raise PanelappError(f"{name} {refused.message}") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            try:
                sheet = book.worksheets[0]
                rows = []
                for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
                    if number > MAX_ROWS + _TITLE_ROWS:
                        raise PanelappError(too_many_rows(name))
                    cells = [
                        Formula() if getattr(c, "data_type", None) == "f" else c.value for c in row
                    ]
                    rows.append((number, _kept(name, number, cells)))
            finally:
                book.close()
    except (PanelappError, MemoryError):
        raise
    except Exception:  # openpyxl raises many kinds on damaged files
        raise PanelappError(
            f"{name} could not be read as an Excel workbook (it may be damaged). Open it in "
            "Excel, save it as .xlsx or CSV, and import it again."
        ) from None
    return rows


@contextmanager
def _field_limit(limit: int):
    """The csv module refuses fields over 128 KB without saying where; let them through and
    say where instead (the file itself is size-limited)."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, limit))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _csv_cell(text: str):
    stripped = text.lstrip()
    if stripped.startswith("=") or (
        stripped[:1] in ("+", "-", "@") and any(mark in stripped for mark in "(!|")
    ):
        return Formula()
    return text


def _read_csv(data: bytes, name: str) -> list[tuple[int, list]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise PanelappError(f"{name} is not a CSV text file. Export the case list as CSV or XLSX.")
    if "\x00" in text:
        raise PanelappError(f"{name} is not a CSV text file. Export the case list as CSV or XLSX.")
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows = []
    number = 0
    try:
        with _field_limit(len(text) + 1):
            reader = csv.reader(io.StringIO(text), delimiter=delimiter)
            for number, row in enumerate(reader, start=1):
                if number > MAX_ROWS + _TITLE_ROWS:
                    raise PanelappError(too_many_rows(name))
                rows.append((number, [_csv_cell(c) for c in _kept(name, number, row)]))
    except csv.Error:
        raise PanelappError(
            f"{name} is not a well-formed CSV file (row {number + 1} could not be read; an "
            "unclosed quote?). Export it again."
        ) from None
    return rows
