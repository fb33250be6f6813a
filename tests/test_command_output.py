"""A command whose output is read by a program that stops reading (``panelapp ... | head``)
ends quietly with the status a shell gives a program stopped by SIGPIPE, and what it did
stays done: no "unexpected error", no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _panelapp(args: list[str], env: dict[str, str], **how) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "panelapp", *args],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
        **how,
    )


def test_a_reader_that_stops_reading_ends_the_command_quietly(tmp_path, user_folders):
    env = dict(os.environ)
    env["PANELAPP_PASSPHRASE"] = "a long enough passphrase for the pipe"
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    store = str(tmp_path / "panel.store")
    made = _panelapp(["--store", store, "demo"], env, stdout=subprocess.DEVNULL)
    assert made.wait(timeout=120) == 0, made.stderr.read()

    listing = _panelapp(["--store", store, "meetings"], env, stdout=subprocess.PIPE)
    listing.stdout.close()  # the reader is gone before a line is written
    code = listing.wait(timeout=60)
    said = listing.stderr.read()

    assert code == 141
    assert "unexpected error" not in said
    assert "Traceback" not in said and "Exception ignored" not in said
    checked = _panelapp(["--store", store, "check"], env, stdout=subprocess.PIPE)
    assert checked.wait(timeout=120) == 0
    assert "The store is intact." in checked.stdout.read()


def test_a_broken_pipe_that_is_not_the_output_is_still_reported(
    demo_command_store, capsys, monkeypatch
):
    from panelapp.cli import main
    from panelapp.services import search

    def lost_connection(*_args, **_kwargs):
        raise BrokenPipeError(32, "Broken pipe")  # say, a network share gone mid-read

    monkeypatch.setattr(search, "search", lost_connection)
    code = main(["--store", str(demo_command_store), "search", "assessment"])

    assert code == 1
    assert "panelapp: unexpected error (BrokenPipeError)" in capsys.readouterr().err
