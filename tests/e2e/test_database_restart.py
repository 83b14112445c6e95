"""A database restart costs readers nothing: each worker checks its kept connection before use
(CONN_HEALTH_CHECKS), instead of answering one 500 on a connection the restart closed."""

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from .browser import REFERENCE_URL

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        shutil.which("pg_ctlcluster") is None or os.geteuid() != 0,
        reason="restarting the local Postgres needs Debian's pg_ctlcluster and root",
    ),
]

# Pages that always reach the database (the search page is never cached whole).
PAGES = ["/healthz", "/search/?q=ceasefire", REFERENCE_URL]


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def restart_postgres() -> None:
    version, name = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    ).stdout.split()[:2]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
        check=True,
        timeout=120,
    )
    for _ in range(60):
        if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0:
            return
        time.sleep(0.5)
    pytest.fail("Postgres did not come back within 30 s")


def test_readers_get_no_error_after_the_database_restarts(base_url):
    # Enough requests that every worker holds a persistent connection.
    before = [status(base_url + page) for _ in range(6) for page in PAGES]
    assert set(before) == {200}

    restart_postgres()

    after = [status(base_url + page) for _ in range(6) for page in PAGES]
    assert after == [200] * len(after), f"answers after the restart: {after}"
