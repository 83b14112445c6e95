"""Production settings fail fast when unsafe and pass Django's deployment checks when set up."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k" * 20 + "a-long-random-production-secret-0123456789abcdefXYZ",
    "DJANGO_ALLOWED_HOSTS": "news.example.com",
    "DJANGO_HTTPS": "1",
}


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_with_the_development_secret_key_refuses_to_start():
    result = manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "Refusing to start with the development secret key" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_healthz_answers_503_when_the_database_is_unreachable():
    # A real process with a database URL nobody listens on: the view must say so, not crash.
    script = (
        "from django.test import Client; r = Client().get('/healthz');"
        "print(r.status_code, r.json()['status'])"
    )
    result = manage(
        "shell", "-c", script,
        DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere",
        DJANGO_SECRET_KEY="test-only", DJANGO_HTTPS="0", DJANGO_ALLOWED_HOSTS="testserver",
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "503 error", result.stderr
