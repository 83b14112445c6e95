"""A live story as readers get it: complete without JavaScript (pinned entry first, then newest
first, 50 a page, older pages at ?page=N, key events linking to each entry's anchor, a permalink
and a share link on every entry), within the story page's query budget with 1,000 entries; its
one poll address, cacheable and the same for everyone; a new entry purging the pages that show
it and moving dateModified and the sitemap's lastmod; the JSON-LD a LiveBlogPosting as Google
documents it."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article, LiveEntry
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


def text(words: str) -> list[dict]:
    return [{"type": "text", "html": f"<p>{words}</p>"}]


@pytest.fixture
def story():
    return make_article(
        kind=Article.Kind.LIVE,
        headline="Storm hits the coast",
        section=make_section("Weather", slug="weather"),
        published_at=timezone.now() - timedelta(hours=5),
    )


def many_entries(story, count: int, **fields) -> list[LiveEntry]:
    """`count` public entries a minute apart, the newest now (test data: made in one insert)."""
    start = timezone.now() - timedelta(minutes=count)
    return LiveEntry.objects.bulk_create(
        LiveEntry(
            article=story,
            published_at=start + timedelta(minutes=n),
            headline=f"Update {n}",
            blocks=text(f"Words of update {n}."),
            body=f"<p>Words of update {n}.</p>",
            **fields,
        )
        for n in range(count)
    )


def anchors(html: str) -> list[int]:
    """The entries of the page's list, in order (the pinned one apart)."""
    listed = html[html.index('<ol class="live-entries">') :]
    return [
        int(pk) for pk in re.findall(r'<article class="live-entry[^"]*" id="entry-(\d+)"', listed)
    ]


def json_ld(html: str) -> dict:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return next(d for d in map(json.loads, found) if d.get("@type") == "LiveBlogPosting")


def get(url, **headers):
    response = Client().get(url, **headers)
    return response, response.content.decode()


def test_pinned_first_then_newest_first_fifty_a_page_older_pages_without_javascript(story, editor):
    entries = many_entries(story, 120)
    pinned = LiveEntry.post(story, by=editor, blocks=text("Evacuation orders."), pinned=True)
    url = story.get_absolute_url()
    newest_first = [entry.pk for entry in reversed(entries)]

    response, page = get(url)
    assert response.status_code == 200
    assert page.index(f'id="entry-{pinned.pk}"') < page.index('<ol class="live-entries">')
    assert anchors(page) == newest_first[:50]
    assert 'rel="next" href="?page=2"' in page
    assert "live.js" in page and f'data-poll="{url}live.json"' in page

    _, second = get(url + "?page=2")
    assert anchors(second) == newest_first[50:100]
    assert f'id="entry-{pinned.pk}"' not in second  # pinned on the first page only
    assert f'rel="prev" href="{url}"' in second and 'href="?page=3"' in second
    assert "data-poll" not in second  # older pages do not change: nothing to ask for
    _, third = get(url + "?page=3")
    assert anchors(third) == newest_first[100:]
    assert 'rel="next"' not in third
    for missing in ("?page=4", "?page=0", "?page=two", "?page=-1"):
        assert Client().get(url + missing).status_code == 404, missing
    # A story that is not live has no pages of entries.
    assert Client().get(make_article().get_absolute_url() + "?page=2").status_code == 404


def test_key_events_link_to_entries_each_with_its_permalink_and_share_link(story, editor):
    many_entries(story, 3)
    key = LiveEntry.post(story, by=editor, headline="Dam breached", blocks=text("It gave way."),
                         key_event=True)  # fmt: skip
    other = LiveEntry.post(story, by=editor, blocks=text("Rain again."), key_event=True)
    _, page = get(story.get_absolute_url())

    nav = page[page.index('<nav class="live-key-events"') :]
    nav = nav[: nav.index("</nav>")]
    assert re.findall(r'href="#(entry-\d+)"', nav) == [f"entry-{other.pk}", f"entry-{key.pk}"]
    assert "Dam breached" in nav
    for entry in LiveEntry.objects.all():
        assert f'id="entry-{entry.pk}"' in page
        assert f'href="#entry-{entry.pk}"' in page  # its time is its permalink
        share = f'href="http://testserver{story.get_absolute_url()}#entry-{entry.pk}"'
        assert share in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # unique anchors, entries' blocks included


def test_a_thousand_entries_render_within_the_story_pages_query_budget(
    story, client, django_assert_max_num_queries
):
    many_entries(story, 1000)
    many_entries(story, 5, key_event=True)
    client.get("/")  # the section navigation is cached by any earlier page view, as elsewhere

    # The story page's budget (tests/test_article_page.py): 8. A live story's entries cost two
    # of them whatever their number: the pinned entry with the key events, and the page.
    with django_assert_max_num_queries(8) as captured:
        response = Client().get(story.get_absolute_url())

    assert response.status_code == 200
    assert len(anchors(response.content.decode())) == 50
    entry_queries = [q for q in captured.captured_queries if "articles_liveentry" in q["sql"]]
    assert len(entry_queries) == 2


def test_photos_in_entries_cost_one_query_for_the_whole_page(
    story, editor, django_assert_max_num_queries
):
    for _ in range(3):
        photo = make_photo()
        LiveEntry.post(story, by=editor, blocks=[{"type": "photo", "photo": photo.pk, "caption": "",
                                                  "size": "column"}])  # fmt: skip
    Client().get("/")
    with django_assert_max_num_queries(9) as captured:
        page = Client().get(story.get_absolute_url()).content.decode()
    photo_queries = [q for q in captured.captured_queries if 'FROM "articles_photo"' in q["sql"]]
    assert len(photo_queries) == 1
    assert page.count('class="photo photo--column"') == 3


def test_the_poll_address_is_one_cacheable_answer_for_every_reader(story, editor, reporter):
    entry = LiveEntry.post(story, by=editor, headline="Roads closed", blocks=text("Closed."))
    LiveEntry.post(story, by=reporter, blocks=text("Held for an editor."))
    url = story.get_absolute_url() + "live.json"

    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    control = response["Cache-Control"]
    assert "public" in control and "s-maxage=60" in control and "max-age=5," in control
    assert "private" not in control and "no-cache" not in control
    assert not response.cookies and "Set-Cookie" not in response
    assert set(response["Vary"].replace(" ", "").split(",")) <= {"Cookie", "Accept-Encoding"}
    assert f"story-{story.pk}" in response["xkey"].split()
    answer = response.json()
    assert answer["open"] is True
    assert [e["id"] for e in answer["entries"]] == [entry.pk]  # the held one is not there
    assert f'id="entry-{entry.pk}"' in answer["entries"][0]["html"]
    # A reader's cursor or cache-buster is not part of the address: the same copy answers.
    other = Client().get(url + f"?since={entry.pk}&_={timezone.now().timestamp()}")
    assert other.content == response.content and other["ETag"] == response["ETag"]
    assert Client().get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert Client().get(make_article().get_absolute_url() + "live.json").status_code == 404


def test_a_new_entry_purges_the_pages_that_show_the_story_and_moves_its_times(
    story, editor, reporter, purges, clock, django_capture_on_commit_callbacks, settings
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    author = story.bylines.get().author
    make_article(authors=[make_author()], headline="Elsewhere")
    url = story.get_absolute_url()
    _, before = get(url)
    Client().get(url + "live.json")
    modified = json_ld(before)["dateModified"]

    clock(120)
    with django_capture_on_commit_callbacks(execute=True):
        LiveEntry.post(story, by=reporter, blocks=text("Held: no reader sees it."))
    assert purges == []  # nothing readers see has changed
    with django_capture_on_commit_callbacks(execute=True):
        entry = LiveEntry.post(story, by=editor, blocks=text("The tide turns."))

    assert len(purges) == 1
    keys = set(purges[0])
    assert keys >= {f"story-{story.pk}", f"section-{story.section_id}", "home", "latest", "feeds",
                    f"author-{author.pk}"}  # fmt: skip
    _, after = get(url)
    assert "The tide turns." in after
    assert entry.pk in [e["id"] for e in Client().get(url + "live.json").json()["entries"]]
    story.refresh_from_db()
    assert json_ld(after)["dateModified"] == story.date_modified.isoformat(timespec="seconds")
    assert json_ld(after)["dateModified"] > modified
    sitemap = ET.fromstring(Client().get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    lastmod = next(
        item.findtext("s:lastmod", namespaces=ns)
        for item in sitemap.findall("s:url", ns)
        if item.findtext("s:loc", namespaces=ns).endswith(url)
    )
    assert lastmod == story.date_modified.isoformat(timespec="seconds")


# Google's documented LiveBlogPosting fields (Search Central, "Live blog" structured data): the
# posting's own, and each liveBlogUpdate's (a BlogPosting). Times are ISO 8601 with their zone;
# an update's URL is the page's with an anchor and no query parameters.
LIVE_BLOG_REQUIRED = {"@context", "@type", "headline", "coverageStartTime", "liveBlogUpdate",
                      "datePublished", "dateModified", "mainEntityOfPage", "url"}  # fmt: skip
UPDATE_REQUIRED = {"@type", "headline", "datePublished", "articleBody", "url"}


def iso(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, value
    return parsed


def test_the_json_ld_is_a_live_blog_posting_as_google_documents_it(story, editor, client):
    many_entries(story, 14)
    LiveEntry.post(story, by=editor, headline="Dam breached", blocks=text("It <b>gave</b> way."),
                   key_event=True)  # fmt: skip
    canonical = f"http://testserver{story.get_absolute_url()}"

    data = json_ld(Client().get(story.get_absolute_url()).content.decode())

    assert set(data) >= LIVE_BLOG_REQUIRED
    assert data["@type"] == "LiveBlogPosting" and data["@context"] == "https://schema.org"
    assert data["mainEntityOfPage"]["@id"] == data["url"] == canonical
    assert iso(data["coverageStartTime"]) == story.published_at.replace(microsecond=0)
    assert "coverageEndTime" not in data  # open
    updates = data["liveBlogUpdate"]
    assert len(updates) == 10  # the newest ten
    for update in updates:
        assert set(update) >= UPDATE_REQUIRED
        assert update["@type"] == "BlogPosting"
        assert update["url"].startswith(canonical + "#entry-") and "?" not in update["url"]
        assert update["articleBody"] and "<" not in update["articleBody"]
    assert updates[0]["headline"] == "Dam breached"
    assert updates[0]["articleBody"] == "It gave way."
    times = [iso(update["datePublished"]) for update in updates]
    assert times == sorted(times, reverse=True)
    assert iso(data["dateModified"]) >= times[0]

    client.force_login(editor)
    client.post(f"/admin/articles/article/{story.pk}/coverage/", {"coverage": "close"})
    story.refresh_from_db()
    closed = json_ld(Client().get(story.get_absolute_url()).content.decode())
    assert iso(closed["coverageEndTime"]) == story.coverage_ended_at.replace(microsecond=0)
    assert iso(closed["coverageEndTime"]) >= iso(closed["coverageStartTime"])
