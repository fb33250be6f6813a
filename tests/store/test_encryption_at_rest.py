"""Nothing about a child can be read from the disk without the store's key, and a store that
cannot be opened is left exactly as it was, with one line saying what to do."""

from __future__ import annotations

import base64
import hashlib
import secrets
import shutil
import sqlite3
from datetime import date, time
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
import sqlcipher3
from sqlalchemy import select

from panelapp.cli import main
from panelapp.domain.vocabulary import AttendanceStatus, Outcome, PrimaryNeed, RequestType
from panelapp.services import cases, decisions, meetings
from panelapp.services.demo import build_demo
from panelapp.services.unit_of_work import UnitOfWork
from panelapp.store import migrate
from panelapp.store.engine import open_engine
from panelapp.store.errors import NotAStore, StoreTooNew, WrongPassphrase
from panelapp.store.integrity import check_store
from panelapp.store.keys import PASSPHRASE_ENV, KeySource, load_key
from panelapp.store.lifecycle import create_store, open_store, open_with_key
from panelapp.store.paths import key_file_path
from panelapp.store.tables import AuditEvent, Case, DecisionRow

FIRST, LAST = "Zephyrine", "Quillfeather"
PASSPHRASE = "lantern orchard pebble quay"
OTHER_PASSPHRASE = "lantern orchard pebble qua"


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def _files_holding(root: Path, secrets_: dict[str, bytes]) -> list[str]:
    """Which files contain which secret, as 'file: what' lines (empty when none does)."""
    found = []
    for path in _files(root):
        data = path.read_bytes()
        found += [
            f"{path.relative_to(root)}: {what}" for what, raw in secrets_.items() if raw in data
        ]
    return found


def _name_forms() -> dict[str, bytes]:
    forms = {}
    for text in (FIRST, LAST, f"{FIRST} {LAST}"):
        forms[f"{text} (UTF-8)"] = text.encode("utf-8")
        forms[f"{text} (UTF-16-LE)"] = text.encode("utf-16-le")
    return forms


def _key_forms(key: bytes) -> dict[str, bytes]:
    return {
        "key (raw)": key,
        "key (hex)": key.hex().encode(),
        "key (HEX)": key.hex().upper().encode(),
        "key (base64)": base64.b64encode(key),
    }


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every file in the folder (names and contents), to show nothing was touched."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()
    }


def _hear_the_child(store, today: date) -> int:
    """Through the services: the demo panel, then the child's case put on the next meeting's
    agenda and decided there. Returns the meeting id."""
    demo = build_demo(store, actor="Joanne Pike", today=today)
    with UnitOfWork(store, "Joanne Pike") as uow:
        case_id = cases.add_case(
            uow,
            cases.CaseDetails(
                reference="NB-26-4242",
                first_name=FIRST,
                last_name=LAST,
                date_of_birth=date(2018, 4, 17),
                request_type=RequestType.ASSESSMENT_REQUEST,
                request_received=date(2026, 2, 2),
                primary_need=PrimaryNeed.SLCN,
                setting="Hillside Primary School",
                year_group="Year 2",
            ),
        )
        item_id = meetings.put_on_agenda(uow, demo.next_meeting_id, case_id)
        for member_id in demo.member_ids.values():
            meetings.record_attendance(
                uow, demo.next_meeting_id, member_id, AttendanceStatus.PRESENT, arrived_at=time(9)
            )
        meetings.start_meeting(uow, demo.next_meeting_id)
    with UnitOfWork(store, "Helen Whitaker") as uow:
        decisions.record_decision(
            uow,
            item_id,
            outcome=Outcome.AGREE_TO_ASSESS,
            rationale="Persistent speech and language needs despite targeted support.",
        )
    return demo.next_meeting_id


# --- a child's name, the key and the passphrase are never on disk in the clear -------------


@pytest.mark.parametrize("source", [KeySource.KEYRING, KeySource.PASSPHRASE])
def test_a_childs_name_key_and_passphrase_are_in_no_file_while_open_or_after_closing(
    source, tmp_path, user_folders, monkeypatch, capsys, restore_logging, today
):
    path = tmp_path / "council" / "panel.store"
    init = ["-v", "--store", str(path), "init"]
    if source is KeySource.PASSPHRASE:
        monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
        init.append("--passphrase")
    assert main(init) == 0
    key = load_key(path).key
    never_on_disk = {**_name_forms(), **_key_forms(key)}
    never_on_disk["passphrase"] = PASSPHRASE.encode()

    store = open_store(path)
    try:
        meeting_id = _hear_the_child(store, today)
        backup = migrate.backup(store, "test")
        with UnitOfWork(store, "Joanne Pike") as uow:  # leave committed work in the WAL too
            uow.audit("test.marker", "store")
        for command in (["check"], ["meetings"], ["show", str(meeting_id), "--naming", "full"]):
            assert main(["-v", "--store", str(path), *command]) == 0

        written = [p.name for p in _files(tmp_path)]
        assert {"panel.store", "panel.store.key", "panel.store-wal", backup.name} <= set(written)
        assert _files_holding(tmp_path, never_on_disk) == []
    finally:
        store.close()

    # the name really is in the store: whoever holds the key can read it back
    assert f"{FIRST} {LAST}" in capsys.readouterr().out
    with open_store(path).read() as session:
        assert session.scalar(select(Case.last_name).where(Case.first_name == FIRST)) == LAST
    log = user_folders / ".local" / "state" / "panelapp" / "log" / "panelapp.log"
    assert log.stat().st_size > 0
    assert _files_holding(tmp_path, never_on_disk) == []


def test_plain_sqlite_cannot_read_the_store(store, demo):
    store.close()
    assert store.path.read_bytes()[:16] != b"SQLite format 3\x00"

    conn = sqlite3.connect(store.path)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("SELECT name FROM sqlite_master").fetchall()
    finally:
        conn.close()


# --- a wrong key or passphrase opens nothing and changes nothing ----------------------------


def test_a_wrong_key_is_refused_without_showing_it_and_the_store_is_untouched(store, demo):
    store.close()
    before = _fingerprint(store.path.parent)
    wrong = secrets.token_bytes(32)

    with pytest.raises(NotAStore) as refused:
        open_engine(store.path, wrong)

    message = str(refused.value)
    assert wrong.hex() not in message.lower()
    assert "\n" not in message
    assert _fingerprint(store.path.parent) == before
    reopened = open_store(store.path)
    try:
        assert check_store(reopened).ok
    finally:
        reopened.close()


def test_a_wrong_passphrase_is_refused_in_one_line_and_the_right_one_still_opens(
    tmp_path, monkeypatch
):
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    path = tmp_path / "panel.store"
    create_store(path, key_source=KeySource.PASSPHRASE).close()
    before = _fingerprint(tmp_path)

    monkeypatch.setenv(PASSPHRASE_ENV, OTHER_PASSPHRASE)
    with pytest.raises(WrongPassphrase) as refused:
        open_store(path)

    message = str(refused.value)
    assert "\n" not in message
    assert PASSPHRASE not in message and OTHER_PASSPHRASE not in message
    assert _fingerprint(tmp_path) == before

    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    store = open_store(path)
    try:
        assert check_store(store).ok
    finally:
        store.close()


# --- what 'panelapp check' says when it cannot open the store -------------------------------


def _keyring_store(folder: Path) -> Path:
    path = folder / "panel.store"
    create_store(path).close()
    return path


def _no_store(folder: Path) -> Path:
    return folder / "panel.store"


def _plain_sqlite(folder: Path) -> Path:
    path = folder / "panel.store"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE cases (first_name TEXT)")
    conn.commit()
    conn.close()
    return path


def _random_bytes(folder: Path) -> Path:
    path = folder / "panel.store"
    path.write_bytes(secrets.token_bytes(64 * 1024))
    return path


def _random_bytes_with_another_stores_key_file(folder: Path) -> Path:
    other = _keyring_store(folder / "other")
    path = _random_bytes(folder)
    shutil.copy2(key_file_path(other), key_file_path(path))
    shutil.rmtree(folder / "other")
    return path


def _key_file_missing(folder: Path) -> Path:
    path = _keyring_store(folder)
    key_file_path(path).unlink()
    return path


def _keyring_gone(folder: Path) -> Path:
    path = _keyring_store(folder)
    keyring.set_keyring(keyring.backends.fail.Keyring())
    return path


def _wrong_passphrase(folder: Path) -> Path:
    path = folder / "panel.store"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(PASSPHRASE_ENV, PASSPHRASE)
        create_store(path, key_source=KeySource.PASSPHRASE).close()
    return path


def _from_a_newer_panelapp(folder: Path) -> Path:
    path = _keyring_store(folder)
    _set_revision(path, "9999_from_the_future")
    return path


def _set_revision(path: Path, revision: str) -> None:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        conn.execute(f"PRAGMA key = \"x'{load_key(path).key.hex()}'\"")
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("make", "advice"),
    [
        (_no_store, "Create one with 'panelapp init'"),
        (_plain_sqlite, "unencrypted SQLite file, not a panelapp store. Pass the path"),
        (_random_bytes, "Restore it from the same backup as the store"),
        (_random_bytes_with_another_stores_key_file, "restore the store and its .key file"),
        (_key_file_missing, "is missing beside the store. Restore it"),
        (_keyring_gone, "Open it in the desktop session where it was created"),
        (_wrong_passphrase, "does not unlock this store. Check it"),
        (_from_a_newer_panelapp, "Install the newer version to open it"),
    ],
    ids=[
        "no-store",
        "plain-sqlite",
        "random-bytes",
        "random-bytes-with-another-stores-key-file",
        "key-file-missing",
        "keyring-gone",
        "wrong-passphrase",
        "store-from-a-newer-panelapp",
    ],
)
def test_check_that_cannot_open_the_store_says_what_to_do_in_one_line_and_touches_nothing(
    make, advice, tmp_path, monkeypatch, capfd, restore_logging
):
    folder = tmp_path / "council"
    folder.mkdir()
    path = make(folder)
    monkeypatch.setenv(PASSPHRASE_ENV, OTHER_PASSPHRASE)  # only the passphrase store reads it
    before = _fingerprint(folder)

    code = main(["--store", str(path), "check"])

    out, err = capfd.readouterr()  # the terminal's view, including the SQLite library's own
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("panelapp: "), err
    assert advice in err
    assert out == ""
    assert _fingerprint(folder) == before


# --- schema revisions and backups ------------------------------------------------------------


def test_a_store_from_a_newer_panelapp_is_refused_and_left_unchanged(store, demo):
    store.close()
    _set_revision(store.path, "9999_from_the_future")
    before = _fingerprint(store.path.parent)

    with pytest.raises(StoreTooNew) as refused:
        open_store(store.path)

    assert "9999_from_the_future" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert _fingerprint(store.path.parent) == before


def test_opening_an_up_to_date_store_makes_no_backup(store, demo):
    store.close()

    reopened = open_store(store.path)
    reopened.close()

    assert list(store.path.parent.glob("*.backup-*")) == []


def _contents(store) -> tuple:
    with store.read() as session:
        return (
            session.scalars(select(Case.last_name).order_by(Case.id)).all(),
            session.scalars(select(DecisionRow.rationale).order_by(DecisionRow.id)).all(),
            session.scalars(select(AuditEvent.hash).order_by(AuditEvent.seq)).all(),
        )


def _open_copy(path: Path, key) -> object:
    """Open a backup with the original store's key, without migrating it."""
    return open_engine(path, key.key)


def test_a_backup_opens_with_the_same_key_and_holds_the_same_records(store, demo):
    key = load_key(store.path)
    expected = _contents(store)

    copy_path = migrate.backup(store, "test")

    copy = open_with_key(copy_path, key)
    try:
        assert _contents(copy) == expected
        assert check_store(copy).ok
    finally:
        copy.close()
    assert copy_path.read_bytes()[:16] != b"SQLite format 3\x00"


def test_a_backup_taken_while_another_window_reads_still_holds_every_record(
    short_lock_wait, store, demo
):
    """A reader keeps part of the WAL from being folded into the main file; the backup must
    not lose the work committed since that reader began."""
    key = load_key(store.path)
    reader = sqlcipher3.connect(str(store.path), isolation_level=None)
    reader.execute(f"PRAGMA key = \"x'{key.key.hex()}'\"")
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM audit_events").fetchone()
    try:
        with UnitOfWork(store, "Joanne Pike") as uow:
            uow.audit("test.after_reader", "store")
        expected = _contents(store)

        copy_path = migrate.backup(store, "test")
    finally:
        reader.execute("COMMIT")
        reader.close()

    copy = open_with_key(copy_path, key)
    try:
        assert _contents(copy) == expected
        assert check_store(copy).ok
    finally:
        copy.close()


THIS_PANELAPPS_MIGRATIONS = migrate.MIGRATIONS_DIR

NEXT_REVISION = '''"""A test-only second schema revision.

Revision ID: 9001_test_notes
Revises: {head}
"""

import sqlalchemy as sa
from alembic import op

revision = "9001_test_notes"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("test_notes", sa.Column("id", sa.Integer(), primary_key=True))
'''


THIS_PANELAPPS_HEAD = migrate.SCHEMA_HEAD


@pytest.fixture
def next_panelapp(tmp_path, monkeypatch):
    """The migrations of a future panelapp: today's plus one more revision."""
    head = migrate.head_revision()
    folder = tmp_path / "future-migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9001_test_notes.py").write_text(NEXT_REVISION.format(head=head))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", folder)
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", "9001_test_notes")
    return head


def test_opening_a_store_at_an_older_schema_backs_it_up_first(store, demo, next_panelapp):
    old_head = next_panelapp
    expected = _contents(store)
    key = load_key(store.path)
    store.close()

    migrated = open_store(store.path)
    try:
        assert migrate.current_revision(migrated) == "9001_test_notes"
        assert _contents(migrated) == expected
    finally:
        migrated.close()

    backups = list(store.path.parent.glob("panel.store.backup-*"))
    assert len(backups) == 1
    assert f"schema-{old_head}" in backups[0].name
    copy = _open_copy(backups[0], key)
    try:
        assert migrate.current_revision(copy) == old_head
        assert _contents(copy) == expected
    finally:
        copy.close()


def test_a_store_migrated_by_a_newer_panelapp_is_refused_by_this_one(
    store, demo, next_panelapp, monkeypatch
):
    store.close()
    open_store(store.path).close()  # the newer panelapp migrates it
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", THIS_PANELAPPS_MIGRATIONS)
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", THIS_PANELAPPS_HEAD)
    before = _fingerprint(store.path.parent)

    with pytest.raises(StoreTooNew) as refused:
        open_store(store.path)

    assert "9001_test_notes" in str(refused.value)
    assert _fingerprint(store.path.parent) == before
