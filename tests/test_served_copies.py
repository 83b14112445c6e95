"""A plain anonymous read of a cached page is answered before Django handles the request, with
exactly the answer the whole stack gave, and never once its copy is no longer fresh."""

import pytest

from articles.caching import purge
from tests.factories import make_article, make_section
from tests.factories_comments import make_comment
from tests.wsgi_client import wsgi_get

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def story():
    return make_article(section=make_section("World", slug="world"), headline="Talks resume")


def _answers(url, times=3, **headers):
    return [wsgi_get(url, **headers) for _ in range(times)]


@pytest.mark.parametrize("encoding", ["", "gzip, deflate, br"])
@pytest.mark.parametrize("url", ["/", "/world/", "/feed/"])
def test_later_hits_carry_the_same_headers_and_body(
    django_assert_num_queries, story, url, encoding
):
    rendered, hit = _answers(url, times=2, accept_encoding=encoding)
    with django_assert_num_queries(0):
        answered_early = wsgi_get(url, accept_encoding=encoding)

    assert rendered.handled_by_django and hit.handled_by_django
    assert not answered_early.handled_by_django
    assert answered_early.status == 200
    assert answered_early.body == hit.body
    without_age = {name: value for name, value in hit.headers.items() if name != "Age"}
    assert {n: v for n, v in answered_early.headers.items() if n != "Age"} == without_age
    assert "Age" in answered_early.headers
    assert ("Content-Encoding" in answered_early.headers) == bool(encoding)


def test_an_editorial_change_is_shown_on_the_next_request(
    django_capture_on_commit_callbacks, story
):
    *_, answered_early = _answers("/")
    assert not answered_early.handled_by_django
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Talks collapse"
        story.save()
        purge([f"story-{story.pk}"])

    assert b"Talks collapse" in wsgi_get("/").body


def test_a_moderators_decision_is_shown_on_the_next_request(
    django_capture_on_commit_callbacks, story
):
    url = story.get_absolute_url()
    *_, answered_early = _answers(url)
    assert not answered_early.handled_by_django
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(story, body="Approved at last.")

    assert b"Approved at last." in wsgi_get(url).body


def test_an_answer_lives_no_longer_than_its_copy(settings, story):
    *_, answered_early = _answers("/")
    assert not answered_early.handled_by_django

    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    assert wsgi_get("/").handled_by_django


def test_behind_a_proxy_readers_share_answers_but_not_across_schemes(settings, story):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for n in range(3):
        secure = wsgi_get("/", x_forwarded_proto="https", x_forwarded_for=f"203.0.113.{n}")
    assert not secure.handled_by_django  # readers behind the proxy share the kept answer
    assert b'rel="canonical" href="https://' in secure.body

    plain = wsgi_get("/", x_forwarded_for="203.0.113.1")
    assert plain.handled_by_django
    assert b'rel="canonical" href="http://' in plain.body


def test_requests_with_cookies_or_conditions_take_the_whole_stack(story):
    url = story.get_absolute_url()
    *_, answered_early = _answers(url)
    etag = answered_early.headers["ETag"]

    # The reader's copy is still good: 304, which only the whole stack answers.
    conditional = wsgi_get(url, if_none_match=etag)
    assert conditional.status == 304 and conditional.handled_by_django
    with_cookie = wsgi_get(url, cookie="sessionid=unknown")
    assert with_cookie.handled_by_django and with_cookie.body == answered_early.body
    assert wsgi_get(url, range="bytes=0-99").handled_by_django


def test_an_unknown_host_never_gets_an_answer(story):
    for _ in range(3):
        answer = wsgi_get("/", host="evil.example")
        assert answer.status == 400 and answer.handled_by_django
