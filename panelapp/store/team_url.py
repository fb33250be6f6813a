"""The team store's address, and where its password is kept.

A team store is a PostgreSQL database named by a URL such as
``postgresql://jpike@db.council.example/panelapp?sslrootcert=/etc/panelapp/council-ca.pem``.
The URL never holds the password: it is kept in the OS keyring (service ``panelapp-team``,
user ``<user>@<host>:<port>/<database>``) or asked for at a prompt, so it never appears in a
command line, a shell history, a settings file or the log. The server's certificate is always
verified against the name in the URL (``sslmode=verify-full``): a URL asking for less is
refused, and one that says nothing gets it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from panelapp.store.errors import StoreError

logger = logging.getLogger(__name__)

KEYRING_SERVICE = "panelapp-team"
SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
REQUIRED_SSLMODE = "verify-full"
#: connection settings that would carry a secret, or loosen what panelapp checks, in the URL
_REFUSED_OPTIONS = {
    "password": "the password",
    "sslpassword": "the password of the client key",
    "passfile": "a password file",
    "sslnegotiation": "a TLS negotiation setting",
    "gssencmode": "a Kerberos setting",
}


class TeamUrlError(StoreError):
    """A team store URL panelapp will not use; the message says how to write it."""


@dataclass(frozen=True)
class TeamUrl:
    """A checked team store URL: no password, certificate verification on."""

    user: str
    host: str
    port: int
    database: str
    options: tuple[tuple[str, str], ...]

    @property
    def text(self) -> str:
        """The URL as it can be shown, saved and logged (it holds no secret)."""
        query = urlencode(self.options, quote_via=quote)
        return (
            f"postgresql://{quote(self.user)}@{self.host}:{self.port}/{quote(self.database)}"
            f"?{query}"
        )

    @property
    def keyring_user(self) -> str:
        """The user name of its keyring entry (service ``panelapp-team``)."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    @property
    def label(self) -> str:
        """How messages name it."""
        return f"the team store {self.database} on {self.host}"

    def connect_args(self) -> dict[str, str]:
        return dict(self.options)


def parse_team_url(raw: str) -> TeamUrl:
    """Check a URL given by a person; refuse, saying how to fix it, anything that would carry
    a secret or connect without verifying the server."""
    example = "postgresql://USER@HOST/DATABASE?sslrootcert=/path/to/council-ca.pem"
    try:
        parts = urlsplit(raw.strip())
        port = parts.port
    except ValueError:
        raise TeamUrlError(f"That is not a team store URL. Write it as {example}.") from None
    if parts.scheme not in SCHEMES:
        raise TeamUrlError(f"A team store URL starts with postgresql:// (for example {example}).")
    if parts.password is not None:
        raise TeamUrlError(
            "Take the password out of the URL: panelapp never takes a password on the command "
            "line. Give the URL as postgresql://USER@HOST/DATABASE; panelapp asks for the "
            "password, and 'panelapp team connect URL' keeps it in the OS keyring."
        )
    if not parts.username or not parts.hostname or not parts.path.strip("/"):
        raise TeamUrlError(f"The team store URL needs a user, a server and a database: {example}.")
    if parts.hostname.startswith("/") or "host" in dict(parse_qsl(parts.query)):
        raise TeamUrlError(
            "The team store is reached over the network with TLS: name the server in the URL "
            "(postgresql://USER@HOST/DATABASE), not a local socket."
        )
    options: dict[str, str] = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name in _REFUSED_OPTIONS:
            raise TeamUrlError(
                f"Take {_REFUSED_OPTIONS[name]} ({name}=) out of the team store URL: panelapp "
                "keeps the password in the OS keyring or asks for it."
            )
        options[name] = value
    sslmode = options.setdefault("sslmode", REQUIRED_SSLMODE)
    if sslmode != REQUIRED_SSLMODE:
        raise TeamUrlError(
            f"The team store URL asks for sslmode={sslmode}, which does not check that the "
            "server is the council's: panelapp connects only with the server's certificate "
            "verified against its name. Use sslmode=verify-full (or leave sslmode out), and "
            "give the council's certificate authority with sslrootcert=/path/to/ca.pem."
        )
    return TeamUrl(
        user=unquote(parts.username),
        host=parts.hostname,
        port=port or 5432,
        database=unquote(parts.path.strip("/")),
        options=tuple(sorted(options.items())),
    )


def _as_url(url: TeamUrl | str) -> TeamUrl:
    return url if isinstance(url, TeamUrl) else parse_team_url(url)


def stored_password(url: TeamUrl | str) -> str | None:
    """The password kept in the OS keyring for this URL's user and database, if any."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, _as_url(url).keyring_user)
    except KeyringError:
        logger.warning("the OS keyring could not be read for the team store password")
        return None


def remember_password(url: TeamUrl | str, password: str) -> bool:
    """Keep the password in the OS keyring; False when there is no usable keyring."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, _as_url(url).keyring_user, password)
    except KeyringError:
        logger.warning("the OS keyring could not keep the team store password")
        return False
    return True


def forget_password(url: TeamUrl | str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.delete_password(KEYRING_SERVICE, _as_url(url).keyring_user)
    except KeyringError:
        pass
