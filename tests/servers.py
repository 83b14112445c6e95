"""gunicorn on loopback for the tests that need it, in a production-like run with files of its
own. Throwaway Postgres clusters, PgBouncer, Varnish and moto are in deploy/services.py."""

import http.client
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from deploy.services import free_port, stop_process

__all__ = ["free_port", "gunicorn", "manage", "production_env", "request", "wait_for"]

REPO = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")


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
        stop_process(server)
