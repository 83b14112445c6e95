"""Real servers on loopback for the tests that need them: gunicorn, a throwaway Postgres cluster
and Varnish. Each gets a free port and folders of its own, and is stopped by its own process id."""

import http.client
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port, method, path, body=None, headers=None, timeout=10):
    """One HTTP request, redirects not followed: (status, headers, text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
    finally:
        connection.close()


def wait_for(check, what: str, timeout: float = 30, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    tail = log.read_text()[-3000:] if log and log.exists() else ""
    pytest.fail(f"{what} did not come up in {timeout} s\n{tail}")


def production_env(root: Path, database_url: str, **extra: str) -> dict[str, str]:
    """A production-like run on loopback (DEBUG off, plain HTTP), with files of its own."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(root / "media"),
        "STATIC_ROOT": str(root / "static"),
        "NEWSROOM_VERSIONS_DIR": str(root / "versions"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    env.pop("NEWSROOM_PURGE_URLS", None)
    env.update(extra)
    return env


def manage(env, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


@contextmanager
def gunicorn(env, root: Path, workers: int = 2):
    """gunicorn with sync workers and a control socket of its own; yields its port."""
    port = free_port()
    log = root / "gunicorn.log"
    command = [
        str(Path(sys.executable).with_name("gunicorn")), "newsroom.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
        "--control-socket", str(root / "gunicorn.ctl"), "--graceful-timeout", "2",
    ]  # fmt: skip
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: request(port, "GET", "/robots.txt")[0] == 200, "gunicorn", log=log)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class ThrowawayPostgres:
    """A Postgres cluster of our own (initdb, pg_ctl) on a free port under a temporary folder,
    to stop and start at will: never the shared server."""

    def __init__(self):
        if not (PG_BIN / "initdb").exists():
            pytest.skip("Postgres 15 server binaries are not installed")
        # Postgres refuses to run as root: as root, the cluster belongs to the postgres user.
        self.user = "postgres" if os.geteuid() == 0 else None
        self.root = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "newsroom")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/newsroom"

    def _run(self, program, *args):
        command = [str(PG_BIN / program), *map(str, args)]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            pytest.fail(f"{program} failed:\n{result.stdout}\n{result.stderr}")

    def start(self):
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-l", self.root / "log", "-o", options, "-w", "start")

    def stop(self):
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def remove(self):
        subprocess.run(
            ["runuser", "-u", self.user, "--"] * bool(self.user)
            + [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)
