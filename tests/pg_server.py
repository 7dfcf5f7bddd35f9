"""A throwaway PostgreSQL cluster for the test session: initdb into a temporary folder, start it on a
free loopback port with its socket in that folder, hand out fresh databases, stop and remove it all.

Nothing here touches a server the machine already runs; the cluster trusts local connections only
(loopback and its own socket), and fsync is off because its data is thrown away after the run.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

SUPERUSER = "quadrangle"
START_TIMEOUT_S = 60


class ServerUnavailableError(RuntimeError):
    """No PostgreSQL server can be started on this machine; the message says why."""


def find_bin_dir() -> Path:
    """The folder holding initdb, pg_ctl and postgres: PG_BIN_DIR, Debian's newest, or the PATH."""
    override = os.environ.get("PG_BIN_DIR")
    if override:  # exclusive: lets a developer choose a version, or check the no-server path
        folder = Path(override)
        if all((folder / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
        raise ServerUnavailableError(f"PG_BIN_DIR={override} holds no initdb, pg_ctl and postgres")
    candidates = []
    debian = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
    )
    candidates += [Path(p) for p in reversed(debian)]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(os.path.realpath(on_path)).parent)
    for folder in candidates:
        if all((folder / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    raise ServerUnavailableError(
        "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found: install Debian's 'postgresql' package"
    )


def _server_user() -> str | None:
    """The OS user the server runs as: None (ourselves) unless we are root, which PostgreSQL refuses."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise ServerUnavailableError("running as root and no 'postgres' or 'nobody' user exists to run the server as")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """A private cluster; `start()` then `url(dbname)`, `create_database()`, and `stop()` at the end."""

    def __init__(self, password: str | None = None) -> None:
        self.password = password  # None: trust every local connection; else TCP logins need it (SCRAM)
        self.bin_dir = find_bin_dir()
        self.user = _server_user()
        self.folder = Path(tempfile.mkdtemp(prefix="quadrangle-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.host = "127.0.0.1"
        self._started = False

    def _run(self, tool: str, *args: str, timeout: float = START_TIMEOUT_S) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / tool), *args]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.folder,
            env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
        )
        if result.returncode != 0:
            output = (result.stderr or result.stdout).strip().splitlines()
            raise ServerUnavailableError(f"{tool} failed: {output[-1] if output else result.returncode}")
        return result

    def start(self) -> PostgresServer:
        """Create the cluster on first use, then start the server and wait until it accepts connections."""
        if not self.data.exists():
            if self.user is not None:
                entry = pwd.getpwnam(self.user)
                os.chown(self.folder, entry.pw_uid, entry.pw_gid)
            os.chmod(self.folder, 0o700)
            # Byte-order collation (like SQLite) with UTF-8 character classes, so sorting and the
            # full-text parser behave the same on every machine whatever its default locale.
            auth = ["--auth=trust"]
            if self.password is not None:
                pwfile = self.folder / "pwfile"
                pwfile.write_text(self.password + "\n")
                if self.user is not None:
                    os.chown(pwfile, pwd.getpwnam(self.user).pw_uid, -1)
                auth = ["--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={pwfile}"]
            self._run(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                *auth,
                "--encoding=UTF8",
                "--lc-collate=C",
                "--lc-ctype=C.UTF-8",
                "--no-sync",
            )
        options = " ".join(
            [
                f"-c listen_addresses={self.host}",
                f"-p {self.port}",
                f"-c unix_socket_directories={self.folder}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=60",
                "-c shared_buffers=32MB",
            ]
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            str(START_TIMEOUT_S),
            "start",
        )
        self._started = True
        return self

    def halt(self, mode: str = "fast") -> None:
        """Stop the server, ending every connection, and keep its data to start again. ("immediate" is a
        crash: with fsync and synchronous_commit off it may lose the last commits.)"""
        if self._started:
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
            except (ServerUnavailableError, subprocess.TimeoutExpired):
                pass
            self._started = False

    def stop(self) -> None:
        """Stop the server and remove the cluster."""
        self.halt("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres", *, password: str | None = None) -> str:
        auth = SUPERUSER if password is None else f"{SUPERUSER}:{password}"
        return f"postgresql://{auth}@{self.host}:{self.port}/{database}"

    def execute(self, *statements: str) -> None:
        """Run statements on the maintenance database, outside any transaction (CREATE DATABASE needs that)."""
        import psycopg

        # Through the cluster's own socket, which trusts its owner even when TCP logins need a password.
        with psycopg.connect(
            host=str(self.folder), port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as conn:
            for statement in statements:
                conn.execute(statement)

    def create_database(self, *, template: str | None = None, name: str | None = None) -> str:
        """Create an empty database (or a copy of `template`) and return its name."""
        name = name or f"t_{uuid.uuid4().hex[:16]}"
        clause = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        self.execute(f'CREATE DATABASE "{name}"{clause}')
        return name

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_server(password: str | None = None) -> PostgresServer:
    """Start a private cluster, or raise ServerUnavailableError with the reason it cannot run here."""
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise ServerUnavailableError(f"the psycopg driver is not installed ({exc})") from None
    server = PostgresServer(password)
    try:
        return server.start()
    except (ServerUnavailableError, OSError, subprocess.TimeoutExpired) as exc:
        log_file = server.folder / "server.log"
        detail = log_file.read_text(errors="replace").strip().splitlines()[-1:] if log_file.exists() else []
        server.stop()
        reason = str(exc) if isinstance(exc, ServerUnavailableError) else f"{type(exc).__name__}: {exc}"
        raise ServerUnavailableError("; ".join([reason, *detail])) from None
