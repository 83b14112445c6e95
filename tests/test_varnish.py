"""Varnish in front of gunicorn, with the shipped deploy/varnish/default.vcl: anonymous reader
pages are served from Varnish, a change purges exactly the pages showing it (xkey), and staff and
POSTs always reach the app. Only the app servers purge it, only the TLS proxy says who and where a
reader is, a page has one copy whatever tracking parameters its link carries, a page not found is
kept briefly, and readers are told nothing of Varnish (issue 19)."""

import shutil
import time
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from articles.models import Article
from comments.forms import issue_timestamp
from comments.models import Comment
from tests.factories import make_article, make_author, make_section
from tests.factories_comments import make_comment
from tests.servers import gunicorn, manage, production_env, request
from tests.varnish_servers import (
    DIRECT_CLIENT,
    TLS_PROXY,
    Cache,
    backend_request_headers,
    request_from,
    varnishd,
)

pytestmark = [
    # Committed data, for gunicorn to see; the migrations' data (groups) is put back after each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        shutil.which("varnishd") is None, reason="varnishd is not installed (make test installs it)"
    ),
]


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """gunicorn (two workers, local-memory caches) on the test database, and varnishd with the
    shipped VCL in front of it, as in production: its `trusted_proxies` the TLS proxy (here
    TLS_PROXY; the tests' own address is then a client reaching Varnish directly), two proxies
    appending to X-Forwarded-For. Yields (Cache, varnishd's working directory, versions folder)."""
    from django.db import connection

    root = tmp_path_factory.mktemp("varnish-site")
    database_url = f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}"
    cache = Cache()
    env = production_env(
        root,
        database_url,
        **cache.app_env(),
        COMMENTS_TRUSTED_PROXIES="2",
        # Tests post from one address: only the tests of the rate limit itself should meet it.
        COMMENTS_RATE_LIMIT_PER_MINUTE="1000",
    )
    manage(env, "collectstatic", "--noinput", "-v", "0")
    with gunicorn(env, root) as app, varnishd(app, cache, trusted_proxy=TLS_PROXY) as workdir:
        yield cache, workdir, root / "versions"
    # Each test ends by emptying the tables: leave what the migrations made (the groups) for
    # the tests after these and for the next run that reuses the database.
    with django_db_blocker.unblock():
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


@pytest.fixture
def varnish(servers, settings):
    """Varnish's port for readers. This process saves as another app server would: it shares
    gunicorn's versions folder and purges Varnish. Each test starts with nothing cached."""
    cache, _, versions = servers
    settings.CACHES = {
        **settings.CACHES,
        "versions": {**settings.CACHES["versions"], "LOCATION": versions},
    }
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    settings.NEWSROOM_PURGE_URLS = [cache.purge_url]
    settings.NEWSROOM_PURGE_SECRET = cache.secret
    caches["versions"].clear()
    assert purge(cache, {"xkey-purge": "site", "Purge-Secret": cache.secret})[0] == 200
    return cache.port


def purge(cache, headers, port=None):
    return request(port or cache.purge_port, "PURGE", "/", headers=headers)


def staff_user():
    return User.objects.create_superuser("boss", "boss@example.com", "x")


@pytest.fixture
def story():
    return make_article(
        section=make_section("World", slug="world"),
        headline="Talks resume in Cairo",
        authors=[make_author("Dana Levi", slug="dana-levi")],
        tags=["Energy"],
    )


def get(port, path, **headers):
    return request(port, "GET", path, headers=headers)


def test_a_second_request_is_a_hit(varnish, story):
    for path in [story.get_absolute_url(), "/", "/world/", "/feed/"]:
        status, first, _ = get(varnish, path)
        assert status == 200, path
        assert first["X-Cache"] == "MISS"
        status, second, _ = get(varnish, path)
        assert second["X-Cache"] == "HIT", path
        assert "xkey" not in second  # the keys are for Varnish, not readers


def test_an_editors_headline_change_shows_through_varnish_on_the_next_request(varnish, story):
    pages = [story.get_absolute_url(), "/", "/world/", "/tag/energy/"]
    make_article(headline="An unrelated story", authors=[make_author(slug="ann-other")])
    for path in [*pages, "/author/ann-other/"]:
        get(varnish, path)
        assert get(varnish, path)[1]["X-Cache"] == "HIT"

    story.headline = "Talks collapse in Cairo"
    story.save()  # committed at once: the purge goes out

    for path in pages:
        _, headers, html = get(varnish, path)
        assert "Talks collapse in Cairo" in html, path
        assert headers["X-Cache"] == "MISS", path
    # Exactly the pages showing it: another author's page, which does not, stays cached.
    assert "An unrelated story" in get(varnish, "/author/ann-other/")[2]
    assert get(varnish, "/author/ann-other/")[1]["X-Cache"] == "HIT"


def test_a_comment_approval_shows_through_varnish_on_the_next_request(varnish, story):
    comment = make_comment(story, body="Worth the wait.", status=Comment.Status.PENDING)
    get(varnish, story.get_absolute_url())
    _, headers, html = get(varnish, story.get_absolute_url())
    assert headers["X-Cache"] == "HIT" and "Worth the wait." not in html

    comment.approve(by=staff_user())

    _, headers, html = get(varnish, story.get_absolute_url())
    assert "Worth the wait." in html
    assert headers["X-Cache"] == "MISS"


def test_staff_are_never_served_from_varnish(varnish, story):
    staff = Client()
    staff.force_login(staff_user())
    cookie = f"sessionid={staff.cookies['sessionid'].value}"
    get(varnish, story.get_absolute_url())  # cached for readers

    for _ in range(2):
        status, headers, _ = get(varnish, story.get_absolute_url(), Cookie=cookie)
        assert status == 200
        assert headers["X-Cache"] == "MISS"
        assert "private" in headers["Cache-Control"]
    for _ in range(2):
        status, headers, _ = get(varnish, "/admin/", Cookie=cookie)
        assert status == 200 and headers["X-Cache"] == "MISS"


def test_posts_always_reach_the_app(varnish, story):
    form = {
        "name": "Ruth Reader",
        "email": "ruth@example.com",
        "website": "",
        "started": issue_timestamp(story.pk, time.time() - 10),
    }
    for n in range(2):
        status, headers, _ = request(
            varnish,
            "POST",
            f"/comments/post/{story.pk}/",
            body=urlencode({**form, "body": f"Comment {n} through Varnish"}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 303
        assert headers["X-Cache"] == "MISS"

    assert Comment.objects.filter(body__startswith="Comment ").count() == 2


# Purges: only the app servers, on the purge listener, with the shared secret (issue 19, 3).


def test_a_purge_without_the_shared_secret_is_refused_and_the_page_stays_cached(
    varnish, servers, story
):
    cache = servers[0]
    get(varnish, "/world/")
    for headers in [{}, {"Purge-Secret": "guessed"}, {"Purge-Secret": ""}]:
        assert purge(cache, {"xkey-purge": "site", **headers})[0] == 403
    assert get(varnish, "/world/")[1]["X-Cache"] == "HIT"


def test_a_purge_sent_to_the_readers_listener_is_refused_even_with_the_secret(
    varnish, servers, story
):
    """The TLS proxy forwards readers to that listener, whatever their method."""
    cache = servers[0]
    get(varnish, "/world/")
    for source in [TLS_PROXY, DIRECT_CLIENT]:
        status, _, _ = request_from(
            source,
            varnish,
            "PURGE",
            "/",
            headers={"xkey-purge": "site", "Purge-Secret": cache.secret},
        )
        assert status == 403
    assert get(varnish, "/world/")[1]["X-Cache"] == "HIT"


def test_a_purge_relayed_by_a_proxy_is_refused_even_with_the_secret(varnish, servers, story):
    cache = servers[0]
    get(varnish, "/world/")
    headers = {"xkey-purge": "site", "Purge-Secret": cache.secret}
    for forwarded_for in ["203.0.113.9", "127.0.0.1"]:
        assert purge(cache, {**headers, "X-Forwarded-For": forwarded_for})[0] == 403
    assert get(varnish, "/world/")[1]["X-Cache"] == "HIT"


def test_the_apps_own_purge_still_empties_the_pages(varnish, story):
    get(varnish, "/world/")
    assert get(varnish, "/world/")[1]["X-Cache"] == "HIT"

    story.headline = "Talks collapse in Cairo"
    story.save()  # purged by the app (NEWSROOM_PURGE_URLS, NEWSROOM_PURGE_SECRET)

    _, headers, html = get(varnish, "/world/")
    assert headers["X-Cache"] == "MISS" and "Talks collapse in Cairo" in html


# What the TLS proxy says of a reader, and only the TLS proxy (issue 19, 5 and 9).


def post_a_comment(source, port, story, body, **headers):
    form = {
        "name": "Ruth Reader",
        "email": "ruth@example.com",
        "website": "",
        "started": issue_timestamp(story.pk, time.time() - 10),
        "body": body,
    }
    status, _, _ = request_from(
        source,
        port,
        "POST",
        f"/comments/post/{story.pk}/",
        body=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
    )
    assert status == 303
    return Comment.objects.get(body=body)


def test_a_client_reaching_varnish_directly_cannot_choose_the_address_the_app_sees(varnish, story):
    comment = post_a_comment(
        DIRECT_CLIENT,
        varnish,
        story,
        "Sent straight to Varnish.",
        **{"X-Forwarded-For": "203.0.113.9"},
    )
    assert comment.ip_address == DIRECT_CLIENT


def test_the_app_sees_the_readers_address_the_tls_proxy_gives(varnish, story):
    comment = post_a_comment(
        TLS_PROXY, varnish, story, "Sent through the proxy.", **{"X-Forwarded-For": "198.51.100.7"}
    )
    assert comment.ip_address == "198.51.100.7"


def test_forwarded_headers_reach_the_app_only_from_the_tls_proxy(varnish, servers, story):
    _, workdir, _ = servers
    forwarded = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "news.example",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Server": "junk",
        "X-Forwarded-Prefix": "/junk",
        "Forwarded": "for=203.0.113.9;proto=https",
    }
    request_from(TLS_PROXY, varnish, "GET", "/world/?from=proxy", headers=forwarded)
    request_from(DIRECT_CLIENT, varnish, "GET", "/world/?from=client", headers=forwarded)

    [from_proxy] = backend_request_headers(workdir, "/world/?from=proxy")
    assert from_proxy["x-forwarded-proto"] == "https"
    assert from_proxy["x-forwarded-host"] == "news.example"
    assert from_proxy["x-forwarded-port"] == "443"
    [from_client] = backend_request_headers(workdir, "/world/?from=client")
    assert from_client["x-forwarded-for"] == DIRECT_CLIENT
    for fetch in (from_proxy, from_client):
        assert not {"x-forwarded-server", "x-forwarded-prefix", "forwarded"} & set(fetch)
    assert not {"x-forwarded-proto", "x-forwarded-host", "x-forwarded-port"} & set(from_client)


def test_the_scheme_host_and_port_the_tls_proxy_gives_make_their_own_copies(varnish, story):
    def via_proxy(**headers):
        return request_from(TLS_PROXY, varnish, "GET", "/world/", headers=headers)[1]["X-Cache"]

    assert via_proxy(**{"X-Forwarded-Proto": "http"}) == "MISS"
    assert via_proxy(**{"X-Forwarded-Proto": "http"}) == "HIT"
    assert via_proxy(**{"X-Forwarded-Proto": "https"}) == "MISS"
    assert (
        via_proxy(**{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "other.example"}) == "MISS"
    )
    assert via_proxy(**{"X-Forwarded-Proto": "https", "X-Forwarded-Port": "8443"}) == "MISS"
    assert via_proxy(**{"X-Forwarded-Proto": "https", "X-Forwarded-Server": "junk"}) == "HIT"


def test_forwarded_headers_from_a_direct_client_make_no_copies(varnish, story):
    assert get(varnish, "/world/")[1]["X-Cache"] == "MISS"
    for headers in [
        {"X-Forwarded-Proto": "https"},
        {"X-Forwarded-Host": "evil.example"},
        {"X-Forwarded-Port": "1"},
    ]:
        assert get(varnish, "/world/", **headers)[1]["X-Cache"] == "HIT", headers


def test_the_spelling_of_the_host_makes_no_new_copy(varnish, story):
    assert get(varnish, "/world/", Host="localhost")[1]["X-Cache"] == "MISS"
    assert get(varnish, "/world/", Host="LocalHost")[1]["X-Cache"] == "HIT"


def test_tracking_parameters_are_one_copy_with_the_plain_address(varnish, story):
    assert get(varnish, "/world/?utm_source=a")[1]["X-Cache"] == "MISS"
    for path in [
        "/world/?utm_source=b",
        "/world/",
        "/world/?fbclid=x&utm_medium=social&utm_campaign=c",
        "/world/?gclid=1&msclkid=2&mc_cid=3&mc_eid=4&_ga=5&igshid=6&yclid=7&dclid=8&ref_src=9",
    ]:
        assert get(varnish, path)[1]["X-Cache"] == "HIT", path
    assert get(varnish, "/world/?page=2")[1]["X-Cache"] == "MISS"
    assert get(varnish, "/world/?utm_source=a&page=2&fbclid=x")[1]["X-Cache"] == "HIT"


def test_the_order_of_query_parameters_makes_no_new_copy(varnish, story):
    assert get(varnish, "/search/?q=talks&page=1")[1]["X-Cache"] == "MISS"
    assert get(varnish, "/search/?page=1&q=talks")[1]["X-Cache"] == "HIT"
    assert get(varnish, "/search/?q=cairo&page=1")[1]["X-Cache"] == "MISS"


# What readers are told of Varnish (issue 19, 19).


def test_readers_are_not_told_of_varnish_or_its_surrogate_keys(varnish, servers, story):
    cache = servers[0]
    answers = [
        get(varnish, story.get_absolute_url()),  # a miss
        get(varnish, story.get_absolute_url()),  # a hit
        get(varnish, "/world/no-such-story/"),  # a 404, cached too
        get(varnish, "/admin/login/"),  # passed
        request(varnish, "POST", "/comments/post/0/"),  # passed
        purge(cache, {"xkey-purge": "site"}),  # Varnish's own answer
    ]
    for status, headers, _ in answers:
        named = {name.lower() for name in headers}
        assert not {"via", "x-varnish", "xkey"} & named, (status, dict(headers))


# Pages not there yet (issue 19, 12).


def test_a_scheduled_story_replaces_its_cached_not_found_page_within_ten_seconds(varnish, story):
    """Nothing purges when a scheduled time passes: a 404 is kept only briefly."""
    make_article(
        section=story.section,
        slug="coming-soon",
        published_at=timezone.now() + timedelta(seconds=2),
    )
    asked = time.monotonic()
    assert get(varnish, "/world/coming-soon/")[0] == 404
    status, headers, _ = get(varnish, "/world/coming-soon/")
    assert (status, headers["X-Cache"]) == (404, "HIT")

    time.sleep(max(0, asked + 10.5 - time.monotonic()))

    assert get(varnish, "/world/coming-soon/")[0] == 200


def test_publishing_a_story_replaces_its_cached_not_found_page_at_once(varnish, story):
    draft = make_article(section=story.section, slug="coming-soon", status=Article.Status.DRAFT)
    assert get(varnish, "/world/coming-soon/")[0] == 404
    assert get(varnish, "/world/coming-soon/")[1]["X-Cache"] == "HIT"

    draft.publish(by=staff_user())

    assert get(varnish, "/world/coming-soon/")[0] == 200


def test_a_breaking_banner_shows_through_varnish_at_once_and_goes_with_its_expiry(varnish, story):
    from datetime import timedelta

    from django.utils import timezone

    from articles.models import BreakingBanner

    banner = '<section class="breaking-banner" aria-label="Breaking news">'
    pages = ["/", "/world/", story.get_absolute_url()]
    for path in pages:
        get(varnish, path)
        _, headers, html = get(varnish, path)
        assert headers["X-Cache"] == "HIT" and banner not in html, path

    expiry = timezone.now() + timedelta(seconds=4)
    BreakingBanner.objects.create(text="Polls close", story=story, expires_at=expiry)

    for path in pages:
        _, headers, html = get(varnish, path)
        assert banner in html, path  # purged: not waited out
        assert headers["X-Cache"] == "MISS", path
        assert int(headers["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 4
    assert get(varnish, "/")[1]["X-Cache"] == "HIT"

    time.sleep(max(0.0, (expiry - timezone.now()).total_seconds()) + 0.2)
    # Past its lifetime a copy answers once more while Varnish fetches the page afresh (its grace
    # while the app is healthy, at most 10 s); after that, never again.
    for path in pages:
        deadline = time.monotonic() + 2
        while banner in get(varnish, path)[2]:
            assert time.monotonic() < deadline, f"{path}: the expired banner is still served"
            time.sleep(0.05)
        assert banner not in get(varnish, path)[2], path


def test_a_corrected_credit_of_a_photo_inside_a_story_shows_through_varnish(varnish, story):
    from tests.factories import make_photo

    photo = make_photo(photographer="Dana Levi", agency="Reuters")
    story.blocks = [
        {"type": "text", "html": "<p>The talks resumed.</p>"},
        {"type": "photo", "photo": photo.pk, "caption": "At the table", "size": "column"},
    ]
    story.save()
    make_article(headline="An unrelated story", authors=[make_author(slug="ann-other")])
    for path in [story.get_absolute_url(), "/author/ann-other/"]:
        get(varnish, path)
        assert get(varnish, path)[1]["X-Cache"] == "HIT"

    photo.agency = "Reuters Pictures"
    photo.save()  # committed at once: photo-<id> is purged

    _, headers, html = get(varnish, story.get_absolute_url())
    assert "Photo: Dana Levi / Reuters Pictures" in html
    assert headers["X-Cache"] == "MISS"
    assert get(varnish, "/author/ann-other/")[1]["X-Cache"] == "HIT"


def test_a_story_with_a_hebrew_address_is_kept_and_purged_like_any_other(varnish):
    story = make_article(
        section=make_section("חדשות", slug="חדשות"),
        slug="הממשלה-אישרה-את-התקציב",
        headline="הממשלה אישרה את התקציב",
    )
    # Percent-encoded UTF-8, as links carry it and browsers send it.
    pages = [story.get_absolute_url(), "/%D7%97%D7%93%D7%A9%D7%95%D7%AA/"]
    assert pages[0].startswith("/%D7%97%D7%93%D7%A9%D7%95%D7%AA/%D7%94")
    for path in pages:
        assert get(varnish, path)[0] == 200, path
        assert get(varnish, path)[1]["X-Cache"] == "HIT", path

    story.headline = "הממשלה דחתה את התקציב"
    story.save()

    for path in pages:
        _, headers, html = get(varnish, path)
        assert "הממשלה דחתה את התקציב" in html, path
        assert headers["X-Cache"] == "MISS", path
