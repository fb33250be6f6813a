"""One transaction of work by one person, with its audit events.

Everything done inside ``with UnitOfWork(store, actor) as uow:`` commits together when the
block ends, or not at all if it raises; the audit events describing the change are part of the
same transaction. A commit returns only once the store has it on disk (``synchronous=FULL``),
so work that was acknowledged survives a crash or a flat battery.
"""

from __future__ import annotations

import logging
from typing import Self

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from panelapp.domain.errors import PanelappError
from panelapp.store import audit
from panelapp.store.engine import Store, is_locked_error
from panelapp.store.errors import StoreLocked
from panelapp.store.faults import locked

logger = logging.getLogger(__name__)


class NotFound(PanelappError):
    pass


class UnitOfWork:
    def __init__(self, store: Store, actor: str) -> None:
        if not actor.strip():
            raise PanelappError("Say who is doing this work (a name for the audit trail).")
        self.store = store
        self.actor = actor.strip()
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its 'with' block")
        return self._session

    def __enter__(self) -> Self:
        session = self.store.write()
        try:
            session.begin()
            # Take the write lock now (BEGIN IMMEDIATE), so another writer holding it ends
            # here in a plain message rather than part-way through the work.
            session.connection()
        except OperationalError as exc:
            session.close()
            if is_locked_error(exc):
                raise self._locked() from None
            raise
        self._session = session
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        session = self.session
        try:
            if exc_type is None:
                session.commit()
            else:
                session.rollback()
        except OperationalError as exc:
            if is_locked_error(exc):
                raise self._locked() from None
            raise
        finally:
            session.close()
            self._session = None

    def _locked(self) -> StoreLocked:
        return locked(self.store.path.name)

    def audit(self, action: str, entity: str, entity_id: int | None = None, **detail) -> None:
        audit.append(
            self.session,
            actor=self.actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )

    def get(self, table, ident: int, what: str):
        """Load a row or say plainly which thing was not found."""
        row = self.session.get(table, ident)
        if row is None:
            raise NotFound(f"There is no {what} with id {ident}. Check the number and try again.")
        return row
