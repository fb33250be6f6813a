"""A real PostgreSQL server (Debian's ``postgresql`` package) for the team-store tests: one per
test session (per worker), TLS on, a new database per test.

Outside CI the tests are skipped when PostgreSQL is not installed (install it with
``apt-get install postgresql``, or run ``scripts/system-packages`` as root); in CI (``CI`` set)
a missing server fails them.
"""

from __future__ import annotations

import secrets

import pytest

from tests.helpers.postgres_server import (
    create_database,
    drop_database,
    find_bin_dir,
    start_server,
)
from tests.helpers.verifiers import require_tool, running_in_ci


@pytest.fixture(scope="session")
def postgres_server():
    """The running server (tests.helpers.postgres_server.PostgresServer)."""
    bin_dir = find_bin_dir()
    require_tool(str(bin_dir) if bin_dir else None, "PostgreSQL", "postgresql")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        message = "psycopg is not installed: pip install -e '.[team]' (scripts/test does)"
        if running_in_ci():
            pytest.fail(f"CI is set but {message}", pytrace=False)
        pytest.skip(message)
    server = start_server(bin_dir)
    yield server
    server.stop()


@pytest.fixture
def team_database(postgres_server):
    """The name of a new, empty database on the server, dropped after the test."""
    name = f"team_{secrets.token_hex(6)}"
    create_database(postgres_server, name)
    yield name
    drop_database(postgres_server, name)


@pytest.fixture
def team_url(postgres_server, team_database, memory_keyring):
    """The URL of a new, empty database (no password in it), its password in the keyring
    entry panelapp looks for, as ``panelapp team connect`` leaves it."""
    url = postgres_server.url(team_database)
    from panelapp.store.team_url import remember_password

    remember_password(url, postgres_server.password)
    return url


@pytest.fixture
def demo_team_store(team_url):
    """A team store made by ``team init``'s function with the demonstration meeting in it:
    (its URL, the meeting's id)."""
    from panelapp.services.demo_setup import ensure_demo
    from panelapp.store.lifecycle import create_team_store

    store = create_team_store(team_url)
    try:
        meeting_id, _built = ensure_demo(store, actor="Setup")
    finally:
        store.close()
    return team_url, meeting_id
