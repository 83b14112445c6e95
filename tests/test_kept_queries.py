"""Reader pages' queries compiled once per process (articles/models/kept_queries.py): each
render still asks with its own time and ids, and the front page reads no more stories than
its places need."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import FrontPageLayout
from articles.public import front_page
from comments.models import StoryCommentCount
from tests.factories import make_article, make_section
from tests.factories_comments import make_comment

pytestmark = pytest.mark.django_db


def newest_read(at_least: int) -> list[str]:
    """The headlines the home page's query for the newest stories reads from the database."""
    newest, _ = front_page._kept(at_least, False)
    return [story.headline for story in newest.rows(at=timezone.now())]


def test_the_front_page_reads_only_as_many_stories_as_its_places_need():
    now = timezone.now()
    for n in range(1, 21):
        make_article(headline=f"Newest {n}", published_at=now - timedelta(minutes=n))

    # Five places (the default): the twelve the page lists, not thirty.
    assert newest_read(12) == [f"Newest {n}" for n in range(1, 13)]
    FrontPageLayout.objects.create(pk=1, places=15)
    assert newest_read(12) == [f"Newest {n}" for n in range(1, 16)]
    places, newest, _ = front_page.candidates(12, words=False)
    assert (places, len(newest)) == (15, 15)


def headlines(html: str) -> list[str]:
    return re.findall(r'class="story-headline"><a [^>]*>(.*?)</a>', html)


def test_each_render_asks_with_its_own_time_and_story(client, clock, settings):
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    world = make_section("World", slug="world")
    now = timezone.now()
    first = make_article(section=world, headline="First", published_at=now - timedelta(hours=2))
    second = make_article(section=world, headline="Second", published_at=now - timedelta(hours=1))
    make_article(section=world, headline="Scheduled", published_at=now + timedelta(hours=1))
    make_comment(first, body="On the first story")
    make_comment(second, body="On the second story")
    StoryCommentCount.objects.all().delete()

    # The queries are compiled by these renders, before the scheduled story's time.
    assert "Scheduled" not in headlines(client.get("/").content.decode())
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Scheduled" not in page and "Second" in page
    assert "On the first story" in page and "On the second story" not in page

    clock(2 * 3600)
    assert headlines(client.get("/").content.decode())[0] == "Scheduled"
    page = client.get(second.get_absolute_url()).content.decode()
    # The rail leaves out the story on the page, whichever it is, and shows what is public now.
    rail = page[page.index('aria-labelledby="latest-heading"') :]
    assert "Scheduled" in rail and "First" in rail
    assert "On the second story" in page and "On the first story" not in page
