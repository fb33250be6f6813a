"""A decision panelapp said it saved survives the program being killed at any moment, and the
store is whole afterwards.

A child process opens a passphrase store (the in-memory keyring of the tests does not reach
another process), sets up a meeting item by item and records decisions one transaction each,
printing ``saved <item id>`` only once the transaction has returned. The test kills it with
SIGKILL at seeded random moments: while it starts, while it sets up, while it decides.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from panelapp.domain.vocabulary import ItemStatus
from panelapp.store.integrity import check_store
from panelapp.store.keys import PASSPHRASE_ENV, KeySource
from panelapp.store.lifecycle import create_store, open_store
from panelapp.store.tables import AgendaItem, AuditEvent, DecisionRow

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
    pytest.mark.timeout(240),
    pytest.mark.slow,
]

PASSPHRASE = "crash test passphrase"
SEED = 20260312
KILLS = 33
ITEMS_PER_MEETING = 5
REPO = Path(__file__).resolve().parents[2]
WAIT_FOR_LINE_S = 60  # only a limit for a stuck child; the test never measures time

CHILD = r"""
import sys
from datetime import date, time, timedelta
from pathlib import Path

from sqlalchemy import func, select

from panelapp.domain.quorum import QuorumRule
from panelapp.domain.vocabulary import (
    AttendanceStatus, ItemStatus, MeetingStatus, Outcome, PanelType, PrimaryNeed, RequestType, Role,
)
from panelapp.services import cases, decisions, meetings, panels
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.lifecycle import open_store
from panelapp.store.tables import AgendaItem, Meeting, Member, Panel


def say(line):
    print(line, flush=True)


store = open_store(Path(sys.argv[1]))
items_per_meeting = int(sys.argv[2])
actor = "Crash Test"
say("opened")

with store.read() as session:
    panel_id = session.scalar(select(Panel.id))
if panel_id is None:
    with UnitOfWork(store, actor) as uow:
        panel_id = panels.create_panel(
            uow, name="Crash Panel", panel_type=PanelType.SEND,
            quorum=QuorumRule(minimum_members=3),
        )
        for name, role in (("Chair", Role.CHAIR), ("Psychologist", Role.EDUCATIONAL_PSYCHOLOGIST),
                           ("Manager", Role.SEND_MANAGER)):
            panels.add_member(uow, panel_id, name=name, roles=[role])
with store.read() as session:
    member_ids = session.scalars(select(Member.id).where(Member.panel_id == panel_id)).all()
assert len(member_ids) == 3, member_ids

while True:
    with store.read() as session:
        to_do = session.scalars(
            select(AgendaItem.id)
            .join(Meeting, AgendaItem.meeting_id == Meeting.id)
            .where(
                Meeting.status == MeetingStatus.IN_PROGRESS.value,
                AgendaItem.status == ItemStatus.TO_DO.value,
            )
            .order_by(AgendaItem.id)
        ).all()
        meetings_so_far = session.scalar(select(func.count()).select_from(Meeting))
    for item_id in to_do:
        with UnitOfWork(store, actor) as uow:
            decisions.record_decision(
                uow, item_id, outcome=Outcome.AGREE_TO_ASSESS,
                rationale=f"Needs exceed SEN support (item {item_id}).",
            )
        say(f"saved {item_id}")  # only now has the commit returned
    if to_do:
        continue
    say("setup")
    day = date(2026, 3, 12) + timedelta(days=meetings_so_far)
    with UnitOfWork(store, actor) as uow:
        meeting_id = meetings.schedule_meeting(uow, panel_id, on=day, start=time(9, 30))
    for n in range(items_per_meeting):
        with UnitOfWork(store, actor) as uow:
            case_id = cases.add_case(uow, cases.CaseDetails(
                reference=f"CR-{meeting_id}-{n}", first_name="Test", last_name=f"Child {n}",
                date_of_birth=date(2017, 1, 1), request_type=RequestType.ASSESSMENT_REQUEST,
                request_received=day - timedelta(days=30), primary_need=PrimaryNeed.SLCN,
            ))
            meetings.put_on_agenda(uow, meeting_id, case_id)
    with UnitOfWork(store, actor) as uow:
        for member_id in member_ids:
            meetings.record_attendance(
                uow, meeting_id, member_id, AttendanceStatus.PRESENT, arrived_at=time(9, 25)
            )
    with UnitOfWork(store, actor) as uow:
        meetings.start_meeting(uow, meeting_id)
    say("ready")
"""


class Child:
    """One run of the child process, its stdout lines collected as they arrive."""

    def __init__(self, script: Path, store: Path, env: dict, stderr: Path) -> None:
        self._stderr_path = stderr
        self._stderr = open(stderr, "wb")  # closed in kill()
        self.proc = subprocess.Popen(
            [sys.executable, str(script), str(store), str(ITEMS_PER_MEETING)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            text=True,
        )
        self.lines: list[str] = []
        self._arrived: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.strip())
            self._arrived.put(line.strip())
        self._arrived.put(None)

    def wait_for(self, prefix: str) -> None:
        """Block until the child prints a line starting with ``prefix``."""
        while True:
            try:
                line = self._arrived.get(timeout=WAIT_FOR_LINE_S)
            except queue.Empty:
                self.kill()
                pytest.fail(f"the child printed no '{prefix}' line; stderr:\n{self.stderr()}")
            if line is None:
                pytest.fail(f"the child ended before '{prefix}'; stderr:\n{self.stderr()}")
            if line.startswith(prefix):
                return

    def kill(self) -> bool:
        """SIGKILL the child; True if it was still running (so the kill interrupted it)."""
        running = self.proc.poll() is None
        if running:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self._reader.join()
        self._stderr.close()
        return running

    def stderr(self) -> str:
        self._stderr.flush()
        return self._stderr_path.read_text(errors="replace")[-3000:]


def _schedule(rng: random.Random) -> list[tuple[str, float]]:
    """When to kill each run: what to wait for, then how long after it (seconds)."""
    plan = []
    for n in range(KILLS):
        kind = ("start", "setup", "saved", "saved", "ready")[n % 5]
        delay = {
            "start": rng.uniform(0.0, 0.9),  # while importing, unlocking or opening
            "setup": rng.uniform(0.0, 0.12),  # part-way through a meeting's set-up
            "saved": rng.uniform(0.0, 0.15),  # while deciding, often mid-commit
            "ready": rng.uniform(0.0, 0.05),  # just as the decisions start
        }[kind]
        plan.append((kind, delay))
    return plan


def test_every_decision_reported_saved_survives_being_killed_at_random_moments(
    tmp_path, monkeypatch
):
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    path = tmp_path / "panel.store"
    create_store(path, key_source=KeySource.PASSPHRASE).close()
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = dict(os.environ)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # never a real keyring
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])

    plan = _schedule(random.Random(SEED))
    reported: list[int] = []
    interrupted = 0
    for run, (kind, delay) in enumerate(plan):
        child = Child(script, path, env, tmp_path / f"child-{run}.err")
        try:
            if kind != "start":
                child.wait_for(kind)
            time.sleep(delay)
        finally:
            interrupted += child.kill()
        reported += [int(line.split()[1]) for line in child.lines if line.startswith("saved ")]

    assert interrupted == KILLS, "every run was still working when it was killed"
    # runs killed after a 'saved' line each reported at least one decision
    assert len(reported) >= sum(kind == "saved" for kind, _ in plan)
    assert len(set(reported)) == len(reported), "no item was reported saved twice"

    store = open_store(path)
    try:
        with store.read() as session:
            decided_items = set(session.scalars(select(DecisionRow.agenda_item_id)))
            marked_decided = set(
                session.scalars(
                    select(AgendaItem.id).where(AgendaItem.status == ItemStatus.DECIDED.value)
                )
            )
            decision_events = session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "decision.recorded")
            )
        missing = sorted(set(reported) - decided_items)
        assert missing == [], f"reported saved but lost after a kill: {missing}"
        assert len(decided_items) >= len(reported)
        # each decision landed whole: its row, its item's status and its audit event together
        assert marked_decided == decided_items
        assert decision_events == len(decided_items)
        report = check_store(store)
        assert report.ok, report.problems
    finally:
        store.close()
