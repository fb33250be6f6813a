"""England's bank holidays, from the maintained ``holidays`` library (not a hand-typed list),
for deadlines counted in working days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from panelapp.domain.late_papers import PaperDeadlineRule


@lru_cache(maxsize=32)
def _england(years: tuple[int, ...]) -> frozenset[date]:
    # Imported here, and only the United Kingdom's calendar: looking the country up by code
    # (``holidays.country_holidays``) loads every country's calendars, which took longer than
    # the window's first paint, and only working-day deadlines need it.
    from holidays.countries.united_kingdom import UnitedKingdom

    return frozenset(UnitedKingdom(subdiv="ENG", years=list(years)).keys())


def england_bank_holidays(years: Iterable[int]) -> frozenset[date]:
    return _england(tuple(sorted(set(years))))


def paper_deadline_rule(panel, meeting_date: date) -> PaperDeadlineRule:
    """The panel's paper deadline for a meeting on ``meeting_date``, with the bank holidays of
    the years it can reach when counted in working days."""
    working = bool(panel.paper_deadline_working_days)
    bank = (
        england_bank_holidays({meeting_date.year - 1, meeting_date.year})
        if working
        else frozenset()
    )
    return PaperDeadlineRule(
        days=panel.paper_deadline_days, working_days=working, bank_holidays=bank
    )
