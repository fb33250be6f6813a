"""One transaction of work by one person, with its audit events.

Everything done inside ``with UnitOfWork(store, actor) as uow:`` commits together when the
block ends, or not at all if it raises; the audit events describing the change are part of the
same transaction. A commit returns only once the store has it on disk (``synchronous=FULL``),
so work that was acknowledged survives a crash or a flat battery.
"""

from __future__ import annotations

import logging
from typing import Self, TypeVar

from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from panelapp.domain.errors import PanelappError
from panelapp.store import audit, checkout_guard
from panelapp.store.engine import Store, is_locked_error
from panelapp.store.errors import StoreLocked
from panelapp.store.record_digests import COVERED, row_digest, row_key

logger = logging.getLogger(__name__)
T = TypeVar("T")  # the table a row is loaded from


class NotFound(PanelappError):
    pass


class UnitOfWork:
    def __init__(self, store: Store, actor: str) -> None:
        if not actor.strip():
            raise PanelappError("Say who is doing this work (a name for the audit trail).")
        self.store = store
        self.actor = actor.strip()
        self._session: Session | None = None
        #: covered rows changed since the last audit event: (table, id)
        self._touched: set[tuple[str, int]] = set()
        #: added to the detail of every event of this unit of work (e.g. an export's id)
        self.event_tags: dict[str, object] = {}

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
        self._touched = set()
        event.listen(session, "after_flush", self._track)
        try:
            checkout_guard.install(session, is_team=self.store.is_team)
        except BaseException:
            event.remove(session, "after_flush", self._track)
            checkout_guard.uninstall(session)
            session.close()
            self._session = None
            raise
        return self

    def _track(self, session: Session, _context) -> None:
        for instance in (*session.new, *session.dirty, *session.deleted):
            table = getattr(instance, "__tablename__", None)
            if table in COVERED and getattr(instance, "id", None) is not None:
                self._touched.add((table, instance.id))

    def mark_changed(self, table: str, row_id: int) -> None:
        """Audit a covered row changed without the ORM (a bulk delete): its digest, or null
        once it is gone, goes with the next event."""
        if table in COVERED:
            self._touched.add((table, row_id))

    def _row_digests(self) -> dict[str, str | None]:
        """The digests, as they are now, of the covered rows changed since the last event."""
        self.session.flush()
        touched, self._touched = self._touched, set()
        connection = self.session.connection()
        return {
            row_key(table, row_id): row_digest(connection, table, row_id)
            for table, row_id in sorted(touched)
        }

    def __exit__(self, exc_type, exc, tb) -> None:
        session = self.session
        try:
            if exc_type is None:
                # Rows changed after the last event (or in work that wrote none) are audited
                # too, so that every covered row's last audited state is its state now.
                rows = self._row_digests()
                if rows:
                    audit.append(
                        session,
                        actor=self.actor,
                        action="records.changed",
                        entity="store",
                        detail={"rows": rows},
                    )
                session.commit()
            else:
                session.rollback()
        except OperationalError as exc:
            if is_locked_error(exc):
                raise self._locked() from None
            raise
        finally:
            event.remove(session, "after_flush", self._track)
            checkout_guard.uninstall(session)
            session.close()
            self._session = None

    def _locked(self) -> StoreLocked:
        return self.store.locked_error()

    def audit(self, action: str, entity: str, entity_id: int | None = None, **detail) -> None:
        """Append an event; it also carries the digest of each covered row changed since the
        previous event (``rows``), which ``check`` compares with the tables."""
        rows = self._row_digests()
        if rows:
            detail["rows"] = rows
        detail.update(self.event_tags)
        audit.append(
            self.session,
            actor=self.actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )

    def get(self, table: type[T], ident: int, what: str) -> T:
        """Load a row or say plainly which thing was not found."""
        row = self.session.get(table, ident)
        if row is None:
            raise NotFound(f"There is no {what} with id {ident}. Check the number and try again.")
        return row
