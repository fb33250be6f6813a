"""Papers for agenda items: importing them into the encrypted store, and which ones are late.

Each file is read from the path the officer chose straight into memory, checked by content
(``paper_sniffer``), its text extracted for search, and stored with its SHA-256 in a
transaction of its own, so one bad file never blocks the rest of a batch and a refused file
leaves nothing behind. The same file twice for one case is reported, not stored twice.

An import may also store each checked file at once and leave its words to be read afterwards
(``import_papers(..., read_text=False)``, then ``paper_text.read_pending_text``): the files
are checked several at a time in reading processes (``ReadingPool``) while the store writes,
and a paper waiting for its words is marked "pending" and found by its title and case. The
files whose checks are back at the same moment are stored together in one transaction
(``store_prepared_many``: each paper still its own audit event, nothing reported before the
commit); should that fail, they are stored one by one, so those before the failure are kept.
Between checks the reading processes already read the words of the papers just committed
(``words_ahead``), for ``read_pending_text`` to index without reading them back.

Late papers (DOMAIN.md step 1) are computed, never stored, by ``is_late`` (``is_late_for``) alone, so the agenda,
the packs and later the minutes always agree with the panel's current deadline setting.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from panelapp.documents.paper_sniffer import (
    DEFAULT_MAX_PAPER_BYTES,
    PaperKind,
    PaperRefused,
    Refusal,
    check_size,
)
from panelapp.documents.reading_process import (
    ReadingFailed,
    ReadingLimit,
    ReadingProcess,
    limit_message,
)
from panelapp.domain.errors import NextStep, PanelappError, RuleViolation, Step
from panelapp.domain.formatting import format_date
from panelapp.domain.late_papers import PaperDeadlineRule, is_late_paper, paper_deadline
from panelapp.domain.uk_time import uk_day, uk_time
from panelapp.domain.vocabulary import MeetingStatus
from panelapp.services.bank_holidays import paper_deadline_rule
from panelapp.services.clock import utc_now
from panelapp.services.meeting_lookup import get_meeting
from panelapp.services.row_lookup import get_row
from panelapp.services.unit_of_work import NotFound, UnitOfWork
from panelapp.store import fulltext
from panelapp.store.engine import Store
from panelapp.store.errors import StoreLocked
from panelapp.store.tables import AgendaItem, Meeting, Paper, PaperContent

logger = logging.getLogger(__name__)

TITLE_MAX = 300
Progress = Callable[[int, int], None]


class TextState(StrEnum):
    """How much of a paper's text is in the search index."""

    COMPLETE = "complete"
    #: a limit (pages, characters, the time budget) was reached or part could not be read
    PARTIAL = "partial"
    #: the text reader was stopped at its time limit: the paper is stored, its words are not
    NONE = "none"
    #: stored, its words still to be read (``paper_text.read_pending_text``)
    PENDING = "pending"


#: What an outcome says while a paper's words are still to be read, and once reading them failed.
PENDING_NOTE = (
    "; its words are being read for search (until then search finds it by its title and case)"
)
NOT_EXTRACTED_NOTE = (
    "; text not extracted: reading its words took too long, so search will find it "
    "by its title and case only. Open it in panelapp to read it"
)


class PaperStatus(StrEnum):
    STORED = "stored"
    DUPLICATE = "duplicate"
    REFUSED = "refused"


@dataclass(frozen=True)
class PaperOutcome:
    """What happened to one file of an import, for the officer to read."""

    source: str
    status: PaperStatus
    message: str
    paper_id: int | None = None
    kind: PaperKind | None = None
    pages: int | None = None
    late: bool = False
    refusal: Refusal | None = None
    #: how far its words are in the search index (stored papers only)
    text_state: TextState | None = None

    @property
    def stored(self) -> bool:
        return self.status is PaperStatus.STORED


def with_text_read(outcome: PaperOutcome, state: TextState) -> PaperOutcome:
    """The outcome of a paper stored with its words pending, once they have been read."""
    if outcome.text_state is not TextState.PENDING or state is TextState.PENDING:
        return outcome
    note = NOT_EXTRACTED_NOTE if state is TextState.NONE else ""
    return replace(outcome, message=outcome.message.replace(PENDING_NOTE, note), text_state=state)


@dataclass(frozen=True)
class PreparedPaper:
    """A checked file, its text and digest, ready to store; made outside any transaction."""

    file_name: str
    data: bytes
    kind: PaperKind
    pages: int | None
    sha256: str
    text: str
    text_state: TextState = TextState.COMPLETE


# -- the late-paper rule -------------------------------------------------------------------


def local_day(moment_utc: datetime) -> date:
    """The council's calendar day (UK) of a UTC time, whatever the laptop's own zone."""
    return uk_day(moment_utc)


def local_time(moment_utc: datetime) -> datetime:
    return uk_time(moment_utc).replace(tzinfo=None)


def is_late(
    received_at_utc: datetime, meeting_date: date, deadline_days: int | PaperDeadlineRule
) -> bool:
    """THE rule for late papers: late when received (local calendar day) after the deadline
    day (see ``panelapp.domain.late_papers``). ``deadline_days`` is a number of calendar days
    or a panel's rule (``paper_deadline_rule``), which may count working days."""
    return is_late_paper(local_day(received_at_utc), meeting_date, deadline_days)


def is_late_for(received_at_utc: datetime, meeting: Meeting) -> bool:
    """Late against this meeting's panel setting (days, calendar or working): what the
    import, the agenda, the packs and the minutes use."""
    rule = paper_deadline_rule(meeting.panel, meeting.meeting_date)
    return is_late(received_at_utc, meeting.meeting_date, rule)


def deadline_for(meeting: Meeting) -> date:
    return paper_deadline(
        meeting.meeting_date, paper_deadline_rule(meeting.panel, meeting.meeting_date)
    )


# -- preparing and storing -----------------------------------------------------------------


def default_title(file_name: str) -> str:
    """``EP_advice-final.pdf`` -> ``EP advice-final``."""
    stem = Path(file_name).stem if "." in file_name else file_name
    title = " ".join(stem.replace("_", " ").split())
    return (title or "Paper")[:TITLE_MAX]


def prepare(
    file_name: str,
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_PAPER_BYTES,
    reader: ReadingProcess | None = None,
) -> PreparedPaper:
    """Check a file's content and read its text, in the reading process (limits on memory
    and time); raises PaperRefused. A file that cannot be opened and checked within the
    limits is refused; one whose text reader hangs is stopped at its own time limit and kept
    without its words (``TextState.NONE``). ``reader`` serves a batch; without one a process
    is started for this file alone."""
    check_size(len(data), max_bytes)
    if reader is None:
        with ReadingProcess() as own:
            return prepare(file_name, data, max_bytes=max_bytes, reader=own)
    try:
        checked = reader.check_paper(data, max_bytes=max_bytes)
        try:
            read = reader.paper_text()
            text = read.text
            state = TextState.COMPLETE if read.complete else TextState.PARTIAL
        except ReadingLimit as limit:
            if limit.why != "time":
                raise
            logger.info("a paper's text was not read within the time limit; stored without it")
            text, state = "", TextState.NONE
    except ReadingLimit as limit:
        raise PaperRefused(Refusal.LIMIT, limit_message(limit.why, "paper")) from None
    except ReadingFailed:
        raise _damaged() from None
    return PreparedPaper(
        file_name=file_name,
        data=data,
        kind=PaperKind(checked.kind),
        pages=checked.pages,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        text_state=state,
    )


def _damaged() -> PaperRefused:
    return PaperRefused(
        Refusal.CORRUPT,
        "could not be read: it is damaged or not what it seems. Ask the sender for it "
        "again, saved as PDF.",
    )


def check_paper(
    file_name: str,
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_PAPER_BYTES,
    reader: ReadingProcess,
) -> PreparedPaper:
    """Check a file's content in the reading process, as ``prepare`` does, leaving its words
    to be read after it is stored (``TextState.PENDING``); raises PaperRefused."""
    check_size(len(data), max_bytes)
    try:
        checked = reader.check_paper(data, max_bytes=max_bytes)
    except ReadingLimit as limit:
        raise PaperRefused(Refusal.LIMIT, limit_message(limit.why, "paper")) from None
    except ReadingFailed:
        raise _damaged() from None
    return PreparedPaper(
        file_name=file_name,
        data=data,
        kind=PaperKind(checked.kind),
        pages=checked.pages,
        sha256=hashlib.sha256(data).hexdigest(),
        text="",
        text_state=TextState.PENDING,
    )


def _item_for_papers(uow_or_session, item_id: int) -> AgendaItem:
    session = getattr(uow_or_session, "session", uow_or_session)
    # the item with its meeting and panel in one query: the deadline rule needs all three
    item = session.get(
        AgendaItem, item_id, options=[joinedload(AgendaItem.meeting).joinedload(Meeting.panel)]
    )
    if item is None:
        raise NotFound(
            f"There is no agenda item with id {item_id}. Check the number and try again."
        )
    if item.meeting.status == MeetingStatus.SIGNED:
        raise RuleViolation(
            "R9",
            "The chair has signed this meeting's minutes, so its papers are locked. Add the "
            "paper to the case's item at a later meeting instead.",
        )
    return item


def store_prepared(
    uow: UnitOfWork,
    item_id: int,
    paper: PreparedPaper,
    *,
    title: str | None = None,
    received_at: datetime | None = None,
) -> PaperOutcome:
    """Store a prepared paper for an agenda item, unless the case already has this file."""
    return store_prepared_many(uow, item_id, [paper], title=title, received_at=received_at)[0]


def store_prepared_many(
    uow: UnitOfWork,
    item_id: int,
    papers: Sequence[PreparedPaper],
    *,
    title: str | None = None,
    received_at: datetime | None = None,
) -> list[PaperOutcome]:
    """Store prepared papers for one agenda item in the caller's transaction, one outcome
    each, in order, as ``store_prepared`` would one after the other: a file the case already
    has (or that came earlier in ``papers``) is reported, not stored again, and each stored
    paper has its own ``paper.added`` event. The item, its meeting and the case's papers with
    these digests are looked up once for them all."""
    session = uow.session
    item = _item_for_papers(uow, item_id)
    meeting = item.meeting
    rule = paper_deadline_rule(meeting.panel, meeting.meeting_date)
    known: dict[str, Paper] = {}
    if papers:
        for row in session.scalars(
            select(Paper)
            .where(Paper.case_id == item.case_id, Paper.sha256.in_({p.sha256 for p in papers}))
            .order_by(Paper.id)
        ):
            known.setdefault(row.sha256, row)
    # (paper, the row it was stored as or duplicates, whether that row is new)
    placed: list[tuple[PreparedPaper, Paper, bool]] = []
    for paper in papers:
        existing = known.get(paper.sha256)
        if existing is not None:
            placed.append((paper, existing, False))
            continue
        row = Paper(
            case_id=item.case_id,
            agenda_item_id=item.id,
            title=(title or default_title(paper.file_name)).strip()[:TITLE_MAX],
            file_name=Path(paper.file_name).name[:TITLE_MAX],
            media_type=paper.kind.media_type,
            size=len(paper.data),
            sha256=paper.sha256,
            pages=paper.pages,
            received_at=received_at or utc_now(),
            text_state=paper.text_state.value,
        )
        session.add(row)
        known[paper.sha256] = row
        placed.append((paper, row, True))
    session.flush()  # the new papers' ids (and the check-out guard sees each of them)
    new = [(paper, row) for paper, row, is_new in placed if is_new]
    session.add_all([PaperContent(paper_id=row.id, content=paper.data) for paper, row in new])
    fulltext.index_papers(
        session, [(row.id, item.case_id, row.title, paper.text) for paper, row in new]
    )
    outcomes: list[PaperOutcome] = []
    for paper, row, is_new in placed:
        if not is_new:
            outcomes.append(_duplicate(paper, row))
            continue
        late = is_late(row.received_at, meeting.meeting_date, rule)
        # Ids, sizes and digests only: a file name or title may carry a child's name.
        uow.audit(
            "paper.added",
            "paper",
            row.id,
            case_id=item.case_id,
            item_id=item.id,
            media_type=row.media_type,
            size=row.size,
            sha256=row.sha256,
            pages=row.pages,
            late=late,
            text=paper.text_state.value,
        )
        outcomes.append(_stored(paper, row, late, meeting))
    return outcomes


def _duplicate(paper: PreparedPaper, existing: Paper) -> PaperOutcome:
    return PaperOutcome(
        source=paper.file_name,
        status=PaperStatus.DUPLICATE,
        message=(
            f"is the same file as the paper '{existing.title}' already stored for this case "
            f"(received {format_date(local_day(existing.received_at))}); not stored again."
        ),
        paper_id=existing.id,
        kind=PaperKind.from_media_type(existing.media_type),
        pages=existing.pages,
    )


def _stored(paper: PreparedPaper, row: Paper, late: bool, meeting: Meeting) -> PaperOutcome:
    what = paper.kind.label + (f", {_pages(paper.pages)}" if paper.pages else "")
    message = f"stored ({what})"
    if paper.text_state is TextState.NONE:
        message += NOT_EXTRACTED_NOTE
    elif paper.text_state is TextState.PENDING:
        message += PENDING_NOTE
    if late:
        message += (
            f"; LATE: received after the deadline of {format_date(deadline_for(meeting))}, "
            "so it is flagged on the agenda and in the minutes"
        )
    return PaperOutcome(
        source=paper.file_name,
        status=PaperStatus.STORED,
        message=message + ".",
        paper_id=row.id,
        kind=paper.kind,
        pages=paper.pages,
        late=late,
        text_state=paper.text_state,
    )


def _pages(n: int) -> str:
    return "1 page" if n == 1 else f"{n} pages"


def add_paper(
    uow: UnitOfWork,
    item_id: int,
    *,
    file_name: str,
    data: bytes,
    title: str | None = None,
    received_at: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_PAPER_BYTES,
    reader: ReadingProcess | None = None,
) -> PaperOutcome:
    """Check and store one file already in memory, in the caller's transaction."""
    try:
        prepared = prepare(file_name, data, max_bytes=max_bytes, reader=reader)
    except PaperRefused as refused:
        return _refused(file_name, refused)
    return store_prepared(uow, item_id, prepared, title=title, received_at=received_at)


def _refused(source: str, refused: PaperRefused) -> PaperOutcome:
    return PaperOutcome(
        source=source, status=PaperStatus.REFUSED, message=refused.message, refusal=refused.reason
    )


# -- importing files from disk -------------------------------------------------------------


def _folder_entries(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]] | None:
    """The files directly in a folder (hidden ones aside), and what else it holds, each with
    why it is left out ("folder", "not a file", "unreadable"); None when it cannot be listed."""
    try:
        entries = sorted(
            (p for p in folder.iterdir() if not p.name.startswith(".")),
            key=lambda p: p.name.lower(),
        )
    except OSError:
        return None
    files: list[Path] = []
    others: list[tuple[Path, str]] = []
    for entry in entries:
        try:
            if entry.is_file():
                files.append(entry)
                continue
            why = "folder" if entry.is_dir() else "not a file"
        except OSError:  # not even its kind can be read
            why = "unreadable"
        others.append((entry, why))
    return files, others


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for the files directly inside it (hidden ones left
    out), or for itself when it cannot be listed (its outcome then says so)."""
    found: list[Path] = []
    for path in map(Path, paths):
        listed = _folder_entries(path) if path.is_dir() else None
        found.extend(listed[0] if listed is not None else [path])
    return found


def left_out(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """What the folders given hold besides the files they stand for (``expand_paths``), each
    with why: the folders inside them, which are not opened ("folder"), entries that are not
    files (a device, a pipe, a link to nothing: "not a file") and entries whose kind cannot
    be read ("unreadable"). Hidden ones are left out unsaid, as ``expand_paths`` leaves them."""
    found: list[tuple[Path, str]] = []
    for path in map(Path, paths):
        listed = _folder_entries(path) if path.is_dir() else None
        if listed is not None:
            found.extend(listed[1])
    return found


def left_out_note(paths: Iterable[Path]) -> str | None:
    """One sentence for the officer about what a folder given held and was not imported, or
    None when nothing was left out."""
    skipped = left_out(paths)
    folders = [f"{p.name}/" for p, why in skipped if why == "folder"]
    others = [p.name for p, why in skipped if why == "not a file"]
    unreadable = [p.name for p, why in skipped if why == "unreadable"]
    parts = []
    if folders:
        parts.append(
            f"{_listed(folders)} (a folder inside the one given is not opened: give it on its "
            "own to import its papers)"
        )
    if others:
        parts.append(f"{_listed(others)} (not {'a file' if len(others) == 1 else 'files'})")
    if unreadable:
        parts.append(f"{_listed(unreadable)} (could not be read: check the permissions)")
    return "Not imported: " + "; ".join(parts) + "." if parts else None


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def read_paper_file(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, read into memory only (never copied elsewhere); raises PaperRefused
    for a size problem and PanelappError when it cannot be read."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PanelappError("was not found. Check the path and try again.") from None
    except OSError:
        raise PanelappError("could not be read. Check the path and your permissions.") from None
    if path.is_dir():  # a folder given that could not be listed
        raise PanelappError(
            "is a folder panelapp could not open. Check its permissions, or give its papers "
            "one by one."
        )
    if not path.is_file():
        raise PanelappError("is not a file. Give the path of a paper.")
    check_size(size, max_bytes)
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError:
        raise PanelappError(
            "could not be read (it may be open in another program or not yet downloaded). "
            "Close it or download it, then try again."
        ) from None
    check_size(len(data), max_bytes)
    return data


def import_papers(
    store: Store,
    actor: str,
    item_id: int,
    paths: Sequence[Path],
    *,
    title: str | None = None,
    received_at: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_PAPER_BYTES,
    on_progress: Progress | None = None,
    reader: ReadingProcess | None = None,
    read_text: bool = True,
    workers: int | None = None,
    words_after: bool = False,
) -> list[PaperOutcome]:
    """Import files for an agenda item; one outcome per file, in order.

    Each accepted file is stored in its own transaction. ``title`` applies when one file is
    given; otherwise titles come from file names. ``received_at`` (UTC) is when the papers
    reached the officer, if earlier than now (for example by email last week). ``reader``:
    the reading process to use (and leave open); by default one is started for the batch.

    With ``read_text=False`` each file is stored as soon as it is checked, its words left
    pending (``paper_text.read_pending_text`` reads them); the files are then checked by
    ``workers`` reading processes at once (by default one per core), ``reader`` unused, and
    the files whose checks are back at the same moment share one transaction (each its own
    audit event; outcomes and progress only once it is committed).
    ``words_after=True`` does that and then reads the words of every paper still pending
    (these and any left from an interrupted reading) before returning; the outcomes say what
    was read, and ``on_progress`` follows the storing, then the reading.
    """
    files = expand_paths(paths)
    with store.read() as session:
        _item_for_papers(session, item_id)  # fail fast, before reading any file
    outcomes: list[PaperOutcome] = []
    total = len(files)
    if on_progress:
        on_progress(0, total)
    if words_after:
        from panelapp.services.paper_text import read_pending_text

        outcomes = import_papers(
            store, actor, item_id, files, title=title, received_at=received_at,
            max_bytes=max_bytes, on_progress=on_progress, read_text=False, workers=workers,
        )  # fmt: skip
        reading = read_pending_text(store, actor, on_progress=on_progress)
        return [
            with_text_read(o, reading.states[o.paper_id]) if o.paper_id in reading.states else o
            for o in outcomes
        ]
    if not read_text:
        return _store_checked(
            store, actor, item_id, files, title=title if total == 1 else None,
            received_at=received_at, max_bytes=max_bytes, on_progress=on_progress,
            workers=workers,
        )  # fmt: skip
    own = ReadingProcess() if reader is None else None
    try:
        for done, path in enumerate(files, start=1):
            outcomes.append(
                _import_one(
                    store,
                    actor,
                    item_id,
                    path,
                    title=title if total == 1 else None,
                    received_at=received_at,
                    max_bytes=max_bytes,
                    reader=reader or own,
                )
            )
            if on_progress:
                on_progress(done, total)
    finally:
        if own is not None:
            own.close()
    stored = sum(o.stored for o in outcomes)
    logger.info("paper import: %d stored, %d not stored, of %d", stored, total - stored, total)
    return outcomes


def _import_one(
    store, actor, item_id, path, *, title, received_at, max_bytes, reader
) -> PaperOutcome:
    name = path.name
    try:
        data = read_paper_file(path, max_bytes)
        prepared = prepare(name, data, max_bytes=max_bytes, reader=reader)
    except PaperRefused as refused:
        return _refused(name, refused)
    except PanelappError as problem:
        return PaperOutcome(source=name, status=PaperStatus.REFUSED, message=problem.message)
    with UnitOfWork(store, actor) as uow:
        return store_prepared(uow, item_id, prepared, title=title, received_at=received_at)


def _store_checked(
    store, actor, item_id, files, *, title, received_at, max_bytes, on_progress, workers
) -> list[PaperOutcome]:
    """Check the files in a pool of reading processes, storing them (in order) as soon as
    their checks are back, with their words pending. The checked files that are ready at
    the same moment are stored in one transaction (one commit, each paper its own audit
    event); their outcomes and progress are given only once it is committed."""
    from panelapp.documents.reading_pool import ReadingPool, shared_pool

    def check(reader: ReadingProcess, path: Path) -> PreparedPaper:
        data = read_paper_file(path, max_bytes)
        return check_paper(path.name, data, max_bytes=max_bytes, reader=reader)

    outcomes: list[PaperOutcome] = []
    total = len(files)

    def report(done: Sequence[PaperOutcome]) -> None:
        for outcome in done:
            outcomes.append(outcome)
            if on_progress:
                on_progress(len(outcomes), total)

    own = ReadingPool(workers) if workers else None
    pool = own or shared_pool()
    try:
        for run in pool.in_batches(files, check):
            # outcomes of this run, in order: a refusal, or None for a checked paper
            slots: list[PaperOutcome | None] = []
            ready: list[PreparedPaper] = []
            failure: BaseException | None = None
            for path, checked in run:
                problem = checked.exception()
                if isinstance(problem, PaperRefused):
                    slots.append(_refused(path.name, problem))
                elif isinstance(problem, PanelappError):
                    slots.append(
                        PaperOutcome(
                            source=path.name, status=PaperStatus.REFUSED, message=problem.message
                        )
                    )
                elif problem is not None:
                    failure = problem  # those before it are stored first, as they came
                    break
                else:
                    slots.append(None)
                    ready.append(checked.result())
            done = _store_run(store, actor, item_id, ready, title=title, received_at=received_at)
            if own is None:  # a pool of the import's own is closed when it ends
                _read_ahead(store, pool, _words_pending(ready, done))
            stored = iter(done)
            report([slot or next(stored) for slot in slots])
            if failure is not None:
                raise failure
    finally:
        if own is not None:
            own.close()
    stored_count = sum(o.stored for o in outcomes)
    logger.info(
        "papers stored: %d, not stored: %d, of %d", stored_count, total - stored_count, total
    )
    return outcomes


def _read_ahead(store: Store, pool, papers: list[tuple[int, str, str, bytes]]) -> None:
    """Begin reading the words of papers just committed (``words_ahead``); the papers are
    stored whatever happens here, their words read back from the store if need be."""
    from panelapp.services.words_ahead import read_ahead

    try:
        read_ahead(store, pool, papers)
    except Exception as problem:  # never the import's failure: its papers are committed
        logger.info("words not read ahead (%s)", type(problem).__name__)


def _words_pending(
    papers: Sequence[PreparedPaper], outcomes: Sequence[PaperOutcome]
) -> list[tuple[int, str, str, bytes]]:
    """The papers just stored with their words pending, for ``words_ahead.read_ahead``."""
    return [
        (outcome.paper_id, paper.sha256, paper.kind.media_type, paper.data)
        for paper, outcome in zip(papers, outcomes, strict=True)
        if outcome.stored and outcome.text_state is TextState.PENDING and outcome.paper_id
    ]


def _store_run(
    store: Store,
    actor: str,
    item_id: int,
    papers: list[PreparedPaper],
    *,
    title: str | None,
    received_at: datetime | None,
) -> list[PaperOutcome]:
    """Store checked papers in one transaction; should that fail, each in a transaction of
    its own, so that those before the one that cannot be stored are kept, as they would be
    had they come one at a time (the failure is then raised from that one)."""
    if not papers:
        return []
    try:
        with UnitOfWork(store, actor) as uow:
            return store_prepared_many(uow, item_id, papers, title=title, received_at=received_at)
    except StoreLocked:
        raise  # nothing could be stored: another program holds the store
    except Exception:
        if len(papers) == 1:
            raise
        logger.info("storing %d papers together failed; storing them one by one", len(papers))
    outcomes = []
    for paper in papers:
        with UnitOfWork(store, actor) as uow:
            outcomes.append(
                store_prepared(uow, item_id, paper, title=title, received_at=received_at)
            )
    return outcomes


# -- reading papers back -------------------------------------------------------------------


@dataclass(frozen=True)
class PaperInfo:
    paper_id: int
    item_id: int | None
    case_id: int
    title: str
    file_name: str
    kind: PaperKind | None
    media_type: str
    size: int
    pages: int | None
    received_at: datetime
    #: the meeting this paper was sent for, when it came with a case carried forward
    carried_from: date | None = None
    #: stored, its words still being read for search (``paper_text.read_pending_text``)
    text_pending: bool = False

    @property
    def extension(self) -> str:
        return self.kind.extension if self.kind else ".bin"


def papers_for_item(session: Session, item_id: int) -> list[PaperInfo]:
    """The papers of an agenda item, with those sent for the earlier hearings of a deferred
    case (its history) after them, in the order received."""
    if session.get(AgendaItem, item_id) is None:
        raise NotFound(f"There is no agenda item with id {item_id}.")
    return papers_for_items(session, [item_id])[item_id]


def papers_for_items(session: Session, item_ids: Iterable[int]) -> dict[int, list[PaperInfo]]:
    """:func:`papers_for_item` for many items at once: one query for all their papers (and
    their histories' papers), so a meeting's screen does not pay one query per item."""
    chains: dict[int, list[tuple[int, date | None]]] = {}
    for item_id in item_ids:
        item = session.get(AgendaItem, item_id)
        if item is None:
            raise NotFound(f"There is no agenda item with id {item_id}.")
        chain: list[tuple[int, date | None]] = [(item.id, None)]
        seen = {item.id}
        earlier = item
        while earlier.carried_from_item_id and earlier.carried_from_item_id not in seen:
            earlier = get_row(session, AgendaItem, earlier.carried_from_item_id, "agenda item")
            seen.add(earlier.id)
            chain.append((earlier.id, earlier.meeting.meeting_date))
        chains[item_id] = chain
    wanted = {each for chain in chains.values() for each, _ in chain}
    rows_of: dict[int, list[Paper]] = {each: [] for each in wanted}
    if wanted:
        for p in session.scalars(
            select(Paper)
            .where(Paper.agenda_item_id.in_(wanted))
            .order_by(Paper.received_at, Paper.id)
        ):
            assert p.agenda_item_id is not None  # selected by its item id, in wanted
            rows_of[p.agenda_item_id].append(p)
    return {
        item_id: [_info(p, carried_from) for each, carried_from in chain for p in rows_of[each]]
        for item_id, chain in chains.items()
    }


def _info(p: Paper, carried_from: date | None) -> PaperInfo:
    return PaperInfo(
        paper_id=p.id,
        item_id=p.agenda_item_id,
        case_id=p.case_id,
        title=p.title,
        file_name=p.file_name,
        kind=PaperKind.from_media_type(p.media_type),
        media_type=p.media_type,
        size=p.size,
        pages=p.pages,
        received_at=p.received_at,
        carried_from=carried_from,
        text_pending=p.text_state == TextState.PENDING.value,
    )


def paper_bytes(session: Session, paper_id: int) -> bytes:
    row = session.get(PaperContent, paper_id)
    if row is None:
        raise NotFound(
            f"Paper {paper_id} has no stored content.", next_steps=(NextStep(Step.CHECK_STORE),)
        )
    return row.content


def item_id_at(session: Session, meeting_id: int, position: int) -> int:
    """The id of the item at ``position`` on a meeting's agenda, as 'panelapp show' numbers it."""
    meeting = get_meeting(session, meeting_id)
    for item in meeting.items:
        if item.position == position:
            return item.id
    count = len(meeting.items)
    where = f"items 1 to {count}" if count else "no items yet"
    raise NotFound(
        f"Meeting {meeting_id} has {where}; there is no item {position}.",
        next_steps=(NextStep(Step.SHOW_MEETING, meeting_id=meeting_id),),
    )
