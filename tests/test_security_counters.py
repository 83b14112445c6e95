"""Security counters are kept where page copies cannot evict them. With REDIS_URL, Redis runs with
allkeys-lru: a flood of cached pages may evict any key in it. A gunicorn server with production
settings on the real Redis (database TEST_REDIS_DB) and the test database; emptying Redis
entirely stands for the worst such a flood can do."""

import os
import threading
from datetime import timedelta

import pytest
import redis
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from deploy.services import Gunicorn
from newsroom import counters
from newsroom.models import SecurityCounter
from tests.conftest import PASSWORD
from tests.live_servers import Reader, server_env, static_root

__all__ = ["static_root"]

REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('TEST_REDIS_DB', '9')}"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(scope="module")
def server(django_db_setup, static_root, tmp_path_factory):
    root = tmp_path_factory.mktemp("counters")
    database = connection.settings_dict
    env = server_env(
        static_root,
        root,
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        REDIS_URL=REDIS_URL,
        NEWSROOM_PAGE_CACHE_SECONDS="60",
        # Behind one trusted proxy, so that each test's guesses come from addresses of its own.
        COMMENTS_TRUSTED_PROXIES="1",
        # Above the first test's 7 attempts, so that only django-axes answers there.
        NEWSROOM_LOGIN_CEILING="8",
    )
    started = Gunicorn(root, env, workers=2).start()
    yield started
    started.stop()


@pytest.fixture
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def editor_account(server, transactional_db, django_db_serialized_rollback, shared_redis):
    return User.objects.create_user("editor", "editor@example.com", PASSWORD, is_staff=True)


def log_in(server, password, address, username="editor"):
    reader = Reader()
    reader.opener.addheaders = [("X-Forwarded-For", address)]
    status, headers, html = reader.submit(
        server.url + LOGIN, LOGIN, username=username, password=password
    )
    return status, headers.get("Location"), html


def test_a_locked_pair_stays_locked_when_everything_in_redis_is_evicted(
    server, editor_account, shared_redis
):
    for _ in range(5):
        log_in(server, "wrong", "192.0.2.77")
    assert log_in(server, PASSWORD, "192.0.2.77")[0] == 429
    Reader().get(server.url + "/")  # the site is using Redis: sessions, pages
    assert shared_redis.dbsize() > 0

    shared_redis.flushdb()

    status, _, html = log_in(server, PASSWORD, "192.0.2.77")
    assert status == 429 and "Too many failed logins" in html


def test_an_account_over_its_ceiling_stays_paused_when_everything_in_redis_is_evicted(
    server, editor_account, shared_redis
):
    for n in range(8):  # the ceiling here: 8, from eight addresses
        log_in(server, "wrong", f"198.51.100.{n}")
    assert log_in(server, PASSWORD, "203.0.113.5")[0] == 429

    shared_redis.flushdb()

    status, _, html = log_in(server, PASSWORD, "203.0.113.5")
    assert status == 429 and "Logins to this account are paused" in html
    count, _ = counters.current(counters.counter_key("login-ceiling", "editor"))
    assert count >= 8


def test_a_count_runs_through_its_window_and_starts_afresh_after_it(db, monkeypatch):
    monkeypatch.setattr(counters, "SWEEP_EVERY", 1)
    assert [counters.hit("a", timedelta(minutes=5)) for _ in range(3)] == [1, 2, 3]
    counters.hit("b", timedelta(minutes=5))
    SecurityCounter.objects.filter(key="a").update(expires_at=timezone.now())

    assert counters.current("a") == (0, None)
    assert counters.hit("b", timedelta(minutes=5)) == 2  # and "a", expired, is deleted
    assert set(SecurityCounter.objects.values_list("key", flat=True)) == {"b"}
    assert counters.hit("a", timedelta(minutes=5)) == 1


def test_attempts_made_at_the_same_moment_are_each_counted(
    transactional_db, django_db_serialized_rollback
):
    """One statement per count: no two requests read the same count and both write it plus one."""
    start = threading.Barrier(8)

    def guess():
        start.wait()
        for _ in range(5):
            counters.hit("login-ceiling:editor", timedelta(minutes=5))
        connection.close()

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert counters.current("login-ceiling:editor")[0] == 40
