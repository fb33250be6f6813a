"""Files made to exhaust memory or time are refused within bounds: the importing process stays
small, each refusal is quick, and the application carries on with the next file."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from panelapp.cli import main
from panelapp.documents.paper_sniffer import PaperRefused, Refusal
from panelapp.documents.reading_process import ReadingProcess
from panelapp.services.papers import prepare
from tests.helpers import hostile_files as hostile
from tests.helpers import paper_files as files

MiB = 1024 * 1024

_RUN = textwrap.dedent(
    """
    import json, sys, time
    from panelapp.cli import main
    started = time.monotonic()
    code = main(sys.argv[1:])
    # VmHWM: this program's own peak (ru_maxrss would include the test process it came from).
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0])
    print(json.dumps({"code": code, "seconds": time.monotonic() - started, "peak_kib": peak}))
    """
)


def _run_cli(*args: str) -> tuple[dict, str]:
    """Run panelapp in a process of its own, to measure that process's peak memory."""
    done = subprocess.run(
        [sys.executable, "-c", _RUN, *args], capture_output=True, text=True, timeout=120
    )
    *lines, last = done.stdout.strip().splitlines()
    return json.loads(last), "\n".join(lines) + done.stderr


@pytest.fixture
def meeting_store(store_path, capsys, restore_logging, monkeypatch):
    # The command runs in a process of its own, which has no keyring: a passphrase store.
    monkeypatch.setenv("PANELAPP_PASSPHRASE", "a passphrase for the bounded test")
    assert main(["--store", str(store_path), "init", "--passphrase"]) == 0
    assert main(["--store", str(store_path), "demo"]) == 0
    capsys.readouterr()
    return store_path


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for peak memory")
def test_zip_bombs_are_refused_quickly_by_a_small_importing_process(meeting_store, tmp_path):
    word_bomb = tmp_path / "EP advice.docx"
    word_bomb.write_bytes(hostile.word_unpacking_to(240))
    excel_bomb = tmp_path / "costings.xlsx"
    excel_bomb.write_bytes(hostile.excel_with_shared_strings(240))
    for bomb in (word_bomb, excel_bomb):  # under the size limit and the ratio limit
        assert 240 * MiB / 100 < bomb.stat().st_size < 50 * MiB

    for path in (word_bomb, excel_bomb):
        result, out = _run_cli(
            "--store", str(meeting_store), "papers", "add", "--meeting", "1", "--item", "1",
            str(path),
        )  # fmt: skip
        assert result["code"] == 2, out
        assert "zip bomb" in out and "Traceback" not in out
        assert result["seconds"] < 10
        assert result["peak_kib"] < 300 * 1024

    result, out = _run_cli("--store", str(meeting_store), "cases", "import", str(excel_bomb))
    assert result["code"] == 2 and "Traceback" not in out
    assert "Excel file that would unpack" in out and ".docx" not in out
    assert result["seconds"] < 10 and result["peak_kib"] < 300 * 1024


def test_a_file_that_needs_too_much_memory_is_refused_and_the_next_file_is_read():
    big = hostile.word_unpacking_to(40)  # 40 MB of text once unpacked: below every size limit
    with ReadingProcess(memory_limit=160 * MiB) as reader:
        with pytest.raises(PaperRefused) as caught:
            prepare("big.docx", big, reader=reader)
        assert caught.value.reason is Refusal.LIMIT
        assert "memory" in caught.value.message
        assert prepare("small.pdf", files.pdf(), reader=reader).pages == 1


def test_a_file_that_takes_too_long_is_stopped_within_the_time_limit():
    slow = hostile.excel_with_shared_strings(40)  # under the part limit, slow to parse
    with ReadingProcess(time_limit=2.0) as reader:
        started = time.monotonic()
        with pytest.raises(PaperRefused) as caught:
            prepare("slow.xlsx", slow, reader=reader)
        assert time.monotonic() - started < 4
        assert caught.value.reason is Refusal.LIMIT
        assert "took longer than" in caught.value.message
        assert prepare("after.txt", b"The next paper is read as usual.\n", reader=reader).text
