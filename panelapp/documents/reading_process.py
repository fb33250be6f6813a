"""Opening files from outside in a separate process, within limits on memory and time.

A paper or a case list may be crafted to exhaust memory (a zip bomb, a huge shared-strings
table) or to hang a parser. Everything that opens, checks or reads the text of such a file
runs here, in a child process started with ``spawn`` (the same on Linux, macOS and Windows,
and safe from a GUI process), whose address space is capped (RLIMIT_AS, where the operating
system has it) and which is killed when a job runs past its time. The limits cover the whole
job, opening included. The application only ever sees a result or a ``ReadingLimit``.

One process serves the files of a batch one after the other; after a job that failed it is
started again, so one hostile file never affects the next.

A paper is read in two jobs: ``check`` (open it and check its content: a file that cannot be
checked within the limits is refused) and then ``text`` (its words for search, from the bytes
the check kept, so they cross the pipe once). The text job stops by itself at its budget,
keeping what it read; one that hangs inside a reader is killed at its own time limit, and the
paper is then stored without its text rather than lost.

The process runs at a lower CPU priority than the application (``NICENESS``), so that when
the cores are busy the window and the store's commits, which the reading feeds, go first.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

MEMORY_LIMIT_BYTES = 512 * 1024 * 1024
#: Hard limit for one job (opening, checking and reading the text); the text reading itself
#: stops earlier, keeping what it read, so only a file that cannot even be opened in time is
#: refused.
TIME_LIMIT_SECONDS = 8.0
TEXT_BUDGET_SECONDS = 5.0
#: Hard limit for the text job alone (it stops itself at TEXT_BUDGET_SECONDS if it can).
TEXT_TIME_LIMIT_SECONDS = 8.0
START_TIMEOUT_SECONDS = 120.0


class ReadingLimit(Exception):
    """A job exceeded its limits or made the reader stop; ``why`` is time, memory or crash."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def limit_message(why: str, what: str) -> str:
    """Why a file was refused for exceeding the reader's limits, and what to do."""
    if why == "time":
        return (
            f"took longer than {TIME_LIMIT_SECONDS:.0f} seconds to open and check, far longer "
            f"than any real {what}; it may be damaged or made to hang the programs that open it, "
            "so it was stopped. Ask the sender to save it again (or print it to PDF) and send "
            "that; tell your IT security contact if you did not expect it."
        )
    if why == "memory":
        return (
            f"needed more than {MEMORY_LIMIT_BYTES // (1024 * 1024)} MB of memory to open, far "
            f"more than any real {what} (files made to unpack to huge sizes work this way), so "
            "it was stopped. Ask the sender to save it again (or print it to PDF) and send "
            "that; tell your IT security contact if you did not expect it."
        )
    return (
        f"made the program reading it stop, so it is damaged or made to attack such programs; "
        f"it was not stored. Ask the sender for the {what} again, saved as PDF; tell your IT "
        "security contact if you did not expect it."
    )


# -- the jobs (run in the child) -------------------------------------------------------------


@dataclass(frozen=True)
class PaperReading:
    kind: str
    pages: int | None
    text: str
    complete: bool


def _paper(data: bytes, *, max_bytes: int, started: float) -> PaperReading:
    from panelapp.documents.paper_sniffer import sniff
    from panelapp.documents.text_extraction import extract_text

    sniffed = sniff(data, max_bytes=max_bytes)
    left = TEXT_BUDGET_SECONDS - (time.monotonic() - started)
    extracted = extract_text(sniffed.kind, data, budget=max(0.5, left))
    return PaperReading(sniffed.kind.value, sniffed.pages, extracted.text, extracted.complete)


@dataclass(frozen=True)
class PaperCheck:
    kind: str
    pages: int | None


@dataclass(frozen=True)
class PaperText:
    text: str
    complete: bool
    #: stopped by its time budget rather than by the paper's own limits (pages, characters)
    timed_out: bool = False


#: The bytes of the paper last checked in this child, for its text job.
_checked: dict[str, object] = {}


def _check(data: bytes, *, max_bytes: int, started: float) -> PaperCheck:
    from panelapp.documents.paper_sniffer import sniff

    _checked.clear()
    sniffed = sniff(data, max_bytes=max_bytes)
    _checked.update(data=data, kind=sniffed.kind)
    return PaperCheck(sniffed.kind.value, sniffed.pages)


def _text(data: bytes, *, budget: float, started: float) -> PaperText:
    """The words of the paper checked last (``data`` is empty: the check kept the bytes)."""
    from panelapp.documents.text_extraction import extract_text

    kind, kept = _checked.pop("kind", None), _checked.pop("data", b"")
    if kind is None:
        raise RuntimeError("no paper was checked before its text was asked for")
    left = budget - (time.monotonic() - started)
    extracted = extract_text(kind, kept, budget=max(0.01, left))  # type: ignore[arg-type]
    return PaperText(extracted.text, extracted.complete, extracted.timed_out)


def _extract(data: bytes, *, kind: str, budget: float, started: float) -> PaperText:
    """The words of a paper checked earlier and stored (its bytes sent again): the reading
    that comes after storing, in a worker of a ``ReadingPool``."""
    from panelapp.documents.paper_sniffer import PaperKind
    from panelapp.documents.text_extraction import extract_text

    left = budget - (time.monotonic() - started)
    extracted = extract_text(PaperKind(kind), data, budget=max(0.01, left))
    return PaperText(extracted.text, extracted.complete, extracted.timed_out)


def _case_list(data: bytes, *, name: str, started: float):
    from panelapp.documents.case_list_reader import read_table

    return read_table(data, name)


_JOBS: dict[str, Callable[..., object]] = {
    "paper": _paper,
    "check": _check,
    "text": _text,
    "extract": _extract,
    "case_list": _case_list,
}


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no RLIMIT_AS; the time limit still applies
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


#: How much lower than the application's the reading processes' CPU priority is (Unix nice).
NICENESS = 5


def _yield_to_the_application() -> None:
    """Lower this process's CPU priority, so that when the cores are busy the window and the
    store's commits go first and the reading (checks, words read ahead) takes what is left."""
    try:
        os.nice(NICENESS)
    except (AttributeError, OSError):  # not on this system: reading at the same priority
        pass


def _serve(conn, memory_limit: int) -> None:
    """The child: take jobs until told to stop or the parent goes away."""
    import warnings

    from panelapp.domain.errors import PanelappError

    warnings.simplefilter("ignore")
    _yield_to_the_application()
    logging.getLogger().handlers.clear()  # never write the parent's log file from here
    logging.getLogger().addHandler(logging.NullHandler())
    # Import the readers before the cap, so the cap measures the file, not the libraries.
    for module in _READER_MODULES:
        importlib.import_module(module)
    _limit_memory(memory_limit)
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job, options = message
        if job != "text":
            _checked.clear()  # the bytes of an earlier check are not needed any more
        try:
            data = conn.recv_bytes()
            result = _JOBS[job](data, started=time.monotonic(), **options)
            reply = ("ok", result)
        except MemoryError:
            reply = ("limit", "memory")
        except PanelappError as refused:
            reply = ("refused", refused)
        except RecursionError:
            reply = ("limit", "crash")
        except Exception as exc:  # a reader failed on a damaged file in a way it does not name
            reply = ("error", type(exc).__name__)
        del data
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("limit", "memory"))
        if reply[0] == "limit":
            return  # after running out of memory the process is not trusted with another job


#: Modules the reader needs, imported once by the fork server so each child starts at once.
_READER_MODULES = [
    "defusedxml.ElementTree",
    "openpyxl",
    "pikepdf",
    "pypdfium2",
    "panelapp.documents.case_list_reader",
    "panelapp.documents.paper_sniffer",
    "panelapp.documents.text_extraction",
]


def _context():
    """A fork server where there is one (Linux, macOS): it starts once, from a fresh
    interpreter (never a fork of a GUI process), imports the readers, and each child is
    forked from it in milliseconds. Elsewhere (Windows) a fresh interpreter per child."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_READER_MODULES)
        return context
    return multiprocessing.get_context("spawn")


class ReadingProcess:
    """A child process that opens untrusted files, one job at a time. Use it as a context
    manager around a batch; ``run`` starts (or restarts) the child as needed."""

    def __init__(
        self,
        *,
        memory_limit: int = MEMORY_LIMIT_BYTES,
        time_limit: float = TIME_LIMIT_SECONDS,
        text_time_limit: float = TEXT_TIME_LIMIT_SECONDS,
        text_budget: float = TEXT_BUDGET_SECONDS,
    ) -> None:
        self.memory_limit = memory_limit
        self.time_limit = time_limit
        #: the hard limit of a paper's text job (``paper_text``), and the time after which
        #: the job stops by itself, keeping what it read
        self.text_time_limit = text_time_limit
        self.text_budget = text_budget
        # the child (a multiprocessing Process) and the pipe to it, while it runs
        self._process: Any = None
        self._conn: Any = None

    def __enter__(self) -> ReadingProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> None:
        context = _context()
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve, args=(child, self.memory_limit), name="panelapp-reader", daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        if not parent.poll(START_TIMEOUT_SECONDS):
            self._stop()
            raise RuntimeError("the file reader process did not start")
        try:
            parent.recv()
        except (EOFError, OSError):
            self._stop()
            raise RuntimeError("the file reader process stopped while starting") from None

    def start(self) -> None:
        """Start the child now, unless it is running (``run`` starts it when needed)."""
        if self._process is None or not self._process.is_alive():
            self._stop()
            self._start()

    def check_paper(self, data: bytes, *, max_bytes: int) -> PaperCheck:
        """Open and check a paper (``paper_sniffer.sniff``) within ``time_limit``; the child
        keeps its bytes for ``paper_text``."""
        return self.run("check", data, max_bytes=max_bytes)

    def paper_text(self) -> PaperText:
        """The words of the paper just checked: the job stops itself at ``text_budget``
        keeping what it read, and is killed at ``text_time_limit`` (ReadingLimit("time"))."""
        return self.run("text", b"", budget=self.text_budget, time_limit=self.text_time_limit)

    def stored_paper_text(self, data: bytes, kind: str) -> PaperText:
        """The words of a paper already checked and stored (``kind`` its media type), within
        the same limits as ``paper_text``: it stops itself at ``text_budget`` keeping what it
        read and is killed at ``text_time_limit`` (ReadingLimit("time"))."""
        return self.run(
            "extract", data, kind=kind, budget=self.text_budget, time_limit=self.text_time_limit
        )

    def run(self, job: str, data: bytes, *, time_limit: float | None = None, **options):
        """The job's result; raises the job's own PanelappError (a refusal), ReadingLimit
        when a limit was exceeded, or ReadingFailed when a reader failed on the file.
        ``time_limit`` (seconds) replaces the process's own for this job."""
        if self._process is None or not self._process.is_alive():
            if job == "text":  # the check's bytes went with the process that held them
                raise ReadingFailed("NoCheckedPaper")
            self._stop()
            self._start()
        conn = self._conn
        limit = self.time_limit if time_limit is None else time_limit
        started = time.monotonic()
        try:
            conn.send((job, options))
            conn.send_bytes(data)
            answered = conn.poll(max(0.01, limit - (time.monotonic() - started)))
        except (BrokenPipeError, EOFError, OSError):
            self._stop()
            raise ReadingLimit("crash") from None
        if not answered:
            self._stop()
            logger.info("a file reading job (%s) was stopped after %.1f s", job, limit)
            raise ReadingLimit("time")
        try:
            reply = conn.recv()
        except (EOFError, OSError):
            self._stop()
            raise ReadingLimit(self._why_stopped()) from None
        status = reply[0]
        if status == "ok":
            return reply[1]
        if status == "refused":
            raise reply[1]
        if status == "limit":
            self._stop()
            logger.info("a file reading job went over its %s limit", reply[1])
            raise ReadingLimit(reply[1])
        logger.info("a reader failed on a file (%s)", reply[1])
        raise ReadingFailed(reply[1])

    def _why_stopped(self) -> str:
        process, code = self._process, None
        if process is not None:
            process.join(1.0)
            code = process.exitcode
            logger.info("the file reader process ended with status %s", code)
        self._stop()
        # A C library that cannot allocate memory under the cap aborts (SIGABRT) or is killed.
        return "memory" if code in (-6, -9) else "crash"

    def _stop(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(5.0)

    def close(self) -> None:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            try:
                self._conn.send(None)
                self._process.join(2.0)
            except (BrokenPipeError, OSError):
                pass
        self._stop()


class ReadingFailed(Exception):
    """A reader raised an error it does not name (the type name is in ``args``)."""
