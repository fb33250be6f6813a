"""Words read while papers are being stored, kept in memory until they are indexed.

Storing a batch of papers leaves the reading processes idle between checks while the store
commits. Each paper committed with its words pending is therefore handed to the pool at once,
among the jobs run ``later`` (a check always has a process free of them), with the bytes the import already
holds. ``paper_text.read_pending_text`` then takes those words instead of reading each paper
back out of the store and through a reading process again; what it finds no words for here
(another process stored it, the limits below were reached, the process was restarted) it
reads as before, so the store, not this memory, stays the record of what is pending.

Nothing here is written anywhere: the words wait in this process's memory only, bounded by
``AHEAD_BYTES`` of papers queued and ``AHEAD_CHARS`` of words read and not yet indexed, and
are dropped with their store.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial

from panelapp.documents.reading_pool import ReadingPool
from panelapp.documents.reading_process import ReadingFailed, ReadingLimit, ReadingProcess
from panelapp.services.papers import TextState
from panelapp.store.engine import Store

logger = logging.getLogger(__name__)

#: At most this many bytes of papers wait in the pool's queue to have their words read ahead.
AHEAD_BYTES = 64 * 1024 * 1024
#: At most this many characters of words read ahead wait to be indexed.
AHEAD_CHARS = 8_000_000

Words = tuple[str, TextState]


def read_words(reader: ReadingProcess, item: tuple[str, bytes | None]) -> Words:
    """A stored paper's words and how complete they are (a pool job): ``item`` is the
    paper's media type and bytes (None when its content is gone)."""
    media_type, data = item
    if data is None:
        return "", TextState.NONE
    try:
        words = reader.stored_paper_text(data, media_type.split(";")[0].strip())
    except (ReadingLimit, ReadingFailed) as stopped:
        logger.info("a stored paper's text could not be read (%s)", type(stopped).__name__)
        return "", TextState.NONE
    return words.text, TextState.COMPLETE if words.complete else TextState.PARTIAL


@dataclass
class _Ahead:
    sha256: str
    media_type: str
    future: Future[Words]
    #: the paper's bytes until its reading is done
    data: bytes | None
    #: the characters of its words once read (while still waiting here)
    chars: int = 0
    #: taken by the reading that indexes it, or dropped with its store
    gone: bool = False


class _Waiting:
    """The words read ahead, by store and paper, with the two bounds kept."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stores: dict[int, dict[int, _Ahead]] = {}
        self.queued_bytes = 0
        self.chars = 0

    def add(self, store: Store, pool: ReadingPool, papers: Iterable[tuple[int, str, str, bytes]]):
        for paper_id, sha256, media_type, data in papers:
            with self._lock:
                if self.queued_bytes + len(data) > AHEAD_BYTES or self.chars >= AHEAD_CHARS:
                    return  # the rest are read back from the store when indexed
                papers_of = self._stores.get(id(store))
                if papers_of is None:
                    papers_of = self._stores[id(store)] = {}
                    weakref.finalize(store, self._forget, id(store))
                self.queued_bytes += len(data)
                future = pool.submit(read_words, (media_type, data), later=True)
                entry = papers_of[paper_id] = _Ahead(sha256, media_type, future, data)
            future.add_done_callback(partial(self._read, entry))

    def _read(self, entry: _Ahead, done: Future[Words]) -> None:
        with self._lock:
            if entry.data is not None:
                self.queued_bytes -= len(entry.data)
                entry.data = None
            if not entry.gone and not done.cancelled() and done.exception() is None:
                entry.chars = len(done.result()[0])
                self.chars += entry.chars

    def _pop(self, store: Store, paper_id: int) -> tuple[_Ahead, bytes | None] | None:
        """That paper's entry, no longer waiting here, with its bytes if not yet read."""
        with self._lock:
            entry = self._stores.get(id(store), {}).pop(paper_id, None)
            if entry is None:
                return None
            entry.gone = True
            self.chars -= entry.chars
            return entry, entry.data

    def take(
        self, store: Store, pool: ReadingPool, paper_id: int, sha256: str
    ) -> Future[Words] | None:
        """The reading of that paper's words begun while it was stored, if any (and if it
        was of these very bytes). One still queued is moved to ``pool``'s own turn, as a
        reading that someone now waits for."""
        popped = self._pop(store, paper_id)
        if popped is None:
            return None
        entry, data = popped
        if entry.sha256 != sha256:
            entry.future.cancel()
            return None
        if data is not None and entry.future.cancel():  # not begun (its callback has run)
            return pool.submit(read_words, (entry.media_type, data))
        return None if entry.future.cancelled() else entry.future

    def drop(self, store: Store, paper_id: int) -> None:
        popped = self._pop(store, paper_id)
        if popped is not None:
            popped[0].future.cancel()

    def _forget(self, store_key: int) -> None:
        with self._lock:
            gone = list(self._stores.pop(store_key, {}).values())
            for entry in gone:
                entry.gone = True
                self.chars -= entry.chars
        for entry in gone:
            entry.future.cancel()


_waiting = _Waiting()


def read_ahead(
    store: Store, pool: ReadingPool, papers: Iterable[tuple[int, str, str, bytes]]
) -> None:
    """Begin reading the words of papers just committed with their words pending, each
    ``(paper_id, sha256, media_type, bytes)``, in ``pool`` after any check waiting; papers
    beyond the bounds are left to be read back from the store."""
    _waiting.add(store, pool, papers)


def take(store: Store, pool: ReadingPool, paper_id: int, sha256: str) -> Future[Words] | None:
    """The words of a pending paper read ahead in this process, as a future (one not yet
    begun is resubmitted to ``pool`` with the bytes it holds), or None."""
    return _waiting.take(store, pool, paper_id, sha256)


def drop(store: Store, paper_id: int) -> None:
    """Forget the words of that paper read ahead (cancelling a reading not yet begun): it is
    being read again, within limits of its own."""
    _waiting.drop(store, paper_id)
