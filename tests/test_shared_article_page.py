"""The article page is one page for every anonymous reader: no cookie, public caching, and a
comment form that works without cookies, refuses cross-site posts and bots that are too fast."""

import time
from unittest import mock

import pytest
from django.test import Client

from comments.forms import EXPIRED_MESSAGE, TIMESTAMP_MAX_AGE, issue_timestamp
from comments.models import Comment
from comments.outcomes import SENT_MESSAGE
from tests.factories import make_article, make_author, make_section
from tests.factories_comments import comments_region, form_data, post_url

pytestmark = pytest.mark.django_db

READER_PAGES = ["/", "/world/", "/tag/energy/", "/author/dana-levi/", "/feed/", "/robots.txt"]


@pytest.fixture
def story():
    return make_article(
        section=make_section("World", slug="world"),
        authors=[make_author("Dana Levi", slug="dana-levi")],
        tags=["Energy"],
    )


def cookieless_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_an_anonymous_article_page_sets_no_cookie_and_any_cache_may_keep_it(story):
    response = cookieless_client().get(story.get_absolute_url())

    assert response.status_code == 200
    assert not response.cookies
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=60", "s-maxage=60"} <= directives
    assert any(d.startswith("stale-while-revalidate=") for d in directives)
    assert any(d.startswith("stale-if-error=") for d in directives)


@pytest.mark.parametrize("url", READER_PAGES)
def test_every_anonymous_reader_page_sets_no_cookie_and_is_public(story, url):
    response = cookieless_client().get(url)

    assert response.status_code == 200
    assert not response.cookies
    assert response["Cache-Control"].startswith("public, ")
    assert "stale-if-error=" in response["Cache-Control"]


def test_staff_get_private_pages_that_no_cache_keeps(editor_client, story):
    response = editor_client.get(story.get_absolute_url())

    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_the_page_names_what_it_shows_for_shared_caches(story):
    response = Client().get(story.get_absolute_url())

    keys = response["xkey"].split()
    assert f"story-{story.pk}" in keys
    assert f"comments-{story.pk}" in keys
    assert f"section-{story.section_id}" in keys
    assert f"tag-{story.tags.get().pk}" in keys
    assert f"author-{story.authors.get().pk}" in keys


def started_on(html: str) -> str:
    return html.split('name="started" value="')[1].split('"')[0]


def test_a_reader_without_cookies_posts_from_the_page_and_lands_on_a_page_shared_by_all(story):
    reader = cookieless_client()
    started = started_on(reader.get(story.get_absolute_url()).content.decode())

    with mock.patch("time.time", return_value=time.time() + 20):  # the reader takes 20 s
        response = reader.post(
            post_url(story),
            form_data(story, started=started),
            HTTP_SEC_FETCH_SITE="same-origin",
            HTTP_ORIGIN="http://testserver",
        )

    assert response.status_code == 303
    assert response["Location"] == f"{story.get_absolute_url()}?comment=sent#comments"
    assert Comment.objects.get().status == Comment.Status.PENDING
    landing = Client().get(response["Location"])  # anyone at all
    assert SENT_MESSAGE in comments_region(landing.content.decode())
    assert landing["Cache-Control"].startswith("public, ")
    assert not landing.cookies


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://shop.testserver"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "https://testserver"},  # another scheme is another origin
    ],
)
def test_a_post_from_another_origin_gets_a_clear_403_and_nothing_is_stored(story, headers):
    response = cookieless_client().post(post_url(story), form_data(story), **headers)

    assert response.status_code == 403
    assert "Your comment was not sent" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_SEC_FETCH_SITE": "none"},
        {"HTTP_ORIGIN": "http://testserver"},
        {},  # neither header: not a browser, so no forgery; the spam checks still apply
    ],
)
def test_a_post_from_this_site_or_from_no_browser_passes(story, headers):
    response = cookieless_client().post(post_url(story), form_data(story), **headers)

    assert response.status_code == 303
    assert Comment.objects.count() == 1


def test_a_trusted_origin_may_post(settings, story):
    settings.CSRF_TRUSTED_ORIGINS = ["https://news.example"]

    response = cookieless_client().post(
        post_url(story),
        form_data(story),
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_ORIGIN="https://news.example",
    )

    assert response.status_code == 303


def test_a_form_sent_back_too_fast_is_still_stored_as_spam(story):
    started = started_on(Client().get(story.get_absolute_url()).content.decode())

    cookieless_client().post(post_url(story), form_data(story, started=started))

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert "too_fast" in comment.flags


def test_a_signed_time_from_another_story_is_not_accepted(story):
    other = make_article()

    cookieless_client().post(
        post_url(story), form_data(story, started=issue_timestamp(other.pk, time.time() - 60))
    )

    assert Comment.objects.get().status == Comment.Status.SPAM


def test_an_expired_form_is_shown_again_with_what_was_typed_and_a_fresh_time(story):
    # A page rendered a day and a minute ago (signing stamps the time it signs at, too).
    with mock.patch("time.time", return_value=time.time() - TIMESTAMP_MAX_AGE - 60):
        old = issue_timestamp(story.pk)

    response = cookieless_client().post(
        post_url(story), form_data(story, started=old, body="Kept after a long lunch.")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert EXPIRED_MESSAGE in html
    assert "Kept after a long lunch." in html
    assert started_on(html) != old
    assert "no-store" in response["Cache-Control"]
    assert Comment.objects.count() == 0


def test_field_errors_keep_what_the_reader_typed_and_are_never_cached(story):
    response = cookieless_client().post(
        post_url(story), form_data(story, email="not an address", body="My careful words.")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "My careful words." in html
    assert "not an address" in html
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
