"""The meeting day of the ``prepared`` fixture (tests/agenda/conftest.py), importable by the
tests. (Not in a conftest: every folder's conftest is a module called ``conftest``, so
``from conftest import ...`` picks up another folder's when several are run together.)"""

from __future__ import annotations

from datetime import date

#: A Thursday; with the default 2-day deadline, papers are due by the end of Tuesday 10 March.
MEETING_DAY = date(2026, 3, 12)
