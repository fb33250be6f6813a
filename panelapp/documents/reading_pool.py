"""Several reading processes at once, so that checking papers and reading their words use
every core while the application writes to the store.

Each worker thread owns one ``ReadingProcess`` (its own child, with the same limits on memory
and time), so one hostile file still affects only the process that opened it. Jobs are handed
out in order and their results come back in the same order; only ``window`` jobs are in
flight at a time, so a batch of large papers is never all in memory at once. Jobs submitted
``later`` (reading the words of papers already stored) run in fewer threads than there are
processes, so a paper's check, which keeps an officer waiting, always has a process free of
them.

``shared_pool()`` is one pool kept for the life of the application (its processes started
once, not for every batch); a batch with limits of its own makes its own ``ReadingPool``.
"""

from __future__ import annotations

import atexit
import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TypeVar

from panelapp.documents.reading_process import ReadingProcess

T = TypeVar("T")
R = TypeVar("R")

_END = object()

#: At most this many reading processes (each may use up to its memory limit).
MAX_WORKERS = 4


def default_workers() -> int:
    """One reading process per core, at most MAX_WORKERS."""
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


class ReadingPool:
    """``workers`` reading processes, each driven by a thread of its own."""

    def __init__(self, workers: int | None = None, **limits) -> None:
        self.workers = workers or default_workers()
        self._readers: list[ReadingProcess] = [
            ReadingProcess(**limits) for _ in range(self.workers)
        ]
        self._free: queue.SimpleQueue[ReadingProcess] = queue.SimpleQueue()
        for reader in self._readers:
            self._free.put(reader)
        self._threads = ThreadPoolExecutor(self.workers, thread_name_prefix="panelapp-reading")
        self._later = ThreadPoolExecutor(
            max(1, self.workers - 1), thread_name_prefix="panelapp-reading-later"
        )

    def __enter__(self) -> ReadingPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def submit(
        self, job: Callable[[ReadingProcess, T], R], item: T, *, later: bool = False
    ) -> Future[R]:
        """``job(reader, item)`` in the first reading process free. ``later`` jobs run at
        most one fewer at a time than there are processes (one at a time with a single
        process), in the order submitted."""

        def task() -> R:
            reader = self._free.get()
            try:
                return job(reader, item)
            finally:
                self._free.put(reader)

        return (self._later if later else self._threads).submit(task)

    def in_order(
        self,
        items: Iterable[T],
        job: Callable[[ReadingProcess, T], R],
        *,
        window: int | None = None,
    ) -> Iterator[tuple[T, Future[R]]]:
        """``job(reader, item)`` for each item, run in the workers; yields each item with its
        finished future, in the items' order. Items are taken from ``items`` (on the calling
        thread) only as room is made, ``window`` (by default twice the workers) at a time."""
        return self.in_order_started(items, lambda item: self.submit(job, item), window=window)

    def in_order_started(
        self,
        items: Iterable[T],
        start: Callable[[T], Future[R]],
        *,
        window: int | None = None,
    ) -> Iterator[tuple[T, Future[R]]]:
        """As ``in_order``, each item's work begun by ``start(item)``, which gives its future
        (a job it submits, or one already under way); a cancelled future is yielded too."""
        room = window or 2 * self.workers
        pending: deque[tuple[T, Future[R]]] = deque()
        source = iter(items)
        for item in source:
            pending.append((item, start(item)))
            if len(pending) >= room:
                done_item, future = pending.popleft()
                wait([future])
                yield done_item, future
        while pending:
            done_item, future = pending.popleft()
            wait([future])
            yield done_item, future

    def in_batches(
        self,
        items: Iterable[T],
        job: Callable[[ReadingProcess, T], R],
        *,
        window: int | None = None,
    ) -> Iterator[list[tuple[T, Future[R]]]]:
        """As ``in_order``, but yields runs of finished jobs: the next job in order (waited
        for) with those after it that have finished too, so a caller can handle several at
        once (one transaction for several papers) while the workers go on. The window is
        refilled before each run is yielded; a run holds at most ``window`` items, so at most
        twice ``window`` items are in memory at a time (the run and the jobs in flight)."""
        room = window or 2 * self.workers
        pending: deque[tuple[T, Future[R]]] = deque()
        source = iter(items)

        def fill() -> None:
            while len(pending) < room:
                item = next(source, _END)
                if item is _END:
                    return
                pending.append((item, self.submit(job, item)))  # type: ignore[arg-type]

        fill()
        while pending:
            run = [pending.popleft()]
            run[0][1].exception()  # wait for it
            while pending and len(run) < room and pending[0][1].done():
                run.append(pending.popleft())
            fill()
            yield run

    def warm(self) -> list[Future[None]]:
        """Start every reading process now, in the pool's threads (without waiting), so the
        first batch does not wait for them to start."""
        return [self.submit(lambda reader, _: reader.start(), None) for _ in self._readers]

    def close(self) -> None:
        self._later.shutdown(wait=True, cancel_futures=True)
        self._threads.shutdown(wait=True, cancel_futures=True)
        for reader in self._readers:
            reader.close()


_shared: ReadingPool | None = None
_shared_lock = threading.Lock()


def shared_pool() -> ReadingPool:
    """The application's pool with the default limits, started on first use and closed when
    the process ends (or by ``close_shared_pool``). Safe to use from several threads: each
    job takes whichever reading process is free."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ReadingPool()
        return _shared


@atexit.register
def close_shared_pool() -> None:
    global _shared
    with _shared_lock:
        pool, _shared = _shared, None
    if pool is not None:
        pool.close()
