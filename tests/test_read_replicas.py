"""Read replicas: reader pages read from a streaming replica, everything else from the primary,
and readers keep being served when either server stops.

A throwaway primary and replica (initdb, pg_basebackup -R, pg_ctl) under a temporary folder on
free ports; the shared Postgres is never touched. One gunicorn worker, so the process that
remembers a replica is down is the one answering.
"""

import json
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from deploy.services import Gunicorn, Postgres

from .live_servers import REFERENCE_PATH, Reader, manage, post_comment, server_env, static_root

__all__ = ["static_root"]

HEADLINE = "Blinken heads to Israel as ceasefire talks gain momentum"
CHANGED = "Headline changed on the primary only"


@pytest.fixture(scope="module")
def cluster(static_root):
    root = Path(tempfile.mkdtemp(prefix="newsroom-replicas-"))
    primary = replica = app = None
    try:
        primary = Postgres.primary(root).start()
        primary.psql("CREATE DATABASE newsroom")
        env = server_env(static_root, root, DATABASE_URL=primary.url("newsroom"))
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_demo")
        replica = primary.replica().start()
        replica.wait_for_replay_of(primary)
        env |= {
            "DATABASE_REPLICA_URLS": replica.url("newsroom"),
            "DATABASE_REPLICA_RETRY_SECONDS": "2",
            "NEWSROOM_PAGE_CACHE_SECONDS": "0",
        }
        app = Gunicorn(root, env, workers=1).start()
        yield primary, replica, app
    finally:
        if app is not None:
            print(app.log.read_text()[-5000:])  # shown when a test failed
        for part in (app, replica, primary):
            if part is not None:
                part.stop()
        shutil.rmtree(root, ignore_errors=True)


def headline_of(html: str) -> str:
    return CHANGED if CHANGED in html else HEADLINE if HEADLINE in html else ""


def health(app) -> tuple[int, dict]:
    status, _, body = Reader().get(f"{app.url}/healthz")
    return status, json.loads(body)


def test_reader_pages_read_from_the_replica_and_everything_else_from_the_primary(cluster):
    primary, replica, app = cluster
    reader = Reader()
    replica.psql("SELECT pg_wal_replay_pause()")
    try:
        primary.psql(
            f"UPDATE articles_article SET headline = '{CHANGED}', comments_open = false "
            "WHERE slug = 'blinken-heads-to-israel-as-ceasefire-talks-gain-momentum'",
            "newsroom",
        )
        # The replica has not seen the change: the reader page still shows the old headline
        # and an open comment form.
        status, _, html = reader.get(app.url + REFERENCE_PATH)
        assert status == 200
        assert headline_of(html) == HEADLINE
        # The form's checks read from the primary: comments are closed there.
        status, _, _ = post_comment(reader, app.url)
        assert status == 403
        # Back from posting, a reader reads their own change from the primary.
        status, _, html = reader.get(f"{app.url}{REFERENCE_PATH}?comment=sent")
        assert headline_of(html) == CHANGED
    finally:
        replica.psql("SELECT pg_wal_replay_resume()")
        primary.psql(
            f"UPDATE articles_article SET headline = '{HEADLINE}', comments_open = true "
            f"WHERE headline = '{CHANGED}'",
            "newsroom",
        )
    replica.wait_for_replay_of(primary)
    _, _, html = reader.get(app.url + REFERENCE_PATH)
    assert headline_of(html) == HEADLINE


def test_a_replica_that_stops_answering_is_skipped_and_readers_read_from_the_primary(cluster):
    primary, replica, app = cluster
    replica.stop()
    try:
        started = time.monotonic()
        status, _, html = Reader().get(app.url + REFERENCE_PATH)
        assert status == 200 and headline_of(html) == HEADLINE
        assert time.monotonic() - started < 5
        status, report = health(app)
        assert status == 200
        assert report["status"] == "ok"
        assert report["replicas"] == {"replica1": {"status": "unreachable"}}
    finally:
        replica.start()
    replica.wait_for_replay_of(primary)
    time.sleep(2)  # DATABASE_REPLICA_RETRY_SECONDS: then the replica is tried again
    status, report = health(app)
    assert report["replicas"]["replica1"]["status"] == "ok"


def test_with_the_primary_down_readers_are_served_from_the_replica_and_writes_answer_503(
    cluster,
):
    primary, _replica, app = cluster
    reader = Reader()
    primary.stop()
    try:
        for path in ("/", REFERENCE_PATH, "/world/", "/feed/", "/search/?q=ceasefire"):
            status, _, _ = reader.get(app.url + path)
            assert status == 200, path
        status, headers, _ = post_comment(reader, app.url)
        assert status == 503
        assert headers["Retry-After"]
        status, report = health(app)
        assert status == 200
        assert report["status"] == "read-only"
        assert report["database"] == "unreachable"
    finally:
        primary.start()
    status, _, _ = post_comment(reader, app.url)
    assert status == 303
