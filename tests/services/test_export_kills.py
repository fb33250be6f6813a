"""An export is all or nothing with its audit event, whenever the process is killed.

``panelapp minutes export`` (a file) and ``panelapp decisions export`` (a folder of signed
records) run as child processes and are killed with SIGKILL at seeded random moments spread
over a whole run. After each kill panelapp starts again (opening the store finishes or removes
what the killed run left), and then: either the complete export is in place and the trail has
its event, or there is no export and no event; and no partial file is left anywhere, neither
beside the destination nor in panelapp's own staging folder.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from panelapp.documents.package_signature import verify_docx
from panelapp.domain.vocabulary import NamingMode
from panelapp.services.demo import build_demo
from panelapp.services.export_files import recover_exports, staging_dir
from panelapp.services.minutes import generate_minutes, minutes_document, sign_minutes
from panelapp.services.signing import create_signing_identity
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store.integrity import check_store
from panelapp.store.keys import PASSPHRASE_ENV, KeySource
from panelapp.store.lifecycle import create_store, open_store
from panelapp.store.tables import AuditEvent

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
    pytest.mark.timeout(900),
    pytest.mark.slow,
]

PASSPHRASE = "export kill passphrase"
SEED = 20260313
KILLS = 32
REPO = Path(__file__).resolve().parents[2]


def _events(store, action: str) -> int:
    with store.read() as session:
        return session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )


@pytest.fixture
def signed_store(tmp_path, monkeypatch, today):
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    path = tmp_path / "kills.store"
    store = create_store(path, key_source=KeySource.PASSPHRASE)
    demo = build_demo(store, actor="Joanne Pike", today=today)
    with UnitOfWork(store, "IT") as uow:
        for name in ("Helen Whitaker", "David Okafor"):
            create_signing_identity(uow, demo.member_ids[name])
    with UnitOfWork(store, "Joanne Pike") as uow:
        generate_minutes(uow, demo.meeting_id, NamingMode.INITIALS)
    with UnitOfWork(store, "Helen Whitaker") as uow:
        sign_minutes(uow, demo.meeting_id, demo.member_ids["Helen Whitaker"])
    with store.read() as session:
        _, document = minutes_document(session, demo.meeting_id)
    store.close()
    return path, demo.meeting_id, document


def _run(path: Path, args: list[str]) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    return subprocess.Popen(
        [sys.executable, "-m", "panelapp.cli", "--store", str(path), "--as", "Joanne", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )


def _timed(path: Path, args: list[str]) -> float:
    started = time.monotonic()
    assert _run(path, args).wait(timeout=120) == 0
    return time.monotonic() - started


def test_a_kill_at_any_moment_leaves_the_whole_export_with_its_event_or_nothing(
    signed_store, tmp_path
):
    path, meeting_id, document = signed_store
    out = tmp_path / "out"
    out.mkdir()
    commands = {
        "file": lambda i: ["minutes", "export", str(meeting_id), "--out", str(out / f"m{i}.docx")],
        "folder": lambda i: ["decisions", "export", str(meeting_id), "--out", str(out / f"d{i}")],
    }
    # How long a whole run takes, so that the kills fall anywhere in it, the end included.
    durations = {kind: _timed(path, make("timing")) for kind, make in commands.items()}
    rng = random.Random(SEED)
    outcomes = {"whole": 0, "nothing": 0}

    for i in range(KILLS):
        kind = "file" if i % 2 == 0 else "folder"
        store = open_store(path)
        try:
            action = "minutes.exported" if kind == "file" else "decision_records.exported"
            before = _events(store, action)
        finally:
            store.close()
        (out / f"d{i}").mkdir()
        child = _run(path, commands[kind](i))
        time.sleep(rng.uniform(0.0, durations[kind] * 1.1))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)

        store = open_store(path)  # panelapp starts again
        try:
            recover_exports(store)
            after = _events(store, action)
            assert check_store(store).ok
        finally:
            store.close()

        if kind == "file":
            target = out / f"m{i}.docx"
            placed = target.exists()
            if placed:
                assert target.read_bytes() == document
        else:
            folder = out / f"d{i}"
            inner = list(folder.iterdir())
            placed = bool(inner)
            if placed:
                assert len(inner) == 1 and inner[0].is_dir()
                records = sorted(inner[0].glob("*.docx"))
                assert len(records) >= 11
                assert all(verify_docx(r.read_bytes()).valid for r in records)
        assert after == before + (1 if placed else 0), (i, kind, placed, before, after)
        outcomes["whole" if placed else "nothing"] += 1
        leftovers = [p for p in out.rglob(".panelapp-*")] + list(staging_dir().iterdir())
        assert leftovers == [], (i, kind, leftovers)

    assert outcomes["whole"] and outcomes["nothing"], outcomes
