"""Kept API answers cost what kept reader pages cost (articles/api/served.py): no query, and
served before Django runs, through the WSGI application gunicorn serves. Never to a request
whose key is missing, wrong, revoked, deleted or of another consumer class than the answer's,
and a key's change reaches every worker at once (its kept entry is in the cache they share)."""

import time

import pytest
from django.core.cache import cache

from articles.models import ApiKey
from tests.api_helpers import api_get
from tests.factories import make_article
from tests.wsgi_client import wsgi_get

pytestmark = pytest.mark.django_db

PATH = "/api/v1/stories/"
SAME = ("Content-Type", "Cache-Control", "ETag", "Last-Modified", "Vary")


@pytest.fixture
def worker(settings):
    """The page cache on, surrogate keys sent (a purging cache in front), and what each worker
    process has: a local-memory cache of its own, and the versions' cache they share."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    settings.NEWSROOM_PURGE_URLS = ["http://127.0.0.1:9/"]  # never reached: nothing commits
    versions = settings.CACHES["versions"]

    def use(name):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": name,
            },
            "versions": versions,
        }

    use("worker-1")
    return use


@pytest.fixture
def story():
    return make_article(headline="Talks resume in Cairo")


def keyed(path, key, **headers):
    return wsgi_get(path, Authorization=f"Api-Key {key}", **headers)


def kept(path, key):
    """The answer made by the stack, and kept whole beside its copy for the next request."""
    made = keyed(path, key)
    assert made.status == 200 and made.handled_by_django
    return made


def test_a_kept_answer_runs_no_query_and_no_django(worker, story, django_assert_num_queries):
    _, key = ApiKey.objects.create_key("App")
    made = kept(PATH, key)

    with django_assert_num_queries(0):
        served = keyed(PATH, key)

    assert served.status == 200 and not served.handled_by_django
    assert served.body == made.body and "Talks resume in Cairo" in served.body.decode()
    for header in SAME:
        assert served.headers.get(header) == made.headers.get(header), header
    assert "Authorization" in served.headers["Vary"] and "Accept" in served.headers["Vary"]
    assert "public" in served.headers["Cache-Control"]
    assert set(served.headers["xkey"].split()) == set(made.headers["xkey"].split())


def test_a_kept_answer_answers_304_to_its_etag_before_django(worker, story):
    _, key = ApiKey.objects.create_key("App")
    made = kept(PATH, key)
    etag = made.headers["ETag"]
    from_the_stack = keyed(PATH, key, If_Modified_Since=made.headers["Last-Modified"])
    assert from_the_stack.status == 304 and from_the_stack.handled_by_django

    for asked in [etag, f"W/{etag}", f'"other", {etag}', "*"]:
        answer = keyed(PATH, key, If_None_Match=asked)
        assert answer.status == 304 and not answer.handled_by_django, asked
        assert answer.body == b"" and "Content-Type" not in answer.headers
        for header in ("Cache-Control", "ETag", "Last-Modified"):
            assert answer.headers[header] == from_the_stack.headers[header], header
        # The 200's own Vary (the stack's 304 leaves out Accept-Encoding, which gzip adds).
        assert answer.headers["Vary"] == made.headers["Vary"]
    other = keyed(PATH, key, If_None_Match='"other"')
    assert other.status == 200 and other.body == made.body and not other.handled_by_django
    # Never to a request without the key.
    assert wsgi_get(PATH, If_None_Match=etag).status == 401


def test_the_test_clients_second_request_runs_no_query(
    client, worker, story, django_assert_num_queries
):
    _, key = ApiKey.objects.create_key("App")
    first = api_get(client, f"/api/v1/stories/{story.pk}/", key)
    with django_assert_num_queries(0):
        second = api_get(client, f"/api/v1/stories/{story.pk}/", key)
    assert second.status_code == 200 and second.content == first.content


def test_another_key_gets_the_answer_naming_itself(worker, story):
    first, key = ApiKey.objects.create_key("App")
    other, other_key = ApiKey.objects.create_key("Partner")
    kept(PATH, key)

    served = keyed(PATH, other_key)

    assert served.status == 200 and not served.handled_by_django
    # Named for the key that asked: revoking it purges the copies made for it in front.
    assert f"api-key-{other.pk}" in served.headers["xkey"].split()
    assert f"api-key-{first.pk}" not in served.headers["xkey"].split()


@pytest.mark.parametrize(
    "authorization", ["", "Api-Key {prefix}.wrong-secret", "Api-Key {prefix}", "Bearer {key}"]
)
def test_no_key_or_a_wrong_one_never_gets_a_kept_answer(worker, story, authorization):
    _, key = ApiKey.objects.create_key("App")
    kept(PATH, key)
    assert not keyed(PATH, key).handled_by_django  # kept, and served to its key before Django
    header = authorization.format(prefix=key.partition(".")[0], key=key)

    answer = wsgi_get(PATH, **({"Authorization": header} if header else {}))

    assert answer.status == 401 and answer.handled_by_django
    assert b"Talks resume" not in answer.body


@pytest.mark.parametrize("change", ["revoke", "delete"])
def test_a_revoked_or_deleted_key_is_refused_at_once_in_every_worker(client, worker, story, change):
    api_key, key = ApiKey.objects.create_key("App")
    for name in ("worker-1", "worker-2"):
        worker(name)
        kept(PATH, key)
        assert not keyed(PATH, key).handled_by_django

    if change == "revoke":
        api_key.revoke()
    else:
        ApiKey.objects.filter(pk=api_key.pk).delete()  # a queryset's delete, as the admin's

    for name in ("worker-1", "worker-2"):
        worker(name)
        refused = keyed(PATH, key)
        assert refused.status == 401 and b"Talks resume" not in refused.body, name
        assert api_get(client, PATH, key).status_code == 401, name


def test_another_consumer_class_never_gets_anothers_kept_answer(worker, story, monkeypatch):
    _, key = ApiKey.objects.create_key("App")
    kept(PATH, key)
    assert not keyed(PATH, key).handled_by_django

    # Were the key of another class (with other rights), its answers would be its own.
    monkeypatch.setattr(ApiKey, "consumer_class", "partner")

    answer = keyed(PATH, key)
    assert answer.status == 200 and answer.handled_by_django


def away_from_a_minute_boundary():
    if time.time() % 60 > 55:
        time.sleep(60 - time.time() % 60 + 0.1)


def test_kept_answers_count_toward_the_rate_once_each_and_429_past_it(worker, story, settings):
    settings.NEWSROOM_API_RATE_PER_MINUTE = 4
    api_key, key = ApiKey.objects.create_key("App")
    away_from_a_minute_boundary()
    kept(PATH, key)
    assert [keyed(PATH, key).handled_by_django for _ in range(3)] == [False] * 3

    refused = keyed(PATH, key)

    assert refused.status == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "private" in refused.headers["Cache-Control"]
    assert cache.get(f"api:rate:{api_key.pk}:{int(time.time() // 60)}") == 5


def test_a_story_change_reaches_the_next_request(worker, story, django_capture_on_commit_callbacks):
    _, key = ApiKey.objects.create_key("App")
    kept(f"/api/v1/stories/{story.pk}/", key)
    assert not keyed(f"/api/v1/stories/{story.pk}/", key).handled_by_django

    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Talks collapse in Cairo"
        story.save()

    answer = keyed(f"/api/v1/stories/{story.pk}/", key)
    assert answer.handled_by_django and b"Talks collapse in Cairo" in answer.body
