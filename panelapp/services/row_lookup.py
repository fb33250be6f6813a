"""Loading one row by its id with a plain message when it is not there (never ``None``)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from panelapp.services.unit_of_work import NotFound

T = TypeVar("T")


def get_row(session: Session, table: type[T], ident: int, what: str) -> T:
    """The row of ``table`` with id ``ident``, or a NotFound naming ``what`` was looked for."""
    row = session.get(table, ident)
    if row is None:
        raise NotFound(f"There is no {what} with id {ident}. Check the number and try again.")
    return row
