"""Words read while papers are being stored, kept in memory until they are indexed.

Storing a batch of papers leaves the reading processes idle between checks while the store
commits. Each paper committed with its words pending is therefore handed to the pool at once,
among the jobs it runs ``later`` (a check always has a process free of them), with the bytes
the import already holds. ``paper_text.read_pending_text`` then takes those words instead of
reading each paper back out of the store and through a reading process again. What it finds
no words for here (another process stored it, a bound below was reached, the reading was cut
short or failed) it reads from the store as before, so the store, not this memory, stays the
record of what is pending.

Nothing here is written anywhere: the words wait in this process's memory only, bounded by
``AHEAD_BYTES`` of papers queued and ``AHEAD_CHARS`` of words read and not yet indexed, and
are dropped with their store (``forget``, or once the store object is gone).

Locking: ``_Waiting._lock`` is never held while calling into the pool or cancelling a future
(either may run a done callback, which takes the lock), and a store's finalizer only queues
its key, which the next operation sweeps under the lock.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import weakref
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from panelapp.documents.reading_pool import ReadingPool
from panelapp.documents.reading_process import ReadingFailed, ReadingLimit, ReadingProcess
from panelapp.services.papers import TextState
from panelapp.store.engine import Store

logger = logging.getLogger(__name__)

#: At most this many bytes of papers wait in the pool's queue to have their words read ahead.
AHEAD_BYTES = 64 * 1024 * 1024
#: At most this many characters of words read ahead wait to be indexed.
AHEAD_CHARS = 8_000_000


class Words(NamedTuple):
    """A paper's words as read, how complete they are, and whether the reading may have been
    cut short by time (its budget, or its time limit) rather than by the paper itself."""

    text: str
    state: TextState
    rushed: bool = False


def read_words(reader: ReadingProcess, item: tuple[str, bytes | None]) -> Words:
    """A stored paper's words and how complete they are (a pool job): ``item`` is the
    paper's media type and bytes (None when its content is gone)."""
    media_type, data = item
    if data is None:
        return Words("", TextState.NONE)
    try:
        words = reader.stored_paper_text(data, media_type.split(";")[0].strip())
    except (ReadingLimit, ReadingFailed) as stopped:
        logger.info("a stored paper's text could not be read (%s)", type(stopped).__name__)
        timed_out = isinstance(stopped, ReadingLimit) and stopped.why == "time"
        return Words("", TextState.NONE, rushed=timed_out)
    if words.complete:
        return Words(words.text, TextState.COMPLETE)
    return Words(words.text, TextState.PARTIAL, rushed=words.timed_out)


@dataclass
class _Ahead:
    sha256: str
    media_type: str
    #: its reading; None once its words are not kept (over the bound, or the reading failed)
    future: Future[Words] | None
    #: the paper's bytes until its reading is done
    data: bytes | None
    #: in the order added (see ``_Waiting.drop_added_before``)
    seq: int
    #: the characters of its words once read (while still waiting here)
    chars: int = 0
    #: taken by the reading that indexes it, or dropped
    gone: bool = False


class _Waiting:
    """The words read ahead, by store and paper, with the two bounds kept."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stores: dict[int, dict[int, _Ahead]] = {}
        #: keys of stores gone (queued by their finalizers, which must not take the lock)
        self._dead: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._seq = itertools.count(1)
        #: one finalizer per store object alive (a new object may reuse a dead one's id)
        self._finalizers: dict[int, weakref.finalize] = {}
        self.queued_bytes = 0
        self.chars = 0

    # -- under the lock ----------------------------------------------------------------------

    def _pop_entries(self, store_key: int, keep=lambda entry: False) -> list[_Ahead]:
        papers_of = self._stores.get(store_key, {})
        gone = [e for e in papers_of.values() if not keep(e)]
        for paper_id in [p for p, e in papers_of.items() if not keep(e)]:
            del papers_of[paper_id]
        if not papers_of:
            self._stores.pop(store_key, None)
        for entry in gone:
            self._let_go(entry)
        return gone

    def _let_go(self, entry: _Ahead) -> None:
        entry.gone = True
        self.chars -= entry.chars

    def _sweep(self) -> list[_Ahead]:
        gone: list[_Ahead] = []
        while True:
            try:
                key = self._dead.get_nowait()
            except queue.Empty:
                return gone
            gone += self._pop_entries(key)
            finalizer = self._finalizers.get(key)
            if finalizer is not None and not finalizer.alive:
                del self._finalizers[key]

    # -- outside it -------------------------------------------------------------------------

    @staticmethod
    def _cancel(entries: Iterable[_Ahead]) -> None:
        for entry in entries:
            if entry.future is not None:
                entry.future.cancel()

    def add(self, store: Store, pool: ReadingPool, papers: Iterable[tuple[int, str, str, bytes]]):
        key = id(store)
        for paper_id, sha256, media_type, data in papers:
            with self._lock:
                swept = self._sweep()
                room = self.queued_bytes + len(data) <= AHEAD_BYTES and self.chars < AHEAD_CHARS
                if room:
                    self.queued_bytes += len(data)  # reserved before the job exists
            self._cancel(swept)
            if not room:
                return  # the rest are read back from the store when indexed
            try:
                future = pool.submit(read_words, (media_type, data), later=True)
            except Exception:  # the pool is closing (the application is ending)
                with self._lock:
                    self.queued_bytes -= len(data)
                raise
            entry = _Ahead(sha256, media_type, future, data, next(self._seq))
            with self._lock:
                finalizer = self._finalizers.get(key)
                if finalizer is None or not finalizer.alive:
                    self._finalizers[key] = weakref.finalize(store, self._dead.put, key)
                self._stores.setdefault(key, {})[paper_id] = entry
            future.add_done_callback(partial(self._read, entry))

    def _read(self, entry: _Ahead, done: Future[Words]) -> None:
        with self._lock:
            if entry.data is not None:
                self.queued_bytes -= len(entry.data)
                entry.data = None
            if entry.gone or done.cancelled():
                return
            if done.exception() is not None:
                entry.future = None  # read back from the store when indexed
                return
            chars = len(done.result()[0])
            if self.chars + chars > AHEAD_CHARS:
                entry.future = None  # not kept: read back from the store when indexed
                return
            entry.chars = chars
            self.chars += chars

    def _pop(self, store: Store, paper_id: int) -> tuple[_Ahead, bytes | None] | None:
        data = None
        with self._lock:
            swept = self._sweep()
            entry = self._stores.get(id(store), {}).pop(paper_id, None)
            if entry is not None:
                self._let_go(entry)
                data = entry.data
        self._cancel(swept)
        return None if entry is None else (entry, data)

    def take(
        self, store: Store, pool: ReadingPool, paper_id: int, sha256: str
    ) -> tuple[Future[Words], bool] | None:
        popped = self._pop(store, paper_id)
        if popped is None:
            return None
        entry, data = popped
        future = entry.future
        if future is None:
            return None
        if entry.sha256 != sha256:
            future.cancel()
            return None
        if data is not None and future.cancel():  # not begun (its callback has run)
            return pool.submit(read_words, (entry.media_type, data)), False
        return None if future.cancelled() else (future, True)

    def drop(self, store: Store, paper_id: int) -> None:
        popped = self._pop(store, paper_id)
        if popped is not None:
            self._cancel([popped[0]])

    def drop_added_before(self, store: Store, seq: int) -> None:
        with self._lock:
            gone = self._pop_entries(id(store), keep=lambda entry: entry.seq > seq) + self._sweep()
        self._cancel(gone)

    def forget(self, store: Store) -> None:
        with self._lock:
            gone = self._pop_entries(id(store)) + self._sweep()
        self._cancel(gone)

    def mark(self) -> int:
        """The order number of the last entry added so far."""
        with self._lock:
            return next(self._seq) - 1  # the count only moves forward: a gap is harmless


_waiting = _Waiting()


def read_ahead(
    store: Store, pool: ReadingPool, papers: Iterable[tuple[int, str, str, bytes]]
) -> None:
    """Begin reading the words of papers just committed with their words pending, each
    ``(paper_id, sha256, media_type, bytes)``, in ``pool`` after any check waiting; papers
    beyond the bounds are left to be read back from the store."""
    _waiting.add(store, pool, papers)


def take(
    store: Store, pool: ReadingPool, paper_id: int, sha256: str
) -> tuple[Future[Words], bool] | None:
    """The reading of a pending paper's words begun in this process while it was stored, or
    None; it no longer waits here either way. With it, whether it ran while the store was busy
    (True), so that one cut short by time is read again; one not yet begun is resubmitted to
    ``pool`` with the bytes it holds, and then runs in turn (False)."""
    return _waiting.take(store, pool, paper_id, sha256)


def drop(store: Store, paper_id: int) -> None:
    """Forget the words of that paper read ahead (cancelling a reading not yet begun): it is
    being read again, within limits of its own."""
    _waiting.drop(store, paper_id)


def mark() -> int:
    """A point in the order papers are added here, for ``drop_added_before``."""
    return _waiting.mark()


def drop_added_before(store: Store, seq: int) -> None:
    """Forget the store's papers added here up to ``seq`` and not taken since: a reading of
    every pending paper that began after ``seq`` did not find them pending (removed, or read
    by another process), so nothing will take them."""
    _waiting.drop_added_before(store, seq)


def forget(store: Store) -> None:
    """Forget every word read ahead for ``store`` (it is being locked or closed)."""
    _waiting.forget(store)
