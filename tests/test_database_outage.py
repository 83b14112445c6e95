"""While Postgres is away readers get the last good copy of a page or a styled 503 with
Retry-After, never a 500; a comment is stored exactly once or the reader is told it was not.

Against gunicorn (production settings, two workers sharing Redis) and a throwaway Postgres
cluster the test makes, stops and starts itself: never the shared server."""

import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import psycopg2
import pytest

from comments.forms import issue_timestamp
from comments.outcomes import SENT_MESSAGE
from deploy.services import PG_BIN, Postgres
from tests.servers import gunicorn, manage, production_env, request

REFERENCE = "/world/blinken-heads-to-israel-as-ceasefire-talks-gain-momentum/"
CACHED = ["/", REFERENCE]
NEVER_CACHED = ["/search/?q=ceasefire", "/author/no-such-page/", "/comments/1/"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not (PG_BIN / "initdb").exists():
        pytest.skip("Postgres 15 server binaries are not installed")
    root = Path(tempfile.mkdtemp(prefix="newsroom-outage-pg-"))
    postgres = Postgres.primary(root).start()
    postgres.psql("CREATE DATABASE newsroom")
    yield postgres
    postgres.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def site(cluster, tmp_path_factory):
    """gunicorn on the throwaway cluster, with the demo newsroom; yields (port, reference id)."""
    root = tmp_path_factory.mktemp("outage-site")
    redis_url = f"redis://127.0.0.1:6379/{os.environ.get('TEST_REDIS_DB', '9')}"
    env = production_env(
        root,
        cluster.url("newsroom"),
        REDIS_URL=redis_url,
        COMMENTS_RATE_LIMIT_PER_MINUTE="100000",
        DJANGO_CONN_MAX_AGE="60",
    )
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo", "--comments", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    from django.core.cache.backends.redis import RedisCache

    RedisCache(redis_url, {}).clear()  # this run's Redis database only
    with psycopg2.connect(cluster.url("newsroom")) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT id FROM articles_article WHERE slug = %s", [REFERENCE.split("/")[2]])
        (reference_id,) = cursor.fetchone()
    connection.close()
    with gunicorn(env, root) as port:
        yield port, reference_id
    RedisCache(redis_url, {}).clear()


def post_comment(port, article_id, body):
    form = {
        "name": "Ruth Reader",
        "email": "ruth@example.com",
        "body": body,
        "website": "",
        "started": issue_timestamp(article_id, time.time() - 10),
    }
    return request(
        port,
        "POST",
        f"/comments/post/{article_id}/",
        body=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def stored_bodies(cluster) -> list[str]:
    with psycopg2.connect(cluster.url("newsroom")) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT body FROM comments_comment")
        bodies = [row[0] for row in cursor.fetchall()]
    connection.close()
    return bodies


def test_while_the_database_is_away_readers_get_copies_or_a_503_and_never_a_500(cluster, site):
    port, reference_id = site
    for _ in range(4):  # both workers have kept connections, and the pages are cached
        for path in CACHED:
            assert request(port, "GET", path)[0] == 200

    cluster.stop()
    try:
        for path in CACHED:
            status, _, html = request(port, "GET", path)
            assert status == 200, path
            assert "Blinken heads to Israel" in html
        for path in NEVER_CACHED:
            status, headers, html = request(port, "GET", path)
            assert status == 503, path
            assert headers["Retry-After"].isdigit()
            assert "This page is not available for a moment" in html
            assert 'href="/static/css/' in html
        status, headers, html = post_comment(port, reference_id, "Sent while the archive is away")
        assert status == 503
        assert headers["Retry-After"].isdigit()
        assert "Your comment was not saved" in html
        status, _, text = request(port, "GET", "/robots.txt")
        assert status == 200 and "Sitemap:" in text
        assert request(port, "GET", "/healthz")[0] == 503
    finally:
        cluster.start()

    time.sleep(1)  # the first second after it returns
    answers = [request(port, "GET", path)[0] for _ in range(4) for path in [*CACHED, "/healthz"]]
    answers += [request(port, "GET", "/search/?q=ceasefire")[0] for _ in range(4)]
    assert set(answers) == {200}
    assert "Sent while the archive is away" not in stored_bodies(cluster)


def test_every_confirmed_comment_is_stored_exactly_once_across_a_database_restart(cluster, site):
    port, reference_id = site
    confirmed, answers, stop = [], [], threading.Event()

    def reader(n):
        for attempt in range(10_000):
            if stop.is_set():
                return
            body = f"Reader {n}, comment {attempt}: the talks"
            status, headers, _ = post_comment(port, reference_id, body)
            answers.append(status)
            if status == 303 and headers["Location"].endswith("?comment=sent#comments"):
                confirmed.append(body)
            time.sleep(0.02)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    cluster.stop()
    time.sleep(1)
    cluster.start()
    time.sleep(2)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    stored = stored_bodies(cluster)
    assert confirmed, "no comment was confirmed"
    assert 503 in answers, "the restart was never noticed"
    assert set(answers) <= {303, 503}, sorted(set(answers))
    for body in confirmed:
        assert stored.count(body) == 1, body
    landing = request(port, "GET", f"{REFERENCE}?comment=sent")[2]
    assert SENT_MESSAGE in landing


def newest_other_story(cluster) -> tuple[int, str, str]:
    """The newest published story besides the reference: on the home page and in every rail."""
    with psycopg2.connect(cluster.url("newsroom")) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.id, s.slug, a.slug FROM articles_article a"
            " JOIN articles_section s ON s.id = a.section_id"
            " WHERE a.status = 'published' AND a.published_at <= now() AND a.slug != %s"
            " ORDER BY a.published_at DESC LIMIT 1",
            [REFERENCE.split("/")[2]],
        )
        found = cursor.fetchone()
    connection.close()
    return found


def test_a_story_taken_down_never_comes_back_from_a_kept_copy_while_the_database_is_away(
    cluster, site, tmp_path_factory
):
    port, _ = site
    pk, section, slug = newest_other_story(cluster)
    story, listing = f"/{section}/{slug}/", f"/{section}/"
    for _ in range(3):  # kept by the page cache, and as answers beside the copies
        for path in (story, listing, "/"):
            status, _, html = request(port, "GET", path)
            assert status == 200 and story in html, path

    # Taken down by an ordinary save, as any path does (the admin, an action, a restore).
    env = production_env(
        tmp_path_factory.mktemp("take-down"),
        cluster.url("newsroom"),
        REDIS_URL=f"redis://127.0.0.1:6379/{os.environ.get('TEST_REDIS_DB', '9')}",
    )
    manage(
        env,
        "shell",
        "-c",
        "from articles.models import Article\n"
        f"story = Article.objects.get(pk={pk})\n"
        "story.status = Article.Status.DRAFT\n"
        "story.save()\n",
    )
    status, _, home = request(port, "GET", "/")  # rendered afresh, without it
    assert status == 200 and story not in home

    cluster.stop()
    try:
        for path in (story, listing):  # their last copies showed it: not served, even stale
            status, headers, html = request(port, "GET", path)
            assert status == 503, path
            assert story not in html and headers["Retry-After"].isdigit()
        status, _, home = request(port, "GET", "/")  # copied after the take-down: still served
        assert status == 200 and story not in home
    finally:
        cluster.start()
    time.sleep(1)
    assert request(port, "GET", story)[0] == 404
