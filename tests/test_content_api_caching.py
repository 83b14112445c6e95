"""The API's answers are cached like reader pages: public with s-maxage, an ETag and
Last-Modified for 304s, surrogate keys naming what they show, and a copy per key (Vary:
Authorization). tests/test_content_api_varnish.py proves it through the shipped Varnish."""

import pytest
from django.utils.http import http_date

from articles.public.invalidation import story_change_keys
from tests.api_helpers import api_get, make_key
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def key():
    return make_key()


@pytest.fixture
def story():
    return make_article(
        section=make_section(slug="world"), authors=[make_author(slug="dana")], tags=["Energy"]
    )


def test_answers_are_public_cacheable_and_vary_on_the_key(client, key, story):
    for path in ["/api/v1/stories/", f"/api/v1/stories/{story.pk}/", "/api/v1/front-page/"]:
        response = api_get(client, path, key)
        cache_control = response["Cache-Control"]
        assert cache_control == (
            "public, max-age=60, s-maxage=60, stale-while-revalidate=30, stale-if-error=86400"
        ), path
        assert "Expires" not in response, path
        assert "Authorization" in response["Vary"], path
        assert response.cookies == {} or not response.cookies


def test_a_repeat_request_gets_304_by_etag_or_by_date(client, key, story):
    path = f"/api/v1/stories/{story.pk}/"
    first = api_get(client, path, key)
    assert first["Last-Modified"] == http_date(int(story.modified_at.timestamp()))

    assert api_get(client, path, key, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    since = api_get(client, path, key, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    listed = api_get(client, "/api/v1/stories/", key)
    again = api_get(client, "/api/v1/stories/", key, HTTP_IF_NONE_MATCH=listed["ETag"])
    assert again.status_code == 304

    story.headline = "A new headline"
    story.save()

    changed = api_get(client, path, key, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["headline"] == "A new headline"
    assert changed["ETag"] != first["ETag"]


def test_a_304_still_needs_a_valid_key(client, key, story):
    path = f"/api/v1/stories/{story.pk}/"
    etag = api_get(client, path, key)["ETag"]
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 401


def test_answers_name_what_they_show_so_a_story_change_purges_them(client, key, story):
    other = make_article()
    shown = set(api_get(client, f"/api/v1/stories/{story.pk}/", key)["xkey"].split())
    listed = set(api_get(client, "/api/v1/stories/?section=world", key)["xkey"].split())

    touched = story_change_keys(story, story)
    assert shown & touched and listed & touched
    assert f"story-{other.pk}" not in shown | listed  # exactly: another story's change misses
    assert not set(api_get(client, f"/api/v1/stories/{other.pk}/", key)["xkey"].split()) & {
        f"story-{story.pk}"
    }
    # Every answer also names the key it was made for, purged when the key is revoked.
    assert any(name.startswith("api-key-") for name in shown)


def test_a_new_story_purges_the_lists_it_joins(client, key, story):
    listed = set(api_get(client, "/api/v1/stories/", key)["xkey"].split())
    newcomer = make_article()
    assert story_change_keys(newcomer, None) & listed  # "latest": every story list


def test_errors_are_never_shared(client, key):
    for response in [
        client.get("/api/v1/stories/"),
        api_get(client, "/api/v1/stories/?limit=0", key),
        api_get(client, "/api/v1/stories/999999/", key),
    ]:
        assert "private" in response["Cache-Control"]
        assert "xkey" not in response


def test_a_kept_answer_runs_no_query_until_the_content_changes(
    client, key, story, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    path = f"/api/v1/stories/{story.pk}/"
    first = api_get(client, path, key)
    # Expect 0 queries: the API key is kept (in the cache every worker shares), its rate is
    # counted in the cache, and the answer is the copy.
    with django_assert_num_queries(0):
        kept = api_get(client, path, key)
    assert kept.content == first.content and kept["xkey"] == first["xkey"]
    assert kept["ETag"] == first["ETag"]
    assert kept["Cache-Control"] == first["Cache-Control"]
    assert "no-store" not in first["Cache-Control"]
    # Another format of the same address is another answer.
    assert "uri" in api_get(client, f"{path}?format=ninjs", key).json()

    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "A new headline"
        story.save()

    assert api_get(client, path, key).json()["headline"] == "A new headline"


def test_a_kept_answer_is_served_only_to_a_valid_key(client, key, story, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    api_get(client, "/api/v1/stories/", key)
    assert client.get("/api/v1/stories/").status_code == 401
    assert api_get(client, "/api/v1/stories/?limit=0", key).status_code == 400
