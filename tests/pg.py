"""A real, throwaway PostgreSQL server for tests and the RLS benchmark.

`ThrowawayPostgres` runs initdb into a fresh temporary directory, starts the
postmaster on a Unix socket in that directory and on 127.0.0.1 (a free port),
with scram-sha-256 everywhere, and stops exactly the process it started.
When the tests run as root, the server runs as the `postgres` system user
(PostgreSQL refuses to run as root).

`provision_bia` then does what the appliance deploy does before migrations:
it creates the roles and the `bia` database owned by `bia_owner`.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, postgres) were not found. "
    "Install them with `apt-get install postgresql` (Debian), or point "
    "BIA_PG_BINDIR at the directory that holds initdb."
)
SERVICE_USER = "postgres"
BIA_ROLES = ("bia_owner", "bia_app", "bia_stats")


def find_pg_bindir() -> Path:
    """BIA_PG_BINDIR, else `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin."""
    candidates: list[Path] = []
    if env := os.environ.get("BIA_PG_BINDIR"):
        candidates.append(Path(env))
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            out = subprocess.run(
                [pg_config, "--bindir"], check=True, capture_output=True, text=True
            )
            candidates.append(Path(out.stdout.strip()))

    def version(path: Path) -> float:
        match = re.fullmatch(r"\d+(\.\d+)?", path.parent.name)
        return float(match.group(0)) if match else -1.0

    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "postgres").is_file():
            return bindir
    raise RuntimeError(INSTALL_HINT)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class ThrowawayPostgres:
    """One PostgreSQL cluster in a temporary directory; use as a context manager."""

    bindir: Path = field(default_factory=find_pg_bindir)
    superuser: str = "postgres"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    port: int = 0
    # Passwords of the bia roles, once per server (see provision_bia).
    role_passwords: dict[str, str] = field(
        default_factory=lambda: {role: secrets.token_urlsafe(18) for role in BIA_ROLES}
    )
    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="bia-pg-")))
    _process: subprocess.Popen[bytes] | None = None

    @property
    def datadir(self) -> Path:
        return self.base / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base

    @property
    def logfile(self) -> Path:
        return self.base / "postgres.log"

    @property
    def superuser_dsn(self) -> str:
        return self.dsn(self.superuser, self.password, "postgres")

    def dsn(self, user: str, password: str, dbname: str, *, tcp: bool = False) -> str:
        """A libpq conninfo string for the socket (default) or for 127.0.0.1."""
        host = "127.0.0.1" if tcp else str(self.socket_dir)
        return make_conninfo(host=host, port=self.port, user=user, password=password, dbname=dbname)

    def _run_as(self) -> dict[str, Any]:
        """subprocess arguments that drop root to the postgres system user."""
        if os.geteuid() != 0:
            return {}
        try:
            entry = pwd.getpwnam(SERVICE_USER)
        except KeyError as exc:
            raise RuntimeError(
                f"Running as root needs the `{SERVICE_USER}` system user to own the "
                f"server; it does not exist. {INSTALL_HINT}"
            ) from exc
        os.chown(self.base, entry.pw_uid, entry.pw_gid)
        return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}

    def start(self, timeout: float = 30.0) -> None:
        drop = self._run_as()
        pwfile = self.base / "pwfile"
        pwfile.write_text(self.password + "\n")
        if drop:
            os.chown(pwfile, drop["user"], drop["group"])
        pwfile.chmod(0o600)
        subprocess.run(
            [
                str(self.bindir / "initdb"),
                "--pgdata",
                str(self.datadir),
                "--username",
                self.superuser,
                "--pwfile",
                str(pwfile),
                "--auth-local=scram-sha-256",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            cwd=self.base,
            **drop,
        )
        pwfile.unlink()
        self.port = self.port or _free_port()
        log = self.logfile.open("ab")
        self._process = subprocess.Popen(
            [
                str(self.bindir / "postgres"),
                "-D",
                str(self.datadir),
                "-k",
                str(self.socket_dir),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                # A throwaway cluster: durability buys nothing, speed does.
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "password_encryption=scram-sha-256",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.base,
            **drop,
        )
        log.close()
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"PostgreSQL exited with code {self._process.returncode} while starting; "
                    f"its log:\n{self.logfile.read_text(errors='replace')[-3000:]}"
                )
            try:
                with psycopg.connect(self.superuser_dsn, connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        """Fast shutdown of the postmaster this object started, then remove its files."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> ThrowawayPostgres:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def execute(self, query: str | sql.SQL | sql.Composed, dbname: str = "postgres") -> None:
        """Run one statement as the superuser, in autocommit mode."""
        with psycopg.connect(
            self.dsn(self.superuser, self.password, dbname), autocommit=True
        ) as conn:
            conn.execute(query)


@dataclass(frozen=True)
class BiaDatabase:
    """The `bia` database with its three roles, as the deploy leaves it."""

    server: ThrowawayPostgres
    dbname: str
    passwords: dict[str, str]

    def dsn(self, role: str) -> str:
        return self.server.dsn(role, self.passwords[role], self.dbname)

    @property
    def owner_dsn(self) -> str:
        return self.dsn("bia_owner")

    @property
    def app_dsn(self) -> str:
        return self.dsn("bia_app")

    @property
    def stats_dsn(self) -> str:
        return self.dsn("bia_stats")

    @property
    def superuser_dsn(self) -> str:
        return self.server.dsn(self.server.superuser, self.server.password, self.dbname)


def provision_bia(server: ThrowawayPostgres, dbname: str = "bia") -> BiaDatabase:
    """Create the roles (if missing) and a fresh database, like the appliance deploy."""
    passwords = server.role_passwords
    for role, password in passwords.items():
        ident = sql.Identifier(role)
        server.execute(
            sql.SQL(
                "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {name}) "
                "THEN CREATE ROLE {role}; END IF; END$$"
            ).format(name=sql.Literal(role), role=ident)
        )
        server.execute(
            sql.SQL(
                "ALTER ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS "
                "NOREPLICATION PASSWORD {}"
            ).format(ident, sql.Literal(password))
        )
    server.execute(sql.SQL("CREATE DATABASE {} OWNER bia_owner").format(sql.Identifier(dbname)))
    return BiaDatabase(server=server, dbname=dbname, passwords=passwords)


def drop_database(server: ThrowawayPostgres, dbname: str) -> None:
    server.execute(
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname))
    )


@contextlib.contextmanager
def running_postgres() -> Iterator[ThrowawayPostgres]:
    with ThrowawayPostgres() as server:
        yield server
