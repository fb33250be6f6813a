"""Reading the words of papers stored with their text pending, for the search index.

A paper is stored (checked, its bytes committed with its audit event) before its words are
read, so an officer is never kept waiting on a long report. Its words are then read in a pool
of reading processes (``ReadingPool``: the same limits on memory and time as the check) and
written to the index in batches, one transaction and one audit event per batch. A paper whose
reader hangs or runs out of memory is kept, marked as having no text (search finds it by its
title and case). The pending papers are found in the store itself, so a store closed before
the reading finished has them read the next time it is opened, and a paper is never left
unsearchable.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from panelapp.documents.reading_pool import ReadingPool, shared_pool
from panelapp.services import words_ahead
from panelapp.services.papers import TextState
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store import fulltext
from panelapp.store.engine import Store
from panelapp.store.tables import Paper, PaperContent

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

#: A batch of words goes to the index when it holds this many papers or characters.
BATCH_PAPERS = 8
BATCH_CHARS = 1_000_000


@dataclass
class TextReading:
    """What ``read_pending_text`` did: each paper's state, by id, in the order read."""

    states: dict[int, TextState] = field(default_factory=dict)

    def count(self, state: TextState) -> int:
        return sum(1 for s in self.states.values() if s is state)


def pending_count(session: Session) -> int:
    """How many papers are stored with their words still to be read."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Paper)
            .where(Paper.text_state == TextState.PENDING.value)
        )
        or 0
    )


def is_pending(session: Session, paper_id: int) -> bool:
    return session.scalar(select(Paper.text_state).where(Paper.id == paper_id)) == (
        TextState.PENDING.value
    )


def read_pending_text(
    store: Store,
    actor: str,
    *,
    paper_ids: Iterable[int] | None = None,
    on_progress: Progress | None = None,
    workers: int | None = None,
    **limits,
) -> TextReading:
    """Read the words of every paper still pending (or of those of ``paper_ids`` that are)
    and put them in the search index. ``limits`` go to each ``ReadingProcess``
    (``text_budget``, ``text_time_limit``, ``memory_limit``). The words this process began
    reading while storing the papers (``words_ahead``) are taken as they are, unless limits
    of their own are given; every other paper is read back out of the store."""
    everything = paper_ids is None
    added_before = words_ahead.mark()  # the words read ahead so far that this reading may take
    query = select(Paper.id, Paper.media_type, Paper.sha256).where(
        Paper.text_state == TextState.PENDING.value
    )
    if paper_ids is not None:
        query = query.where(Paper.id.in_(list(paper_ids)))
    with store.read() as session:
        waiting = [(row[0], row[1], row[2]) for row in session.execute(query.order_by(Paper.id))]
    result = TextReading()
    total = len(waiting)
    if on_progress:
        on_progress(0, total)
    if not waiting:
        if everything:
            words_ahead.drop_added_before(store, added_before)
        return result

    own = ReadingPool(workers, **limits) if workers or limits else None
    pool = own or shared_pool()

    def from_store(paper_id: int, media_type: str) -> Future[words_ahead.Words]:
        with store.read() as session:  # the bytes only as the window makes room
            row = session.get(PaperContent, paper_id)
            data = row.content if row is not None else None
        return pool.submit(words_ahead.read_words, (media_type, data))

    #: papers whose words were read while the store was busy storing (read again if rushed)
    read_while_storing: set[int] = set()

    def start(paper: tuple[int, str, str]) -> Future[words_ahead.Words]:
        paper_id, media_type, sha256 = paper
        if limits:  # read again, within these limits
            words_ahead.drop(store, paper_id)
            return from_store(paper_id, media_type)
        taken = words_ahead.take(store, pool, paper_id, sha256)
        if taken is None:
            return from_store(paper_id, media_type)
        future, while_storing = taken
        if while_storing:
            read_while_storing.add(paper_id)
        return future

    def words_of(paper_id: int, media_type: str, future: Future) -> words_ahead.Words:
        if paper_id not in read_while_storing:
            return future.result()
        try:
            words = future.result()
        except Exception:  # cancelled (its pool closed), or its reader failed
            words = words_ahead.Words("", TextState.NONE, rushed=True)
        if words.rushed:  # cut short by time while the store was busy: read again now
            words = from_store(paper_id, media_type).result()
        return words

    batch: list[tuple[int, str, TextState]] = []
    chars = 0
    try:
        readings = pool.in_order_started(waiting, start)
        for done, ((paper_id, media_type, _), future) in enumerate(readings, 1):
            text, state, _ = words_of(paper_id, media_type, future)
            batch.append((paper_id, text, state))
            chars += len(text)
            if len(batch) >= BATCH_PAPERS or chars >= BATCH_CHARS:
                _index(store, actor, batch, result)
                batch, chars = [], 0
            if on_progress:
                on_progress(done, total)
        if batch:
            _index(store, actor, batch, result)
        if everything:
            words_ahead.drop_added_before(store, added_before)
    finally:
        if own is not None:
            own.close()
    logger.info(
        "paper text read: %d complete, %d partial, %d without text",
        result.count(TextState.COMPLETE),
        result.count(TextState.PARTIAL),
        result.count(TextState.NONE),
    )
    return result


def _index(
    store: Store, actor: str, batch: list[tuple[int, str, TextState]], result: TextReading
) -> None:
    """One transaction for a batch: each paper still pending gets its words in the index and
    its state, and one audit event lists them (ids and counts only)."""
    with UnitOfWork(store, actor) as uow:
        rows = {
            row.id: row
            for row in uow.session.scalars(
                select(Paper).where(Paper.id.in_([paper_id for paper_id, _, _ in batch]))
            )
        }
        written: list[int] = []
        entries: list[tuple[int, int, str, str]] = []
        states: Counter[str] = Counter()
        for paper_id, text, state in batch:
            row = rows.get(paper_id)
            if row is None or row.text_state != TextState.PENDING.value:
                continue  # deleted meanwhile, or read by another process
            entries.append((row.id, row.case_id, row.title, text))
            row.text_state = state.value
            written.append(paper_id)
            states[state.value] += 1
            result.states[paper_id] = state
        fulltext.index_papers(uow.session, entries)
        if written:
            uow.audit("papers.text_read", "paper", None, papers=written, **states)
