"""The team store: the same tables, migrations, audit trail and services as the local store,
in a council's PostgreSQL database, reached with psycopg over verified TLS.

What differs from the local file, and is handled here:

* the connection: TLS with the server's certificate checked against its name
  (``sslmode=verify-full``, see ``team_url``), the password from the OS keyring or a prompt,
  never in the URL; the session's time zone is UTC, as the local store keeps every time;
* writers: the local store's ``BEGIN IMMEDIATE`` becomes a transaction-scoped advisory lock
  taken at the start of every unit of work, so two officers' writers never interleave the
  audit chain; a writer that waits longer than the lock timeout is told the store is in use;
* text columns: SQLite never enforces ``String(n)`` lengths, so PostgreSQL gets them as
  unbounded ``VARCHAR`` (a long setting name saves on both stores alike);
* NUL characters: PostgreSQL refuses "\\x00" in text, which SQLite keeps; a NUL typed or
  extracted from a paper is written as U+FFFD (``without_nul``), on every statement the
  team store's engine runs, so no write and no check-in fails on one;
* no key of its own (the server protects its disk), no file backup before a migration (the
  schema changes in one transaction, the server's backups are its copies), and no SQLCipher
  page check (``check`` asks the server instead).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, create_engine, event, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from panelapp.domain.errors import NextStep, PanelappError, Step
from panelapp.store import engine as store_engine
from panelapp.store.engine import Store
from panelapp.store.errors import KeyUnavailable, StoreError
from panelapp.store.team_url import TeamUrl, stored_password

logger = logging.getLogger(__name__)

#: the advisory lock every writer takes (any constant: panelapp's own)
WRITER_LOCK = 0x70616E656C
CONNECT_TIMEOUT_S = 10
#: PostgreSQL's lock_not_available: the lock timeout passed
_LOCK_NOT_AVAILABLE = "55P03"
#: PostgreSQL's insufficient_privilege: the role was not granted what the statement needs
_INSUFFICIENT_PRIVILEGE = "42501"
#: where libpq looks for the certificate authority when the URL gives no sslrootcert
DEFAULT_ROOT_CERT = "~/.postgresql/root.crt"

PasswordPrompt = Callable[[str], str]


class TeamStoreUnreachable(StoreError):
    """The team store could not be opened; what to do next travels as typed steps, worded by
    each front end (the command line as a command, the window as its dialog)."""

    def __init__(self, message: str, *, next_steps: tuple[NextStep, ...] = ()) -> None:
        super().__init__(message)
        self.next_steps = next_steps

    def __str__(self) -> str:
        return PanelappError.__str__(self)


@compiles(String, "postgresql")
def _unbounded_varchar(element: String, compiler: Any, **kw: Any) -> str:
    """``VARCHAR`` without its length on PostgreSQL: lengths are never enforced locally."""
    return "VARCHAR"


def _begin(conn: Connection) -> None:
    if conn.get_execution_options().get("panelapp_write", False):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")


#: what a NUL character becomes in text written to the team store
NUL_REPLACEMENT = "\ufffd"


def without_nul(value: object) -> object:
    """``value`` with any NUL character in its text replaced (other values as they are)."""
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", NUL_REPLACEMENT)
    return value


def _clean_parameters(params: object) -> object:
    if isinstance(params, dict):
        return {key: without_nul(value) for key, value in params.items()}
    if isinstance(params, tuple):
        return tuple(without_nul(value) for value in params)
    if isinstance(params, list):
        return [_clean_parameters(one) for one in params]
    return params


def _no_nul(
    conn: object,
    cursor: object,
    statement: str,
    parameters: Any,
    context: object,
    executemany: bool,
) -> tuple[str, Any]:
    return statement, _clean_parameters(parameters)


def require_driver() -> None:
    """Refuse, before asking for a password, when psycopg (the 'team' extra) is missing."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise StoreError(
            "Working on a team store needs panelapp's 'team' extra (psycopg), which is not "
            "installed here: pip install 'panelapp[team]', or work on a local store."
        ) from None


def password_for(url: TeamUrl, prompt: PasswordPrompt | None) -> str:
    """The password from the OS keyring, or asked for; never from the URL or the log."""
    kept = stored_password(url)
    if kept:
        return kept
    if prompt is None:
        raise KeyUnavailable(
            f"No password for {url.keyring_user} is kept in the OS keyring. Run 'panelapp team "
            "connect URL' once to keep it there, or run the command in a terminal to be asked."
        )
    return prompt(f"Password for {url.keyring_user}")


def open_team_engine(url: TeamUrl, password: str) -> Store:
    """Connect to the team store's database (nothing is written by this call)."""
    sa_url = URL.create(
        "postgresql+psycopg",
        username=url.user,
        password=password,
        host=url.host,
        port=url.port,
        database=url.database,
    )
    engine = create_engine(
        sa_url,
        connect_args={
            **url.connect_args(),
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "panelapp",
            "options": f"-c TimeZone=UTC -c lock_timeout={store_engine.BUSY_TIMEOUT_MS}",
        },
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
        pool_pre_ping=True,
        hide_parameters=True,
    )
    event.listen(engine, "begin", _begin)
    event.listen(engine, "before_cursor_execute", _no_nul, retval=True)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DBAPIError as exc:
        engine.dispose()
        raise _unreachable(url, exc) from None
    writer_engine = engine.execution_options(panelapp_write=True)
    return Store(
        path=None,
        engine=engine,
        _reader=sessionmaker(bind=engine, expire_on_commit=False),
        _writer=sessionmaker(bind=writer_engine, expire_on_commit=False),
        team=url,
    )


def _unreachable(url: TeamUrl, exc: DBAPIError) -> StoreError:
    """A connection failure in one line that says what to do, without the password (the
    driver's own message is looked at, not shown)."""
    said = str(exc.orig).lower()
    if "root certificate file" in said and "does not exist" in said:
        return TeamStoreUnreachable(
            f"panelapp has no certificate authority to check {url.host}'s certificate with, "
            f"so it did not connect. Give the council's with sslrootcert=/path/to/ca.pem in the "
            f"URL, or put it at {DEFAULT_ROOT_CERT}."
        )
    if "password authentication failed" in said or "no password supplied" in said:
        return TeamStoreUnreachable(
            f"The team store refused the password for {url.keyring_user}.",
            next_steps=(NextStep(Step.TEAM_PASSWORD),),
        )
    if "certificate" in said or "ssl" in said or "root" in said:
        return TeamStoreUnreachable(
            f"The certificate of {url.host} could not be verified, so panelapp did not "
            "connect. Give the council's certificate authority with sslrootcert=/path/to/ca.pem "
            "in the URL, and use the server's name as its certificate gives it."
        )
    if "does not exist" in said:
        return TeamStoreUnreachable(
            f"There is no database {url.database} for {url.user} on {url.host}. Check the URL, "
            "or ask whoever runs the server to create it."
        )
    return TeamStoreUnreachable(
        f"Could not connect to {url.label} (port {url.port}). Check that you are on the "
        "council's network and the URL is right.",
        next_steps=(NextStep(Step.WORK_LOCALLY),),
    )


def team_fault(exc: BaseException, url: str) -> StoreError | None:
    """The team store's connection lost during a command, its writers' lock not had in time,
    or a right the role lacks, in words (the server rolled the unfinished change back); None
    for anything else."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    from panelapp.store.faults import team_busy
    from panelapp.store.team_url import parse_team_url

    if not isinstance(exc, DBAPIError):
        return None
    team = parse_team_url(url)
    state = getattr(exc.orig, "sqlstate", None)
    if state == _LOCK_NOT_AVAILABLE:
        return team_busy(team.label, store_engine.BUSY_TIMEOUT_MS)
    if state == _INSUFFICIENT_PRIVILEGE:
        return TeamStoreUnreachable(
            f"The server did not allow {team.user} to do this on {team.label}, so nothing was "
            "changed. Create or upgrade the schema ('panelapp team init') as the role that owns "
            "it; for everyday work, ask whoever runs the server to grant the rights the README's "
            "Team store section lists."
        )
    # a connection exception (08), the server shutting down (57P), or the client's own
    # socket gone (no state)
    client_side = state is None and isinstance(exc, (OperationalError, InterfaceError))
    if not (exc.connection_invalidated or client_side or (state or "").startswith(("08", "57P"))):
        return None
    return TeamStoreUnreachable(
        f"The connection to {team.label} was lost, so the unfinished change was not saved. "
        "Check the network and run the command again."
    )


@dataclass(frozen=True)
class ServerFacts:
    version: str
    tls: bool


def server_facts(store: Store) -> ServerFacts:
    with store.engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar_one()
        tls = conn.execute(
            text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        ).scalar()
    return ServerFacts(version=str(version).split()[0], tls=bool(tls))
