"""The sitemaps stay cheap on a large archive: stories counted once, no MAX over them all, and
each page of stories read down the index from where it starts."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.contrib.sites.requests import RequestSite
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, published_count
from articles.public.sitemaps import ArticleSitemap
from tests.factories import make_archive, make_article, make_section

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_the_sitemap_index_counts_the_stories_once_and_aggregates_none(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    world = make_section("World", slug="world")
    stories = [make_article(section=world) for _ in range(5)]
    make_article(section=world, status=Article.Status.DRAFT)
    newest = max(story.date_modified for story in stories)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sitemap.xml")

    assert response.status_code == 200
    sql = [q["sql"] for q in queries]
    story_counts = [s for s in sql if s.startswith("SELECT COUNT(*)") and "articles_article" in s]
    assert len(story_counts) == 1
    # lastmods come from the top of an ordered index, not from aggregating every story.
    assert not [s for s in sql if "MAX(" in s]
    index = ET.fromstring(response.content)
    lastmods = {
        entry.findtext("s:loc", namespaces=NS): entry.findtext("s:lastmod", namespaces=NS)
        for entry in index.findall("s:sitemap", NS)
    }
    expected = newest.isoformat(timespec="seconds")
    assert lastmods["http://testserver/sitemap-articles.xml"] == expected
    assert lastmods["http://testserver/sitemap-articles.xml?p=3"] == expected
    assert lastmods["http://testserver/sitemap-sections.xml"] == expected
    assert lastmods["http://testserver/sitemap-home.xml"] == expected


def test_the_tally_of_public_stories_follows_every_way_a_story_changes(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    public = [make_article() for _ in range(4)]
    make_article(status=Article.Status.DRAFT)
    make_article(published_at=timezone.now() + timedelta(hours=1))  # scheduled: not yet public
    # Written past the model: a bulk unpublish, a bulk publish, a deleted story.
    Article.objects.filter(pk=public[0].pk).update(status=Article.Status.DRAFT)
    Article.objects.filter(status=Article.Status.DRAFT).exclude(pk=public[0].pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=1)
    )
    public[1].delete()

    assert published_count() == Article.objects.published().count() == 3
    index = ET.fromstring(client.get("/sitemap.xml").content)
    pages = [entry.findtext("s:loc", namespaces=NS) for entry in index.findall("s:sitemap", NS)]
    assert "http://testserver/sitemap-articles.xml?p=2" in pages
    assert "http://testserver/sitemap-articles.xml?p=3" not in pages
    last = client.get("/sitemap-articles.xml", {"p": 2})
    assert last.status_code == 200 and last.content.count(b"<url>") == 1


def sitemap_entries(client, page: int) -> list[str]:
    response = client.get("/sitemap-articles.xml", {"p": page})
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [url.findtext("s:loc", namespaces=NS) for url in root.findall("s:url", NS)]


def test_stories_published_at_the_same_moment_are_each_on_one_page(client, monkeypatch):
    """A page starts at its first story's publication time and id: stories sharing a time
    across the turn of a page are each listed once, in order, on one page or the next."""
    monkeypatch.setattr(ArticleSitemap, "limit", 3)
    moment = timezone.now() - timedelta(hours=1)
    stories = [make_article(published_at=moment) for _ in range(5)]
    stories += [make_article(published_at=moment - timedelta(hours=1)) for _ in range(2)]

    listed = [entry for page in (1, 2, 3) for entry in sitemap_entries(client, page)]

    newest_first = Article.objects.published().order_by("-published_at", "-pk")
    assert listed == [f"http://testserver{story.get_absolute_url()}" for story in newest_first]
    assert len(listed) == len(stories) == 7


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_later_sitemap_page_reads_only_its_own_stories_down_the_index(client):
    """Deep in a large archive, a sitemap page finds where it starts from the index alone, then
    reads its own 5,000 stories down "article_status_pub_idx" in the order it lists them:
    never each of them looked up by id and the lot sorted."""
    make_archive(12_000, make_section("World", slug="world"), every=timedelta(minutes=1))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE articles_article")

    with CaptureQueriesContext(connection) as captured:
        entries = sitemap_entries(client, 2)

    newest_first = Article.objects.published().order_by("-published_at", "-pk")[5000:10_000]
    assert entries == [f"http://testserver{story.get_absolute_url()}" for story in newest_first]
    (sql,) = [query["sql"] for query in captured.captured_queries if "LIMIT 5000" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (COSTS OFF) {sql}")
        plan = "\n".join(row for (row,) in cursor.fetchall())
    assert re.search(r"Index Scan using article_status_pub_idx on articles_article", plan), plan
    assert "Sort" not in plan and "Hash" not in plan, plan


def test_a_page_whose_stories_were_withdrawn_after_the_count_is_empty(monkeypatch, rf):
    """Stories counted, then withdrawn before their page is read: the page lists none, and
    nothing fails."""
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    stories = [make_article() for _ in range(3)]
    sitemap = ArticleSitemap()
    assert sitemap.paginator.num_pages == 2

    for story in stories[1:]:
        story.status = Article.Status.DRAFT
        story.save()

    assert sitemap.get_urls(page=2, site=RequestSite(rf.get("/")), protocol="http") == []
