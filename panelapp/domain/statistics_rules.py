"""Rules for published panel figures: small-number suppression, age bands, financial years.

Pure functions; the statistics service applies them to what the store holds.
"""

from __future__ import annotations

from datetime import date

#: Counts below this are shown as "<5" in anything marked for publication (so no child can be
#: identified); inside the application the exact counts are shown.
SUPPRESSION_THRESHOLD = 5

#: What a published table shows in place of a figure held back so that a small number cannot be
#: worked out from it: a total whose parts include a suppressed count, a further part where a
#: total would otherwise give one away, or a share or median worked out from a suppressed count.
HELD_BACK = "[c]"

#: SEN2 age bands (age in whole years on the day the panel heard the case).
AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 4, "Under 5"),
    (5, 10, "5 to 10"),
    (11, 15, "11 to 15"),
    (16, 19, "16 to 19"),
    (20, 25, "20 to 25"),
)


def published_count(count: int, threshold: int = SUPPRESSION_THRESHOLD) -> int | str:
    """A count as it may be published: 1 to threshold-1 become "<threshold"; 0 stays 0 (it
    identifies no one) and larger counts are shown as they are."""
    if 0 < count < threshold:
        return f"<{threshold}"
    return count


def age_on(born: date, on: date) -> int:
    """Age in whole years on a day."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_band(born: date, on: date) -> str:
    age = age_on(born, on)
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "Over 25"


def financial_year(day: date) -> str:
    """The English public-sector financial year (1 April to 31 March) a day falls in,
    as '2025-26'."""
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def financial_year_bounds(day: date) -> tuple[date, date]:
    """The first and last day (1 April, 31 March) of the financial year ``day`` falls in."""
    first = day.year if day.month >= 4 else day.year - 1
    return date(first, 4, 1), date(first + 1, 3, 31)
