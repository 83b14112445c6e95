"""A page's copy is kept under what the page reads, nothing else: tracking parameters, unknown
parameters and junk headers reach the one copy and store nothing new (issue 19, finding 5;
issue 22, "query strings cost nothing")."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from articles.caching.served_copies import answer_key
from tests.factories import make_article, make_author, make_section
from tests.wsgi_client import wsgi_get

pytestmark = pytest.mark.django_db

TRACKING = ["utm_source", "utm_campaign", "fbclid", "gclid", "msclkid", "mc_eid", "_ga", "igshid"]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def story():
    world = make_section("World", slug="world")
    for n in range(14):  # two pages of the section
        make_article(section=world, headline=f"Older story {n}")
    return make_article(
        section=world,
        headline="Talks resume",
        authors=[make_author("Dana Levi", slug="dana")],
        published_at=timezone.now(),  # the newest: first on page 1
    )


def kept_entries() -> int:
    return len(cache._cache)  # the local-memory cache's own table: every copy and answer kept


@pytest.mark.parametrize("url", ["/", "/world/", "/search/?q=talks", "/feed/", "/sitemap.xml"])
def test_750_requests_with_new_parameters_or_headers_store_nothing_and_share_one_copy(story, url):
    separator = "&" if "?" in url else "?"
    wsgi_get(url)
    first = wsgi_get(url)  # now kept: the copy, and the answer beside it
    kept = kept_entries()

    answers = []
    for n in range(250):
        answers.append(wsgi_get(f"{url}{separator}utm_source=news{n}&fbclid=IwAR{n}"))
        answers.append(wsgi_get(f"{url}{separator}x={n}"))
        answers.append(wsgi_get(url, x_forwarded_anything=f"junk-{n}", x_forwarded_by=str(n)))

    assert kept_entries() == kept
    assert {answer.status for answer in answers} == {200}
    assert not any(answer.handled_by_django for answer in answers)  # all from the kept answer
    assert {answer.body for answer in answers} == {first.body}


def test_the_whole_stack_also_keeps_one_copy_for_addresses_differing_in_what_no_page_reads(
    client, story
):
    client.get("/world/")
    kept = kept_entries()

    for n in range(50):
        response = client.get(f"/world/?utm_medium=social&gclid={n}&page_size={n}")
        assert response.status_code == 200
        assert "Age" in response  # served from the copy, not rendered again

    assert kept_entries() == kept


def test_a_parameter_the_page_reads_is_still_its_own_page(client, story):
    first = client.get("/world/")
    second = client.get("/world/?page=2&utm_source=newsletter")

    assert "Talks resume" in first.text and "Talks resume" not in second.text
    assert "Page 2" in second.text
    assert client.get("/world/?page=2").text == second.text
    assert client.get("/world/?page=99").status_code == 404


def test_search_terms_and_their_pages_are_read_in_any_order(client, story):
    make_article(section=story.section, headline="Talks stall")
    one = client.get("/search/?q=talks&page=1&utm_source=x")
    other = client.get("/search/?utm_source=y&page=1&q=talks")

    assert one.status_code == 200 and "resume</a>" in one.text.replace("</mark>", "")
    assert other.text == one.text


@pytest.mark.parametrize("url", ["/", "/world/", "/search/?q=talks", "/author/dana/", "STORY"])
def test_the_page_never_echoes_a_tracking_parameter(client, story, settings, url):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # rendered for this very request
    if url == "STORY":
        url = story.get_absolute_url()
    separator = "&" if "?" in url else "?"
    query = "&".join(f"{name}=tracked{n}value" for n, name in enumerate(TRACKING))

    response = client.get(f"{url}{separator}{query}&page=1")

    assert response.status_code == 200
    assert "tracked" not in response.text
    assert not any(name in response.text for name in ("utm_source", "fbclid", "gclid"))


def test_only_forwarded_scheme_and_host_from_a_trusted_proxy_tell_copies_apart(settings, story):
    # Untrusted (the settings name no proxy): a forwarded scheme or host changes nothing.
    wsgi_get("/")
    plain = wsgi_get("/", x_forwarded_proto="https", x_forwarded_host="evil.example")
    assert b'rel="canonical" href="http://' in plain.body
    kept = kept_entries()
    assert not wsgi_get("/", x_forwarded_proto="https").handled_by_django
    assert not wsgi_get("/", x_forwarded_host="other.example").handled_by_django
    assert kept_entries() == kept

    # Trusted: the scheme the proxy reports is the page's own, with its own copy.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    rendered = wsgi_get("/", x_forwarded_proto="https")
    wsgi_get("/", x_forwarded_proto="https")
    secure = wsgi_get("/", x_forwarded_proto="https", x_forwarded_server="junk")
    assert rendered.handled_by_django
    assert not secure.handled_by_django
    assert b'rel="canonical" href="https://' in secure.body


def test_finding_the_key_of_an_answer_leaves_the_request_as_the_server_sent_it(story):
    environ = RequestFactory().get("/").environ
    # As a WSGI server sends a path outside ASCII: its UTF-8 bytes, read as ISO-8859-1.
    # (Three segments: /<section>/<story>/ in any alphabet is a reader page.)
    sent = "/חדשות/été/x/".encode().decode("iso-8859-1")
    environ.update(PATH_INFO=sent, HTTP_HOST="testserver")

    assert answer_key(environ) is None  # no reader page there
    assert environ["PATH_INFO"] == sent  # for the stack to read in its turn


def test_a_query_string_with_too_many_fields_is_a_400_not_a_500(story):
    query = "&".join(f"utm_{n}=x" for n in range(1500))
    for _ in range(3):
        assert wsgi_get(f"/world/?{query}").status == 400
