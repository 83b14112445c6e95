"""The sitemap index stays cheap on a large archive: stories counted once, no MAX over them all."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, published_count
from articles.public.sitemaps import ArticleSitemap
from tests.factories import make_article, make_section

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
