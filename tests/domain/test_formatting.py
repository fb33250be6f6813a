"""Dates read the same on every computer: panelapp writes its own month and day names, and
nothing formats a date with the locale's names (strftime's %B, %b, %A, %a)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import panelapp
from panelapp.domain.formatting import (
    format_date,
    short_date,
    short_moment,
    short_weekday_date,
    weekday_date,
)


def test_the_forms():
    d = date(2026, 3, 5)
    assert format_date(d) == "5 March 2026"
    assert short_date(d) == "05 Mar 2026" and short_date(d, padded=False) == "5 Mar 2026"
    assert weekday_date(d) == "Thursday 5 March 2026"
    assert short_weekday_date(d) == "Thu 05 Mar 2026"
    assert short_moment(datetime(2026, 3, 5, 9, 7), padded=False) == "5 Mar 2026 09:07"


def test_no_locale_month_or_day_names_anywhere():
    root = Path(panelapp.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        if path.name == "formatting.py" or "case_list_import" in path.name:
            continue  # the importer *reads* '5 Mar 2026' as well as writing nothing
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"%[aAbB]\b", line):
                found.append(f"{path.relative_to(root)}:{n}")
    assert found == []
