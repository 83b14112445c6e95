"""Behind PgBouncer in transaction mode (DATABASE_POOLER=pgbouncer): reader pages and comment
posting through a real PgBouncer started on a loopback port in front of the test database."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from comments.models import Comment
from deploy.services import PG_BIN, REPO, Gunicorn, PgBouncer

from .factories import make_article
from .live_servers import Reader, post_comment, server_env, static_root

__all__ = ["static_root"]


@pytest.fixture(scope="module")
def pooled_server(django_db_setup, static_root):
    # Not pytest's folder: PgBouncer runs as the postgres user, who must read its configuration.
    root = Path(tempfile.mkdtemp(prefix="newsroom-pgbouncer-"))
    settings = connection.settings_dict
    bouncer = PgBouncer(root, host=settings["HOST"], port=int(settings["PORT"]), pool_size=2)
    app = None
    try:
        bouncer.start()
        env = server_env(
            static_root,
            root,
            DATABASE_URL=bouncer.url(settings["NAME"]),
            DATABASE_POOLER="pgbouncer",
            NEWSROOM_PAGE_CACHE_SECONDS="0",
        )
        app = Gunicorn(root, env, workers=3).start()
        yield bouncer, app
    finally:
        if app is not None:
            app.stop()
            print(app.log.read_text()[-3000:])  # shown when a test failed
        bouncer.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pooled(pooled_server, transactional_db, django_db_serialized_rollback):
    return pooled_server


def transactions_served(bouncer, database: str) -> int:
    stats = subprocess.run(
        [str(PG_BIN / "psql"), bouncer.url("pgbouncer"), "-XAt", "-F", " ", "-c", "SHOW STATS"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = [line.split() for line in stats.splitlines()]
    return sum(int(row[1]) for row in rows if row[0] == database)


def test_reader_pages_and_comment_posting_work_through_pgbouncer(pooled):
    bouncer, app = pooled
    before = transactions_served(bouncer, connection.settings_dict["NAME"])
    story = make_article(tags=["Harbour"])
    reader = Reader()
    paths = [
        "/",
        story.get_absolute_url(),
        story.section.get_absolute_url(),
        "/tag/harbour/",
        "/search/?q=story",
        "/feed/",
        "/sitemap.xml",
        f"/comments/{story.pk}/",
    ]
    for _ in range(3):  # three workers, each with its own kept connection to the pooler
        for path in paths:
            assert reader.get(app.url + path)[0] == 200, path
    status, _, _ = post_comment(reader, app.url, story.get_absolute_url())
    assert status == 303
    assert Comment.objects.filter(article=story, status=Comment.Status.PENDING).count() == 1
    assert transactions_served(bouncer, connection.settings_dict["NAME"]) > before


def test_the_pooler_setting_turns_server_side_cursors_off():
    script = (
        "from django.db import connections;"
        "print(connections['default'].settings_dict['DISABLE_SERVER_SIDE_CURSORS'])"
    )
    for pooler, expected in (("pgbouncer", "True"), ("", "False")):
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
            cwd=REPO,
            env=server_env(Path("/nonexistent"), Path("/nonexistent"),
                           DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
                           DATABASE_POOLER=pooler),
            capture_output=True,
            text=True,
        )  # fmt: skip
        assert result.stdout.strip() == expected, result.stderr
