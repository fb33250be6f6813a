"""A real PostgreSQL server for the team-store tests, from Debian's ``postgresql`` package.

It runs from a temporary folder on 127.0.0.1, on a free port, with TLS on and a server
certificate issued by a throwaway certificate authority made here with ``cryptography``, so
the application connects exactly as it does to a council's server (``sslmode=verify-full``).
The only client authentication is a SCRAM password over TLS (``hostssl``), as in production.

PostgreSQL refuses to run as root: when the tests run as root (CI), the server's folder is
given to the ``postgres`` user (made by the Debian package) and the server is started through
``runuser``.
"""

from __future__ import annotations

import datetime
import glob
import ipaddress
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SUPERUSER = "panelapp_admin"
HOST = "localhost"


def find_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's binaries (Debian keeps them out of PATH)."""
    found = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for localhost / 127.0.0.1 signed by it:
    (ca.pem, server.crt, server.key)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("panelapp test CA"))
        .issuer_name(_name("panelapp test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(_name(HOST))
        .issuer_name(ca.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(HOST), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_pem = folder / "ca.pem"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    crt = folder / "server.crt"
    crt.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    key = folder / "server.key"
    key.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key.chmod(0o600)
    return ca_pem, crt, key


@dataclass
class PostgresServer:
    """A running server: its superuser's password and the CA that issued its certificate."""

    bin_dir: Path
    root: Path
    port: int
    password: str
    ca_file: Path
    _run_as: list[str] = field(default_factory=list)

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        """A URL without its password, as a person gives it to panelapp."""
        return (
            f"postgresql://{quote(user)}@{HOST}:{self.port}/{quote(database)}"
            f"?sslmode=verify-full&sslrootcert={quote(str(self.ca_file))}"
        )

    def connect(self, database: str = "postgres", **kwargs):
        """A psycopg connection as the superuser (autocommit), for setting up and inspecting."""
        import psycopg

        return psycopg.connect(
            host=HOST,
            port=self.port,
            dbname=database,
            user=SUPERUSER,
            password=self.password,
            sslmode="verify-full",
            sslrootcert=str(self.ca_file),
            autocommit=True,
            **kwargs,
        )

    def stop(self) -> None:
        subprocess.run(
            [*self._run_as, str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data")]
            + ["-m", "immediate", "-w", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def _run_as_prefix(root: Path) -> list[str]:
    """Nothing when not root; otherwise ``runuser -u postgres --`` with the folder given to
    postgres (PostgreSQL will not run as root)."""
    if os.geteuid() != 0:
        return []
    try:
        owner = pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError(
            "running as root, and there is no 'postgres' user to run the server as "
            "(Debian's postgresql package makes it)"
        ) from None
    for dirpath, _dirs, files in os.walk(root):
        os.chown(dirpath, owner.pw_uid, owner.pw_gid)
        for name in files:
            os.chown(os.path.join(dirpath, name), owner.pw_uid, owner.pw_gid)
    return ["runuser", "-u", "postgres", "--"]


def start_server(bin_dir: Path) -> PostgresServer:
    """initdb a new cluster in a temporary folder and start it, TLS only; raises with the
    server's own log when it does not start."""
    root = Path(tempfile.mkdtemp(prefix="panelapp-pg-"))
    root.chmod(0o700)
    password = secrets.token_urlsafe(18)
    ca_file, crt, key = make_certificates(root)
    (root / "pwfile").write_text(password + "\n")
    (root / "pwfile").chmod(0o600)
    run_as = _run_as_prefix(root)
    ca_file.chmod(0o644)
    root.chmod(0o711)  # the client (maybe another user) reads ca.pem
    data = root / "data"
    subprocess.run(
        [*run_as, str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER]
        + ["--pwfile", str(root / "pwfile"), "--auth-host=scram-sha-256", "--auth-local=reject"]
        + ["-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
        check=True,
        capture_output=True,
    )
    (root / "pwfile").unlink()
    (data / "pg_hba.conf").write_text(
        "# TLS only, SCRAM passwords: what panelapp expects of a council's server\n"
        "hostssl all all 127.0.0.1/32 scram-sha-256\n"
        "hostssl all all ::1/128 scram-sha-256\n"
    )
    port = _free_port()
    with open(data / "postgresql.conf", "a") as conf:
        conf.write(
            f"\nlisten_addresses = '127.0.0.1'\nport = {port}\n"
            f"unix_socket_directories = '{root}'\n"
            f"ssl = on\nssl_cert_file = '{crt}'\nssl_key_file = '{key}'\n"
            "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            "max_connections = 50\nshared_buffers = 32MB\n"
        )
    if run_as:
        _run_as_prefix(root)  # the files written since belong to postgres too
    log = root / "server.log"
    started = subprocess.run(
        [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60"]
        + ["start"],
        check=False,
        capture_output=True,
        text=True,
    )
    server = PostgresServer(bin_dir, root, port, password, ca_file, run_as)
    if started.returncode != 0:
        why = log.read_text(errors="replace")[-2000:] if log.exists() else started.stderr
        server.stop()
        raise RuntimeError(f"PostgreSQL did not start:\n{why}")
    deadline = time.monotonic() + 30
    while True:
        try:
            server.connect().close()
            return server
        except Exception:
            if time.monotonic() > deadline:
                server.stop()
                raise


def create_database(server: PostgresServer, name: str, template: str | None = None) -> None:
    with server.connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def drop_database(server: PostgresServer, name: str) -> None:
    with server.connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
