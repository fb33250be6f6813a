"""Column types that let the rest of the code speak in domain values, not storage forms.

``UtcDateTime``: a moment. Stored exactly as before (a naive UTC ``DateTime``: the same text in
SQLite, ``TIMESTAMP WITHOUT TIME ZONE`` on PostgreSQL), so no store changes; written from an
aware datetime in any zone (converted to UTC) or a naive one (taken as UTC, as the store has
always meant it); always read back aware, in UTC.

``code_enum``: a column holding a domain enum's stable code. Stored as the same plain string
as before (no native enum type, no CHECK constraint), read back as the enum member; a string
that is not one of the codes is refused on write.

Record digests and the audit chain read the stored values, which these types leave as they
were, so neither changes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum as PyEnum
from typing import Any, TypeVar

from sqlalchemy import DateTime, Enum
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

E = TypeVar("E", bound=PyEnum)


class UtcDateTime(TypeDecorator[datetime]):
    """A moment: naive UTC in the database, aware UTC in Python."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"a moment must be a datetime, not {type(value).__name__}")
        if value.tzinfo is None:
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)

    @property
    def python_type(self) -> type[datetime]:
        return datetime


def code_enum(enum: type[E], length: int) -> Enum:
    """A string column of ``length`` holding ``enum``'s values, read back as its members."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
        length=length,
    )
