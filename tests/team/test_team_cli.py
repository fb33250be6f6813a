"""The team store from the command line, against a real PostgreSQL server over verified TLS
(tests/team/conftest.py): ``panelapp team init``, the ordinary commands with ``--team URL`` (or
``PANELAPP_TEAM_URL``), ``check`` on the server, and the failures a person meets (a wrong
certificate authority, no server, a schema already there), none of which shows or logs the
password."""

from __future__ import annotations

import getpass
import re
import sys
from urllib.parse import quote

import pytest

from panelapp.cli import main
from panelapp.logging_setup import LOG_FILE_NAME
from panelapp.store.migrate import SCHEMA_HEAD
from panelapp.store.paths import default_store_path, log_dir
from panelapp.store.team_url import KEYRING_SERVICE, parse_team_url, remember_password
from tests.helpers.postgres_server import HOST, SUPERUSER, make_certificates


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def log_text() -> str:
    path = log_dir() / LOG_FILE_NAME
    return path.read_text(encoding="utf-8") if path.exists() else ""


def schema_revision(postgres_server, database: str) -> str | None:
    with postgres_server.connect(database) as conn:
        row = conn.execute("SELECT to_regclass('alembic_version')").fetchone()
        if row[0] is None:
            return None
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_team_init_creates_the_schema_at_head_through_the_migrations(
    capsys, postgres_server, team_database, team_url
):
    code, out, err = run(capsys, "team", "init", team_url)

    assert (code, err) == (0, "")
    assert "Created panelapp's schema" in out and "certificate verified" in out
    assert schema_revision(postgres_server, team_database) == SCHEMA_HEAD
    with postgres_server.connect(team_database) as conn:
        events = conn.execute("SELECT action FROM audit_events ORDER BY seq").fetchall()
    assert [e[0] for e in events] == ["store.created"]
    assert not default_store_path().exists()  # no local store was made on the way


def test_a_second_init_refuses_and_changes_nothing(
    capsys, postgres_server, team_database, team_url
):
    assert run(capsys, "team", "init", team_url)[0] == 0
    with postgres_server.connect(team_database) as conn:
        meta = conn.execute("SELECT name, value FROM store_meta ORDER BY name").fetchall()

    code, out, err = run(capsys, "team", "init", team_url)

    assert code == 2 and out == ""
    assert "already holds a panelapp team store" in err and "Traceback" not in err
    with postgres_server.connect(team_database) as conn:
        assert conn.execute("SELECT count(*) FROM audit_events").fetchone()[0] == 1
        assert conn.execute("SELECT name, value FROM store_meta ORDER BY name").fetchall() == meta


def test_init_refuses_a_database_holding_other_tables(
    capsys, postgres_server, team_database, team_url
):
    with postgres_server.connect(team_database) as conn:
        conn.execute("CREATE TABLE payroll (id integer)")

    code, _out, err = run(capsys, "team", "init", team_url)

    assert code == 2 and "not a panelapp team store" in err
    assert schema_revision(postgres_server, team_database) is None


def test_the_ordinary_commands_work_on_the_team_store_and_check_is_clean(
    capsys, postgres_server, team_database, team_url
):
    assert run(capsys, "team", "init", team_url)[0] == 0

    code, out, _err = run(capsys, "--team", team_url, "--as", "J Pike", "demo")
    assert code == 0 and "Built the demonstration" in out
    code, out, _err = run(capsys, "--team", team_url, "meetings")
    assert code == 0
    meeting = re.search(r"^\s*(\d+)\s.*\(12 items", out, re.M)
    assert meeting, out
    number = meeting.group(1)
    code, out, _err = run(capsys, "--team", team_url, "show", number)
    assert code == 0 and out.count("\n 1. ") + out.count("\n 2. ") == 2
    code, out, _err = run(
        capsys,
        "--team",
        team_url,
        "--as",
        "J Pike",
        "actions",
        "add",
        "--meeting",
        number,
        "--owner",
        "SEND team",
        "--due",
        "2030-01-31",
        "Send the family the decision letter",
    )
    assert code == 0, out
    code, out, _err = run(capsys, "--team", team_url, "actions", "list", "--meeting", number)
    assert code == 0 and "Send the family the decision letter" in out
    # the work is in the server's database, audited there, and nothing was made locally
    with postgres_server.connect(team_database) as conn:
        actors = {r[0] for r in conn.execute("SELECT DISTINCT actor FROM audit_events")}
    assert "J Pike" in actors
    assert not default_store_path().exists()

    code, out, err = run(capsys, "--team", team_url, "check")
    assert (code, err) == (0, ""), out
    assert "The store is intact." in out and "chain intact" in out

    # a decision changed behind panelapp's back, on the server, is found by check
    with postgres_server.connect(team_database) as conn:
        conn.execute(
            "UPDATE decisions SET outcome = 'refused' WHERE id = (SELECT min(id) FROM decisions)"
        )
    code, out, _err = run(capsys, "--team", team_url, "check")
    assert code == 1 and "PROBLEM:" in out


def test_the_team_url_can_come_from_the_environment(capsys, monkeypatch, postgres_server, team_url):
    assert run(capsys, "team", "init", team_url)[0] == 0
    monkeypatch.setenv("PANELAPP_TEAM_URL", team_url)

    code, out, _err = run(capsys, "meetings")

    assert code == 0 and "No meetings yet" in out
    assert not default_store_path().exists()
    # --store names a local file instead, and wins over the environment
    code, _out, err = run(capsys, "--store", str(default_store_path()), "meetings")
    assert code == 2 and "no store" in err.lower()
    code, _out, err = run(capsys, "--store", "x.db", "--team", team_url, "meetings")
    assert code == 2 and "not both" in err
    # 'init' makes a local file: on the team store it points to 'team init' instead
    code, _out, err = run(capsys, "init")
    assert code == 2 and "panelapp team init URL" in err
    assert not default_store_path().exists()
    # no command: the window opens only a local store so far, so the store is shown as text
    code, out, err = run(capsys)
    assert code == 0 and "opens only a local store so far" in err
    assert "No meetings yet" in out


def test_a_wrong_certificate_authority_is_refused_with_a_clear_message(
    capsys, tmp_path, postgres_server, team_database, team_url
):
    other = tmp_path / "other-ca"
    other.mkdir()
    other_ca, _crt, _key = make_certificates(other)
    url = team_url.replace(quote(str(postgres_server.ca_file)), quote(str(other_ca)))
    assert url != team_url

    code, out, err = run(capsys, "team", "init", url)

    assert code == 2 and out == ""
    assert "certificate" in err and "could not be verified" in err
    assert "sslrootcert=" in err and "Traceback" not in err
    assert schema_revision(postgres_server, team_database) is None


def test_the_default_root_certificate_is_used_when_the_url_names_none(
    capsys, user_folders, postgres_server, team_database, team_url
):
    bare = postgres_server.url(team_database).split("?")[0]

    code, _out, err = run(capsys, "team", "init", bare)
    assert code == 2 and "~/.postgresql/root.crt" in err

    (user_folders / ".postgresql").mkdir()
    (user_folders / ".postgresql" / "root.crt").write_bytes(postgres_server.ca_file.read_bytes())
    code, out, err = run(capsys, "team", "init", bare)
    assert (code, err) == (0, "")
    assert schema_revision(postgres_server, team_database) == SCHEMA_HEAD


def test_a_server_that_cannot_be_reached_is_a_clear_message(capsys, postgres_server, team_url):
    closed = postgres_server.url("nothing").replace(f":{postgres_server.port}/", ":1/")
    remember_password(closed, postgres_server.password)

    code, out, err = run(capsys, "team", "init", closed)

    assert code == 2 and out == ""
    assert "Could not connect" in err and "Traceback" not in err


def test_the_password_is_never_in_the_command_line_the_messages_or_the_log(
    capsys, monkeypatch, memory_keyring, postgres_server, team_database, team_url
):
    password = postgres_server.password
    # a URL carrying a password is refused before anything is sent
    with_password = team_url.replace(f"{SUPERUSER}@", f"{SUPERUSER}:{quote(password, safe='')}@", 1)
    code, out, err = run(capsys, "-v", "team", "init", with_password)
    assert code == 2 and "Take the password out of the URL" in err
    assert password not in out + err

    # no keyring entry and no terminal: told where to keep it, not asked
    memory_keyring.delete_password(KEYRING_SERVICE, parse_team_url(team_url).keyring_user)
    code, _out, err = run(capsys, "-v", "team", "init", team_url)
    assert code == 2 and KEYRING_SERVICE in err and "team connect" in err

    # at a terminal it is asked for (getpass, not echoed); a wrong one is refused in words
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "not the password")
    code, _out, err = run(capsys, "-v", "team", "init", team_url)
    assert code == 2 and "refused the password" in err
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": password)
    assert run(capsys, "-v", "team", "init", team_url)[0] == 0
    # 'team connect' checks it and keeps it in the keyring, so no prompt is needed after
    code, out, _err = run(capsys, "team", "connect", team_url)
    assert code == 0 and KEYRING_SERVICE in out
    assert (
        memory_keyring.get_password(KEYRING_SERVICE, parse_team_url(team_url).keyring_user)
        == password
    )
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": pytest.fail("asked again"))
    code, out, err = run(capsys, "-v", "--team", team_url, "meetings")
    assert code == 0, err

    logged = log_text()
    assert logged  # the commands did log, and -v logged the most
    assert password not in logged and quote(password, safe="") not in logged
    assert HOST in team_url and password not in team_url


def test_team_use_saves_the_choice_for_every_command_until_local_again(
    capsys, postgres_server, team_url
):
    from panelapp.store.paths import team_setting_path

    assert run(capsys, "team", "init", team_url)[0] == 0
    code, out, _err = run(capsys, "team", "status")
    assert code == 0 and "the local store" in out

    code, out, err = run(capsys, "team", "use", team_url)
    assert (code, err) == (0, "") and "The commands now use the team store" in out
    assert postgres_server.password not in team_setting_path().read_text()
    code, out, _err = run(capsys, "meetings")
    assert code == 0 and "No meetings yet" in out
    assert not default_store_path().exists()
    code, out, _err = run(capsys, "team", "status")
    assert "(panelapp team use)" in out and parse_team_url(team_url).text in out
    # --store still picks a local store for one command
    code, _out, err = run(capsys, "--store", str(default_store_path()), "meetings")
    assert code == 2 and "no store" in err.lower()

    assert run(capsys, "team", "use", "--local")[0] == 0
    assert not team_setting_path().exists()
    code, out, _err = run(capsys, "team", "status")
    assert "the local store" in out
    # a URL that does not open is not saved
    closed = postgres_server.url("nothing").replace(f":{postgres_server.port}/", ":1/")
    remember_password(closed, postgres_server.password)
    code, _out, err = run(capsys, "team", "use", closed)
    assert code == 2 and "Could not connect" in err
    assert not team_setting_path().exists()


def test_without_the_team_extra_the_commands_say_how_to_install_it(capsys, monkeypatch):
    team_url = "postgresql://jpike@db.council.example/panelapp"
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as where psycopg is not installed
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": pytest.fail("asked"))

    for argv in (["team", "init", team_url], ["--team", team_url, "meetings"]):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == ""
        assert "'team' extra (psycopg)" in err and "pip install 'panelapp[team]'" in err
