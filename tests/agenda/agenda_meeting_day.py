"""The meeting day of the ``prepared`` fixture, importable by the tests. (A module of its own:
``from conftest import ...`` picks up another folder's conftest when several test folders are
run together, since every folder's conftest is a module called ``conftest``.)"""

from __future__ import annotations

from datetime import date

#: A Thursday; with the default 2-day deadline, papers are due by the end of Tuesday 10 March.
MEETING_DAY = date(2026, 3, 12)
