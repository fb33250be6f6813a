"""Faults of the store's file, each named in one line with what to do: damaged pages, a store
cut short, a read-only file or folder, a full disk, a store locked by another program.
``check`` reports damage with exit status 1; commands that would write refuse with exit
status 2 and change nothing."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest
import sqlcipher3

from panelapp.cli import main
from panelapp.store.keys import load_key

PAGE = 4096


@pytest.fixture
def demo_store(demo_command_store):
    return demo_command_store


@pytest.fixture
def run(demo_store, capsys):
    def run_command(*args):
        code = main(["--store", str(demo_store), *args])
        captured = capsys.readouterr()
        text = captured.out + captured.err
        assert "Traceback" not in text and "unexpected error" not in text, text
        return code, text

    return run_command


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _paper(tmp_path):
    paper = tmp_path / "note.txt"
    paper.write_text("Parents' views: a smaller class would help.\n")
    return str(paper)


def _damage_page(path, page: int) -> None:
    data = bytearray(path.read_bytes())
    for i in range(page * PAGE + 100, page * PAGE + 108):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def test_check_names_damaged_pages_and_their_tables_and_writes_are_refused(
    run, demo_store, tmp_path
):
    pages = demo_store.stat().st_size // PAGE
    _damage_page(demo_store, pages // 2)
    code, out = run("check")
    assert code == 1
    assert "PROBLEM:" in out and "1 page(s) failed SQLCipher's check (in the tables" in out
    assert "latest backup" in out

    before = _digest(demo_store)
    code, out = run("papers", "add", "--meeting", "1", "--item", "1", _paper(tmp_path))
    assert code == 2 and "is damaged" in out and "will not write to it" in out
    assert _digest(demo_store) == before


def test_damage_in_the_first_page_is_damage_not_a_wrong_key(run, demo_store):
    _damage_page(demo_store, 0)
    code, out = run("check")
    assert code == 1 and "is damaged" in out
    assert "another store" not in out


@pytest.mark.parametrize("cut", [PAGE * 40, PAGE * 40 + 1000])
def test_a_store_cut_short_is_named_so(run, demo_store, cut):
    with open(demo_store, "r+b") as fh:
        fh.truncate(cut)
    code, out = run("check")
    assert code == 1 and "is cut short" in out
    code, out = run("meetings")
    assert code == 2 and "is cut short" in out and "another store" not in out


def _immutable(path, on: bool) -> bool:
    if not shutil.which("chattr"):
        return False
    done = subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True)
    return done.returncode == 0


@pytest.fixture
def read_only(demo_store):
    """Make a path unchangeable even for root (the immutable attribute), then undo it."""
    made = []

    def make(path):
        if not _immutable(path, True):
            pytest.skip("this file system cannot mark files read-only for every user")
        made.append(path)

    yield make
    for path in made:
        _immutable(path, False)


def test_a_read_only_store_file_is_named_and_nothing_changes(run, demo_store, read_only, tmp_path):
    read_only(demo_store)
    before = _digest(demo_store)
    code, out = run("papers", "add", "--meeting", "1", "--item", "1", _paper(tmp_path))
    assert code == 2 and "is read-only" in out and "folder" not in out.split(".")[0]
    assert _digest(demo_store) == before


def test_a_read_only_store_folder_is_named(run, demo_store, read_only, tmp_path):
    paper = _paper(tmp_path)
    read_only(demo_store.parent)
    code, out = run("papers", "add", "--meeting", "1", "--item", "1", paper)
    assert code == 2 and "The folder holding" in out and "read-only" in out


def test_a_full_disk_is_named_and_nothing_is_lost(tmp_path, capsys, restore_logging):
    disk = tmp_path / "small-disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip("cannot mount a small disk here")
    try:
        store = disk / "panel.store"
        assert main(["--store", str(store), "demo"]) == 0
        big = tmp_path / "zz-long-notes.txt"
        big.write_text(("Plain words of a long report. " * 40 + "\n") * 2500)
        capsys.readouterr()
        code = main(
            ["--store", str(store), "papers", "add", "--meeting", "1", "--item", "2", str(big)]
        )
        err = capsys.readouterr().err
        assert code == 2 and "disk holding panel.store is full" in err and "Traceback" not in err
        assert main(["--store", str(store), "papers", "list", "--meeting", "1"]) == 0
        assert "zz-long-notes" not in capsys.readouterr().out
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_a_store_locked_by_another_program_is_named(short_lock_wait, run, demo_store, tmp_path):
    key = load_key(demo_store).key
    other = sqlcipher3.connect(str(demo_store), isolation_level=None, timeout=1)
    other.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    other.execute("BEGIN EXCLUSIVE")
    try:
        code, out = run("papers", "add", "--meeting", "1", "--item", "1", _paper(tmp_path))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 2 and "locked by another program" in out


@pytest.mark.parametrize("value", ["nan", "inf", "1e12", "-1", "0", "lots"])
def test_numeric_options_are_checked(run, tmp_path, value, capsys):
    with pytest.raises(SystemExit) as done:
        run(
            "papers",
            "add",
            "--meeting",
            "1",
            "--item",
            "1",
            "--max-size-mb",
            value,
            _paper(tmp_path),
        )
    assert done.value.code == 2
    assert "--max-size-mb" in capsys.readouterr().err


def test_a_record_number_too_large_for_the_store_is_a_usage_error(run, capsys):
    with pytest.raises(SystemExit) as done:
        run("show", str(10**30))
    assert done.value.code == 2
