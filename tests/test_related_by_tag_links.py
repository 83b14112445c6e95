"""A story's related stories are found from its tags' side on Postgres: each tag link carries its
story's publication time, kept by the database whichever way a story or a link is written
(migration 0024), so a story moved into or out of another's window moves in or out of its
related stories at once."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept(settings):
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0  # each page asks the database again


def link_times(story, table="articles_taggedarticle", story_column="content_object_id") -> set:
    """The story times `story`'s links in `table` (its tag links, else its bylines) carry."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT story_published_at FROM {table} WHERE {story_column} = %s", [story.pk]
        )
        return {moment for (moment,) in cursor.fetchall()}


def related_headlines(client, story) -> str:
    html = client.get(story.get_absolute_url()).content.decode()
    found = re.search(r'<section class="related".*?</section>', html, re.S)
    return found.group() if found else ""


def test_a_tag_link_carries_its_storys_publication_time_as_it_changes():
    now = timezone.now().replace(microsecond=0)
    story = make_article(tags=["Energy", "Gas"], published_at=now - timedelta(hours=1))
    assert link_times(story) == {now - timedelta(hours=1)}

    story.published_at = now - timedelta(days=3)
    story.save()
    story.tags.add("Cyprus")  # a link made after the story's time was set
    assert link_times(story) == {now - timedelta(days=3)}

    Article.objects.filter(pk=story.pk).update(published_at=now)  # not through the model
    assert link_times(story) == {now}

    draft = make_article(tags=["Energy"], status=Article.Status.DRAFT)
    assert link_times(draft) == {None}


def test_a_story_moved_into_anothers_window_is_among_its_related_stories(client):
    now = timezone.now()
    story = make_article(tags=["Energy"], published_at=now - timedelta(hours=1))
    older = make_article(
        headline="Pipeline deal signed", tags=["Energy"], published_at=now - timedelta(days=90)
    )
    assert "Pipeline deal signed" not in related_headlines(client, story)

    older.published_at = now - timedelta(days=2)
    older.save()
    assert "Pipeline deal signed" in related_headlines(client, story)

    older.published_at = now - timedelta(days=45)
    older.save()
    assert "Pipeline deal signed" not in related_headlines(client, story)


def test_an_unpublished_story_in_the_window_is_not_related(client):
    story = make_article(tags=["Energy"])
    withdrawn = make_article(headline="Withdrawn report", tags=["Energy"])
    assert "Withdrawn report" in related_headlines(client, story)

    withdrawn.status = Article.Status.DRAFT
    withdrawn.save()
    assert "Withdrawn report" not in related_headlines(client, story)
