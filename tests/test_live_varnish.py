"""A live story behind Varnish with the shipped VCL (fixtures of tests/test_varnish.py): its page
and its poll address are served from Varnish; a new entry purges exactly the pages showing the
story and shows through Varnish on the next request, well within a second; after the purge the
page is rendered once for all the readers asking at the same moment, not once per reader."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import User

from articles.models import Article, LiveEntry
from tests import test_varnish
from tests.factories import make_article, make_author, make_section
from tests.test_varnish import get

# The same marks (committed data, skipped without varnishd) and fixtures: gunicorn behind
# varnishd running the shipped VCL, and Varnish's port with nothing cached.
pytestmark = test_varnish.pytestmark
servers = test_varnish.servers
varnish = test_varnish.varnish


@pytest.fixture
def live_story():
    return make_article(
        kind=Article.Kind.LIVE,
        section=make_section("Weather", slug="weather"),
        headline="Storm hits the coast",
        authors=[make_author("Dana Levi", slug="dana-levi")],
    )


def entry(story, editor, words):
    return LiveEntry.post(story, by=editor, blocks=[{"type": "text", "html": f"<p>{words}</p>"}])


def test_a_new_entry_shows_through_varnish_within_a_second_on_exactly_its_pages(
    varnish, live_story
):
    editor = User.objects.create_superuser("desk", "desk@example.com", "x")
    entry(live_story, editor, "Roads closed.")
    make_article(headline="Elsewhere", authors=[make_author("Ann Other", slug="ann-other")])
    poll = live_story.get_absolute_url() + "live.json"
    pages = [live_story.get_absolute_url(), poll, "/", "/weather/", "/feed/"]
    for path in [*pages, "/author/ann-other/"]:
        get(varnish, path)
        assert get(varnish, path)[1]["X-Cache"] == "HIT", path

    started = time.monotonic()
    entry(live_story, editor, "The tide turns.")  # committed: its purge goes out
    _, headers, html = get(varnish, live_story.get_absolute_url())
    shown_after = time.monotonic() - started

    assert "The tide turns." in html and headers["X-Cache"] == "MISS"
    assert shown_after < 1.0
    _, headers, answer = get(varnish, poll)
    assert "The tide turns." in answer and headers["X-Cache"] == "MISS"
    for path in ["/", "/weather/", "/feed/"]:
        assert get(varnish, path)[1]["X-Cache"] == "MISS", path
    # A page that does not show the story keeps its copy.
    assert get(varnish, "/author/ann-other/")[1]["X-Cache"] == "HIT"
    # The poll answer is the same copy for everyone, whatever a client adds to its address.
    assert get(varnish, poll)[1]["X-Cache"] == "HIT"


def test_after_a_purge_the_page_is_rendered_once_for_all_readers_asking_at_once(
    varnish, live_story
):
    editor = User.objects.create_superuser("desk", "desk@example.com", "x")
    entry(live_story, editor, "Roads closed.")
    path = live_story.get_absolute_url()
    get(varnish, path)
    entry(live_story, editor, "The tide turns.")

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: get(varnish, path), range(40)))

    assert all(status == 200 and "The tide turns." in html for status, _, html in answers)
    assert [headers["X-Cache"] for _, headers, _ in answers].count("MISS") == 1
