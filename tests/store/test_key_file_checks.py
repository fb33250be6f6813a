"""The key file is checked field by field before any key derivation runs, and protected by a
checksum, so a damaged key file is reported as damaged (not as a wrong passphrase) and a crafted
one cannot make opening take gigabytes or hours. Old key files without a checksum still open."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from panelapp.cli import main
from panelapp.store.errors import KeyFileDamaged, WrongPassphrase
from panelapp.store.keys import load_key
from panelapp.store.lifecycle import open_store
from panelapp.store.paths import key_file_path

PASSPHRASE = "a long enough passphrase"
RELEASED = Path(__file__).resolve().parents[1] / "data" / "stores"


@pytest.fixture
def passphrase_store(store_path, passphrase_store_file):
    assert passphrase_store_file == PASSPHRASE
    return store_path


def _edit(store_path, change) -> None:
    path = key_file_path(store_path)
    body = json.loads(path.read_text())
    change(body)
    path.write_text(json.dumps(body))


def _keep_checksum_valid(store_path, change) -> None:
    """A crafted file: the change, with a checksum made to match it."""
    from panelapp.store import keys

    path = key_file_path(store_path)
    body = json.loads(path.read_text())
    change(body)
    body["checksum"] = keys._checksum(body)
    path.write_text(json.dumps(body))


@pytest.mark.parametrize(
    "field, value",
    [
        ("memory_kib", 4 * 1024 * 1024 * 1024),
        ("iterations", 10**6),
        ("lanes", 2**40),
        ("memory_kib", -1),
        ("iterations", "3"),
        ("memory_kib", 1.5),
        ("kdf", "scrypt"),
        ("salt", "AAAA"),
        ("nonce", "AAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        ("sealed_key", "!!notbase64"),
    ],
)
@pytest.mark.real_crypto  # no derivation looked up from the session's cache can hide one here
def test_out_of_range_fields_are_refused_before_any_key_derivation(passphrase_store, field, value):
    def change(body):
        body["wrapped_key"][field] = value

    for edit in (_edit, _keep_checksum_valid):
        edit(passphrase_store, change)
        started = time.monotonic()
        with pytest.raises(KeyFileDamaged) as caught:
            load_key(passphrase_store)
        assert time.monotonic() - started < 1.0
        assert "damaged" in str(caught.value) and "passphrase" in str(caught.value)


@pytest.mark.parametrize("field", ["salt", "nonce", "sealed_key"])
def test_one_changed_byte_is_reported_as_damage_not_a_wrong_passphrase(passphrase_store, field):
    path = key_file_path(passphrase_store)
    text = path.read_text()
    value = json.loads(text)["wrapped_key"][field]
    flipped = ("B" if value[0] != "B" else "C") + value[1:]
    path.write_text(text.replace(value, flipped))
    with pytest.raises(KeyFileDamaged):
        load_key(passphrase_store)


def test_a_damaged_key_file_exits_2_with_one_line(passphrase_store, capsys, restore_logging):
    path = key_file_path(passphrase_store)
    path.write_bytes(path.read_bytes()[:-40])
    assert main(["--store", str(passphrase_store), "meetings"]) == 2
    err = capsys.readouterr().err
    assert "is damaged" in err and "does not unlock" not in err and "Traceback" not in err


@pytest.mark.real_crypto  # one real Argon2id derivation, uncached
def test_a_wrong_passphrase_is_still_a_wrong_passphrase(passphrase_store, monkeypatch):
    monkeypatch.setenv("PANELAPP_PASSPHRASE", "another long passphrase")
    with pytest.raises(WrongPassphrase):
        load_key(passphrase_store)


def test_an_old_key_file_without_a_checksum_opens_and_gets_one(tmp_path, monkeypatch):
    folder = sorted(p for p in RELEASED.iterdir() if p.is_dir())[-1]
    for f in folder.iterdir():
        shutil.copy2(f, tmp_path / f.name)
    revision = folder.name.removeprefix("schema-")
    monkeypatch.setenv("PANELAPP_PASSPHRASE", f"fixture passphrase {revision}")
    key_path = key_file_path(tmp_path / "panel.store")
    assert "checksum" not in json.loads(key_path.read_text())
    open_store(tmp_path / "panel.store").close()
    assert json.loads(key_path.read_text())["checksum"].startswith("sha256:")
    open_store(tmp_path / "panel.store").close()
