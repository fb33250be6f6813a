"""panelapp's speed against its limits, each measured as a ratio to a baseline in the same run.

    .venv/bin/python benchmarks/run.py [--repeat N] [--quick] [--only NAME,...] [--keep]

For each measure the subject and its baseline run in fresh processes, interleaved repetition by
repetition (the order alternating), so both share the machine's noise; the table gives the
median of each, the median of the paired ratios, the target and PASS or MISS. It is a report,
not a test: it exits 0 whatever it finds (2 only when it could not run). What each baseline is,
and why it is a fair one, is in docs/benchmarks.md.

Everything is made in a temporary folder and removed afterwards (``--keep`` keeps it): the
fictional stores, papers and a stand-in keyring. Output is timings, sizes and counts only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MEASURES = ("coldstart", "store", "minutes", "papers", "realpapers", "search", "memory",
            "caseload", "paneldata", "figures", "stalls", "team", "check")  # fmt: skip
CASELOAD_TODAY = "2026-03-12"
BIG_STORE_MEETINGS = 500  # ten years of weekly meetings, about 12,000 agenda items
TASK_TIMEOUT_SECONDS = 900  # one task (a set-up or a measurement); a hang ends the run


@dataclass(frozen=True)
class Scale:
    """How big each workload is; ``--quick`` scales the slow ones down (and says so)."""

    coldstart_cases: int = 20
    store_meetings: int = 25
    store_items: int = 40
    minutes_cases: int = 40
    papers: int = 200
    paper_items: int = 40
    search_decisions: int = 10_000
    search_queries: int = 200
    caseload_cases: int = 5_000
    real_pdfs: int = 16
    real_words: int = 6
    real_sheets: int = 6
    real_items: int = 8
    team_cases: int = 20
    team_papers: int = 200
    check_events: int = 65_000


FULL = Scale()
QUICK = Scale(store_meetings=5, papers=40, paper_items=8, search_decisions=2_000,
              search_queries=100, real_pdfs=6, real_words=2, real_sheets=2,
              real_items=4)  # fmt: skip
#: Repetitions of each measure: (full run, --quick). --repeat N sets every one to N.
REPEATS = {"coldstart": (9, 3), "store": (5, 2), "minutes": (7, 2), "papers": (5, 3),
           "realpapers": (5, 3),
           "search": (5, 3), "memory": (3, 1), "caseload": (5, 2), "figures": (3, 2), "stalls": (3, 1),
           "paneldata": (5, 2), "team": (3, 1), "check": (3, 1)}  # fmt: skip


@dataclass
class Result:
    name: str
    title: str
    subject: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    unit: str = "s"
    target: str = ""
    limit: float | None = None  # ratio limit, or absolute limit when there is no baseline
    #: the limit is on the subject's own figure, the baseline only given for scale
    absolute: bool = False
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def ratios(self) -> list[float]:
        return [s / b for s, b in zip(self.subject, self.baseline, strict=False) if b > 0]

    @property
    def ratio(self) -> float | None:
        return statistics.median(self.ratios) if self.ratios else None

    @property
    def verdict(self) -> str:
        if self.limit is None or not self.subject:
            return "reported" if self.subject else "not run"
        value = (
            self.ratio if self.baseline and not self.absolute else statistics.median(self.subject)
        )
        if value is None:
            return "not run"
        return "PASS" if value <= self.limit else "MISS"


class Bench:
    def __init__(self, work: Path, scale: Scale, repeats: dict[str, int]):
        self.work = work
        self.scale = scale
        self.repeats = repeats
        home = work / "home"
        inherited = ("PANELAPP_", "XDG_", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(inherited)},
            # Compiled bytecode is kept (in the work folder, not beside the sources), so that
            # after the first, untimed start every process loads it as an installed app does.
            "PYTHONPYCACHEPREFIX": str(work / "pycache"),
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / ".local/share"),
            "XDG_STATE_HOME": str(home / ".local/state"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]),
            "PYTHON_KEYRING_BACKEND": "bench_keyring.FileKeyring",
            "PANELAPP_BENCH_KEYRING": str(work / "keyring.json"),
        }
        self.ids: dict = {}
        self.selected: set[str] = set(MEASURES)

    # -- processes ---------------------------------------------------------------------------

    def child(self, task: str, **args) -> dict:
        """Run one task in a fresh interpreter and return its RESULT."""
        done = subprocess.run(
            [sys.executable, str(HERE / "child.py"), task, json.dumps(args)],
            env=self.env,
            cwd=self.work,
            capture_output=True,
            text=True,
            timeout=TASK_TIMEOUT_SECONDS,
        )
        for line in reversed(done.stdout.splitlines()):
            if line.startswith("RESULT "):
                return json.loads(line[7:])
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"benchmark task {task} failed (exit {done.returncode}):\n{tail}")

    def coldstart_once(self, mode: str, store: str | None = None) -> dict[str, float]:
        """Seconds from starting the process to each moment it reports (CLOCK_MONOTONIC both
        sides): ``shown`` (a main window shown and the event loop run once) and ``painted``
        (the first window painted)."""
        command = [sys.executable, str(HERE / "coldstart.py"), mode]
        if mode == "app":
            command += [
                str(self.work / "coldstart.store"),
                str(self.ids["coldstart"]["meeting_id"]),
            ]
        elif mode == "first":
            command.append(str(store))
        started = time.monotonic()
        done = subprocess.run(command, env=self.env, cwd=self.work, capture_output=True, text=True,
                              timeout=120)  # fmt: skip
        marks = {}
        for line in done.stdout.splitlines():
            if line.startswith("SHOWN "):
                marks["shown"] = float(line.split()[1]) - started
            elif line.startswith(("PAINTED ", "first window painted ")):
                marks["painted"] = float(line.split()[-1]) - started
        if not marks:
            tail = "\n".join(done.stderr.strip().splitlines()[-15:])
            raise RuntimeError(f"cold start ({mode}) did not show its window:\n{tail}")
        return marks

    def interleave(self, result: Result, n: int, subject, baseline) -> None:
        for rep in range(n):
            pair = [("subject", subject), ("baseline", baseline)]
            if rep % 2:
                pair.reverse()
            values = {}
            for which, fn in pair:
                values[which] = fn(rep)
            result.subject.append(values["subject"])
            result.baseline.append(values["baseline"])
            self.progress(
                f"  {result.name} {rep + 1}/{n}: subject {values['subject']:.3f} {result.unit}, "
                f"baseline {values['baseline']:.3f} {result.unit}"
            )

    def progress(self, text: str) -> None:
        print(text, flush=True)

    # -- set-up ------------------------------------------------------------------------------

    def setup(self, wanted: set[str]) -> None:
        s = self.scale
        (self.work / "home").mkdir(parents=True, exist_ok=True)
        if wanted & {"coldstart", "paneldata", "stalls"}:
            self.ids["coldstart"] = self.timed_setup(
                "a store with a 20-case meeting, and a passphrase store", "setup-coldstart",
                store=str(self.work / "coldstart.store"), cases=s.coldstart_cases,
                passphrase_store=str(self.work / "coldstart-passphrase.store"),
            )  # fmt: skip
        if "stalls" in wanted:
            self.ids["bigstore"] = self.timed_setup(
                f"{BIG_STORE_MEETINGS} weekly meetings (the last the 20-case meeting in progress)",
                "setup-big-store", store=str(self.work / "big.store"), cases=s.coldstart_cases,
                past_meetings=BIG_STORE_MEETINGS - 1,
            )  # fmt: skip
            self.progress(
                f"    {self.ids['bigstore']['items']:,} agenda items, "
                f"{self.ids['bigstore']['store_bytes'] / 1e6:.0f} MB"
            )
        if "minutes" in wanted:
            self.ids["minutes"] = self.timed_setup(
                f"a closed {s.minutes_cases}-case meeting, and its minutes' content",
                "setup-minutes", store=str(self.work / "minutes.store"),
                content=str(self.work / "minutes-content.json"), cases=s.minutes_cases,
            )  # fmt: skip
        if wanted & {"papers", "memory"}:
            self.ids["papers"] = self.timed_setup(
                f"{s.papers} fictional papers and a {s.paper_items}-item meeting", "setup-papers",
                folder=str(self.work / "papers"), store=str(self.work / "papers.store"),
                count=s.papers, items=s.paper_items,
            )  # fmt: skip
        if "realpapers" in wanted:
            self.ids["realpapers"] = self.timed_setup(
                f"{s.real_pdfs} LibreOffice PDFs, {s.real_words} Word and {s.real_sheets} Excel "
                f"papers, and a {s.real_items}-item meeting", "setup-real-papers",
                folder=str(self.work / "real-papers"), store=str(self.work / "real.store"),
                pdfs=s.real_pdfs, words=s.real_words, sheets=s.real_sheets, items=s.real_items,
            )  # fmt: skip
        if "caseload" in wanted:
            self.ids["caseload"] = self.timed_setup(
                f"{s.caseload_cases:,} open cases and a year of fortnightly meetings",
                "setup-caseload", store=str(self.work / "caseload.store"),
                cases=s.caseload_cases, today=CASELOAD_TODAY,
            )  # fmt: skip
        if wanted & {"search", "figures"}:
            self.ids["search"] = self.timed_setup(
                f"a store of {s.search_decisions:,} decisions and their papers", "setup-search",
                store=str(self.work / "search.store"), decisions=s.search_decisions,
            )  # fmt: skip

        if "check" in wanted:
            self.ids["check"] = self.timed_setup(
                f"a store whose audit trail has {s.check_events:,} events", "setup-check",
                store=str(self.work / "check.store"), events=s.check_events,
            )  # fmt: skip

    def timed_setup(self, what: str, task: str, **args) -> dict:
        started = time.perf_counter()
        result = self.child(task, **args)
        self.progress(f"  made {what} ({time.perf_counter() - started:.0f} s)")
        return result

    # -- the measures ------------------------------------------------------------------------

    def coldstart(self) -> list[Result]:
        """Three starts of panelapp against one bare PySide6 start per repetition, all four
        interleaved (the order rotating), each ratio paired with that repetition's bare start."""
        s = self.scale
        bare = "a bare PySide6 process showing an empty QMainWindow"
        passphrase = Result(
            "first-window-passphrase",
            "First window, passphrase store: the unlock dialog painted",
            target="<= 1.5x a bare PySide6 window",
            limit=1.5,
            notes=[f"baseline: {bare}, until painted"],
        )
        keyring = Result(
            "first-window-keyring",
            "First window, keyring store: the main window's outline painted",
            target="<= 1.5x a bare PySide6 window",
            limit=1.5,
            notes=[f"baseline: {bare}, until painted"],
        )
        ready = Result(
            "meeting-ready",
            f"Meeting ready to use: cold start to a shown {s.coldstart_cases}-case meeting "
            "(keyring store, offscreen)",
            target="<= 5x a bare PySide6 window",
            limit=5.0,
            notes=[f"baseline: {bare}, until shown"],
        )
        stores = {
            "passphrase": str(self.work / "coldstart-passphrase.store"),
            "keyring": str(self.work / "coldstart.store"),
        }
        runs = [
            ("bare", lambda: self.coldstart_once("bare")),
            ("passphrase", lambda: self.coldstart_once("first", stores["passphrase"])),
            ("keyring", lambda: self.coldstart_once("first", stores["keyring"])),
            ("app", lambda: self.coldstart_once("app")),
        ]
        for _, fn in runs:  # one untimed start each first: the OS file cache is warm
            fn()
        n = self.repeats["coldstart"]
        for rep in range(n):
            order = runs[rep % len(runs) :] + runs[: rep % len(runs)]
            marks = {name: fn() for name, fn in order}
            for result, name, moment, base in (
                (passphrase, "passphrase", "painted", "painted"),
                (keyring, "keyring", "painted", "painted"),
                (ready, "app", "shown", "shown"),
            ):
                result.subject.append(marks[name][moment])
                result.baseline.append(marks["bare"][base])
            self.progress(
                f"  coldstart {rep + 1}/{n}: bare shown {marks['bare']['shown']:.3f} s, painted "
                f"{marks['bare']['painted']:.3f} s; unlock dialog painted "
                f"{marks['passphrase']['painted']:.3f} s; outline painted "
                f"{marks['keyring']['painted']:.3f} s; meeting shown {marks['app']['shown']:.3f} s"
            )
        return [passphrase, keyring, ready]

    def store(self) -> Result:
        s = self.scale
        total = s.store_meetings * s.store_items
        result = Result(
            "store",
            f"Store: {s.store_meetings} meetings x {s.store_items} items, {total:,} decisions "
            "and deferrals, each meeting loaded",
            target="<= 1.3x unencrypted SQLite",
            limit=1.3,
        )
        check = self.child(
            "store-statements", folder=str(self.work), meetings=1, items=s.store_items
        )
        same = check["differing"] == 0 and check["commits"] == check["plain_commits"]
        result.extra["statements"] = check
        result.notes.append(
            f"baseline: the same services on unencrypted SQLite (same driver, schema, settings); "
            f"SQL emitted for one meeting: {check['statements']:,} statements and "
            f"{check['commits']} commits on each, "
            + ("identical" if same else f"{check['differing']} DIFFERENT")
        )

        def run(kind: str, rep: int) -> float:
            path = self.work / f"store-{kind}-{rep}.store"
            out = self.child("store-workload", kind=kind, store=str(path),
                             meetings=s.store_meetings, items=s.store_items)  # fmt: skip
            result.extra.setdefault("counts", {k: v for k, v in out.items() if k != "seconds"})
            for leftover in self.work.glob(path.name + "*"):
                leftover.unlink()
            return out["seconds"]

        self.interleave(result, self.repeats["store"], lambda r: run("encrypted", r),
                        lambda r: run("plain", r))  # fmt: skip
        return result

    def minutes(self) -> Result:
        ids = self.ids["minutes"]
        result = Result(
            "minutes",
            f"Minutes of a {self.scale.minutes_cases}-case meeting, generated and signed "
            "(the passphrase's key derivation aside)",
            target="<= 1.0x bare python-docx",
            limit=1.0,
        )
        result.notes.append(
            f"baseline: the same content ({ids['blocks']} paragraphs and tables) written once "
            "with bare python-docx into the same template"
        )
        store, content = str(self.work / "minutes.store"), str(self.work / "minutes-content.json")
        totals, kdfs = [], []

        def subject(_rep: int) -> float:
            out = self.child("minutes-subject", store=store, meeting_id=ids["meeting_id"],
                             signer_id=ids["signer_id"])  # fmt: skip
            totals.append(out["total_seconds"])
            kdfs.append(out["kdf_seconds"])
            return out["seconds"]

        self.interleave(
            result,
            self.repeats["minutes"],
            subject,
            lambda _: self.child("minutes-baseline", content=content)["seconds"],
        )
        total_ratio = statistics.median(
            t / b for t, b in zip(totals, result.baseline, strict=True) if b > 0
        )
        result.extra.update(total=statistics.median(totals), kdf=statistics.median(kdfs),
                            total_ratio=total_ratio)  # fmt: skip
        result.notes.append(
            f"left out of the subject: unlocking the chair's signing key with their passphrase "
            f"(Argon2id, 64 MiB, 3 passes), median {result.extra['kdf']:.3f} s, a cost set for "
            f"security and paid once per signing; with it, generate-and-sign takes "
            f"{result.extra['total']:.3f} s ({total_ratio:.2f}x)"
        )
        return result

    def papers(self) -> list[Result]:
        ids = self.ids["papers"]
        mb = ids["bytes"] / 1e6
        what = f"{ids['files']} papers, {mb:.0f} MB ({ids['pdf']} PDF, {ids['docx']} Word)"
        keep = "memory" in self.selected  # the memory measure opens the imported store
        return self._paper_rows("papers", what, "papers", "papers", ids, keep=keep)

    def realpapers(self) -> list[Result]:
        ids = self.ids["realpapers"]
        mb = ids["bytes"] / 1e6
        what = (f"{ids['files']} realistic papers, {mb:.0f} MB ({ids['pdf']} LibreOffice PDF "
                f"{ids['smallest_pdf'] / 1e3:.0f} KB-{ids['largest_pdf'] / 1e6:.1f} MB, "
                f"{ids['docx']} Word, {ids['xlsx']} Excel)")  # fmt: skip
        return self._paper_rows("realpapers", what, "real-papers", "real", ids, keep=False)

    def _paper_rows(
        self, name: str, what: str, folder_name: str, store_name: str, ids: dict, *, keep: bool
    ) -> list[Result]:
        """A corpus imported as the officer does (``papers-subject``: checked in reading
        processes and stored at once, then its words read by the pool and indexed), against
        the same bytes written into a plain SQLite WAL store with synchronous=FULL, and
        copy-and-hash beside it for reference, all three in each repetition (rotated)."""
        sqlite_note = ("baseline: read, SHA-256 and insert each file's bytes into a plain "
                       "SQLite store, WAL, synchronous=FULL, one transaction per file")  # fmt: skip
        stored = Result(
            f"{name}-stored",
            f"Storing {what}: every paper checked and committed, vs plain SQLite "
            "(WAL, synchronous=FULL)",
            target="<= 1.5x the same bytes in plain SQLite",
            limit=1.5,
            notes=[sqlite_note],
        )
        searchable = Result(
            f"{name}-searchable",
            f"{what}: every paper's words in the search index, vs plain SQLite "
            "(WAL, synchronous=FULL)",
            target="<= 3x the same bytes in plain SQLite",
            limit=3.0,
            notes=[sqlite_note],
        )
        copy = Result(
            f"{name}-copy",
            f"Storing {what}, vs copy-and-hash (for reference)",
            target="reported",
            notes=["baseline: read, SHA-256 and write a copy of each file, flushed (fsync)"],
        )
        folder, store = str(self.work / folder_name), str(self.work / f"{store_name}.store")
        n = self.repeats[name]
        runs = [
            ("subject", lambda rep: self.child(
                "papers-subject", folder=folder, store=store,
                target=str(self.work / f"{store_name}-imported.store"), item_ids=ids["item_ids"],
                keep=keep and rep == n - 1,
            )),
            ("copy", lambda rep: self.child(
                "papers-baseline", folder=folder, target=str(self.work / f"{store_name}-copy-{rep}"))),
            ("sqlite", lambda rep: self.child(
                "papers-sqlite-baseline", folder=folder,
                target=str(self.work / f"{store_name}-sqlite-{rep}.db"))),
        ]  # fmt: skip
        warm: list[float] = []
        for rep in range(n):
            order = runs[rep % len(runs) :] + runs[: rep % len(runs)]
            out = {which: fn(rep) for which, fn in order}
            subject = out["subject"]
            warm.append(subject["warm_seconds"])
            if subject["stored"] != subject["files"] or subject["pending_left"]:
                stored.notes.append(
                    f"only {subject['stored']} of {subject['files']} were stored, "
                    f"{subject['pending_left']} left without their words read"
                )
            for result, seconds, base in (
                (stored, subject["stored_seconds"], "sqlite"),
                (searchable, subject["seconds"], "sqlite"),
                (copy, subject["stored_seconds"], "copy"),
            ):
                result.subject.append(seconds)
                result.baseline.append(out[base]["seconds"])
            self.progress(
                f"  {name} {rep + 1}/{n}: panelapp stored {subject['stored_seconds']:.3f} s, "
                f"searchable {subject['seconds']:.3f} s; plain SQLite "
                f"{out['sqlite']['seconds']:.3f} s, copy-and-hash {out['copy']['seconds']:.3f} s"
            )
        from panelapp.documents.reading_pool import default_workers

        stored.notes.append(
            f"the {default_workers()} reading processes are started before the clock starts, as "
            "the window starts them when it opens; 'panelapp papers add', a new process each "
            f"time, spends about {statistics.median(warm):.2f} s more starting them"
        )

        checks = self.child("papers-checks", folder=folder)
        searchable.notes.append(
            f"where the time goes, one file after the other in one reading process (no store): "
            f"reading the files {checks['read']:.2f} s, checking them {checks['check']:.2f} s, "
            f"reading their words {checks['text']:.2f} s; the import runs the checks and the "
            f"reading in {default_workers()} reading processes at once"
        )
        searchable.extra["checks"] = checks
        return [stored, searchable, copy]

    def search(self) -> Result:
        s = self.scale
        result = Result(
            "search",
            f"Full-text search, {s.search_queries} queries over {s.search_decisions:,} decisions "
            "and their papers",
            unit="ms",
            target="p95 < 50 ms",
            limit=50.0,
        )
        p50s, maxes, warm = [], [], []
        for rep in range(self.repeats["search"]):
            out = self.child("search-queries", store=str(self.work / "search.store"),
                             queries=s.search_queries)  # fmt: skip
            latencies = sorted(out["latencies_ms"])
            p95 = percentile(latencies, 95)
            p50s.append(percentile(latencies, 50))
            maxes.append(latencies[-1])
            warm.append(percentile(sorted(out["latencies_ms"][10:]), 95))
            result.subject.append(p95)
            self.progress(
                f"  search {rep + 1}/{self.repeats['search']}: p50 {p50s[-1]:.1f} ms, "
                f"p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms"
            )
        result.extra.update(p50=statistics.median(p50s), max=statistics.median(maxes),
                            warm_p95=statistics.median(warm))  # fmt: skip
        result.notes.append(
            f"median over runs: p50 {result.extra['p50']:.1f} ms, p95 "
            f"{statistics.median(result.subject):.1f} ms, max {result.extra['max']:.1f} ms; "
            f"p95 leaving out each process's first 10 queries {result.extra['warm_p95']:.1f} ms"
        )
        return result

    def caseload(self) -> Result:
        s = self.scale
        result = Result(
            "caseload",
            f"Deadlines view and planner over {s.caseload_cases:,} open cases (the slower)",
            target="< 0.5 s each",
            limit=0.5,
        )
        for rep in range(self.repeats["caseload"]):
            out = self.child("caseload-queries", store=str(self.work / "caseload.store"),
                             today=CASELOAD_TODAY)  # fmt: skip
            result.subject.append(max(out["deadlines"], out["planner"]))
            self.progress(
                f"  caseload {rep + 1}/{self.repeats['caseload']}: deadlines "
                f"{out['deadlines']:.3f} s ({out['deadlines_rows']} rows), planner "
                f"{out['planner']:.3f} s ({out['planner_rows']} proposals)"
            )
        return result

    def figures(self) -> Result:
        s = self.scale
        result = Result(
            "figures",
            f"Every panel figure (published form) over {s.search_decisions:,} decisions",
            target="< 1 s",
            limit=1.0,
        )
        for rep in range(self.repeats["figures"]):
            out = self.child("panel-figures", store=str(self.work / "search.store"))
            result.subject.append(out["seconds"])
            self.progress(
                f"  figures {rep + 1}/{self.repeats['figures']}: {out['seconds']:.3f} s "
                f"({out['data_sets']} data sets, {out['rows']} rows; first in the process "
                f"{out['first_seconds']:.3f} s)"
            )
        return result

    def stalls(self) -> list[Result]:
        """The worst GUI-thread stall per action, each run on a fresh copy of a store with the
        20-case meeting in progress: the cold-start store (that meeting alone) and the
        500-meeting store (ten years of meetings before it). The two alternate repetition by
        repetition, so both share the machine's noise."""
        stores = {"20-case meeting": ("coldstart", "coldstart.store"),
                  "500-meeting store": ("bigstore", "big.store")}  # fmt: skip
        per_action: dict[tuple[str, str], list[float]] = {}
        statements: dict[tuple[str, str], list[int]] = {}
        n = self.repeats["stalls"]
        for rep in range(n):
            order = list(stores.items())
            if rep % 2:
                order.reverse()
            for label, (ids, golden) in order:
                out = self.child("gui-stalls", golden=str(self.work / golden),
                                 store=str(self.work / f"stalls-{rep}.store"),
                                 meeting_id=self.ids[ids]["meeting_id"])  # fmt: skip
                for action, ms in out["stalls_ms"].items():
                    per_action.setdefault((action, label), []).append(ms)
                    statements.setdefault((action, label), []).append(out["statements"][action])
                self.progress(
                    f"  stalls {rep + 1}/{n}, {label}: "
                    + ", ".join(f"{k} {v:.0f} ms" for k, v in out["stalls_ms"].items())
                )
        results = []
        for (action, label), values in per_action.items():
            result = Result(
                f"stall-{action.split(' (')[0].replace(' ', '-')}"
                + ("-big" if label != "20-case meeting" else ""),
                f"Longest GUI-thread stall: {action} ({label})",
                unit="ms",
                target="<= 50 ms",
                limit=50.0,
            )
            result.subject = values
            counts = statements[(action, label)]
            result.notes.append(f"SQL statements while it ran: {min(counts)} to {max(counts)}")
            results.append(result)
        return results

    def team(self) -> list[Result]:
        """Check-out and check-in of a meeting against a local PostgreSQL server (each run
        starts its own server); skipped, saying why, when PostgreSQL or psycopg is absent."""
        s = self.scale
        out_result = Result(
            "team-checkout",
            f"Check out a {s.team_cases}-case meeting with {s.team_papers} papers (local server)",
            target="reported",
        )
        in_result = Result(
            "team-checkin",
            f"Check in that meeting, held offline ({s.team_cases} decisions or deferrals)",
            target="reported",
        )
        for rep in range(self.repeats["team"]):
            out = self.child("team-checkout", store=str(self.work / f"laptop-{rep}.store"),
                             cases=s.team_cases, papers=s.team_papers)  # fmt: skip
            if "skipped" in out:
                print(f"  team: skipped, {out['skipped']}")
                return []
            out_result.subject.append(out["checkout"])
            in_result.subject.append(out["checkin"])
            self.progress(
                f"  team {rep + 1}/{self.repeats['team']}: checkout {out['checkout']:.2f} s "
                f"({out['rows_out']} rows, {out['papers']} papers), checkin "
                f"{out['checkin']:.2f} s ({out['rows_in']} rows, {out['events_in']} events)"
            )
        return [out_result, in_result]

    def paneldata(self) -> Result:
        ids = self.ids["coldstart"]
        result = Result(
            "paneldata",
            "Panel data window, first chart painted (the cold-start store's meeting)",
            target="< 0.5 s",
            limit=0.5,
            absolute=True,
        )
        result.notes.append(
            "baseline: the Records window (retention list) opened in the same way, on the same "
            "store; each in a fresh process, its module imported when it opens"
        )
        store = str(self.work / "coldstart.store")

        every_chart: list[float] = []

        def open_window(window: str) -> float:
            out = self.child("paneldata-window", store=store, meeting_id=ids["meeting_id"],
                             window=window)  # fmt: skip
            if window == "panel-data":
                every_chart.append(out["all_seconds"])
            return out["seconds"]

        self.interleave(
            result,
            self.repeats["paneldata"],
            lambda _: open_window("panel-data"),
            lambda _: open_window("records"),
        )
        result.notes.append(
            "the other three charts drawn after the first one is on screen: every chart drawn "
            f"at {statistics.median(every_chart):.3f} s (median)"
        )
        return result

    def check(self) -> Result:
        ids = self.ids["check"]
        result = Result(
            "check",
            f"Peak memory of 'panelapp check' on a store whose audit trail has "
            f"{ids['events']:,} events",
            unit="MiB",
            target="< 100 MiB",
            limit=100.0,
            absolute=True,
        )
        seconds = []
        for rep in range(self.repeats["check"]):
            out = self.child("check-store", store=str(self.work / "check.store"))
            bare = self.child("bare-python")
            if out["status"] != 0:
                result.notes.append(f"check did not find the store intact (exit {out['status']})")
            result.subject.append(out["peak_mib"])
            result.baseline.append(bare["peak_mib"])
            seconds.append(out["seconds"])
            self.progress(
                f"  check {rep + 1}/{self.repeats['check']}: {out['peak_mib']:.0f} MiB in "
                f"{out['seconds']:.1f} s, a bare Python process {bare['peak_mib']:.0f} MiB"
            )
        result.notes.append(
            f"peak RSS (ru_maxrss) of the command run as a person runs it, in a process of its "
            f"own, median {statistics.median(seconds):.1f} s; the store: {ids['real_events']} "
            f"events from a real 10-case meeting (with record digests), the rest fictional "
            f"exports chained as the application chains them, {ids['bytes'] / 1e6:.0f} MB; a "
            "bare Python process for scale"
        )
        return result

    def memory(self) -> Result:
        ids = self.ids["papers"]
        result = Result(
            "memory",
            f"Peak memory, {len(ids['item_ids'])}-case meeting with its {ids['files']} papers "
            "opened",
            unit="MiB",
            target="< 200 MiB",
            limit=200.0,
            absolute=True,
        )
        store = self.work / "papers-imported.store"
        if not store.exists():  # the papers measure did not leave its store: import once
            self.child("papers-subject", folder=str(self.work / "papers"),
                       store=str(self.work / "papers.store"), target=str(store),
                       item_ids=ids["item_ids"], keep=True)  # fmt: skip
        for rep in range(self.repeats["memory"]):
            app = self.child("memory-app", store=str(store), meeting_id=ids["meeting_id"])
            bare = self.child("memory-bare")
            result.subject.append(app["peak_mib"])
            result.baseline.append(bare["peak_mib"])
            result.extra = app
            self.progress(
                f"  memory {rep + 1}/{self.repeats['memory']}: panelapp {app['peak_mib']:.0f} MiB "
                f"(shown {app['stages']['shown']:.0f}), bare PySide6 {bare['peak_mib']:.0f} MiB"
            )
        result.notes.append(
            f"peak RSS (ru_maxrss): window shown {result.extra['stages']['shown']:.0f} MiB; after "
            f"visiting all {result.extra['items']} items and opening their "
            f"{result.extra['papers_opened']} papers (each item's together) "
            f"{result.extra['stages']['items_and_papers']:.0f} MiB; RSS at the end "
            f"{result.extra['stages']['rss_at_end']:.0f} MiB; a bare PySide6 window for scale"
        )
        return result


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for dist in ("PySide6-Essentials", "PySide6-Addons", "SQLAlchemy", "sqlcipher3", "python-docx", "pypdf",
                 "lxml", "cryptography"):  # fmt: skip
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    try:
        import sqlcipher3

        conn = sqlcipher3.connect(":memory:")
        versions["SQLCipher"] = conn.execute("PRAGMA cipher_version").fetchone()[0]
        versions["SQLite"] = sqlcipher3.sqlite_version
        conn.close()
    except Exception as exc:  # a report, not a test: say what could not be found
        versions["SQLCipher"] = f"unknown ({type(exc).__name__})"
    return {
        "uname": " ".join(platform.uname()),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "versions": versions,
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    return f"{value:.0f} {unit}"


def table(results: list[Result]) -> str:
    head = ("measure", "subject (median)", "baseline (median)", "ratio", "target", "result")
    rows = []
    for r in results:
        subject = statistics.median(r.subject) if r.subject else None
        baseline = statistics.median(r.baseline) if r.baseline else None
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
        rows.append((r.title, fmt(subject, r.unit), fmt(baseline, r.unit), ratio, r.target,
                     r.verdict))  # fmt: skip
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(len(head))]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    out = [line(head), line(["-" * w for w in widths])]
    out += [line(row) for row in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, metavar="N",
                        help="repetitions of every measure (default: 9 cold starts, 7 minutes, "
                        "3 memory runs, 5 of the others)")  # fmt: skip
    parser.add_argument("--quick", action="store_true",
                        help="smaller workloads and fewer repetitions (about 2 minutes); "
                        "figures are then indicative only")  # fmt: skip
    parser.add_argument("--only", metavar="NAMES", help=f"some of: {','.join(MEASURES)}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args(argv)
    selected = [m for m in MEASURES if not args.only or m in args.only.split(",")]
    if not selected:
        parser.error(f"--only takes some of: {','.join(MEASURES)}")
    scale = QUICK if args.quick else FULL
    repeats = {m: (args.repeat or pair[1 if args.quick else 0]) for m, pair in REPEATS.items()}
    if any(n < 1 for n in repeats.values()):
        parser.error("--repeat must be at least 1")

    info = machine()
    print(f"panelapp benchmarks, {info['date']}{'  (QUICK: scaled down)' if args.quick else ''}")
    print(f"machine: {info['uname']}")
    print(f"cpu: {info['cpu']}, {info['cores']} cores; Python {info['python']}; "
          + ", ".join(f"{k} {v}" for k, v in info["versions"].items()))  # fmt: skip
    print("repetitions: " + ", ".join(f"{m} {repeats[m]}" for m in selected))
    work = Path(tempfile.mkdtemp(prefix="panelapp-bench-"))
    bench = Bench(work, scale, repeats)
    bench.selected = set(selected)
    results: list[Result] = []
    started = time.perf_counter()
    status = 0
    try:
        print("\nsetting up (not timed):")
        bench.setup(set(selected))
        for name in selected:
            print(f"\n{name}:")
            made = getattr(bench, name)()
            results.extend(made if isinstance(made, list) else [made])
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"\nbenchmarks stopped: {exc}", file=sys.stderr)
        status = 2
    finally:
        if args.keep:
            print(f"\nkept the work folder: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started
    print(f"\nresults ({elapsed / 60:.1f} minutes in all; ratio = median of the paired ratios):\n")
    print(table(results))
    print()
    for r in results:
        runs = ", ".join(fmt(v, r.unit) for v in r.subject)
        base = ", ".join(fmt(v, r.unit) for v in r.baseline)
        print(f"{r.name}: subject runs {runs}" + (f"; baseline runs {base}" if base else ""))
        for note in r.notes:
            print(f"    {note}")
    missed = [r.name for r in results if r.verdict == "MISS"]
    print(
        f"\nMISSED TARGETS: {', '.join(missed)}"
        if missed
        else "\nevery target with a limit was met"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "machine": info,
                    "quick": args.quick,
                    "repeats": repeats,
                    "results": [
                        r.__dict__ | {"ratio": r.ratio, "verdict": r.verdict} for r in results
                    ],
                },  # fmt: skip
                indent=2,
                default=str,
            ),
            encoding="utf-8",
        )
    return status


if __name__ == "__main__":
    raise SystemExit(main())
