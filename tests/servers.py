"""gunicorn on loopback for the tests that need it, in a production-like run with files of its
own. Throwaway Postgres clusters, PgBouncer, Varnish and moto are in deploy/services.py."""

import http.client
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from deploy import services
from deploy.services import REPO, Gunicorn, ServiceError, free_port

__all__ = ["free_port", "gunicorn", "manage", "production_env", "request", "wait_for"]


def request(port, method, path, body=None, headers=None, timeout=10):
    """One HTTP request, redirects not followed: (status, headers, text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
    finally:
        connection.close()


def _log_tail(log: Path | None) -> str:
    return log.read_text()[-3000:] if log and log.exists() else ""


def wait_for(check, what: str, timeout: float = 30, log: Path | None = None):
    """deploy.services.wait_for, failing the test with the end of the service's log."""
    try:
        services.wait_for(check, what, timeout)
    except ServiceError as error:
        pytest.fail(f"{error}\n{_log_tail(log)}")


# Variables a developer's shell may carry that would change what a server under test does.
_OWN_PREFIXES = ("DJANGO_", "DATABASE_", "REDIS_URL", "MEDIA_", "AWS_", "NEWSROOM_", "COMMENTS_")


def production_env(
    root: Path, database_url: str | None = None, *, static_root: Path | None = None, **extra: str
) -> dict[str, str]:
    """A production-like run on loopback (DEBUG off, plain HTTP) with files of its own under
    `root` (static files in `static_root` when several servers share one collection), and none
    of the shell's own settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(_OWN_PREFIXES)}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        # The tests' own key (pyproject.toml): sessions they log in (force_login) stay valid.
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "test-only-key-for-loopback-runs"),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DJANGO_LOG_LEVEL="WARNING",
        MEDIA_ROOT=str(root / "media"),
        STATIC_ROOT=str(static_root or root / "static"),
        NEWSROOM_VERSIONS_DIR=str(root / "versions"),
        NEWSROOM_CACHE_DIR=str(root / "cache"),
        PYTHONUNBUFFERED="1",
        NEWSROOM_EMBED_PREVIEWS="0",  # no provider is asked from loopback runs
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def manage(env, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@contextmanager
def gunicorn(env, root: Path, workers: int = 2):
    """deploy.services.Gunicorn for a test: yields its port, fails the test if it does not
    come up, and is stopped at the end."""
    try:
        server = Gunicorn(root, env, workers).start()
    except ServiceError as error:
        pytest.fail(str(error))  # with the end of its log
    try:
        yield server.port
    finally:
        server.stop()
