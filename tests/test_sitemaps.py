import xml.etree.ElementTree as ET
from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article
from articles.public.sitemaps import ArticleSitemap
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)


def locations(root) -> list[str]:
    return [loc.text for loc in root.findall(".//s:loc", NS)]


def test_the_sitemap_lists_every_published_story_and_no_draft(client):
    published = [make_article() for _ in range(5)]
    draft = make_article(status=Article.Status.DRAFT)
    review = make_article(status=Article.Status.REVIEW)
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))

    urls = locations(xml(client, "/sitemap.xml"))

    for story in published:
        assert f"http://testserver{story.get_absolute_url()}" in urls
    for story in (draft, review, scheduled):
        assert not any(story.slug in url for url in urls)
    assert "http://testserver/" in urls
    assert f"http://testserver{published[0].section.get_absolute_url()}" in urls


def test_sitemap_entries_have_lastmod_with_the_time_of_day(client):
    story = make_article()

    root = xml(client, "/sitemap.xml")
    entry = next(
        url
        for url in root.findall("s:url", NS)
        if url.findtext("s:loc", namespaces=NS).endswith(story.get_absolute_url())
    )

    assert entry.findtext("s:lastmod", namespaces=NS) == story.date_modified.isoformat(
        timespec="seconds"
    )


def test_many_stories_make_the_sitemap_an_index(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    stories = [make_article() for _ in range(5)]

    index = xml(client, "/sitemap.xml")
    pages = locations(index)

    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    assert "http://testserver/sitemap-articles.xml" in pages
    assert "http://testserver/sitemap-articles.xml?p=3" in pages
    listed = []
    for page in pages:
        if "sitemap-articles" in page:
            listed += locations(xml(client, page.removeprefix("http://testserver")))
    assert sorted(listed) == sorted(f"http://testserver{s.get_absolute_url()}" for s in stories)


def test_the_news_sitemap_has_the_last_48_hours(client):
    now = timezone.now()
    fresh = make_article(
        headline="Fresh & new", published_at=now - timedelta(hours=3), tags=["Energy"]
    )
    make_article(headline="Two days old", published_at=now - timedelta(hours=49))
    make_article(headline="Draft", status=Article.Status.DRAFT)

    root = xml(client, "/sitemap-news.xml")
    (entry,) = root.findall("s:url", NS)

    assert entry.findtext("s:loc", namespaces=NS) == f"http://testserver{fresh.get_absolute_url()}"
    assert entry.findtext("news:news/news:title", namespaces=NS) == "Fresh & new"
    assert entry.findtext("news:news/news:publication/news:name", namespaces=NS) == "Newsroom"
    assert entry.findtext("news:news/news:publication/news:language", namespaces=NS) == "en"
    assert entry.findtext(
        "news:news/news:publication_date", namespaces=NS
    ) == fresh.published_at.isoformat(timespec="seconds")
    # news:keywords is obsolete: Google ignores it.
    assert entry.find("news:news/news:keywords", NS) is None


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out_of_the_back_office(client):
    response = client.get("/robots.txt")
    text = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in text
    assert "Disallow: /admin/" in text
    assert "Disallow: /preview/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/sitemap-news.xml" in text


def test_an_unknown_sitemap_section_is_404(client):
    make_section()
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_home_and_sections_carry_the_time_of_their_newest_change(client):
    world, sport = make_section("World", slug="world"), make_section("Sport", slug="sport")
    now = timezone.now()
    make_article(section=world, published_at=now - timedelta(hours=5))
    newest_in_world = make_article(section=world, published_at=now - timedelta(hours=2))
    newest = make_article(section=sport, published_at=now - timedelta(hours=1))
    make_article(section=sport, status=Article.Status.DRAFT)
    make_section("Empty", slug="empty")

    root = xml(client, "/sitemap.xml")
    lastmod = {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in root.findall("s:url", NS)
    }

    assert lastmod["http://testserver/"] == newest.published_at.isoformat(timespec="seconds")
    assert lastmod["http://testserver/world/"] == newest_in_world.published_at.isoformat(
        timespec="seconds"
    )
    assert lastmod["http://testserver/sport/"] == newest.published_at.isoformat(timespec="seconds")
    assert lastmod["http://testserver/empty/"] is None


def test_a_sitemap_page_gives_each_story_its_own_address_and_time(client, monkeypatch):
    """A page lists rows, not stories: each address and lastmod as the story itself gives
    them, in any alphabet, revised or not, and a story written past the publication guard
    (no section) at the address the story gives."""
    monkeypatch.setattr(ArticleSitemap, "limit", 3)
    now = timezone.now()
    hebrew = make_article(section=make_section("עולם", slug="עולם"), slug="שיחות-הפסקת-אש")
    revised = make_article(revised_at=now - timedelta(seconds=1))
    unrevised = make_article()
    sectionless = make_article()
    Article.objects.filter(pk=sectionless.pk).update(section=None)
    sectionless.refresh_from_db()

    entries = {}
    for page in ("/sitemap-articles.xml", "/sitemap-articles.xml?p=2"):
        for url in xml(client, page).findall("s:url", NS):
            entries[url.findtext("s:loc", namespaces=NS)] = url.findtext("s:lastmod", namespaces=NS)
    newest_first = Article.objects.published().order_by("-published_at", "-pk")
    assert list(entries) == [f"http://testserver{s.get_absolute_url()}" for s in newest_first]

    for story in (hebrew, revised, unrevised, sectionless):
        story.refresh_from_db()
        location = f"http://testserver{story.get_absolute_url()}"
        assert entries[location] == story.date_modified.isoformat(timespec="seconds")
    assert revised.date_modified == revised.revised_at != revised.published_at
    assert "/preview/" in sectionless.get_absolute_url()
    assert "%D7%A9" in hebrew.get_absolute_url()  # quoted as reverse() quotes it


def test_a_sitemap_page_is_last_modified_at_its_newest_change(client, monkeypatch):
    """Last-Modified is the newest `date_modified` of the page's own stories: a revision counts,
    and a newer story on another page does not."""
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    now = timezone.now()
    newest = make_article(published_at=now - timedelta(hours=1))
    make_article(published_at=now - timedelta(hours=2))
    revised = make_article(
        published_at=now - timedelta(hours=5), revised_at=now - timedelta(hours=3)
    )
    make_article(published_at=now - timedelta(hours=6))

    first, second = client.get("/sitemap-articles.xml"), client.get("/sitemap-articles.xml?p=2")

    assert first["Last-Modified"] == http_date(newest.published_at.timestamp())
    assert second["Last-Modified"] == http_date(revised.revised_at.timestamp())


def test_each_entry_says_how_often_it_changes_and_how_much_it_matters_where_known(client):
    """The home page changes always and matters most; a section changes hourly; a story says
    neither. Entries are written with no space between them, each with its parts in order."""
    story = make_article(section=make_section("World", slug="world"))

    root = xml(client, "/sitemap.xml")
    entries = {
        url.findtext("s:loc", namespaces=NS): (
            url.findtext("s:changefreq", namespaces=NS),
            url.findtext("s:priority", namespaces=NS),
        )
        for url in root.findall("s:url", NS)
    }

    assert entries["http://testserver/"] == ("always", "1.0")
    assert entries["http://testserver/world/"] == ("hourly", None)
    assert entries[f"http://testserver{story.get_absolute_url()}"] == (None, None)
    lastmod = story.date_modified.isoformat(timespec="seconds")
    written = client.get("/sitemap-articles.xml").content.decode()
    assert written == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"<url><loc>http://testserver{story.get_absolute_url()}</loc>"
        f"<lastmod>{lastmod}</lastmod></url>\n"
        "</urlset>\n"
    )


def test_the_news_sitemap_reads_its_stories_as_rows_not_whole_stories(client):
    """Up to a thousand stories, each needing its address, times and headline: one query for
    the page and one to count it, never a story's body or blocks. Its Last-Modified is the
    newest change among them, a revision included."""
    now = timezone.now()
    revised = make_article(
        published_at=now - timedelta(hours=5), revised_at=now - timedelta(minutes=30)
    )
    for hours in (1, 2, 3):
        make_article(published_at=now - timedelta(hours=hours), body="<p>A long body.</p>")

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/sitemap-news.xml")

    assert response.status_code == 200
    assert response.content.count(b"<url>") == 4
    assert response["Last-Modified"] == http_date(revised.revised_at.timestamp())
    story_queries = [q["sql"] for q in captured if "articles_article" in q["sql"]]
    assert len(story_queries) == 2
    assert not [sql for sql in story_queries if '"body"' in sql or '"blocks"' in sql]


def test_a_stories_lastmod_is_written_to_the_second_it_falls_in(client, monkeypatch):
    """The database writes each story's lastmod (W3CText) as the page's other times are
    written: the second a time falls in, never the next one (a fraction is cut, not rounded),
    in UTC; and the page's Last-Modified is read back from the latest of them."""
    monkeypatch.setattr(ArticleSitemap, "limit", 3)
    second = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    late_in_its_second = make_article(published_at=second + timedelta(microseconds=999_999))
    revised = make_article(
        published_at=second - timedelta(days=400),
        revised_at=second - timedelta(hours=1, microseconds=1),
    )

    written = client.get("/sitemap-articles.xml")
    lastmods = {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in ET.fromstring(written.content).findall("s:url", NS)
    }

    on_time = lastmods[f"http://testserver{late_in_its_second.get_absolute_url()}"]
    assert on_time == second.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert lastmods[f"http://testserver{revised.get_absolute_url()}"] == (
        (second - timedelta(hours=1, seconds=1)).astimezone(UTC).isoformat()
    )
    assert written["Last-Modified"] == http_date(second.timestamp())
