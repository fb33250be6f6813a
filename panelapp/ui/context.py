"""The window's link to the store: runs services in units of work and tells every screen,
through a Qt signal, that something changed (the core itself never imports Qt)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from panelapp.domain.vocabulary import NamingMode
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.engine import Store

logger = logging.getLogger(__name__)
T = TypeVar("T")


class AppContext(QObject):
    """Holds the open store (None while locked) and who is working."""

    changed = Signal(str)  # the service that ran, e.g. "record_decision"

    def __init__(self, store: Store, actor: str, naming: NamingMode = NamingMode.INITIALS):
        super().__init__()
        self.store: Store | None = store
        self.actor = actor
        self.naming = naming

    def do(self, service: Callable[..., T], *args, **kwargs) -> T:
        """Run ``service(uow, *args, **kwargs)`` in one transaction, then announce it.
        Domain and store errors propagate for the screen to show."""
        with UnitOfWork(self.require_store(), self.actor) as uow:
            result = service(uow, *args, **kwargs)
        self.changed.emit(service.__name__)
        return result

    def read(self, query: Callable[..., T], *args, **kwargs) -> T:
        """Run a read-only ``query(session, *args, **kwargs)``."""
        with self.require_store().read() as session:
            return query(session, *args, **kwargs)

    def require_store(self) -> Store:
        if self.store is None:
            raise RuntimeError("the store is locked")
        return self.store
