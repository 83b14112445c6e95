"""A story taken down and published again keeps its first publication time (unless an editor
sets a new one), and it never looks updated before it was published."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def structured_data(client, story) -> dict:
    html = client.get(story.get_absolute_url()).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return next(d for d in map(json.loads, scripts) if d["@type"] == "NewsArticle")


def test_publishing_again_keeps_the_first_publication_time(client, editor):
    first = timezone.now() - timedelta(hours=2)
    story = make_article(published_at=first)
    story.revised_at = timezone.now() - timedelta(hours=1)
    story.save()
    story.unpublish(by=editor)
    story.publish_now(by=editor)

    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    assert story.published_at == first
    data = structured_data(client, story)
    assert data["dateModified"] >= data["datePublished"]


def test_publish_now_still_brings_a_scheduled_story_forward(editor):
    story = make_article(status=Article.Status.DRAFT)
    story.publish(by=editor, at=timezone.now() + timedelta(hours=3))
    assert story.is_scheduled
    before = timezone.now()
    story.publish_now(by=editor)
    assert before <= story.published_at <= timezone.now()
    assert story.is_published


def test_a_revision_time_before_publication_never_shows_as_the_modification_time():
    published = timezone.now() - timedelta(minutes=5)
    story = make_article(published_at=published)
    story.revised_at = published - timedelta(minutes=1)
    assert story.date_modified == published
