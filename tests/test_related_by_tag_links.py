"""A story's related stories are found from its tags' side on Postgres: each tag link carries its
story's publication time, kept by the database whichever way a story or a link is written
(migration 0024), so a story moved into or out of another's window moves in or out of its
related stories at once."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, TaggedArticle
from articles.models.kept_queries import GENERIC_PLAN
from articles.models.story_queries import RELATED_WINDOW
from articles.public import page_queries
from tests.factories import make_archive, make_article

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


def test_the_related_stories_are_the_best_public_ones_however_many_hidden_ones_share_more(client):
    """Stories readers may not see are passed over wherever they rank, and the places they
    would have taken go to the next public ones."""
    now = timezone.now()
    story = make_article(tags=["Energy", "Gas"], published_at=now - timedelta(days=10))
    for n in range(5):
        make_article(headline=f"Draft {n}", tags=["Energy", "Gas"], status=Article.Status.DRAFT)
    make_article(headline="Scheduled", tags=["Energy", "Gas"], published_at=now + timedelta(days=1))
    public = [
        make_article(headline=f"Public {n}", tags=["Energy"], published_at=now - timedelta(days=n))
        for n in range(1, 7)
    ]

    related = related_headlines(client, story)
    shown = [s.headline for s in public if s.headline in related]
    assert shown == [s.headline for s in public[: page_queries.RELATED_STORIES]]
    assert "Draft" not in related
    assert "Scheduled" not in related


def article_rows_read(plan: dict) -> int:
    """The rows the plan's nodes read from the stories' table or its indexes, all loops."""
    table = plan.get("Relation Name") == Article._meta.db_table
    read = plan["Actual Rows"] * plan["Actual Loops"] if table else 0
    return read + sum(article_rows_read(inner) for inner in plan.get("Plans", ()))


def test_the_related_stories_read_from_the_stories_table_only_the_ones_chosen(client):
    """The candidates are counted and ranked in their tag links alone; the stories' table is
    asked only about the best, until enough are public: never about every story of the window
    (a busy tag's month is thousands of stories, an old one rarely in memory)."""
    story = make_article(tags=["Energy"])
    energy = Tag.objects.get(name="Energy")
    # Three years of the topic, two stories a day: 60 of them in the story's month either side.
    archive = make_archive(2000, story.section, every=timedelta(hours=12))
    TaggedArticle.objects.bulk_create(TaggedArticle(content_object=s, tag=energy) for s in archive)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article, articles_taggedarticle")
    related = related_headlines(client, story)
    assert related.count('class="story-headline"') == page_queries.RELATED_STORIES

    around = story.published_at
    _, params = page_queries._RELATED.sql(
        at=timezone.now(),
        since=around - RELATED_WINDOW,
        until=around + RELATED_WINDOW,
        id=story.pk,
        ids=[energy.pk],
    )
    places = ", ".join(["%s"] * len(params))
    with connection.cursor() as cursor:
        cursor.execute(
            f"{GENERIC_PLAN}EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE {page_queries._RELATED.name}"
            f"({places})",
            params,
        )
        (plan,) = cursor.fetchone()[0]
    # Each chosen story asked once whether it is public, and read once.
    assert article_rows_read(plan["Plan"]) == 2 * page_queries.RELATED_STORIES
