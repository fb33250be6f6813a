"""How long a child's records are kept (R20): a council setting, by default until the child's
31st birthday (date of birth + 31 years, a common schedule for SEN records), and what happens to
the signed minutes that name a child whose records are deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from panelapp.domain.deadlines import add_months
from panelapp.domain.errors import PanelappError

DEFAULT_YEARS = 31
#: fewer years than this would delete the records of children the panel may still serve
MIN_YEARS = 25
MAX_YEARS = 100


class MinutesRetention(StrEnum):
    """The signed minutes of a meeting that heard a child whose records are deleted."""

    #: kept whole, as signed: the council's record of the panel's decisions
    KEEP = "keep"
    #: deleted with the child's records (every version), once no child they name remains
    DELETE_WHEN_NO_CHILD_REMAINS = "delete"


@dataclass(frozen=True)
class RetentionPolicy:
    years: int = DEFAULT_YEARS
    minutes: MinutesRetention = MinutesRetention.KEEP

    def __post_init__(self) -> None:
        if not MIN_YEARS <= self.years <= MAX_YEARS:
            raise PanelappError(
                f"Keep a child's records for {MIN_YEARS} to {MAX_YEARS} years after their "
                f"date of birth (the usual schedule is {DEFAULT_YEARS})."
            )

    def delete_on(self, date_of_birth: date) -> date:
        """The first day a child's records are past retention (a 29 February birthday falls
        on 28 February in a common year)."""
        return add_months(date_of_birth, 12 * self.years)

    def describe(self) -> str:
        minutes = (
            "signed minutes are kept"
            if self.minutes is MinutesRetention.KEEP
            else "signed minutes are deleted once no child they name remains"
        )
        return f"until {self.years} years after the date of birth; {minutes}"
