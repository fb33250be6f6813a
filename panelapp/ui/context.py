"""The window's link to the store: runs services in units of work and tells every screen,
through a Qt signal carrying a ``StoreChanged``, what changed (the core never imports Qt)."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from panelapp.domain.vocabulary import NamingMode
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.engine import Store
from panelapp.ui.store_events import StoreChanged
from panelapp.ui.turns import TurnQueue
from panelapp.ui.worker import run_in_background

logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Background:
    """How ``AppContext.run`` runs a service off the GUI thread: a progress dialog over
    ``parent`` saying ``label``; then ``on_success(result)`` or ``on_failure(exc)`` on the GUI
    thread (the ``StoreChanged`` event has already been sent when either is called)."""

    parent: QWidget
    label: str
    on_success: Callable[[Any], None]
    on_failure: Callable[[Exception], None]
    #: False for work nobody waits for (reading papers' words): no progress dialog
    show_progress: bool = True


def _parameters(service: Callable) -> tuple[str, ...]:
    return tuple(inspect.signature(service).parameters)


def _owns_its_units(service: Callable) -> bool:
    """Services that open their own units of work (imports and exports, which store each
    file as it goes) take ``(store, actor, ...)`` instead of a unit of work."""
    return _parameters(service)[:1] == ("store",)


def _event(service: Callable, args: tuple, kwargs: dict, quiet: bool) -> StoreChanged:
    """The event for ``service(first, *args, **kwargs)``: the meeting and item it names."""
    named = dict(zip(_parameters(service)[1 + _owns_its_units(service) :], args, strict=False))
    named.update(kwargs)
    ids = {
        key: value if isinstance(value, int) else None
        for key, value in ((k, named.get(k)) for k in ("meeting_id", "item_id"))
    }
    return StoreChanged(service=service.__name__, quiet=quiet, **ids)


def _call(store: Store, actor: str, service: Callable[..., T], args, kwargs, progress) -> T:
    if _owns_its_units(service):
        if progress is not None and "on_progress" in _parameters(service):
            kwargs = {**kwargs, "on_progress": progress}
        return service(store, actor, *args, **kwargs)
    with UnitOfWork(store, actor) as uow:
        return service(uow, *args, **kwargs)


class AppContext(QObject):
    """Holds the open store (None while locked) and who is working."""

    #: a ``StoreChanged`` after every service run through ``run`` (an older listener may
    #: still be sent a bare service name: read it with ``StoreChanged.coerce``)
    changed = Signal(object)

    def __init__(self, store: Store, actor: str, naming: NamingMode = NamingMode.INITIALS):
        super().__init__()
        self.store: Store | None = store
        self.actor = actor
        self.naming = naming
        #: what the screens draw after a change, one piece per turn of the event loop
        self.turns = TurnQueue(self)

    @overload
    def run(
        self,
        service: Callable[..., T],
        *args: Any,
        background: None = None,
        quiet: bool = False,
        **kwargs: Any,
    ) -> T: ...

    @overload
    def run(
        self,
        service: Callable[..., object],
        *args: Any,
        background: Background,
        quiet: bool = False,
        **kwargs: Any,
    ) -> None: ...

    def run(
        self,
        service: Callable[..., T],
        *args: Any,
        background: Background | None = None,
        quiet: bool = False,
        **kwargs: Any,
    ) -> T | None:
        """Run a service and announce what it changed with a ``StoreChanged``.

        ``service(uow, *args, **kwargs)`` runs in one unit of work; a service whose first
        parameter is ``store`` is called ``service(store, actor, *args, **kwargs)`` and opens
        its own (given ``on_progress`` when it takes one, in the background).

        In the foreground the result is returned and domain and store errors propagate for
        the screen to show (nothing is announced: the work was rolled back). With
        ``background=Background(...)`` it runs in the thread pool and returns None; the
        result or error goes to the callbacks. A service that owns its units may have stored
        part of its work before failing, so its failure is announced too.
        """
        event = _event(service, args, kwargs, quiet)
        store, actor = self.require_store(), self.actor
        if background is None:
            result = _call(store, actor, service, args, kwargs, None)
            self.changed.emit(event)
            return result
        owns = _owns_its_units(service)

        def work(progress: Callable[[int, int], None]):
            return _call(store, actor, service, args, kwargs, progress)

        def succeeded(result: object) -> None:
            self.changed.emit(event)
            background.on_success(result)

        def failed(exc: Exception) -> None:
            if owns:
                self.changed.emit(event)  # whatever was stored before the problem shows
            background.on_failure(exc)

        run_in_background(
            background.parent,
            background.label,
            work,
            succeeded,
            failed,
            show_progress=background.show_progress,
        )
        return None

    def do(self, service: Callable[..., T], *args, **kwargs) -> T:
        """``run`` in the foreground (kept for existing callers)."""
        return self.run(service, *args, **kwargs)

    def read(self, query: Callable[..., T], *args, **kwargs) -> T:
        """Run a read-only ``query(session, *args, **kwargs)``."""
        with self.require_store().read() as session:
            return query(session, *args, **kwargs)

    def require_store(self) -> Store:
        if self.store is None:
            raise RuntimeError("the store is locked")
        return self.store
