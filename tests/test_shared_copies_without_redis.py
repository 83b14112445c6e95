"""One machine without Redis: its gunicorn workers share their page copies (a disk cache, see
settings.CACHES), so a page is rendered once for all of them, and every page any worker served
is served by all of them while Postgres is away.

Against gunicorn with five sync workers, production settings and no REDIS_URL, on a throwaway
Postgres cluster the test makes, stops and starts itself: never the shared server. Renders are
counted from the server's own log (articles.caching.pages logs each page it makes at DEBUG)."""

import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from deploy.services import PG_BIN, Gunicorn, Postgres, ServiceError
from tests.servers import manage, production_env, request

REFERENCE = "/world/blinken-heads-to-israel-as-ceasefire-talks-gain-momentum/"
WORKERS = 5


@pytest.fixture(scope="module")
def cluster():
    if not (PG_BIN / "initdb").exists():
        pytest.skip("Postgres 15 server binaries are not installed")
    root = Path(tempfile.mkdtemp(prefix="newsroom-shared-copies-pg-"))
    postgres = Postgres.primary(root).start()
    postgres.psql("CREATE DATABASE newsroom")
    yield postgres
    postgres.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def site(cluster, tmp_path_factory):
    """Five workers, no Redis: yields the running server (its port and its log)."""
    root = tmp_path_factory.mktemp("shared-copies-site")
    env = production_env(
        root,
        cluster.url("newsroom"),
        DJANGO_LOG_LEVEL="DEBUG",
        NEWSROOM_PAGE_CACHE_SECONDS="60",
    )
    assert "REDIS_URL" not in env
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo", "--comments", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    try:
        server = Gunicorn(root, env, WORKERS).start()
    except ServiceError as error:
        pytest.fail(str(error))
    yield server
    server.stop()


def many_at_once(port, path, times=40) -> list[tuple[int, str]]:
    """`path` asked `times` times from 16 connections at once: (status, page) of each."""
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = pool.map(lambda _: request(port, "GET", path), range(times))
        return [(status, html) for status, _, html in answers]


def renders(server, path) -> int:
    line = f"Rendering {path}: no fresh copy\n"
    return server.log.read_text().count(line)


def test_a_page_is_rendered_once_for_every_worker(site):
    assert request(site.port, "GET", "/")[0] == 200

    answers = many_at_once(site.port, "/")

    assert {status for status, _ in answers} == {200}
    assert all("Blinken heads to Israel" in html for _, html in answers)
    assert renders(site, "/") == 1


def test_every_page_any_worker_served_is_served_by_all_while_the_database_is_away(cluster, site):
    pages = [REFERENCE, "/world/", "/tag/hostage-deal/"]
    for path in pages:  # each made by one worker
        assert request(site.port, "GET", path)[0] == 200
        assert renders(site, path) == 1

    cluster.stop()
    try:
        for path in pages:
            answers = many_at_once(site.port, path, times=3 * WORKERS)
            assert {status for status, _ in answers} == {200}, path
            assert all("Blinken heads to Israel" in html for _, html in answers), path
    finally:
        cluster.start()
