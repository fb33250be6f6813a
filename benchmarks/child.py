"""One benchmark task in a process of its own: ``python benchmarks/child.py TASK JSON``.

``run.py`` starts this for every measurement (and for building the stores they use), so each
figure comes from a fresh interpreter: nothing cached from an earlier measurement, and the
subject and its baseline pay the same process costs. The result is one line on stdout,
``RESULT {json}``; it holds timings, sizes and counts only, never a name from the data.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TASKS = {}


def task(fn):
    TASKS[fn.__name__.replace("_", "-")] = fn
    return fn


def emit(result: dict) -> None:
    print("RESULT " + json.dumps(result), flush=True)


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# -- setting up ---------------------------------------------------------------------------------


@task
def setup_coldstart(a: dict) -> dict:
    """A store with a 20-case meeting in progress (eight items done, two small papers each)."""
    from benchmarks import meetings, stores
    from panelapp.services.papers import add_paper
    from panelapp.services.unit_of_work import UnitOfWork

    store = stores.create_encrypted(Path(a["store"]))
    panel_id, members = meetings.setup_panel(store)
    day = meetings.meeting_day(0)
    meeting_id, items = meetings.prepare_meeting(store, panel_id, members, day, a["cases"], 0)
    for i, item_id in enumerate(items):
        with UnitOfWork(store, meetings.ACTOR) as uow:
            for title in ("EP advice", "School report"):
                body = f"{title} for case {i + 1}.\r\nFictional text for the benchmark.\r\n"
                add_paper(uow, item_id, file_name=f"{title} {i + 1}.txt", data=body.encode())
    meetings.hold_meeting(store, items[:8], 0, day, return_date=meetings.meeting_day(8))
    stores.checkpoint_and_close(store)
    if a.get("passphrase_store"):  # the unlock dialog's store: only its key file is read
        stores.create_with_passphrase(Path(a["passphrase_store"])).close()
    return {"meeting_id": meeting_id, "items": len(items)}


@task
def setup_big_store(a: dict) -> dict:
    """Ten years of weekly meetings (about 12,000 items), the last one the cold-start store's
    20-case meeting in progress (``benchmarks/big_store.py``)."""
    from benchmarks import big_store, stores

    store = stores.create_encrypted(Path(a["store"]))
    started = time.perf_counter()
    made = big_store.build(store, a["cases"], a["past_meetings"])
    built = time.perf_counter() - started
    stores.checkpoint_and_close(store)
    return {**made, "build_seconds": round(built, 1),
            "store_bytes": Path(a["store"]).stat().st_size}  # fmt: skip


@task
def setup_minutes(a: dict) -> dict:
    """The closed 40-case meeting, kept as a template store; its signed minutes' content for
    the baseline (made on a copy, so the template stays unsigned)."""
    from benchmarks import minutes_work, stores

    golden = Path(a["store"])
    store = stores.create_encrypted(golden)
    ids = minutes_work.prepare_minutes_meeting(store, a["cases"])
    stores.checkpoint_and_close(store)
    scratch = golden.with_name("minutes-content.store")
    stores.copy_store(golden, scratch)
    store = stores.open_encrypted(scratch)
    signed = minutes_work.generate_and_sign(store, ids["meeting_id"], ids["signer_id"])
    store.close()
    blocks = minutes_work.document_content(signed)
    minutes_work.save_content(blocks, Path(a["content"]))
    return {**ids, "blocks": len(blocks), "signed_bytes": len(signed)}


@task
def setup_papers(a: dict) -> dict:
    """The fictional papers, and a store with a 40-item meeting waiting for them."""
    from benchmarks import meetings, papers_gen, stores

    started = time.perf_counter()
    made = papers_gen.make_papers(Path(a["folder"]), a["count"])
    generated = time.perf_counter() - started
    store = stores.create_encrypted(Path(a["store"]))
    panel_id, members = meetings.setup_panel(store)
    meeting_id, items = meetings.prepare_meeting(
        store, panel_id, members, meetings.meeting_day(0), a["items"], 0, start=False
    )
    stores.checkpoint_and_close(store)
    return {
        "meeting_id": meeting_id,
        "item_ids": items,
        "files": len(made),
        "bytes": sum(p.size for p in made),
        "pdf": sum(p.kind == "pdf" for p in made),
        "docx": sum(p.kind == "docx" for p in made),
        "smallest": min(p.size for p in made),
        "largest": max(p.size for p in made),
        "generate_seconds": round(generated, 1),
    }


@task
def setup_real_papers(a: dict) -> dict:
    """The realistic corpus (LibreOffice PDFs of typed reports, Word and Excel papers), and a
    store with a meeting waiting for them."""
    from benchmarks import meetings, real_papers, stores

    started = time.perf_counter()
    made = real_papers.make_corpus(Path(a["folder"]), a["pdfs"], a["words"], a["sheets"])
    generated = time.perf_counter() - started
    store = stores.create_encrypted(Path(a["store"]))
    panel_id, members = meetings.setup_panel(store)
    meeting_id, items = meetings.prepare_meeting(
        store, panel_id, members, meetings.meeting_day(0), a["items"], 0, start=False
    )
    stores.checkpoint_and_close(store)
    return {
        "meeting_id": meeting_id,
        "item_ids": items,
        "files": len(made),
        "bytes": sum(p.size for p in made),
        **{kind: sum(p.kind == kind for p in made) for kind in ("pdf", "docx", "xlsx")},
        "smallest_pdf": min((p.size for p in made if p.kind == "pdf"), default=0),
        "largest_pdf": max((p.size for p in made if p.kind == "pdf"), default=0),
        "generate_seconds": round(generated, 1),
    }


@task
def setup_search(a: dict) -> dict:
    from benchmarks import search_corpus, stores

    store = stores.create_encrypted(Path(a["store"]))
    started = time.perf_counter()
    counts = search_corpus.build_corpus(store, a["decisions"])
    built = time.perf_counter() - started
    store.close()
    return {
        **counts,
        "build_seconds": round(built, 1),
        "store_bytes": Path(a["store"]).stat().st_size,
    }


# -- store workload -----------------------------------------------------------------------------


def _store_for(kind: str, path: Path):
    from benchmarks import stores

    return stores.create_encrypted(path) if kind == "encrypted" else stores.create_plain(path)


@task
def store_workload(a: dict) -> dict:
    from benchmarks import meetings

    store = _store_for(a["kind"], Path(a["store"]))
    started = time.perf_counter()
    counts = meetings.store_workload(store, a["meetings"], a["items"])
    seconds = time.perf_counter() - started
    store.close()
    return {"seconds": seconds, **counts}


@task
def store_statements(a: dict) -> dict:
    """Run a small workload on both stores, recording the SQL each emits, and compare."""
    from sqlalchemy import event

    from benchmarks import meetings

    recorded = {}
    for kind in ("encrypted", "plain"):
        store = _store_for(kind, Path(a["folder"]) / f"statements-{kind}.store")
        statements: list[str] = []
        event.listen(
            store.engine,
            "before_cursor_execute",
            lambda conn, cursor, sql, params, context, many, into=statements: into.append(sql),
        )
        commits = []
        event.listen(store.engine, "commit", lambda conn, into=commits: into.append(1))
        meetings.store_workload(store, a["meetings"], a["items"])
        store.close()
        recorded[kind] = (statements, len(commits))
    (enc, enc_commits), (plain, plain_commits) = recorded["encrypted"], recorded["plain"]
    differing = sum(1 for x, y in zip(enc, plain, strict=False) if x != y) + abs(
        len(enc) - len(plain)
    )
    return {
        "statements": len(enc),
        "plain_statements": len(plain),
        "differing": differing,
        "commits": enc_commits,
        "plain_commits": plain_commits,
        "digest": hashlib.sha256("\n".join(enc).encode()).hexdigest()[:16],
        "plain_digest": hashlib.sha256("\n".join(plain).encode()).hexdigest()[:16],
    }


# -- minutes --------------------------------------------------------------------------------------


@task
def minutes_subject(a: dict) -> dict:
    """Generate and sign on a fresh copy of the template store: once to warm up, once timed.

    ``seconds`` leaves out the Argon2id derivation that unlocks the chair's signing key with
    their passphrase (``kdf_seconds``, timed around ``store.keys._kek``, the one call that
    does it): a fixed cost set for security, paid once per signing whatever the minutes hold,
    which the python-docx baseline has no counterpart for. ``total_seconds`` includes it."""
    from benchmarks import minutes_work, stores
    from panelapp.store import keys

    derive, spent = keys._kek, []

    def timed_kek(*args, **kwargs):
        started = time.perf_counter()
        try:
            return derive(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    keys._kek = timed_kek
    golden = Path(a["store"])
    timings = []
    for run in ("warm", "timed"):
        copy = golden.with_name(f"minutes-{os.getpid()}-{run}.store")
        stores.copy_store(golden, copy)
        store = stores.open_encrypted(copy)
        spent.clear()
        started = time.perf_counter()
        signed = minutes_work.generate_and_sign(store, a["meeting_id"], a["signer_id"])
        timings.append((time.perf_counter() - started, sum(spent)))
        store.close()
        for leftover in copy.parent.glob(copy.name + "*"):
            leftover.unlink()
    (total, kdf), (warm, _) = timings[-1], timings[0]
    return {"seconds": total - kdf, "total_seconds": total, "kdf_seconds": kdf,
            "warm_seconds": warm, "bytes": len(signed)}  # fmt: skip


@task
def minutes_baseline(a: dict) -> dict:
    from benchmarks import minutes_work
    from panelapp.resources import read_template

    blocks = minutes_work.load_content(Path(a["content"]))
    template = read_template("minutes.docx")
    timings = []
    for _ in ("warm", "timed"):
        started = time.perf_counter()
        data = minutes_work.write_with_python_docx(blocks, template)
        timings.append(time.perf_counter() - started)
    return {"seconds": timings[-1], "warm_seconds": timings[0], "bytes": len(data)}


# -- papers ---------------------------------------------------------------------------------------


def _paper_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file())


@task
def papers_subject(a: dict) -> dict:
    """Import every file into a fresh copy of the waiting store, as the officer does: one
    ``services.papers.import_papers`` call per item (the files checked in reading processes
    and stored at once, their words left pending and read by the pool in its spare turns while
    the store commits), then ``paper_text.read_pending_text`` (those words, and any not read
    yet, indexed in batches), as ``panelapp papers add`` and the window do. ``stored_seconds``: until every paper is committed;
    ``seconds``: until every paper's words are in the index."""
    from benchmarks import meetings, stores
    from panelapp.documents.reading_pool import shared_pool
    from panelapp.services.paper_text import pending_count, read_pending_text
    from panelapp.services.papers import import_papers

    golden, target = Path(a["store"]), Path(a["target"])
    stores.copy_store(golden, target)
    store = stores.open_encrypted(target)
    files = _paper_files(Path(a["folder"]))
    per_item = -(-len(files) // len(a["item_ids"]))
    warming = time.perf_counter()
    if a.get("warm", True):  # the window starts its reading processes when it opens
        for started_one in shared_pool().warm():
            started_one.result()
    warm_seconds = time.perf_counter() - warming
    started = time.perf_counter()
    stored = 0
    for n, item_id in enumerate(a["item_ids"]):
        batch = files[n * per_item : (n + 1) * per_item]
        if batch:
            outcomes = import_papers(store, meetings.ACTOR, item_id, batch, read_text=False)
            stored += sum(o.stored for o in outcomes)
    stored_seconds = time.perf_counter() - started
    read_pending_text(store, meetings.ACTOR)
    seconds = time.perf_counter() - started
    with store.read() as session:
        left = pending_count(session)
    store.close()
    if not a.get("keep"):
        for leftover in target.parent.glob(target.name + "*"):
            leftover.unlink()
    return {"seconds": seconds, "stored_seconds": stored_seconds, "stored": stored,
            "files": len(files), "pending_left": left, "warm_seconds": warm_seconds}  # fmt: skip


@task
def papers_baseline(a: dict) -> dict:
    """Copy every file into a new folder and hash it (SHA-256), each copy flushed to disk
    (fsync) as the store's commits are."""
    files = _paper_files(Path(a["folder"]))
    target = Path(a["target"])
    target.mkdir()
    started = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        hashlib.sha256(data).hexdigest()
        with open(target / path.name, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    seconds = time.perf_counter() - started
    for path in target.iterdir():
        path.unlink()
    target.rmdir()
    return {"seconds": seconds, "files": len(files)}


@task
def papers_sqlite_baseline(a: dict) -> dict:
    """Read each file, hash it (SHA-256) and write its bytes into a plain SQLite store (WAL,
    ``synchronous=FULL``), one transaction per file: the simplest durable store of the same
    bytes."""
    import sqlite3

    files = _paper_files(Path(a["folder"]))
    target = Path(a["target"])
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE paper (id INTEGER PRIMARY KEY, name TEXT, sha256 TEXT, data BLOB)")
    started = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO paper (name, sha256, data) VALUES (?, ?, ?)",
                   (path.name, digest, data))  # fmt: skip
        db.execute("COMMIT")
    seconds = time.perf_counter() - started
    db.close()
    for leftover in target.parent.glob(target.name + "*"):
        leftover.unlink()
    return {"seconds": seconds, "files": len(files)}


@task
def papers_checks(a: dict) -> dict:
    """Informational: the papers service's work on each file without any store, one reading
    process, one file after the other (read the file, check its content, read its words)."""
    from panelapp.documents.reading_process import ReadingProcess
    from panelapp.services.papers import check_paper, read_paper_file

    files = _paper_files(Path(a["folder"]))
    stages = {"read": 0.0, "check": 0.0, "text": 0.0}
    with ReadingProcess() as reader:  # one for the batch, as an import has
        for path in files:
            t0 = time.perf_counter()
            data = read_paper_file(path, 50 * 1024 * 1024)
            t1 = time.perf_counter()
            checked = check_paper(path.name, data, reader=reader)
            t2 = time.perf_counter()
            reader.stored_paper_text(data, checked.kind.value)
            t3 = time.perf_counter()
            stages["read"] += t1 - t0
            stages["check"] += t2 - t1
            stages["text"] += t3 - t2
    return {"seconds": sum(stages.values()), **stages}


# -- search ---------------------------------------------------------------------------------------


@task
def search_queries(a: dict) -> dict:
    from benchmarks import search_corpus, stores
    from panelapp.services.search import search

    store = stores.open_encrypted(Path(a["store"]))
    latencies, hits = [], 0
    for words in search_corpus.queries(a["queries"]):
        started = time.perf_counter()
        with store.read() as session:  # a new session per search, as the window does
            hits += len(search(session, words))
        latencies.append((time.perf_counter() - started) * 1000)
    store.close()
    return {"latencies_ms": latencies, "hits": hits}


@task
def panel_figures(a: dict) -> dict:
    """Every panel figure over the whole search store (10,000 decisions), twice in one process
    (the first pays for the imports' caches), as the Panel data window and ``stats`` ask."""
    from datetime import date

    from benchmarks import stores
    from panelapp.services.panel_statistics import StatsQuery, panel_statistics, published

    store = stores.open_encrypted(Path(a["store"]))
    query = StatsQuery(date(2000, 1, 1), date(2100, 12, 31))
    timings, rows = [], 0
    for _ in range(2):
        started = time.perf_counter()
        with store.read() as session:
            sets = published(panel_statistics(session, query))
        timings.append(time.perf_counter() - started)
        rows = sum(len(ds.rows) for ds in sets)
    store.close()
    return {"seconds": timings[-1], "first_seconds": timings[0], "data_sets": len(sets),
            "rows": rows}  # fmt: skip


# -- caseload -------------------------------------------------------------------------------------


@task
def setup_caseload(a: dict) -> dict:
    """Open cases of every clock (none on an agenda) and a year of fortnightly meetings."""
    from datetime import date, time, timedelta

    from benchmarks import stores
    from panelapp.domain.vocabulary import PanelType, PrimaryNeed, RequestType
    from panelapp.services.cases import CaseDetails, add_case
    from panelapp.services.meetings import schedule_meeting
    from panelapp.services.panels import create_panel
    from panelapp.services.unit_of_work import UnitOfWork
    from panelapp.store.tables import Panel

    store = stores.create_encrypted(Path(a["store"]))
    today = date.fromisoformat(a["today"])
    kinds = (RequestType.ASSESSMENT_REQUEST, RequestType.POST_ASSESSMENT,
             RequestType.ANNUAL_REVIEW, RequestType.PHASE_TRANSFER)  # fmt: skip
    with UnitOfWork(store, "bench") as uow:
        panel = create_panel(uow, name="Bench Panel", panel_type=PanelType.SEND)
        uow.session.get(Panel, panel).capacity_items = 40
        for n in range(26):
            schedule_meeting(uow, panel, on=today + timedelta(days=7 + 14 * n), start=time(10))
        for n in range(a["cases"]):
            kind = kinds[n % 4]
            received = today - timedelta(days=n % 120)
            add_case(uow, CaseDetails(
                reference=f"B-{n:05d}", first_name="A", last_name="B",
                date_of_birth=date(2015, 1, 1), request_type=kind, request_received=received,
                primary_need=PrimaryNeed.SLCN,
                review_meeting_date=received if kind is RequestType.ANNUAL_REVIEW else None,
                transfer_year=today.year + 1 if kind is RequestType.PHASE_TRANSFER else None,
            ))  # fmt: skip
    store.close()
    return {"cases": a["cases"]}


@task
def caseload_queries(a: dict) -> dict:
    from datetime import date

    from benchmarks import stores
    from panelapp.services.forward_plan import forward_plan
    from panelapp.services.planner import plan_meetings

    store = stores.open_encrypted(Path(a["store"]))
    today = date.fromisoformat(a["today"])
    out = {}
    for name, fn in (("deadlines", forward_plan), ("planner", plan_meetings)):
        started = time.perf_counter()
        with store.read() as session:
            rows = fn(session, today)
        out[name] = time.perf_counter() - started
        out[f"{name}_rows"] = len(rows)
    store.close()
    return out


# -- panel data -----------------------------------------------------------------------------------


@task
def paneldata_window(a: dict) -> dict:
    """Seconds from asking for a window to its first screen painted, in a fresh process (its
    module imported as the menu does): ``panel-data`` (the Panel data window, its figures worked
    out and the chart in view drawn) or ``records`` (the Records window, for comparison). The
    moment is the event loop's first turn after the chart's (the table's) first paint, as
    ``panelapp.ui.first_paint`` tells it; the Panel data window's other charts come after
    it (``all_seconds``: until they are drawn too)."""
    from PySide6.QtCore import QEventLoop, QTimer

    from benchmarks import meetings, stores
    from panelapp.store.tables import Meeting
    from panelapp.ui.app import application
    from panelapp.ui.context import AppContext
    from panelapp.ui.first_paint import FirstPaint

    app = application()
    store = stores.open_encrypted(Path(a["store"]))
    with store.read() as session:
        day = session.get(Meeting, a["meeting_id"]).meeting_date
    ctx = AppContext(store, meetings.ACTOR)
    painted: list[float] = []
    loop = QEventLoop()

    def mark() -> None:
        painted.append(time.perf_counter())
        loop.quit()

    started = time.perf_counter()
    if a["window"] == "panel-data":
        from panelapp.ui.panel_data_window import PanelDataWindow

        window = PanelDataWindow(ctx, today=day)
        first = window.tabs.currentWidget().view  # the chart in view (the others come after)
    else:
        from panelapp.ui.records_dialog import RecordsDialog

        window = RecordsDialog(ctx, today=day)
        first = window.table
    FirstPaint(first.viewport(), mark)
    QTimer.singleShot(5000, loop.quit)  # never waits for ever
    window.show()
    loop.exec()
    if not painted:
        raise RuntimeError("the window's first screen was not painted within 5 s")
    seconds = painted[0] - started
    rows = len(window.data_sets["outcomes"].rows) if a["window"] == "panel-data" else 0
    all_seconds = time.perf_counter() - started  # data_sets: every chart drawn
    window.close()
    app.processEvents()
    store.close()
    return {"seconds": seconds, "all_seconds": all_seconds, "outcome_rows": rows}


@task
def gui_stalls(a: dict) -> dict:
    """The longest the GUI thread goes without running its event loop during each action a
    minute taker takes on the real window (offscreen), as a 2 ms heartbeat timer sees it: open
    the meeting, switch item, record a decision, defer, declare an interest, and the window's
    refresh after a background job (a paper added; the agenda exported). Every action is
    started from the event loop and followed by half a second of the loop running (or, for a
    background job, until the job is done and then half a second), so the refreshes and
    background jobs' completions count. Also counts the SQL statements each action runs; with
    ``profile`` (a folder) writes a cProfile of the GUI thread per action there."""
    import cProfile
    from datetime import time as clock_time

    from PySide6.QtCore import QElapsedTimer, QThreadPool, QTimer
    from sqlalchemy import event

    from benchmarks import meetings, stores
    from panelapp.domain.vocabulary import ItemStatus, Outcome, RequestType
    from panelapp.services.meeting_view import meeting_view
    from panelapp.ui.app import application, freeze_startup_objects
    from panelapp.ui.context import AppContext
    from panelapp.ui.main_window import MainWindow

    app = application()
    path = Path(a["store"])
    stores.copy_store(Path(a["golden"]), path)  # every run from the same state
    store = stores.open_encrypted(path)
    statements = [0]
    event.listen(store.engine, "before_cursor_execute",
                 lambda *_args: statements.__setitem__(0, statements[0] + 1))  # fmt: skip
    window = MainWindow(AppContext(store, meetings.ACTOR), path)
    window.resize(1366, 768)
    window.show()
    freeze_startup_objects()  # as panelapp.ui.app.run does once the window is shown
    app.processEvents()
    watch, beat = QElapsedTimer(), QTimer()
    beat.setInterval(2)
    gaps: list[float] = []
    last = [0.0]

    long_gaps: list[tuple[float, float]] = []  # (when it ended, perf_counter; ms), if asked

    def tick() -> None:
        now = watch.nsecsElapsed() / 1e6
        gaps.append(now - last[0])
        if a.get("timeline") and now - last[0] > 30:
            long_gaps.append((time.perf_counter(), now - last[0]))
        last[0] = now

    beat.timeout.connect(tick)
    stalls: dict[str, float] = {}
    counts: dict[str, int] = {}
    profile_dir = Path(a["profile"]) if a.get("profile") else None

    def measure(name: str, *steps, background: bool = False) -> None:
        """Run ``steps`` one per turn of the event loop, as a person's separate clicks and
        key presses are (choosing a tab, opening a dialog, filling it in and saving it)."""

        def chain(rest) -> None:
            rest[0]()
            if rest[1:]:
                QTimer.singleShot(0, lambda: chain(rest[1:]))

        action = lambda: chain(steps)  # noqa: E731
        profiler = cProfile.Profile() if profile_dir else None
        gaps.clear()
        statements[0] = 0
        watch.start()
        last[0] = 0.0
        beat.start()
        if profiler:
            profiler.enable()
        QTimer.singleShot(0, action)
        settle = QElapsedTimer()
        settle.start()
        while settle.elapsed() < 500:
            app.processEvents()
            if background and QThreadPool.globalInstance().activeThreadCount():
                settle.restart()  # the job still runs: its completion is still to come
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(profile_dir / (name.replace(" ", "-") + ".prof")))
        beat.stop()
        stalls[name] = round(max(gaps, default=0.0), 1)
        counts[name] = statements[0]

    screen = window.meeting_screen
    run = screen.run
    # The list may have opened the meeting already (its first entry, chosen when shown): the
    # window goes back to its welcome page, so that choosing the meeting opens it.
    window.right.setCurrentWidget(window.welcome)
    app.processEvents()
    measure("open the meeting", lambda: window.meetings.select(a["meeting_id"]))
    screen.tabs.setCurrentWidget(run)
    app.processEvents()
    view = run.ctx.read(meeting_view, a["meeting_id"], run.ctx.naming)
    to_do = [i for i in view.items if i.status is ItemStatus.TO_DO]
    simple = {RequestType.ASSESSMENT_REQUEST: Outcome.AGREE_TO_ASSESS,
              RequestType.POST_ASSESSMENT: Outcome.ISSUE_PLAN,
              RequestType.REASSESSMENT: Outcome.AGREE}  # fmt: skip
    decide = next(i for i in to_do if i.request_type in simple)
    defer = next(i for i in to_do if i.item_id != decide.item_id)
    measure("switch item", lambda: run.select_item(decide.position))

    def fill_in() -> None:
        run.form.choose(simple[decide.request_type])
        run.form.rationale.setPlainText("The evidence shows needs the school cannot meet.")

    measure("record a decision", fill_in, run.record_decision)
    measure("switch item again", lambda: run.select_item(defer.position))

    dialogs = []

    def fill_in_deferral() -> None:
        dialog = dialogs[-1]
        dialog.reason.setPlainText("The panel needs the therapy report.")
        dialog.information.setText("Speech and language therapy report")
        dialog.provider.setText("NHS therapy service")
        dialog.return_date.setDate(dialog.return_date.date().addDays(14))
        dialog.past_due_reason.setText("The family agreed to wait for the report.")

    measure("defer", lambda: dialogs.append(run.open_deferral_dialog()), fill_in_deferral,
            lambda: dialogs[-1].record())  # fmt: skip

    def fill_in_declaration() -> None:
        dialog = dialogs[-1]
        dialog.nature.setText("Knows the family")
        dialog.left_at.setTime(clock_time(10, 5))

    measure("declare an interest", lambda: screen.tabs.setCurrentWidget(screen.attendance),
            lambda: dialogs.append(screen.attendance.open_declaration_dialog(to_do[-1].item_id)),
            fill_in_declaration, lambda: dialogs[-1].record())  # fmt: skip
    screen.tabs.setCurrentWidget(run)
    app.processEvents()
    paper = path.with_name(f"late-paper-{os.getpid()}.txt")
    paper.write_text("Speech and language therapy report (fictional).\r\n" * 40)
    current = run.current_item_id()
    measure("a paper added (background job)",
            lambda: screen.prepare.attach_papers(current, [paper]), background=True)  # fmt: skip
    agenda = path.with_name(f"agenda-{os.getpid()}.docx")
    measure("the agenda exported (background job)",
            lambda: screen.prepare.export_agenda(agenda), background=True)  # fmt: skip
    paper.unlink()
    agenda.unlink(missing_ok=True)
    done = run.ctx.read(meeting_view, a["meeting_id"], run.ctx.naming).items
    decided = sum(1 for i in done if i.status is not ItemStatus.TO_DO)
    papers = len(run.detail.papers) if run.detail else 0
    window.close()
    app.processEvents()
    store.close()
    return {"stalls_ms": stalls, "statements": counts, "items_done": decided,
            "papers_on_current_item": papers, "long_gaps": long_gaps}  # fmt: skip


# -- check ----------------------------------------------------------------------------------------


@task
def setup_check(a: dict) -> dict:
    """A store with a real meeting (its events carry record digests, as every change's do),
    then the audit trail lengthened to ``events`` with fictional exports and views of papers,
    each chained as ``audit.append`` chains it, in one transaction: years of use in seconds."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert

    from benchmarks import meetings, stores
    from panelapp.store import audit
    from panelapp.store.tables import AuditEvent, StoreMeta

    store = stores.create_encrypted(Path(a["store"]))
    panel_id, members = meetings.setup_panel(store)
    day = meetings.meeting_day(0)
    meeting_id, items = meetings.prepare_meeting(store, panel_id, members, day, 10, 0)
    meetings.hold_meeting(store, items, 0, day, return_date=meetings.meeting_day(8))
    meetings.close_meeting(store, meeting_id)
    with store.write() as session, session.begin():
        seq, prev = audit.head(session)
        real = seq
        moment = datetime(2016, 4, 1, 9, 0, tzinfo=UTC)
        batch = []
        for n in range(seq + 1, a["events"] + 1):
            moment += timedelta(minutes=7)
            at = moment.isoformat(timespec="microseconds")
            kind = ("minutes.exported", "paper.opened", "pack.exported")[n % 3]
            detail = audit._canonical({"version": 1 + n % 3, "signed": bool(n % 2),
                                       "sha256": hashlib.sha256(str(n).encode()).hexdigest(),
                                       "naming": "initials"})  # fmt: skip
            digest = audit.event_hash(prev, n, at, meetings.ACTOR, kind, "meeting", 1 + n % 97,
                                      detail)  # fmt: skip
            batch.append({"seq": n, "at": at, "actor": meetings.ACTOR, "action": kind,
                          "entity": "meeting", "entity_id": 1 + n % 97, "detail": detail,
                          "prev_hash": prev, "hash": digest})  # fmt: skip
            prev = digest
            if len(batch) == 5_000:
                session.execute(insert(AuditEvent), batch)
                batch = []
        if batch:
            session.execute(insert(AuditEvent), batch)
        session.get(StoreMeta, audit.HEAD_KEY).value = f"{a['events']}:{prev}"
    stores.checkpoint_and_close(store)
    return {"events": a["events"], "real_events": real,
            "bytes": Path(a["store"]).stat().st_size}  # fmt: skip


@task
def check_store(a: dict) -> dict:
    """``panelapp --store STORE check`` as a person runs it, in this process: its peak memory."""
    import contextlib
    import io

    from panelapp.cli import main

    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as out:
        status = main(["--store", a["store"], "check"])
    seconds = time.perf_counter() - started
    return {"peak_mib": maxrss_mib(), "seconds": seconds, "status": status,
            "lines": len(out.getvalue().splitlines())}  # fmt: skip


@task
def bare_python(a: dict) -> dict:
    """A Python process that imports nothing of panelapp, for scale."""
    return {"peak_mib": maxrss_mib()}


# -- memory ---------------------------------------------------------------------------------------


def _vm_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@task
def memory_app(a: dict) -> dict:
    """The window on a 40-case meeting with 200 MB of papers: shown, then every item visited on
    the 'Run the meeting' page with each of its papers opened in the paper viewer (all of an
    item's papers open together, closed before the next item, as a chair reads them)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    # Only what the application itself imports: the store opened as the application opens
    # it (not through benchmarks.stores, whose imports the window does not need).
    from panelapp.ui.app import application, build_window
    from panelapp.ui.unlock import open_without_dialog

    def settle(ms: int = 30) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    app = application()
    path = Path(a["store"])
    store = open_without_dialog(path)
    window = build_window(store, path, demo=False, actor="Benchmark Officer")
    window.meetings.select(a["meeting_id"])
    window.show()
    settle(100)
    stages = {"shown": maxrss_mib()}
    run = window.meeting_screen.run
    window.meeting_screen.tabs.setCurrentWidget(run)
    opened = 0
    for row in range(run.agenda.count()):
        run.agenda.setCurrentRow(row)
        settle(5)
        viewers = []
        for paper_row in range(run.papers.count()):
            viewer = run.open_paper(paper_row)
            if viewer is not None:
                viewers.append(viewer)
                opened += 1
        settle(60)  # let every viewer lay out and render its first pages
        for viewer in viewers:
            viewer.close()
        settle(5)
        QCoreApplication.sendPostedEvents(None, 0)
    stages["items_and_papers"] = maxrss_mib()
    stages["rss_at_end"] = _vm_rss_mib()
    window.close()
    app.processEvents()
    return {"peak_mib": maxrss_mib(), "stages": stages, "papers_opened": opened,
            "items": run.agenda.count()}  # fmt: skip


@task
def memory_bare(a: dict) -> dict:
    """The same measure for a bare PySide6 process showing an empty window, for scale."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 760)
    window.show()
    loop = QEventLoop()
    QTimer.singleShot(100, loop.quit)
    loop.exec()
    window.close()
    app.processEvents()
    return {"peak_mib": maxrss_mib()}


@task
def team_checkout(a: dict) -> dict:
    """Check a 20-case meeting with 200 papers out of a team store on a local PostgreSQL
    server (started here, TLS on, as the tests start it) into a new laptop store, hold the
    meeting there (untimed), and check it in: the seconds of each."""
    from tests.helpers.postgres_server import create_database, find_bin_dir, start_server

    bin_dir = find_bin_dir()
    if bin_dir is None:
        return {"skipped": "PostgreSQL is not installed (apt-get install postgresql)"}
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return {"skipped": "psycopg is not installed (pip install -e '.[team]')"}
    from benchmarks import meetings, stores
    from panelapp.services import team_checkout as service
    from panelapp.services.papers import add_paper
    from panelapp.services.unit_of_work import UnitOfWork
    from panelapp.store.lifecycle import create_team_store
    from panelapp.store.team_url import remember_password

    server = start_server(bin_dir)
    try:
        create_database(server, "bench_team")
        url = server.url("bench_team")
        remember_password(url, server.password)
        team = create_team_store(url)
        panel_id, members = meetings.setup_panel(team)
        day = meetings.meeting_day(0)
        meeting_id, items = meetings.prepare_meeting(
            team, panel_id, members, day, a["cases"], 0, start=False
        )
        per_item = a["papers"] // len(items)
        for i, item_id in enumerate(items):
            with UnitOfWork(team, meetings.ACTOR) as uow:
                for k in range(per_item):
                    body = (f"Report {k + 1} for case {i + 1}. Fictional text.\r\n" * 400).encode()
                    add_paper(uow, item_id, file_name=f"report {i + 1}-{k + 1}.txt", data=body)
        local = stores.create_encrypted(Path(a["store"]))
        started = time.perf_counter()
        out = service.checkout(team, local, meeting_id, actor=meetings.ACTOR, machine="BENCH")
        checkout_s = time.perf_counter() - started
        from panelapp.services.meetings import start_meeting

        with UnitOfWork(local, meetings.ACTOR) as uow:
            start_meeting(uow, meeting_id)
        meetings.hold_meeting(local, items, 0, day, return_date=meetings.meeting_day(8))
        meetings.close_meeting(local, meeting_id)
        started = time.perf_counter()
        back = service.checkin(team, local, meeting_id, actor=meetings.ACTOR)
        checkin_s = time.perf_counter() - started
        local.close()
        team.close()
        return {
            "checkout": checkout_s,
            "checkin": checkin_s,
            "rows_out": out.rows,
            "papers": out.papers,
            "rows_in": back.rows,
            "events_in": back.events,
        }
    finally:
        server.stop()


def main() -> int:
    name, args = sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    emit(TASKS[name](args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
