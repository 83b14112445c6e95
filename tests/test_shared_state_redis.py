"""With REDIS_URL, what several app servers must agree on lives in Redis: cached pages and
their freshness, comment rate limits and staff sessions. Two gunicorn servers on different
ports share the real Redis (database TEST_REDIS_DB) and the test database."""

import os

import pytest
import redis
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection

from articles.models import Article
from deploy.services import Gunicorn

from .factories import make_article
from .live_servers import Reader, post_comment, server_env, static_root

__all__ = ["static_root"]

REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('TEST_REDIS_DB', '9')}"


@pytest.fixture
def shared_redis(settings):
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    # This process too: an editor's save here must reach whatever the servers read.
    shared = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    settings.CACHES = {"default": shared, "versions": shared}
    yield client
    client.flushdb()


@pytest.fixture(scope="module")
def running(django_db_setup, static_root, tmp_path_factory):
    """Two servers on the test database, for the whole module; each test brings its data."""
    tmp_path = tmp_path_factory.mktemp("servers")
    database = connection.settings_dict
    env = server_env(
        static_root,
        tmp_path,
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        REDIS_URL=REDIS_URL,
        NEWSROOM_PAGE_CACHE_SECONDS="60",
        COMMENTS_RATE_LIMIT_PER_MINUTE="2",
    )
    started = []
    try:
        for _ in range(2):
            started.append(Gunicorn(tmp_path, env, workers=1).start())
        yield started
    finally:
        for server in started:
            server.stop()
            print(server.log.read_text()[-3000:])  # shown when a test failed


@pytest.fixture
def servers(running, transactional_db, django_db_serialized_rollback, shared_redis):
    # Committed data the servers can see; the migrations' data (groups) restored afterwards.
    return running


def test_a_cached_page_and_its_freshness_are_shared_by_both_servers(servers, shared_redis):
    one, two = servers
    story = make_article(headline="Harbour reopens after the storm")
    reader = Reader(host="localhost")
    html = reader.get(one.url + "/")[2]
    assert "Harbour reopens" in html
    assert shared_redis.dbsize() > 0, "the page was not cached in Redis"
    # Changed behind the app's back (no save signal): server two serves the copy server one made.
    Article.objects.filter(pk=story.pk).update(headline="Changed without telling anyone")
    assert "Harbour reopens" in reader.get(two.url + "/")[2]
    # An editor's save: both servers show it on the next request.
    story.refresh_from_db()
    story.headline = "Harbour reopens, ferries resume"
    story.save()
    for server in servers:
        assert "Harbour reopens, ferries resume" in reader.get(server.url + "/")[2]


def test_the_comment_rate_limit_counts_posts_to_either_server(servers):
    one, two = servers
    story = make_article()
    path = story.get_absolute_url()
    reader = Reader()
    assert post_comment(reader, one.url, path)[0] == 303
    assert post_comment(reader, two.url, path, body="Second thought.")[0] == 303
    assert post_comment(reader, one.url, path, body="Third thought.")[0] == 429
    assert post_comment(Reader(), two.url, path, body="Fourth thought.")[0] == 429


def test_a_staff_session_made_on_one_server_works_on_the_other_and_lives_in_redis(
    servers, shared_redis, settings
):
    one, two = servers
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    User.objects.create_user("desk", "desk@example.com", "a long desk password", is_staff=True)
    staff = Reader()
    status, headers, _ = staff.submit(
        one.url + "/admin/login/?next=/admin/",
        "/admin/login/?next=/admin/",
        username="desk",
        password="a long desk password",
    )
    assert status == 302 and headers["Location"] == "/admin/"
    status, _, html = staff.get(two.url + "/admin/")
    assert status == 200 and "Log out" in html
    session_key = next(cookie.value for cookie in staff.cookies if cookie.name == "sessionid")
    assert Session.objects.filter(session_key=session_key).exists()
    assert any(session_key.encode() in key for key in shared_redis.keys("*sessions*"))
