"""The parts of a multi-machine Newsroom, started on loopback: throwaway Postgres servers (a
primary and its streaming replicas), PgBouncer, gunicorn, a local S3 server (moto) and Varnish.

Used by the tests in tests/ that need a real one of these and by `make cluster`. Everything
lives under a temporary folder and listens on a free port on 127.0.0.1; the shared Postgres at
127.0.0.1:5432 is only ever a target, never started or stopped here. Each process runs in a
session of its own, so that Ctrl-C reaches only whoever started it, who stops the parts in order.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
VENV_BIN = Path(sys.executable).parent


class ServiceError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def service_user_command(command: list[str]) -> list[str]:
    """Postgres and PgBouncer refuse to run as root: as root, run them as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def owned_by_service_user(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")
    path.chmod(0o755)
    return path


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        raise ServiceError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def wait_for(check, what: str, timeout: float = 30, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServiceError(f"{what} exited with {process.returncode}")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise ServiceError(f"{what} did not come up in {timeout} s")


def http_status(url: str, timeout: float = 3) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def stop_process(process: subprocess.Popen | None, timeout: float = 15) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Postgres:
    """A throwaway Postgres server under `root`: `Postgres.primary(root)` makes a new cluster,
    `primary.replica(name)` a streaming replica of it (pg_basebackup -R)."""

    def __init__(self, root: Path, name: str):
        self.root = root
        self.name = name
        self.data = root / name
        self.port = free_port()
        self.log = root / f"{name}.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    @classmethod
    def primary(cls, root: Path, name: str = "primary") -> "Postgres":
        server = cls(owned_by_service_user(root), name)
        run(service_user_command([
            str(PG_BIN / "initdb"), "-D", str(server.data), "-U", "postgres",
            "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        ]))  # fmt: skip
        with (server.data / "postgresql.conf").open("a") as conf:
            # Disposable: no fsync. Streaming replication on (the defaults allow it from loopback).
            conf.write(
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{root}'\n"
                "fsync = off\nfull_page_writes = off\nsynchronous_commit = off\n"
                "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n"
                "max_connections = 200\n"
            )
        return server

    def replica(self, name: str = "replica") -> "Postgres":
        server = Postgres(self.root, name)
        run(service_user_command([
            str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port),
            "-U", "postgres", "-D", str(server.data), "-R", "-X", "stream", "--no-sync",
            "--checkpoint=fast",
        ]))  # fmt: skip
        return server

    def start(self) -> "Postgres":
        run(service_user_command([
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
            "-t", "60", "-o", f"-p {self.port}", "start",
        ]))  # fmt: skip
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            run(service_user_command([
                str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop",
            ]))  # fmt: skip

    def psql(self, sql: str, database: str = "postgres") -> str:
        return run(
            [str(PG_BIN / "psql"), self.url(database), "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql]
        ).stdout.strip()

    def wait_for_replay_of(self, primary: "Postgres", timeout: float = 30) -> None:
        """Until this replica has replayed everything the primary has written so far."""
        target = primary.psql("SELECT pg_current_wal_insert_lsn()")
        wait_for(
            lambda: self.psql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") == "t",
            f"{self.name} catching up",
            timeout,
        )


class PgBouncer:
    """PgBouncer in transaction mode on a free loopback port, in front of `host:port`."""

    def __init__(self, root: Path, port: int = 5432, host: str = "127.0.0.1", pool_size: int = 20):
        self.root = owned_by_service_user(root)
        self.port = free_port()
        self.config = self.root / "pgbouncer.ini"
        self.config.write_text(
            "[databases]\n"
            f"* = host={host} port={port} user=postgres\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            "auth_type = any\nadmin_users = postgres\npool_mode = transaction\n"
            f"default_pool_size = {pool_size}\nmax_client_conn = 500\n"
            "ignore_startup_parameters = extra_float_digits,options\n"
            # A primary that is down: clients hear so in seconds, not minutes.
            "server_connect_timeout = 2\nserver_login_retry = 1\nquery_wait_timeout = 5\n"
        )
        self.process: subprocess.Popen | None = None

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> "PgBouncer":
        if shutil.which("pgbouncer") is None:
            raise ServiceError("pgbouncer is not installed (make test installs it)")
        self.process = subprocess.Popen(
            service_user_command(["pgbouncer", str(self.config)]),
            stdout=(self.root / "pgbouncer.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: socket.create_connection(("127.0.0.1", self.port), 1), "pgbouncer", 15,
                 self.process)  # fmt: skip
        return self

    def stop(self) -> None:
        stop_process(self.process)


class Gunicorn:
    """gunicorn serving Newsroom on a free loopback port, with its own control socket."""

    def __init__(
        self,
        root: Path,
        env: dict[str, str],
        workers: int = 2,
        port: int | None = None,
        app: str = "newsroom.wsgi:application",
        ready_path: str = "/healthz",
    ):
        self.root = root
        self.env = env
        self.workers = workers
        self.app = app
        self.ready_path = ready_path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = root / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> "Gunicorn":
        command = [
            str(VENV_BIN / "gunicorn"), self.app,
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
            "--worker-class", "sync", "--control-socket", str(self.root / f"gunicorn-{self.port}.ctl"),
            "--graceful-timeout", "5",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            cwd=REPO,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for(lambda: http_status(self.url + self.ready_path) == 200,
                     f"gunicorn on {self.port}", timeout, self.process)  # fmt: skip
        except ServiceError as error:
            # Not left running, and the reason is in its log: every caller wants both.
            self.stop()
            raise ServiceError(f"{error}\n{self.log.read_text()[-3000:]}") from None
        return self

    def stop(self) -> None:
        stop_process(self.process)


class MotoS3:
    """A local S3-compatible server (moto in server mode) on a free loopback port."""

    def __init__(self, root: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = root / "moto.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "MotoS3":
        self.process = subprocess.Popen(
            [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: http_status(f"{self.url}/moto-api/") == 200, "moto", 30, self.process)
        return self

    def stop(self) -> None:
        stop_process(self.process)


class Varnish:
    """varnishd in the foreground on free loopback ports with the given VCL file: the readers'
    listener and the app servers' purge listener, with the purge secret in its environment (as
    deploy/varnish/default.vcl expects; give the app purge_url and purge_secret)."""

    def __init__(self, root: Path, vcl: Path):
        self.root = root
        self.vcl = vcl
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.purge_port = free_port()
        self.purge_url = f"http://127.0.0.1:{self.purge_port}/"
        self.purge_secret = secrets.token_urlsafe(32)
        self.process: subprocess.Popen | None = None

    def start(self) -> "Varnish":
        workdir = self.root / "varnish"
        workdir.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            ["varnishd", "-F", "-n", str(workdir), "-a", f"127.0.0.1:{self.port}",
             "-a", f"purge=127.0.0.1:{self.purge_port}",
             "-T", "none", "-f", str(self.vcl), "-s", "malloc,128m"],
            env={**os.environ, "NEWSROOM_PURGE_SECRET": self.purge_secret},
            stdout=(self.root / "varnish.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        wait_for(lambda: socket.create_connection(("127.0.0.1", self.port), 1), "varnish", 30,
                 self.process)  # fmt: skip
        return self

    def stop(self) -> None:
        stop_process(self.process)
