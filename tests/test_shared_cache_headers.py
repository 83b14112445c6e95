"""What the app tells a shared cache in front, and only it (issue 19): surrogate keys go out only
when a cache purges by them, a page not found is kept briefly under a key publishing purges, the
redirect to HTTPS is kept by no cache, and purge addresses without the purge secret are a check."""

import pytest
from django.core.checks import run_checks

from tests.factories import make_article, make_section
from tests.wsgi_client import wsgi_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return make_article(section=make_section("World", slug="world"), headline="Talks resume")


def cache_control(response) -> set[str]:
    return {word.strip() for word in response["Cache-Control"].split(",")}


def test_without_a_purging_cache_readers_are_not_told_the_surrogate_keys(settings, story):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    settings.NEWSROOM_PURGE_URLS = []
    for url in ["/world/", story.get_absolute_url()]:
        # Rendered, served from the page's copy, then answered before Django.
        answers = [wsgi_get(url) for _ in range(3)]
        assert not answers[-1].handled_by_django
        for answer in answers:
            assert "xkey" not in {name.lower() for name in answer.headers}, url
    missing = wsgi_get("/world/no-such-story/")
    assert missing.status == 404 and "xkey" not in {name.lower() for name in missing.headers}


def test_a_purging_cache_in_front_is_told_what_each_page_shows(settings, story):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    settings.NEWSROOM_PURGE_URLS = ["http://127.0.0.1:6083/"]
    for answer in [wsgi_get("/world/") for _ in range(3)]:
        assert f"story-{story.pk}" in answer.headers["xkey"].split()


def test_a_page_not_found_is_kept_ten_seconds_under_the_key_publishing_purges(client, story):
    response = client.get("/world/no-such-story/")

    assert response.status_code == 404
    assert cache_control(response) == {"public", "max-age=10", "s-maxage=10"}
    assert set(response["xkey"].split()) == {"missing", "site"}


def test_staff_get_their_page_not_found_privately(admin_client, story):
    response = admin_client.get("/world/no-such-story/")

    assert response.status_code == 404
    assert {"private", "no-store"} <= cache_control(response)
    assert "xkey" not in response


@pytest.fixture
def https_site(settings):
    """DJANGO_HTTPS's settings; a new middleware chain reads them."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.MIDDLEWARE = [*settings.MIDDLEWARE]


def test_the_redirect_to_https_is_kept_by_no_cache(client, https_site, story):
    response = client.get("/world/?page=1", headers={"x-forwarded-proto": "http"})

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/world/?page=1"
    assert {"private", "no-store"} <= cache_control(response)


def test_a_redirect_to_another_address_stays_cacheable(client, https_site, story):
    response = client.get(
        f"/elsewhere/{story.slug}/", headers={"x-forwarded-proto": "https"}
    )  # the story's section is another

    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()
    assert "no-store" not in response.get("Cache-Control", "")


def test_purge_addresses_without_the_purge_secret_raise_a_check(settings):
    settings.NEWSROOM_PURGE_URLS = ["http://127.0.0.1:6083/"]
    settings.NEWSROOM_PURGE_SECRET = ""
    assert "newsroom.W002" in [message.id for message in run_checks()]

    settings.NEWSROOM_PURGE_SECRET = "a-long-random-secret"
    assert "newsroom.W002" not in [message.id for message in run_checks()]
