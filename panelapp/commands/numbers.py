"""Numbers given on the command line, checked by argparse before any command runs: a record
number too large for the store, a negative time or ``--max-size-mb nan`` end in a usage message
(exit status 2), never an unexpected error."""

from __future__ import annotations

import argparse
import math

#: SQLite stores integers in 64 bits; no record number comes near this.
MAX_RECORD_NUMBER = 2**53
MAX_PAPER_MB = 200


def _whole(text: str, low: int, high: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"give {what} as a whole number") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"give {what} from {low} to {high}")
    return value


def record_number(text: str) -> int:
    """A meeting, item or version number."""
    return _whole(text, 1, MAX_RECORD_NUMBER, "a number")


def minutes(text: str) -> int:
    return _whole(text, 0, 600, "minutes")


def result_count(text: str) -> int:
    return _whole(text, 1, 1000, "a number of results")


def days(text: str) -> int:
    return _whole(text, 1, 10 * 366, "a number of days")


def megabytes(text: str) -> float:
    """--max-size-mb: a finite number above 0, up to what the file reader can hold."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("give a number of megabytes, such as 50") from None
    if not math.isfinite(value) or not 0 < value <= MAX_PAPER_MB:
        raise argparse.ArgumentTypeError(
            f"give a number of megabytes above 0 and at most {MAX_PAPER_MB}, such as 50"
        )
    return value
