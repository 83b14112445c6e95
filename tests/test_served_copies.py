"""A plain anonymous read of a cached page is answered before the middleware stack, with
exactly the answer the whole stack gave, and never once its copy is no longer fresh."""

import pytest
from django.test import Client

from articles.page_cache import purge
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def story():
    return make_article(section=make_section("World", slug="world"), headline="Talks resume")


def _answers(client, url, times=3, **headers):
    return [client.get(url, headers=headers) for _ in range(times)]


@pytest.mark.parametrize("encoding", ["", "gzip, deflate, br"])
@pytest.mark.parametrize("url", ["/", "/world/", "/feed/"])
def test_later_hits_carry_the_same_headers_and_body(story, url, encoding):
    client = Client()
    _, hit, answered_early = _answers(client, url, **{"accept-encoding": encoding})

    assert answered_early.status_code == 200
    assert answered_early.content == hit.content
    without_age = {name: value for name, value in hit.items() if name != "Age"}
    assert {n: v for n, v in answered_early.items() if n != "Age"} == without_age
    assert "Age" in answered_early
    assert ("Content-Encoding" in answered_early) == bool(encoding)


def test_an_editorial_change_is_shown_on_the_next_request(
    client, django_capture_on_commit_callbacks, story
):
    _answers(client, "/")
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Talks collapse"
        story.save()
        purge([f"story-{story.pk}"])

    assert b"Talks collapse" in client.get("/").content


def test_a_request_with_cookies_or_conditions_takes_the_whole_stack(client, story):
    url = story.get_absolute_url()
    *_, answered_early = _answers(client, url)
    etag = answered_early["ETag"]

    # The reader's copy is still good: 304, which only the whole stack answers.
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    client.cookies["sessionid"] = "unknown"
    assert client.get(url).content == answered_early.content
