"""Who may read the content API: a valid, unrevoked key, within its rate. Keys are made by
editors (admin, or `manage.py create_api_key`), stored hashed, and revoked in the admin."""

import hashlib
import io
import os
import time

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from redis import Redis

from articles.models import ApiKey
from tests.api_helpers import api_get, make_key
from tests.factories import make_article

pytestmark = pytest.mark.django_db

REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "9"))
ENDPOINTS = [
    "stories/", "sections/", "topics/", "authors/", "corrections/", "photos/", "front-page/",
]  # fmt: skip


@pytest.fixture
def story():
    return make_article()


def test_a_request_without_a_key_is_refused_with_401_on_every_endpoint(client, story):
    for endpoint in [*ENDPOINTS, f"stories/{story.pk}/"]:
        response = client.get(f"/api/v1/{endpoint}")
        assert response.status_code == 401, endpoint
        assert response["WWW-Authenticate"] == 'Api-Key realm="api"'
        assert "Api-Key" in response.json()["detail"]
        assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    "header",
    ["Api-Key nonsense", "Api-Key abcdefgh.wrong-secret", "Bearer x", "Api-Key ", "Token abc"],
)
def test_a_wrong_key_is_refused_with_401(client, story, header):
    real = make_key()
    wrong = header.replace("abcdefgh", real.partition(".")[0])
    response = client.get("/api/v1/stories/", HTTP_AUTHORIZATION=wrong)
    assert response.status_code == 401


def test_a_revoked_key_is_refused_with_401(client, story):
    key = make_key()
    assert api_get(client, "/api/v1/stories/", key).status_code == 200

    ApiKey.objects.get().revoke()

    response = api_get(client, "/api/v1/stories/", key)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_a_staff_session_gives_no_api_access(client, story):
    client.force_login(User.objects.create_superuser("boss", "boss@example.com", "x"))
    for endpoint in ENDPOINTS:
        assert client.get(f"/api/v1/{endpoint}").status_code == 401


def test_keys_are_stored_as_a_hash_of_their_secret_only():
    key, presented = ApiKey.objects.create_key("iOS app")
    prefix, _, secret = presented.partition(".")
    assert key.prefix == prefix and len(secret) >= 40
    assert key.hashed_secret == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiKey.objects.filter(pk=key.pk).values().get())
    assert ApiKey.objects.authenticate(presented) == key
    assert ApiKey.objects.authenticate(f"{prefix}.{secret[:-1]}x") is None


def test_create_api_key_prints_a_key_that_works(client, story):
    out = io.StringIO()
    call_command("create_api_key", "Partner: Ynet", stdout=out)
    presented = out.getvalue().strip()
    assert ApiKey.objects.get().name == "Partner: Ynet"
    assert api_get(client, "/api/v1/stories/", presented).status_code == 200


def test_an_editor_makes_a_key_in_the_admin_sees_it_once_and_revokes_it(editor_client, story):
    response = editor_client.post("/admin/articles/apikey/add/", {"name": "Newsletter"})
    assert response.status_code == 200  # the key is on this page, not carried to another
    assert "no-store" in response["Cache-Control"] and not response.cookies.get("messages")
    presented = response.context["presented"]
    assert f'value="{presented}"' in response.content.decode()
    key = ApiKey.objects.get(name="Newsletter")
    assert presented.startswith(key.prefix) and key.created_by.username == "editor"
    assert api_get(Client(), "/api/v1/stories/", presented).status_code == 200
    # The key is never shown again.
    assert (
        presented
        not in editor_client.get(f"/admin/articles/apikey/{key.pk}/change/").content.decode()
    )

    editor_client.post(
        "/admin/articles/apikey/",
        {"action": "revoke", "_selected_action": [key.pk]},
    )

    key.refresh_from_db()
    assert key.revoked_at is not None
    assert api_get(Client(), "/api/v1/stories/", presented).status_code == 401


def test_reporters_and_moderators_cannot_see_or_make_keys(reporter_client, moderator):
    assert reporter_client.get("/admin/articles/apikey/").status_code == 403
    assert reporter_client.post("/admin/articles/apikey/add/", {"name": "Mine"}).status_code == 403
    moderator_client = Client()
    moderator_client.force_login(moderator)
    assert moderator_client.get("/admin/articles/apikey/").status_code == 403
    assert not ApiKey.objects.exists()


@pytest.fixture
def redis_cache(settings):
    """The real Redis, as every worker and server shares it in production (REDIS_URL)."""
    Redis(db=REDIS_DB).flushdb()
    url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url},
    }
    yield caches["default"]
    Redis(db=REDIS_DB).flushdb()


def away_from_a_minute_boundary():
    """The limit is per clock minute: start a few seconds inside one."""
    if time.time() % 60 > 55:
        time.sleep(60 - time.time() % 60 + 0.1)


def test_a_key_over_its_rate_gets_429_with_retry_after_counted_in_redis(
    client, story, redis_cache, settings
):
    settings.NEWSROOM_API_RATE_PER_MINUTE = 3
    first, second = make_key("First"), make_key("Second")
    away_from_a_minute_boundary()
    assert [api_get(client, "/api/v1/stories/", first).status_code for _ in range(3)] == [200] * 3

    refused = api_get(client, "/api/v1/stories/", first)

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "private" in refused["Cache-Control"]
    # The count is in Redis, where every worker and server reads and adds to it.
    counters = Redis(db=REDIS_DB).keys("*api:rate:*")
    assert len(counters) == 1 and int(Redis(db=REDIS_DB).get(counters[0])) == 4
    # Another key has its own count.
    assert api_get(client, "/api/v1/stories/", second).status_code == 200


def test_another_worker_sees_the_same_count(client, story, redis_cache, settings):
    """A second cache connection (another worker) adds to the count this one is refused by."""
    from django.core.cache.backends.redis import RedisCache

    settings.NEWSROOM_API_RATE_PER_MINUTE = 2
    key = make_key()
    away_from_a_minute_boundary()
    assert api_get(client, "/api/v1/stories/", key).status_code == 200
    other_worker = RedisCache(settings.CACHES["default"]["LOCATION"], {})
    counter = f"api:rate:{ApiKey.objects.get().pk}:{int(time.time() // 60)}"
    assert other_worker.incr(counter) == 2

    assert api_get(client, "/api/v1/stories/", key).status_code == 429
