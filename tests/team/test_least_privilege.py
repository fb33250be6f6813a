"""The roles the README asks a council's database administrator for, made exactly as it says:
an owner that creates the schema with ``panelapp team init``, and an application role that
every officer's panelapp connects as, which can read and write the records and add to the
audit trail but cannot change the schema, nor rewrite or delete the trail."""

from __future__ import annotations

import secrets

import psycopg
import pytest

from panelapp.cli import main
from panelapp.store.team_url import remember_password
from tests.helpers.postgres_server import HOST


@pytest.fixture
def roles(postgres_server, team_database, memory_keyring):
    """(owner URL, application URL) of two new roles granted what the README lists."""
    tag = secrets.token_hex(4)
    owner, app = f"panelapp_owner_{tag}", f"panelapp_app_{tag}"
    passwords = {owner: secrets.token_urlsafe(12), app: secrets.token_urlsafe(12)}
    db = team_database
    with postgres_server.connect() as conn:
        for role, password in passwords.items():
            conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
            conn.execute(f'GRANT CONNECT ON DATABASE "{db}" TO {role}')
    with postgres_server.connect(db) as conn:
        conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
        conn.execute(f"GRANT USAGE, CREATE ON SCHEMA public TO {owner}")
        conn.execute(f"GRANT USAGE ON SCHEMA public TO {app}")
        conn.execute(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}"
        )
        conn.execute(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
            f"GRANT USAGE ON SEQUENCES TO {app}"
        )
    urls = {role: postgres_server.url(db, user=role) for role in passwords}
    for role, password in passwords.items():
        remember_password(urls[role], password)
    yield urls[owner], urls[app], passwords[app], app
    with postgres_server.connect(db) as conn:
        for role in passwords:
            conn.execute(f"DROP OWNED BY {role} CASCADE")
    with postgres_server.connect() as conn:
        for role in passwords:
            conn.execute(f"DROP ROLE {role}")


def test_the_application_role_works_with_only_the_grants_the_readme_lists(
    capsys, postgres_server, team_database, roles
):
    owner_url, app_url, app_password, app = roles
    assert main(["team", "init", owner_url]) == 0
    with postgres_server.connect(team_database) as conn:  # the trail: add to it, never rewrite
        conn.execute(f"REVOKE UPDATE, DELETE ON audit_events FROM {app}")
    capsys.readouterr()

    for argv in (["demo"], ["meetings"], ["show", "1"], ["check"]):
        code = main(["--team", app_url, "--as", "J Pike", *argv])
        out, err = capsys.readouterr()
        assert code == 0, (argv, out, err)
    assert "The store is intact." in out

    # the application's role cannot change the schema nor rewrite the trail
    code = main(["team", "init", app_url])
    assert code == 2 and "already holds a panelapp team store" in capsys.readouterr().err
    with psycopg.connect(
        host=HOST,
        port=postgres_server.port,
        dbname=team_database,
        user=app,
        password=app_password,
        sslmode="verify-full",
        sslrootcert=str(postgres_server.ca_file),
        autocommit=True,
    ) as conn:
        for sql in (
            "DROP TABLE decisions",
            "ALTER TABLE decisions ADD COLUMN x integer",
            "UPDATE audit_events SET actor = 'someone else'",
            "DELETE FROM audit_events",
            "CREATE TABLE mine (id integer)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)


def test_init_by_a_role_that_may_not_create_the_schema_says_who_should(capsys, roles):
    _owner_url, app_url, _password, app = roles

    code = main(["team", "init", app_url])
    out, err = capsys.readouterr()

    assert code == 2 and out == ""
    assert f"The server did not allow {app} to do this" in err
    assert "as the role that owns it" in err and "Traceback" not in err


def test_check_out_and_check_in_need_no_more_than_the_grants_the_readme_lists(
    postgres_server, team_database, roles, store
):
    from panelapp.services import team_checkout
    from panelapp.store.integrity import check_store
    from panelapp.store.lifecycle import open_team_store
    from tests.helpers import team_meeting

    owner_url, app_url, _password, app = roles
    assert main(["team", "init", owner_url]) == 0
    with postgres_server.connect(team_database) as conn:
        conn.execute(f"REVOKE UPDATE, DELETE ON audit_events FROM {app}")
    team = open_team_store(app_url)
    try:
        prepared = team_meeting.prepare(team, cases=2)
        team_checkout.checkout(team, store, prepared.meeting_id, actor="Helen Whitaker")
        team_meeting.run_offline(store, prepared)
        team_checkout.checkin(team, store, prepared.meeting_id, actor="Helen Whitaker")
        assert check_store(team).ok
    finally:
        team.close()
